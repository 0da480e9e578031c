package data

import "testing"

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
