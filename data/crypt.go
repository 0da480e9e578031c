package data

// Encryption at rest. Every record value in the file is sealed with
// XChaCha20-Poly1305 under one random data key; the data key is stored
// wrapped once per user (keyring.go). Keys and bucket names stay in the
// clear: they are opaque IDs and kinds of record, never personal data.
//
// A sealed value is
//
//	0x01 | 24-byte random nonce | ciphertext and 16-byte tag
//
// and its additional data is the bucket name and the key, so a value
// copied to another record does not open there.

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20poly1305"
)

const sealedVersion = 1

// errSealed is returned when a value does not open with the data key: it
// was damaged, or moved from another record.
var errSealed = errors.New("un dato cifrado está dañado o no corresponde a su registro")

// box seals and opens values with the data key.
type box struct {
	aead cipher.AEAD
	key  []byte // kept to wrap it for new users and new passphrases
}

func newBox(key []byte) (*box, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("clave de datos: %w", err)
	}
	return &box{aead: aead, key: key}, nil
}

// ad is the additional data binding a value to its bucket and key.
func ad(bucket, key []byte) []byte {
	out := make([]byte, 0, len(bucket)+1+len(key))
	out = append(out, bucket...)
	out = append(out, 0)
	return append(out, key...)
}

// seal encrypts plain for bucket/key. An empty value stays empty: it
// says nothing (the by-person referral index stores only keys).
func (b *box) seal(bucket, key, plain []byte) []byte {
	if len(plain) == 0 {
		return plain
	}
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+b.aead.Overhead())
	out[0] = sealedVersion
	if _, err := rand.Read(out[1:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported systems
	}
	return b.aead.Seal(out, out[1:], plain, ad(bucket, key))
}

// open decrypts a value sealed for bucket/key into a new slice (it is
// safe to keep after the transaction).
func (b *box) open(bucket, key, raw []byte) ([]byte, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	ns := b.aead.NonceSize()
	if len(raw) < 1+ns+b.aead.Overhead() || raw[0] != sealedVersion {
		return nil, fmt.Errorf("%s/%s: %w", bucket, key, errSealed)
	}
	plain, err := b.aead.Open(nil, raw[1:1+ns], raw[1+ns:], ad(bucket, key))
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", bucket, key, errSealed)
	}
	return plain, nil
}

// boxes maps each open database to its data key. Helpers that take only
// a *bolt.Tx (most of this package) find the key through tx.DB(), so
// they compose in one transaction without carrying the store around.
// A database with no entry is a plaintext file from before encryption,
// read only to convert it.
var boxes sync.Map // *bolt.DB → *box

func boxOf(tx *bolt.Tx) *box {
	if b, ok := boxes.Load(tx.DB()); ok {
		return b.(*box)
	}
	return nil
}

// openValue returns the plaintext of raw, stored at bucket/key. Without a
// data key (a file being converted) it is raw itself.
func openValue(tx *bolt.Tx, bucket, key, raw []byte) ([]byte, error) {
	if bx := boxOf(tx); bx != nil {
		return bx.open(bucket, key, raw)
	}
	return raw, nil
}

// putValue stores plain at bucket/key, sealed, and logs the change in
// the audit trail when the bucket is one that is logged.
func putValue(tx *bolt.Tx, bucket, key, plain []byte) error {
	if _, logged := auditKind(bucket); logged {
		old, err := getValue(tx, bucket, key)
		if err != nil && err != ErrNotFound {
			return err
		}
		if err := auditPut(tx, bucket, key, old, plain); err != nil {
			return fmt.Errorf("registro de cambios: %w", err)
		}
		if v, open := stores.Load(tx.DB()); open {
			if err := v.(*Store).captureOp(tx, bucket, key, old, plain); err != nil {
				return fmt.Errorf("registro de operaciones para sincronizar: %w", err)
			}
		}
	}
	return putRaw(tx, bucket, key, plain)
}

// putRaw stores plain at bucket/key, sealed, without logging it: the log
// itself, and what Enlace records on its own (SetState).
func putRaw(tx *bolt.Tx, bucket, key, plain []byte) error {
	if bx := boxOf(tx); bx != nil {
		plain = bx.seal(bucket, key, plain)
	}
	return tx.Bucket(bucket).Put(key, plain)
}

// deleteValue deletes bucket/key, logging what it held.
func deleteValue(tx *bolt.Tx, bucket, key []byte) error {
	if _, logged := auditKind(bucket); logged {
		old, err := getValue(tx, bucket, key)
		if err == ErrNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if err := auditDelete(tx, bucket, key, old); err != nil {
			return fmt.Errorf("registro de cambios: %w", err)
		}
		if v, open := stores.Load(tx.DB()); open {
			if err := v.(*Store).captureOp(tx, bucket, key, old, nil); err != nil {
				return fmt.Errorf("registro de operaciones para sincronizar: %w", err)
			}
		}
	}
	return tx.Bucket(bucket).Delete(key)
}

// getValue returns the plaintext stored at bucket/key, or ErrNotFound.
func getValue(tx *bolt.Tx, bucket, key []byte) ([]byte, error) {
	raw := tx.Bucket(bucket).Get(key)
	if raw == nil {
		return nil, ErrNotFound
	}
	plain, err := openValue(tx, bucket, key, raw)
	if err != nil {
		return nil, err
	}
	if boxOf(tx) == nil { // raw is valid only in tx: copy it out
		plain = append([]byte(nil), plain...)
	}
	return plain, nil
}

// decodeValue opens the value v found at bucket/k (in a cursor loop) and
// decodes its JSON into x.
func decodeValue(tx *bolt.Tx, bucket, k, v []byte, x any) error {
	plain, err := openValue(tx, bucket, k, v)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, x)
}

// getJSON decodes the value at key in bucket b into v. It returns
// ErrNotFound when the key is absent.
func getJSON(tx *bolt.Tx, b []byte, key string, v any) error {
	raw := tx.Bucket(b).Get([]byte(key))
	if raw == nil {
		return ErrNotFound
	}
	return decodeValue(tx, b, []byte(key), raw, v) // Unmarshal copies: raw is valid only in tx
}

// putStateJSON is putJSON without the audit trail.
func putStateJSON(tx *bolt.Tx, b []byte, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("codificar %s/%s: %w", b, key, err)
	}
	return putRaw(tx, b, []byte(key), raw)
}

// putJSON encodes v as the value at key in bucket b, sealed.
func putJSON(tx *bolt.Tx, b []byte, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("codificar %s/%s: %w", b, key, err)
	}
	return putValue(tx, b, []byte(key), raw)
}
