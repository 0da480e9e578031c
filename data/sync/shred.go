package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// The install's side of per-person keys (see keys.go): the keys it holds,
// sealed in its sync file; making and shipping a key for a person it is
// the first to write about; fetching the keys of the people it meets;
// and, once a person is erased, deleting their keys here and on the
// server.

// keyAD binds a sealed key to its name in the sync file.
func keyAD(name string) []byte { return []byte("key\x00" + name) }

// loadKeys reads the person keys of the sync file.
func (in *Install) loadKeys(tx *bolt.Tx) error {
	return tx.Bucket(bucketKeys).ForEach(func(k, v []byte) error {
		plain, err := unseal(in.aead, keyAD(string(k)), v)
		if err != nil {
			return err
		}
		var kr keyRecord
		if err := json.Unmarshal(plain, &kr); err != nil {
			return err
		}
		person, dev := splitKeyName(string(k))
		in.setKey(person, dev, kr.Key)
		if !kr.Sent {
			in.unsent[string(k)] = true
		}
		if kr.Bundle != "" {
			in.bundles[string(k)] = kr.Bundle
		}
		return nil
	})
}

func (in *Install) setKey(person, dev string, key []byte) {
	m := in.pkeys[person]
	if m == nil {
		m = map[string][]byte{}
		in.pkeys[person] = m
	}
	m[dev] = key
}

// putKey keeps a person key, sealed, in the sync file and in memory.
func (in *Install) putKey(tx *bolt.Tx, person, dev string, key []byte, sent bool, bundle string) error {
	name := keyName(person, dev)
	raw, err := json.Marshal(keyRecord{Key: key, Sent: sent, Bundle: bundle})
	if err != nil {
		return err
	}
	sealed, err := seal(in.aead, keyAD(name), raw)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketKeys).Put([]byte(name), sealed); err != nil {
		return err
	}
	in.setKey(person, dev, key)
	if sent {
		delete(in.unsent, name)
	} else {
		in.unsent[name] = true
	}
	if bundle != "" {
		in.bundles[name] = bundle
	}
	return nil
}

// dropKeys deletes person's keys from the sync file and puts them on the
// list of keys to delete from the server; it reports whether there were.
func (in *Install) dropKeys(tx *bolt.Tx, person string) (bool, error) {
	devs := in.pkeys[person]
	for dev := range devs {
		name := keyName(person, dev)
		if err := tx.Bucket(bucketKeys).Delete([]byte(name)); err != nil {
			return false, err
		}
		if err := putShred(tx, []string{name}); err != nil {
			return false, err
		}
		if b := in.bundles[name]; b != "" {
			if err := putShred(tx, []string{b}); err != nil {
				return false, err
			}
		}
		delete(in.unsent, name)
		delete(in.bundles, name)
	}
	delete(in.pkeys, person)
	return len(devs) > 0, nil
}

func putShred(tx *bolt.Tx, names []string) error {
	for _, name := range names {
		if err := tx.Bucket(bucketShred).Put([]byte(name), nil); err != nil {
			return err
		}
	}
	return nil
}

// keyDev is the device whose key of person this install seals with: its
// own when it has one, else the first by name (any works: the box says
// which).
func (in *Install) keyDev(person string) string {
	devs := in.pkeys[person]
	if _, ok := devs[in.cfg.Device]; ok {
		return in.cfg.Device
	}
	best := ""
	for d := range devs {
		if best == "" || d < best {
			best = d
		}
	}
	return best
}

// boxBatch makes batch seq of ops, the payload of each operation about a
// person sealed with that person's key; a person this install holds no
// key for (it is the first to write about them) gets a new one, kept in
// the sync file before it is used; when it makes bundleMin keys or more,
// they are bundled too. It returns the names of the keys the batch needs
// that are not yet on the server, and the batch's bundle ("" for none).
func (in *Install) boxBatch(seq uint64, ops []data.Op) (Batch, []string, string, error) {
	b := Batch{V: batchV2, Space: in.cfg.Membership.Space, Device: in.cfg.Device, Seq: seq, Boxes: map[string]Box{}}
	made := map[string][]byte{}
	for _, op := range ops {
		p := personOf(op)
		if p == "" || len(in.pkeys[p]) > 0 || made[p] != nil {
			continue
		}
		if err := validPerson(p); err != nil {
			return Batch{}, nil, "", err
		}
		k, err := newPersonKey()
		if err != nil {
			return Batch{}, nil, "", err
		}
		made[p] = k
	}
	bundle := bundleName(in.cfg.Device, seq)
	if len(made) > 0 {
		mine := ""
		if len(made) >= bundleMin {
			mine = bundle
		}
		err := in.db.Update(func(tx *bolt.Tx) error {
			for p, k := range made {
				if err := in.putKey(tx, p, in.cfg.Device, k, false, mine); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return Batch{}, nil, "", err
		}
	}
	need := map[string]bool{}
	for _, op := range ops {
		p := personOf(op)
		if p == "" {
			b.Ops = append(b.Ops, op)
			continue
		}
		dev := in.keyDev(p)
		boxed, box, err := boxOp(b.Space, op, dev, in.pkeys[p][dev])
		if err != nil {
			return Batch{}, nil, "", err
		}
		b.Ops = append(b.Ops, boxed)
		b.Boxes[op.ID] = box
		name := keyName(p, dev)
		if in.unsent[name] {
			need[name] = true
		}
		if in.bundles[name] == bundle { // made by this batch, even if sent before a crash
			b.KeyBundle = true
		}
	}
	if len(b.Boxes) == 0 {
		b.Boxes = nil
	}
	names := make([]string, 0, len(need))
	for n := range need {
		names = append(names, n)
	}
	slices.Sort(names)
	if !b.KeyBundle {
		bundle = ""
	}
	return b, names, bundle, nil
}

// sendKeys puts on the server the keys made here that names lists (and
// the bundle of the batch, when it has one and some of them are in it),
// and marks them sent. The first goes alone, so that it makes keys/ if
// the space is older than per-person keys.
func (in *Install) sendKeys(names []string, bundle string) error {
	if len(names) == 0 {
		return nil
	}
	if bundle != "" && slices.ContainsFunc(names, func(n string) bool { return in.bundles[n] == bundle }) {
		_, seq := splitBundle(bundle)
		bf := bundleFile{Space: in.cfg.Membership.Space, Device: in.cfg.Device, Seq: seq, Keys: map[string][]byte{}}
		for name, b := range in.bundles {
			if person, dev := splitKeyName(name); b == bundle && dev == in.cfg.Device {
				bf.Keys[person] = in.pkeys[person][dev]
			}
		}
		ct, err := sealKey(bf, in.cfg.SignKey, in.cfg.Space.Recipient())
		if err != nil {
			return err
		}
		if err := in.cfg.Remote.PutKey(bundle, ct); err != nil && !errors.Is(err, ErrExists) {
			return err
		}
	}
	put := func(name string) error {
		person, dev := splitKeyName(name)
		ct, err := sealKey(keyFile{Space: in.cfg.Membership.Space, Person: person, Device: dev, Key: in.pkeys[person][dev]},
			in.cfg.SignKey, in.cfg.Space.Recipient())
		if err != nil {
			return err
		}
		if err := in.cfg.Remote.PutKey(name, ct); err != nil && !errors.Is(err, ErrExists) {
			return err
		}
		return nil
	}
	if err := put(names[0]); err != nil {
		return err
	}
	if err := parallel(names[1:], put); err != nil {
		return err
	}
	return in.db.Update(func(tx *bolt.Tx) error {
		for _, name := range names {
			person, dev := splitKeyName(name)
			if err := in.putKey(tx, person, dev, in.pkeys[person][dev], true, in.bundles[name]); err != nil {
				return err
			}
		}
		return nil
	})
}

// unboxAll opens the boxes of batches: with the keys held, or fetched
// from the server (returned in fetched, to keep). An operation whose key
// is gone is about a person erased, and is left out; so is one about a
// person this install knows is erased (or whose erasure is among the
// batches), whose key is then listed in shredded in case it is still on
// the server.
func (in *Install) unboxAll(batches []Batch) (incoming []data.Op, fetched map[string]fetchedKey, shredded []string, err error) {
	// People erased by a tombstone among these batches are as good as
	// erased already: a first join neither fetches nor opens what it will
	// forget at once, and still deletes their keys if they are left.
	erased := map[string]bool{}
	for p := range in.journal.erased {
		erased[p] = true
	}
	for i := range batches {
		for _, op := range batches[i].Ops {
			if op.Kind == data.OpPersonErase {
				erased[op.Record] = true
			}
		}
	}
	need := map[string]bool{}
	bundles := map[string]bool{}
	for i := range batches {
		for name := range batches[i].boxKeys() {
			person, dev := splitKeyName(name)
			if _, ok := in.pkeys[person][dev]; !ok && !erased[person] {
				need[name] = true
				if b := &batches[i]; b.KeyBundle && dev == b.Device {
					bundles[bundleName(b.Device, b.Seq)] = true
				}
			}
		}
	}
	if fetched, err = in.fetchKeys(need, bundles); err != nil {
		return nil, nil, nil, err
	}
	shred := map[string]bool{}
	keys := func(person, dev string) ([]byte, error) {
		name := keyName(person, dev)
		if erased[person] {
			shred[name] = true
			return nil, errKeyGone
		}
		if k, ok := in.pkeys[person][dev]; ok {
			return k, nil
		}
		if k, ok := fetched[name]; ok {
			return k.key, nil
		}
		return nil, fmt.Errorf("%w: %s", errKeyGone, name)
	}
	for i := range batches {
		b := &batches[i]
		if err := b.unbox(keys); err != nil {
			return nil, nil, nil, err
		}
		member, _ := in.cfg.Membership.Member(b.Device)
		if err := checkPerms(*b, member); err != nil {
			return nil, nil, nil, err
		}
		incoming = append(incoming, b.Ops...)
	}
	for name := range shred {
		shredded = append(shredded, name)
	}
	slices.Sort(shredded)
	return incoming, fetched, shredded, nil
}

// shred deletes from the server the keys of people erased (and, on
// Nextcloud, their versions and trash): every install that learns of an
// erasure deletes the keys it held, so that a key is gone even when the
// erasing install did not know it. A key whose person's tombstone is
// still waiting to go out stays until it has: an install that found the
// key gone and not the tombstone would see the person vanish unexplained.
func (in *Install) shred() error {
	var names []string
	waiting := map[string]bool{}
	_ = in.db.View(func(tx *bolt.Tx) error {
		_ = tx.Bucket(bucketShred).ForEach(func(k, _ []byte) error { names = append(names, string(k)); return nil })
		return tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error {
			if op, ok := in.journal.ops[string(k)]; ok && op.Kind == data.OpPersonErase {
				waiting[op.Record] = true
			}
			return nil
		})
	})
	var done []string
	var err error
	for _, name := range names {
		if person, _ := splitKeyName(name); waiting[person] {
			continue
		}
		if err = in.cfg.Remote.DeleteKey(name); err != nil {
			break
		}
		done = append(done, name)
	}
	if len(done) > 0 {
		uerr := in.db.Update(func(tx *bolt.Tx) error {
			for _, name := range done {
				if err := tx.Bucket(bucketShred).Delete([]byte(name)); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			err = uerr
		}
	}
	return err
}
