package sync

import (
	"encoding/json"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// Shipping: the outbox goes out as the device's next write-once batch,
// then its head.

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
	b.Repairs = fl.Repairs
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
	if fl.Repairs != 0 { // the head names it (repair.go)
		if err := in.noteRepair(fl, len(ops)); err != nil {
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
	err = in.db.Update(func(tx *bolt.Tx) error {
		for _, id := range fl.IDs {
			if err := tx.Bucket(bucketOutbox).Delete([]byte(id)); err != nil {
				return err
			}
		}
		// Its operations, should it be found broken on the server (repair.go).
		sent, err := json.Marshal(sentBatch{IDs: fl.IDs, Repairs: fl.Repairs})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketSent).Put(putUint(fl.Seq), sent); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Delete([]byte("inflight")); err != nil {
			return err
		}
		return meta.Put([]byte("seq"), putUint(fl.Seq))
	})
	if err != nil {
		return 0, err
	}
	// On the server: the store need not keep them for a lost sync file
	// any more (a crash before this only leaves them to the next sync's
	// takeLocal).
	if hk, ok := in.cfg.Local.(handedKeeper); ok {
		if err := hk.ShippedOps(fl.IDs); err != nil {
			return len(fl.IDs), err
		}
	}
	return len(fl.IDs), nil
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
	// Repairs names, for each of the device's batches it published again
	// (repair.go), the batch that holds its operations now. An install
	// that does not know it ignores it (JSON) and holds the device back
	// at the broken batch, as before.
	Repairs map[uint64]uint64 `json:"repairs,omitempty"`
	// Seen is when the device wrote this head, by its own clock: a sync
	// writes it again when the last is an hour old (maintain), so it says
	// the device is syncing even with nothing to send. A head without it
	// (an older install) reads as before.
	Seen time.Time `json:"seen,omitzero"`
}
