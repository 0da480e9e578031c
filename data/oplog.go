package data

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The operation log (issue 13). Once sync is enabled (EnableSync), every
// write to a synced record is also recorded, in the same transaction, as
// an Op in the outbox; data/sync ships the outbox and brings back what
// other installs wrote, which ApplyRemote writes into the tables.
var (
	bucketOpOut  = []byte("sync.outbox") // op ID → Op JSON: made here, not yet handed to sync
	bucketOpBase = []byte("sync.base")   // group key → ID of the last op of it, made or applied
	// bucketOpHanded keeps what sync took until sync says it is on the
	// server: a sync file lost before (deleted, Enlace reinstalled over
	// this database) does not lose it (ShippedOps).
	bucketOpHanded = []byte("sync.handed") // op ID → Op JSON
)

const (
	metaSyncDevice = "sync.device"
	metaSyncClock  = "sync.clock" // the last HLC this install used or saw, JSON
	metaSyncCount  = "sync.count" // the last op counter, 8 bytes
	// metaSyncSeries is this database's series of operation IDs, random
	// (see newOp); absent on a database that synced before series, whose
	// IDs go on as they were.
	metaSyncSeries = "sync.series"
	// metaErasedCompact is set with every erasure, made here or arrived
	// by sync: the file's freed pages still hold the person until the
	// next compaction (Compact, CompactAfterErasure), which clears it. A
	// snapshot (a backup) taken meanwhile carries it too.
	metaErasedCompact = "sync.erased.compact"
	// metaErasuresClean is when the file was last compacted after its
	// erasures (RFC 3339): snapshots taken since hold no freed page of
	// anyone erased before it.
	metaErasuresClean = "erasures.compacted"
)

// applying is the transaction in which ApplyRemote writes: its writes are
// other installs' operations, not new ones.
type applying struct {
	tx atomic.Pointer[bolt.Tx]
	// by names, for the change log, who made the change being applied
	// ("Ana López, en «norte»"); set only inside ApplyRemote's update,
	// which bbolt runs alone.
	by string
}

// syncedTables names the record.set table of each synced bucket other
// than people, events and referrals, which have operations of their own.
var syncedTables = map[string]string{string(bucketOffices): "office", string(bucketStaff): "staff"}

// EnableSync makes this store record its writes as operations of device.
// The records it already holds are recorded first, as if just written, so
// that the other installs get them too: the space's starting point.
func (s *Store) EnableSync(device string) error {
	if device == "" || strings.ContainsAny(device, "/-\\ ") {
		return fmt.Errorf("nombre de dispositivo no válido: %q", device)
	}
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if old := meta.Get([]byte(metaSyncDevice)); old != nil {
			if string(old) != device {
				return fmt.Errorf("este equipo ya sincroniza como «%s»", old)
			}
			return nil
		}
		if err := meta.Put([]byte(metaSyncDevice), []byte(device)); err != nil {
			return err
		}
		if err := newSeries(meta); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketOffices, bucketStaff, bucketPeople, bucketEvents, bucketReferrals} {
			c := tx.Bucket(b).Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				plain, err := openValue(tx, b, k, v)
				if err != nil {
					return err
				}
				if err := s.captureOp(tx, b, slices.Clone(k), nil, plain); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SyncDevice is the device EnableSync set, or "".
func (s *Store) SyncDevice() string {
	var d string
	_ = s.view(func(tx *bolt.Tx) error { d = string(tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice))); return nil })
	return d
}

// OpSeries is this database's series of operation IDs in hex ("" on a
// database that synced before series, or does not sync): sync tells by
// it that its file served another database (see newOp).
func (s *Store) OpSeries() string {
	var series []byte
	_ = s.view(func(tx *bolt.Tx) error {
		series = slices.Clone(tx.Bucket(bucketMeta).Get([]byte(metaSyncSeries)))
		return nil
	})
	return fmt.Sprintf("%x", series)
}

// PendingOps returns the operations made here that sync has not taken.
func (s *Store) PendingOps() ([]Op, error) {
	var out []Op
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOpOut)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var op Op
			if err := decodeValue(tx, bucketOpOut, k, v, &op); err != nil {
				return err
			}
			out = append(out, op)
			return nil
		})
	})
	return out, err
}

// TakeOps removes the operations sync has safely kept from the outbox.
// The store keeps them, as handed to sync (HandedOps), until ShippedOps
// says they are on the server.
func (s *Store) TakeOps(ids []string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOpOut)
		if b == nil {
			return nil
		}
		if _, err := tx.CreateBucketIfNotExists(bucketOpHanded); err != nil {
			return err
		}
		for _, id := range ids {
			if v := b.Get([]byte(id)); v != nil {
				// Sealed under the outbox's name: opened and sealed again.
				plain, err := openValue(tx, bucketOpOut, []byte(id), v)
				if err != nil {
					return err
				}
				if err := putRaw(tx, bucketOpHanded, []byte(id), plain); err != nil {
					return err
				}
			}
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// HandedOps returns the operations sync took (TakeOps) and has not yet
// said are on the server (ShippedOps): sync hands them over again when
// its own file lost them.
func (s *Store) HandedOps() ([]Op, error) {
	var out []Op
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOpHanded)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var op Op
			if err := decodeValue(tx, bucketOpHanded, k, v, &op); err != nil {
				return err
			}
			out = append(out, op)
			return nil
		})
	})
	return out, err
}

// KeepHandedOps keeps ops as handed to sync (HandedOps) until
// ShippedOps, as TakeOps does with what it takes from the outbox: for
// the operations a sync file holds unsent that the store does not list
// as handed (taken by a version of sync from before the store kept them,
// or by a sync file that served another database), so that losing that
// file does not lose them. An operation about a person whose erasure is
// in the outbox (erased since sync read it) is not kept: nothing about
// an erased person leaves this install.
func (s *Store) KeepHandedOps(ops []Op) error {
	if len(ops) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketOpHanded); err != nil {
			return err
		}
		erasing, err := erasuresWaiting(tx)
		if err != nil {
			return err
		}
		for _, op := range ops {
			if op.Kind != OpPersonErase && (erasing[op.Subject] || erasing[op.Record]) {
				continue
			}
			plain, err := json.Marshal(op)
			if err != nil {
				return err
			}
			if err := putRaw(tx, bucketOpHanded, []byte(op.ID), plain); err != nil {
				return err
			}
		}
		return nil
	})
}

// erasuresWaiting is the people whose erasure is in the outbox, not yet
// taken by sync.
func erasuresWaiting(tx *bolt.Tx) (map[string]bool, error) {
	out := map[string]bool{}
	b := tx.Bucket(bucketOpOut)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var op Op
		if err := decodeValue(tx, bucketOpOut, k, v, &op); err != nil {
			return err
		}
		if op.Kind == OpPersonErase {
			out[op.Record] = true
		}
		return nil
	})
	return out, err
}

// ShippedOps forgets the operations handed to sync that are now on the
// server (or that sync will never send: about a person erased).
func (s *Store) ShippedOps(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketOpHanded) == nil {
			return nil
		}
		keys := make([][]byte, len(ids))
		for i, id := range ids {
			keys[i] = []byte(id)
		}
		return deleteKeys(tx, bucketOpHanded, keys)
	})
}

// groupOf is the field group a person's JSON field belongs to.
func groupOf(field string) string {
	for g, fs := range PersonFieldGroups {
		if slices.Contains(fs, field) {
			return g
		}
	}
	return field
}

// groupFields are the JSON fields of group.
func groupFields(group string) []string {
	if fs, ok := PersonFieldGroups[group]; ok {
		return fs
	}
	return []string{group}
}

func personBaseKey(person, group string) []byte { return []byte("p\x00" + person + "\x00" + group) }
func referralBaseKey(id string) []byte          { return []byte("r\x00" + id) }

// captureOp records the write of plain over old at bucket/key as
// operations, when sync is enabled and the write is not ApplyRemote's.
func (s *Store) captureOp(tx *bolt.Tx, bucket, key, old, plain []byte) error {
	device := string(tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
	if device == "" || s.apply.tx.Load() == tx {
		return nil
	}
	u := s.User()
	mk := func(kind OpKind, record, subject string) (Op, error) {
		return s.newOp(tx, device, u.Login, kind, record, subject)
	}
	var ops []Op
	switch {
	case plain == nil && syncedTables[string(bucket)] == "":
		return nil // people, events and referrals go only by erasure, which is an operation of its own
	case bytes.Equal(bucket, bucketPeople):
		oldF, err := fieldsOf(old)
		if err != nil {
			return err
		}
		newF, err := fieldsOf(plain)
		if err != nil {
			return err
		}
		changed := map[string]bool{}
		for f := range joinKeys(oldF, newF) {
			if f != "id" && !slices.Contains(stampFields, f) && !bytes.Equal(oldF[f], newF[f]) {
				changed[groupOf(f)] = true
			}
		}
		if len(changed) == 0 {
			return nil
		}
		op, err := mk(OpPersonSet, string(key), string(key))
		if err != nil {
			return err
		}
		op.Fields, op.Base = map[string]json.RawMessage{}, map[string]string{}
		for g := range changed {
			obj := map[string]json.RawMessage{}
			for _, f := range groupFields(g) {
				if v, ok := newF[f]; ok {
					obj[f] = v
				}
			}
			if op.Fields[g], err = json.Marshal(obj); err != nil {
				return err
			}
			if b, err := getValue(tx, bucketOpBase, personBaseKey(string(key), g)); err == nil {
				op.Base[g] = string(b)
			}
			if err := putRaw(tx, bucketOpBase, personBaseKey(string(key), g), []byte(op.ID)); err != nil {
				return err
			}
		}
		ops = append(ops, op)
	case bytes.Equal(bucket, bucketEvents):
		var e struct {
			ID       string `json:"id"`
			PersonID string `json:"person_id"`
		}
		if err := json.Unmarshal(plain, &e); err != nil {
			return err
		}
		op, err := mk(OpEventAdd, e.ID, e.PersonID)
		if err != nil {
			return err
		}
		op.Data = plain
		ops = append(ops, op)
	case bytes.Equal(bucket, bucketReferrals):
		var before, after Referral
		if old != nil {
			if err := json.Unmarshal(old, &before); err != nil {
				return err
			}
		}
		if err := json.Unmarshal(plain, &after); err != nil {
			return err
		}
		steps := after.History[min(len(before.History), len(after.History)):]
		if len(steps) == 0 {
			steps = after.History[len(after.History)-1:] // an edit that is no step: kept with the last action
		}
		for _, t := range steps {
			op, err := mk(OpReferralStep, after.ID, after.PersonID)
			if err != nil {
				return err
			}
			if b, err := getValue(tx, bucketOpBase, referralBaseKey(after.ID)); err == nil {
				op.Follows = string(b)
			}
			if op.Data, err = json.Marshal(map[string]any{"action": t.Action, "referral": json.RawMessage(plain)}); err != nil {
				return err
			}
			if err := putRaw(tx, bucketOpBase, referralBaseKey(after.ID), []byte(op.ID)); err != nil {
				return err
			}
			ops = append(ops, op)
		}
	default:
		table, ok := syncedTables[string(bucket)]
		if !ok {
			return nil
		}
		kind := OpRecordSet
		if plain == nil {
			kind = OpRecordDelete
		}
		op, err := mk(kind, table+"/"+string(key), "")
		if err != nil {
			return err
		}
		op.Data = plain
		ops = append(ops, op)
	}
	for _, op := range ops {
		if err := putOutbox(tx, op); err != nil {
			return err
		}
	}
	return nil
}

// putOutbox puts op, made here, in the outbox for sync to hand on.
func putOutbox(tx *bolt.Tx, op Op) error {
	raw, err := json.Marshal(op)
	if err != nil {
		return err
	}
	return putRaw(tx, bucketOpOut, []byte(op.ID), raw)
}

// newOp gives an operation its ID and clock: the device's next counter
// in this database's series, and a clock never behind any this install
// used or saw.
//
// The ID is device-series-counter. The series is random, drawn when the
// database starts syncing (EnableSync) or is put back from a backup
// (RenewOpSeries): a device's identity outlives its database (Enlace
// reinstalled with a new one and the same invitation, a backup put
// back), and each new database counts from 1 again, or from where the
// backup was, while the server keeps every ID the device used before.
// The series keeps them apart without asking the server, so it works
// for operations made offline, before the first sync. Every install
// compares operations by clock and then ID, whatever the form of the ID,
// so nothing else changes. A database that synced before series has none
// and goes on with device-counter.
func (s *Store) newOp(tx *bolt.Tx, device, user string, kind OpKind, record, subject string) (Op, error) {
	meta := tx.Bucket(bucketMeta)
	var n uint64
	if b := meta.Get([]byte(metaSyncCount)); len(b) == 8 {
		n = binary.BigEndian.Uint64(b)
	}
	n++
	if err := meta.Put([]byte(metaSyncCount), binary.BigEndian.AppendUint64(nil, n)); err != nil {
		return Op{}, err
	}
	clock, err := s.tick(tx, device)
	if err != nil {
		return Op{}, err
	}
	id := fmt.Sprintf("%s-%016x", device, n)
	if series := meta.Get([]byte(metaSyncSeries)); len(series) > 0 {
		id = fmt.Sprintf("%s-%x-%016x", device, series, n)
	}
	return Op{ID: id, Clock: clock, Device: device, User: user,
		Kind: kind, Record: record, Subject: subject}, nil
}

// seriesBytes is the length of a series of operation IDs: 48 random bits,
// so that two databases of one device draw the same with a chance of one
// in 2^48.
const seriesBytes = 6

// newSeries starts a new series of operation IDs in meta, from 1.
func newSeries(meta *bolt.Bucket) error {
	series := make([]byte, seriesBytes)
	if _, err := rand.Read(series); err != nil {
		return err
	}
	if err := meta.Put([]byte(metaSyncSeries), series); err != nil {
		return err
	}
	return meta.Delete([]byte(metaSyncCount))
}

// RenewOpSeries starts a new series of operation IDs in the closed
// database file at path, when it syncs: for a backup put back in place
// of the database (data/backup's Swap). Its counter is where the backup
// was, behind the IDs the lost database used after it, which the server
// holds; a new series never meets them.
func RenewOpSeries(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("abrir %s: %w", path, err)
	}
	syncs := false // a database that does not sync is left byte for byte as it was
	err = db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		syncs = meta != nil && meta.Get([]byte(metaSyncDevice)) != nil
		return nil
	})
	if err == nil && syncs {
		err = db.Update(func(tx *bolt.Tx) error { return newSeries(tx.Bucket(bucketMeta)) })
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// tick advances and returns the install's clock.
func (s *Store) tick(tx *bolt.Tx, device string) (HLC, error) {
	meta := tx.Bucket(bucketMeta)
	var last HLC
	if b := meta.Get([]byte(metaSyncClock)); b != nil {
		if err := json.Unmarshal(b, &last); err != nil {
			return HLC{}, err
		}
	}
	wall := s.now().UnixMilli()
	next := HLC{Wall: wall, Device: device}
	if wall <= last.Wall {
		next = HLC{Wall: last.Wall, Counter: last.Counter + 1, Device: device}
	}
	raw, _ := json.Marshal(next)
	return next, meta.Put([]byte(metaSyncClock), raw)
}
