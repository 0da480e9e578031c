package data

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RowImport is what one imported row of a referral-form export produced.
// The imports bucket keeps one per row, keyed by the SHA-256 of the row's
// cells (a hash: no personal data in keys), so that importing the same
// export again skips the rows it already holds.
type RowImport struct {
	PersonID   string    `json:"person"`
	ReferralID string    `json:"referral,omitempty"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
}

// checkRowHash refuses anything but a hex SHA-256, so that no caller can
// put personal data into a key by mistake.
func checkRowHash(hash string) error {
	if b, err := hex.DecodeString(hash); err != nil || len(b) != 32 {
		return fmt.Errorf("clave de importación %.12q: no es un SHA-256 en hexadecimal: %w", hash, ErrInvalid)
	}
	return nil
}

// ImportedRow returns what the row with content hash produced when it was
// imported, and false when it was never imported. It returns an error
// wrapping ErrInvalid when hash is not a hex SHA-256.
func (b *Batch) ImportedRow(hash string) (RowImport, bool, error) {
	if err := checkRowHash(hash); err != nil {
		return RowImport{}, false, err
	}
	return rowImport(b.tx, hash)
}

// rowImport reads the record of hash in tx.
func rowImport(tx *bolt.Tx, hash string) (RowImport, bool, error) {
	var ri RowImport
	err := getJSON(tx, bucketImports, hash, &ri)
	switch {
	case errors.Is(err, ErrNotFound):
		return RowImport{}, false, nil
	case err != nil:
		return RowImport{}, false, fmt.Errorf("importación %.12s: %w", hash, err)
	}
	return ri, true, nil
}

// MarkImported records, in b's transaction, that the row with content hash
// produced personID and referralID, stamped with b's author and time. It
// returns an error wrapping ErrInvalid when hash is not a hex SHA-256, and
// ErrNotFound when personID names no person.
func (b *Batch) MarkImported(hash, personID, referralID string) error {
	if err := checkRowHash(hash); err != nil {
		return err
	}
	if b.tx.Bucket(bucketPeople).Get([]byte(personID)) == nil {
		return fmt.Errorf("persona %s: %w", personID, ErrNotFound)
	}
	ri := RowImport{PersonID: personID, ReferralID: referralID, At: b.now, By: b.author}
	return putJSON(b.tx, bucketImports, hash, &ri)
}

// ImportedRows returns, for those of hashes already imported, what each
// produced; hashes never imported are absent from the map. Hashes that
// are not hex SHA-256 are never imported.
func (s *Store) ImportedRows(hashes []string) (map[string]RowImport, error) {
	out := make(map[string]RowImport)
	err := s.view(func(tx *bolt.Tx) error {
		for _, h := range hashes {
			ri, ok, err := rowImport(tx, h)
			if err != nil {
				return err
			}
			if ok {
				out[h] = ri
			}
		}
		return nil
	})
	return out, err
}

// Person returns the person with id as b's transaction sees it, or an
// error wrapping ErrNotFound. An import uses it to complete a person it
// matched without reading outside the transaction.
func (b *Batch) Person(id string) (Person, error) {
	var p Person
	if err := getJSON(b.tx, bucketPeople, id, &p); err != nil {
		return Person{}, fmt.Errorf("persona %s: %w", id, err)
	}
	return p, nil
}
