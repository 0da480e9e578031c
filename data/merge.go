package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// MergePeople merges the person dropID into keepID: the same person
// registered twice (at two offices while offline, typically, which sync
// then brings together). keepID keeps its values; the fields it lacks
// are taken from dropID. Every timeline entry, referral, reminder and
// attachment of dropID moves to keepID, and dropID is removed. With sync
// on, the merge is an operation of its own (person.merge), so every
// install makes the same merge, and changes to dropID made elsewhere
// before it go to keepID's history.
func (s *Store) MergePeople(keepID, dropID, author string) error {
	if err := s.Allow(PermDecide); err != nil {
		return err
	}
	if keepID == dropID || keepID == "" || dropID == "" {
		return fmt.Errorf("fusionar: elija dos fichas distintas")
	}
	err := s.Batch(author, func(b *Batch) error {
		var keep, drop Person
		if err := getJSON(b.tx, bucketPeople, keepID, &keep); err != nil {
			return fmt.Errorf("persona %s: %w", keepID, err)
		}
		if err := getJSON(b.tx, bucketPeople, dropID, &drop); err != nil {
			return fmt.Errorf("persona %s: %w", dropID, err)
		}
		fillEmpty(&keep, &drop)
		if err := b.UpdatePerson(&keep); err != nil {
			return err
		}
		if err := movePersonRecords(b.tx, dropID, keepID, true); err != nil {
			return err
		}
		if err := removePersonOnly(b.tx, dropID); err != nil {
			return err
		}
		if err := recordMerge(b.tx, keepID, dropID); err != nil {
			return err
		}
		device := string(b.tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
		if device == "" {
			return nil
		}
		op, err := s.newOp(b.tx, device, s.User().Login, OpPersonMerge, dropID, dropID)
		if err != nil {
			return err
		}
		op.Data, _ = json.Marshal(map[string]string{"into": keepID})
		return putOutbox(b.tx, op)
	})
	if err != nil {
		return err
	}
	s.changeIndex(func(ix *searchIndex) { ix.remove(dropID) })
	return nil
}

// fillEmpty copies into keep every field drop has and keep lacks (the
// zero value), but the ID and the record's stamps.
func fillEmpty(keep, drop *Person) {
	kv, dv := reflect.ValueOf(keep).Elem(), reflect.ValueOf(drop).Elem()
	for i := range kv.NumField() {
		name := kv.Type().Field(i).Name
		if name == "ID" || name == "Stamp" || !kv.Field(i).CanSet() {
			continue
		}
		if kv.Field(i).IsZero() && !dv.Field(i).IsZero() {
			kv.Field(i).Set(dv.Field(i))
		}
	}
}

// movePersonRecords moves from's timeline, referrals, reminders and
// attachments to to. With capture, the moved timeline entries and
// referrals are written as this install's changes (so they sync); without
// it (applying another install's merge) only the local tables move, and
// what syncs arrives as the other install's operations.
func movePersonRecords(tx *bolt.Tx, from, to string, capture bool) error {
	type kv struct{ k, v []byte }
	collect := func(bucket []byte) ([]kv, error) {
		var out []kv
		p := []byte(from)
		c := tx.Bucket(bucket).Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			out = append(out, kv{bytes.Clone(k), bytes.Clone(v)})
		}
		return out, nil
	}
	events, _ := collect(bucketEvents)
	for _, e := range events {
		var ev Event
		if err := decodeValue(tx, bucketEvents, e.k, e.v, &ev); err != nil {
			return err
		}
		if err := tx.Bucket(bucketEvents).Delete(e.k); err != nil {
			return err
		}
		if !capture {
			continue // the other install's event.add brings it under to
		}
		ev.PersonID = to
		if err := putJSON(tx, bucketEvents, string(eventKey(to, ev.At, ev.ID)), &ev); err != nil {
			return err
		}
	}
	refs, _ := collect(bucketPersonRefs)
	for _, r := range refs {
		id := string(r.k[len(from):])
		if err := tx.Bucket(bucketPersonRefs).Delete(r.k); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPersonRefs).Put([]byte(to+id), nil); err != nil {
			return err
		}
		if !capture {
			continue
		}
		var ref Referral
		if err := getJSON(tx, bucketReferrals, id, &ref); err != nil {
			return err
		}
		ref.PersonID = to
		if err := putJSON(tx, bucketReferrals, id, &ref); err != nil {
			return err
		}
	}
	atts, _ := collect(bucketAttachments)
	for _, a := range atts {
		var at Attachment
		if err := decodeValue(tx, bucketAttachments, a.k, a.v, &at); err != nil {
			return err
		}
		at.PersonID = to
		if err := tx.Bucket(bucketAttachments).Delete(a.k); err != nil {
			return err
		}
		if err := putJSON(tx, bucketAttachments, to+at.ID, &at); err != nil {
			return err
		}
	}
	var rems [][]byte
	err := tx.Bucket(bucketReminders).ForEach(func(k, v []byte) error {
		var r struct {
			PersonID string `json:"person_id"`
		}
		if err := decodeValue(tx, bucketReminders, k, v, &r); err != nil {
			return err
		}
		if r.PersonID == from {
			rems = append(rems, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range rems {
		plain, err := getValue(tx, bucketReminders, k)
		if err != nil {
			return err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(plain, &m); err != nil {
			return err
		}
		m["person_id"], _ = json.Marshal(to)
		raw, _ := json.Marshal(m)
		if err := putValue(tx, bucketReminders, k, raw); err != nil {
			return err
		}
	}
	return nil
}

// removePersonOnly deletes the person's ficha and search card, without
// an operation (the merge is one).
func removePersonOnly(tx *bolt.Tx, id string) error {
	if err := tx.Bucket(bucketPeople).Delete([]byte(id)); err != nil {
		return err
	}
	return tx.Bucket(bucketCards).Delete([]byte(id))
}

// DuplicateGroups lists the people who share a document number, oldest
// first in each group: candidates to merge, as two offices registering
// the same person offline leave them.
func (s *Store) DuplicateGroups() [][]PersonCard {
	s.loadIndex()
	s.mu.RLock()
	defer s.mu.RUnlock()
	byDoc := map[string][]PersonCard{}
	var docs []string
	for _, c := range s.index.cards {
		if c == nil || c.DocNumber == "" {
			continue
		}
		if _, ok := byDoc[c.DocNumber]; !ok {
			docs = append(docs, c.DocNumber)
		}
		byDoc[c.DocNumber] = append(byDoc[c.DocNumber], c.PersonCard)
	}
	slices.Sort(docs)
	var out [][]PersonCard
	for _, d := range docs {
		if g := byDoc[d]; len(g) > 1 {
			slices.SortFunc(g, func(a, b PersonCard) int { return strings.Compare(a.ID, b.ID) }) // ULIDs: oldest first
			out = append(out, g)
		}
	}
	return out
}
