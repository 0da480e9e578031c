package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Store reads for the statistics and exports in package reports: each
// reads many records in one transaction, where a loop over Person or
// Timeline would open one per record.

// PeopleByID returns the people with the given IDs, keyed by ID, read in
// one transaction. IDs that name nobody are left out of the map (a
// referral outlives nothing today, but a report must not fail on one
// dangling ID); repeated IDs are read once.
func (s *Store) PeopleByID(ids []string) (map[string]Person, error) {
	uniq := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	out := make(map[string]Person, len(uniq))
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPeople)
		found := uniq[:0:0]
		keys := make([][]byte, 0, len(uniq))
		raws := make([][]byte, 0, len(uniq)) // valid until the transaction ends
		for _, id := range uniq {
			if v := b.Get([]byte(id)); v != nil {
				found = append(found, id)
				keys, raws = append(keys, []byte(id)), append(raws, v)
			}
		}
		people := make([]Person, len(raws))
		if err := decodeParallel(tx, bucketPeople, keys, raws, people); err != nil {
			return err
		}
		for i, id := range found {
			out[id] = people[i]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("leer personas: %w", err)
	}
	return out, nil
}

// EachPerson calls fn with every person, in the order they were created,
// inside one read transaction; it stops at and returns fn's first error.
// The *Person is fn's to keep.
func (s *Store) EachPerson(fn func(p *Person) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPeople).ForEach(func(k, v []byte) error {
			var p Person
			if err := decodeValue(tx, bucketPeople, k, v, &p); err != nil {
				return fmt.Errorf("persona %s: %w", k, err)
			}
			return fn(&p)
		})
	})
}

// ContactQuery asks for the first contact with a person at or after a time.
type ContactQuery struct {
	PersonID string
	Since    time.Time
}

// FirstContacts answers each query with the time of the person's first
// contact event (ContactKinds: call, e-mail, visit, interview) at or after
// Since, or the zero time when there has been none. It reads every
// timeline in one transaction, each from Since on, so the cost is one
// seek per query however long the timelines are.
func (s *Store) FirstContacts(qs []ContactQuery) ([]time.Time, error) {
	out := make([]time.Time, len(qs))
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEvents).Cursor()
		for i, q := range qs {
			t, err := firstContact(c, q)
			if err != nil {
				return fmt.Errorf("historial de %s: %w", q.PersonID, err)
			}
			out[i] = t
		}
		return nil
	})
	return out, err
}

// firstContact walks q.PersonID's timeline forward from q.Since to the
// first contact event. It reads the time from the key and the kind with a
// byte search, without decoding the event: "kind" is the first key of
// that name in the JSON (a string value cannot hold an unescaped quote).
func firstContact(c *bolt.Cursor, q ContactQuery) (time.Time, error) {
	prefix := []byte(q.PersonID)
	start := prefix
	if !q.Since.IsZero() {
		start = binary.BigEndian.AppendUint64(append([]byte{}, prefix...), uint64(q.Since.UnixNano()))
	}
	for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) < len(prefix)+8 {
			continue
		}
		plain, err := openValue(c.Bucket().Tx(), bucketEvents, k, v)
		if err != nil {
			return time.Time{}, err
		}
		kind, err := eventKind(plain)
		if err != nil {
			return time.Time{}, fmt.Errorf("evento %s: %w", k[len(prefix)+8:], err)
		}
		if oneOf(kind, ContactKinds) {
			at := int64(binary.BigEndian.Uint64(k[len(prefix):]))
			return time.Unix(0, at), nil
		}
	}
	return time.Time{}, nil
}

var kindKey = []byte(`"kind":"`)

// eventKind returns the kind of the stored event v.
func eventKind(v []byte) (EventKind, error) {
	i := bytes.Index(v, kindKey)
	if i < 0 {
		return "", errors.New("evento sin tipo")
	}
	rest := v[i+len(kindKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", errors.New("evento mal formado")
	}
	return EventKind(rest[:j]), nil
}

// ReferralsDated returns the referrals dated from..to (both included; a
// zero end is open) in no particular order. It is Referrals for reports
// over many referrals: it decodes on every CPU and does not sort.
func (s *Store) ReferralsDated(from, to Date) ([]Referral, error) {
	f := ReferralFilter{From: from, To: to}
	var out []Referral
	err := s.view(func(tx *bolt.Tx) error {
		var keys, raws [][]byte // valid until the transaction ends
		err := tx.Bucket(bucketReferrals).ForEach(func(k, v []byte) error {
			keys, raws = append(keys, k), append(raws, v)
			return nil
		})
		if err != nil {
			return err
		}
		all := make([]Referral, len(raws))
		if err := decodeParallel(tx, bucketReferrals, keys, raws, all); err != nil {
			return fmt.Errorf("derivaciones: %w", err)
		}
		out = all[:0]
		for i := range all {
			if f.match(&all[i]) {
				out = append(out, all[i])
			}
		}
		return nil
	})
	return out, err
}
