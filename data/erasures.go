package data

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The erasure list: every person erased from this database (RGPD art.
// 17), here or at another install, and when. It outlives the person and
// every compaction, so that what still holds them elsewhere (a backup
// made before the erasure, a backup being restored) can be scrubbed of
// them (ScrubCopy, CarryErasures).
//
// Person IDs are opaque (ULIDs: a time and random bits), but even so the
// list does not keep them: it keeps a token, an HMAC of the ID under the
// data key, so that an erased person's ID is nowhere in the file either.
// Every copy of this database has the same data key (it is never
// rotated), so a token made here matches the same person in a copy.
// The erasure time says nothing about the person. Values are plain, not
// sealed, so that the list can be carried into a restored file without
// the key (CarryErasures).
var (
	bucketErasures = []byte("people.erased") // erasure token → RFC 3339 time of the erasure
	bucketMerged   = []byte("people.merged") // token of the person kept + token of the one merged into them, empty value
)

// sealedBucket reports whether the values of the bucket called name are
// sealed with the data key: all but the meta bucket, the keyring and the
// erasure list.
func sealedBucket(name []byte) bool {
	for _, b := range [][]byte{bucketMeta, bucketKeyring, bucketErasures, bucketMerged} {
		if bytes.Equal(name, b) {
			return false
		}
	}
	return true
}

// erasureToken is the token that stands for personID in the erasure
// list: hex of the first 16 bytes of HMAC-SHA256(data key, ID).
func erasureToken(tx *bolt.Tx, personID string) string {
	var key []byte
	if bx := boxOf(tx); bx != nil {
		key = bx.key
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("enlace-erasure\x00" + personID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// addErasure records the erasure of personID at `at`, and of every person
// merged into them before (a backup made before the merge holds them
// under that other ID).
func addErasure(tx *bolt.Tx, personID string, at time.Time) error {
	return addErasureToken(tx, erasureToken(tx, personID), at, 0)
}

func addErasureToken(tx *bolt.Tx, token string, at time.Time, depth int) error {
	b := tx.Bucket(bucketErasures)
	if b.Get([]byte(token)) != nil {
		return nil // already there: an erasure arrives by sync more than once
	}
	if err := b.Put([]byte(token), []byte(at.UTC().Format(time.RFC3339Nano))); err != nil {
		return fmt.Errorf("lista de supresiones: %w", err)
	}
	if depth > 64 {
		return nil
	}
	var merged []string
	c := tx.Bucket(bucketMerged).Cursor()
	prefix := []byte(token)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		merged = append(merged, string(k[len(prefix):]))
	}
	for _, m := range merged {
		if err := addErasureToken(tx, m, at, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// recordMerge notes that dropID was merged into keepID, for addErasure.
// A merge whose dropped person is already erased needs nothing more.
func recordMerge(tx *bolt.Tx, keepID, dropID string) error {
	k := erasureToken(tx, keepID) + erasureToken(tx, dropID)
	return tx.Bucket(bucketMerged).Put([]byte(k), nil)
}

// Erasures returns the erasure list: a token for each person erased from
// this database (never their ID, see above) and when they were erased.
// Backups made before the newest of these times may still hold someone.
func (s *Store) Erasures() (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.view(func(tx *bolt.Tx) error { return readErasures(tx, out) })
	return out, err
}

// LastErasure returns when the newest erasure of the list was made (zero
// when there is none).
func (s *Store) LastErasure() (time.Time, error) {
	all, err := s.Erasures()
	var last time.Time
	for _, t := range all {
		if t.After(last) {
			last = t
		}
	}
	return last, err
}

// ScrubCutoff returns the newest erasure (as LastErasure) and the time
// before which a backup may still hold someone erased: the compaction
// that followed the newest erasure, since a backup taken between an
// erasure and that compaction holds the person's values in freed pages;
// or now, when the file has not been compacted since its last erasure.
// pending says so: the backups made from now on will need scrubbing too.
func (s *Store) ScrubCutoff() (last, cutoff time.Time, pending bool, err error) {
	if last, err = s.LastErasure(); err != nil || last.IsZero() {
		return last, last, false, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		pending = meta.Get([]byte(metaErasedCompact)) != nil
		if t, perr := time.Parse(time.RFC3339Nano, string(meta.Get([]byte(metaErasuresClean)))); perr == nil {
			cutoff = t
		}
		return nil
	})
	if pending || cutoff.Before(last) {
		cutoff, pending = s.now(), true
	}
	return last, cutoff, pending, err
}

// readErasures adds tx's erasure list to out.
func readErasures(tx *bolt.Tx, out map[string]time.Time) error {
	b := tx.Bucket(bucketErasures)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		t, err := time.Parse(time.RFC3339Nano, string(v))
		if err != nil {
			return fmt.Errorf("lista de supresiones: %s: %w", k, err)
		}
		out[string(k)] = t
		return nil
	})
}

// heldPeople returns the IDs of the people tx holds anything about: a
// ficha, timeline events, referrals or audit entries, each once.
func heldPeople(tx *bolt.Tx) []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	_ = tx.Bucket(bucketPeople).ForEach(func(k, _ []byte) error { add(string(k)); return nil })
	for _, name := range [][]byte{bucketEvents, bucketPersonRefs, bucketAuditBy, bucketAttachments} {
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil; {
			if len(k) < ulidLen {
				k, _ = c.Next()
				continue
			}
			id := string(k[:ulidLen])
			add(id)
			k, _ = c.Seek(append([]byte(id), 0xff)) // past every key of that person
		}
	}
	return out
}

// ulidLen is the length of an ID (newID).
const ulidLen = 26
