package sync

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
)

// The sync file holds every operation the install knows, people's names
// and documents among them, so its values are sealed like the store's:
// XChaCha20-Poly1305 under a key derived from the space key, which is
// itself kept sealed in the store. A stolen laptop's enlace.db.sync
// shows no more than its enlace.db.

// fileAEAD is the sealing of the sync file of the space whose key is id.
func fileAEAD(id *age.X25519Identity) (cipher.AEAD, error) {
	key := sha256.Sum256([]byte("enlace sync file v1\x00" + id.String()))
	return chacha20poly1305.NewX(key[:])
}

// seal encrypts plain, bound to its key k.
func seal(aead cipher.AEAD, k, plain []byte) ([]byte, error) {
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealedV1
	nonce := out[1:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(out, nonce, plain, k), nil
}

// sealedV1 starts a sealed value; a plain one starts with '{'.
const sealedV1 = 0x01

// errSealed is a sync file value that does not open with the space key.
var errSealed = errors.New("el registro de sincronización no se abre con la clave del espacio")

// unseal opens a value sealed by seal. A value written before sealing
// (plain JSON) is returned as is, and sealed at the next write.
func unseal(aead cipher.AEAD, k, v []byte) ([]byte, error) {
	if len(v) > 0 && v[0] == '{' {
		return v, nil
	}
	if len(v) < 1+aead.NonceSize()+aead.Overhead() || v[0] != sealedV1 {
		return nil, errSealed
	}
	v = v[1:]
	plain, err := aead.Open(nil, v[:aead.NonceSize()], v[aead.NonceSize():], k)
	if err != nil {
		return nil, errSealed
	}
	return plain, nil
}
