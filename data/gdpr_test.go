package data

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConsentWarning(t *testing.T) {
	day := Date{2026, time.March, 2}
	tests := []struct {
		name string
		p    Person
		d    Direction
		want string // "" or a part of the warning
	}{
		{"to OMIOPI with consent", Person{ConsentDate: day, ConsentOMIOPI: true}, FromAE, ""},
		{"to AE with consent", Person{ConsentDate: day, ConsentAE: true}, FromOMIOPI, ""},
		{"to OMIOPI, consent for AE only", Person{ConsentDate: day, ConsentAE: true}, FromAE, "con la OMIOPI: recójalo"},
		{"to AE, consent for OMIOPI only", Person{ConsentDate: day, ConsentOMIOPI: true}, FromOMIOPI, "con la AE: recójalo"},
		{"no date", Person{ConsentOMIOPI: true}, FromAE, "Falta la fecha"},
		{"nothing", Person{}, FromAE, "No consta el consentimiento"},
		{"no direction yet", Person{}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ConsentWarning(&tc.p, tc.d)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("ConsentWarning = %q, want %q", got, tc.want)
			}
			if got != "" && !strings.HasSuffix(got, ".") {
				t.Errorf("%q is not a sentence", got)
			}
		})
	}
}

func TestProposeWithoutConsentIsAllowed(t *testing.T) {
	s, _ := openTest(t)
	r := walk(t, s, FromAE) // samplePerson has no consent at all
	p, err := s.Person(r.PersonID)
	if err != nil || ConsentWarning(&p, r.Direction) == "" {
		t.Fatalf("fixture has consent (%v): the test proves nothing", err)
	}
	if r.Status != StatusProposed {
		t.Errorf("status %s, want proposed despite the missing consent", r.Status)
	}
}

// gdprFixture is a person with a closed referral, a note, a reminder, an
// attachment and an imported row; other is a second person with a note.
type gdprFixture struct {
	p, other Person
	ref      Referral
	att      Attachment
}

const gdprCV = "Curriculum de la persona: camarera en Caracas"

func newGDPRFixture(t *testing.T, s *Store) gdprFixture {
	t.Helper()
	var f gdprFixture
	f.ref = walk(t, s, FromAE, yes, include, route, closeJ)
	var err error
	if f.p, err = s.Person(f.ref.PersonID); err != nil {
		t.Fatal(err)
	}
	f.other = createPersonT(t, s, Person{FirstName: "Ahmed", LastName: "Benali Tazi"})
	for _, id := range []string{f.p.ID, f.other.ID} {
		e := Event{PersonID: id, At: fixedNow, Kind: EventCall, Text: "Llamada de seguimiento"}
		if err := s.AddEvent(&e, "x"); err != nil {
			t.Fatal(err)
		}
	}
	rem := Reminder{PersonID: f.p.ID, ReferralID: f.ref.ID, At: At(DateOf(fixedNow).AddDays(3), 9, 0), Text: "Pedir la TIE renovada"}
	if err := s.CreateReminder(&rem, "x"); err != nil {
		t.Fatal(err)
	}
	if f.att, err = s.AddAttachment(f.p.ID, "cv.txt", strings.NewReader(gdprCV), "CV"); err != nil {
		t.Fatal(err)
	}
	err = s.Batch("x", func(b *Batch) error {
		return b.MarkImported(strings.Repeat("ab", 32), f.p.ID, f.ref.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSubjectData(t *testing.T) {
	s, _ := openTest(t)
	f := newGDPRFixture(t, s)
	d, err := s.SubjectData(f.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := s.Timeline(f.p.ID)
	if d.Person.ID != f.p.ID || len(d.Events) != len(tl) || len(d.Events) < 6 || len(d.Referrals) != 1 ||
		len(d.Referrals[0].History) != 5 || len(d.Reminders) != 1 || len(d.Attachments) != 1 {
		t.Errorf("events %d (timeline %d), referrals %d, reminders %d, attachments %d",
			len(d.Events), len(tl), len(d.Referrals), len(d.Reminders), len(d.Attachments))
	}
	if len(d.Attachments) == 1 && string(d.Attachments[0].Content) != gdprCV {
		t.Errorf("attachment content %q", d.Attachments[0].Content)
	}
	if len(d.Audit) < 8 {
		t.Errorf("%d audit entries, want every write about the person", len(d.Audit))
	}
	for _, e := range d.Audit {
		if e.Subject != f.p.ID {
			t.Errorf("audit entry about %q", e.Subject)
		}
	}
	var buf bytes.Buffer
	if err := WriteSubjectJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"García de la Peña", "X1234567L", `"content_base64"`, `"history"`, `"audit"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON export lacks %s", want)
		}
	}
	if _, err := s.SubjectData("01ZZZZZZZZZZZZZZZZZZZZZZZZ"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown person: %v", err)
	}
}

func TestSubjectDataListsRIParticipation(t *testing.T) {
	s, _ := openTest(t)
	p, _ := riStoredProject(t, s)
	if err := s.SaveRIProject(&p, "x"); err != nil {
		t.Fatal(err)
	}
	id := p.Participants[0].PersonID
	d, err := s.SubjectData(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.RI) != 1 || d.RI[0].Expediente != "RI/12/2024" || d.RI[0].Participant.PersonID != id {
		t.Errorf("RI = %+v", d.RI)
	}
}
