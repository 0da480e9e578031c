package data

import (
	"errors"
	"slices"
	"testing"
)

func seedSearch(t *testing.T) (*Store, map[string]string) {
	t.Helper()
	s, _ := openTest(t)
	people := []Person{
		{FirstName: "María", LastName: "Núñez Pérez", DocKind: DocNIE, DocNumber: "Y1234567X", Phone1: "917581437", BirthDate: Date{1988, 5, 2}},
		{FirstName: "Mario", LastName: "Gómez", Email: "mario.gomez@correo.es"},
		{FirstName: "Marta", LastName: "Mar", DocKind: DocPassport, DocNumber: "PA998877"},
		{FirstName: "José", LastName: "Martínez de la Rosa", Phone1: "+33612345678"},
		{FirstName: "Ana", LastName: "Lopez"},
	}
	ids := map[string]string{}
	for i := range people {
		if err := s.CreatePerson(&people[i], "Ana"); err != nil {
			t.Fatalf("create %s: %v", people[i].FirstName, err)
		}
		ids[people[i].FirstName] = people[i].ID
	}
	return s, ids
}

func TestSearch(t *testing.T) {
	s, ids := seedSearch(t)
	cases := []struct {
		query string
		want  []string // first names, in order
	}{
		{"nunez", []string{"María"}},
		{"NÚÑEZ", []string{"María"}},
		{"maria nu", []string{"María"}},
		{"mar", []string{"Marta", "Mario", "José", "María"}}, // Marta has the exact word "Mar"
		{"ma", []string{"Mario", "Marta", "José", "María"}},  // surname order: Gómez, Mar, Martínez, Núñez
		{"y1234", []string{"María"}},
		{"917 581 437", []string{"María"}},
		{"9175", []string{"María"}},
		{"+33 612", []string{"José"}},
		{"mario.gomez@", []string{"Mario"}},
		{"de la rosa", []string{"José"}},
		{"pa99", []string{"Marta"}},
		{"maria lopez", nil},
		{"zzz", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			hits, total := s.Search(tc.query, 10)
			var got []string
			for _, h := range hits {
				got = append(got, h.FirstName)
			}
			if total != len(tc.want) || len(got) != len(tc.want) {
				t.Fatalf("Search(%q) = %q (total %d), want %q", tc.query, got, total, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Search(%q) = %q, want %q", tc.query, got, tc.want)
				}
			}
		})
	}
	if hits, total := s.Search("ma", 2); len(hits) != 2 || total != 4 || hits[0].ID != ids["Mario"] {
		t.Errorf("limited search = %+v total %d", hits, total)
	}
	all, total := s.Search("", 100)
	if total != 5 || all[0].FirstName != "Mario" || all[4].FirstName != "María" {
		t.Errorf("empty query lists in surname order: %+v", all)
	}
}

func TestFindDuplicates(t *testing.T) {
	s, ids := seedSearch(t)
	sameDoc := Person{FirstName: "Otra", DocNumber: "y-1234567-x"}
	if d := s.FindDuplicates(&sameDoc); len(d) != 1 || d[0].ID != ids["María"] {
		t.Errorf("same document: %+v", d)
	}
	sameName := Person{FirstName: "MARIA", LastName: "nuñez perez", BirthDate: Date{1988, 5, 2}}
	if d := s.FindDuplicates(&sameName); len(d) != 1 {
		t.Errorf("same name and birth date: %+v", d)
	}
	otherBirth := Person{FirstName: "María", LastName: "Núñez Pérez", BirthDate: Date{1990, 1, 1}}
	if d := s.FindDuplicates(&otherBirth); len(d) != 0 {
		t.Errorf("different birth date matched: %+v", d)
	}
	self := Person{ID: ids["María"], FirstName: "María", DocNumber: "Y1234567X"}
	if d := s.FindDuplicates(&self); len(d) != 0 {
		t.Errorf("matched itself: %+v", d)
	}
}

// A store opened with DeferIndex has no index until a call needs one, and
// then finds what was written before it and while it was being built.
func TestDeferredIndex(t *testing.T) {
	s, ids := seedSearch(t)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	d, err := Open(path, testOpts(&Options{DeferIndex: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.ready.Load() {
		t.Fatal("Open built the index")
	}
	// Before the index exists: nothing to update.
	lucia := Person{FirstName: "Lucía", LastName: "Ortega"}
	if err := d.CreatePerson(&lucia, "Ana"); err != nil {
		t.Fatal(err)
	}
	mario, err := d.Person(ids["Mario"])
	if err != nil {
		t.Fatal(err)
	}
	mario.LastName = "Gómez Ruiz"
	if err := d.UpdatePerson(&mario, "Ana"); err != nil {
		t.Fatal(err)
	}
	if err := d.ErasePerson(ids["Ana"], "Lo pide por escrito"); err != nil {
		t.Fatal(err)
	}
	if d.ready.Load() {
		t.Fatal("a write built the index")
	}
	// While it is built: after its transaction has read the cards.
	pablo := Person{FirstName: "Pablo", LastName: "Iriarte"}
	d.afterRead = func() {
		if err := d.CreatePerson(&pablo, "Ana"); err != nil {
			t.Error(err)
		}
		if err := d.ErasePerson(ids["Marta"], "Lo pide por escrito"); err != nil {
			t.Error(err)
		}
	}
	want := map[string][]string{"lucia": {"Lucía"}, "ruiz": {"Mario"}, "gomez": {"Mario"}, "iriarte": {"Pablo"},
		"lopez": nil, "pa99": nil, "nunez": {"María"}}
	for q, names := range want {
		hits, total := d.Search(q, 10)
		var got []string
		for _, h := range hits {
			got = append(got, h.FirstName)
		}
		if total != len(names) || !slices.Equal(got, names) {
			t.Errorf("Search(%q) = %q (total %d), want %q", q, got, total, names)
		}
	}
	if n := d.PersonCount(); n != 5 {
		t.Errorf("PersonCount = %d, want 5 (5 − Ana − Marta + Lucía + Pablo)", n)
	}
	if _, err := d.Card(ids["Marta"]); !errors.Is(err, ErrNotFound) {
		t.Errorf("Card of an erased person: %v", err)
	}
	if c, err := d.Card(pablo.ID); err != nil || c.LastName != "Iriarte" {
		t.Errorf("Card(Pablo) = %+v, %v", c, err)
	}
}

// A normal Open builds the index at once: the first search finds people
// without reading anything.
func TestOpenBuildsIndex(t *testing.T) {
	s, _ := seedSearch(t)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, testOpts(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.ready.Load() {
		t.Fatal("Open without DeferIndex left the index for later")
	}
	if hits, total := r.Search("nunez", 10); total != 1 || hits[0].FirstName != "María" {
		t.Errorf("Search(nunez) = %+v (total %d)", hits, total)
	}
}
