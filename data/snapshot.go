package data

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Manifest describes one snapshot of the database file: what a backup
// carries so that a restore can check it got back exactly what was saved.
type Manifest struct {
	Schema  int       `json:"schema"`  // SchemaVersion of the file
	Counts  Counts    `json:"counts"`  // records in the file, read in the snapshot's transaction
	SHA256  string    `json:"sha256"`  // hex SHA-256 of the file's bytes
	Size    int64     `json:"size"`    // bytes in the file
	Created time.Time `json:"created"` // the store's clock when the snapshot was taken
}

// Snapshot writes a consistent copy of the whole database file to w while
// the store stays open for reading and writing: it runs in one read
// transaction (bbolt's Tx.WriteTo), so writes committed meanwhile are not in
// the copy and do not wait for it. The manifest's counts come from the same
// transaction and its SHA-256 is computed as the bytes are written.
//
// A read transaction keeps the pages it sees alive and makes a writer that
// has to grow the file wait for it, so w should be fast: a local file, not
// the network. Snapshot returns w's error, wrapped.
func (s *Store) Snapshot(w io.Writer) (Manifest, error) {
	return s.SnapshotFunc(func(Manifest) (io.Writer, error) { return w, nil })
}

// SnapshotFunc is Snapshot for a writer that needs the manifest's schema,
// counts, size and date before the first byte, such as an archive that
// starts with them: inside the read transaction it calls open with the
// manifest (all but the SHA-256) and writes exactly Manifest.Size bytes to
// the writer open returns. The manifest it returns has the SHA-256 too.
// An error from open or from the writer ends the snapshot, wrapped.
func (s *Store) SnapshotFunc(open func(Manifest) (io.Writer, error)) (Manifest, error) {
	m := Manifest{Created: s.now().UTC()}
	h := sha256.New()
	err := s.view(func(tx *bolt.Tx) error {
		m.Schema = int(schemaOf(tx))
		m.Counts = countSnapshot(tx)
		m.Size = tx.Size()
		w, err := open(m)
		if err != nil {
			return err
		}
		n, err := tx.WriteTo(io.MultiWriter(w, h))
		if err == nil && n != m.Size {
			err = fmt.Errorf("se escribieron %d bytes de %d", n, m.Size)
		}
		return err
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("copia instantánea de la base de datos: %w", err)
	}
	m.SHA256 = hex.EncodeToString(h.Sum(nil))
	return m, nil
}

// countTx counts the records of each kind that tx sees.
func countTx(tx *bolt.Tx) Counts {
	var c Counts
	for _, k := range c.buckets() {
		if bk := tx.Bucket(k.name); bk != nil {
			*k.n = bk.Stats().KeyN
		}
	}
	return c
}

// countedBucket is a bucket Counts counts, and the count it goes in.
type countedBucket struct {
	name []byte
	n    *int
}

// buckets are the buckets c counts, for countTx and countPages alike.
func (c *Counts) buckets() []countedBucket {
	return []countedBucket{{bucketPeople, &c.People}, {bucketEvents, &c.Events}, {bucketOffices, &c.Offices}, {bucketStaff, &c.Staff}}
}

// Inspect opens the database file at path read-only, without migrating or
// indexing it, and describes it: schema version, record counts, size and
// SHA-256 of the bytes. It checks the file's structure page by page, so a
// file that Inspect accepts is one Open can use.
//
// It returns ErrSchemaTooNew (with the manifest filled in) when a newer
// Enlace wrote the file, ErrNotDatabase when the file is not an Enlace
// database or is damaged, and ErrLocked when another process has the file
// open for writing.
func Inspect(path string) (Manifest, error) {
	var m Manifest
	fi, err := os.Stat(path)
	if err != nil {
		return m, fmt.Errorf("examinar %s: %w", path, err)
	}
	m.Size, m.Created = fi.Size(), fi.ModTime().UTC()
	if err := checkMeta(path, fi.Size()); err != nil {
		return m, fmt.Errorf("examinar %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	switch {
	case errors.Is(err, bolt.ErrTimeout):
		return m, fmt.Errorf("examinar %s: %w", path, ErrLocked)
	case err != nil:
		return m, fmt.Errorf("examinar %s: %w (%v)", path, ErrNotDatabase, err)
	}
	err = db.View(func(tx *bolt.Tx) error { return inspectTx(tx, &m) })
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("examinar %s: %w", path, cerr)
	}
	if err != nil {
		return m, err
	}
	m.SHA256, err = fileSHA256(path)
	return m, err
}

// inspectTx fills m's schema and counts from tx and checks the file.
// bbolt panics on some damaged pages; that is a damaged file, not a bug.
func inspectTx(tx *bolt.Tx, m *Manifest) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrNotDatabase, r)
		}
	}()
	m.Schema = int(schemaOf(tx))
	if m.Schema > SchemaVersion {
		return fmt.Errorf("versión %d, esta versión de Enlace entiende hasta la %d: %w", m.Schema, SchemaVersion, ErrSchemaTooNew)
	}
	if m.Schema == 0 {
		return fmt.Errorf("%w: no tiene versión de esquema", ErrNotDatabase)
	}
	for _, b := range [][]byte{bucketMeta, bucketPeople, bucketEvents, bucketOffices, bucketStaff, bucketConfig} {
		if tx.Bucket(b) == nil {
			return fmt.Errorf("%w: falta %s", ErrNotDatabase, b)
		}
	}
	var first error
	for err := range tx.Check() { // drain: Check's goroutine uses tx until it closes the channel
		if first == nil {
			first = err
		}
	}
	if first != nil {
		return fmt.Errorf("%w: %v", ErrNotDatabase, first)
	}
	m.Counts = countTx(tx)
	return nil
}

// checkMeta reads the two meta pages of the bbolt file at path and refuses
// a file whose valid metas claim more pages than it holds: bbolt maps such
// a truncated file read-only and the process dies of SIGBUS on the first
// page past the end. Layout (bbolt internal/common): a 16-byte page header,
// then magic, version, page size, flags (uint32 each), root bucket (16),
// freelist, high-water page id, txid (uint64 each) and an FNV-64a checksum
// of the 56 bytes before it, in the machine's byte order.
func checkMeta(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	const hdr, sumOff, magic, version = 16, 56, 0xED0CDAED, 2
	valid := 0
	pageSize := int64(0)
	for i := int64(0); i < 2; i++ {
		var buf [hdr + sumOff + 8]byte
		off := i * pageSize
		if i == 1 && pageSize == 0 {
			off = int64(os.Getpagesize()) // meta 0 unreadable: try the usual page size
		}
		if _, err := f.ReadAt(buf[:], off); err != nil {
			continue
		}
		meta := buf[hdr:]
		ne := binary.NativeEndian
		h := fnv.New64a()
		h.Write(meta[:sumOff])
		if ne.Uint32(meta[0:]) != magic || ne.Uint32(meta[4:]) != version || ne.Uint64(meta[sumOff:]) != h.Sum64() {
			continue
		}
		ps := int64(ne.Uint32(meta[8:]))
		if i == 0 {
			pageSize = ps
		}
		if pages := int64(ne.Uint64(meta[40:])); pages*ps > size {
			return fmt.Errorf("%w: el archivo está cortado (%d de %d bytes)", ErrNotDatabase, size, pages*ps)
		}
		valid++
	}
	if valid == 0 {
		return fmt.Errorf("%w: no es un archivo bbolt", ErrNotDatabase)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("leer %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CheckClosed returns ErrLocked when a process (this one included) has the
// database at path open for writing, and nil when nobody has, or when
// there is no usable database there. A restore calls it before replacing
// the file.
func CheckClosed(path string) error {
	fi, err := os.Stat(path)
	if err != nil || checkMeta(path, fi.Size()) != nil {
		return nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if errors.Is(err, bolt.ErrTimeout) {
		return fmt.Errorf("%s: %w", path, ErrLocked)
	}
	if err == nil {
		_ = db.Close()
	}
	return nil
}
