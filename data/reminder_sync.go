package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Generated reminders. Store.SyncReminders keeps them in step with the
// records; these are its rules.
//
//   - Weekly follow-up (seguimiento): every referral included and still
//     open (incluida, derivada, en seguimiento) has one pending reminder,
//     due at 09:00 seven days after the latest of: the last contact with
//     the person (ContactKinds), the inclusion, and the last time this
//     follow-up was marked done. Closing or excluding the case removes it.
//   - Document expiry (caducidad): a NIE, TIE, student card or asylum
//     applicant's document with an expiry date gets one reminder per lead
//     time (LeadTimes, 60, 30 and 7 days by default), at 09:00 that many
//     days before. Of the lead times already past only the nearest is kept
//     (a person entered 20 days before expiry gets the 30-day one, overdue,
//     and the 7-day one; not the 60-day one too); a document that expired
//     more than 30 days ago gets no new ones. A new expiry date moves the
//     pending ones; DNI and passports get none.
//   - Programme dates (programa): with an end date, "prepare the
//     evaluation" 30 days before the end and "close the cases" 7 days
//     before, both at 09:00. None is created once the programme is over.
//   - RI deadlines (ri): each communication an RI project still owes
//     (RIProject.Deadlines: a participant's definitive leave, a
//     substitute's contract) is due at 09:00 on its last day; entering the
//     date it was reported removes it (see ri_reminders.go).
//
// Each generated reminder has a Key naming what it is about and a Basis
// naming the data it was made from (the expiry date, the follow-up's
// starting point). Per key there is at most one pending reminder, and none
// when one with the same basis is done: running the sync again, or after
// an edit, never duplicates. Done reminders are never changed or removed.
const (
	followUpDays    = 7
	expiredGrace    = 30
	generatedHour   = 9
	evaluationLead  = 30
	programmeLead   = 7
	keyLeadTimes    = "reminders.leadtimes"
	syncAuthor      = "Enlace (automático)"
	maxLeadTimes    = 6
	maxLeadTimeDays = 366
)

// DefaultLeadTimes are the days before a document expires at which
// Enlace reminds, unless the setting says otherwise.
var DefaultLeadTimes = []int{60, 30, 7}

// expiringDocs are the documents whose expiry Enlace watches.
var expiringDocs = []DocKind{DocNIE, DocTIE, DocStudent, DocAsylum}

// SyncReport says what a sync changed.
type SyncReport struct {
	Created, Moved, Removed int
}

// Changed reports whether the sync wrote anything.
func (r SyncReport) Changed() bool { return r.Created+r.Moved+r.Removed > 0 }

// SyncReminders creates, moves and removes the generated reminders so they
// match the records at now (see the rules above). It is idempotent and
// cheap when nothing changed (it writes nothing then). Run it when the
// program starts, after writes to people or referrals, and before listing.
func (s *Store) SyncReminders(now time.Time) (SyncReport, error) {
	return s.sync(func(tx *bolt.Tx) ([]syncOp, error) { return planSync(tx, now, "") })
}

// SyncPersonReminders is SyncReminders for one person's follow-ups and
// document only: what a save of that person or of their referrals needs.
func (s *Store) SyncPersonReminders(personID string, now time.Time) (SyncReport, error) {
	if personID == "" {
		return SyncReport{}, fmt.Errorf("sincronizar recordatorios: falta la persona")
	}
	return s.sync(func(tx *bolt.Tx) ([]syncOp, error) { return planSync(tx, now, personID) })
}

// Revision returns a number that changes whenever anything is written to
// the store (bbolt's last committed transaction ID). A watcher compares
// it to skip SyncReminders when nothing changed since the last run on the
// same day.
func (s *Store) Revision() (int, error) {
	var rev int
	err := s.view(func(tx *bolt.Tx) error {
		rev = tx.ID()
		return nil
	})
	return rev, err
}

// sync reconciles the generated reminders as plan says. It plans in a
// read-only transaction, so that the usual case, nothing to change, never
// holds the write lock; when there is something to do it plans again
// inside the write, as the records may have changed between.
func (s *Store) sync(planFn func(*bolt.Tx) ([]syncOp, error)) (SyncReport, error) {
	if s.ro {
		return SyncReport{}, nil // a read-only store lists what is there
	}
	var ops []syncOp
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		ops, err = planFn(tx)
		return err
	})
	if err != nil || len(ops) == 0 {
		return SyncReport{}, err
	}
	var rep SyncReport
	err = s.Batch(syncAuthor, func(b *Batch) error {
		ops, err := planFn(b.tx)
		if err != nil {
			return err
		}
		rep, err = b.applySync(ops)
		return err
	})
	return rep, err
}

// planSync compares the stored generated reminders of personID (all when
// "") with what the records ask for.
func planSync(tx *bolt.Tx, now time.Time, personID string) ([]syncOp, error) {
	have, err := generatedReminders(tx, personID)
	if err != nil {
		return nil, err
	}
	wants, err := wantedReminders(tx, now, personID, have)
	if err != nil {
		return nil, err
	}
	return plan(wants, have), nil
}

// want is a generated reminder as the records say it should be.
type want struct {
	Reminder
	create bool // false: keep or move an existing one, but make none
}

// wantedReminders computes the generated reminders of personID (all when
// "") from the records; have are those stored, by key.
func wantedReminders(tx *bolt.Tx, now time.Time, personID string, have map[string][]Reminder) ([]want, error) {
	today := WallOf(now).Day
	leads, err := leadTimes(tx)
	if err != nil {
		return nil, err
	}
	sort.Sort(sort.Reverse(sort.IntSlice(leads)))
	var wants []want
	err = eachPersonDoc(tx, personID, func(p *personDoc) {
		wants = append(wants, expiryWants(p, leads, today)...)
	})
	if err != nil {
		return nil, err
	}
	refs, err := openCases(tx, personID)
	if err != nil {
		return nil, err
	}
	for i := range refs {
		w, err := followUpWant(tx, &refs[i], have)
		if err != nil {
			return nil, err
		}
		wants = append(wants, w)
	}
	if personID == "" {
		prog := DefaultProgramme()
		if err := getJSON(tx, bucketConfig, keyProgramme, &prog); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		wants = append(wants, programmeWants(prog, today)...)
	}
	ri, err := riWants(tx, today, personID)
	if err != nil {
		return nil, err
	}
	return append(wants, ri...), nil
}

// personDoc is the part of a person the expiry rule reads.
type personDoc struct {
	ID        string  `json:"id"`
	DocKind   DocKind `json:"doc_kind"`
	DocNumber string  `json:"doc_number"`
	DocExpiry Date    `json:"doc_expiry"`
}

// eachPersonDoc calls fn for personID's document, or every person's.
func eachPersonDoc(tx *bolt.Tx, personID string, fn func(*personDoc)) error {
	if personID != "" {
		var p personDoc
		if err := getJSON(tx, bucketPeople, personID, &p); err != nil {
			return fmt.Errorf("persona %s: %w", personID, err)
		}
		fn(&p)
		return nil
	}
	noExpiry := []byte(`"doc_expiry":""`)
	return tx.Bucket(bucketPeople).ForEach(func(k, v []byte) error {
		plain, err := openValue(tx, bucketPeople, k, v)
		if err != nil {
			return fmt.Errorf("persona %s: %w", k, err)
		}
		if bytes.Contains(plain, noExpiry) {
			return nil // nothing to watch: skip the decoding
		}
		var p personDoc
		if err := json.Unmarshal(plain, &p); err != nil {
			return fmt.Errorf("persona %s: %w", k, err)
		}
		fn(&p)
		return nil
	})
}

// expiryWants applies the document-expiry rule to one person; leads are
// largest first.
func expiryWants(p *personDoc, leads []int, today Date) []want {
	if p.DocExpiry.IsZero() || !oneOf(p.DocKind, expiringDocs) {
		return nil
	}
	// A document expired more than expiredGrace days ago gets no new
	// reminders: the data is likely stale, and the ficha shows it in red.
	create := !p.DocExpiry.Before(today.AddDays(-expiredGrace))
	var out []want
	for i, lead := range leads {
		day := p.DocExpiry.AddDays(-lead)
		// Of the lead times already past, only the nearest one counts: on
		// the day the next warning is due this one goes, so an older
		// warning never stays live beside the newer one.
		if day.Before(today) && i+1 < len(leads) && !p.DocExpiry.AddDays(-leads[i+1]).After(today) {
			continue
		}
		// Once the date has passed the warning says so: a reminder still
		// open reads "caducó", not "caduca", the day after (the watcher
		// syncs again on a new day, and a changed text is rewritten).
		text := fmt.Sprintf("%s caduca el %s (aviso de %d días): ayudar a renovarlo.",
			docShort(p.DocKind), p.DocExpiry, lead)
		if p.DocExpiry.Before(today) {
			text = fmt.Sprintf("%s: caducó el %s; ayudar a renovarlo.", docShort(p.DocKind), p.DocExpiry)
		}
		out = append(out, want{create: create, Reminder: Reminder{
			PersonID: p.ID, Source: SourceExpiry,
			Key:   "caducidad:" + p.ID + ":" + strconv.Itoa(lead),
			Basis: p.DocExpiry.ISO(),
			At:    At(day, generatedHour, 0),
			Text:  text,
		}})
	}
	return out
}

// openCases returns the included, still-open referrals of personID (all
// people when "").
func openCases(tx *bolt.Tx, personID string) ([]Referral, error) {
	var ids [][]byte
	if personID != "" {
		c := tx.Bucket(bucketPersonRefs).Cursor()
		prefix := []byte(personID)
		for k, _ := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), personID); k, _ = c.Next() {
			ids = append(ids, slices.Clone(k[len(prefix):]))
		}
	} else {
		err := tx.Bucket(bucketReferrals).ForEach(func(k, _ []byte) error {
			ids = append(ids, slices.Clone(k))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []Referral
	for _, id := range ids {
		var r Referral
		if err := getJSON(tx, bucketReferrals, string(id), &r); err != nil {
			if errors.Is(err, ErrNotFound) {
				continue
			}
			return nil, fmt.Errorf("derivación %s: %w", id, err)
		}
		if oneOf(r.Status, []Status{StatusIncluded, StatusRouted, StatusFollowUp}) {
			out = append(out, r)
		}
	}
	return out, nil
}

// followUpWant applies the weekly follow-up rule to one open case.
func followUpWant(tx *bolt.Tx, r *Referral, have map[string][]Reminder) (want, error) {
	key := "seguimiento:" + r.ID
	// The same rule as the weekly follow-up (FollowUpDue): due 7 days
	// after the last contact, and at once when there has been none since
	// the case was included, so a case late there is a reminder here.
	last, err := lastContact(tx, r.PersonID)
	if err != nil {
		return want{}, err
	}
	base, days := last, followUpDays
	if last.IsZero() {
		base, days = r.Decided(), 0
		if base.IsZero() {
			base = r.UpdatedAt
		}
	}
	for _, g := range have[key] {
		if g.Done.After(base) {
			base, days = g.Done, followUpDays
		}
	}
	return want{create: true, Reminder: Reminder{
		PersonID: r.PersonID, ReferralID: r.ID, Source: SourceFollowUp, Key: key,
		Basis: base.UTC().Format(time.RFC3339Nano),
		At:    At(WallOf(base).Day.AddDays(days), generatedHour, 0),
		Text:  "Seguimiento semanal: contactar con la persona y anotar cómo va.",
	}}, nil
}

// programmeWants applies the programme-dates rule.
func programmeWants(p Programme, today Date) []want {
	if p.End.IsZero() {
		return nil
	}
	running := !p.End.Before(today)
	end := p.End.String()
	return []want{
		{create: running, Reminder: Reminder{
			Source: SourceProgramme, Key: "programa:evaluacion", Basis: p.End.ISO(),
			At:   At(p.End.AddDays(-evaluationLead), generatedHour, 0),
			Text: fmt.Sprintf("Preparar la evaluación del programa: termina el %s.", end),
		}},
		{create: running, Reminder: Reminder{
			Source: SourceProgramme, Key: "programa:fin", Basis: p.End.ISO(),
			At:   At(p.End.AddDays(-programmeLead), generatedHour, 0),
			Text: fmt.Sprintf("El programa termina el %s: cerrar los casos abiertos e informar a los técnicos que derivaron.", end),
		}},
	}
}

// generatedReminders returns the generated reminders of personID (every
// one when ""), by key.
func generatedReminders(tx *bolt.Tx, personID string) (map[string][]Reminder, error) {
	have := map[string][]Reminder{}
	mark := []byte(`"person_id":"` + personID + `"`)
	err := tx.Bucket(bucketReminders).ForEach(func(k, v []byte) error {
		plain, err := openValue(tx, bucketReminders, k, v)
		if err != nil {
			return fmt.Errorf("recordatorio %s: %w", k, err)
		}
		if personID != "" && !bytes.Contains(plain, mark) {
			return nil // not theirs: skip the decoding
		}
		var r Reminder
		if err := json.Unmarshal(plain, &r); err != nil {
			return fmt.Errorf("recordatorio %s: %w", k, err)
		}
		if r.Generated() && (personID == "" || r.PersonID == personID) {
			have[r.Key] = append(have[r.Key], r)
		}
		return nil
	})
	return have, err
}

// syncOp is one change a sync makes.
type syncOp struct {
	kind int // opCreate, opMove or opRemove
	r    Reminder
}

const (
	opCreate = iota
	opMove
	opRemove
)

// plan lists the changes that make the stored generated reminders (have,
// by key) match wants: per key at most one pending, none if one with the
// same basis is done; pending ones whose key is no longer wanted go. Done
// reminders are never touched.
func plan(wants []want, have map[string][]Reminder) []syncOp {
	var ops []syncOp
	wanted := make(map[string]bool, len(wants))
	for _, w := range wants {
		wanted[w.Key] = true
		var pending []Reminder
		done := false
		for _, r := range have[w.Key] {
			if r.Pending() {
				pending = append(pending, r)
			} else if r.Basis == w.Basis {
				done = true
			}
		}
		keep := !done && (len(pending) > 0 || w.create)
		for i, r := range pending {
			if !keep || i > 0 {
				ops = append(ops, syncOp{opRemove, r})
			}
		}
		switch {
		case !keep:
		case len(pending) == 0:
			ops = append(ops, syncOp{opCreate, w.Reminder})
		default:
			r := pending[0]
			if r.At == w.At && r.Basis == w.Basis && r.Text == w.Text && r.ReferralID == w.ReferralID {
				continue
			}
			if r.At != w.At {
				r.Snoozed = Wall{} // a snooze was for the old date
			}
			r.At, r.Basis, r.Text, r.ReferralID = w.At, w.Basis, w.Text, w.ReferralID
			ops = append(ops, syncOp{opMove, r})
		}
	}
	for key, rs := range have {
		if wanted[key] {
			continue
		}
		for _, r := range rs {
			if r.Pending() {
				ops = append(ops, syncOp{opRemove, r})
			}
		}
	}
	return ops
}

// applySync writes ops.
func (b *Batch) applySync(ops []syncOp) (SyncReport, error) {
	var rep SyncReport
	for _, op := range ops {
		r := op.r
		var err error
		switch op.kind {
		case opRemove:
			err = deleteValue(b.tx, bucketReminders, []byte(r.ID))
			rep.Removed++
		case opCreate:
			err = b.saveRecord(bucketReminders, &r.ID, &r.Stamp, &r)
			rep.Created++
		case opMove:
			err = b.saveRecord(bucketReminders, &r.ID, &r.Stamp, &r)
			rep.Moved++
		}
		if err != nil {
			return SyncReport{}, err
		}
	}
	return rep, nil
}
