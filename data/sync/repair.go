package sync

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Repairing a device's own broken batch. A batch other installs hold as
// broken (broken.go: altered on the server, missing) holds its device
// back everywhere until the administration removes the device; but the
// device that wrote it usually still has its operations, in its journal.
// Batches are write-once and a number is never taken twice, so the
// repair cannot rewrite batch N. Instead:
//
//   - push keeps, per batch it ships, the IDs of its operations (bucket
//     sent); a batch shipped by a version before this one gets its list
//     when a check first finds it whole (from the batch itself), and one
//     broken before that is found from its neighbours (opsBetween);
//   - every so often (Compaction.CheckEvery, or on demand: `enlace sync
//     repair`), a sync checks this device's batches that some active
//     member has not read yet (after the lowest read vector its heads
//     showed, and after those collected) with one Stat each, at most
//     checkMax per sync, going on from where the last check stopped; a
//     batch whose ETag, size or date differ from when it last opened is
//     read again and opened with openBatch;
//   - one that is missing or does not open is published again as a
//     repair: the device's next batch M, signed as usual, whose body says
//     Repairs: N and holds N's operations again (by the IDs kept; those
//     about a person erased since are gone from the journal, and readers
//     drop them too), and a head that names it (headFile.Repairs, N → M);
//   - a reader that comes to N with a repair named in the head takes M
//     in N's place (Batch.standsFor): its operations are applied, the
//     refusal is cleared, and it goes on from N+1; M itself, later, holds
//     operations already applied. M is signed by the device, so it is
//     trusted as N would have been: its operations are judged by N's
//     roles (rolesFor(N)), as every install that read N judged them, so
//     that all come to the same state.
//
// A batch without a list that its neighbours do not tell either (shipped
// by a sync file lost since, or with its neighbours broken too) cannot
// be repaired here: it is reported (Lost), and the way out stays the
// administration's, removing the device.
//
// The limit: a reader cannot tell that M holds N's operations and no
// other; a device whose roles were cut since N could, with its own key,
// slip into a repair an action N's roles allowed. It is the trust the
// limits of the epochs already give a device's key over its own old
// batches (doc.go).

var bucketSent = []byte("sent") // batch (8 bytes) → sentBatch JSON: what this device shipped in it

var (
	metaRepairs = []byte("repairs")     // JSON []Repair: the repairs this device published
	metaLost    = []byte("lost")        // JSON []Lost: its batches found broken that it cannot repair
	metaReadBy  = []byte("readby")      // JSON device → this device's last batch that device's head says it applied
	metaCheckAt = []byte("checkat")     // when the last check of its own batches ran (Unix nanoseconds)
	metaChecked = []byte("checked")     // the last of its batches a check looked at: the next goes on from there
	metaKept    = []byte("repairskept") // JSON batch → its repair: those an earlier sync file published (resume.go)
)

// sentBatch is what the sync file keeps of a batch it shipped.
type sentBatch struct {
	IDs     []string `json:"ids"`
	Repairs uint64   `json:"repairs,omitempty"` // the batch this one repairs
	Seen    string   `json:"seen,omitempty"`    // the server's ETag, size and date when it last opened whole
}

// Repair is a batch of this device found broken on the server and
// published again.
type Repair struct {
	Seq   uint64    `json:"seq"`   // the batch broken
	By    uint64    `json:"by"`    // the batch that holds its operations again
	Ops   int       `json:"ops"`   // how many (those about people erased since are not)
	Cause string    `json:"cause"` // one of HoldCauses
	At    time.Time `json:"at"`
}

// Lost is a batch of this device found broken that it cannot publish
// again: it does not know which operations it held.
type Lost struct {
	Seq   uint64    `json:"seq"`
	Cause string    `json:"cause"`
	At    time.Time `json:"at"`
}

// WhyLost is why a Lost batch cannot be repaired, and what follows.
const WhyLost = "este equipo no sabe qué cambios llevaba (se envió con una versión anterior de Enlace o con un registro de sincronización que se ha perdido): no se puede reparar, y los demás equipos no recibirán nada más de este hasta que la administración lo retire del espacio («Retirar un equipo…») y lo invite de nuevo"

// Check is what a check of this device's own batches found.
type Check struct {
	Ran      bool     // a check ran in this sync
	Checked  []uint64 // the batches looked at
	Repaired []Repair // found broken and published again
	Lost     []Lost   // found broken, and not to be repaired here
}

// Repairs are the repairs this device published, oldest first, but
// those of batches collected since.
func (in *Install) Repairs() []Repair {
	var out []Repair
	_ = in.db.View(func(tx *bolt.Tx) error {
		pruned := getUint(tx.Bucket(bucketMeta).Get(metaPruned))
		err := getJSON(tx, metaRepairs, &out)
		out = slices.DeleteFunc(out, func(r Repair) bool { return r.Seq <= pruned })
		return err
	})
	return out
}

// LostBatches are this device's batches found broken that it cannot
// repair (WhyLost).
func (in *Install) LostBatches() []Lost {
	var out []Lost
	_ = in.db.View(func(tx *bolt.Tx) error { return getJSON(tx, metaLost, &out) })
	return out
}

func getJSON(tx *bolt.Tx, key []byte, v any) error {
	raw := tx.Bucket(bucketMeta).Get(key)
	if raw == nil {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func putJSON(tx *bolt.Tx, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(key, raw)
}

// at is the place a batch takes in its device's sequence: its own
// number, or the one it repairs when a reader takes it in that one's
// place.
func (b *Batch) at() uint64 {
	if b.standsFor != 0 {
		return b.standsFor
	}
	return b.Seq
}

// repairOf is the repair of the batch seq of m that the head's repairs
// name (a repair that is broken in turn may be repaired again: the chain
// is followed), opened; false when there is none that opens.
func (in *Install) repairOf(m Member, seq uint64, repairs map[uint64]uint64, last uint64) (Batch, bool, error) {
	at := seq
	for range 4 {
		by, ok := repairs[at]
		if !ok || by <= at || by > last {
			return Batch{}, false, nil
		}
		ct, err := in.cfg.Remote.GetBatch(m.Device, by)
		if err != nil && !errors.Is(err, errMissing) {
			return Batch{}, false, err
		}
		if err == nil {
			b, err := openBatch(ct, in.keys, &in.cfg.Membership, m.Device, by)
			if err == nil && b.Repairs == at {
				b.standsFor = seq
				return b, true, nil
			}
		}
		at = by
	}
	return Batch{}, false, nil
}

// noteRepair writes down, once the repair fl is on the server and before
// its head, that it repairs fl.Repairs: the head names it from then on.
func (in *Install) noteRepair(fl inflight, ops int) error {
	return in.db.Update(func(tx *bolt.Tx) error {
		var had []Repair
		if err := getJSON(tx, metaRepairs, &had); err != nil {
			return err
		}
		if slices.ContainsFunc(had, func(r Repair) bool { return r.By == fl.Seq }) {
			return nil
		}
		had = append(had, Repair{Seq: fl.Repairs, By: fl.Seq, Ops: ops, Cause: fl.Cause, At: time.Now()})
		return putJSON(tx, metaRepairs, had)
	})
}

// headRepairs is what a head says of the repairs published: each batch
// repaired (not yet collected) and the batch that repairs it, this sync
// file's and an earlier one's.
func headRepairs(tx *bolt.Tx, pruned uint64) (map[uint64]uint64, error) {
	var had []Repair
	if err := getJSON(tx, metaRepairs, &had); err != nil {
		return nil, err
	}
	kept := map[uint64]uint64{}
	if err := getJSON(tx, metaKept, &kept); err != nil {
		return nil, err
	}
	for _, r := range had {
		kept[r.Seq] = r.By
	}
	var out map[uint64]uint64
	for n, m := range kept {
		if n > pruned {
			if out == nil {
				out = map[uint64]uint64{}
			}
			out[n] = m
		}
	}
	return out, nil
}

// keepRepairs keeps the repairs that the head of an earlier sync file of
// this device named, when this one takes over (resume.go): readers still
// held back at those batches must go on finding them, and this install
// reads its own batches back through them.
func keepRepairs(tx *bolt.Tx, repairs map[uint64]uint64) error {
	if len(repairs) == 0 {
		return nil
	}
	kept := map[uint64]uint64{}
	if err := getJSON(tx, metaKept, &kept); err != nil {
		return err
	}
	maps.Copy(kept, repairs)
	return putJSON(tx, metaKept, kept)
}
