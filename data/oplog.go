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
	// metaErasedCompact is set when an erasure arrived by sync: the file's
	// freed pages still hold the person until CompactAfterErasure.
	metaErasedCompact = "sync.erased.compact"
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
			plain, err := openValue(tx, bucketOpOut, k, v)
			if err != nil {
				return err
			}
			var op Op
			if err := json.Unmarshal(plain, &op); err != nil {
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
			plain, err := openValue(tx, bucketOpHanded, k, v)
			if err != nil {
				return err
			}
			var op Op
			if err := json.Unmarshal(plain, &op); err != nil {
				return err
			}
			out = append(out, op)
			return nil
		})
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

// RemoteChanges is what other installs' operations make of the records
// they touched, as data/sync's projection settles it: the winning value
// of each field group, the events, each referral as its winning step
// left it, and offices and staff.
type RemoteChanges struct {
	People    map[string]map[string]GroupValue // person → group → value
	Events    []json.RawMessage                // Event records
	Referrals map[string]RemoteStep            // referral ID → the last step of its winning line
	Records   map[string]json.RawMessage       // "office/<id>", "staff/<id>" → record; nil deletes
	By        map[string]string                // event ID or record → who wrote it, where
	Erased    []string                         // people erased at another install (RGPD art. 17)
	Merged    map[string]string                // person merged at another install → the person kept
	Clock     HLC                              // the latest clock among them, for this install's clock
	// Conflicts are all the conflicts not yet reviewed once these changes
	// are in: they replace the ones the store kept (nil keeps those).
	Conflicts []SyncConflict
	// Skipped are the refused batches the administration skipped at
	// another install, which this install now takes: for its change log.
	Skipped []SkippedBatch
}

// GroupValue is a field group's winning value: a JSON object of its
// fields, and the operation that wrote it.
type GroupValue struct {
	Op    string
	Value json.RawMessage
	By    string // who wrote it, where: for the change log
}

// RemoteStep is a referral as a step left it.
type RemoteStep struct {
	Op       string
	Referral json.RawMessage
	By       string
}

// ApplyRemote writes other installs' changes into the tables, in one
// transaction, without recording them as new operations. The change log
// records them like any write.
func (s *Store) ApplyRemote(ch RemoteChanges) error {
	var cards []PersonCard
	err := s.update(func(tx *bolt.Tx) error {
		s.apply.tx.Store(tx)
		defer func() { s.apply.tx.Store(nil); s.apply.by = "" }()
		// Merges first: the merged person's entries arrive among the
		// events and referrals below, under the person kept.
		for drop, keep := range ch.Merged {
			if err := movePersonRecords(tx, drop, keep, false); err != nil {
				return err
			}
			if err := removePersonOnly(tx, drop); err != nil {
				return err
			}
		}
		for id, groups := range ch.People {
			fields := map[string]json.RawMessage{}
			if old, err := getValue(tx, bucketPeople, []byte(id)); err == nil {
				if fields, err = fieldsOf(old); err != nil {
					return err
				}
			} else if err != ErrNotFound {
				return err
			}
			fields["id"], _ = json.Marshal(id)
			for g, v := range groups {
				var obj map[string]json.RawMessage
				if err := json.Unmarshal(v.Value, &obj); err != nil {
					return fmt.Errorf("persona %s, grupo %s: %w", id, g, err)
				}
				for _, f := range groupFields(g) {
					if val, ok := obj[f]; ok {
						fields[f] = val
					} else {
						delete(fields, f)
					}
				}
				if err := putRaw(tx, bucketOpBase, personBaseKey(id, g), []byte(v.Op)); err != nil {
					return err
				}
			}
			raw, err := json.Marshal(fields)
			if err != nil {
				return err
			}
			var p Person
			if err := json.Unmarshal(raw, &p); err != nil {
				return fmt.Errorf("persona %s: %w", id, err)
			}
			s.apply.by = ""
			for _, v := range groups {
				if v.By != "" {
					s.apply.by = v.By
				}
			}
			if err := putJSON(tx, bucketPeople, id, &p); err != nil {
				return err
			}
			card := p.Card()
			if err := putJSON(tx, bucketCards, id, card); err != nil {
				return err
			}
			cards = append(cards, card)
		}
		for _, raw := range ch.Events {
			var e Event
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			s.apply.by = ch.By[e.ID]
			if err := putJSON(tx, bucketEvents, string(eventKey(e.PersonID, e.At, e.ID)), &e); err != nil {
				return err
			}
		}
		for id, st := range ch.Referrals {
			var r Referral
			if err := json.Unmarshal(st.Referral, &r); err != nil {
				return err
			}
			s.apply.by = st.By
			if err := putJSON(tx, bucketReferrals, id, &r); err != nil {
				return err
			}
			if err := tx.Bucket(bucketPersonRefs).Put([]byte(r.PersonID+r.ID), nil); err != nil {
				return err
			}
			if err := putRaw(tx, bucketOpBase, referralBaseKey(id), []byte(st.Op)); err != nil {
				return err
			}
		}
		for rec, raw := range ch.Records {
			table, key, _ := strings.Cut(rec, "/")
			var bucket []byte
			for b, t := range syncedTables {
				if t == table {
					bucket = []byte(b)
				}
			}
			if bucket == nil {
				return fmt.Errorf("registro de una tabla que no se sincroniza: %s", rec)
			}
			s.apply.by = ch.By[rec]
			var err error
			if raw == nil {
				err = deleteValue(tx, bucket, []byte(key))
			} else {
				err = putValue(tx, bucket, []byte(key), raw)
			}
			if err != nil {
				return err
			}
		}
		s.apply.by = ""
		if ch.Conflicts != nil {
			if err := putSyncConflicts(tx, ch.Conflicts); err != nil {
				return err
			}
		}
		for _, sk := range ch.Skipped {
			s.apply.by = sk.By
			if err := s.appendAudit(tx, skipAudit(sk.Device, sk.Seq, sk.What)); err != nil {
				return err
			}
		}
		s.apply.by = ""
		for _, id := range ch.Erased {
			if err := dropSyncAbout(tx, id); err != nil { // first: it reads the person's referrals
				return err
			}
			if err := erasePersonTx(tx, id); err != nil {
				return err
			}
			if err := s.eraseAudit(tx, id, "Suprimida en otra oficina a petición de la persona (RGPD art. 17); llegó por la sincronización"); err != nil {
				return err
			}
			if err := tx.Bucket(bucketMeta).Put([]byte(metaErasedCompact), []byte{1}); err != nil {
				return err
			}
		}
		// This install's clock never falls behind what it has seen.
		if ch.Clock.Wall > 0 {
			meta := tx.Bucket(bucketMeta)
			var last HLC
			if b := meta.Get([]byte(metaSyncClock)); b != nil {
				_ = json.Unmarshal(b, &last)
			}
			if ch.Clock.Compare(last) > 0 {
				raw, _ := json.Marshal(HLC{Wall: ch.Clock.Wall, Counter: ch.Clock.Counter, Device: last.Device})
				if err := meta.Put([]byte(metaSyncClock), raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.changeIndex(func(ix *searchIndex) {
		for _, c := range cards {
			ix.put(c)
		}
		for _, id := range ch.Erased {
			ix.remove(id)
		}
		for drop := range ch.Merged {
			ix.remove(drop)
		}
	})
	return nil
}

// recordErasure records, when sync is enabled, the erasure of person as
// an operation, and drops from the outbox what it had not yet handed to
// sync about them: nothing about an erased person leaves this install.
func (s *Store) recordErasure(tx *bolt.Tx, person string) error {
	device := string(tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
	if device == "" {
		return nil
	}
	if err := dropSyncAbout(tx, person); err != nil {
		return err
	}
	op, err := s.newOp(tx, device, s.User().Login, OpPersonErase, person, person)
	if err != nil {
		return err
	}
	return putOutbox(tx, op)
}

// dropSyncAbout drops from the outbox what sync has not yet taken about
// person, and the bases of their field groups and referrals: nothing
// about an erased person leaves this install, whether the erasure was
// made here or arrived. It runs before the person's records are deleted.
func dropSyncAbout(tx *bolt.Tx, person string) error {
	for _, bucket := range [][]byte{bucketOpOut, bucketOpHanded} {
		if err := dropOpsAbout(tx, bucket, person); err != nil {
			return err
		}
	}
	if base := tx.Bucket(bucketOpBase); base != nil {
		var drop [][]byte
		prefix := personBaseKey(person, "")
		c := base.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			drop = append(drop, slices.Clone(k))
		}
		_ = eachPrefix(tx, bucketPersonRefs, person, func(k, _ []byte) error {
			drop = append(drop, referralBaseKey(string(k[len(person):])))
			return nil
		})
		return deleteKeys(tx, bucketOpBase, drop)
	}
	return nil
}

// dropOpsAbout drops the operations about person from bucket, the
// outbox or the operations handed to sync.
func dropOpsAbout(tx *bolt.Tx, bucket []byte, person string) error {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	var drop [][]byte
	err := b.ForEach(func(k, v []byte) error {
		plain, err := openValue(tx, bucket, k, v)
		if err != nil {
			return err
		}
		var op Op
		if err := json.Unmarshal(plain, &op); err != nil {
			return err
		}
		if op.Subject == person || op.Record == person {
			drop = append(drop, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return deleteKeys(tx, bucket, drop)
}

// ResolveConflict records the coordinator's review of a conflict about
// person: loserOp is the losing write. With use nil the value applied is
// kept; otherwise use (the losing value of group, a JSON object of its
// fields) is written over it, as a change of its own. Either way the
// conflict leaves this store's SyncConflicts at once (the ficha's
// "Cambios simultáneos" goes), and every other install once this syncs.
func (s *Store) ResolveConflict(person, group, loserOp string, use json.RawMessage, author string) error {
	if err := s.Allow(PermDecide); err != nil {
		return err
	}
	if loserOp == "" {
		return fmt.Errorf("revisar conflicto: falta la operación perdedora")
	}
	return s.Batch(author, func(b *Batch) error {
		device := string(b.tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
		if device == "" {
			return fmt.Errorf("revisar conflicto: este equipo no sincroniza")
		}
		if use != nil {
			old, err := getValue(b.tx, bucketPeople, []byte(person))
			if err != nil {
				return fmt.Errorf("persona %s: %w", person, err)
			}
			fields, err := fieldsOf(old)
			if err != nil {
				return err
			}
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(use, &obj); err != nil {
				return fmt.Errorf("revisar conflicto: el otro valor no se puede leer: %w", err)
			}
			for _, f := range groupFields(group) {
				if v, ok := obj[f]; ok {
					fields[f] = v
				} else {
					delete(fields, f)
				}
			}
			raw, err := json.Marshal(fields)
			if err != nil {
				return err
			}
			var p Person
			if err := json.Unmarshal(raw, &p); err != nil {
				return fmt.Errorf("persona %s: %w", person, err)
			}
			if err := b.UpdatePerson(&p); err != nil {
				return err
			}
		}
		if err := b.tx.Bucket(bucketSyncConflicts).Delete(syncConflictKey(person, loserOp)); err != nil {
			return err
		}
		op, err := s.newOp(b.tx, device, s.User().Login, OpConflictResolve, loserOp, person)
		if err != nil {
			return err
		}
		op.Data, _ = json.Marshal(map[string]any{"group": group, "used_other": use != nil})
		return putOutbox(b.tx, op)
	})
}
