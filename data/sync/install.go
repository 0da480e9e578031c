package sync

import (
	"crypto/cipher"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// Config is what an install needs to take part in a space: its device
// and keys, the space key, the trusted member list and the folder.
type Config struct {
	Device  string
	SignKey ed25519.PrivateKey
	Space   *age.X25519Identity // the space key of Membership.Epoch, which new batches are sealed to
	// Keys is every epoch's space key the install holds, to read batches
	// sealed before the current epoch (nil: Space alone).
	Keys       Keyring
	Membership Membership // checked against the administrator's key by the caller
	Remote     *Remote
	// Local is the install's Store (nil in tests of the engine alone): its
	// outbox is taken at each sync, and what other installs wrote is
	// applied to it before the sync file records it as applied.
	Local Local
	// MaxDeleteShare is the share of records a single sync may remove
	// (default 0.5): above it the sync is refused, so that an emptied or
	// forged folder cannot wipe anyone.
	MaxDeleteShare float64
	// Compact says when snapshots are written and old batches removed
	// (compact.go).
	Compact Compaction
	// Progress, when set, is told how far each sync goes (progress.go):
	// the window shows a first join's.
	Progress Progress
}

// Install is one install's sync engine. Its journal, outbox and cursors
// live in a bbolt file of its own, so a crash at any point loses nothing
// and duplicates nothing.
type Install struct {
	cfg     Config
	aead    cipher.AEAD // seals the sync file's operations
	keys    Keyring     // Config's Keys and Space
	db      *bolt.DB
	journal *Journal
	clock   data.HLC

	// pkeys are the person keys the install holds (person → the device
	// that made it → key), as kept in the sync file; unsent are those made
	// here and not yet on the server, by name.
	pkeys   map[string]map[string][]byte
	unsent  map[string]bool
	bundles map[string]string // key name → the bundle that also holds it

	meter *meter // Config's Progress, throttled

	// seen is the heads/ listing of the last sync, for Status.
	seen *Listing

	// clock0, when set (tests), is the time instead of time.Now: a test
	// moves it on to see the hourly head (maintain).
	clock0 func() time.Time

	// afterPut, when set (tests), runs after a batch is put and before
	// the head is: an error there stands for a crash in between.
	afterPut func() error
	// forceCheck has the next sync check every batch of this device that
	// some member has not read yet, whenever the last check was (Repair).
	forceCheck bool
	// format, when set (tests), is the format new batches and snapshots
	// are written in instead of batchV3: batchV2 writes them as installs
	// before format 3 did, to check that they still open.
	format int
}

var (
	bucketOps     = []byte("ops")     // op ID → op JSON: the journal
	bucketOutbox  = []byte("outbox")  // op ID → "": made here, not yet shipped
	bucketCursors = []byte("cursors") // device → last batch applied (8 bytes)
	bucketMeta    = []byte("meta")    // "seq": last batch shipped; "inflight": the batch being shipped; "compact": an erasure left freed pages
	bucketKeys    = []byte("keys")    // key name (person.device) → sealed keyRecord: the person keys held
	bucketShred   = []byte("shred")   // key name → "": keys of erased people still to delete from the server
)

// syncBuckets are the sync file's buckets.
var syncBuckets = [][]byte{bucketOps, bucketOutbox, bucketCursors, bucketMeta, bucketRefused, bucketKeys, bucketShred, bucketSent}

// keyRecord is a person key as the sync file keeps it.
type keyRecord struct {
	Key    []byte `json:"key"`
	Sent   bool   `json:"sent"`             // on the server
	Bundle string `json:"bundle,omitempty"` // the bundle that also holds it, while there is one
}

type inflight struct {
	Seq uint64   `json:"seq"`
	IDs []string `json:"ids"`
	// Repairs is the batch this one publishes again (repair.go), and
	// Cause why.
	Repairs uint64 `json:"repairs,omitempty"`
	Cause   string `json:"cause,omitempty"`
}

// OpenInstall opens (or creates) the install's sync file at path.
func OpenInstall(path string, cfg Config) (*Install, error) {
	if cfg.MaxDeleteShare == 0 {
		cfg.MaxDeleteShare = 0.5
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("abrir el registro de sincronización %s: %w", path, err)
	}
	in := &Install{cfg: cfg, db: db, journal: NewJournal(), pkeys: map[string]map[string][]byte{}, unsent: map[string]bool{},
		bundles: map[string]string{}, meter: &meter{fn: cfg.Progress}}
	in.keys = Keyring{}
	maps.Copy(in.keys, cfg.Keys)
	if cfg.Space != nil {
		in.keys[cfg.Membership.current()] = cfg.Space
	}
	if in.keys[cfg.Membership.current()] == nil {
		db.Close()
		return nil, fmt.Errorf("%w (clave %d)", ErrNoKey, cfg.Membership.Epoch)
	}
	// The sync file is sealed under the first key the install holds, which
	// a new epoch does not change.
	if in.aead, err = fileAEAD(in.keys[slices.Min(slices.Collect(maps.Keys(in.keys)))]); err != nil {
		db.Close()
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range syncBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if err := in.loadKeys(tx); err != nil {
			return err
		}
		var ops []data.Op
		err := tx.Bucket(bucketOps).ForEach(func(k, v []byte) error {
			plain, err := unseal(in.aead, k, v)
			if err != nil {
				return err
			}
			var op data.Op
			if err := json.Unmarshal(plain, &op); err != nil {
				return err
			}
			if op.Clock.Compare(in.clock) > 0 {
				in.clock = op.Clock
			}
			if op.Kind == data.OpPersonErase {
				in.journal.erased[op.Record] = true
			}
			ops = append(ops, op)
			return nil
		})
		if err != nil {
			return err
		}
		for more := true; more; { // and the people merged into those erased (see Journal.Forget)
			more = false
			for _, op := range ops {
				if p := in.journal.erasedMerge(op); p != "" {
					in.journal.erased[p], more = true, true
				}
			}
		}
		for _, op := range ops { // the tombstones known first, whatever their IDs
			if in.journal.dropped(op) { // left by an older version: about a person erased
				if err := tx.Bucket(bucketOps).Delete([]byte(op.ID)); err != nil {
					return err
				}
				if err := tx.Bucket(bucketMeta).Put([]byte("compact"), []byte{1}); err != nil {
					return err
				}
				continue
			}
			if _, err := in.journal.Add(op); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("leer el registro de sincronización %s: %w", path, err)
	}
	if err := in.compactIfNeeded(); err != nil { // an erasure interrupted before it
		in.db.Close()
		return nil, err
	}
	return in, nil
}

// Close closes the sync file.
func (in *Install) Close() error { return in.db.Close() }

// State is the projection of everything the install knows.
func (in *Install) State() *State { return in.journal.Project() }

// Journal is the install's journal (read only).
func (in *Install) Journal() *Journal { return in.journal }

// Pending is how many local operations are not yet on the server.
func (in *Install) Pending() int {
	n := 0
	_ = in.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketOutbox).Stats().KeyN; return nil })
	return n
}

// Tick returns the next clock reading of this device: never behind any
// clock it has seen, so causality is kept even when PC clocks differ.
func (in *Install) Tick(now time.Time) data.HLC {
	wall := now.UnixMilli()
	if wall > in.clock.Wall {
		in.clock = data.HLC{Wall: wall, Device: in.cfg.Device}
	} else {
		in.clock = data.HLC{Wall: in.clock.Wall, Counter: in.clock.Counter + 1, Device: in.cfg.Device}
	}
	return in.clock
}

// Record keeps operations made at this install: in the journal at once,
// and in the outbox until a sync ships them.
func (in *Install) Record(ops ...data.Op) error {
	return in.db.Update(func(tx *bolt.Tx) error {
		for _, op := range ops {
			if op.Device != in.cfg.Device {
				return fmt.Errorf("la operación %s no es de este dispositivo", op.ID)
			}
			if in.journal.dropped(op) {
				continue // about a person erased (typed before the erasure arrived): not kept, not sent
			}
			if err := in.putOp(tx, op); err != nil {
				return err
			}
			if err := tx.Bucket(bucketOutbox).Put([]byte(op.ID), nil); err != nil {
				return err
			}
		}
		for _, op := range ops {
			if _, err := in.journal.Add(op); err != nil {
				return err
			}
		}
		return in.forgetErased(tx, in.journal, ops)
	})
}

// putOp writes op, sealed, into the sync file's journal.
func (in *Install) putOp(tx *bolt.Tx, op data.Op) error {
	raw, err := json.Marshal(op)
	if err != nil {
		return err
	}
	sealed, err := seal(in.aead, []byte(op.ID), raw)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketOps).Put([]byte(op.ID), sealed)
}

// forgetErased removes from j and from the sync file every operation
// about a person erased by one of ops (RGPD art. 17), and the person's
// keys, which go on the list of keys to delete from the server: only the
// tombstone stays, and the journal drops any such operation that comes
// later. The sync file is then compacted (see compactIfNeeded).
func (in *Install) forgetErased(tx *bolt.Tx, j *Journal, ops []data.Op) error {
	for _, op := range ops {
		person := op.Record
		if op.Kind != data.OpPersonErase {
			if person = j.erasedMerge(op); person == "" {
				continue
			}
		}
		gone, people := j.Forget(person)
		for _, id := range gone {
			if err := tx.Bucket(bucketOps).Delete([]byte(id)); err != nil {
				return err
			}
			if err := tx.Bucket(bucketOutbox).Delete([]byte(id)); err != nil {
				return err
			}
		}
		dropped := false
		for _, p := range people {
			d, err := in.dropKeys(tx, p)
			if err != nil {
				return err
			}
			dropped = dropped || d
		}
		if len(gone) > 0 || dropped {
			if err := tx.Bucket(bucketMeta).Put([]byte("compact"), []byte{1}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Local is what sync needs of a data.Store.
type Local interface {
	PendingOps() ([]data.Op, error)
	TakeOps(ids []string) error
	ApplyRemote(data.RemoteChanges) error
}

// erasedCompacter is a Local that rewrites its file after an erasure
// arrived (data.Store), so that its freed pages keep nothing of the person.
type erasedCompacter interface{ CompactAfterErasure() error }

// handedKeeper is a Local that keeps the operations it handed to sync
// until sync says they are on the server (data.Store): what a sync file
// lost before sending (deleted, or Enlace reinstalled over the database)
// is handed over again.
type handedKeeper interface {
	HandedOps() ([]data.Op, error)
	KeepHandedOps(ops []data.Op) error
	ShippedOps(ids []string) error
}

// takeLocal moves the store's new operations into the sync file: recorded
// here first, then taken from the store, so a crash in between only
// records them again. The operations the store handed over before and
// this sync file does not hold (a new file: the one that took them is
// lost) are recorded again, to be sent; those it holds and has sent, or
// will never send, the store forgets; those it holds unsent that the
// store does not keep, it gives the store to keep (handOn).
func (in *Install) takeLocal() error {
	if in.cfg.Local == nil {
		return nil
	}
	ops, err := in.cfg.Local.PendingOps()
	if err != nil {
		return err
	}
	hk, keeps := in.cfg.Local.(handedKeeper)
	var handed map[string]bool
	if keeps {
		var again []data.Op
		if again, handed, err = in.handedAgain(hk); err != nil {
			return err
		}
		ops = append(again, ops...)
	}
	if len(ops) > 0 {
		if err := in.Record(ops...); err != nil {
			return err
		}
		ids := make([]string, len(ops))
		for i, op := range ops {
			ids[i] = op.ID
		}
		if err := in.cfg.Local.TakeOps(ids); err != nil {
			return err
		}
	}
	if !keeps {
		return nil
	}
	for _, op := range ops {
		handed[op.ID] = true // TakeOps keeps them
	}
	return in.handOn(hk, handed)
}

// handedAgain returns the operations hk handed to sync that the sync
// file does not hold, and tells hk to forget those it has sent (in the
// journal and out of the outbox) or drops (about a person erased). It
// also returns the IDs of those hk keeps still.
func (in *Install) handedAgain(hk handedKeeper) ([]data.Op, map[string]bool, error) {
	handed, err := hk.HandedOps()
	if err != nil {
		return nil, nil, err
	}
	kept := map[string]bool{}
	var again []data.Op
	var done []string
	err = in.db.View(func(tx *bolt.Tx) error {
		out := tx.Bucket(bucketOutbox)
		for _, op := range handed {
			switch {
			case in.journal.dropped(op):
				done = append(done, op.ID)
			case !in.journal.Has(op.ID):
				again = append(again, op)
			case out.Get([]byte(op.ID)) == nil:
				done = append(done, op.ID)
			default:
				kept[op.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, op := range again {
		kept[op.ID] = true
	}
	return again, kept, hk.ShippedOps(done)
}

// handOn gives hk to keep the operations of this sync file's outbox (not
// yet on the server, a batch in flight included) that hk does not list
// as handed: those a sync file of a version from before the store kept
// what it hands over had taken, or that this file holds for another
// database (matchLocal). Else losing this file would lose them. It runs
// after the store's new operations are recorded, so that an erasure
// among them is known and nothing about the person is handed back.
func (in *Install) handOn(hk handedKeeper, handed map[string]bool) error {
	var missing []data.Op
	err := in.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error {
			op, ok := in.journal.ops[string(k)]
			if ok && !handed[op.ID] && !in.journal.dropped(op) {
				missing = append(missing, op)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	return hk.KeepHandedOps(missing)
}

// Report says what a sync did.
type Report struct {
	Sent, Received int   // operations
	Requests       int64 // HTTP requests made
	Check          Check // what the check of this device's own batches found, when it ran (repair.go)
}

// ErrMassDeletion refuses a sync that would remove most records.
var ErrMassDeletion = errors.New("la sincronización borraría la mayoría de las fichas: no se ha aplicado nada; avise a la administración del espacio")

// Sync ships what is pending and applies what the other devices wrote
// since the last sync.
func (in *Install) Sync() (rep Report, err error) {
	start := in.cfg.Remote.Requests()
	defer func() {
		// Whatever happened, an erasure recorded or received leaves no
		// freed page of the sync file holding the person.
		if cerr := in.compactIfNeeded(); err == nil {
			err = cerr
		}
	}()
	if err := in.takeLocal(); err != nil {
		return rep, err
	}
	if err := in.matchLocal(); err != nil { // a sync file kept over a new database (resume.go)
		return rep, err
	}
	// A sync file behind the server for this device (lost, or put back
	// from an older copy) goes on after the server's batches (resume.go),
	// and reads them back first: the person keys they use are this
	// device's, and a push must seal with those, not make new ones.
	if resumed, err := in.resume(); err != nil {
		return rep, err
	} else if resumed {
		if rep.Received, err = in.pull(); err != nil {
			rep.Requests = in.cfg.Remote.Requests() - start
			return rep, err
		}
	}
	// A batch left in flight by a crash goes out first, as it was; what
	// was typed since follows in the next batch, in the same sync.
	for range 3 {
		var sent int
		sent, err = in.push()
		rep.Sent += sent
		if err != nil || sent == 0 || in.Pending() == 0 {
			break
		}
	}
	if err == nil {
		// This device's own batches some member has not read, checked
		// every so often, once what was in flight is out: one broken on
		// the server is published again (repair.go).
		force := in.forceCheck
		in.forceCheck = false
		rep.Check, err = in.checkOwn(in.now(), force)
	}
	if err != nil {
		in.cfg.Remote.TakeListing() // the next sync lists again
		rep.Requests = in.cfg.Remote.Requests() - start
		return rep, err
	}
	var got int
	got, err = in.pull()
	rep.Received += got
	if err == nil && in.unblocked() {
		// A skip of a batch held back came in this pull, after the
		// device it unblocks was read: read that device again.
		var more int
		more, err = in.pull()
		rep.Received += more
	}
	// Keys of erased people go even when another device's batch is
	// refused: the erasure must not wait for that to be sorted out.
	if serr := in.shred(); err == nil {
		err = serr
	}
	if c, ok := in.cfg.Local.(erasedCompacter); ok && err == nil {
		err = c.CompactAfterErasure()
	}
	if err == nil {
		err = in.maintain(rep.Sent, rep.Received) // snapshots, collection (compact.go)
	}
	rep.Requests = in.cfg.Remote.Requests() - start
	return rep, err
}

func getUint(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func putUint(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// setMeta stores n under key in the meta bucket, in a transaction of its
// own.
func (in *Install) setMeta(key []byte, n uint64) error {
	return in.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(key, putUint(n)) })
}

// sortedIDs is for tests and reports: the journal's IDs in order.
func (j *Journal) sortedIDs() []string {
	ids := make([]string, 0, len(j.ops))
	for id := range j.ops {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// clone copies the journal (the operations themselves are immutable).
func (j *Journal) clone() *Journal {
	c := &Journal{ops: make(map[string]data.Op, len(j.ops)), raw: make(map[string][]byte, len(j.raw)),
		erased: make(map[string]bool, len(j.erased))}
	for k := range j.erased {
		c.erased[k] = true
	}
	for k, v := range j.ops {
		c.ops[k] = v
	}
	for k, v := range j.raw {
		c.raw[k] = v
	}
	return c
}

// now is the time of this install's computer (Install.clock0 in tests).
func (in *Install) now() time.Time {
	if in.clock0 != nil {
		return in.clock0()
	}
	return time.Now()
}
