package data

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// The keyring holds, per user, the data key wrapped with a key derived
// from that user's passphrase. It is the one bucket whose values are not
// sealed with the data key (they are what opens it); they hold no
// personal data: the login is kept as a hash.
var (
	bucketKeyring = []byte("keyring") // by user ID: keyEntry
	bucketUsers   = []byte("users")   // by user ID: User, sealed
)

// MinPassphrase is the shortest passphrase accepted.
const MinPassphrase = 10

// KDF is the cost of argon2id, the function that turns a passphrase into
// the key that unwraps the data key. It is stored with each wrap, so it
// can be raised later without locking anyone out.
type KDF struct {
	Time    uint32 `json:"time"`       // passes over the memory
	Memory  uint32 `json:"memory_kib"` // KiB
	Threads uint8  `json:"threads"`
}

// DefaultKDF is argon2id over 64 MiB, 3 passes (RFC 9106's second
// recommended option) with 2 lanes: 0.2–0.3 s on two cores, and every
// guess at a stolen file costs an attacker the same 64 MiB and 3 passes.
// Four lanes took 0.5 s on the same two cores for no extra strength.
var DefaultKDF = KDF{Time: 3, Memory: 64 << 10, Threads: 2}

func (k KDF) orDefault() KDF {
	if k.Time == 0 || k.Memory == 0 || k.Threads == 0 {
		return DefaultKDF
	}
	return k
}

// keyEntry is one user's wrap of the data key.
type keyEntry struct {
	Login   string `json:"login"` // hex SHA-256 of the folded login
	KDF     KDF    `json:"kdf"`
	Salt    []byte `json:"salt"`
	Wrapped []byte `json:"wrapped"` // nonce | XChaCha20-Poly1305(data key), additional data the user ID
}

func loginHash(login string) string {
	h := sha256.Sum256([]byte("enlace-login\x00" + strings.ToLower(strings.TrimSpace(login))))
	return hex.EncodeToString(h[:])
}

// checkPassphrase returns the message for a passphrase that is too weak.
func checkPassphrase(p string) error {
	if utf8.RuneCountInString(p) < MinPassphrase {
		return &ValidationError{Fields: []FieldError{{Field: "Passphrase",
			Message: fmt.Sprintf("La contraseña debe tener al menos %d caracteres.", MinPassphrase)}}}
	}
	return nil
}

// wrapKey wraps dk for userID under passphrase.
func wrapKey(dk []byte, userID, login, passphrase string, kdf KDF) (keyEntry, error) {
	e := keyEntry{Login: loginHash(login), KDF: kdf.orDefault(), Salt: make([]byte, 16)}
	if _, err := rand.Read(e.Salt); err != nil {
		return e, err
	}
	aead, err := chacha20poly1305.NewX(e.derive(passphrase))
	if err != nil {
		return e, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return e, err
	}
	e.Wrapped = aead.Seal(nonce, nonce, dk, []byte(userID))
	return e, nil
}

func (e *keyEntry) derive(passphrase string) []byte {
	return argon2.IDKey([]byte(passphrase), e.Salt, e.KDF.Time, e.KDF.Memory, e.KDF.Threads, chacha20poly1305.KeySize)
}

// unwrap returns the data key, or ErrWrongPassphrase.
func (e *keyEntry) unwrap(userID, passphrase string) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(e.derive(passphrase))
	if err != nil {
		return nil, err
	}
	ns := aead.NonceSize()
	if len(e.Wrapped) < ns {
		return nil, ErrWrongPassphrase
	}
	dk, err := aead.Open(nil, e.Wrapped[:ns], e.Wrapped[ns:], []byte(userID))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return dk, nil
}

// keyring reads every entry, by user ID.
func keyring(tx *bolt.Tx) (map[string]keyEntry, error) {
	out := map[string]keyEntry{}
	b := tx.Bucket(bucketKeyring)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var e keyEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("llavero %s: %w", k, err)
		}
		out[string(k)] = e
		return nil
	})
	return out, err
}

// findEntry returns the ID and entry of login.
func findEntry(entries map[string]keyEntry, login string) (string, keyEntry, bool) {
	h := loginHash(login)
	for id, e := range entries {
		if e.Login == h {
			return id, e, true
		}
	}
	return "", keyEntry{}, false
}

// unlock opens the data key with o's login and passphrase, or creates the
// keyring of a new file. It returns errPlaintext for a file written
// before encryption.
func (s *Store) unlock(o *Options) error {
	var (
		v       uint32
		entries map[string]keyEntry
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		v = schemaOf(tx)
		var err error
		entries, err = keyring(tx)
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case len(entries) > 0:
		return s.openKey(entries, o.Login, o.Passphrase)
	case v == 0:
		return s.create(o)
	case v > SchemaVersion:
		return fmt.Errorf("versión %d, esta versión de Enlace entiende hasta la %d: %w", v, SchemaVersion, ErrSchemaTooNew)
	}
	return errPlaintext
}

// openKey unwraps the data key for login and loads the user.
func (s *Store) openKey(entries map[string]keyEntry, login, passphrase string) error {
	if strings.TrimSpace(login) == "" || passphrase == "" {
		return ErrNoCredentials
	}
	id, e, ok := findEntry(entries, login)
	if !ok {
		return ErrWrongPassphrase
	}
	dk, err := e.unwrap(id, passphrase)
	if err != nil {
		return err
	}
	bx, err := newBox(dk)
	if err != nil {
		return err
	}
	boxes.Store(s.db, bx)
	var u User
	if err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx, bucketUsers, id, &u) }); err != nil {
		boxes.Delete(s.db)
		return fmt.Errorf("usuario %s: %w", login, err)
	}
	s.user = &u
	return nil
}

// firstUser is the user o creates on a new or plaintext file: an
// administrator who is also the coordinator, as in a small office.
func firstUser(o *Options) (User, error) {
	if strings.TrimSpace(o.Login) == "" || o.Passphrase == "" {
		return User{}, ErrNoCredentials
	}
	name := o.Name
	if strings.TrimSpace(name) == "" {
		name = o.Login
	}
	u := User{Login: o.Login, Name: name, Roles: []Role{RoleCoordinator, RoleAdmin}}
	if len(o.Roles) > 0 {
		u.Roles = slices.Clone(o.Roles)
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return u, err
	}
	return u, checkPassphrase(o.Passphrase)
}

// create gives a new file its buckets, its data key and its first user.
func (s *Store) create(o *Options) error {
	if s.ro {
		return fmt.Errorf("%s está vacía: %w", s.path, ErrNotDatabase)
	}
	u, err := firstUser(o)
	if err != nil {
		return err
	}
	dk := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(dk); err != nil {
		return err
	}
	bx, err := newBox(dk)
	if err != nil {
		return err
	}
	boxes.Store(s.db, bx)
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := createBuckets(tx); err != nil {
			return err
		}
		if err := seedCriteriaTx(tx); err != nil {
			return err
		}
		if err := s.putUser(tx, &u, dk, o.Passphrase, o.KDF, u.Name); err != nil {
			return err
		}
		return setSchema(tx, SchemaVersion)
	})
	if err != nil {
		boxes.Delete(s.db)
		return err
	}
	s.user = &u
	return nil
}

// putUser stores u (giving it an ID if new) and, when passphrase is set,
// its wrap of dk.
func (s *Store) putUser(tx *bolt.Tx, u *User, dk []byte, passphrase string, kdf KDF, author string) error {
	if u.ID == "" {
		u.ID = s.newID()
	}
	u.touch(author, s.now())
	if err := putJSON(tx, bucketUsers, u.ID, u); err != nil {
		return err
	}
	if passphrase == "" {
		return nil
	}
	e, err := wrapKey(dk, u.ID, u.Login, passphrase, kdf)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketKeyring).Put([]byte(u.ID), raw)
}

// errPlaintext is unlock's answer for a file from before encryption.
var errPlaintext = errors.New("base de datos sin cifrar")
