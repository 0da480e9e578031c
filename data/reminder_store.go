package data

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CreateReminder normalises and validates a manual reminder, gives it an
// ID and stores it, written by author. It returns a *ValidationError, or
// ErrNotFound when the person, the referral or the staff member named do
// not exist. r is updated in place with what was stored.
func (s *Store) CreateReminder(r *Reminder, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.CreateReminder(r) })
}

// CreateReminder is Store.CreateReminder inside a batch.
func (b *Batch) CreateReminder(r *Reminder) error {
	if err := b.allow(PermEditPeople); err != nil {
		return err
	}
	q := *r
	q.Source, q.Key, q.Basis = SourceManual, "", ""
	q.Snoozed, q.Snoozes, q.Done, q.DoneBy, q.DoneNote = Wall{}, nil, time.Time{}, "", ""
	q.Normalize()
	if err := q.Validate(WallOf(b.now).Day); err != nil {
		return err
	}
	if b.tx.Bucket(bucketPeople).Get([]byte(q.PersonID)) == nil {
		return fmt.Errorf("persona %s: %w", q.PersonID, ErrNotFound)
	}
	if q.ReferralID != "" {
		var ref Referral
		if err := getJSON(b.tx, bucketReferrals, q.ReferralID, &ref); err != nil {
			return fmt.Errorf("derivación %s: %w", q.ReferralID, err)
		}
		if ref.PersonID != q.PersonID {
			return &ValidationError{Fields: []FieldError{{Field: "ReferralID", Message: "La derivación elegida es de otra persona."}}}
		}
	}
	if q.Assignee != "" && b.tx.Bucket(bucketStaff).Get([]byte(q.Assignee)) == nil {
		return fmt.Errorf("personal %s: %w", q.Assignee, ErrNotFound)
	}
	q.ID = ""
	if err := b.saveRecord(bucketReminders, &q.ID, &q.Stamp, &q); err != nil {
		return err
	}
	*r = q
	return nil
}

// Reminder returns the reminder with id, or ErrNotFound.
func (s *Store) Reminder(id string) (Reminder, error) {
	var r Reminder
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketReminders, id, &r) })
	if err != nil {
		return Reminder{}, fmt.Errorf("recordatorio %s: %w", id, err)
	}
	return r, nil
}

// CompleteReminder marks the reminder with id done by author, with an
// optional note, and writes a "Recordatorio hecho" event on the person's
// timeline in the same transaction. A repeating reminder is not closed: it
// moves to its next occurrence after now (and any snooze is dropped). It
// returns the reminder as stored, ErrNotFound, or a *ValidationError when
// it was already done.
func (s *Store) CompleteReminder(id, note, author string) (Reminder, error) {
	var out Reminder
	err := s.Batch(author, func(b *Batch) error {
		var err error
		out, err = b.CompleteReminder(id, note)
		return err
	})
	return out, err
}

// CompleteReminder is Store.CompleteReminder inside a batch.
func (b *Batch) CompleteReminder(id, note string) (Reminder, error) {
	r, _, err := b.completeReminder(id, note, EventReminderDone)
	return r, err
}

// CallDone records that the call a reminder asks for was made: a
// Llamada on the person's timeline (which is the contact the weekly
// follow-up counts) and the reminder done, in one transaction. It is the
// one-click answer to "llamar a …"; what was said can be added to the
// timeline afterwards. It returns the reminder and the event as stored,
// ErrNotFound, or a *ValidationError for a reminder already done or not
// about a person.
func (s *Store) CallDone(id, author string) (Reminder, Event, error) {
	var r Reminder
	var e Event
	err := s.Batch(author, func(b *Batch) error {
		var err error
		r, e, err = b.completeReminder(id, "", EventCall)
		return err
	})
	return r, e, err
}

// completeReminder marks the reminder done, writing an event of kind on
// the person's timeline: "Recordatorio hecho: …", or for a call the call
// itself. The event is the zero Event for a reminder about no one.
func (b *Batch) completeReminder(id, note string, kind EventKind) (Reminder, Event, error) {
	var e Event
	if err := b.allow(PermEditPeople); err != nil {
		return Reminder{}, e, err
	}
	r, err := b.pendingReminder(id)
	if err != nil {
		return Reminder{}, e, err
	}
	note = strings.TrimSpace(note)
	if kind == EventCall && r.PersonID == "" {
		return Reminder{}, e, &ValidationError{Fields: []FieldError{{Field: "PersonID", Message: "Este recordatorio no es sobre una persona: no hay a quién anotar la llamada."}}}
	}
	if r.PersonID != "" {
		text := "Recordatorio hecho: " + r.Text
		if kind == EventCall {
			text = "Llamada hecha (" + r.Text + ")"
		}
		if note != "" {
			text += "\nNota: " + note
		}
		e = Event{PersonID: r.PersonID, At: b.now, Kind: kind, Text: text}
		if err := b.AddEvent(&e); err != nil {
			return Reminder{}, Event{}, err
		}
	}
	if r.Repeat != RepeatNone {
		r.At, r.Snoozed = r.NextAfter(b.now), Wall{}
	} else {
		r.Done, r.DoneBy, r.DoneNote = b.now, b.author, note
	}
	if err := b.saveRecord(bucketReminders, &r.ID, &r.Stamp, &r); err != nil {
		return Reminder{}, Event{}, err
	}
	return r, e, nil
}

// SnoozeReminder puts the reminder with id off until until, and records
// who did it and when. It returns ErrNotFound, or a *ValidationError when
// the reminder is done or until is not in the future.
func (s *Store) SnoozeReminder(id string, until Wall, author string) (Reminder, error) {
	return s.changePending(id, author, func(b *Batch, r *Reminder) error {
		if until.IsZero() || !until.Time().After(b.now) {
			return &ValidationError{Fields: []FieldError{{Field: "Snoozed", Message: "Elija una fecha y hora posteriores a ahora."}}}
		}
		r.Snoozes = append(r.Snoozes, Snooze{At: b.now, From: r.Due(), Until: until, By: b.author})
		r.Snoozed = until
		return nil
	})
}

// UnsnoozeReminder undoes the latest Posponer of the reminder with id:
// it is due again when it was before, and the snooze leaves its history.
// It returns ErrNotFound, or a *ValidationError when the reminder was
// done or put off again since (then there is nothing to undo).
func (s *Store) UnsnoozeReminder(id, author string) (Reminder, error) {
	return s.changePending(id, author, func(_ *Batch, r *Reminder) error {
		n := len(r.Snoozes)
		if n == 0 || r.Snoozed != r.Snoozes[n-1].Until {
			return &ValidationError{Fields: []FieldError{{Field: "Snoozed", Message: "Este recordatorio ya no está pospuesto: no hay nada que deshacer."}}}
		}
		last := r.Snoozes[n-1]
		r.Snoozes = r.Snoozes[:n-1]
		r.Snoozed = Wall{}
		if last.From != r.At {
			r.Snoozed = last.From // it had been put off before
		}
		return nil
	})
}

// changePending lets fn change the pending reminder with id and stores
// it, in one transaction; an error from fn stores nothing.
func (s *Store) changePending(id, author string, fn func(b *Batch, r *Reminder) error) (Reminder, error) {
	var out Reminder
	err := s.Batch(author, func(b *Batch) error {
		if err := b.allow(PermEditPeople); err != nil {
			return err
		}
		r, err := b.pendingReminder(id)
		if err != nil {
			return err
		}
		if err := fn(b, &r); err != nil {
			return err
		}
		out = r
		return b.saveRecord(bucketReminders, &out.ID, &out.Stamp, &out)
	})
	return out, err
}

// DeleteReminder removes a pending manual reminder that is no longer
// needed. Generated reminders cannot be deleted: they go when their reason
// does (a closed case, a renewed document). It returns ErrNotFound or a
// *ValidationError.
func (s *Store) DeleteReminder(id, author string) error {
	return s.Batch(author, func(b *Batch) error {
		if err := b.allow(PermEditPeople); err != nil {
			return err
		}
		r, err := b.pendingReminder(id)
		if err != nil {
			return err
		}
		if r.Generated() {
			return &ValidationError{Fields: []FieldError{{Field: "Source", Message: "Este recordatorio lo crea Enlace y desaparece solo cuando deja de hacer falta: márquelo como hecho."}}}
		}
		return deleteValue(b.tx, bucketReminders, []byte(id))
	})
}

// pendingReminder loads the reminder with id, refusing a done one.
func (b *Batch) pendingReminder(id string) (Reminder, error) {
	var r Reminder
	if err := getJSON(b.tx, bucketReminders, id, &r); err != nil {
		return Reminder{}, fmt.Errorf("recordatorio %s: %w", id, err)
	}
	if !r.Pending() {
		return Reminder{}, &ValidationError{Fields: []FieldError{{Field: "Done", Message: "Ese recordatorio ya está hecho."}}}
	}
	return r, nil
}

// Reminders returns the reminders f selects: the pending ones by due time,
// then (with f.Done) the done ones, most recently done first.
func (s *Store) Reminders(f ReminderFilter) ([]Reminder, error) {
	if f.Now.IsZero() {
		f.Now = s.now()
	}
	all, err := listAll[Reminder](s, bucketReminders)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for i := range all {
		if f.Match(&all[i]) {
			out = append(out, all[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		switch {
		case a.Pending() != b.Pending():
			return a.Pending()
		case !a.Pending():
			return a.Done.After(b.Done)
		}
		if c := a.Due().Compare(b.Due()); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
	return out, nil
}

// ReminderCounts is how many pending reminders each view holds.
type ReminderCounts map[ReminderView]int

// CountReminders counts the pending reminders of each view at now, for
// assignee ("" any, or Unassigned).
func (s *Store) CountReminders(now time.Time, assignee string) (ReminderCounts, error) {
	all, err := listAll[Reminder](s, bucketReminders)
	if err != nil {
		return nil, err
	}
	c := ReminderCounts{}
	for i := range all {
		for _, v := range ReminderViews {
			f := ReminderFilter{View: v, Now: now, Assignee: assignee}
			if f.Match(&all[i]) {
				c[v]++
			}
		}
	}
	return c, nil
}

// DueCount returns how many pending reminders have fallen due at now:
// the number shown in the navigation and the system tray.
func (s *Store) DueCount(now time.Time) (int, error) {
	c, err := s.CountReminders(now, "")
	return c[ViewOverdue], err
}

// LeadTimes returns the document-expiry lead times in days, largest first.
func (s *Store) LeadTimes() ([]int, error) {
	var days []int
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		days, err = leadTimes(tx)
		return err
	})
	return days, err
}

func leadTimes(tx *bolt.Tx) ([]int, error) {
	days := slices.Clone(DefaultLeadTimes)
	if err := getJSON(tx, bucketConfig, keyLeadTimes, &days); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("ajuste %s: %w", keyLeadTimes, err)
	}
	return days, nil
}

// SetLeadTimes stores the document-expiry lead times (1 to 366 days, at
// most 6, at least one). The next SyncReminders applies them. It returns
// a *ValidationError for anything else.
func (s *Store) SetLeadTimes(days []int, author string) error {
	if err := s.checkWrite(PermSettings, author); err != nil {
		return err
	}
	days = slices.Clone(days)
	slices.Sort(days)
	days = slices.Compact(days)
	slices.Reverse(days)
	switch {
	case len(days) == 0:
		return &ValidationError{Fields: []FieldError{{Field: "LeadTimes", Message: "Indique al menos un aviso, en días antes de la caducidad."}}}
	case len(days) > maxLeadTimes:
		return &ValidationError{Fields: []FieldError{{Field: "LeadTimes", Message: fmt.Sprintf("Como mucho %d avisos.", maxLeadTimes)}}}
	case days[len(days)-1] < 1 || days[0] > maxLeadTimeDays:
		return &ValidationError{Fields: []FieldError{{Field: "LeadTimes", Message: fmt.Sprintf("Cada aviso debe estar entre 1 y %d días antes de la caducidad.", maxLeadTimeDays)}}}
	}
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx, bucketConfig, keyLeadTimes, days) })
}
