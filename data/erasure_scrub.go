package data

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Carrying erasures into copies of the database: a backup made before an
// erasure (ScrubCopy), a backup being restored (CarryErasures, then Open).

// metaErasuresPending marks a file whose erasure list may name people it
// still holds: a restored backup, which Open then scrubs.
const metaErasuresPending = "erasures.pending"

// errNothingToScrub rolls back a scrub that found no one to erase.
var errNothingToScrub = errors.New("nada que suprimir")

// ScrubCopy erases from src, a database file of this same store (a
// backup's, decrypted), every person of this store's erasure list that it
// still holds, as ErasePerson would (their audit reduced to a tombstone),
// without adding sync operations to it; records those erasures in its own
// list; and compacts it into dst, a new file, so that no freed page keeps
// their values. It returns how many people it erased. A copy taken
// between an erasure and the compaction that followed it holds no one
// erased but their values in freed pages: it is compacted into dst too
// (0 people). When src holds none of them and no such pages, it returns
// 0 and neither src nor dst is written: dst exists only when it was.
//
// src must not be open. It returns ErrOtherDatabase when src does not
// open with this store's data key, and ErrNotDatabase when it is not a
// database.
func (s *Store) ScrubCopy(src, dst string) (int, error) {
	live, err := s.Erasures()
	if err != nil {
		return 0, err
	}
	v, ok := boxes.Load(s.handle())
	if !ok {
		return 0, fmt.Errorf("limpiar la copia: la base de datos no está abierta")
	}
	_ = os.Remove(dst)
	n, rewrite, err := s.scrubFile(src, v.(*box), live, "Suprimida de esta copia de seguridad: se suprimió de la base de datos el %s (RGPD art. 17)")
	if err != nil || !rewrite {
		return n, err
	}
	if err := compactFile(src, dst); err != nil {
		_ = os.Remove(dst)
		return 0, fmt.Errorf("limpiar la copia: compactar: %w", err)
	}
	return n, nil
}

// scrubFile erases from the bbolt file at path, sealed with bx, the
// people of list it holds, in one transaction, and returns how many, and
// whether the file must be compacted: someone was erased, or it was
// taken before the compaction of an erasure (its freed pages). reason is
// the tombstone's, with %s for the erasure's date.
func (s *Store) scrubFile(path string, bx *box, list map[string]time.Time, reason string) (int, bool, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return 0, false, fmt.Errorf("limpiar la copia: %w (%v)", ErrNotDatabase, err)
	}
	defer db.Close()
	if err := checkKey(db, bx); err != nil {
		return 0, false, err
	}
	boxes.Store(db, bx) // never in stores: writes here log nothing and capture no operation
	defer boxes.Delete(db)
	n := 0
	err = db.Update(func(tx *bolt.Tx) error {
		if err := createBuckets(tx); err != nil {
			return err
		}
		var err error
		if n, err = s.eraseHeld(tx, list, reason); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		if n == 0 && meta.Get([]byte(metaErasedCompact)) == nil {
			return errNothingToScrub
		}
		if err := meta.Delete([]byte(metaErasedCompact)); err != nil { // compacted next
			return err
		}
		b := tx.Bucket(bucketErasures)
		for tok, at := range list {
			if b.Get([]byte(tok)) == nil {
				if err := b.Put([]byte(tok), []byte(at.UTC().Format(time.RFC3339Nano))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if errors.Is(err, errNothingToScrub) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("limpiar la copia: %w", err)
	}
	return n, true, nil
}

// checkKey returns ErrOtherDatabase unless the users of db open with bx.
func checkKey(db *bolt.DB, bx *box) error {
	return db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		if b == nil {
			return fmt.Errorf("limpiar la copia: %w: no tiene usuarios", ErrNotDatabase)
		}
		k, v := b.Cursor().First()
		if k == nil {
			return fmt.Errorf("limpiar la copia: %w: no tiene usuarios", ErrNotDatabase)
		}
		if _, err := bx.open(bucketUsers, k, v); err != nil {
			return ErrOtherDatabase
		}
		return nil
	})
}

// CarryErasures copies the erasure list of the database at from (closed:
// the database a backup is about to replace) into the database file at
// to (the backup), keeping the union of both, and marks it so that Open
// erases from it the people of that list it still holds before anything
// else reads it. It needs no key: the list is not sealed. A missing or
// unreadable from, or one with no erasures, leaves to as it was.
func CarryErasures(from, to string) error {
	list := map[string]time.Time{}
	var merged [][]byte
	if _, err := os.Stat(from); err == nil && checkMeta(from, fileSize(from)) == nil {
		db, err := bolt.Open(from, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			return fmt.Errorf("leer las supresiones de %s: %w", from, err)
		}
		err = db.View(func(tx *bolt.Tx) error {
			if b := tx.Bucket(bucketMerged); b != nil {
				_ = b.ForEach(func(k, _ []byte) error { merged = append(merged, append([]byte(nil), k...)); return nil })
			}
			return readErasures(tx, list)
		})
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("leer las supresiones de %s: %w", from, err)
		}
	}
	if len(list) == 0 {
		return nil
	}
	db, err := bolt.Open(to, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("abrir %s: %w", to, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		eb, err := tx.CreateBucketIfNotExists(bucketErasures)
		if err != nil {
			return err
		}
		mb, err := tx.CreateBucketIfNotExists(bucketMerged)
		if err != nil {
			return err
		}
		for _, k := range merged {
			if err := mb.Put(k, nil); err != nil {
				return err
			}
		}
		added := false
		for tok, at := range list {
			if eb.Get([]byte(tok)) == nil {
				added = true
				if err := eb.Put([]byte(tok), []byte(at.UTC().Format(time.RFC3339Nano))); err != nil {
					return err
				}
			}
		}
		if !added {
			return nil
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%w: falta %s", ErrNotDatabase, bucketMeta)
		}
		return meta.Put([]byte(metaErasuresPending), []byte{1})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("llevar las supresiones a %s: %w", to, err)
	}
	return nil
}

func fileSize(path string) int64 {
	if fi, err := os.Stat(path); err == nil {
		return fi.Size()
	}
	return 0
}

// applyPendingErasures erases, on a file CarryErasures marked, the people
// of its erasure list that it still holds, and then compacts it: a
// restored backup made before an erasure never brings the person back.
// Part of Open, once the file is unlocked and migrated; a read-only Open
// of such a file returns ErrNeedsUpgrade.
func (s *Store) applyPendingErasures() error {
	pending := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get([]byte(metaErasuresPending)) != nil
		return nil
	})
	switch {
	case !pending:
		return nil
	case s.ro:
		// Read as it is, the file would show the people erased: it needs
		// one read-write open first, as a migration does.
		return fmt.Errorf("una copia restaurada con supresiones por aplicar: %w", ErrNeedsUpgrade)
	}
	list := map[string]time.Time{}
	n, freed := 0, false
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := readErasures(tx, list); err != nil {
			return err
		}
		freed = tx.Bucket(bucketMeta).Get([]byte(metaErasedCompact)) != nil
		var err error
		if n, err = s.eraseHeld(tx, list, "Suprimida al restaurar una copia anterior a su supresión, del %s (RGPD art. 17)"); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Delete([]byte(metaErasuresPending))
	})
	if err != nil {
		return fmt.Errorf("aplicar las supresiones a la copia restaurada: %w", err)
	}
	if n == 0 && !freed {
		return nil
	}
	return s.compactErased()
}

// eraseHeld erases in tx every person it holds whose token is in list,
// as an erasure arriving by sync does (no operation is recorded), and
// returns how many. reason is the tombstone's, with %s for the date of
// the erasure.
func (s *Store) eraseHeld(tx *bolt.Tx, list map[string]time.Time, reason string) (int, error) {
	n := 0
	for _, id := range heldPeople(tx) {
		at, ok := list[erasureToken(tx, id)]
		if !ok {
			continue
		}
		if err := dropSyncAbout(tx, id); err != nil { // first: it reads the person's referrals
			return n, err
		}
		if err := erasePersonTx(tx, id); err != nil {
			return n, err
		}
		if err := s.eraseAudit(tx, id, fmt.Sprintf(reason, at.In(Madrid()).Format("02/01/2006"))); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
