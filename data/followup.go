package data

import (
	"bytes"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ContactKinds are the timeline events that count as contact with the
// person for the weekly follow-up.
var ContactKinds = []EventKind{EventCall, EventEmail, EventVisit, EventInterview}

// FollowUpItem is an included case due for its weekly follow-up.
type FollowUpItem struct {
	Referral    Referral
	Person      PersonCard
	LastContact time.Time // zero when there has been none
}

// FollowUpDue returns every referral in the programme and still open
// (included, routed or in follow-up) whose person has had no contact in
// the 7 days before now, longest without contact first.
func (s *Store) FollowUpDue(now time.Time) ([]FollowUpItem, error) {
	refs, err := s.Referrals(ReferralFilter{Statuses: []Status{StatusIncluded, StatusRouted, StatusFollowUp}})
	if err != nil {
		return nil, err
	}
	since := now.Add(-7 * 24 * time.Hour)
	var out []FollowUpItem
	err = s.view(func(tx *bolt.Tx) error {
		for _, r := range refs {
			last, err := lastContact(tx, r.PersonID)
			if err != nil {
				return err
			}
			if last.After(since) {
				continue
			}
			card, _ := s.Card(r.PersonID)
			out = append(out, FollowUpItem{Referral: r, Person: card, LastContact: last})
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastContact.Before(out[j].LastContact) })
	return out, err
}

// LastContact returns the time of personID's latest contact event (zero
// when there is none).
func (s *Store) LastContact(personID string) (time.Time, error) {
	var t time.Time
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		t, err = lastContact(tx, personID)
		return err
	})
	return t, err
}

// lastContact walks personID's timeline backwards to the newest contact.
func lastContact(tx *bolt.Tx, personID string) (time.Time, error) {
	c := tx.Bucket(bucketEvents).Cursor()
	prefix := []byte(personID)
	end := append(append([]byte{}, prefix...), 0xFF)
	k, v := c.Seek(end)
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		var e struct {
			At   time.Time `json:"at"`
			Kind EventKind `json:"kind"`
		}
		if err := decodeValue(tx, bucketEvents, k, v, &e); err != nil {
			return time.Time{}, err
		}
		if oneOf(e.Kind, ContactKinds) {
			return e.At, nil
		}
	}
	return time.Time{}, nil
}
