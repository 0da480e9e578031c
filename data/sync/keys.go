package sync

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/enlace-madrid/enlace/data"
)

// Per-person keys (crypto-shredding, RGPD art. 17). The payload of every
// operation about a person (a ficha's fields, an event, a referral step)
// travels in the batch sealed with that person's own random key; the rest
// of the operation (its ID, clock, author, kind, record, subject, base)
// stays readable with the space key, so that roles, erasure and the merge
// rules need no person key. The key is not in the write-once batches but
// in one small file per person and device that made it,
// keys/<person>.<device>.age, signed by that device and encrypted to the
// space key; installs fetch it by exact name when they first meet the
// person and keep it, sealed, in their sync file. Erasing the person
// deletes every copy: each install's and the server's (and, on Nextcloud,
// the trash bin's and the versions'). From then on the batches that hold
// the person's operations open only to their IDs: nothing the space key
// opens yields their name or document, and the keys cannot be derived
// from anything that stays.

// batchV2 is the batch format whose operations about a person carry
// their payload in Boxes, one per operation: what installs wrote before
// format 3 (batchV3, one box per person), and still opens. Batches
// without a version (the first spaces) hold every operation whole, and
// still open.
const batchV2 = 2

// Box is an operation's payload sealed with its person's key (format 2).
type Box struct {
	Key string `json:"key"` // the device that made the key: keys/<person>.<Key>.age
	CT  []byte `json:"ct"`  // nonce, then XChaCha20-Poly1305 of the payload
}

// payload is what a Box seals: the operation's fields and data.
type payload struct {
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	Data   json.RawMessage            `json:"data,omitempty"`
}

// personOf is the person whose key seals op's payload ("" for none): the
// subject of every operation about a person but the tombstone and the
// merge, which carry no personal data and must be readable by everyone.
func personOf(op data.Op) string {
	switch op.Kind {
	case data.OpPersonErase, data.OpPersonMerge, data.OpRecordSet, data.OpRecordDelete:
		return ""
	}
	return op.Subject
}

// keyName names the key that device made for person: its file is
// keys/<name>.age. Person IDs are ULIDs (tests use short letters and
// digits) and device names have no '-', so the name reads back.
func keyName(person, device string) string { return person + "." + device }

// splitKeyName reads keyName back.
func splitKeyName(name string) (person, device string) {
	person, device, _ = strings.Cut(name, ".")
	return person, device
}

// validPerson checks that a person ID can be part of a file name.
func validPerson(id string) error {
	if id == "" || len(id) > 64 || strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0 {
		return fmt.Errorf("el identificador de persona «%s» no vale para su clave", id)
	}
	return nil
}

// boxAD binds a box to its space, operation, person and key.
func boxAD(space string, op data.Op, keyDev string) []byte {
	return []byte("enlace person box v1\x00" + space + "\x00" + op.ID + "\x00" + op.Subject + "\x00" + keyDev)
}

// boxOp returns op without its payload, and the payload sealed with key.
func boxOp(space string, op data.Op, keyDev string, key []byte) (data.Op, Box, error) {
	plain, err := json.Marshal(payload{Fields: op.Fields, Data: op.Data})
	if err != nil {
		return data.Op{}, Box{}, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return data.Op{}, Box{}, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return data.Op{}, Box{}, err
	}
	ct := aead.Seal(nonce, nonce, plain, boxAD(space, op, keyDev))
	op.Fields, op.Data = nil, nil
	return op, Box{Key: keyDev, CT: ct}, nil
}

// unboxOp puts back op's payload from its box.
func unboxOp(space string, op data.Op, b Box, key []byte) (data.Op, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return data.Op{}, err
	}
	if len(b.CT) < aead.NonceSize()+aead.Overhead() {
		return data.Op{}, ErrTampered
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, b.CT[:n], b.CT[n:], boxAD(space, op, b.Key))
	if err != nil {
		return data.Op{}, ErrTampered
	}
	var p payload
	if err := json.Unmarshal(plain, &p); err != nil {
		return data.Op{}, fmt.Errorf("%w: %v", ErrTampered, err)
	}
	op.Fields, op.Data = p.Fields, p.Data
	return op, nil
}

// errKeyGone is a person key that is no longer anywhere: the person was
// erased, and their operations are skipped.
var errKeyGone = errors.New("la clave de la persona ya no existe: se suprimió")

// KeyFunc returns the key named by person and the device that made it,
// or an error wrapping errKeyGone when it no longer exists.
type KeyFunc func(person, device string) ([]byte, error)

// keyFile is a person key on the server, signed by the device that made
// it and encrypted to the space.
type keyFile struct {
	Space  string `json:"space"`
	Person string `json:"person"`
	Device string `json:"device"`
	Key    []byte `json:"key"`
}

// bundleFile is the keys a batch made, in one file beside their own, so
// that a first join reads a space started from a full database in a few
// requests rather than one per person. It is one more copy of each key:
// erasing any of its people deletes it, and their own files stay for the
// others (keys/bundle.<device>.<seq>.age; see Batch.KeyBundle).
//
// A snapshot's bundle (Snapshot true, keys/bundle.<device>.s<n>.age) holds
// every key its boxes use, whichever device made each, in Named; its
// writer deletes it when it learns of the erasure of anyone, and so does
// every install that read a key from it.
type bundleFile struct {
	Space    string            `json:"space"`
	Device   string            `json:"device"`
	Seq      uint64            `json:"seq"`
	Snapshot bool              `json:"snapshot,omitempty"`
	Keys     map[string][]byte `json:"keys"`            // person → key made by Device
	Named    map[string][]byte `json:"named,omitempty"` // key name (person.device) → key: a snapshot's
}

// bundleMin is how many new keys a batch needs to get a bundle.
const bundleMin = 8

// bundleName names the bundle of the keys batch seq of device made.
func bundleName(device string, seq uint64) string { return fmt.Sprintf("bundle.%s.%016x", device, seq) }

// snapBundleName names the bundle of the keys snapshot seq of device uses.
func snapBundleName(device string, seq uint64) string {
	return fmt.Sprintf("bundle.%s.s%016x", device, seq)
}

// isBundle reports whether a key name is a bundle's.
func isBundle(name string) bool { return strings.HasPrefix(name, "bundle.") }

// openBundle opens a bundle: encrypted to the space, signed by device,
// made by its batch seq (or for its snapshot seq, when snap). It returns
// the keys by name.
func openBundle(ct []byte, id age.Identity, m *Membership, device string, seq uint64, snap bool) (map[string][]byte, error) {
	what := fmt.Sprintf("claves del lote %d de %s", seq, device)
	if snap {
		what = fmt.Sprintf("claves de la instantánea %d de %s", seq, device)
	}
	var bf bundleFile
	if err := openSigned(ct, id, m, device, &bf); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if bf.Space != m.Space || bf.Device != device || bf.Seq != seq || bf.Snapshot != snap {
		return nil, fmt.Errorf("%s: %w (son de otro lote o de otro espacio)", what, ErrTampered)
	}
	keys := make(map[string][]byte, len(bf.Keys)+len(bf.Named))
	for p, k := range bf.Keys {
		keys[keyName(p, device)] = k
	}
	for name, k := range bf.Named {
		if p, dev := splitKeyName(name); validPerson(p) != nil || dev == "" {
			return nil, fmt.Errorf("%s: %w (nombre de clave %q)", what, ErrTampered, name)
		}
		keys[name] = k
	}
	for name, k := range keys {
		if len(k) != chacha20poly1305.KeySize {
			return nil, fmt.Errorf("%s: %w (la de %s)", what, ErrTampered, name)
		}
	}
	return keys, nil
}

// openSigned decrypts ct with the space key and checks it is signed by
// device (a member, or one since removed).
func openSigned(ct []byte, id age.Identity, m *Membership, device string, v any) error {
	var pub []byte
	for _, x := range m.Members {
		if x.Device == device {
			pub = x.SignKey
		}
	}
	r, err := age.Decrypt(bytes.NewReader(ct), id)
	if err != nil {
		return fmt.Errorf("no se descifra con la clave del espacio: %w", err)
	}
	signed, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return verify(signed, pub, v)
}

// openKey opens a key file: encrypted to the space, signed by the device
// that made it (a member, or one since removed), for that person.
func openKey(ct []byte, id age.Identity, m *Membership, person, device string) ([]byte, error) {
	var k keyFile
	if err := openSigned(ct, id, m, device, &k); err != nil {
		return nil, fmt.Errorf("clave de persona %s: %w", keyName(person, device), err)
	}
	if k.Space != m.Space || k.Person != person || k.Device != device || len(k.Key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("clave de persona %s: %w (es de otra persona o de otro espacio)", keyName(person, device), ErrTampered)
	}
	return k.Key, nil
}

// newPersonKey is a fresh random key: derived from nothing.
func newPersonKey() ([]byte, error) {
	k := make([]byte, chacha20poly1305.KeySize)
	_, err := rand.Read(k)
	return k, err
}
