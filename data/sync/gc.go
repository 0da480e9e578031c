package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Garbage collection. Each device removes only its own batches (no file
// is ever written or deleted by two installs), and only those that
//
//   - every active member has read: each member's head says how far it
//     has applied every other device (its read vector), and a member
//     whose head is missing, unreadable or not signed by it stops
//     collection altogether, so that a device offline for long, or
//     invited and not yet joined, loses nothing it has not read; removed
//     members do not count;
//   - a snapshot holds: the device's own, or one another active member's
//     head names, so that a new install can still join (fromSnapshots).
//
// The head announces the removal (Pruned) before the files go, so that a
// joining install knows which batches it must find in a snapshot.

// Collect removes the device's batches that every active member has read
// and a snapshot covers, and returns how many it removed. It reads every
// active member's head (one request each), so a sync calls it only every
// Compaction.CollectEvery batches.
func (in *Install) Collect() (int, error) {
	if _, active := in.cfg.Membership.Member(in.cfg.Device); !active {
		return 0, nil // a removed device's batches are read up to its removal: they stay
	}
	var seq, pruned, announced, removed uint64
	var own SnapshotRef
	err := in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq, pruned, removed = getUint(meta.Get([]byte("seq"))), getUint(meta.Get(metaPruned)), getUint(meta.Get(metaRemoved))
		announced = getUint(meta.Get(metaAnnounced))
		if raw := meta.Get(metaSnapshot); raw != nil {
			if err := json.Unmarshal(raw, &own); err != nil {
				return err
			}
		}
		return meta.Put(metaGCTry, putUint(seq))
	})
	if err != nil {
		return 0, err
	}
	upto, err := in.collectable(seq, own)
	if err != nil {
		return 0, err
	}
	if upto > pruned {
		if err := in.setMeta(metaPruned, upto); err != nil {
			return 0, err
		}
		pruned = upto
	}
	if pruned > announced { // the head says so before any file goes
		if err := in.publishHead(); err != nil {
			return 0, err
		}
		if err := in.setMeta(metaAnnounced, pruned); err != nil {
			return 0, err
		}
	}
	n := 0
	for s := removed + 1; s <= pruned; s++ {
		if err := in.cfg.Remote.remove(batchPath(in.cfg.Device, s)); err != nil {
			if n > 0 {
				_ = in.setMeta(metaRemoved, s-1)
			}
			return n, fmt.Errorf("retirar el lote %d del servidor: %w", s, err)
		}
		n++
	}
	if n == 0 {
		return 0, nil
	}
	if err := in.forgetSent(pruned); err != nil {
		return n, err
	}
	return n, in.setMeta(metaRemoved, pruned)
}

// errHoldsBack is why a collection removes nothing: a member's head.
var errHoldsBack = errors.New("retiene la limpieza")

// collectable is the last of the device's batches (up to seq) that every
// active member has read and a snapshot covers; 0 when a member's head
// cannot be read.
func (in *Install) collectable(seq uint64, own SnapshotRef) (uint64, error) {
	listing, err := in.cfg.Remote.ListHeads()
	if err != nil {
		return 0, err
	}
	read, cover := seq, own.Vector[in.cfg.Device]
	for _, m := range in.cfg.Membership.Members {
		if m.Device == in.cfg.Device || m.Removed {
			continue
		}
		h, err := in.memberHead(listing, m)
		if err != nil {
			log.Printf("sync: no se retira ningún lote: %s (%s) %v", m.Name, m.Device, err)
			return 0, nil
		}
		read = min(read, h.Read[in.cfg.Device])
		if h.Snapshot != nil {
			cover = max(cover, h.Snapshot.Vector[in.cfg.Device])
		}
	}
	return min(read, cover), nil
}

// memberHead reads and checks m's head as listing names it.
func (in *Install) memberHead(listing *Listing, m Member) (headFile, error) {
	top, ok := listing.Heads[m.Device]
	if !ok {
		return headFile{}, fmt.Errorf("%w: no ha publicado su estado", errHoldsBack)
	}
	raw, err := in.cfg.Remote.GetHead(m.Device, top)
	if err != nil {
		return headFile{}, fmt.Errorf("%w: su estado no se puede leer: %v", errHoldsBack, err)
	}
	var h headFile
	if err := verify(raw, m.SignKey, &h); err != nil || h.Device != m.Device || h.Seq != top {
		return headFile{}, fmt.Errorf("%w: su estado no es válido", errHoldsBack)
	}
	return h, nil
}

// Compact syncs, then writes a snapshot and removes the device's batches
// that every active member has read (`enlace sync compact`): what a sync
// does by itself every so often, on demand. It returns the snapshot and
// how many batches left the server.
func (ss *Session) Compact(now time.Time) (SnapshotRef, int, error) {
	if _, err := ss.Sync(now); err != nil {
		return SnapshotRef{}, 0, err
	}
	ref, err := ss.install.Snapshot()
	if err != nil {
		return ref, 0, err
	}
	n, err := ss.install.Collect()
	return ref, n, err
}
