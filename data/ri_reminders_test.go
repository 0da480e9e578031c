package data

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// riReminders lists the pending RI reminders as "kind@due", by due time.
func riReminders(t *testing.T, s *Store) []string {
	t.Helper()
	rs, err := s.Reminders(ReminderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		if r.Source == SourceRI {
			parts := strings.Split(r.Key, ":")
			out = append(out, parts[2]+"@"+r.Due().String())
		}
	}
	return out
}

// TestRIDeadlineReminders saves a project the way the Programa RI screen
// does and checks that its deadlines become reminders that move, go when
// reported and go with the project, on Wednesday 25 November 2026.
func TestRIDeadlineReminders(t *testing.T) {
	s, _ := openTest2(t)
	p, names := riStoredProject(t, s)
	p.Year, p.CallYear = 2026, 2026
	p.Tutors[0].ContractStart, p.Tutors[0].ContractEnd = ymd(2026, time.January, 5), ymd(2027, time.April, 4)
	for i := range p.Participants {
		p.Participants[i].ContractStart, p.Participants[i].ContractEnd = ymd(2026, time.November, 2), ymd(2027, time.November, 1)
	}
	save := func() {
		t.Helper()
		if err := s.SaveRIProject(&p, "Coordinación"); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string, want ...string) {
		t.Helper()
		if got := riReminders(t, s); !slices.Equal(got, want) {
			t.Errorf("%s: RI reminders %q, want %q", step, got, want)
		}
	}
	save()
	check("no leave, no substitute")

	// Rosa leaves on Friday 27 November: 5 calendar days, until Wednesday
	// 2 December.
	rosa, omar := p.Participants[0].PersonID, p.Participants[1].PersonID
	p.Participants[0].Leave = ymd(2026, time.November, 27)
	save()
	check("leave", "baja@02/12/2026 09:00")

	// Her substitute and a substitute tutor are hired on Friday 4
	// December: 5 working days skip the weekend and the holidays of
	// Monday 7 (Constitución, moved) and Tuesday 8 (Inmaculada).
	sub := Person{FirstName: "Ana", LastName: "Ruiz Solís"}
	if err := s.CreatePerson(&sub, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	p.Participants = append(p.Participants, RIParticipant{PersonID: sub.ID, Alternance: true, Group: 4, Replaces: rosa,
		ContractStart: ymd(2026, time.December, 4), ContractEnd: ymd(2027, time.November, 1)})
	p.Tutors = append(p.Tutors, RITutor{Name: "Pablo Núñez Vera", DNI: "87654321X", Degree: RIDegreeSocialWork, ExperienceYears: 2,
		MarketKnowledge: true, ContractStart: ymd(2026, time.December, 4), Replaces: p.Tutors[0].ID})
	p.Tutors[0].Leave = ymd(2026, time.December, 3)
	save()
	check("substitutes", "baja@02/12/2026 09:00", "sustitucion@15/12/2026 09:00", "sustitucion_tutor@15/12/2026 09:00")

	// No reminder names anybody; the participants' are on the person.
	rs, err := s.Reminders(ReminderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		for _, n := range append(names, sub.FullName(), "Pablo", "Lucía") {
			if strings.Contains(r.Text, n) {
				t.Errorf("reminder text %q names %q", r.Text, n)
			}
		}
		if !strings.HasPrefix(r.Text, "Expediente RI/12/2026: comunicar") {
			t.Errorf("reminder text %q does not start with the expediente", r.Text)
		}
		if want := map[string]string{"baja": rosa, "sustitucion": sub.ID, "sustitucion_tutor": ""}[strings.Split(r.Key, ":")[2]]; r.PersonID != want {
			t.Errorf("%s is on person %q, want %q", r.Key, r.PersonID, want)
		}
	}

	// A later leave moves the reminder: Monday 30 November + 5 days is
	// Saturday 5 December, so it is due on Friday 4.
	p.Participants[0].Leave = ymd(2026, time.November, 30)
	save()
	check("leave moved", "baja@04/12/2026 09:00", "sustitucion@15/12/2026 09:00", "sustitucion_tutor@15/12/2026 09:00")

	// Other syncs keep them: the whole one, and one person's.
	if rep := mustSync(t, s, fixedNow); rep.Changed() {
		t.Errorf("SyncReminders after the save changed %+v", rep)
	}
	for _, id := range []string{rosa, omar, sub.ID} {
		if rep, err := s.SyncPersonReminders(id, fixedNow); err != nil || rep.Changed() {
			t.Errorf("SyncPersonReminders(%s) = %+v, %v; want no change", id, rep, err)
		}
	}

	// Reporting the leave removes its reminder; a done reminder stays done.
	p.Participants[0].LeaveReported = ymd(2026, time.December, 1)
	save()
	check("leave reported", "sustitucion@15/12/2026 09:00", "sustitucion_tutor@15/12/2026 09:00")
	tutorRem := findKey(t, s, "ri:"+p.ID+":sustitucion_tutor:"+p.Tutors[1].ID)
	if _, err := s.CompleteReminder(tutorRem.ID, "Anexo II-bis enviado", "Coordinación"); err != nil {
		t.Fatal(err)
	}
	save()
	check("tutor's done", "sustitucion@15/12/2026 09:00")

	// Without the December holidays the fifth working day is Friday 11.
	hol, err := s.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	hol = slices.DeleteFunc(hol, func(h Holiday) bool {
		return h.Date == ymd(2026, time.December, 7) || h.Date == ymd(2026, time.December, 8)
	})
	if err := s.SaveHolidays(hol, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	check("holidays edited", "sustitucion@11/12/2026 09:00")

	if err := s.DeleteRIProject(p.ID, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	check("project deleted")
	if _, err := s.RIProject(p.ID); err == nil {
		t.Error("the deleted project is still there")
	}
	if err := s.DeleteRIProject(p.ID, "Coordinación"); err == nil {
		t.Error("deleting it twice: no error")
	}
	if done := generated(t, s, SourceRI, true); len(done) != 1 || !strings.HasPrefix(done[0], "hecho ") {
		t.Errorf("done RI reminders %q, want the tutor's kept as history", done)
	}
}

func TestRISourceLabel(t *testing.T) {
	if got := SourceRI.Label(); got != "Plazo del programa RI" {
		t.Errorf("SourceRI.Label() = %q", got)
	}
}
