package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Applying other installs' operations (data/sync's projection of them)
// to the tables, and the coordinator's review of a conflict. The log
// itself, the outbox and the clock are oplog.go.

// RemoteChanges is what other installs' operations make of the records
// they touched, as data/sync's projection settles it: the winning value
// of each field group, the events, each referral as its winning step
// left it, and offices and staff.
type RemoteChanges struct {
	People    map[string]map[string]GroupValue // person → group → value
	Events    []json.RawMessage                // Event records
	Referrals map[string]RemoteStep            // referral ID → the last step of its winning line
	Records   map[string]json.RawMessage       // "office/<id>", "staff/<id>" → record; nil deletes
	By        map[string]string                // event ID or record → who wrote it, where
	Erased    []string                         // people erased at another install (RGPD art. 17)
	// ErasedBy says, for people of Erased, who erased them and at which
	// install: the tombstone's author, and its reason. An erasure made
	// at this install itself (its database put back from a copy, or
	// Enlace reinstalled, since) is told as such; one not listed is taken
	// as another install's, by nobody named.
	ErasedBy map[string]Erasure
	Merged   map[string]string // person merged at another install → the person kept
	Clock    HLC               // the latest clock among them, for this install's clock
	// Conflicts are all the conflicts not yet reviewed once these changes
	// are in: they replace the ones the store kept (nil keeps those).
	Conflicts []SyncConflict
	// Skipped are the refused batches the administration skipped at
	// another install, which this install now takes: for its change log.
	Skipped []SkippedBatch
	// Progress, when set, is told how many of the people (events false)
	// and then of the events (events true) are written, every
	// progressStep of them and at the end of each.
	Progress func(done, total int, events bool)
}

// progressStep is how often ApplyRemote tells RemoteChanges.Progress.
const progressStep = 64

// tell calls ch.Progress, if set, when done is a multiple of
// progressStep or total.
func (ch *RemoteChanges) tell(done, total int, events bool) {
	if ch.Progress != nil && (done%progressStep == 0 || done == total) {
		ch.Progress(done, total, events)
	}
}

// Erasure is who erased a person, and where, as an erasure's operation
// says.
type Erasure struct {
	By     string // who erased them, where: for the change log
	Device string // the install where they were erased
}

// The reasons a tombstone gives for an erasure that sync applied.
const (
	erasedElsewhere = "Suprimida en otra oficina a petición de la persona (RGPD art. 17); llegó por la sincronización"
	erasedHereAgain = "Suprimida en este equipo a petición de la persona (RGPD art. 17) antes de que se repusiera una copia de la base de datos o se reinstalara Enlace; el registro de sincronización la aplicó de nuevo"
)

// GroupValue is a field group's winning value: a JSON object of its
// fields, and the operation that wrote it.
type GroupValue struct {
	Op    string
	Value json.RawMessage
	By    string // who wrote it, where: for the change log
}

// RemoteStep is a referral as a step left it.
type RemoteStep struct {
	Op       string
	Referral json.RawMessage
	By       string
}

// ApplyRemote writes other installs' changes into the tables, in one
// transaction, without recording them as new operations. The change log
// records them like any write.
func (s *Store) ApplyRemote(ch RemoteChanges) error {
	var cards []PersonCard
	err := s.update(func(tx *bolt.Tx) error {
		s.apply.tx.Store(tx)
		defer func() { s.apply.tx.Store(nil); s.apply.by = "" }()
		// Merges first: the merged person's entries arrive among the
		// events and referrals below, under the person kept.
		for drop, keep := range ch.Merged {
			if err := movePersonRecords(tx, drop, keep, false); err != nil {
				return err
			}
			if err := removePersonOnly(tx, drop); err != nil {
				return err
			}
			if err := recordMerge(tx, keep, drop); err != nil {
				return err
			}
			if tx.Bucket(bucketErasures).Get([]byte(erasureToken(tx, keep))) != nil {
				// Merged into someone erased here already: erased too.
				ch.Erased = append(ch.Erased, keep, drop)
			}
		}
		people := 0
		for id, groups := range ch.People {
			people++
			fields := map[string]json.RawMessage{}
			if old, err := getValue(tx, bucketPeople, []byte(id)); err == nil {
				if fields, err = fieldsOf(old); err != nil {
					return err
				}
			} else if err != ErrNotFound {
				return err
			}
			fields["id"], _ = json.Marshal(id)
			for g, v := range groups {
				var obj map[string]json.RawMessage
				if err := json.Unmarshal(v.Value, &obj); err != nil {
					return fmt.Errorf("persona %s, grupo %s: %w", id, g, err)
				}
				for _, f := range groupFields(g) {
					if val, ok := obj[f]; ok {
						fields[f] = val
					} else {
						delete(fields, f)
					}
				}
				if err := putRaw(tx, bucketOpBase, personBaseKey(id, g), []byte(v.Op)); err != nil {
					return err
				}
			}
			raw, err := json.Marshal(fields)
			if err != nil {
				return err
			}
			var p Person
			if err := json.Unmarshal(raw, &p); err != nil {
				return fmt.Errorf("persona %s: %w", id, err)
			}
			s.apply.by = ""
			for _, v := range groups {
				if v.By != "" {
					s.apply.by = v.By
				}
			}
			if err := putJSON(tx, bucketPeople, id, &p); err != nil {
				return err
			}
			card := p.Card()
			if err := putJSON(tx, bucketCards, id, card); err != nil {
				return err
			}
			cards = append(cards, card)
			ch.tell(people, len(ch.People), false)
		}
		for i, raw := range ch.Events {
			var e Event
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			s.apply.by = ch.By[e.ID]
			if err := putJSON(tx, bucketEvents, string(eventKey(e.PersonID, e.At, e.ID)), &e); err != nil {
				return err
			}
			ch.tell(i+1, len(ch.Events), true)
		}
		for id, st := range ch.Referrals {
			var r Referral
			if err := json.Unmarshal(st.Referral, &r); err != nil {
				return err
			}
			s.apply.by = st.By
			if err := putJSON(tx, bucketReferrals, id, &r); err != nil {
				return err
			}
			if err := tx.Bucket(bucketPersonRefs).Put([]byte(r.PersonID+r.ID), nil); err != nil {
				return err
			}
			if err := putRaw(tx, bucketOpBase, referralBaseKey(id), []byte(st.Op)); err != nil {
				return err
			}
		}
		for rec, raw := range ch.Records {
			table, key, _ := strings.Cut(rec, "/")
			var bucket []byte
			for b, t := range syncedTables {
				if t == table {
					bucket = []byte(b)
				}
			}
			if bucket == nil {
				return fmt.Errorf("registro de una tabla que no se sincroniza: %s", rec)
			}
			s.apply.by = ch.By[rec]
			var err error
			if raw == nil {
				err = deleteValue(tx, bucket, []byte(key))
			} else {
				err = putValue(tx, bucket, []byte(key), raw)
			}
			if err != nil {
				return err
			}
		}
		s.apply.by = ""
		if ch.Conflicts != nil {
			if err := putSyncConflicts(tx, ch.Conflicts); err != nil {
				return err
			}
		}
		for _, sk := range ch.Skipped {
			s.apply.by = sk.By
			if err := s.appendAudit(tx, skipAudit(sk.Device, sk.Seq, sk.What)); err != nil {
				return err
			}
		}
		s.apply.by = ""
		own := string(tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
		for _, id := range ch.Erased {
			if err := dropSyncAbout(tx, id); err != nil { // first: it reads the person's referrals
				return err
			}
			if err := erasePersonTx(tx, id); err != nil {
				return err
			}
			if err := addErasure(tx, id, s.now()); err != nil {
				return err
			}
			e := ch.ErasedBy[id]
			reason := erasedElsewhere
			if e.Device != "" && e.Device == own {
				reason = erasedHereAgain
			}
			s.apply.by = e.By
			if err := s.eraseAudit(tx, id, reason); err != nil {
				return err
			}
			s.apply.by = ""
			if err := tx.Bucket(bucketMeta).Put([]byte(metaErasedCompact), []byte{1}); err != nil {
				return err
			}
		}
		// This install's clock never falls behind what it has seen.
		if ch.Clock.Wall > 0 {
			meta := tx.Bucket(bucketMeta)
			var last HLC
			if b := meta.Get([]byte(metaSyncClock)); b != nil {
				_ = json.Unmarshal(b, &last)
			}
			if ch.Clock.Compare(last) > 0 {
				raw, _ := json.Marshal(HLC{Wall: ch.Clock.Wall, Counter: ch.Clock.Counter, Device: last.Device})
				if err := meta.Put([]byte(metaSyncClock), raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.changeIndex(func(ix *searchIndex) {
		for _, c := range cards {
			ix.put(c)
		}
		for _, id := range ch.Erased {
			ix.remove(id)
		}
		for drop := range ch.Merged {
			ix.remove(drop)
		}
	})
	return nil
}

// recordErasure records, when sync is enabled, the erasure of person as
// an operation, and drops from the outbox what it had not yet handed to
// sync about them: nothing about an erased person leaves this install.
func (s *Store) recordErasure(tx *bolt.Tx, person string) error {
	device := string(tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
	if device == "" {
		return nil
	}
	if err := dropSyncAbout(tx, person); err != nil {
		return err
	}
	op, err := s.newOp(tx, device, s.User().Login, OpPersonErase, person, person)
	if err != nil {
		return err
	}
	return putOutbox(tx, op)
}

// dropSyncAbout drops from the outbox what sync has not yet taken about
// person, and the bases of their field groups and referrals: nothing
// about an erased person leaves this install, whether the erasure was
// made here or arrived. It runs before the person's records are deleted.
func dropSyncAbout(tx *bolt.Tx, person string) error {
	for _, bucket := range [][]byte{bucketOpOut, bucketOpHanded} {
		if err := dropOpsAbout(tx, bucket, person); err != nil {
			return err
		}
	}
	if base := tx.Bucket(bucketOpBase); base != nil {
		var drop [][]byte
		prefix := personBaseKey(person, "")
		c := base.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			drop = append(drop, slices.Clone(k))
		}
		_ = eachPrefix(tx, bucketPersonRefs, person, func(k, _ []byte) error {
			drop = append(drop, referralBaseKey(string(k[len(person):])))
			return nil
		})
		return deleteKeys(tx, bucketOpBase, drop)
	}
	return nil
}

// dropOpsAbout drops the operations about person from bucket, the
// outbox or the operations handed to sync.
func dropOpsAbout(tx *bolt.Tx, bucket []byte, person string) error {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	var drop [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var op Op
		if err := decodeValue(tx, bucket, k, v, &op); err != nil {
			return err
		}
		if op.Subject == person || op.Record == person {
			drop = append(drop, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return deleteKeys(tx, bucket, drop)
}

// ResolveConflict records the coordinator's review of a conflict about
// person: loserOp is the losing write. With use nil the value applied is
// kept; otherwise use (the losing value of group, a JSON object of its
// fields) is written over it, as a change of its own. Either way the
// conflict leaves this store's SyncConflicts at once (the ficha's
// "Cambios simultáneos" goes), and every other install once this syncs.
func (s *Store) ResolveConflict(person, group, loserOp string, use json.RawMessage, author string) error {
	if err := s.Allow(PermDecide); err != nil {
		return err
	}
	if loserOp == "" {
		return fmt.Errorf("revisar conflicto: falta la operación perdedora")
	}
	return s.Batch(author, func(b *Batch) error {
		device := string(b.tx.Bucket(bucketMeta).Get([]byte(metaSyncDevice)))
		if device == "" {
			return fmt.Errorf("revisar conflicto: este equipo no sincroniza")
		}
		if use != nil {
			old, err := getValue(b.tx, bucketPeople, []byte(person))
			if err != nil {
				return fmt.Errorf("persona %s: %w", person, err)
			}
			fields, err := fieldsOf(old)
			if err != nil {
				return err
			}
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(use, &obj); err != nil {
				return fmt.Errorf("revisar conflicto: el otro valor no se puede leer: %w", err)
			}
			for _, f := range groupFields(group) {
				if v, ok := obj[f]; ok {
					fields[f] = v
				} else {
					delete(fields, f)
				}
			}
			raw, err := json.Marshal(fields)
			if err != nil {
				return err
			}
			var p Person
			if err := json.Unmarshal(raw, &p); err != nil {
				return fmt.Errorf("persona %s: %w", person, err)
			}
			if err := b.UpdatePerson(&p); err != nil {
				return err
			}
		}
		if err := b.tx.Bucket(bucketSyncConflicts).Delete(syncConflictKey(person, loserOp)); err != nil {
			return err
		}
		op, err := s.newOp(b.tx, device, s.User().Login, OpConflictResolve, loserOp, person)
		if err != nil {
			return err
		}
		op.Data, _ = json.Marshal(map[string]any{"group": group, "used_other": use != nil})
		return putOutbox(b.tx, op)
	})
}
