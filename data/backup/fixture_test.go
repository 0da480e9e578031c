package backup

import (
	"bytes"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// The benchmarks' databases, built once into the system's temporary
// folder and reused by later runs; BENCH_PEOPLE=5000 builds and uses
// smaller ones.

// benchFixture is a database of 100,000 demonstration people with 10
// timeline events each (demo.Populate, seed 2022): plaintext JSON values.
func benchFixture(b *testing.B) string {
	b.Helper()
	path, err := datatest.DemoFixture(b, "enlace-backupbench-v2", datatest.BenchPeople(b, 100_000), datatest.Options(&data.Options{NoSync: true}))
	if err != nil {
		b.Skipf("cannot build the fixture: %v", err)
	}
	return path
}

// clearBuckets keep their values in randomFixture: the schema version and
// the search cards, which data.Open reads to build its index, and the
// keyring and users it unlocks with.
var clearBuckets = [][]byte{[]byte("meta"), []byte("people.cards"), []byte("keyring"), []byte("users")}

// randomFixture is benchFixture's file with every record value and every
// free page overwritten in place by random bytes: the same size, pages
// and keys, as the database looks once its values are encrypted at rest
// (ciphertext does not compress; keys and page headers stay in the clear).
// Only clearBuckets keep their JSON, a few per cent of the file.
func randomFixture(b *testing.B) string {
	b.Helper()
	plain := benchFixture(b)
	path := strings.TrimSuffix(plain, ".db") + "-random.db"
	if _, err := os.Stat(path); err == nil {
		return path
	}
	file, err := os.ReadFile(plain)
	if err != nil {
		b.Fatal(err)
	}
	spans, err := randomSpans(plain)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.NewChaCha8([32]byte{20, 22})
	var n int
	for _, s := range spans {
		if s.off+s.len > len(file) {
			b.Fatalf("span %+v past the end of %d bytes", s, len(file))
		}
		_, _ = r.Read(file[s.off : s.off+s.len])
		n += s.len
	}
	tmp := path + ".building"
	if err := os.WriteFile(tmp, file, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s: %d of %d bytes random", path, n, len(file))
	return path
}

// span is a byte range of a file.
type span struct{ off, len int }

// randomSpans lists where the database at path keeps its record values
// (but those of clearBuckets) and its free pages. A read-only bbolt
// transaction returns values as slices of the file's memory map, so a
// value's offset in the file is its address less the map's.
func randomSpans(path string) ([]span, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	base, pageSize := db.Info().Data, db.Info().PageSize
	var spans []span
	var walk func(b *bolt.Bucket) error
	walk = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(b.Bucket(k))
			}
			if len(v) > 0 {
				off := uintptr(unsafe.Pointer(unsafe.SliceData(v))) - base
				spans = append(spans, span{int(off), len(v)})
			}
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			for _, c := range clearBuckets {
				if bytes.Equal(name, c) {
					return nil
				}
			}
			return walk(b)
		})
		for id := 2; err == nil && id < int(tx.Size())/pageSize; id++ {
			p, perr := tx.Page(id)
			if err = perr; err == nil && p != nil && p.Type == "free" {
				spans = append(spans, span{id * pageSize, pageSize})
			}
		}
		return err
	})
	return spans, err
}
