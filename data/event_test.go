package data

import (
	"errors"
	"testing"
	"time"
)

func TestTimelineNewestFirstWithCorrections(t *testing.T) {
	s, _ := openTest(t)
	p := samplePerson()
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatal(err)
	}
	add := func(kind EventKind, at time.Time, text string) Event {
		t.Helper()
		e := Event{PersonID: p.ID, Kind: kind, At: at, Text: text}
		if err := s.AddEvent(&e, "Ana"); err != nil {
			t.Fatalf("AddEvent(%s): %v", text, err)
		}
		return e
	}
	call := add(EventCall, fixedNow.Add(-48*time.Hour), "Llamada: cita el lunes")
	add(EventNote, fixedNow.Add(-24*time.Hour), "Trae el NIE")
	// Backdated: written last, happened first.
	add(EventVisit, fixedNow.Add(-72*time.Hour), "Primera visita")

	fix := Event{Kind: EventCall, At: call.At, Text: "Llamada: cita el martes, no el lunes"}
	if err := s.CorrectEvent(p.ID, call.ID, &fix, "Luis"); err != nil {
		t.Fatalf("CorrectEvent: %v", err)
	}
	tl, err := s.Timeline(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range tl {
		texts = append(texts, e.Text)
	}
	want := []string{"Trae el NIE", "Llamada: cita el martes, no el lunes", "Llamada: cita el lunes", "Primera visita"}
	if len(texts) != len(want) {
		t.Fatalf("timeline = %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Fatalf("timeline = %q, want %q", texts, want)
		}
	}
	if len(tl[2].CorrectedBy) != 1 || tl[2].CorrectedBy[0] != fix.ID || tl[1].Corrects != call.ID {
		t.Errorf("correction not linked: %+v / %+v", tl[1], tl[2])
	}
	if tl[1].Author != testName || tl[1].Written.IsZero() {
		t.Errorf("correction not stamped: %+v", tl[1])
	}
	calls, _ := s.Timeline(p.ID, EventCall)
	if len(calls) != 2 {
		t.Errorf("filter by call: %d events", len(calls))
	}
}

func TestEventRefusals(t *testing.T) {
	s, _ := openTest(t)
	p := samplePerson()
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		e    Event
		want error
	}{
		{"unknown person", Event{PersonID: "nobody", Kind: EventNote, At: fixedNow, Text: "x"}, ErrNotFound},
		{"no text", Event{PersonID: p.ID, Kind: EventNote, At: fixedNow, Text: "  "}, ErrInvalid},
		{"no kind", Event{PersonID: p.ID, At: fixedNow, Text: "x"}, ErrInvalid},
		{"next week", Event{PersonID: p.ID, Kind: EventNote, At: fixedNow.Add(7 * 24 * time.Hour), Text: "x"}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.AddEvent(&tc.e, "Ana"); !errors.Is(err, tc.want) {
				t.Errorf("AddEvent = %v, want %v", err, tc.want)
			}
		})
	}
	bad := Event{Kind: EventNote, At: fixedNow, Text: "x"}
	if err := s.CorrectEvent(p.ID, "no-such-event", &bad, "Ana"); !errors.Is(err, ErrNotFound) {
		t.Errorf("correcting a missing event = %v, want ErrNotFound", err)
	}
	if tl, _ := s.Timeline(p.ID); len(tl) != 0 {
		t.Errorf("refused events were written: %+v", tl)
	}
}
