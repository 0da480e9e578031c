package data

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// ErasePerson deletes personID and everything about them, in one
// transaction: the ficha and its search card, every timeline event,
// every referral and its index entry, every reminder about them, their
// attachments, the import bookkeeping that points at them, and their
// audit entries, which leave one tombstone that names nobody (it keeps
// reason). The records are deleted directly, not through deleteValue,
// so the deletion itself logs nothing about the person. The person then
// leaves the search index, and joins the erasure list (Erasures), which
// scrubs them from the backups made before. The freed pages still hold
// the old (sealed) values until Compact rewrites the file.
//
// A person who takes part in an RI project is not erased: the project's
// participant records justify a public subsidy (Comunidad de Madrid), a
// legal obligation that prevails over erasure (RGPD art. 17.3.b); they
// must leave the project first.
//
// It returns ErrForbidden unless the user is a coordinator or an
// administrator, an error wrapping ErrNotFound for an unknown person, and
// a *ValidationError when reason is empty or names the person, or the
// person is in an RI project.
func (s *Store) ErasePerson(personID, reason string) error {
	if err := s.Allow(PermErase); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	err := s.update(func(tx *bolt.Tx) error {
		var p Person
		if err := getJSON(tx, bucketPeople, personID, &p); err != nil {
			return fmt.Errorf("persona %s: %w", personID, err)
		}
		if err := checkErasure(tx, &p, reason); err != nil {
			return err
		}
		if err := s.recordErasure(tx, personID); err != nil { // first: it reads the person's referrals
			return err
		}
		if err := erasePersonTx(tx, personID); err != nil {
			return err
		}
		if err := addErasure(tx, personID, s.now()); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put([]byte(metaErasedCompact), []byte{1}); err != nil {
			return err
		}
		return s.eraseAudit(tx, personID, reason)
	})
	if err != nil {
		return err
	}
	s.changeIndex(func(ix *searchIndex) { ix.remove(personID) })
	return nil
}

// erasePersonTx deletes the person and everything about them (not the
// audit, which eraseAudit reduces to a tombstone). A person already gone
// is no error: an erasure can arrive by sync more than once.
func erasePersonTx(tx *bolt.Tx, personID string) error {
	steps := []func(*bolt.Tx, string) error{
		eraseRecord(bucketPeople), eraseRecord(bucketCards), eraseEvents, eraseReferrals,
		eraseReminders, eraseImports, eraseAttachments, eraseSyncConflicts,
	}
	for _, step := range steps {
		if err := step(tx, personID); err != nil {
			return fmt.Errorf("suprimir la persona %s: %w", personID, err)
		}
	}
	return nil
}

// checkErasure refuses an erasure without a reason, with a reason that
// would leave the person's name or document in the tombstone, or of a
// participant in an RI project.
func checkErasure(tx *bolt.Tx, p *Person, reason string) error {
	var pr problems
	folded := Fold(reason)
	switch {
	case reason == "":
		pr.add("Reason", "Escriba el motivo de la supresión (por ejemplo, «Lo pide la persona por escrito»).")
	case mentions(folded, p):
		pr.add("Reason", "El motivo no puede contener el nombre ni el documento de la persona: queda en el registro de cambios.")
	}
	err := eachRIParticipation(tx, p.ID, func(rp *RIProject, _ *RIParticipant) {
		pr.add("RI", fmt.Sprintf("La persona participa en el proyecto %s del programa RI, cuyos datos justifican la subvención: quítela del proyecto antes de suprimirla.", rp.Expediente()))
	})
	if err != nil {
		return err
	}
	return pr.err()
}

// mentions reports whether the folded text contains a word of p's name
// (particles and letters aside) or p's document number.
func mentions(folded string, p *Person) bool {
	if doc := Fold(p.DocNumber); len(doc) > 2 && strings.Contains(strings.ReplaceAll(folded, " ", ""), doc) {
		return true
	}
	words := map[string]bool{}
	for _, w := range Tokens(strings.Map(wordRune, folded)) {
		words[w] = true
	}
	for _, w := range Tokens(p.FirstName + " " + p.LastName) {
		if len(w) > 1 && w != "el" && !nameParticles[w] && words[w] {
			return true
		}
	}
	return false
}

// wordRune keeps letters and digits and turns the rest into spaces.
func wordRune(r rune) rune {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return r
	}
	return ' '
}

// eraseRecord returns a step that deletes the record keyed by the person
// ID in bucket.
func eraseRecord(bucket []byte) func(*bolt.Tx, string) error {
	return func(tx *bolt.Tx, id string) error { return tx.Bucket(bucket).Delete([]byte(id)) }
}

// deleteKeys deletes keys from bucket (collected first: a cursor must
// not delete under itself).
func deleteKeys(tx *bolt.Tx, bucket []byte, keys [][]byte) error {
	for _, k := range keys {
		if err := tx.Bucket(bucket).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func eraseEvents(tx *bolt.Tx, id string) error {
	var keys [][]byte
	_ = eachPrefix(tx, bucketEvents, id, func(k, _ []byte) error { keys = append(keys, k); return nil })
	return deleteKeys(tx, bucketEvents, keys)
}

func eraseReferrals(tx *bolt.Tx, id string) error {
	var keys, refs [][]byte
	_ = eachPrefix(tx, bucketPersonRefs, id, func(k, _ []byte) error {
		keys, refs = append(keys, k), append(refs, k[len(id):])
		return nil
	})
	if err := deleteKeys(tx, bucketReferrals, refs); err != nil {
		return err
	}
	return deleteKeys(tx, bucketPersonRefs, keys)
}

func eraseReminders(tx *bolt.Tx, id string) error {
	var keys [][]byte
	err := tx.Bucket(bucketReminders).ForEach(func(k, v []byte) error {
		var r struct {
			PersonID string `json:"person_id"`
		}
		if err := decodeValue(tx, bucketReminders, k, v, &r); err != nil {
			return fmt.Errorf("recordatorio %s: %w", k, err)
		}
		if r.PersonID == id {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return deleteKeys(tx, bucketReminders, keys)
}

func eraseImports(tx *bolt.Tx, id string) error {
	var keys [][]byte
	err := tx.Bucket(bucketImports).ForEach(func(k, v []byte) error {
		var ri RowImport
		if err := decodeValue(tx, bucketImports, k, v, &ri); err != nil {
			return fmt.Errorf("importación %.12s: %w", k, err)
		}
		if ri.PersonID == id {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return deleteKeys(tx, bucketImports, keys)
}

// compactTxSize bounds each transaction of a compaction, to keep memory
// flat on a large file.
const compactTxSize = 32 << 20

// Compact rewrites the database into a new file, without the pages that
// deleted records leave behind, and puts it in place of the old one: after
// an erasure, nothing of the person remains in the file, not even sealed.
// The values are copied as they are (sealed). Meanwhile the file is
// closed and other calls on the store wait for the new one (they must not
// come from inside a transaction of this store, which Compact would wait
// for in turn). If anything fails before the new file is in place, the
// old one is reopened unchanged.
//
// Administrators may compact, and so may coordinators, who erase people
// and must be able to finish the job. It returns ErrForbidden for the
// others and ErrReadOnly on a read-only store.
func (s *Store) Compact() error {
	if err := s.Allow(PermSettings); err != nil && s.Allow(PermErase) != nil {
		return err
	}
	return s.compactErased()
}

// CompactAfterErasure compacts the file when an erasure was made or
// arrived by sync since the last compaction (ApplyRemote leaves the
// person's old values in freed pages, as ErasePerson does), whoever is
// signed in: the sync
// engine calls it after applying what other installs sent, so that an
// erasure made at another office leaves no trace in this file either.
// It does nothing otherwise; it returns ErrReadOnly on a read-only store.
func (s *Store) CompactAfterErasure() error {
	need := false
	_ = s.view(func(tx *bolt.Tx) error {
		need = tx.Bucket(bucketMeta).Get([]byte(metaErasedCompact)) != nil
		return nil
	})
	if !need {
		return nil
	}
	return s.compactErased()
}

// compactErased compacts the file and then notes that its erasures are
// compacted: the flag goes, and the time is kept (ErasuresClean).
func (s *Store) compactErased() error {
	if err := s.compact(); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Delete([]byte(metaErasedCompact)); err != nil {
			return err
		}
		return meta.Put([]byte(metaErasuresClean), []byte(s.now().UTC().Format(time.RFC3339Nano)))
	})
}

// compact is Compact's work, once allowed.
func (s *Store) compact() error {
	if s.ro {
		return ErrReadOnly
	}
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	v, ok := boxes.Load(s.db)
	if !ok {
		return fmt.Errorf("compactar: la base de datos no está abierta")
	}
	opts := &bolt.Options{Timeout: 3 * time.Second, NoSync: s.db.NoSync, FreelistType: bolt.FreelistMapType}
	// Close waits for the transactions under way, which still seal with
	// the key: only then does the old handle lose it.
	err := s.db.Close()
	stores.Delete(s.db)
	boxes.Delete(s.db)
	if err != nil {
		return fmt.Errorf("compactar: cerrar la base de datos: %w", err)
	}
	tmp := s.path + ".compactando"
	cerr := compactFile(s.path, tmp)
	if cerr == nil {
		cerr = replaceFile(s.path, tmp)
	}
	if cerr != nil {
		_ = os.Remove(tmp)
	}
	db, err := bolt.Open(s.path, 0o600, opts)
	if err != nil {
		return fmt.Errorf("compactar: volver a abrir la base de datos: %w", err)
	}
	s.db = db
	boxes.Store(db, v)
	stores.Store(db, s)
	if cerr != nil {
		return fmt.Errorf("compactar la base de datos (sigue como estaba): %w", cerr)
	}
	s.releaseMapped()
	return nil
}

// compactFile copies every bucket of the bbolt file src into a new file
// dst, page-filled, and checks that each bucket has as many keys.
func compactFile(src, dst string) error {
	_ = os.Remove(dst)
	in, err := bolt.Open(src, 0o600, &bolt.Options{Timeout: 3 * time.Second, ReadOnly: true})
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := bolt.Open(dst, 0o600, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return err
	}
	err = bolt.Compact(out, in, compactTxSize)
	if err == nil {
		err = out.Sync()
	}
	if err == nil {
		err = sameKeyCounts(in, out)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// sameKeyCounts checks that every bucket of a has as many keys in b.
func sameKeyCounts(a, b *bolt.DB) error {
	return a.View(func(ta *bolt.Tx) error {
		return b.View(func(tb *bolt.Tx) error {
			return ta.ForEach(func(name []byte, ba *bolt.Bucket) error {
				bb := tb.Bucket(name)
				if bb == nil || bb.Stats().KeyN != ba.Stats().KeyN {
					return fmt.Errorf("comprobación: a la copia compactada le faltan registros de %s", name)
				}
				return nil
			})
		})
	})
}

// replaceFile puts tmp in place of path in one rename (which replaces
// the old file on every supported system) and makes it durable.
func replaceFile(path, tmp string) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("colocar la base de datos compactada: %w", err)
	}
	return syncDir(filepath.Dir(path))
}
