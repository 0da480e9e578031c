package sync

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// compactIfNeeded rewrites the sync file after an erasure: bbolt leaves
// deleted values in freed pages, sealed with the file's key (derived from
// the space key), until they are reused; the rewritten file holds only
// what is live. The flag that asks for it is written with the erasure,
// so a crash before the rewrite only moves it to the next opening.
func (in *Install) compactIfNeeded() error {
	need := false
	_ = in.db.View(func(tx *bolt.Tx) error { need = tx.Bucket(bucketMeta).Get([]byte("compact")) != nil; return nil })
	if !need {
		return nil
	}
	path := in.db.Path()
	tmp := path + ".compactando"
	_ = os.Remove(tmp)
	out, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("compactar el registro de sincronización: %w", err)
	}
	err = bolt.Compact(out, in.db, 32<<20)
	if err == nil {
		err = out.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete([]byte("compact")) })
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compactar el registro de sincronización: %w", err)
	}
	if err := in.db.Close(); err != nil {
		return fmt.Errorf("compactar el registro de sincronización: %w", err)
	}
	rerr := os.Rename(tmp, path)
	if rerr == nil {
		if d, err := os.Open(filepath.Dir(path)); err == nil {
			_ = d.Sync()
			_ = d.Close()
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("volver a abrir el registro de sincronización: %w", err)
	}
	in.db = db
	if rerr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compactar el registro de sincronización: %w", rerr)
	}
	return nil
}
