package data

import (
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Batch writes several records in one transaction: all of them or none.
// It is what single-record methods use too, so every write takes the same
// path (normalise, validate, stamp, store, index).
type Batch struct {
	s      *Store
	tx     *bolt.Tx
	author string
	now    time.Time
	cards  []PersonCard // to index once the transaction commits
}

// Batch runs fn with a Batch in one read-write transaction. Every record
// it writes is signed by the unlocked user, whatever author says (author
// names the writer only on a file being converted, which has no user
// yet). If fn returns an error nothing is written and the index is
// unchanged.
func (s *Store) Batch(author string, fn func(b *Batch) error) error {
	if u := s.User(); u.Name != "" {
		author = u.Name
	}
	if err := checkAuthor(author); err != nil {
		return err
	}
	b := &Batch{s: s, author: author, now: s.now()}
	err := s.update(func(tx *bolt.Tx) error {
		b.tx = tx
		return fn(b)
	})
	if err != nil {
		return err
	}
	s.changeIndex(func(ix *searchIndex) {
		for _, c := range b.cards {
			ix.put(c)
		}
	})
	return nil
}

// CreatePerson normalises and validates p, gives it an ID and stores it.
func (b *Batch) CreatePerson(p *Person) error {
	if p.ID != "" {
		return fmt.Errorf("crear persona: ya tiene identificador %s", p.ID)
	}
	return b.savePerson(p, true, false)
}

// UpdatePerson stores p over the record with the same ID (ErrNotFound if
// there is none), keeping its creation stamp and its indicators: those
// change only through SetIndicator, so a form opened before an indicator
// was ticked cannot undo it.
func (b *Batch) UpdatePerson(p *Person) error { return b.savePerson(p, false, true) }

// savePerson writes p; keepIndicators takes the stored record's indicators
// over p's.
func (b *Batch) savePerson(p *Person, create, keepIndicators bool) error {
	if err := b.allow(PermEditPeople); err != nil {
		return err
	}
	p.Normalize()
	if err := p.Validate(MadridDate(b.now)); err != nil {
		return err
	}
	q := *p
	if create {
		q.ID, q.Stamp = b.s.newID(), Stamp{}
	} else {
		var old Person
		if err := getJSON(b.tx, bucketPeople, q.ID, &old); err != nil {
			return fmt.Errorf("persona %s: %w", q.ID, err)
		}
		q.Stamp = old.Stamp // creation fields are not the caller's to change
		if keepIndicators {
			q.Indicators = old.Indicators
		}
	}
	q.touch(b.author, b.now)
	if err := putJSON(b.tx, bucketPeople, q.ID, &q); err != nil {
		return err
	}
	card := q.Card()
	if err := putJSON(b.tx, bucketCards, q.ID, card); err != nil {
		return err
	}
	b.cards = append(b.cards, card)
	*p = q
	return nil
}

// AddEvent validates e and appends it to its person's timeline. A
// correction (e.Corrects set) must name an event on the same timeline.
func (b *Batch) AddEvent(e *Event) error {
	if err := b.allow(PermEditPeople); err != nil {
		return err
	}
	e.Text = strings.TrimSpace(e.Text)
	if err := e.Validate(b.now); err != nil {
		return err
	}
	q := *e
	q.ID, q.Author, q.Written, q.CorrectedBy = b.s.newID(), b.author, b.now, nil
	if b.tx.Bucket(bucketPeople).Get([]byte(q.PersonID)) == nil {
		return fmt.Errorf("persona %s: %w", q.PersonID, ErrNotFound)
	}
	if q.Corrects != "" {
		if _, err := findEvent(b.tx, q.PersonID, q.Corrects); err != nil {
			return err
		}
	}
	if err := putJSON(b.tx, bucketEvents, string(eventKey(q.PersonID, q.At, q.ID)), &q); err != nil {
		return err
	}
	*e = q
	return nil
}

// SaveOffice validates and stores o, giving it an ID when it has none.
func (b *Batch) SaveOffice(o *Office) error {
	if err := b.allow(PermOffices); err != nil {
		return err
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	q := *o
	if q.Liaison != "" && b.tx.Bucket(bucketStaff).Get([]byte(q.Liaison)) == nil {
		return fmt.Errorf("técnico de enlace %s: %w", q.Liaison, ErrNotFound)
	}
	if err := b.saveRecord(bucketOffices, &q.ID, &q.Stamp, &q); err != nil {
		return err
	}
	*o = q
	return nil
}

// SaveStaff validates and stores st, giving it an ID when it has none. It
// returns ErrNotFound when st.OfficeID names no office.
func (b *Batch) SaveStaff(st *Staff) error {
	if err := b.allow(PermOffices); err != nil {
		return err
	}
	st.Normalize()
	if err := st.Validate(); err != nil {
		return err
	}
	q := *st
	if q.OfficeID != "" && b.tx.Bucket(bucketOffices).Get([]byte(q.OfficeID)) == nil {
		return fmt.Errorf("oficina %s: %w", q.OfficeID, ErrNotFound)
	}
	if err := b.saveRecord(bucketStaff, &q.ID, &q.Stamp, &q); err != nil {
		return err
	}
	*st = q
	return nil
}

// saveRecord gives a new record an ID, keeps an existing record's creation
// stamp, stamps the write and stores v (which holds *id and *st).
func (b *Batch) saveRecord(bucket []byte, id *string, st *Stamp, v any) error {
	if *id == "" {
		*id, *st = b.s.newID(), Stamp{}
	} else {
		var old struct{ Stamp }
		if err := getJSON(b.tx, bucket, *id, &old); err != nil {
			return fmt.Errorf("%s %s: %w", bucket, *id, err)
		}
		*st = old.Stamp
	}
	st.touch(b.author, b.now)
	return putJSON(b.tx, bucket, *id, v)
}
