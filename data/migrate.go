package data

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this version of Enlace writes. Files with a
// lower version are migrated forward at Open; a higher one is refused.
//
// History:
//
//	1: people, events, offices, staff, settings.
//	2: people.cards, the searchable summary of each person, so that Open
//	   indexes 100,000 people without decoding every full record.
//	3: criteria (seeded with the pilot's enabling situations), referrals
//	   and referrals.byperson.
//	4: reminders, and imports (the rows of form exports already imported).
//	5: ri.projects (the RI programme: projects with tutors and participants).
//	6: encryption at rest: every value sealed with the data key, which the
//	   keyring holds wrapped once per user; users. A file at 5 or below is
//	   plaintext and is converted (convert.go), not migrated in place.
const SchemaVersion = 6

// lastPlaintext is the last schema of files written before encryption.
const lastPlaintext = 5

var keySchema = []byte("schema")

// migrations[v] moves a file from version v to v+1, inside one transaction.
var migrations = map[uint32]func(tx *bolt.Tx) error{
	1: migrateCards,
	2: seedCriteriaTx,
	3: noMigration, // new buckets only: migrate creates them
	4: noMigration,
}

func noMigration(*bolt.Tx) error { return nil }

// SchemaOf returns the schema version stored in tx (0 for an empty file).
func schemaOf(tx *bolt.Tx) uint32 {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0
	}
	v := b.Get(keySchema)
	if len(v) != 4 {
		return 0
	}
	return binary.BigEndian.Uint32(v)
}

func setSchema(tx *bolt.Tx, v uint32) error {
	var buf [4]byte
	binary.BigEndian.PutUint32(buf[:], v)
	return tx.Bucket(bucketMeta).Put(keySchema, buf[:])
}

// migrate brings an unlocked file to SchemaVersion, and gives it any
// bucket it lacks (a kind of record added within a schema version).
func (s *Store) migrate() error {
	if err := s.migrateTo(SchemaVersion); err != nil {
		return err
	}
	missing := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			missing = missing || tx.Bucket(b) == nil
		}
		return nil
	})
	if !missing {
		return nil
	}
	if s.ro {
		return fmt.Errorf("faltan tablas: %w", ErrNeedsUpgrade)
	}
	return s.db.Update(createBuckets)
}

// migrateTo brings the file to version to. Each step runs in its own
// transaction: a failure leaves the file at the last version that
// completed. New files are made whole by create (keyring.go).
func (s *Store) migrateTo(to uint32) error {
	var v uint32
	if err := s.view(func(tx *bolt.Tx) error { v = schemaOf(tx); return nil }); err != nil {
		return err
	}
	switch {
	case v > SchemaVersion:
		return fmt.Errorf("versión %d, esta versión de Enlace entiende hasta la %d: %w", v, SchemaVersion, ErrSchemaTooNew)
	case v >= to:
		return nil
	case s.ro:
		return fmt.Errorf("versión %d, la actual es la %d: %w", v, SchemaVersion, ErrNeedsUpgrade)
	}
	for ; v < to; v++ {
		step := migrations[v]
		err := s.db.Update(func(tx *bolt.Tx) error {
			if err := createBuckets(tx); err != nil {
				return err
			}
			if err := step(tx); err != nil {
				return err
			}
			return setSchema(tx, v+1)
		})
		if err != nil {
			return fmt.Errorf("actualizar la base de datos de la versión %d a la %d: %w", v, v+1, err)
		}
	}
	return nil
}

// migrateCards (1 → 2) writes the searchable summary of every person.
func migrateCards(tx *bolt.Tx) error {
	return tx.Bucket(bucketPeople).ForEach(func(k, v []byte) error {
		var p Person
		if err := decodeValue(tx, bucketPeople, k, v, &p); err != nil {
			return fmt.Errorf("persona %s: %w", k, err)
		}
		return putJSON(tx, bucketCards, p.ID, p.Card())
	})
}
