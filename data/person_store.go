package data

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// CreatePerson normalises and validates p, gives it a new ID, stamps it
// with author and the time, and stores it. On a *ValidationError nothing is
// written. p is updated in place with what was stored.
func (s *Store) CreatePerson(p *Person, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.CreatePerson(p) })
}

// UpdatePerson normalises, validates and stores p over the existing record
// with the same ID. It returns ErrNotFound when there is none.
func (s *Store) UpdatePerson(p *Person, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.UpdatePerson(p) })
}

// Person returns the person with id, or ErrNotFound.
func (s *Store) Person(id string) (Person, error) {
	var p Person
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketPeople, id, &p) })
	if err != nil {
		return Person{}, fmt.Errorf("persona %s: %w", id, err)
	}
	return p, nil
}

// PersonCount returns how many people the store holds.
func (s *Store) PersonCount() int {
	s.loadIndex()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.index.len()
}

// Card returns the searchable summary of the person with id, from memory.
func (s *Store) Card(id string) (PersonCard, error) {
	s.loadIndex()
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.index.card(id)
	if !ok {
		return PersonCard{}, fmt.Errorf("persona %s: %w", id, ErrNotFound)
	}
	return c, nil
}
