package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// A sync file that is behind the server for this very device: lost (the
// .sync file deleted, Enlace reinstalled with the same computer's
// identity from the settings) or put back from an older copy. Its
// numbering would start again at a batch the server already holds: on a
// server that honours If-None-Match the new operations would be taken for
// those of a crash (and never sent), on one that does not (rclone) they
// would overwrite the device's older batches. So, before a push, when
// the server holds a head of this device newer than the sync file's last
// batch, resume continues the numbering after the highest batch of this
// device on the server (its head's, or one put after it before a crash),
// keeps what that head said of its snapshot and of the batches it
// removed, and has the pull read this device's batches it does not hold
// (or a snapshot that covers them) into the journal, as another device's.

var metaOwnTop = []byte("owntop") // the last batch of this device an earlier sync file shipped, to read back

// ErrOutOfStep is returned by a push whose batch number is already on
// the server with other operations: this install's sync file does not
// match what the server holds of this device.
var ErrOutOfStep = errors.New("el servidor ya tiene ese lote de este equipo con otros cambios: el registro de sincronización de este equipo no coincide con el servidor (¿se ha copiado de otro equipo?); no se ha enviado nada, avise a la administración del espacio")

// resume brings the sync file up to what the server holds of this
// device, when it is behind (see above), and reports whether it was.
func (in *Install) resume() (bool, error) {
	var seq, flSeq, known uint64
	err := in.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq, known = getUint(meta.Get([]byte("seq"))), getUint(meta.Get(metaOwnTop))
		if raw := meta.Get([]byte("inflight")); raw != nil {
			var fl inflight
			if err := json.Unmarshal(raw, &fl); err != nil {
				return err
			}
			flSeq = fl.Seq
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	listing := in.cfg.Remote.keptListing()
	if listing == nil {
		l, err := in.cfg.Remote.ListHeads()
		if errors.Is(err, errMissing) {
			return false, nil // nothing shipped yet by anyone
		}
		if err != nil {
			return false, err
		}
		in.cfg.Remote.KeepListing(l) // the pull reads the same listing
		listing = l
	}
	top := listing.Heads[in.cfg.Device]
	if top <= max(seq, flSeq, known) {
		return false, nil // in step (or a batch put before a crash, whose head followed)
	}
	me, _ := memberOf(&in.cfg.Membership, in.cfg.Device)
	raw, err := in.cfg.Remote.GetHead(in.cfg.Device, top)
	if err != nil {
		return false, err
	}
	var h headFile
	if err := verify(raw, me.SignKey, &h); err != nil || h.Device != in.cfg.Device || h.Seq != top {
		return false, fmt.Errorf("el estado de este equipo en el servidor no está firmado por él: avise a la administración del espacio: %w", ErrTampered)
	}
	for { // a batch put after the head, by a crash of the install that lost its file
		ok, err := in.cfg.Remote.exists(batchPath(in.cfg.Device, top+1))
		if err != nil {
			return false, err
		}
		if !ok {
			break
		}
		top++
	}
	snapSeq := uint64(0)
	if h.Snapshot != nil {
		snapSeq = h.Snapshot.Seq
		for { // as for batches: one put before its head
			ok, err := in.cfg.Remote.exists(snapshotPath(in.cfg.Device, snapSeq+1))
			if err != nil {
				return false, err
			}
			if !ok {
				break
			}
			snapSeq++
		}
	}
	return true, in.db.Update(func(tx *bolt.Tx) error { return in.adopt(tx, seq, top, h, snapSeq) })
}

// adopt writes down, in the sync file, that this device's batches on the
// server go up to top (its head h): the next batch is top+1 (a batch in
// flight is renumbered after it), the batches up to top are read back by
// the pull (from where the sync file had shipped, or all of them for a
// new file), and the head's snapshot and removals are kept.
func (in *Install) adopt(tx *bolt.Tx, seq, top uint64, h headFile, snapSeq uint64) error {
	meta := tx.Bucket(bucketMeta)
	if raw := meta.Get([]byte("inflight")); raw != nil {
		var fl inflight
		if err := json.Unmarshal(raw, &fl); err != nil {
			return err
		}
		fl.Seq = top + 1 // its operations go again, after the server's: a copy of one there is harmless
		raw, err := json.Marshal(fl)
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("inflight"), raw); err != nil {
			return err
		}
	}
	puts := map[string]uint64{"seq": top, string(metaOwnTop): top, string(metaGCTry): top}
	for _, k := range [][]byte{metaPruned, metaAnnounced, metaRemoved} {
		puts[string(k)] = max(getUint(meta.Get(k)), h.Pruned)
	}
	var mine SnapshotRef // the one the sync file names, if any
	if raw := meta.Get(metaSnapshot); raw != nil {
		if err := json.Unmarshal(raw, &mine); err != nil {
			return err
		}
	}
	if h.Snapshot != nil && h.Snapshot.Seq > mine.Seq {
		raw, err := json.Marshal(h.Snapshot)
		if err != nil {
			return err
		}
		if err := meta.Put(metaSnapshot, raw); err != nil {
			return err
		}
		puts[string(metaSnapSeq)] = max(getUint(meta.Get(metaSnapSeq)), snapSeq)
		puts[string(metaSnapGone)] = max(h.Snapshot.Seq, 2) - 2 // the old install removed those before the one it keeps
	}
	for k, n := range puts {
		if err := meta.Put([]byte(k), putUint(n)); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketCursors).Stats().KeyN == 0 {
		return nil // a new file: the first pull starts from the snapshots, this device's included
	}
	// A file put back from an older copy: this device's batches after the
	// ones it had shipped, but those removed from the server since.
	cur := getUint(tx.Bucket(bucketCursors).Get([]byte(in.cfg.Device)))
	return tx.Bucket(bucketCursors).Put([]byte(in.cfg.Device), putUint(max(cur, seq, h.Pruned)))
}

// metaLocalSeries is the series of operation IDs of the database this
// sync file serves (data.Store.OpSeries).
var metaLocalSeries = []byte("localseries")

// seriesLocal is a Local whose operation IDs carry the series of its
// database (data.Store).
type seriesLocal interface{ OpSeries() string }

// matchLocal gives the database every operation the sync file holds when
// the file served another database before: Enlace reinstalled with a new
// database and the sync file kept, or a backup of the database put back
// (which starts a new series). The database has then lost what this
// device typed after it was made, or after the backup, which the sync
// file holds as this device's own operations and so never applies: it is
// applied now, as received ones are, with what the database had not yet
// handed over (takeLocal runs first) in the state it is applied from. A
// file that served this database, or a new one, only notes its series.
func (in *Install) matchLocal() error {
	sl, ok := in.cfg.Local.(seriesLocal)
	if !ok {
		return nil
	}
	series := sl.OpSeries()
	var kept []byte
	if err := in.db.View(func(tx *bolt.Tx) error {
		kept = slices.Clone(tx.Bucket(bucketMeta).Get(metaLocalSeries))
		return nil
	}); err != nil {
		return err
	}
	if kept != nil && string(kept) == series {
		return nil
	}
	other := false // an operation of this device made by another database
	for _, op := range in.journal.ops {
		if op.Device == in.cfg.Device && !inSeries(op.ID, op.Device, series) {
			other = true
			break
		}
	}
	if other {
		ch := changesFor(in.journal.Project(), in.journal.Ops())
		if pr, ok := in.cfg.Local.(personReader); ok {
			if err := leaveReflected(&ch, pr); err != nil {
				return err
			}
		}
		if err := in.cfg.Local.ApplyRemote(ch); err != nil {
			return fmt.Errorf("dar a la base de datos nueva lo que tiene el registro de sincronización: %w", err)
		}
	}
	return in.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaLocalSeries, []byte(series)) })
}

// personReader is a Local that reads a person's ficha (data.Store).
type personReader interface {
	Person(id string) (data.Person, error)
}

// leaveReflected takes out of ch, what matchLocal refills a database
// with, the erasures and merges of people the database does not hold:
// it has nothing of them to remove or move. It reflects them already (a
// backup made after them, whose change log has the erasure's tombstone),
// or never held those people (a new database). Applied again, each
// erasure would only add one more tombstone, naming nobody and with no
// entries removed, to the change log; so a refill adds none, however
// often it runs.
func leaveReflected(ch *data.RemoteChanges, pr personReader) error {
	held := func(id string) (bool, error) {
		_, err := pr.Person(id)
		if errors.Is(err, data.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	var erased []string
	for _, id := range ch.Erased {
		ok, err := held(id)
		if err != nil {
			return err
		}
		if ok {
			erased = append(erased, id)
		}
	}
	ch.Erased = erased
	for drop := range ch.Merged {
		ok, err := held(drop)
		if err != nil {
			return err
		}
		if !ok {
			delete(ch.Merged, drop)
		}
	}
	return nil
}

// inSeries reports whether the operation ID id is of device's series
// ("" for the IDs made before series: device-counter).
func inSeries(id, device, series string) bool {
	rest, ok := strings.CutPrefix(id, device+"-")
	if !ok {
		return false
	}
	if series == "" {
		return !strings.Contains(rest, "-")
	}
	return strings.HasPrefix(rest, series+"-")
}

// exists reports whether the file at path is on the server.
func (r *Remote) exists(path string) (bool, error) {
	_, err := r.c.Stat(path)
	switch err = describe(err); {
	case errors.Is(err, errMissing):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// samePut checks, when the batch seq this device is putting is already
// on the server, that it holds the operations ids (the same batch, put
// before a crash; an operation among them may have gone since with an
// erased person) and no other: else ErrOutOfStep, and nothing is taken
// as sent.
func (in *Install) samePut(seq uint64, ids []string) error {
	ct, err := in.cfg.Remote.GetBatch(in.cfg.Device, seq)
	if err != nil {
		return err
	}
	b, err := openBatch(ct, in.keys, &in.cfg.Membership, in.cfg.Device, seq)
	if err != nil {
		return fmt.Errorf("lote %d: %w (%v)", seq, ErrOutOfStep, err)
	}
	there := map[string]bool{}
	for _, op := range b.Ops {
		if !slices.Contains(ids, op.ID) {
			return fmt.Errorf("lote %d: %w (lleva la operación %s)", seq, ErrOutOfStep, op.ID)
		}
		there[op.ID] = true
	}
	for _, id := range ids {
		if _, kept := in.journal.ops[id]; kept && !there[id] {
			return fmt.Errorf("lote %d: %w (le falta la operación %s)", seq, ErrOutOfStep, id)
		}
	}
	return nil
}
