package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyRetention is the setting holding the retention period, in years.
const keyRetention = "retention"

// DefaultRetentionYears is how long closed cases are kept before Enlace
// lists them for review, when no administrator has set another period.
const DefaultRetentionYears = 2

// RetentionYears returns the retention period in years: the setting, or
// DefaultRetentionYears when it was never set.
func (s *Store) RetentionYears() (int, error) {
	years := DefaultRetentionYears
	if err := s.Setting(keyRetention, &years); err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	return years, nil
}

// SetRetentionYears stores the retention period. It returns a
// *ValidationError unless years is between 1 and 30, and ErrForbidden
// unless the user is an administrator.
func (s *Store) SetRetentionYears(years int) error {
	if years < 1 || years > 30 {
		return &ValidationError{Fields: []FieldError{{Field: "Retention",
			Message: "El plazo de conservación tiene que estar entre 1 y 30 años."}}}
	}
	return s.SetSetting(keyRetention, years)
}

// RetentionCandidate is a person whose cases are all over and who has had
// no activity for longer than the retention period.
type RetentionCandidate struct {
	PersonID     string    `json:"person_id"`
	Name         string    `json:"name"`
	LastActivity time.Time `json:"last_activity"` // the last referral step or timeline event
	Outcome      string    `json:"outcome"`       // how the last referral ended, in Spanish
	Referrals    int       `json:"referrals"`
	RI           string    `json:"ri,omitempty"` // the expediente of an RI project they are in (erasure waits for it)
}

// RetentionCandidates returns, oldest activity first, the people whose
// referrals are all closed, excluded or not verified, the last step of
// which and every timeline event are older than years. People without
// referrals are not cases and are not listed.
func (s *Store) RetentionCandidates(years int) ([]RetentionCandidate, error) {
	cutoff := s.now().AddDate(-years, 0, 0)
	var out []RetentionCandidate
	err := s.view(func(tx *bolt.Tx) error {
		last, err := lastReferrals(tx)
		if err != nil {
			return err
		}
		for id, c := range last {
			if c == nil || c.LastActivity.After(cutoff) {
				continue
			}
			if t := lastEventAt(tx, id); t.After(c.LastActivity) {
				c.LastActivity = t
			}
			if c.LastActivity.After(cutoff) {
				continue
			}
			if err := c.complete(tx); errors.Is(err, ErrNotFound) {
				continue // referrals of a person no longer here: nothing to review
			} else if err != nil {
				return err
			}
			out = append(out, *c)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].LastActivity.Before(out[j].LastActivity) })
	return out, err
}

// lastReferrals reads every referral and returns, by person, a candidate
// with their last referral's step and outcome, or nil for a person with
// a referral still open.
func lastReferrals(tx *bolt.Tx) (map[string]*RetentionCandidate, error) {
	out := make(map[string]*RetentionCandidate)
	err := tx.Bucket(bucketReferrals).ForEach(func(k, v []byte) error {
		var r Referral
		if err := decodeValue(tx, bucketReferrals, k, v, &r); err != nil {
			return fmt.Errorf("derivación %s: %w", k, err)
		}
		c, seen := out[r.PersonID]
		switch {
		case r.Status.Open():
			out[r.PersonID] = nil
			return nil
		case seen && c == nil:
			return nil
		case !seen:
			c = &RetentionCandidate{PersonID: r.PersonID}
			out[r.PersonID] = c
		}
		c.Referrals++
		if at := lastStep(&r); at.After(c.LastActivity) {
			c.LastActivity, c.Outcome = at, referralEnd(&r)
		}
		return nil
	})
	return out, err
}

// lastStep is when r last changed.
func lastStep(r *Referral) time.Time {
	at := r.UpdatedAt
	if n := len(r.History); n > 0 && r.History[n-1].At.After(at) {
		at = r.History[n-1].At
	}
	return at
}

// referralEnd says how a referral that is over ended.
func referralEnd(r *Referral) string {
	switch {
	case r.Status == StatusClosed && r.Outcome != "":
		return r.Status.Label() + ": " + r.Outcome.Label()
	case r.Status == StatusExcluded && r.Exclusion != "":
		return r.Status.Label() + ": " + ExclusionLabel(r.Exclusion)
	}
	return r.Status.Label()
}

// lastEventAt returns when personID's latest timeline event happened
// (read from the key, which ends in time order), or zero.
func lastEventAt(tx *bolt.Tx, personID string) time.Time {
	prefix := []byte(personID)
	c := tx.Bucket(bucketEvents).Cursor()
	k, _ := c.Seek(append(append([]byte(nil), prefix...), 0xff))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if len(k) < len(prefix)+8 || string(k[:len(prefix)]) != personID {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[len(prefix):]))) // #nosec G115 -- written from UnixNano
}

// complete fills in c's name and RI project.
func (c *RetentionCandidate) complete(tx *bolt.Tx) error {
	var card PersonCard
	if err := getJSON(tx, bucketCards, c.PersonID, &card); err != nil {
		return fmt.Errorf("persona %s: %w", c.PersonID, err)
	}
	c.Name = card.FullName()
	return eachRIParticipation(tx, c.PersonID, func(p *RIProject, _ *RIParticipant) { c.RI = p.Expediente() })
}
