package sync

import (
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// When snapshots and collection happen, and what a head says for them
// (see snapshot.go and gc.go).

// Compaction says when an install writes a snapshot and removes its old
// batches. The zero value means the defaults.
type Compaction struct {
	// SnapshotEvery is how many operations the install must hold beyond
	// its last snapshot (or the snapshots it joined from) for a sync that
	// ships a batch to write a new one (default 20,000; negative: only on
	// demand, Install.Snapshot). Only a sync that ships writes one, so that
	// a first join is not slowed by writing back what it read.
	SnapshotEvery int
	// CollectEvery is how many of its own batches must be on the server,
	// beyond those removed, for a sync to try to remove them (default 50;
	// negative: only on demand, Install.Collect). A try that removes
	// nothing waits for as many new batches before the next.
	CollectEvery int
	// ReadEvery is how many batches of other devices the install must
	// have applied since its head last said so for a sync that received
	// them to rewrite its head, so that a device that only reads does not
	// hold collection back forever (default 64). A device that has not
	// shipped anything publishes a head (numbered 0) at its first sync, so
	// that collection knows what it has read.
	ReadEvery int
	// CheckEvery is how often a sync checks this device's own batches
	// that some member has not read yet, and publishes again those broken
	// on the server (repair.go; default an hour; negative: only on
	// demand, `enlace sync repair`).
	CheckEvery time.Duration
}

func (c Compaction) withDefaults() Compaction {
	if c.SnapshotEvery == 0 {
		c.SnapshotEvery = 20_000
	}
	if c.CollectEvery == 0 {
		c.CollectEvery = 50
	}
	if c.ReadEvery == 0 {
		c.ReadEvery = 64
	}
	if c.CheckEvery == 0 {
		c.CheckEvery = time.Hour
	}
	return c
}

// seenEvery is how old this device's head may grow before a sync writes
// it again, though nothing changed: its date on the server is then never
// more than about an hour behind the device's last sync (Status.Seen).
const seenEvery = time.Hour

// readCursors is how far the install has applied each other device.
func readCursors(tx *bolt.Tx) map[string]uint64 {
	v := map[string]uint64{}
	_ = tx.Bucket(bucketCursors).ForEach(func(k, b []byte) error { v[string(k)] = getUint(b); return nil })
	return v
}

// head is the device's head for its batch seq: the batch, how far it has
// read every other device, the newest snapshot it wrote and up to which
// of its batches it removed. The read vector's sum is kept, so that
// maintain knows when it is worth saying again.
func (in *Install) head(seq uint64) ([]byte, error) {
	h := headFile{Device: in.cfg.Device, Seq: seq, Seen: in.now().UTC()}
	err := in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(metaHeadAt, putUint(uint64(h.Seen.UnixNano()))); err != nil {
			return err
		}
		h.Read = readCursors(tx)
		h.Pruned = getUint(meta.Get(metaPruned))
		var err error
		if h.Repairs, err = headRepairs(tx, h.Pruned); err != nil {
			return err
		}
		if raw := meta.Get(metaSnapshot); raw != nil {
			h.Snapshot = &SnapshotRef{}
			if err := json.Unmarshal(raw, h.Snapshot); err != nil {
				return err
			}
		}
		return meta.Put(metaReadPub, putUint(sum(h.Read)))
	})
	if err != nil {
		return nil, err
	}
	return sign(h, in.cfg.SignKey)
}

// publishHead writes the device's head again, under the same name (its
// last batch, 0 if it has shipped none): other devices read it when they
// join or collect, not at every sync.
func (in *Install) publishHead() error {
	var seq uint64
	_ = in.db.View(func(tx *bolt.Tx) error { seq = getUint(tx.Bucket(bucketMeta).Get([]byte("seq"))); return nil })
	raw, err := in.head(seq)
	if err != nil {
		return err
	}
	if err := in.cfg.Remote.PutHead(in.cfg.Device, seq, raw, seq); err != nil {
		return err
	}
	if seq > 0 {
		return nil
	}
	return in.setMeta(metaHeadZero, 1)
}

func sum(v map[string]uint64) uint64 {
	var n uint64
	for _, s := range v {
		n += s
	}
	return n
}

// maintain runs after a sync: a snapshot when enough is new since the
// last, a collection when enough own batches are on the server, the head
// again when the device has read much since it last said so, and the
// removal of a head numbered 0 once a real one replaced it. (A device
// that has not shipped publishes its head once heads/ exists: until some
// device ships, there is nothing to read.)
func (in *Install) maintain(sent, received int) error {
	c := in.cfg.Compact.withDefaults()
	var seq, gctry, removed, readpub, read, base, headAt uint64
	zero := false
	err := in.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq, gctry, removed = getUint(meta.Get([]byte("seq"))), getUint(meta.Get(metaGCTry)), getUint(meta.Get(metaRemoved))
		readpub, read = getUint(meta.Get(metaReadPub)), sum(readCursors(tx))
		zero, base = meta.Get(metaHeadZero) != nil, getUint(meta.Get(metaSnapBase))
		headAt = getUint(meta.Get(metaHeadAt))
		return nil
	})
	if err != nil {
		return err
	}
	published := false
	if c.SnapshotEvery > 0 && sent > 0 && in.journal.Len()-in.Pending()-int(base) >= c.SnapshotEvery {
		if _, err := in.Snapshot(); err != nil {
			return err
		}
		published = true
	}
	if c.CollectEvery > 0 && seq >= removed+uint64(c.CollectEvery) && seq >= gctry+uint64(c.CollectEvery) {
		if _, err := in.Collect(); err != nil {
			return err
		}
	}
	// A head an hour old is written again (seenEvery), so that the others
	// see this device syncing when it has nothing to send: one PUT an hour.
	// (One dated an hour ahead too: the computer's clock was put back.)
	age := in.now().Sub(time.Unix(0, int64(headAt)))
	stale := in.seen != nil && (seq > 0 || zero) && (age >= seenEvery || age <= -seenEvery)
	if !published && (received > 0 && read >= readpub+uint64(c.ReadEvery) || seq == 0 && !zero && in.seen != nil || stale) {
		if err := in.publishHead(); err != nil {
			return err
		}
	}
	if zero && seq > 0 {
		if err := in.cfg.Remote.remove(headPath(in.cfg.Device, 0)); err != nil {
			return err
		}
		return in.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaHeadZero) })
	}
	return nil
}

func hasKey[V any](m map[string]V, k string) bool { _, ok := m[k]; return ok }
