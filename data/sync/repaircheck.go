package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The writer's side of repairs (repair.go): the check of this device's
// own batches that some member has not read yet, and the publication
// again of those broken on the server.

// checkMax is how many of its batches a sync checks at most (a forced
// check, checkAll).
const (
	checkMax = 8
	checkAll = 1000
)

// StatBatch is the server's ETag, size and date of a batch; errMissing
// when it is not there.
func (r *Remote) StatBatch(device string, seq uint64) (string, error) {
	fi, err := r.c.Stat(batchPath(device, seq))
	if err != nil {
		return "", describe(err)
	}
	etag := ""
	if f, ok := fi.(interface{ ETag() string }); ok {
		etag = f.ETag()
	}
	return fmt.Sprintf("%s|%d|%d", etag, fi.Size(), fi.ModTime().UnixNano()), nil
}

// noteReadBy keeps how far the heads read say each device applied this
// one's batches, for the check's window.
func (in *Install) noteReadBy(seen map[string]uint64) error {
	if len(seen) == 0 {
		return nil
	}
	same := true
	_ = in.db.View(func(tx *bolt.Tx) error {
		had := map[string]uint64{}
		_ = getJSON(tx, metaReadBy, &had)
		for dev, n := range seen {
			if v, ok := had[dev]; !ok || v != n {
				same = false
			}
		}
		return nil
	})
	if same {
		return nil // no write, no fsync
	}
	return in.db.Update(func(tx *bolt.Tx) error {
		had := map[string]uint64{}
		if err := getJSON(tx, metaReadBy, &had); err != nil {
			return err
		}
		changed := false
		for dev, n := range seen {
			if v, ok := had[dev]; !ok || v != n {
				had[dev], changed = n, true
			}
		}
		if !changed {
			return nil
		}
		return putJSON(tx, metaReadBy, had)
	})
}

// checkOwn checks this device's batches that some active member has not
// read yet, and publishes again those missing or broken whose operations
// it knows. It runs every Compaction.CheckEvery, or now when force; the
// first sync only notes the time. Only a failure of the network or the
// server is an error.
func (in *Install) checkOwn(now time.Time, force bool) (Check, error) {
	var chk Check
	every := in.cfg.Compact.withDefaults().CheckEvery
	if _, ok := in.cfg.Membership.Member(in.cfg.Device); !ok || (!force && every < 0) {
		return chk, nil
	}
	listing := in.cfg.Remote.keptListing() // resume's, which the pull takes
	if listing == nil {
		listing = in.seen // resume's too, which a pull of this sync took
	}
	if listing == nil {
		return chk, nil // nothing on the server yet
	}
	var seq, pruned, checked, ownTop uint64
	var at int64
	var busy bool
	readBy := map[string]uint64{}
	var repaired map[uint64]uint64 // by this sync file or an earlier one: its readers take the repair
	err := in.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq, pruned, checked = getUint(meta.Get([]byte("seq"))), getUint(meta.Get(metaPruned)), getUint(meta.Get(metaChecked))
		at, busy = int64(getUint(meta.Get(metaCheckAt))), meta.Get([]byte("inflight")) != nil
		ownTop = getUint(meta.Get(metaOwnTop))
		if err := getJSON(tx, metaReadBy, &readBy); err != nil {
			return err
		}
		var err error
		repaired, err = headRepairs(tx, 0)
		return err
	})
	if err != nil || busy || seq == 0 {
		return chk, err // a batch in flight goes first; the next sync checks
	}
	if !force && (at == 0 || now.Sub(time.Unix(0, at)) < every) {
		if at == 0 {
			return chk, in.setMeta(metaCheckAt, uint64(now.UnixNano()))
		}
		return chk, nil
	}
	chk.Ran = true
	lo := seq
	fresh := map[string]uint64{}
	for _, m := range in.cfg.Membership.Members {
		if m.Device == in.cfg.Device || m.Removed {
			continue
		}
		r, ok := readBy[m.Device]
		if !ok {
			if _, has := listing.Heads[m.Device]; has {
				h, err := in.memberHead(listing, m)
				if err == nil {
					r, fresh[m.Device] = h.Read[in.cfg.Device], h.Read[in.cfg.Device]
				}
			}
		}
		lo = min(lo, r)
	}
	if err := in.noteReadBy(fresh); err != nil {
		return chk, err
	}
	start := max(lo, pruned) + 1
	from := start
	if !force && checked >= start && checked < seq {
		from = checked + 1
	}
	limit := checkMax
	if force {
		limit = checkAll
	}
	var lost []Lost
	last := uint64(0)
	for s := from; s <= seq && len(chk.Checked) < limit; s++ {
		if _, ok := repaired[s]; ok {
			continue // its readers take the repair
		}
		chk.Checked = append(chk.Checked, s)
		last = s
		cause, sb, known, err := in.checkBatch(s)
		if err != nil {
			return chk, err
		}
		if cause == "" {
			continue
		}
		if !known { // shipped before the lists: its neighbours may tell
			var ids []string
			if ids, known, err = in.opsBetween(s, seq, ownTop); err != nil {
				return chk, err
			}
			sb = sentBatch{IDs: ids}
		}
		if !known {
			lost = append(lost, Lost{Seq: s, Cause: cause, At: now})
			log.Printf("sync: el lote %d de este equipo no se abre en el servidor (%s) y no se puede reparar: %s", s, cause, WhyLost)
			continue
		}
		r, err := in.publishRepair(s, sb, cause, now)
		if err != nil {
			return chk, err
		}
		chk.Repaired = append(chk.Repaired, r)
		log.Printf("sync: el lote %d de este equipo no se abría en el servidor (%s): se ha publicado de nuevo como el lote %d", s, cause, r.By)
	}
	chk.Lost = lost
	return chk, in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(metaCheckAt, putUint(uint64(now.UnixNano()))); err != nil {
			return err
		}
		if last != 0 {
			if err := meta.Put(metaChecked, putUint(last)); err != nil {
				return err
			}
		}
		// The batches looked at now are as found; the others are kept
		// while some member has not read them.
		var had []Lost
		if err := getJSON(tx, metaLost, &had); err != nil {
			return err
		}
		had = slices.DeleteFunc(had, func(l Lost) bool { return l.Seq < start || slices.Contains(chk.Checked, l.Seq) })
		for _, l := range lost {
			if i := slices.IndexFunc(had, func(x Lost) bool { return x.Seq == l.Seq }); i < 0 {
				had = append(had, l)
			}
		}
		slices.SortFunc(had, func(a, b Lost) int { return int(a.Seq) - int(b.Seq) })
		if len(had) == 0 {
			return meta.Delete(metaLost)
		}
		return putJSON(tx, metaLost, had)
	})
}

// checkBatch checks this device's batch s on the server: "" when it is
// there unchanged since it last opened, or opens; else the cause. It
// also returns what the sync file kept of it, and whether it knows its
// operations. A batch shipped before the sync file kept lists that
// opens gets its list now, from the batch itself (signed by this
// device), so that it can be repaired if it breaks later.
func (in *Install) checkBatch(s uint64) (cause string, sb sentBatch, known bool, err error) {
	_ = in.db.View(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bucketSent).Get(putUint(s)); raw != nil {
			known = json.Unmarshal(raw, &sb) == nil
		}
		return nil
	})
	seen, err := in.cfg.Remote.StatBatch(in.cfg.Device, s)
	switch {
	case errors.Is(err, errMissing):
		return causeMissing, sb, known, nil
	case err != nil:
		return "", sb, known, err
	case seen == sb.Seen && seen != "":
		return "", sb, known, nil
	}
	ct, err := in.cfg.Remote.GetBatch(in.cfg.Device, s)
	if err != nil && !errors.Is(err, errMissing) {
		return "", sb, known, err
	}
	var b Batch
	if err == nil {
		b, err = openBatch(ct, in.keys, &in.cfg.Membership, in.cfg.Device, s)
	}
	if err != nil {
		return causeOf(err), sb, known, nil
	}
	if !known {
		sb.IDs, sb.Repairs, known = make([]string, len(b.Ops)), b.Repairs, true
		for i, op := range b.Ops {
			sb.IDs[i] = op.ID
		}
	}
	sb.Seen = seen
	return "", sb, known, in.db.Update(func(tx *bolt.Tx) error {
		raw, err := json.Marshal(sb)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketSent).Put(putUint(s), raw)
	})
}

// publishRepair ships the operations of this device's batch s again, as
// its next batch, whose body and head say it repairs s.
func (in *Install) publishRepair(s uint64, sb sentBatch, cause string, now time.Time) (Repair, error) {
	var fl inflight
	err := in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		fl = inflight{Seq: getUint(meta.Get([]byte("seq"))) + 1, IDs: sb.IDs, Repairs: s, Cause: cause}
		return putJSON(tx, []byte("inflight"), fl)
	})
	if err != nil {
		return Repair{}, err
	}
	if _, err := in.push(); err != nil {
		return Repair{}, fmt.Errorf("publicar de nuevo el lote %d de este equipo: %w", s, err)
	}
	ops := 0
	for _, id := range sb.IDs {
		if in.journal.Has(id) {
			ops++
		}
	}
	return Repair{Seq: s, By: fl.Seq, Ops: ops, Cause: cause, At: now}, nil
}

// Repair syncs, checking first every batch of this device that some
// member has not read yet, however recent the last check
// (`enlace sync repair`): Report.Check says what it found.
func (in *Install) Repair() (Report, error) {
	in.forceCheck = true
	return in.Sync()
}

// forgetSent forgets the operations of this device's batches up to
// upto, removed from the server: a snapshot covers them, so they never
// need repair.
func (in *Install) forgetSent(upto uint64) error {
	return in.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSent)
		var gone [][]byte
		_ = b.ForEach(func(k, _ []byte) error {
			if getUint(k) <= upto {
				gone = append(gone, slices.Clone(k))
			}
			return nil
		})
		for _, k := range gone {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// opsBetween finds, for this device's batch s (of seq shipped) that the
// sync file has no list for, its operations otherwise: push ships the
// whole outbox, and IDs of one series sort in the order they were made,
// so batch s holds this device's operations of the series after the
// last of batch s-1 and before the first of batch s+1 (the last batch:
// every one shipped after s-1), from their lists or the batches
// themselves on the server. The journal holds them all, but those about
// people erased since, if this sync file shipped s; not if an earlier
// one did (before ownTop: lost, or put back from a copy). ok is false
// when s was shipped by an earlier file, a neighbour is unknown or is a
// repair, the series differ, or nothing is found (all erased, or not
// this journal's: it cannot tell, so it does not publish an empty
// repair that would end the others' wait with nothing).
func (in *Install) opsBetween(s, seq, ownTop uint64) (ids []string, ok bool, err error) {
	if s <= ownTop {
		return nil, false, nil
	}
	bound := func(k uint64, last bool) (string, bool, error) {
		var sb sentBatch
		found := false
		_ = in.db.View(func(tx *bolt.Tx) error {
			if raw := tx.Bucket(bucketSent).Get(putUint(k)); raw != nil {
				found = json.Unmarshal(raw, &sb) == nil
			}
			return nil
		})
		if !found {
			ct, err := in.cfg.Remote.GetBatch(in.cfg.Device, k)
			if errors.Is(err, errMissing) {
				return "", false, nil
			}
			if err != nil {
				return "", false, err
			}
			b, err := openBatch(ct, in.keys, &in.cfg.Membership, in.cfg.Device, k)
			if err != nil {
				return "", false, nil
			}
			sb.Repairs = b.Repairs
			for _, op := range b.Ops {
				sb.IDs = append(sb.IDs, op.ID)
			}
		}
		if sb.Repairs != 0 || len(sb.IDs) == 0 {
			return "", false, nil
		}
		if last {
			return slices.Max(sb.IDs), true, nil
		}
		return slices.Min(sb.IDs), true, nil
	}
	var lower, upper string
	if s > 1 {
		if lower, ok, err = bound(s-1, true); err != nil || !ok {
			return nil, false, err
		}
	}
	if s < seq {
		if upper, ok, err = bound(s+1, false); err != nil || !ok {
			return nil, false, err
		}
	}
	series := func(id string) string { return id[:strings.LastIndexByte(id, '-')+1] }
	prefix := ""
	switch {
	case lower != "" && upper != "":
		if prefix = series(lower); prefix != series(upper) || lower >= upper {
			return nil, false, nil
		}
	case lower != "":
		prefix = series(lower)
	case upper != "":
		prefix = series(upper)
	}
	var unsent map[string]bool
	_ = in.db.View(func(tx *bolt.Tx) error {
		unsent = map[string]bool{}
		return tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error { unsent[string(k)] = true; return nil })
	})
	for id, op := range in.journal.ops {
		if op.Device != in.cfg.Device || unsent[id] || !strings.HasPrefix(id, prefix) ||
			prefix != "" && strings.Contains(id[len(prefix):], "-") || id <= lower || upper != "" && id >= upper {
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, len(ids) > 0, nil
}
