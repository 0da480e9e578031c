package data

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Users returns every user, by name.
func (s *Store) Users() ([]User, error) {
	var out []User
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var u User
			if err := decodeValue(tx, bucketUsers, k, v, &u); err != nil {
				return fmt.Errorf("usuario %s: %w", k, err)
			}
			out = append(out, u)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(Fold(a.Name), Fold(b.Name)) })
	return out, err
}

// CreateUser adds u, who will unlock Enlace with passphrase. Only an
// administrator may. A login already in use is refused.
func (s *Store) CreateUser(u *User, passphrase string) error {
	if err := s.Allow(PermUsers); err != nil {
		return err
	}
	u.Normalize()
	u.ID = ""
	if err := u.Validate(); err != nil {
		return err
	}
	if err := checkPassphrase(passphrase); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		entries, err := keyring(tx)
		if err != nil {
			return err
		}
		if _, _, taken := findEntry(entries, u.Login); taken {
			return &ValidationError{Fields: []FieldError{{Field: "Login",
				Message: fmt.Sprintf("Ya hay un usuario «%s».", u.Login)}}}
		}
		return s.putUser(tx, u, boxOf(tx).key, passphrase, s.kdf, s.User().Name)
	})
}

// UpdateUser stores u's name, roles and staff record over the user with
// the same ID. Its login does not change (it is what its key is found
// by). Only an administrator may, and the last administrator keeps the
// role.
func (s *Store) UpdateUser(u *User) error {
	if err := s.Allow(PermUsers); err != nil {
		return err
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	err := s.update(func(tx *bolt.Tx) error {
		var old User
		if err := getJSON(tx, bucketUsers, u.ID, &old); err != nil {
			return fmt.Errorf("usuario %s: %w", u.ID, err)
		}
		u.Login, u.Stamp = old.Login, old.Stamp
		if old.Has(RoleAdmin) && !u.Has(RoleAdmin) {
			if err := keepAnAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		return s.putUser(tx, u, nil, "", KDF{}, s.User().Name)
	})
	if err == nil && u.ID == s.User().ID {
		s.setUser(*u)
	}
	return err
}

// DeleteUser removes the user id and their key: they can no longer
// unlock this file (a copy taken before keeps their old wrap). Only an
// administrator may; nobody deletes themselves or the last administrator.
func (s *Store) DeleteUser(id string) error {
	if err := s.Allow(PermUsers); err != nil {
		return err
	}
	if id == s.User().ID {
		return fmt.Errorf("%w: no puede borrar su propio usuario", ErrForbidden)
	}
	return s.update(func(tx *bolt.Tx) error {
		var u User
		if err := getJSON(tx, bucketUsers, id, &u); err != nil {
			return fmt.Errorf("usuario %s: %w", id, err)
		}
		if u.Has(RoleAdmin) {
			if err := keepAnAdmin(tx, id); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketKeyring).Delete([]byte(id)); err != nil {
			return err
		}
		return deleteValue(tx, bucketUsers, []byte(id))
	})
}

// keepAnAdmin refuses when no administrator but except would be left.
func keepAnAdmin(tx *bolt.Tx, except string) error {
	c := tx.Bucket(bucketUsers).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if string(k) == except {
			continue
		}
		var u User
		if err := decodeValue(tx, bucketUsers, k, v, &u); err != nil {
			return err
		}
		if u.Has(RoleAdmin) {
			return nil
		}
	}
	return &ValidationError{Fields: []FieldError{{Field: "Roles",
		Message: "Tiene que quedar al menos un administrador."}}}
}

// ChangePassphrase replaces the unlocked user's passphrase. Only their
// wrap of the data key is rewritten; no record is re-encrypted.
func (s *Store) ChangePassphrase(old, passphrase string) error {
	if err := checkPassphrase(passphrase); err != nil {
		return err
	}
	u := s.User()
	return s.update(func(tx *bolt.Tx) error {
		entries, err := keyring(tx)
		if err != nil {
			return err
		}
		e, ok := entries[u.ID]
		if !ok {
			return ErrWrongPassphrase
		}
		if _, err := e.unwrap(u.ID, old); err != nil {
			return &ValidationError{Fields: []FieldError{{Field: "Old", Message: "La contraseña actual no es correcta."}}}
		}
		return s.putUser(tx, &u, boxOf(tx).key, passphrase, s.kdf, u.Name)
	})
}

// ResetPassphrase sets the passphrase of the user id, who forgot theirs.
// Only an administrator may.
func (s *Store) ResetPassphrase(id, passphrase string) error {
	if err := s.Allow(PermUsers); err != nil {
		return err
	}
	if err := checkPassphrase(passphrase); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		var u User
		if err := getJSON(tx, bucketUsers, id, &u); err != nil {
			return fmt.Errorf("usuario %s: %w", id, err)
		}
		return s.putUser(tx, &u, boxOf(tx).key, passphrase, s.kdf, s.User().Name)
	})
}

// Reauth checks login's passphrase on the open store and makes that user
// the unlocked one: what the window's lock screen does. The passphrase
// must unwrap the same data key this store was opened with.
func (s *Store) Reauth(login, passphrase string) error {
	if strings.TrimSpace(login) == "" || passphrase == "" {
		return ErrNoCredentials
	}
	var u User
	err := s.view(func(tx *bolt.Tx) error {
		entries, err := keyring(tx)
		if err != nil {
			return err
		}
		id, e, ok := findEntry(entries, login)
		if !ok {
			return ErrWrongPassphrase
		}
		dk, err := e.unwrap(id, passphrase)
		if err != nil {
			return err
		}
		if !bytes.Equal(dk, boxOf(tx).key) {
			return ErrWrongPassphrase
		}
		return getJSON(tx, bucketUsers, id, &u)
	})
	if errors.Is(err, ErrNotFound) {
		err = ErrWrongPassphrase
	}
	if err != nil {
		return err
	}
	s.setUser(u)
	return nil
}

func (s *Store) setUser(u User) {
	s.mu.Lock()
	s.user = &u
	s.mu.Unlock()
}
