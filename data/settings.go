package data

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Setting reads the stored setting key into v. It returns ErrNotFound when
// the setting was never saved, leaving v as it was (the caller's default).
func (s *Store) Setting(key string, v any) error {
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketConfig, key, v) })
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("ajuste %s: %w", key, err)
	}
	return err
}

// SetSetting stores v under key. Settings are an administrator's.
func (s *Store) SetSetting(key string, v any) error {
	if err := s.Allow(PermSettings); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx, bucketConfig, key, v) })
}

// SetState stores v under key, like SetSetting, for what Enlace records
// by itself whoever is working (the result of the last backup, say).
func (s *Store) SetState(key string, v any) error {
	return s.update(func(tx *bolt.Tx) error { return putStateJSON(tx, bucketConfig, key, v) })
}

// Counts reports how many records of each kind the store holds.
type Counts struct {
	People  int `json:"people"`
	Events  int `json:"events"`
	Offices int `json:"offices"`
	Staff   int `json:"staff"`
}

// Count returns the number of records of each kind.
func (s *Store) Count() (Counts, error) {
	var c Counts
	err := s.view(func(tx *bolt.Tx) error {
		c.People = tx.Bucket(bucketPeople).Stats().KeyN
		c.Events = tx.Bucket(bucketEvents).Stats().KeyN
		c.Offices = tx.Bucket(bucketOffices).Stats().KeyN
		c.Staff = tx.Bucket(bucketStaff).Stats().KeyN
		return nil
	})
	return c, err
}
