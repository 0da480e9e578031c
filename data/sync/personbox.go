package sync

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	gosync "sync"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/enlace-madrid/enlace/data"
)

// Format 3 (batchV3): one box per person. The payloads of every
// operation of a batch (or snapshot) about one person travel together in
// one PersonBox, compressed with zstd and then sealed with the person's
// key: ciphertext does not compress, its plaintext does (a person's
// fields and events repeat the same JSON keys), and one nonce, tag and
// JSON key per person instead of per operation. The box names the person,
// the device whose key seals it and the IDs of the operations it holds,
// all of which the operations outside the boxes show already; what it
// hides is as in format 2. It shows the compressed size of a person's
// payloads together, where format 2 showed each payload's exact size.
//
// The batch itself is compressed too, before it is encrypted to the
// space (the operations outside the boxes, IDs and clocks, compress
// tenfold): a file of format 3 starts, once decrypted, with a zstd frame
// where one of format 0 or 2 starts with its signed JSON. An install
// that knows only format 2 cannot read either (the JSON does not parse,
// and a snapshot's "boxes" is a list where it expects a map), so it holds
// the batch back as one of a version it does not know, or leaves the
// snapshot aside, rather than take its operations without their payloads.
const batchV3 = 3

// PersonBox is the payloads of the operations of a batch or snapshot
// about one person, compressed and sealed with that person's key
// (format 3).
type PersonBox struct {
	Person string   `json:"person"`
	Key    string   `json:"key"` // the device that made the key: keys/<person>.<Key>.age
	Ops    []string `json:"ops"` // the IDs of the operations whose payloads it holds, in order
	CT     []byte   `json:"ct"`  // nonce, then XChaCha20-Poly1305 of the zstd of the payloads, a JSON list
}

// maxBoxPlain and maxFilePlain bound what a box, and a whole batch or
// snapshot, may decompress to: a file's zstd is read before its
// signature is checked.
const (
	maxBoxPlain  = 64 << 20
	maxFilePlain = 1<<31 - 1 // fits an int anywhere
)

// boxCodec is the zstd encoder and decoder of the boxes, shared: their
// EncodeAll and DecodeAll may run at once.
var boxCodec = gosync.OnceValues(func() (*boxZstd, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false))
	if err != nil {
		return nil, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxBoxPlain), zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, err
	}
	return &boxZstd{enc: enc, dec: dec}, nil
})

type boxZstd struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

// personAD binds a person box to its space, person, key and operations.
func personAD(space string, pb PersonBox) []byte {
	ad, _ := json.Marshal([]any{"enlace person box v3", space, pb.Person, pb.Key, pb.Ops})
	return ad
}

// sealPerson seals the payloads of ops, all about person, with key (made
// by keyDev), and returns ops without them.
func sealPerson(space, person, keyDev string, key []byte, ops []data.Op) ([]data.Op, PersonBox, error) {
	pb := PersonBox{Person: person, Key: keyDev, Ops: make([]string, len(ops))}
	plain := make([]payload, len(ops))
	out := make([]data.Op, len(ops))
	for i, op := range ops {
		pb.Ops[i], plain[i] = op.ID, payload{Fields: op.Fields, Data: op.Data}
		op.Fields, op.Data = nil, nil
		out[i] = op
	}
	raw, err := json.Marshal(plain)
	if err != nil {
		return nil, PersonBox{}, err
	}
	z, err := boxCodec()
	if err != nil {
		return nil, PersonBox{}, err
	}
	packed := z.enc.EncodeAll(raw, nil)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, PersonBox{}, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(packed)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, PersonBox{}, err
	}
	pb.CT = aead.Seal(nonce, nonce, packed, personAD(space, pb))
	return out, pb, nil
}

// openPerson returns the payloads pb holds, in the order of pb.Ops.
func openPerson(space string, pb PersonBox, key []byte) ([]payload, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	n := aead.NonceSize()
	if len(pb.CT) < n+aead.Overhead() {
		return nil, ErrTampered
	}
	packed, err := aead.Open(nil, pb.CT[:n], pb.CT[n:], personAD(space, pb))
	if err != nil {
		return nil, ErrTampered
	}
	z, err := boxCodec()
	if err != nil {
		return nil, err
	}
	raw, err := z.dec.DecodeAll(packed, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTampered, err)
	}
	var ps []payload
	if err := json.Unmarshal(raw, &ps); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTampered, err)
	}
	if len(ps) != len(pb.Ops) {
		return nil, fmt.Errorf("%w: la caja lleva %d datos para %d operaciones", ErrTampered, len(ps), len(pb.Ops))
	}
	return ps, nil
}

// unboxPeople opens b's person boxes (format 3) in place; the operations
// of a person whose key is gone leave the batch. A box about another
// person than its operations', or naming one the batch does not hold
// or another box holds too, does not open (ErrTampered).
func (b *Batch) unboxPeople(keys KeyFunc) error {
	subject := make(map[string]string, len(b.Ops))
	for _, op := range b.Ops {
		subject[op.ID] = op.Subject
	}
	opened := make(map[string]payload, len(b.Ops))
	gone := map[string]bool{}
	for _, pb := range b.People {
		if err := validPerson(pb.Person); err != nil || pb.Key == "" {
			return fmt.Errorf("lote %d de %s: %w (una caja de %q)", b.Seq, b.Device, ErrTampered, pb.Person)
		}
		for _, id := range pb.Ops {
			s, ok := subject[id]
			_, twice := opened[id]
			if !ok || s != pb.Person || twice || gone[id] {
				return fmt.Errorf("lote %d de %s: %w (la caja de %s no corresponde a la operación %s)", b.Seq, b.Device, ErrTampered, pb.Person, id)
			}
		}
		key, err := keys(pb.Person, pb.Key)
		if errors.Is(err, errKeyGone) {
			for _, id := range pb.Ops {
				gone[id] = true // about a person erased
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("lote %d de %s: %w", b.Seq, b.Device, err)
		}
		ps, err := openPerson(b.Space, pb, key)
		if err != nil {
			return fmt.Errorf("lote %d de %s, datos de %s: %w", b.Seq, b.Device, pb.Person, err)
		}
		for i, id := range pb.Ops {
			opened[id] = ps[i]
		}
	}
	ops := b.Ops[:0:0]
	for _, op := range b.Ops {
		if gone[op.ID] {
			continue
		}
		if p, ok := opened[op.ID]; ok {
			op.Fields, op.Data = p.Fields, p.Data
		}
		ops = append(ops, op)
	}
	b.Ops, b.People = ops, nil
	return nil
}

// zstdMagic starts every zstd frame: a batch of format 3, decrypted,
// starts with it (one of format 0 or 2 with '{').
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// packed is write's function for encrypt that writes signed compressed.
func packed(signed []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		z, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest))
		if err != nil {
			return err
		}
		if _, err := z.Write(signed); err != nil {
			return err
		}
		return z.Close()
	}
}

// unpack reads r, decompressing it if it is zstd (always, when must):
// what a batch or snapshot holds once decrypted.
func unpack(r io.Reader, must bool) ([]byte, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(len(zstdMagic))
	if !must && !bytes.Equal(head, zstdMagic) {
		return io.ReadAll(br)
	}
	z, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer z.Close()
	raw, err := io.ReadAll(io.LimitReader(z, int64(maxFilePlain)+1))
	if err == nil && len(raw) > maxFilePlain {
		err = errors.New("descomprimido pasa del máximo")
	}
	return raw, err
}

// boxesJSON is the "boxes" of a batch or snapshot of format v as its
// JSON holds them: by operation ID (format 2) or a list of person boxes
// (format 3).
func boxesJSON(v int, byOp map[string]Box, people []PersonBox) any {
	switch {
	case v >= batchV3 && len(people) > 0:
		return people
	case v < batchV3 && len(byOp) > 0:
		return byOp
	}
	return nil
}

// decodeBoxes reads "boxes" back, as format v has them.
func decodeBoxes(v int, raw json.RawMessage, byOp *map[string]Box, people *[]PersonBox) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if v >= batchV3 {
		return json.Unmarshal(raw, people)
	}
	return json.Unmarshal(raw, byOp)
}

// batchFields is Batch without its JSON methods.
type batchFields Batch

// MarshalJSON writes b's boxes as its format has them.
func (b Batch) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		batchFields
		Boxes any `json:"boxes,omitempty"`
	}{batchFields(b), boxesJSON(b.V, b.Boxes, b.People)})
}

// UnmarshalJSON reads b's boxes as its format has them.
func (b *Batch) UnmarshalJSON(raw []byte) error {
	w := struct {
		*batchFields
		Boxes json.RawMessage `json:"boxes,omitempty"`
	}{batchFields: (*batchFields)(b)}
	if err := json.Unmarshal(raw, &w); err != nil {
		return err
	}
	return decodeBoxes(b.V, w.Boxes, &b.Boxes, &b.People)
}

// snapshotFields is Snapshot without its JSON methods.
type snapshotFields Snapshot

// MarshalJSON writes s's boxes as its format has them.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		snapshotFields
		Boxes any `json:"boxes,omitempty"`
	}{snapshotFields(s), boxesJSON(s.V, s.Boxes, s.People)})
}

// UnmarshalJSON reads s's boxes as its format has them.
func (s *Snapshot) UnmarshalJSON(raw []byte) error {
	w := struct {
		*snapshotFields
		Boxes json.RawMessage `json:"boxes,omitempty"`
	}{snapshotFields: (*snapshotFields)(s)}
	if err := json.Unmarshal(raw, &w); err != nil {
		return err
	}
	return decodeBoxes(s.V, w.Boxes, &s.Boxes, &s.People)
}
