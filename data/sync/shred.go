package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

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
	if len(devs) > 0 {
		// The bundles of this device's snapshots (the newest and the one
		// before, which stays) may hold the key: the next snapshot makes
		// a new one.
		if raw := tx.Bucket(bucketMeta).Get(metaSnapshot); raw != nil {
			var ref SnapshotRef
			if err := json.Unmarshal(raw, &ref); err == nil {
				for seq := max(ref.Seq, 2) - 1; seq <= ref.Seq; seq++ {
					if err := putShred(tx, []string{snapBundleName(in.cfg.Device, seq)}); err != nil {
						return false, err
					}
				}
			}
		}
	}
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

// boxBatch makes batch seq of ops, the payloads of the operations about
// each person sealed with that person's key (sealOps). It returns the
// names of the keys the batch needs that are not yet on the server, and
// the batch's bundle ("" for none).
func (in *Install) boxBatch(seq uint64, ops []data.Op) (Batch, []string, string, error) {
	bundle := bundleName(in.cfg.Device, seq)
	sd, err := in.sealOps(ops, bundle)
	if err != nil {
		return Batch{}, nil, "", err
	}
	b := Batch{V: sd.v, Space: in.cfg.Membership.Space, Device: in.cfg.Device, Seq: seq,
		Ops: sd.ops, Boxes: sd.boxes, People: sd.people, KeyBundle: sd.inBundle}
	if !b.KeyBundle {
		bundle = ""
	}
	return b, sd.unsent, bundle, nil
}

// sealedOps is what sealOps makes of a list of operations.
type sealedOps struct {
	v      int             // the format: batchV3 (or what Install.format says)
	ops    []data.Op       // in the same order, those about a person without their payloads
	people []PersonBox     // format 3: the payloads, one box per person
	boxes  map[string]Box  // format 2: the payloads, one box per operation
	used   map[string]bool // the names of the keys the boxes are sealed with
	unsent []string        // those of them not yet on the server
	// inBundle says that a key used was made by this batch and is in the
	// bundle sealOps was given.
	inBundle bool
}

// sealOps seals the payloads of the operations of ops about each person
// with that person's key, one box per person (format 3); a person this
// install holds no key for (it is the first to write about them) gets a
// new one, kept in the sync file before it is used; when it makes
// bundleMin keys or more and bundle is set, they are in that bundle too.
func (in *Install) sealOps(ops []data.Op, bundle string) (sealedOps, error) {
	if err := in.makeKeys(ops, bundle); err != nil {
		return sealedOps{}, err
	}
	space := in.cfg.Membership.Space
	sd := sealedOps{v: batchV3, used: map[string]bool{}}
	if in.format != 0 {
		sd.v = in.format
	}
	need := map[string]bool{}
	use := func(p, dev string) {
		name := keyName(p, dev)
		sd.used[name] = true
		if in.unsent[name] {
			need[name] = true
		}
		if bundle != "" && in.bundles[name] == bundle { // made by this batch, even if sent before a crash
			sd.inBundle = true
		}
	}
	if sd.v == batchV2 {
		sd.boxes = map[string]Box{}
		for _, op := range ops {
			p := personOf(op)
			if p == "" {
				sd.ops = append(sd.ops, op)
				continue
			}
			dev := in.keyDev(p)
			boxed, box, err := boxOp(space, op, dev, in.pkeys[p][dev])
			if err != nil {
				return sealedOps{}, err
			}
			sd.ops = append(sd.ops, boxed)
			sd.boxes[op.ID] = box
			use(p, dev)
		}
		if len(sd.boxes) == 0 {
			sd.boxes = nil
		}
	} else {
		var people []string
		about := map[string][]int{} // person → the indices of their operations
		for i, op := range ops {
			if p := personOf(op); p != "" {
				if about[p] == nil {
					people = append(people, p)
				}
				about[p] = append(about[p], i)
			}
		}
		sd.ops = slices.Clone(ops)
		for _, p := range people {
			group := make([]data.Op, len(about[p]))
			for j, i := range about[p] {
				group[j] = ops[i]
			}
			dev := in.keyDev(p)
			boxed, pb, err := sealPerson(space, p, dev, in.pkeys[p][dev], group)
			if err != nil {
				return sealedOps{}, err
			}
			for j, i := range about[p] {
				sd.ops[i] = boxed[j]
			}
			sd.people = append(sd.people, pb)
			use(p, dev)
		}
	}
	sd.unsent = slices.Sorted(maps.Keys(need))
	return sd, nil
}

// makeKeys makes a key for each person of ops this install holds none
// for, and keeps them in the sync file (in bundle too, when there are
// bundleMin or more and bundle is set).
func (in *Install) makeKeys(ops []data.Op, bundle string) error {
	made := map[string][]byte{}
	for _, op := range ops {
		p := personOf(op)
		if p == "" || len(in.pkeys[p]) > 0 || made[p] != nil {
			continue
		}
		if err := validPerson(p); err != nil {
			return err
		}
		k, err := newPersonKey()
		if err != nil {
			return err
		}
		made[p] = k
	}
	if len(made) == 0 {
		return nil
	}
	mine := ""
	if len(made) >= bundleMin {
		mine = bundle
	}
	return in.db.Update(func(tx *bolt.Tx) error {
		for p, k := range made {
			if err := in.putKey(tx, p, in.cfg.Device, k, false, mine); err != nil {
				return err
			}
		}
		return nil
	})
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
		_, seq, _ := splitBundle(bundle)
		bf := bundleFile{Space: in.cfg.Membership.Space, Device: in.cfg.Device, Seq: seq, Keys: map[string][]byte{}}
		for name, b := range in.bundles {
			if person, dev := splitKeyName(name); b == bundle && dev == in.cfg.Device {
				bf.Keys[person] = in.pkeys[person][dev]
			}
		}
		ct, err := sealSigned(bf, in.cfg.SignKey, in.keys[in.cfg.Membership.current()].Recipient())
		if err != nil {
			return err
		}
		if err := in.cfg.Remote.PutKey(bundle, ct); err != nil && !errors.Is(err, ErrExists) {
			return err
		}
	}
	put := func(name string) error {
		person, dev := splitKeyName(name)
		ct, err := sealSigned(keyFile{Space: in.cfg.Membership.Space, Person: person, Device: dev, Key: in.pkeys[person][dev]},
			in.cfg.SignKey, in.keys[in.cfg.Membership.current()].Recipient())
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

// ingest is what a pull takes from the batches it read: the operations
// to apply, the keys fetched for them (to keep), the keys of people
// erased to delete from the server, the batches refused (their devices
// wait there) and those the administration skipped, and how far each
// device's batches are taken.
type ingest struct {
	ops      []data.Op
	fetched  map[string]fetchedKey
	shredded []string
	refused  []Refusal
	skips    []data.SkippedBatch
	next     map[string]uint64
}

// unboxAll opens the boxes of the batches read (each device's in order,
// every check but the roles passed) with the keys held or fetched from
// the server, then checks each batch's roles: a batch with an operation
// its signer may not make holds its device back from there (a Refusal)
// unless the administration skipped it, when the rest of it is taken.
// An operation about a person erased is left out, its key listed in
// shredded in case it is still on the server. have are keys fetched
// already in this pull (a snapshot's), to keep with the rest.
//
// Which people are erased depends on which batches are taken, and which
// are taken on their payloads: only a tombstone its signer may make, in a
// batch taken, erases (a technician's forged erasure must not shred a
// person's keys everywhere). So the batches are opened again, without the
// tombstones of those refused, until the batches taken no longer change;
// each round can only take fewer, so this ends, and every install comes
// to the same set whatever order it reads them in.
func (in *Install) unboxAll(read []Batch, have map[string]fetchedKey, now time.Time) (ingest, error) {
	ing := ingest{fetched: maps.Clone(have)}
	cut := map[string]uint64{} // device → its batch refused this round: none from there counts
	counts := func(b *Batch) bool { c, ok := cut[b.Device]; return !ok || b.Seq < c }
	for {
		var taken []*Batch
		var visible []data.Op // for the skips, which are never sealed
		for i := range read {
			if counts(&read[i]) {
				taken = append(taken, &read[i])
				visible = append(visible, read[i].Ops...)
			}
		}
		erased := in.erasedWith(taken, func(b *Batch, op data.Op) bool {
			member, _ := memberOf(&in.cfg.Membership, b.Device)
			return mayMake(member.rolesFor(b.Seq), op)
		})
		need := map[string]bool{}
		bundles := map[string]bool{}
		for i := range read {
			if !counts(&read[i]) {
				continue
			}
			if b := &read[i]; in.missingKeys(b, erased, ing.fetched, need) && b.KeyBundle {
				bundles[bundleName(b.Device, b.Seq)] = true
			}
		}
		if len(need) > 0 {
			got, err := in.fetchKeys(need, bundles)
			if err != nil {
				return ingest{}, err
			}
			maps.Copy(ing.fetched, got)
		}
		shred := map[string]bool{}
		keys := in.keyFunc(erased, ing.fetched, shred)
		ing.ops, ing.refused, ing.skips = nil, nil, nil
		ing.next = map[string]uint64{}
		was := maps.Clone(cut)
		stopped := map[string]bool{}
		for _, b := range read {
			if stopped[b.Device] || !counts(&b) && b.Seq > cut[b.Device] {
				continue
			}
			member, _ := memberOf(&in.cfg.Membership, b.Device)
			// A box that does not open, or an operation of no known kind,
			// holds the device back here, as a refusal does (broken.go).
			cause := causeBox
			err := b.unbox(keys)
			var denied []deniedOp
			if err == nil {
				cause = causeDamaged
				denied, err = checkPerms(b, member)
			}
			if err != nil {
				ing.refused = append(ing.refused, in.hold(member, b.Seq, cause, err, now))
				cut[b.Device], stopped[b.Device] = b.Seq, true
				continue
			}
			if len(denied) > 0 {
				r := in.refuse(member, b, denied, now)
				skip, ok := in.skipOf(b.Device, b.Seq, visible)
				if !ok {
					ing.refused = append(ing.refused, r) // this device waits here
					cut[b.Device], stopped[b.Device] = b.Seq, true
					continue
				}
				b.Ops = slices.DeleteFunc(b.Ops, func(op data.Op) bool { return slices.Contains(r.Denied, op.ID) })
				ing.skips = append(ing.skips, data.SkippedBatch{Device: b.Device, Seq: b.Seq, What: r.Reason(), By: by(skip.User, skip.Device)})
			}
			ing.ops = append(ing.ops, b.Ops...)
			ing.next[b.Device] = b.Seq
		}
		if maps.Equal(was, cut) {
			ing.shredded = slices.Sorted(maps.Keys(shred))
			return ing, nil
		}
	}
}

// erasedWith is the set of people erased to open batches with: those
// erased here, and those a tombstone in one of batches erases when may
// says its signer may make it (unboxAll judges by the roles of the
// batch's signer, unboxSnapshot by the operation's author). People so
// erased are as good as erased already: a pull or a first join neither
// fetches nor opens what it will forget at once, and still deletes their
// keys if left.
func (in *Install) erasedWith(batches []*Batch, may func(b *Batch, op data.Op) bool) map[string]bool {
	erased := maps.Clone(in.journal.erased)
	if erased == nil {
		erased = map[string]bool{}
	}
	for _, b := range batches {
		for _, op := range b.Ops {
			if op.Kind == data.OpPersonErase && may(b, op) {
				erased[op.Record] = true
			}
		}
	}
	return erased
}

// missingKeys adds to need the keys b's boxes use that are neither held
// here nor in fetched, but for those of people in erased; it reports
// whether one of them was made by b's own device (and may be in its
// bundle).
func (in *Install) missingKeys(b *Batch, erased map[string]bool, fetched map[string]fetchedKey, need map[string]bool) (own bool) {
	for name := range b.boxKeys() {
		person, dev := splitKeyName(name)
		if hasKey(in.pkeys[person], dev) || erased[person] || hasKey(fetched, name) {
			continue
		}
		need[name] = true
		own = own || dev == b.Device
	}
	return own
}

// keyFunc gives the person keys held here or in fetched; a key of a
// person in erased is gone, and its name goes in shred (when not nil),
// in case it is still on the server.
func (in *Install) keyFunc(erased map[string]bool, fetched map[string]fetchedKey, shred map[string]bool) KeyFunc {
	return func(person, dev string) ([]byte, error) {
		name := keyName(person, dev)
		if erased[person] {
			if shred != nil {
				shred[name] = true
			}
			return nil, errKeyGone
		}
		if k, ok := in.pkeys[person][dev]; ok {
			return k, nil
		}
		if k, ok := fetched[name]; ok {
			if k.err != nil {
				return nil, fmt.Errorf("la clave %s: %w", name, k.err)
			}
			return k.key, nil
		}
		return nil, fmt.Errorf("%w: %s", errKeyGone, name)
	}
}

// mayMake reports whether roles allow op (its payload, if it needs one,
// open).
func mayMake(roles []data.Role, op data.Op) bool {
	p, err := OpPerm(op)
	return err == nil && (&data.User{Roles: roles}).Can(p)
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
