package sync

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"maps"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// snapshotCandidate is a snapshot a member's head names.
type snapshotCandidate struct {
	device string
	ref    SnapshotRef
}

// fromSnapshots is where a first sync starts: when the install has
// applied no other device's batch yet and there is something to read, it
// reads every active member's head, and the snapshots they name, until
// the batches their devices removed are covered (usually by one, the
// snapshot that holds most). It returns their operations and how far
// they cover each device (cursors is raised to it), so that pull reads
// only the batches after, and the heads it read and checked, by device,
// so that pull does not fetch them again. A snapshot that is missing,
// does not open or fails a check is left aside and the next one is
// tried; with none, the log is read from its first batch, which works as
// long as nothing was removed (else ErrGone).
func (in *Install) fromSnapshots(listing *Listing, cursors map[string]uint64) ([]data.Op, map[string]uint64, map[string]fetchedKey, map[string]headFile, error) {
	next := map[string]uint64{}
	fetched := map[string]fetchedKey{}
	heads := map[string]headFile{}
	if len(cursors) > 0 {
		return nil, next, fetched, heads, nil
	}
	var members []Member // with a head (numbered 0 for one that only read)
	shipped := false
	for _, m := range in.cfg.Membership.Members {
		if m.Device != in.cfg.Device && !m.Removed && hasKey(listing.Heads, m.Device) {
			members = append(members, m)
			shipped = shipped || listing.Heads[m.Device] > 0
		}
	}
	floors := map[string]uint64{} // device → batches removed up to
	var cands []snapshotCandidate
	// A sync file that lost this device's own batches reads them back
	// (resume.go): what its head said, kept in the sync file, as the head
	// itself has been replaced by the push before this pull.
	own := false
	err := in.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if own = getUint(meta.Get(metaOwnTop)) > 0; !own {
			return nil
		}
		shipped = true
		floors[in.cfg.Device] = getUint(meta.Get(metaPruned))
		if raw := meta.Get(metaSnapshot); raw != nil {
			var ref SnapshotRef
			if err := json.Unmarshal(raw, &ref); err != nil {
				return err
			}
			cands = append(cands, snapshotCandidate{device: in.cfg.Device, ref: ref})
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if !shipped {
		return nil, next, fetched, heads, nil // nothing to read yet
	}
	for i, m := range members {
		in.meter.report(StageHeads, int64(i), int64(len(members)))
		h, err := in.memberHead(listing, m)
		in.meter.report(StageHeads, int64(i+1), int64(len(members)))
		if err != nil {
			continue // replaced since the listing, or bad: pull says why when it reads it
		}
		heads[m.Device] = h
		floors[m.Device] = h.Pruned
		if h.Snapshot != nil {
			cands = append(cands, snapshotCandidate{device: m.Device, ref: *h.Snapshot})
		}
	}
	slices.SortFunc(cands, func(a, b snapshotCandidate) int {
		return cmp.Or(cmp.Compare(sum(b.ref.Vector), sum(a.ref.Vector)), cmp.Compare(a.device, b.device))
	})
	var ops []data.Op
	covered := map[string]uint64{}
	uncovered := func() []string {
		var need []string
		for d, f := range floors {
			if f > covered[d] {
				need = append(need, d)
			}
		}
		return need
	}
	used := 0
	for _, c := range cands {
		need := uncovered()
		if used > 0 && len(need) == 0 {
			break
		}
		if used > 0 && !slices.ContainsFunc(need, func(d string) bool { return c.ref.Vector[d] >= floors[d] }) {
			continue // adds nothing that is missing
		}
		ct, err := in.cfg.Remote.getSnapshot(c.device, c.ref, in.meter)
		if err != nil && !errors.Is(err, errMissing) {
			return nil, nil, nil, nil, err
		}
		var s Snapshot
		var sops []data.Op
		var got map[string]fetchedKey
		if err == nil {
			s, err = openSnapshot(ct, in.keys, &in.cfg.Membership, c.device, c.ref)
		}
		if err == nil {
			sops, got, err = in.unboxSnapshot(s)
		}
		if err != nil {
			log.Printf("sync: la instantánea %d de %s no sirve, se prueba otra o el registro entero: %v", c.ref.Seq, c.device, err)
			continue
		}
		used++
		ops = append(ops, sops...)
		maps.Copy(fetched, got)
		for d, v := range s.Vector {
			covered[d] = max(covered[d], v)
		}
	}
	if need := uncovered(); len(need) > 0 {
		slices.Sort(need)
		return nil, nil, nil, nil, fmt.Errorf("%w (%s)", ErrGone, strings.Join(need, ", "))
	}
	for d, v := range covered {
		if (d != in.cfg.Device || own) && v > cursors[d] {
			cursors[d], next[d] = v, v
		}
	}
	if used > 0 { // what they hold is no reason to write another
		if err := in.setMeta(metaSnapBase, uint64(len(ops))); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	return ops, next, fetched, heads, nil
}
