package sync

import (
	"crypto/cipher"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"maps"
	"slices"
	"strings"
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

	// seen is the heads/ listing of the last sync, for Status.
	seen *Listing

	// afterPut, when set (tests), runs after a batch is put and before
	// the head is: an error there stands for a crash in between.
	afterPut func() error
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
var syncBuckets = [][]byte{bucketOps, bucketOutbox, bucketCursors, bucketMeta, bucketRefused, bucketKeys, bucketShred}

// keyRecord is a person key as the sync file keeps it.
type keyRecord struct {
	Key    []byte `json:"key"`
	Sent   bool   `json:"sent"`             // on the server
	Bundle string `json:"bundle,omitempty"` // the bundle that also holds it, while there is one
}

type inflight struct {
	Seq uint64   `json:"seq"`
	IDs []string `json:"ids"`
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
		bundles: map[string]string{}}
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

// takeLocal moves the store's new operations into the sync file: recorded
// here first, then taken from the store, so a crash in between only
// records them again.
func (in *Install) takeLocal() error {
	if in.cfg.Local == nil {
		return nil
	}
	ops, err := in.cfg.Local.PendingOps()
	if err != nil || len(ops) == 0 {
		return err
	}
	if err := in.Record(ops...); err != nil {
		return err
	}
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	return in.cfg.Local.TakeOps(ids)
}

// Report says what a sync did.
type Report struct {
	Sent, Received int   // operations
	Requests       int64 // HTTP requests made
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

// push ships the outbox as the next batch. Before the PUT, the batch's
// number and operations are written down (inflight): after a crash the
// same operations go out under the same number again, so whether or not
// the server honours If-None-Match, that file only ever holds them.
func (in *Install) push() (int, error) {
	var fl inflight
	var seq uint64
	err := in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq = getUint(meta.Get([]byte("seq")))
		if raw := meta.Get([]byte("inflight")); raw != nil {
			return json.Unmarshal(raw, &fl)
		}
		_ = tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error {
			fl.IDs = append(fl.IDs, string(k))
			return nil
		})
		if len(fl.IDs) == 0 {
			return nil
		}
		fl.Seq = seq + 1
		raw, err := json.Marshal(fl)
		if err != nil {
			return err
		}
		return meta.Put([]byte("inflight"), raw)
	})
	if err != nil || len(fl.IDs) == 0 {
		return 0, err
	}
	var ops []data.Op
	for _, id := range fl.IDs {
		if op, ok := in.journal.ops[id]; ok { // not when its person was erased since
			ops = append(ops, op)
		}
	}
	b, used, bundle, err := in.boxBatch(fl.Seq, ops)
	if err != nil {
		return 0, err
	}
	// Sealed to the current epoch, also when it is a batch left in flight
	// from before a removal: the removed device cannot read it.
	b.Epoch = in.cfg.Membership.current()
	ct, err := Seal(b, in.cfg.SignKey, in.keys[b.Epoch].Recipient())
	if err != nil {
		return 0, err
	}
	if fl.Seq == 1 {
		if err := in.cfg.Remote.Prepare(in.cfg.Device); err != nil {
			return 0, err
		}
	}
	if err := in.sendKeys(used, bundle); err != nil { // before the batch that needs them
		return 0, err
	}
	switch err := in.cfg.Remote.PutBatch(in.cfg.Device, fl.Seq, ct); {
	case errors.Is(err, ErrExists):
		// Put before a crash, it holds these very operations; if it does
		// not, the sync file is out of step with the server (samePut).
		if err := in.samePut(fl.Seq, fl.IDs); err != nil {
			return 0, err
		}
	case err != nil:
		return 0, err
	}
	if in.afterPut != nil {
		if err := in.afterPut(); err != nil {
			return 0, err
		}
	}
	head, err := in.head(fl.Seq) // with the read vector, snapshot and removals (compact.go)
	if err != nil {
		return 0, err
	}
	if err := in.cfg.Remote.PutHead(in.cfg.Device, fl.Seq, head, seq); err != nil {
		return 0, err
	}
	return len(fl.IDs), in.db.Update(func(tx *bolt.Tx) error {
		for _, id := range fl.IDs {
			if err := tx.Bucket(bucketOutbox).Delete([]byte(id)); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Delete([]byte("inflight")); err != nil {
			return err
		}
		return meta.Put([]byte("seq"), putUint(fl.Seq))
	})
}

// headFile is a device's head.json, signed by the device.
type headFile struct {
	Device string `json:"device"`
	Seq    uint64 `json:"seq"`

	// For joins and garbage collection (compact.go, gc.go): how far the
	// device has applied every other, its newest snapshot, and up to which
	// batch it removed its own.
	Read     map[string]uint64 `json:"read,omitempty"`
	Snapshot *SnapshotRef      `json:"snapshot,omitempty"`
	Pruned   uint64            `json:"pruned,omitempty"`
}

// pull reads every other member's head and the batches after the last
// one applied, checks them all, and applies them in one transaction. A
// batch with an action its signer may not take holds back its device
// from there (a Refusal, see refused.go) until the administration skips
// it; one that does not open, or a head that does not, holds it back
// until it does (broken.go); the other devices' batches are applied all
// the same. A failure of the network or the server fails the whole pull.
func (in *Install) pull() (int, error) {
	cursors := map[string]uint64{}
	_ = in.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCursors).ForEach(func(k, v []byte) error {
			cursors[string(k)] = getUint(v)
			return nil
		})
	})
	listing := in.cfg.Remote.TakeListing()
	if listing == nil {
		var err error
		listing, err = in.cfg.Remote.ListHeads()
		switch {
		case errors.Is(err, errMissing):
			return 0, nil // no device has shipped anything yet
		case err != nil:
			return 0, err
		}
	}
	in.seen = listing
	// A first sync starts from snapshots and reads only the batches after.
	fromSnap, next, snapKeys, serr := in.fromSnapshots(listing, cursors)
	if serr != nil {
		return 0, serr
	}
	var read []Batch // boxes closed; the roles are checked once they are open (unboxAll)
	var visible []data.Op
	var broken []Refusal // devices held back at a batch that does not open (broken.go)
	now := time.Now()
	// get reads the batch seq of m; false when it does not open, and m's
	// device is then held back there. Only a failure of the network or
	// the server is an error, of the whole sync.
	get := func(m Member, seq uint64) (bool, error) {
		ct, err := in.cfg.Remote.GetBatch(m.Device, seq)
		if err != nil && !errors.Is(err, errMissing) {
			return false, err
		}
		var b Batch
		if err == nil {
			b, err = openBatch(ct, in.keys, &in.cfg.Membership, m.Device, seq)
		}
		if err != nil {
			broken = append(broken, in.hold(m, seq, causeOf(err), err, now))
			return false, nil
		}
		read = append(read, b)
		visible = append(visible, b.Ops...)
		return true, nil
	}
	readUpTo := func(m Member, last uint64) error {
		for seq := cursors[m.Device] + 1; seq <= last; seq++ {
			if ok, err := get(m, seq); err != nil || !ok {
				return err
			}
		}
		return nil
	}
	var ownTop uint64 // this device's batches of an earlier sync file, read back (resume.go)
	_ = in.db.View(func(tx *bolt.Tx) error { ownTop = getUint(tx.Bucket(bucketMeta).Get(metaOwnTop)); return nil })
	for _, m := range in.cfg.Membership.Members {
		if m.Device == in.cfg.Device {
			if ownTop > cursors[m.Device] && !in.held(m.Device, cursors[m.Device]+1, visible) {
				if err := readUpTo(m, ownTop); err != nil {
					return 0, err
				}
			}
			continue
		}
		if m.Removed {
			// What it had on the server when it was removed, and no more.
			if m.RemovedIn > 0 && !in.brokenAt(m.Device, cursors[m.Device]+1) {
				if err := readUpTo(m, m.Until); err != nil {
					return 0, err
				}
			}
			continue
		}
		top := listing.Heads[m.Device]
		if top <= cursors[m.Device] || in.held(m.Device, cursors[m.Device]+1, visible) {
			continue // nothing new (or nothing shipped yet), or held back for the administration
		}
		raw, err := in.cfg.Remote.GetHead(m.Device, top)
		if errors.Is(err, errMissing) {
			continue // replaced since the listing: the next sync reads the new one
		}
		if err != nil {
			return 0, err
		}
		var h headFile
		if err := verify(raw, m.SignKey, &h); err != nil || h.Device != m.Device || h.Seq != top {
			err = fmt.Errorf("el estado publicado por %s (%s) no es válido: %w", m.Name, m.Device, ErrTampered)
			broken = append(broken, in.hold(m, cursors[m.Device]+1, causeHead, err, now))
			continue
		}
		if err := readUpTo(m, h.Seq); err != nil {
			return 0, err
		}
	}
	ing, err := in.unboxAll(read, snapKeys, now)
	if err != nil {
		return 0, err
	}
	maps.Copy(next, ing.next)
	incoming := append(fromSnap, ing.ops...)
	refused, skips, shredded, fetched := append(ing.refused, broken...), ing.skips, ing.shredded, ing.fetched
	for _, r := range refused {
		if r.Broken {
			log.Printf("sync: el lote %d de %s (%s) no se aplica y retiene ese equipo: %s", r.Seq, r.Device, r.Name, r.Detail)
		}
	}
	if len(incoming) == 0 && len(skips) == 0 {
		if len(next) == 0 && len(refused) == 0 && len(shredded) == 0 {
			return 0, nil
		}
		// Only operations about people erased, or refused: the cursors
		// move on, or the refusals are kept.
		return 0, in.db.Update(func(tx *bolt.Tx) error {
			if err := putShred(tx, shredded); err != nil {
				return err
			}
			if err := putCursors(tx, next); err != nil {
				return err
			}
			return in.putRefusals(tx, refused, next)
		})
	}
	if err := in.guard(incoming); err != nil {
		return 0, err
	}
	if err := in.takeLocal(); err != nil { // what was typed while the batches came
		return 0, err
	}
	cand := in.journal.clone()
	added := 0
	for _, op := range incoming {
		ok, err := cand.Add(op)
		if err != nil {
			return 0, err
		}
		if ok {
			added++
		}
	}
	if in.cfg.Local != nil {
		ch := changesFor(cand.Project(), incoming)
		ch.Skipped = skips
		if err := in.cfg.Local.ApplyRemote(ch); err != nil {
			return 0, fmt.Errorf("aplicar los cambios recibidos: %w", err)
		}
	}
	err = in.db.Update(func(tx *bolt.Tx) error {
		for _, op := range incoming {
			if in.journal.Has(op.ID) || !cand.Has(op.ID) {
				continue // known, or about a person erased
			}
			if err := in.putOp(tx, op); err != nil {
				return err
			}
		}
		if err := in.keepKeys(tx, fetched, cand); err != nil {
			return err
		}
		if err := in.forgetErased(tx, cand, incoming); err != nil {
			return err
		}
		if err := putShred(tx, shredded); err != nil {
			return err
		}
		if err := putCursors(tx, next); err != nil {
			return err
		}
		return in.putRefusals(tx, refused, next)
	})
	if err != nil {
		return 0, err
	}
	in.journal = cand
	for _, op := range incoming {
		if op.Clock.Compare(in.clock) > 0 {
			in.clock = data.HLC{Wall: op.Clock.Wall, Counter: op.Clock.Counter, Device: in.cfg.Device}
		}
	}
	return added, nil
}

// guard refuses incoming operations that would remove more than
// MaxDeleteShare of the people and records the install holds.
func (in *Install) guard(ops []data.Op) error {
	st := in.journal.Project()
	live := st.LiveRecords()
	if live < 10 {
		return nil
	}
	removed := map[string]bool{}
	for _, op := range ops {
		switch op.Kind {
		case data.OpPersonErase:
			if _, ok := st.People[op.Record]; ok {
				removed[op.Record] = true
			}
		case data.OpRecordDelete:
			if v, ok := st.Records[op.Record]; ok && v.Value != nil {
				removed[op.Record] = true
			}
		}
	}
	if float64(len(removed)) > in.cfg.MaxDeleteShare*float64(live) {
		return &MassDeletionError{Removed: len(removed), Live: live}
	}
	return nil
}

// MassDeletionError is the guard's refusal: how many of the records held
// the sync would have removed. It wraps ErrMassDeletion.
type MassDeletionError struct{ Removed, Live int }

func (e *MassDeletionError) Error() string {
	return fmt.Sprintf("%v (%d de %d)", ErrMassDeletion, e.Removed, e.Live)
}

// Unwrap lets errors.Is(err, ErrMassDeletion) match.
func (e *MassDeletionError) Unwrap() error { return ErrMassDeletion }

func putCursors(tx *bolt.Tx, next map[string]uint64) error {
	for dev, seq := range next {
		if err := tx.Bucket(bucketCursors).Put([]byte(dev), putUint(seq)); err != nil {
			return err
		}
	}
	return nil
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

// changesFor is what the incoming operations make of the records they
// touch, in the state st that includes them: the winners, which may be
// this install's own writes.
func changesFor(st *State, incoming []data.Op) data.RemoteChanges {
	ch := data.RemoteChanges{People: map[string]map[string]data.GroupValue{},
		Referrals: map[string]data.RemoteStep{}, Records: map[string]json.RawMessage{}, By: map[string]string{},
		Conflicts: storedConflicts(st)}
	for _, op := range incoming {
		if op.Clock.Compare(ch.Clock) > 0 {
			ch.Clock = op.Clock
		}
		switch op.Kind {
		case data.OpPersonSet:
			p, ok := st.People[op.Record]
			if !ok {
				continue
			}
			groups := map[string]data.GroupValue{}
			for g, v := range p.Groups {
				groups[g] = data.GroupValue{Op: v.Op, Value: v.Value, By: by(v.User, v.Device)}
			}
			ch.People[op.Record] = groups
		case data.OpEventAdd:
			if e, ok := st.Events[op.Record]; ok {
				ch.Events = append(ch.Events, onPerson(e.Data, e.Subject))
				ch.By[op.Record] = by(op.User, op.Device)
			}
		case data.OpReferralStep:
			r, ok := st.Referrals[op.Record]
			if !ok || len(r.Steps) == 0 {
				continue
			}
			last := r.Steps[len(r.Steps)-1]
			var sd StepData
			if json.Unmarshal(last.Data, &sd) == nil && sd.Extra != nil {
				ch.Referrals[op.Record] = data.RemoteStep{Op: last.Op, Referral: sd.Extra, By: by(last.User, deviceOf(last.Op))}
			}
		case data.OpRecordSet, data.OpRecordDelete:
			v := st.Records[op.Record]
			ch.Records[op.Record] = v.Value
			ch.By[op.Record] = by(v.User, v.Device)
		case data.OpPersonErase:
			ch.Erased = append(ch.Erased, st.mergeGroup(op.Record)...)
		case data.OpPersonMerge:
			if st.Erased[op.Record] { // merged with a person erased: both are
				ch.Erased = append(ch.Erased, st.mergeGroup(op.Record)...)
				continue
			}
			if into, ok := st.MergedInto[op.Record]; ok {
				if ch.Merged == nil {
					ch.Merged = map[string]string{}
				}
				ch.Merged[op.Record] = st.root(into)
			}
		}
	}
	return ch
}

// storedConflicts are st's conflicts as the Store keeps them, for the
// ficha's "Cambios simultáneos — revisar": never nil, so that they
// replace what it held.
func storedConflicts(st *State) []data.SyncConflict {
	out := make([]data.SyncConflict, 0, len(st.Conflicts))
	for _, c := range st.Conflicts {
		detail, err := json.Marshal(c)
		if err != nil {
			continue // plain values only
		}
		out = append(out, data.SyncConflict{Person: c.Subject, Loser: c.Loser.Op, Detail: detail})
	}
	return out
}

// onPerson is an event record on person: the same, unless it names a
// person since merged into another, whose timeline it then joins.
func onPerson(raw json.RawMessage, person string) json.RawMessage {
	var m map[string]json.RawMessage
	if person == "" || json.Unmarshal(raw, &m) != nil {
		return raw
	}
	var was string
	if json.Unmarshal(m["person_id"], &was) != nil || was == person || was == "" {
		return raw
	}
	m["person_id"], _ = json.Marshal(person)
	out, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return out
}

// by is how the change log names who made a change at another install:
// their login and the install ("ana, en «norte»").
func by(user, device string) string {
	if user == "" {
		return ""
	}
	return fmt.Sprintf("%s, en «%s»", user, device)
}

// deviceOf is the device that made the operation with ID id.
func deviceOf(id string) string {
	if i := strings.LastIndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}
