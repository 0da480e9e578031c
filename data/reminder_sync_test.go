package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// generated lists the pending reminders of source as "key-suffix@when",
// sorted by due time.
func generated(t *testing.T, s *Store, src Source, done bool) []string {
	t.Helper()
	rs, err := s.Reminders(ReminderFilter{Done: done})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		if r.Source != src {
			continue
		}
		k := r.Key[strings.LastIndexByte(r.Key, ':')+1:]
		if !r.Pending() {
			k = "hecho " + k
		}
		out = append(out, k+"@"+r.Due().String())
	}
	return out
}

func mustSync(t *testing.T, s *Store, now time.Time) SyncReport {
	t.Helper()
	rep, err := s.SyncReminders(now)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestReminderExpiryLeadTimes applies the expiry rule to documents at
// several distances from their expiry, on 25 November 2026.
func TestReminderExpiryLeadTimes(t *testing.T) {
	today := DateOf(fixedNow)
	in := func(days int) Date { return today.AddDays(days) }
	on := func(d Date) string { return d.String() + " 09:00" }
	tests := []struct {
		name   string
		kind   DocKind
		number string
		expiry Date
		want   []string
	}{
		{"NIE in 67 days", DocNIE, "X1234567L", in(67), []string{"60@" + on(in(7)), "30@" + on(in(37)), "7@" + on(in(60))}},
		{"TIE in 45 days: the 60-day one overdue", DocTIE, "X1234567L", in(45), []string{"60@" + on(in(-15)), "30@" + on(in(15)), "7@" + on(in(38))}},
		{"student card in 20 days: not the 60-day one", DocStudent, "X1234567L", in(20), []string{"30@" + on(in(-10)), "7@" + on(in(13))}},
		{"NIE in 30 days: the 30-day one is due today, the 60-day one gone", DocNIE, "X1234567L", in(30), []string{"30@" + on(today), "7@" + on(in(23))}},
		{"asylum document in 3 days", DocAsylum, "ABC12345", in(3), []string{"7@" + on(in(-4))}},
		{"expired 10 days ago", DocNIE, "X1234567L", in(-10), []string{"7@" + on(in(-17))}},
		{"expired 40 days ago: stale", DocNIE, "X1234567L", in(-40), nil},
		{"DNI", DocDNI, "12345678Z", in(30), nil},
		{"passport", DocPassport, "PE1234567", in(30), nil},
		{"no expiry", DocNIE, "X1234567L", Date{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t)
			p := Person{FirstName: "Ana", DocKind: tc.kind, DocNumber: tc.number, DocExpiry: tc.expiry}
			createPersonT(t, s, p)
			mustSync(t, s, fixedNow)
			if got := generated(t, s, SourceExpiry, false); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			if rep := mustSync(t, s, fixedNow); rep.Changed() {
				t.Errorf("second sync changed %+v", rep)
			}
		})
	}
}

// TestReminderRenewedDocumentMovesReminders edits a person the way the
// ficha does and checks that the expiry reminders follow, never
// duplicate, and that done ones stay as history.
func TestReminderRenewedDocumentMovesReminders(t *testing.T) {
	s, clock := openTest2(t)
	p := createPersonT(t, s, samplePerson()) // NIE, expires 31/01/2027
	if rep := mustSync(t, s, fixedNow); rep.Created != 3 {
		t.Fatalf("first sync %+v, want 3 created", rep)
	}
	want := []string{"60@02/12/2026 09:00", "30@01/01/2027 09:00", "7@24/01/2027 09:00"}
	if got := generated(t, s, SourceExpiry, false); !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}

	// The 60-day one is done (the person was called), the 30-day one
	// snoozed; then the document is renewed until 2029.
	clock.set(mad(2026, time.December, 2, 9, 30))
	sixty := findKey(t, s, "caducidad:"+p.ID+":60")
	if _, err := s.CompleteReminder(sixty.ID, "Tiene cita", "Laura"); err != nil {
		t.Fatal(err)
	}
	thirty := findKey(t, s, "caducidad:"+p.ID+":30")
	if _, err := s.SnoozeReminder(thirty.ID, At(Date{2027, time.January, 8}, 9, 0), "Laura"); err != nil {
		t.Fatal(err)
	}
	now := clock.now()
	if rep := mustSync(t, s, now); rep.Changed() {
		t.Errorf("sync without edits changed %+v", rep)
	}
	p.DocExpiry = Date{2029, time.January, 15}
	if err := s.UpdatePerson(&p, "Laura"); err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, s, now)
	if rep != (SyncReport{Created: 1, Moved: 2}) {
		t.Errorf("after renewal %+v, want 1 created (60) and 2 moved (30, 7)", rep)
	}
	want = []string{"60@16/11/2028 09:00", "30@16/12/2028 09:00", "7@08/01/2029 09:00"}
	if got := generated(t, s, SourceExpiry, false); !slices.Equal(got, want) {
		t.Errorf("pending %q, want %q (the snooze dropped with the old date)", got, want)
	}
	if got := generated(t, s, SourceExpiry, true); len(got) != 4 || got[3] != "hecho 60@02/12/2026 09:00" {
		t.Errorf("with history %q", got)
	}
	for range 2 {
		if rep := mustSync(t, s, now); rep.Changed() {
			t.Errorf("repeated sync changed %+v", rep)
		}
	}

	// A DNI (nationality acquired) removes the pending ones; history stays.
	p.DocKind, p.DocNumber, p.DocExpiry = DocDNI, "12345678Z", Date{2036, time.March, 1}
	if err := s.UpdatePerson(&p, "Laura"); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, s, now); rep.Removed != 3 {
		t.Errorf("after DNI %+v, want 3 removed", rep)
	}
	if got := generated(t, s, SourceExpiry, true); !slices.Equal(got, []string{"hecho 60@02/12/2026 09:00"}) {
		t.Errorf("left %q", got)
	}
}

func findKey(t *testing.T, s *Store, key string) Reminder {
	t.Helper()
	rs, err := s.Reminders(ReminderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no pending reminder %s", key)
	return Reminder{}
}

func TestReminderLeadTimesSetting(t *testing.T) {
	s, _ := openTest(t)
	createPersonT(t, s, samplePerson())
	if got, _ := s.LeadTimes(); !slices.Equal(got, []int{60, 30, 7}) {
		t.Errorf("default %v", got)
	}
	for _, bad := range [][]int{nil, {0}, {400}, {1, 2, 3, 4, 5, 6, 7}} {
		if err := s.SetLeadTimes(bad, "Laura"); err == nil {
			t.Errorf("SetLeadTimes(%v) accepted", bad)
		}
	}
	if err := s.SetLeadTimes([]int{15, 90, 15}, "Laura"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LeadTimes(); !slices.Equal(got, []int{90, 15}) {
		t.Errorf("stored %v", got)
	}
	mustSync(t, s, fixedNow)
	// 31/01/2027: 90 days before is 02/11/2026, past, and 15 is still to come.
	want := []string{"90@02/11/2026 09:00", "15@16/01/2027 09:00"}
	if got := generated(t, s, SourceExpiry, false); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestReminderWeeklyFollowUp follows one included case: its reminder is
// due at once with no contact, then follows the last contact and the last
// follow-up done, and goes when the case is closed.
func TestReminderWeeklyFollowUp(t *testing.T) {
	s, clock := openTest2(t)
	r := walk(t, s, FromAE, yes, include) // included on 25/11/2026
	mustSync(t, s, fixedNow)
	// No contact yet: due at once, as the weekly follow-up lists it.
	if got, want := generated(t, s, SourceFollowUp, false), []string{r.ID + "@25/11/2026 09:00"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	fu := findKey(t, s, "seguimiento:"+r.ID)
	if fu.PersonID != r.PersonID || fu.ReferralID != r.ID {
		t.Errorf("follow-up %+v", fu)
	}

	// A call on the 27th moves it to 4 December; a note does not count.
	clock.set(mad(2026, time.November, 27, 11, 0))
	for _, k := range []EventKind{EventCall, EventNote} {
		e := Event{PersonID: r.PersonID, At: clock.now(), Kind: k, Text: "Hablamos"}
		if err := s.AddEvent(&e, "Laura"); err != nil {
			t.Fatal(err)
		}
	}
	if rep := mustSync(t, s, clock.now()); rep != (SyncReport{Moved: 1}) {
		t.Errorf("after the call %+v", rep)
	}
	if got := generated(t, s, SourceFollowUp, false); !slices.Equal(got, []string{r.ID + "@04/12/2026 09:00"}) {
		t.Errorf("after the call %q", got)
	}

	// Done on the 4th: the next one is a week after that.
	clock.set(mad(2026, time.December, 4, 9, 15))
	if _, err := s.CompleteReminder(fu.ID, "Sin novedad", "Laura"); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, s, clock.now()); rep != (SyncReport{Created: 1}) {
		t.Errorf("after done %+v", rep)
	}
	want := []string{r.ID + "@11/12/2026 09:00", "hecho " + r.ID + "@04/12/2026 09:00"}
	if got := generated(t, s, SourceFollowUp, true); !slices.Equal(got, want) {
		t.Errorf("after done %q, want %q", got, want)
	}
	if rep := mustSync(t, s, clock.now()); rep.Changed() {
		t.Errorf("repeated sync %+v", rep)
	}

	// Routed and followed up: still one. Closed: the pending one goes.
	if _, err := s.Apply(r.ID, route, "Laura"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(r.ID, follow, "Laura"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, s, clock.now())
	if got := generated(t, s, SourceFollowUp, false); len(got) != 1 {
		t.Errorf("in follow-up %q", got)
	}
	if _, err := s.Apply(r.ID, closeJ, "Laura"); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, s, clock.now()); rep.Removed != 1 {
		t.Errorf("after close %+v", rep)
	}
	if got := generated(t, s, SourceFollowUp, true); !slices.Equal(got, []string{"hecho " + r.ID + "@04/12/2026 09:00"}) {
		t.Errorf("after close %q", got)
	}
}

func TestReminderRevisionSkipsIdleSyncs(t *testing.T) {
	s, _ := openTest(t)
	r0, _ := s.Revision()
	mustSync(t, s, fixedNow)
	if r1, _ := s.Revision(); r1 != r0 {
		t.Errorf("a sync with nothing to do wrote: revision %d → %d", r0, r1)
	}
	p := createPersonT(t, s, samplePerson())
	r1, _ := s.Revision()
	if r1 == r0 {
		t.Error("a write left the revision as it was")
	}
	mustSync(t, s, fixedNow)
	r2, _ := s.Revision()
	mustSync(t, s, fixedNow)
	if r3, _ := s.Revision(); r2 == r1 || r3 != r2 {
		t.Errorf("revisions %d, %d, %d: the sync for %s should write once", r1, r2, r3, p.ID)
	}
}

func TestReminderNoFollowUpBeforeInclusion(t *testing.T) {
	s, _ := openTest(t)
	walk(t, s, FromAE, yes)
	walk(t, s, FromAE, yes, exclude)
	mustSync(t, s, fixedNow)
	if got := generated(t, s, SourceFollowUp, true); len(got) != 0 {
		t.Errorf("follow-ups for cases not included: %q", got)
	}
}

func TestReminderProgrammeDates(t *testing.T) {
	s, _ := openTest(t)
	prog, _ := s.Programme()
	prog.Start, prog.End = Date{2026, time.September, 1}, Date{2027, time.June, 30}
	if err := s.SaveProgramme(prog, "Laura"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, s, fixedNow)
	want := []string{"evaluacion@31/05/2027 09:00", "fin@23/06/2027 09:00"}
	if got := generated(t, s, SourceProgramme, false); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	prog.End = Date{2027, time.July, 31}
	if err := s.SaveProgramme(prog, "Laura"); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, s, fixedNow); rep != (SyncReport{Moved: 2}) {
		t.Errorf("moved end %+v", rep)
	}
	// A programme already over gets none.
	prog.End = Date{2026, time.October, 31}
	if err := s.SaveProgramme(prog, "Laura"); err != nil {
		t.Fatal(err)
	}
	s2, _ := openTest(t)
	if err := s2.SaveProgramme(prog, "Laura"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, s2, fixedNow)
	if got := generated(t, s2, SourceProgramme, false); len(got) != 0 {
		t.Errorf("ended programme: %q", got)
	}
}

// TestReminderPersonSyncTouchesOnlyThatPerson checks the cheap sync the
// ficha runs after a save.
func TestReminderPersonSyncTouchesOnlyThatPerson(t *testing.T) {
	s, _ := openTest(t)
	var ids []string
	for i := range 3 {
		p := samplePerson()
		p.FirstName = fmt.Sprintf("Persona %d", i)
		ids = append(ids, createPersonT(t, s, p).ID)
	}
	rep, err := s.SyncPersonReminders(ids[1], fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 3 {
		t.Errorf("person sync %+v, want 3", rep)
	}
	rs, _ := s.Reminders(ReminderFilter{})
	for _, r := range rs {
		if r.PersonID != ids[1] {
			t.Errorf("reminder for another person: %+v", r)
		}
	}
	if rep := mustSync(t, s, fixedNow); rep.Created != 6 {
		t.Errorf("full sync %+v, want 6 more", rep)
	}
}

// FuzzReminderNextAfter checks, for any start day and repetition, that the
// next occurrence is after now, at the same wall-clock time, and that a
// monthly one falls on its day or the last day of a shorter month.
func FuzzReminderNextAfter(f *testing.F) {
	f.Add(2026, 3, 28, 9, 0, 1, 2)
	f.Add(2026, 10, 24, 9, 0, 2, 10)
	f.Add(2026, 1, 31, 2, 30, 3, 40)
	f.Fuzz(func(t *testing.T, y, m, d, hh, mm, rep, after int) {
		day := Date{2000 + nonNeg(y)%100, time.Month(1 + nonNeg(m)%12), 1 + nonNeg(d)%31}
		if day.Day > daysIn(day.Month, day.Year) {
			return
		}
		r := Reminder{At: At(day, nonNeg(hh)%24, nonNeg(mm)%60), Repeat: Repeats[1+nonNeg(rep)%3]}
		r.Normalize()
		now := r.At.Time().Add(time.Duration(nonNeg(after)%2000) * time.Hour)
		next := r.NextAfter(now)
		if !next.Time().After(now) || next.Hour != r.At.Hour || next.Minute != r.At.Minute {
			t.Fatalf("%+v after %v: %v", r, now, next)
		}
		if r.Repeat == RepeatMonthly && next.Day.Day != min(day.Day, daysIn(next.Day.Month, next.Day.Year)) {
			t.Fatalf("monthly from %v: %v", day, next)
		}
	})
}

// nonNeg maps any int to a non-negative one.
func nonNeg(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// A 60-day warning not yet ticked off goes when the 30-day one for the
// same document comes due: the list never shows two warnings for one
// document.
func TestReminderExpiryOlderWarningGoes(t *testing.T) {
	s, _ := openTest(t)
	today := DateOf(fixedNow)
	p := Person{FirstName: "Ana", DocKind: DocNIE, DocNumber: "X1234567L", DocExpiry: today.AddDays(31)}
	createPersonT(t, s, p)
	mustSync(t, s, fixedNow)
	if got := generated(t, s, SourceExpiry, false); len(got) != 3 || !strings.HasPrefix(got[0], "60@") {
		t.Fatalf("a day before the 30-day warning: %q, want the 60-day one still there", got)
	}
	rep := mustSync(t, s, fixedNow.AddDate(0, 0, 1))
	got := generated(t, s, SourceExpiry, false)
	if rep.Removed != 1 || len(got) != 2 || !strings.HasPrefix(got[0], "30@") {
		t.Errorf("on the day of the 30-day warning: %+v, %q; want the 60-day one removed", rep, got)
	}
}

// Every case late in the weekly follow-up is a due reminder: the two
// lists a coordinator sees agree.
func TestReminderFollowUpAgreesWithWeeklyList(t *testing.T) {
	s, clock := openTest2(t)
	fresh := walk(t, s, FromAE, yes, include) // no contact at all
	old := walk(t, s, FromAE, yes, include)
	recent := walk(t, s, FromAE, yes, include)
	for _, c := range []struct {
		r    Referral
		days int
	}{{old, 10}, {recent, 2}} {
		e := Event{PersonID: c.r.PersonID, At: clock.now().AddDate(0, 0, -c.days), Kind: EventCall, Text: "Llamada"}
		if err := s.AddEvent(&e, "Laura"); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, s, clock.now())
	late, err := s.FollowUpDue(clock.now())
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.Reminders(ReminderFilter{View: ViewOverdue, Now: clock.now()})
	if err != nil {
		t.Fatal(err)
	}
	var lateIDs, dueIDs []string
	for _, it := range late {
		lateIDs = append(lateIDs, it.Referral.ID)
	}
	for _, r := range due {
		if r.Source == SourceFollowUp {
			dueIDs = append(dueIDs, r.ReferralID)
		}
	}
	slices.Sort(lateIDs)
	slices.Sort(dueIDs)
	want := []string{fresh.ID, old.ID}
	slices.Sort(want)
	if !slices.Equal(lateIDs, want) || !slices.Equal(dueIDs, want) {
		t.Errorf("late in the weekly list %q, due follow-up reminders %q; want both %q", lateIDs, dueIDs, want)
	}
}

// TestReminderCallDoneIsTheContact: "Llamada hecha" on the follow-up
// writes a call (a contact, unlike "Recordatorio hecho"), closes the
// reminder, and the next follow-up is a week after the call; Seguimiento
// semanal no longer lists the case.
func TestReminderCallDoneIsTheContact(t *testing.T) {
	s, clock := openTest2(t)
	r := walk(t, s, FromAE, yes, include)
	mustSync(t, s, fixedNow)
	fu := findKey(t, s, "seguimiento:"+r.ID)
	clock.set(mad(2026, time.November, 26, 10, 30))
	done, e, err := s.CallDone(fu.ID, "Laura")
	if err != nil {
		t.Fatal(err)
	}
	if done.Pending() || e.Kind != EventCall || e.PersonID != r.PersonID || !strings.HasPrefix(e.Text, "Llamada hecha") {
		t.Fatalf("done %+v, event %+v", done, e)
	}
	if last, _ := s.LastContact(r.PersonID); !last.Equal(e.At) {
		t.Errorf("last contact %v, want the call at %v", last, e.At)
	}
	if tl, _ := s.Timeline(r.PersonID, EventReminderDone); len(tl) != 0 {
		t.Errorf("the call also wrote a 'Recordatorio hecho': %+v", tl)
	}
	mustSync(t, s, clock.now())
	if got := generated(t, s, SourceFollowUp, false); !slices.Equal(got, []string{r.ID + "@03/12/2026 09:00"}) {
		t.Errorf("next follow-up %q, want a week after the call", got)
	}
	if items, _ := s.FollowUpDue(clock.now()); len(items) != 0 {
		t.Errorf("Seguimiento semanal still lists the case: %+v", items)
	}
	if _, _, err := s.CallDone(fu.ID, "Laura"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a second click: %v", err)
	}
}

// TestReminderExpiryTextAfterTheDate: a warning still open after the
// document's date says it expired, not that it expires on a past day.
func TestReminderExpiryTextAfterTheDate(t *testing.T) {
	s, _ := openTest(t)
	today := DateOf(fixedNow)
	p := Person{FirstName: "Ana", DocKind: DocNIE, DocNumber: "X1234567L", DocExpiry: today.AddDays(2)}
	createPersonT(t, s, p)
	texts := func() []string {
		rs, err := s.Reminders(ReminderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			if r.Source == SourceExpiry {
				out = append(out, r.Text)
			}
		}
		return out
	}
	mustSync(t, s, fixedNow)
	want := fmt.Sprintf("NIE caduca el %s (aviso de 7 días): ayudar a renovarlo.", p.DocExpiry)
	if got := texts(); !slices.Contains(got, want) {
		t.Fatalf("before the date: %q, want %q", got, want)
	}
	mustSync(t, s, fixedNow.AddDate(0, 0, 3))
	want = fmt.Sprintf("NIE: caducó el %s; ayudar a renovarlo.", p.DocExpiry)
	if got := texts(); len(got) == 0 || !slices.Contains(got, want) || slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, " caduca el ") }) {
		t.Errorf("the day after the date: %q, want %q and no «caduca el»", got, want)
	}
}
