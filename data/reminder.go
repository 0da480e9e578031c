package data

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Madrid returns the Europe/Madrid time zone, in which every reminder is
// due, or time.Local when the system has no zone database (cmd/enlace
// embeds one with time/tzdata, so the binary always has it).
func Madrid() *time.Location { return loadMadrid() }

var loadMadrid = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Madrid"); err == nil {
		return loc
	}
	return time.Local
})

// Wall is a Madrid wall-clock date and time, to the minute: what a
// coordinator means by "el lunes a las 09:00". Reminders keep their time as
// a Wall, not as an instant, so a reminder at 09:00 stays at 09:00 across
// the daylight-saving changes (last Sunday of March and of October). The
// zero Wall means "not set".
type Wall struct {
	Day    Date
	Hour   int // 0–23
	Minute int // 0–59
}

// WallOf returns the Madrid wall clock at instant t, to the minute.
func WallOf(t time.Time) Wall {
	t = t.In(Madrid())
	return Wall{Day: DateOf(t), Hour: t.Hour(), Minute: t.Minute()}
}

// At returns day at hh:mm, Madrid time.
func At(day Date, hh, mm int) Wall { return Wall{Day: day, Hour: hh, Minute: mm} }

// IsZero reports whether w is unset.
func (w Wall) IsZero() bool { return w == Wall{} }

// Time returns the instant w names. On the last Sunday of March the hour
// from 02:00 to 02:59 does not exist in Madrid: such a time is taken as
// the same time after the change (02:30 is 03:30 CEST). On the last Sunday
// of October 02:00–02:59 happens twice: Go's time.Date takes the second
// one (CET). Generated reminders are at 09:00, far from either.
func (w Wall) Time() time.Time {
	return time.Date(w.Day.Year, w.Day.Month, w.Day.Day, w.Hour, w.Minute, 0, 0, Madrid())
}

// Compare returns -1, 0 or +1 as w is before, equal to or after v.
func (w Wall) Compare(v Wall) int {
	if c := w.Day.Compare(v.Day); c != 0 {
		return c
	}
	return cmp(w.Hour*60+w.Minute, v.Hour*60+v.Minute)
}

// AddDays returns w moved n calendar days, at the same wall-clock time.
func (w Wall) AddDays(n int) Wall {
	w.Day = w.Day.AddDays(n)
	return w
}

// Clock writes w's time of day as hh:mm.
func (w Wall) Clock() string { return fmt.Sprintf("%02d:%02d", w.Hour, w.Minute) }

// String writes w as dd/mm/aaaa hh:mm, or "" for the zero Wall.
func (w Wall) String() string {
	if w.IsZero() {
		return ""
	}
	return w.Day.String() + " " + w.Clock()
}

// MarshalText writes w as aaaa-mm-ddThh:mm (empty for the zero Wall): a
// local time with no offset, on purpose.
func (w Wall) MarshalText() ([]byte, error) {
	if w.IsZero() {
		return []byte{}, nil
	}
	return []byte(w.Day.ISO() + "T" + w.Clock()), nil
}

// UnmarshalText reads aaaa-mm-ddThh:mm; the empty string is the zero Wall.
func (w *Wall) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*w = Wall{}
		return nil
	}
	day, clock, ok := strings.Cut(string(b), "T")
	var d Date
	if err := d.UnmarshalText([]byte(day)); err != nil || !ok {
		return fmt.Errorf("fecha y hora %q no válida", b)
	}
	h, m, err := ParseClock(clock)
	if err != nil {
		return fmt.Errorf("fecha y hora %q: %w", b, err)
	}
	*w = Wall{Day: d, Hour: h, Minute: m}
	return nil
}

// ParseClock reads a time of day typed as hh:mm (also h:mm, hh.mm or just
// hh). The error is a Spanish sentence for the user.
func ParseClock(s string) (hh, mm int, err error) {
	s = strings.TrimSpace(s)
	h, m, found := strings.Cut(strings.Replace(s, ".", ":", 1), ":")
	if !found {
		m = "00"
	}
	hh, errH := strconv.Atoi(h)
	mm, errM := strconv.Atoi(m)
	if s == "" || errH != nil || errM != nil || len(h) > 2 || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, fmt.Errorf("La hora «%s» no es válida: escríbala como hh:mm, por ejemplo 09:30.", userText(s))
	}
	return hh, mm, nil
}

// Repeat is how often a manual reminder comes back once done.
type Repeat string

// Repetitions. A monthly reminder set on the 29th, 30th or 31st falls on
// the last day of shorter months and goes back to its day after them.
const (
	RepeatNone    Repeat = ""
	RepeatDaily   Repeat = "diaria"
	RepeatWeekly  Repeat = "semanal"
	RepeatMonthly Repeat = "mensual"
)

// Repeats lists the choices in display order.
var Repeats = []Repeat{RepeatNone, RepeatDaily, RepeatWeekly, RepeatMonthly}

// Label returns the repetition's Spanish name.
func (r Repeat) Label() string {
	switch r {
	case RepeatNone:
		return "No se repite"
	case RepeatDaily:
		return "Cada día"
	case RepeatWeekly:
		return "Cada semana"
	case RepeatMonthly:
		return "Cada mes"
	}
	return string(r)
}

// Source says where a reminder comes from.
type Source string

// Sources. Only manual reminders are written by people; the others are
// kept in step with the records by Store.SyncReminders.
const (
	SourceManual    Source = "manual"
	SourceFollowUp  Source = "seguimiento" // weekly follow-up of an included case
	SourceExpiry    Source = "caducidad"   // identity document about to expire
	SourceProgramme Source = "programa"    // programme evaluation and end
	SourceRI        Source = "ri"          // RI programme: a leave or a replacement to communicate
)

// Label returns the source's Spanish name.
func (s Source) Label() string {
	switch s {
	case SourceManual:
		return "Manual"
	case SourceFollowUp:
		return "Seguimiento semanal"
	case SourceExpiry:
		return "Caducidad de documento"
	case SourceProgramme:
		return "Fechas del programa"
	case SourceRI:
		return "Plazo del programa RI"
	}
	return string(s)
}

// Reminder is something to do at a given time, usually about one person
// (and possibly one of their referrals), for someone. A repeating reminder
// is one record that moves to its next occurrence each time it is done;
// the timeline keeps the record of each time.
type Reminder struct {
	ID         string `json:"id"`
	PersonID   string `json:"person_id,omitempty"`   // empty only for programme reminders
	ReferralID string `json:"referral_id,omitempty"` // optional

	At        Wall   `json:"at"`                   // the occurrence due (Madrid wall clock)
	Snoozed   Wall   `json:"snoozed,omitzero"`     // put off to; zero when not snoozed
	Repeat    Repeat `json:"repeat,omitempty"`     // manual reminders only
	RepeatDay int    `json:"repeat_day,omitempty"` // monthly: the day of the month asked for

	Text         string `json:"text"`
	Assignee     string `json:"assignee,omitempty"`      // staff ID of who must do it
	AssigneeText string `json:"assignee_text,omitempty"` // a name, when not on the staff list

	Source Source `json:"source"`
	Key    string `json:"key,omitempty"`   // generated: what it is about, e.g. "caducidad:<person>:30"
	Basis  string `json:"basis,omitempty"` // generated: the data it was made from (an expiry date…)

	Done     time.Time `json:"done,omitzero"` // zero while pending
	DoneBy   string    `json:"done_by,omitempty"`
	DoneNote string    `json:"done_note,omitempty"`
	Snoozes  []Snooze  `json:"snoozes,omitempty"`
	Stamp
}

// Snooze records one putting-off of a reminder.
type Snooze struct {
	At    time.Time `json:"at"`    // when it was put off
	From  Wall      `json:"from"`  // when it was due
	Until Wall      `json:"until"` // the new time
	By    string    `json:"by"`
}

// Due returns when the reminder is due: the snooze time if it was put off,
// else its occurrence.
func (r *Reminder) Due() Wall {
	if !r.Snoozed.IsZero() {
		return r.Snoozed
	}
	return r.At
}

// Pending reports whether the reminder is still to do.
func (r *Reminder) Pending() bool { return r.Done.IsZero() }

// IsDue reports whether a pending reminder has fallen due at now.
func (r *Reminder) IsDue(now time.Time) bool {
	return r.Pending() && !r.Due().Time().After(now)
}

// Generated reports whether Enlace made the reminder from the records.
func (r *Reminder) Generated() bool { return r.Source != SourceManual }

// next returns the occurrence after at for the reminder's repetition.
func (r *Reminder) next(at Wall) Wall {
	switch r.Repeat {
	case RepeatDaily:
		return at.AddDays(1)
	case RepeatWeekly:
		return at.AddDays(7)
	case RepeatMonthly:
		y, m := at.Day.Year, at.Day.Month+1
		if m > 12 {
			y, m = y+1, 1
		}
		day := r.RepeatDay
		if day == 0 {
			day = at.Day.Day
		}
		at.Day = Date{y, m, min(day, daysIn(m, y))}
		return at
	}
	return at
}

// NextAfter returns the first occurrence of a repeating reminder due after
// now, counting from its current occurrence (missed ones are skipped: one
// "done" covers them). A reminder that does not repeat returns its At.
func (r *Reminder) NextAfter(now time.Time) Wall {
	if r.Repeat == RepeatNone {
		return r.At
	}
	at := r.next(r.At)
	for !at.Time().After(now) {
		at = r.next(at)
	}
	return at
}

// SnoozeBy returns the time n days after today (Madrid) at the reminder's
// due time of day: "1 día" and "1 semana" in the GUI.
func (r *Reminder) SnoozeBy(now time.Time, days int) Wall {
	due := r.Due()
	return At(WallOf(now).Day.AddDays(days), due.Hour, due.Minute)
}

// Normalize tidies what was typed.
func (r *Reminder) Normalize() {
	r.Text = strings.TrimSpace(r.Text)
	r.AssigneeText = ProperCase(strings.TrimSpace(r.AssigneeText))
	if r.Repeat == RepeatMonthly && r.RepeatDay == 0 {
		r.RepeatDay = r.At.Day.Day
	}
	if r.Repeat != RepeatMonthly {
		r.RepeatDay = 0
	}
}

// Validate checks a manual reminder about to be created and returns a
// *ValidationError or nil. today bounds the date: a reminder cannot be
// set on a day already past.
func (r *Reminder) Validate(today Date) error {
	var pr problems
	if r.PersonID == "" {
		pr.add("PersonID", "Elija la persona del recordatorio.")
	}
	if r.Text == "" {
		pr.add("Text", "Escriba qué hay que hacer.")
	} else if len([]rune(r.Text)) > 2000 {
		pr.add("Text", "El texto es demasiado largo: como mucho 2.000 caracteres.")
	}
	switch {
	case r.At.Day.IsZero():
		pr.add("At", "Falta la fecha del recordatorio.")
	case r.At.Hour < 0 || r.At.Hour > 23 || r.At.Minute < 0 || r.At.Minute > 59:
		pr.add("At", "La hora no es válida: escríbala como hh:mm.")
	case r.At.Day.Before(today):
		pr.add("At", "La fecha del recordatorio ya ha pasado.")
	}
	if !oneOf(r.Repeat, Repeats) {
		pr.add("Repeat", fmt.Sprintf("La repetición «%s» no es una de las opciones.", r.Repeat))
	}
	return pr.err()
}

// ReminderView selects reminders by when they are due.
type ReminderView string

// The views of the Recordatorios screen. The first three do not overlap,
// so a coordinator triages each reminder once: what is overdue, what is
// still to come today, and what comes later this week; Todos has every
// pending one. Weeks run Monday to Sunday.
const (
	ViewOverdue ReminderView = "vencidos" // due at or before now (Vencidos)
	ViewToday   ReminderView = "hoy"      // due later today (Hoy)
	ViewWeek    ReminderView = "semana"   // due after today, by the end of Sunday (Resto de la semana)
	ViewAll     ReminderView = "todos"    // every pending reminder (Todos)
)

// ReminderViews lists the views in display order.
var ReminderViews = []ReminderView{ViewOverdue, ViewToday, ViewWeek, ViewAll}

// Label returns the view's Spanish name.
func (v ReminderView) Label() string {
	switch v {
	case ViewOverdue:
		return "Vencidos"
	case ViewToday:
		return "Hoy"
	case ViewWeek:
		return "Resto de la semana"
	case ViewAll:
		return "Todos"
	}
	return string(v)
}

// Has reports whether a pending reminder due at due belongs in view v at
// now. An empty view is ViewAll.
func (v ReminderView) Has(due Wall, now time.Time) bool {
	today := WallOf(now).Day
	switch v {
	case ViewOverdue:
		return !due.Time().After(now)
	case ViewToday:
		return due.Time().After(now) && !due.Day.After(today)
	case ViewWeek:
		sunday := today.AddDays(6 - (int(today.Time(time.UTC).Weekday())+6)%7)
		return due.Day.After(today) && !due.Day.After(sunday)
	}
	return true
}

// Unassigned is the ReminderFilter.Assignee that selects reminders for
// nobody in particular (all generated ones).
const Unassigned = "-"

// ReminderFilter selects reminders; the zero value selects every pending
// one.
type ReminderFilter struct {
	View     ReminderView // "" is ViewAll
	Now      time.Time    // for the views; zero is the store's clock
	Assignee string       // staff ID or name; Unassigned; "" any
	PersonID string       // "" any
	Done     bool         // completed ones too (newest first, after the pending)
}

// Match reports whether f selects r; f.Now must be set for the views.
func (f *ReminderFilter) Match(r *Reminder) bool {
	switch {
	case !r.Pending() && !f.Done:
	case r.Pending() && !f.View.Has(r.Due(), f.Now):
	case f.PersonID != "" && r.PersonID != f.PersonID:
	case f.Assignee == Unassigned && (r.Assignee != "" || r.AssigneeText != ""):
	case f.Assignee != "" && f.Assignee != Unassigned && r.Assignee != f.Assignee && r.AssigneeText != f.Assignee:
	default:
		return true
	}
	return false
}

// docShort is a document's short name: "TIE", not the long label.
func docShort(k DocKind) string {
	s, _, _ := strings.Cut(k.Label(), " (")
	return s
}
