package data

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20poly1305"
)

// convertChunk is how many values a conversion writes per transaction:
// small enough to keep memory flat on a million events.
const convertChunk = 20000

// convertAndReopen encrypts a file written before encryption (schema 5 or
// below) and opens the result. The plaintext is never encrypted in
// place, where its old pages would linger in the free list: every record
// is written, sealed, to a new file beside it, which is then read back
// and compared record by record. Only then does it replace the original;
// the original is kept as a dated copy until the new file has opened,
// and then deleted. If anything fails the original is left as it was.
func (s *Store) convertAndReopen(o *Options) (*Store, error) {
	fail := func(err error) (*Store, error) { _ = s.Close(); return nil, err }
	if s.ro {
		return fail(fmt.Errorf("%s: %w", s.path, ErrNeedsUpgrade))
	}
	u, err := firstUser(o)
	if err != nil {
		if err == ErrNoCredentials {
			err = ErrNotEncrypted
		}
		return fail(err)
	}
	if err := s.migrateTo(lastPlaintext); err != nil {
		return fail(err)
	}
	tmp := s.path + ".cifrando"
	_ = os.Remove(tmp)
	if err := s.encryptTo(tmp, &u, o); err != nil {
		_ = os.Remove(tmp)
		return fail(fmt.Errorf("cifrar la base de datos: %w", err))
	}
	if err := s.Close(); err != nil {
		_ = os.Remove(tmp)
		return nil, err
	}
	kept := s.path + ".sin-cifrar-" + s.now().Format("20060102-150405")
	if err := swapIn(s.path, tmp, kept); err != nil {
		return nil, err
	}
	o.Name = ""
	reopened, err := Open(s.path, o)
	if err != nil {
		return nil, fmt.Errorf("abrir la base de datos cifrada (la original sigue en %s): %w", kept, err)
	}
	if err := os.Remove(kept); err != nil {
		return reopened, fmt.Errorf("borrar la copia sin cifrar %s: %w", kept, err)
	}
	return reopened, nil
}

// swapIn moves path to kept and tmp to path, putting path back if the
// second move fails, and makes both renames durable.
func swapIn(path, tmp, kept string) error {
	if err := os.Rename(path, kept); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("apartar la base de datos sin cifrar: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Rename(kept, path)
		_ = os.Remove(tmp)
		return fmt.Errorf("colocar la base de datos cifrada: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // Windows cannot sync a directory; its renames are durable
	return nil
}

// encryptTo writes every record of s, sealed with a new data key, to a
// new file at path, with u as its first user; then checks it.
func (s *Store) encryptTo(path string, u *User, o *Options) error {
	dk := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(dk); err != nil {
		return err
	}
	bx, err := newBox(dk)
	if err != nil {
		return err
	}
	dst, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return err
	}
	boxes.Store(dst, bx)
	defer boxes.Delete(dst)
	err = s.copySealed(dst, bx, o.Progress)
	if err == nil {
		err = dst.Update(func(tx *bolt.Tx) error {
			if err := s.putUser(tx, u, dk, o.Passphrase, o.KDF, u.Name); err != nil {
				return err
			}
			return setSchema(tx, SchemaVersion)
		})
	}
	if err == nil {
		err = dst.Sync()
	}
	if err == nil {
		err = s.compareSealed(dst, bx)
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return err
}

// copySealed copies every bucket of s into dst, sealing the values.
func (s *Store) copySealed(dst *bolt.DB, bx *box, progress func(done, total int)) error {
	if err := dst.Update(createBuckets); err != nil {
		return err
	}
	total, done := 0, 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if b := tx.Bucket(name); b != nil {
				total += b.Stats().KeyN
			}
		}
		return nil
	})
	return s.db.View(func(src *bolt.Tx) error {
		for _, name := range allBuckets {
			b := src.Bucket(name)
			if b == nil {
				continue
			}
			c := b.Cursor()
			for k, _ := c.First(); k != nil; {
				n, next, err := copyChunk(dst, bx, name, c, k)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				k, done = next, done+n
				if progress != nil {
					progress(done, total)
				}
			}
		}
		return nil
	})
}

// copyChunk copies up to convertChunk values from cursor c, starting at
// key first, in one transaction of dst. It returns how many it copied and
// the key to go on from (nil at the end).
func copyChunk(dst *bolt.DB, bx *box, bucket []byte, c *bolt.Cursor, first []byte) (int, []byte, error) {
	n := 0
	k, v := c.Seek(first)
	err := dst.Update(func(tx *bolt.Tx) error {
		out := tx.Bucket(bucket)
		for ; k != nil && n < convertChunk; k, v = c.Next() {
			val := v
			if !bytes.Equal(bucket, bucketMeta) {
				val = bx.seal(bucket, k, v)
			}
			if err := out.Put(append([]byte(nil), k...), val); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, k, err
}

// compareSealed reads dst back and checks that every record of s is in it
// with the same content, and nothing else.
func (s *Store) compareSealed(dst *bolt.DB, bx *box) error {
	return s.db.View(func(src *bolt.Tx) error {
		return dst.View(func(tx *bolt.Tx) error {
			for _, name := range allBuckets {
				if bytes.Equal(name, bucketMeta) || bytes.Equal(name, bucketKeyring) || bytes.Equal(name, bucketUsers) {
					continue
				}
				if err := compareBucket(src.Bucket(name), tx.Bucket(name), bx, name); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

func compareBucket(src, dst *bolt.Bucket, bx *box, name []byte) error {
	if src == nil {
		return nil
	}
	if a, b := src.Stats().KeyN, dst.Stats().KeyN; a != b {
		return fmt.Errorf("comprobación: %s tiene %d registros y la copia cifrada %d", name, a, b)
	}
	return src.ForEach(func(k, v []byte) error {
		plain, err := bx.open(name, k, dst.Get(k))
		if err != nil {
			return fmt.Errorf("comprobación: %w", err)
		}
		if !bytes.Equal(plain, v) {
			return fmt.Errorf("comprobación: %s/%s no coincide con el original", name, k)
		}
		return nil
	})
}
