package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"maps"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// Receiving: the other devices' new batches, checked, opened and applied
// in one transaction, and what they change in the store.

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
	fromSnap, next, snapKeys, heads, serr := in.fromSnapshots(listing, cursors)
	if serr != nil {
		return 0, serr
	}
	var read []Batch // boxes closed; the roles are checked once they are open (unboxAll)
	var visible []data.Op
	var broken []Refusal          // devices held back at a batch that does not open (broken.go)
	readBy := map[string]uint64{} // how far the heads read say their devices applied this one's (repair.go)
	for dev, h := range heads {
		readBy[dev] = h.Read[in.cfg.Device]
	}
	now := time.Now()
	// get reads the batch seq of m; false when it does not open, and m's
	// device is then held back there. Only a failure of the network or
	// the server is an error, of the whole sync.
	// A batch its writer published again (repair.go) is taken from the
	// repair, which the head names: repairs, up to last.
	var got int64 // batches read, of toRead, for the progress
	toRead := in.batchesToRead(listing, cursors)
	get := func(m Member, seq uint64, repairs map[uint64]uint64, last uint64) (bool, error) {
		got++
		defer func() { in.meter.report(StageBatches, got, toRead) }()
		if rb, ok, err := in.repairOf(m, seq, repairs, last); err != nil {
			return false, err
		} else if ok {
			read = append(read, rb)
			visible = append(visible, rb.Ops...)
			return true, nil
		}
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
	readUpTo := func(m Member, last uint64, repairs map[uint64]uint64) error {
		for seq := cursors[m.Device] + 1; seq <= last; seq++ {
			if ok, err := get(m, seq, repairs, last); err != nil || !ok {
				return err
			}
		}
		return nil
	}
	var ownTop uint64 // this device's batches of an earlier sync file, read back (resume.go)
	var ownRepairs map[uint64]uint64
	_ = in.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		ownTop = getUint(meta.Get(metaOwnTop))
		ownRepairs, _ = headRepairs(tx, getUint(meta.Get(metaPruned)))
		return nil
	})
	for _, m := range in.cfg.Membership.Members {
		if m.Device == in.cfg.Device {
			if ownTop > cursors[m.Device] && !in.held(m.Device, cursors[m.Device]+1, visible) {
				if err := readUpTo(m, ownTop, ownRepairs); err != nil {
					return 0, err
				}
			}
			continue
		}
		if m.Removed {
			// What it had on the server when it was removed, and no more.
			if m.RemovedIn > 0 && !in.brokenAt(m.Device, cursors[m.Device]+1) {
				if err := readUpTo(m, m.Until, nil); err != nil {
					return 0, err
				}
			}
			continue
		}
		top := listing.Heads[m.Device]
		if top <= cursors[m.Device] || in.held(m.Device, cursors[m.Device]+1, visible) {
			continue // nothing new (or nothing shipped yet), or held back for the administration
		}
		h, ok := heads[m.Device] // read and checked already by a join
		if !ok {
			raw, err := in.cfg.Remote.GetHead(m.Device, top)
			if errors.Is(err, errMissing) {
				continue // replaced since the listing: the next sync reads the new one
			}
			if err != nil {
				return 0, err
			}
			if err := verify(raw, m.SignKey, &h); err != nil || h.Device != m.Device || h.Seq != top {
				err = fmt.Errorf("el estado publicado por %s (%s) no es válido: %w", m.Name, m.Device, ErrTampered)
				broken = append(broken, in.hold(m, cursors[m.Device]+1, causeHead, err, now))
				continue
			}
		}
		readBy[m.Device] = h.Read[in.cfg.Device]
		if err := readUpTo(m, h.Seq, h.Repairs); err != nil {
			return 0, err
		}
	}
	if toRead > 0 { // those not read (a device held back) are done with too
		in.meter.report(StageBatches, toRead, toRead)
	}
	if err := in.noteReadBy(readBy); err != nil {
		return 0, err
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
		ch.Progress = func(done, total int, events bool) {
			in.meter.report(map[bool]string{false: StageSave, true: StageHistory}[events], int64(done), int64(total))
		}
		if err := in.cfg.Local.ApplyRemote(ch); err != nil {
			return 0, fmt.Errorf("aplicar los cambios recibidos: %w", err)
		}
	}
	err = in.db.Update(func(tx *bolt.Tx) error {
		for i, op := range incoming {
			if i%progressStep == 0 || i == len(incoming)-1 {
				in.meter.report(StageRecord, int64(i+1), int64(len(incoming)))
			}
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

// progressStep is how many operations are written between two looks at
// the progress's clock.
const progressStep = 64

// batchesToRead is how many batches pull will read at most, for the
// progress: those after the cursors up to each member's head in the
// listing (a removed member's up to its last), this device's own read
// back (resume.go), and none when there is no Progress.
func (in *Install) batchesToRead(listing *Listing, cursors map[string]uint64) int64 {
	if !in.meter.on() {
		return 0
	}
	var ownTop uint64
	_ = in.db.View(func(tx *bolt.Tx) error {
		ownTop = getUint(tx.Bucket(bucketMeta).Get(metaOwnTop))
		return nil
	})
	var n int64
	for _, m := range in.cfg.Membership.Members {
		top := listing.Heads[m.Device]
		switch {
		case m.Device == in.cfg.Device:
			top = ownTop
		case m.Removed:
			top = 0
			if m.RemovedIn > 0 {
				top = m.Until
			}
		}
		if top > cursors[m.Device] {
			n += int64(top - cursors[m.Device])
		}
	}
	return n
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
			group := st.mergeGroup(op.Record)
			ch.Erased = append(ch.Erased, group...)
			if ch.ErasedBy == nil {
				ch.ErasedBy = map[string]data.Erasure{}
			}
			for _, id := range group {
				if _, ok := ch.ErasedBy[id]; !ok {
					ch.ErasedBy[id] = data.Erasure{By: by(op.User, op.Device), Device: op.Device}
				}
			}
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

// deviceOf is the device that made the operation with ID id: what comes
// before the first "-" (device-counter, or device-series-counter), as a
// device's name has none.
func deviceOf(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}
