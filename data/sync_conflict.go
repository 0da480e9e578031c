package data

import (
	"bytes"
	"encoding/json"

	bolt "go.etcd.io/bbolt"
)

// The conflicts sync found (issue 13): two installs wrote the same field
// group of a person, or took two steps of the same referral, without
// seeing each other. data/sync settles them the same way everywhere and
// hands the ones not yet reviewed to ApplyRemote, which keeps them here,
// in this file, so that the ficha shows "Cambios simultáneos — revisar"
// from the moment they arrive, after a restart too, until the coordinator
// reviews them (ResolveConflict) here or at another install.
var bucketSyncConflicts = []byte("sync.conflicts") // person ID + "\x00" + losing op ID → SyncConflict

// SyncConflict is one conflict not yet reviewed, as sync reported it.
type SyncConflict struct {
	Person string `json:"person"` // the person it is about
	Loser  string `json:"loser"`  // the ID of the losing write (an Op)
	// Detail is data/sync's description of it (its Conflict: both values,
	// who wrote each, when), which the review shows.
	Detail json.RawMessage `json:"detail"`
}

func syncConflictKey(person, loser string) []byte { return []byte(person + "\x00" + loser) }

// SyncConflicts returns the conflicts not yet reviewed about person, or
// all of them when person is "", by person.
func (s *Store) SyncConflicts(person string) ([]SyncConflict, error) {
	var out []SyncConflict
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSyncConflicts).Cursor()
		prefix := []byte(nil)
		if person != "" {
			prefix = []byte(person + "\x00")
		}
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var sc SyncConflict
			if err := decodeValue(tx, bucketSyncConflicts, k, v, &sc); err != nil {
				return err
			}
			out = append(out, sc)
		}
		return nil
	})
	return out, err
}

// HasSyncConflicts reports whether person has conflicts to review. It
// reads keys only, cheap enough for every row of the people list.
func (s *Store) HasSyncConflicts(person string) bool {
	found := false
	_ = s.view(func(tx *bolt.Tx) error {
		prefix := []byte(person + "\x00")
		k, _ := tx.Bucket(bucketSyncConflicts).Cursor().Seek(prefix)
		found = k != nil && bytes.HasPrefix(k, prefix)
		return nil
	})
	return found
}

// putSyncConflicts replaces the conflicts kept with list.
func putSyncConflicts(tx *bolt.Tx, list []SyncConflict) error {
	if err := tx.DeleteBucket(bucketSyncConflicts); err != nil && err != bolt.ErrBucketNotFound {
		return err
	}
	if _, err := tx.CreateBucket(bucketSyncConflicts); err != nil {
		return err
	}
	for _, sc := range list {
		if err := putStateJSON(tx, bucketSyncConflicts, string(syncConflictKey(sc.Person, sc.Loser)), sc); err != nil {
			return err
		}
	}
	return nil
}

// eraseSyncConflicts forgets person's conflicts: they hold the values of
// their fields (RGPD art. 17).
func eraseSyncConflicts(tx *bolt.Tx, person string) error {
	b := tx.Bucket(bucketSyncConflicts)
	prefix := []byte(person + "\x00")
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
