package data

import (
	"errors"
	"strings"
	"testing"
)

func TestIndicatorsChecklist(t *testing.T) {
	want := []string{"autorizacion", "empadronamiento", "espanol", "seguridad_social", "demandante",
		"garantia_juvenil", "clave", "exclusion", "estudios_homologados", "carnet_homologado", "movil", "informatica"}
	if len(Indicators) != len(want) {
		t.Fatalf("%d indicators, want %d", len(Indicators), len(want))
	}
	items := 0
	for i, ind := range Indicators {
		if ind.Code != want[i] {
			t.Errorf("indicator %d is %q, want %q", i, ind.Code, want[i])
		}
		if ind.Label == "" {
			t.Errorf("%s has no label", ind.Code)
		}
		if ind.Sub != (ind.Code == IndicatorYouthGuarantee) {
			t.Errorf("%s: Sub = %v", ind.Code, ind.Sub)
		}
		if !ind.Sub {
			items++
		}
	}
	if items != 11 {
		t.Errorf("%d checklist items, want the 11 of the seed", items)
	}
}

// indicatorAgeCases are on 25/11/2026 unless on is set.
var indicatorAgeCases = []struct {
	name  string
	code  string
	birth Date
	on    Date
	want  bool
	note  string // a piece of the note; "" for none
}{
	{"other indicator, any age", "empadronamiento", ymd(1950, 1, 1), Date{}, true, ""},
	{"other indicator, no birth date", "informatica", Date{}, Date{}, true, ""},
	{"15, turns 16 tomorrow", IndicatorYouthGuarantee, ymd(2010, 11, 26), Date{}, false, "Tiene 15 años"},
	{"16 today", IndicatorYouthGuarantee, ymd(2010, 11, 25), Date{}, true, ""},
	{"30, turns 31 tomorrow", IndicatorYouthGuarantee, ymd(1995, 11, 26), Date{}, true, ""},
	{"31 today", IndicatorYouthGuarantee, ymd(1995, 11, 25), Date{}, false, "Tiene 31 años"},
	{"born 29 Feb, 30 on 28 Feb", IndicatorYouthGuarantee, ymd(1996, 2, 29), ymd(2027, 2, 28), true, ""},
	{"born 29 Feb, 31 on 1 Mar", IndicatorYouthGuarantee, ymd(1996, 2, 29), ymd(2027, 3, 1), false, "Tiene 31 años"},
	{"no birth date", IndicatorYouthGuarantee, Date{}, Date{}, true, "No consta la fecha de nacimiento"},
	{"unknown code", "carnet_de_baile", ymd(2000, 1, 1), Date{}, false, "no existe"},
}

func TestIndicatorApplies(t *testing.T) {
	for _, c := range indicatorAgeCases {
		t.Run(c.name, func(t *testing.T) {
			on := c.on
			if on.IsZero() {
				on = eligToday
			}
			p := Person{BirthDate: c.birth}
			got, note := IndicatorApplies(c.code, &p, on)
			if got != c.want {
				t.Errorf("applies = %v (%q), want %v", got, note, c.want)
			}
			if (c.note == "") != (note == "") || !strings.Contains(note, c.note) {
				t.Errorf("note %q, want one containing %q", note, c.note)
			}
		})
	}
}

// createIndicatorPerson stores a sample person born on birth.
func createIndicatorPerson(t *testing.T, s *Store, birth Date) Person {
	t.Helper()
	p := samplePerson()
	p.BirthDate = birth
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	return p
}

func timelineTexts(t *testing.T, s *Store, id string) []string {
	t.Helper()
	tl, err := s.Timeline(id)
	if err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	var out []string
	for _, e := range tl {
		out = append(out, e.Text)
	}
	return out
}

func TestIndicatorStoredWithEvent(t *testing.T) {
	s, _ := openTest(t)
	p := createIndicatorPerson(t, s, ymd(1990, 3, 14))

	if err := s.SetIndicator(p.ID, "empadronamiento", ymd(2026, 3, 12), "Luis"); err != nil {
		t.Fatalf("SetIndicator: %v", err)
	}
	if err := s.SetIndicator(p.ID, "espanol", ymd(2025, 6, 1), "Luis"); err != nil {
		t.Fatalf("SetIndicator: %v", err)
	}
	got, err := s.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Indicators["empadronamiento"] != ymd(2026, 3, 12) || got.Indicators["espanol"] != ymd(2025, 6, 1) || len(got.Indicators) != 2 {
		t.Errorf("indicators read back = %v", got.Indicators)
	}
	if got.UpdatedBy != testName || got.FirstName != "María José" {
		t.Errorf("person after SetIndicator = %+v", got)
	}
	tl, err := s.Timeline(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 2 {
		t.Fatalf("timeline = %+v, want 2 events", tl)
	}
	if e := tl[1]; e.Text != "Indicador conseguido: Empadronamiento (12/03/2026)" || e.Kind != EventStatus || e.Author != testName {
		t.Errorf("event = %+v", e)
	}

	// The same date again changes nothing; clearing writes a withdrawal.
	if err := s.SetIndicator(p.ID, "empadronamiento", ymd(2026, 3, 12), "Luis"); err != nil {
		t.Fatalf("SetIndicator again: %v", err)
	}
	if err := s.SetIndicator(p.ID, "empadronamiento", Date{}, "Ana"); err != nil {
		t.Fatalf("clear: %v", err)
	}
	if err := s.SetIndicator(p.ID, "clave", Date{}, "Ana"); err != nil {
		t.Fatalf("clear an indicator not set: %v", err)
	}
	got, _ = s.Person(p.ID)
	if _, ok := got.Indicators["empadronamiento"]; ok || got.Indicators["espanol"].IsZero() {
		t.Errorf("after clearing: %v", got.Indicators)
	}
	texts := timelineTexts(t, s, p.ID)
	want := "Indicador retirado: Empadronamiento (constaba conseguido el 12/03/2026)"
	if len(texts) != 3 || texts[0] != want {
		t.Errorf("timeline = %q, want 3 events, newest %q", texts, want)
	}

	// A new date for an indicator already set says what it replaced.
	if err := s.SetIndicator(p.ID, "espanol", ymd(2025, 7, 1), "Ana"); err != nil {
		t.Fatal(err)
	}
	if texts := timelineTexts(t, s, p.ID); !strings.Contains(texts[0], "antes constaba el 01/06/2025") {
		t.Errorf("changed date: %q", texts[0])
	}
}

func TestIndicatorRefusedWritesNothing(t *testing.T) {
	s, _ := openTest(t)
	p := createIndicatorPerson(t, s, ymd(1990, 3, 14))
	young := createIndicatorPerson(t, s, ymd(2011, 1, 1))
	cases := []struct {
		name, id, code string
		on             Date
		author         string
		is             error
		msg            string
	}{
		{"unknown code", p.ID, "carnet_de_baile", ymd(2026, 1, 1), "Ana", ErrInvalid, "no existe"},
		{"future date", p.ID, "clave", ymd(2026, 11, 26), "Ana", ErrInvalid, "no puede ser futura"},
		{"before birth", p.ID, "clave", ymd(1989, 1, 1), "Ana", ErrInvalid, "anterior a la de nacimiento"},
		{"youth guarantee at 36", p.ID, IndicatorYouthGuarantee, ymd(2026, 11, 1), "Ana", ErrInvalid, "tenía 36 años"},
		{"youth guarantee at 15", young.ID, IndicatorYouthGuarantee, ymd(2026, 11, 1), "Ana", ErrInvalid, "tenía 15 años"},
		{"unknown person", "nadie", "clave", ymd(2026, 1, 1), "Ana", ErrNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.SetIndicator(c.id, c.code, c.on, c.author)
			if !errors.Is(err, c.is) {
				t.Fatalf("SetIndicator = %v, want %v", err, c.is)
			}
			if c.msg != "" {
				wantErr(t, err, c.msg)
			}
			var ve *ValidationError
			if errors.As(err, &ve) && c.author != "" && ve.For("Indicators") == "" {
				t.Errorf("no Indicators field in %v", ve.Fields)
			}
		})
	}
	for _, q := range []Person{p, young} {
		got, err := s.Person(q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Indicators != nil || !got.UpdatedAt.Equal(q.UpdatedAt) {
			t.Errorf("person written on refusal: %v, updated %v", got.Indicators, got.UpdatedAt)
		}
		if texts := timelineTexts(t, s, q.ID); len(texts) != 0 {
			t.Errorf("events written on refusal: %q", texts)
		}
	}
}

// TestIndicatorYouthGuaranteeAge checks the age on the date of the
// registration (20/11/2026), at the birthday edges.
func TestIndicatorYouthGuaranteeAge(t *testing.T) {
	s, _ := openTest(t)
	on := ymd(2026, 11, 20)
	cases := []struct {
		name  string
		birth Date
		ok    bool
	}{
		{"15, 16 the day after", ymd(2010, 11, 21), false},
		{"16 that day", ymd(2010, 11, 20), true},
		{"30, 31 the day after", ymd(1995, 11, 21), true},
		{"31 that day", ymd(1995, 11, 20), false},
		{"30 then, 31 today", ymd(1995, 11, 22), true},
		{"no birth date", Date{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := createIndicatorPerson(t, s, c.birth)
			err := s.SetIndicator(p.ID, IndicatorYouthGuarantee, on, "Ana")
			switch {
			case c.ok && err != nil:
				t.Errorf("refused: %v", err)
			case !c.ok && !errors.Is(err, ErrInvalid):
				t.Errorf("SetIndicator = %v, want a refusal", err)
			case !c.ok:
				checkSentence(t, err)
			}
			got, _ := s.Person(p.ID)
			if _, set := got.Indicators[IndicatorYouthGuarantee]; set != c.ok {
				t.Errorf("stored = %v, want %v", set, c.ok)
			}
		})
	}
}

// A person form opened before an indicator was ticked, saved afterwards,
// must not undo the indicator.
func TestStaleFormKeepsIndicators(t *testing.T) {
	s, _ := openTest(t)
	p := samplePerson()
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatal(err)
	}
	stale := p // the form's copy
	if err := s.SetIndicator(p.ID, "empadronamiento", DateOf(fixedNow), "Ana"); err != nil {
		t.Fatal(err)
	}
	stale.City = "Madrid"
	if err := s.UpdatePerson(&stale, "Luis"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Person(p.ID)
	if got.City != "Madrid" || got.Indicators["empadronamiento"] != DateOf(fixedNow) {
		t.Errorf("after a stale save: city %q, indicators %v", got.City, got.Indicators)
	}
}
