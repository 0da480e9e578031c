package data

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testClock is a store clock the test moves; each reading adds a second.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { c.t = c.t.Add(time.Second); return c.t }

// set moves the clock to t (in Madrid when t has no location of its own).
func (c *testClock) set(t time.Time) { c.t = t }

// openClock opens a store under t.TempDir whose clock starts at start.
func openClock(t *testing.T, start time.Time) (*Store, *testClock) {
	t.Helper()
	c := &testClock{t: start}
	s, err := Open(filepath.Join(t.TempDir(), "enlace.db"), testOpts(&Options{Now: c.now}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, c
}

func mad(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, madrid)
}

func createPersonT(t *testing.T, s *Store, p Person) Person {
	t.Helper()
	if err := s.CreatePerson(&p, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReminderWallJSONAndParse(t *testing.T) {
	w := At(Date{2026, time.March, 29}, 9, 5)
	raw, err := json.Marshal(struct {
		W Wall `json:"w"`
		Z Wall `json:"z,omitzero"`
	}{W: w})
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"w":"2026-03-29T09:05"}` {
		t.Errorf("JSON = %s", raw)
	}
	var back struct{ W Wall }
	if err := json.Unmarshal([]byte(`{"W":"2026-03-29T09:05"}`), &back); err != nil || back.W != w {
		t.Errorf("round trip = %v, %v", back.W, err)
	}
	if w.String() != "29/03/2026 09:05" {
		t.Errorf("String = %q", w.String())
	}
	for _, tc := range []struct {
		in     string
		hh, mm int
		ok     bool
	}{
		{"09:00", 9, 0, true}, {"9:30", 9, 30, true}, {"17.45", 17, 45, true}, {"8", 8, 0, true},
		{"24:00", 0, 0, false}, {"9:5", 0, 0, false}, {"", 0, 0, false}, {"nueve", 0, 0, false}, {"12:60", 0, 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			hh, mm, err := ParseClock(tc.in)
			if (err == nil) != tc.ok || (tc.ok && (hh != tc.hh || mm != tc.mm)) {
				t.Errorf("ParseClock(%q) = %d, %d, %v", tc.in, hh, mm, err)
			}
		})
	}
}

// TestReminderRecurrenceDST checks that a repeating 09:00 reminder stays at
// 09:00 in Madrid on both sides of the changes of 2026: the last Sunday of
// March (29th, 02:00 CET → 03:00 CEST) and of October (25th, 03:00 CEST →
// 02:00 CET). The UTC hour is what moves.
func TestReminderRecurrenceDST(t *testing.T) {
	tests := []struct {
		name    string
		repeat  Repeat
		from    Date
		want    []Date
		utcHour []int // of each occurrence in want
	}{
		{"daily across March", RepeatDaily, Date{2026, time.March, 27},
			[]Date{{2026, time.March, 28}, {2026, time.March, 29}, {2026, time.March, 30}}, []int{8, 7, 7}},
		{"daily across October", RepeatDaily, Date{2026, time.October, 23},
			[]Date{{2026, time.October, 24}, {2026, time.October, 25}, {2026, time.October, 26}}, []int{7, 8, 8}},
		{"weekly across March", RepeatWeekly, Date{2026, time.March, 23},
			[]Date{{2026, time.March, 30}, {2026, time.April, 6}}, []int{7, 7}},
		{"weekly across October", RepeatWeekly, Date{2026, time.October, 19},
			[]Date{{2026, time.October, 26}, {2026, time.November, 2}}, []int{8, 8}},
		{"monthly on the 31st", RepeatMonthly, Date{2026, time.January, 31},
			[]Date{{2026, time.February, 28}, {2026, time.March, 31}, {2026, time.April, 30}, {2026, time.May, 31}}, []int{8, 7, 7, 7}},
		{"monthly on the 29th, leap year", RepeatMonthly, Date{2028, time.January, 29},
			[]Date{{2028, time.February, 29}, {2028, time.March, 29}}, []int{8, 7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Reminder{Repeat: tc.repeat, At: At(tc.from, 9, 0)}
			r.Normalize()
			for i, want := range tc.want {
				// Done a minute after it fell due: the next one comes.
				r.At = r.NextAfter(r.At.Time().Add(time.Minute))
				if r.At != At(want, 9, 0) {
					t.Fatalf("occurrence %d = %v, want %v 09:00", i+1, r.At, want)
				}
				inst := r.At.Time()
				if h := inst.In(madrid).Hour(); h != 9 {
					t.Errorf("%v is at %d:00 in Madrid", r.At, h)
				}
				if h := inst.UTC().Hour(); h != tc.utcHour[i] {
					t.Errorf("%v is at %d:00 UTC, want %d:00", r.At, h, tc.utcHour[i])
				}
			}
		})
	}
}

// TestReminderDailyAcrossDSTInStore completes a daily 09:00 reminder each
// morning across both changes and checks when it falls due by the clock.
func TestReminderDailyAcrossDSTInStore(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start Date // the Sunday of the change is start+1
	}{
		{"March", Date{2026, time.March, 28}},
		{"October", Date{2026, time.October, 24}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clock := openClock(t, mad(tc.start.Year, tc.start.Month, tc.start.Day, 8, 0))
			p := createPersonT(t, s, Person{FirstName: "Ana"})
			r := Reminder{PersonID: p.ID, At: At(tc.start, 9, 0), Repeat: RepeatDaily, Text: "Llamar"}
			if err := s.CreateReminder(&r, "Coordinación"); err != nil {
				t.Fatal(err)
			}
			for day := range 3 {
				d := tc.start.AddDays(day)
				nine := mad(d.Year, d.Month, d.Day, 9, 0)
				if n, _ := s.DueCount(nine.Add(-time.Minute)); n != 0 {
					t.Errorf("%v 08:59: %d due, want 0", d, n)
				}
				if n, _ := s.DueCount(nine); n != 1 {
					t.Errorf("%v 09:00: %d due, want 1", d, n)
				}
				clock.set(nine.Add(30 * time.Minute))
				got, err := s.CompleteReminder(r.ID, "", "Coordinación")
				if err != nil {
					t.Fatal(err)
				}
				if want := At(d.AddDays(1), 9, 0); got.At != want || !got.Pending() {
					t.Fatalf("after %v: next %v (pending %v), want %v", d, got.At, got.Pending(), want)
				}
			}
		})
	}
}

func TestReminderNonexistentAndRepeatedHours(t *testing.T) {
	gap := At(Date{2026, time.March, 29}, 2, 30).Time()
	if want := time.Date(2026, time.March, 29, 1, 30, 0, 0, time.UTC); !gap.Equal(want) {
		t.Errorf("02:30 on 29 March = %v, want %v (03:30 CEST)", gap, want)
	}
	twice := At(Date{2026, time.October, 25}, 2, 30).Time()
	if want := time.Date(2026, time.October, 25, 1, 30, 0, 0, time.UTC); !twice.Equal(want) {
		t.Errorf("02:30 on 25 October = %v, want %v (the CET one)", twice, want)
	}
	if w := WallOf(time.Date(2026, time.March, 29, 7, 0, 0, 0, time.UTC)); w != At(Date{2026, time.March, 29}, 9, 0) {
		t.Errorf("WallOf 07:00Z on 29 March = %v, want 09:00", w)
	}
}

func TestReminderCreateValidates(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	other := createPersonT(t, s, Person{FirstName: "Jorge"})
	ref := referralFixture(t, s, FromAE)
	if err := s.Propose(&ref, "Técnica AE"); err != nil {
		t.Fatal(err)
	}
	today := DateOf(fixedNow)
	tests := []struct {
		name  string
		r     Reminder
		field string
		err   error
	}{
		{"no person", Reminder{At: At(today, 12, 0), Text: "x"}, "PersonID", ErrInvalid},
		{"no text", Reminder{PersonID: p.ID, At: At(today, 12, 0), Text: "  "}, "Text", ErrInvalid},
		{"past day", Reminder{PersonID: p.ID, At: At(today.AddDays(-1), 12, 0), Text: "x"}, "At", ErrInvalid},
		{"bad hour", Reminder{PersonID: p.ID, At: At(today, 25, 0), Text: "x"}, "At", ErrInvalid},
		{"bad repeat", Reminder{PersonID: p.ID, At: At(today, 12, 0), Text: "x", Repeat: "anual"}, "Repeat", ErrInvalid},
		{"unknown person", Reminder{PersonID: "nadie", At: At(today, 12, 0), Text: "x"}, "", ErrNotFound},
		{"unknown staff", Reminder{PersonID: p.ID, At: At(today, 12, 0), Text: "x", Assignee: "nadie"}, "", ErrNotFound},
		{"someone else's referral", Reminder{PersonID: other.ID, ReferralID: ref.ID, At: At(today, 12, 0), Text: "x"}, "ReferralID", ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateReminder(&tc.r, "Coordinación")
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			var ve *ValidationError
			if tc.field != "" && (!errors.As(err, &ve) || ve.For(tc.field) == "") {
				t.Errorf("no message for %s in %v", tc.field, err)
			}
		})
	}
	if rs, _ := s.Reminders(ReminderFilter{Done: true}); len(rs) != 0 {
		t.Errorf("refused reminders were stored: %+v", rs)
	}
	// Earlier today is fine: it is simply due.
	ok := Reminder{PersonID: ref.PersonID, ReferralID: ref.ID, At: At(today, 8, 0), Text: " Pedir cita ", AssigneeText: " LAURA MARTÍN "}
	if err := s.CreateReminder(&ok, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	if ok.ID == "" || ok.Text != "Pedir cita" || ok.Source != SourceManual || ok.AssigneeText != "Laura Martín" || ok.CreatedBy != testName {
		t.Errorf("stored %+v", ok)
	}
}

func TestReminderCompleteWritesTimelineEvent(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	r := Reminder{PersonID: p.ID, At: At(DateOf(fixedNow), 9, 0), Text: "Llamar por la cita de huellas"}
	if err := s.CreateReminder(&r, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	done, err := s.CompleteReminder(r.ID, " Cita el 3 de diciembre ", "Laura")
	if err != nil {
		t.Fatal(err)
	}
	if done.Pending() || done.DoneBy != testName || done.DoneNote != "Cita el 3 de diciembre" {
		t.Errorf("completed = %+v", done)
	}
	tl, err := s.Timeline(p.ID, EventReminderDone)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 1 || tl[0].Author != testName ||
		tl[0].Text != "Recordatorio hecho: Llamar por la cita de huellas\nNota: Cita el 3 de diciembre" {
		t.Fatalf("timeline = %+v", tl)
	}
	if _, err := s.CompleteReminder(r.ID, "", "Laura"); !errors.Is(err, ErrInvalid) {
		t.Errorf("completing twice: %v", err)
	}
	if tl, _ := s.Timeline(p.ID, EventReminderDone); len(tl) != 1 {
		t.Errorf("a refused completion wrote an event: %d", len(tl))
	}
	if _, err := s.CompleteReminder("nada", "", "Laura"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	pending, _ := s.Reminders(ReminderFilter{})
	all, _ := s.Reminders(ReminderFilter{Done: true})
	if len(pending) != 0 || len(all) != 1 {
		t.Errorf("pending %d, with done %d", len(pending), len(all))
	}
}

func TestReminderSnooze(t *testing.T) {
	s, clock := openTest2(t)
	p := createPersonT(t, s, samplePerson())
	r := Reminder{PersonID: p.ID, At: At(DateOf(fixedNow), 9, 0), Text: "Revisar", Repeat: RepeatWeekly}
	if err := s.CreateReminder(&r, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	now := clock.now()
	tomorrow := r.SnoozeBy(now, 1)
	if tomorrow != At(DateOf(fixedNow).AddDays(1), 9, 0) {
		t.Errorf("SnoozeBy 1 = %v", tomorrow)
	}
	if _, err := s.SnoozeReminder(r.ID, At(DateOf(fixedNow), 9, 30), "Laura"); !errors.Is(err, ErrInvalid) {
		t.Errorf("snooze into the past: %v", err)
	}
	got, err := s.SnoozeReminder(r.ID, tomorrow, "Laura")
	if err != nil {
		t.Fatal(err)
	}
	if got.Due() != tomorrow || got.At != r.At || len(got.Snoozes) != 1 ||
		got.Snoozes[0].By != testName || got.Snoozes[0].From != r.At || got.Snoozes[0].Until != tomorrow {
		t.Errorf("snoozed = %+v", got)
	}
	if n, _ := s.DueCount(clock.now()); n != 0 {
		t.Errorf("a snoozed reminder counts as due: %d", n)
	}
	week := got.SnoozeBy(clock.now(), 7)
	got, err = s.SnoozeReminder(r.ID, week, "Pedro")
	if err != nil || len(got.Snoozes) != 2 || got.Due() != week {
		t.Fatalf("second snooze: %+v, %v", got, err)
	}
	// Done: a weekly reminder goes to its next occurrence, counted from
	// the occurrence and not from the snooze, and the snooze is dropped.
	got, err = s.CompleteReminder(r.ID, "", "Laura")
	if err != nil {
		t.Fatal(err)
	}
	if want := r.At.AddDays(7); got.At != want || !got.Snoozed.IsZero() || !got.Pending() {
		t.Errorf("after done: at %v snoozed %v pending %v, want %v", got.At, got.Snoozed, got.Pending(), want)
	}
}

// openTest2 is openTest with the clock exposed.
func openTest2(t *testing.T) (*Store, *testClock) { return openClock(t, fixedNow) }

func TestReminderViewsAndFilters(t *testing.T) {
	// Wednesday 25 November 2026, 10:00: the week runs 23–29 November.
	// Each view holds the one before it.
	s, _ := openClock(t, mad(2026, time.November, 20, 8, 0))
	p := createPersonT(t, s, samplePerson())
	staff := Staff{Name: "Laura Martín", Role: RoleTechnician, Email: "laura@madrid.es"}
	if err := s.SaveStaff(&staff, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	add := func(d Date, hh int, text, assignee string) {
		r := Reminder{PersonID: p.ID, At: At(d, hh, 0), Text: text, Assignee: assignee}
		if err := s.CreateReminder(&r, "Coordinación"); err != nil {
			t.Fatal(err)
		}
	}
	add(Date{2026, time.November, 23}, 9, "lunes", staff.ID)   // overdue, this week
	add(Date{2026, time.November, 21}, 9, "sábado", "")        // overdue, last week
	add(Date{2026, time.November, 25}, 9, "hoy antes", "")     // overdue, today
	add(Date{2026, time.November, 25}, 16, "hoy después", "")  // today
	add(Date{2026, time.November, 29}, 9, "domingo", staff.ID) // this week
	add(Date{2026, time.November, 30}, 9, "lunes que viene", "")
	now := fixedNow
	texts := func(f ReminderFilter) string {
		f.Now = now
		rs, err := s.Reminders(f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.Text)
		}
		return strings.Join(out, ", ")
	}
	for _, tc := range []struct {
		name string
		f    ReminderFilter
		want string
	}{
		{"overdue", ReminderFilter{View: ViewOverdue}, "sábado, lunes, hoy antes"},
		{"today", ReminderFilter{View: ViewToday}, "hoy después"},
		{"week", ReminderFilter{View: ViewWeek}, "domingo"},
		{"all", ReminderFilter{View: ViewAll}, "sábado, lunes, hoy antes, hoy después, domingo, lunes que viene"},
		{"assignee", ReminderFilter{Assignee: staff.ID}, "lunes, domingo"},
		{"unassigned overdue", ReminderFilter{View: ViewOverdue, Assignee: Unassigned}, "sábado, hoy antes"},
		{"other person", ReminderFilter{PersonID: "otra"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := texts(tc.f); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	c, err := s.CountReminders(now, "")
	if err != nil {
		t.Fatal(err)
	}
	// the first three views do not overlap: each reminder is triaged once
	if c[ViewOverdue] != 3 || c[ViewToday] != 1 || c[ViewWeek] != 1 || c[ViewAll] != 6 {
		t.Errorf("counts = %v", c)
	}
}

func TestReminderDeleteOnlyManual(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson()) // NIE expiring 31/01/2027: expiry reminders
	if _, err := s.SyncReminders(fixedNow); err != nil {
		t.Fatal(err)
	}
	gen, _ := s.Reminders(ReminderFilter{})
	if len(gen) == 0 {
		t.Fatal("no generated reminders")
	}
	if err := s.DeleteReminder(gen[0].ID, "Laura"); !errors.Is(err, ErrInvalid) {
		t.Errorf("deleting a generated one: %v", err)
	}
	r := Reminder{PersonID: p.ID, At: At(DateOf(fixedNow), 12, 0), Text: "Borrar"}
	if err := s.CreateReminder(&r, "Laura"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteReminder(r.ID, "Laura"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reminder(r.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("still there: %v", err)
	}
}

// TestReminderUnsnooze: Deshacer after Posponer puts the reminder back
// where it was, one snooze at a time, and only while nothing else
// happened to it.
func TestReminderUnsnooze(t *testing.T) {
	s, clock := openTest2(t)
	p := createPersonT(t, s, samplePerson())
	r := Reminder{PersonID: p.ID, At: At(DateOf(fixedNow), 9, 0), Text: "Revisar"}
	if err := s.CreateReminder(&r, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnsnoozeReminder(r.ID, "Laura"); !errors.Is(err, ErrInvalid) {
		t.Errorf("undo with no snooze: %v", err)
	}
	first := r.SnoozeBy(clock.now(), 1)
	if _, err := s.SnoozeReminder(r.ID, first, "Laura"); err != nil {
		t.Fatal(err)
	}
	second := r.SnoozeBy(clock.now(), 7)
	if _, err := s.SnoozeReminder(r.ID, second, "Laura"); err != nil {
		t.Fatal(err)
	}
	got, err := s.UnsnoozeReminder(r.ID, "Laura")
	if err != nil || got.Due() != first || len(got.Snoozes) != 1 {
		t.Fatalf("undo the second: due %v, %d snoozes, %v", got.Due(), len(got.Snoozes), err)
	}
	got, err = s.UnsnoozeReminder(r.ID, "Laura")
	if err != nil || got.Due() != r.At || !got.Snoozed.IsZero() || len(got.Snoozes) != 0 {
		t.Fatalf("undo the first: due %v, snoozed %v, %d snoozes, %v", got.Due(), got.Snoozed, len(got.Snoozes), err)
	}
	stored, _ := s.Reminder(r.ID)
	if stored.Due() != r.At {
		t.Errorf("stored due %v", stored.Due())
	}
	if _, err := s.SnoozeReminder(r.ID, first, "Laura"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteReminder(r.ID, "", "Laura"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnsnoozeReminder(r.ID, "Laura"); !errors.Is(err, ErrInvalid) {
		t.Errorf("undo after done: %v", err)
	}
}
