package data

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// snapshotTo writes s's snapshot to a new file under t.TempDir.
func snapshotTo(t *testing.T, s *Store) (string, Manifest) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "snapshot.db")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Snapshot(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return path, m
}

func TestSnapshotInspectRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	p := samplePerson()
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatal(err)
	}
	path, m := snapshotTo(t, s)
	if m.Schema != SchemaVersion || m.Counts.People != 1 || len(m.SHA256) != 64 || m.Created.IsZero() {
		t.Errorf("manifest = %+v, want schema %d, 1 person, a SHA-256 and a date", m, SchemaVersion)
	}
	got, err := Inspect(path)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if got.SHA256 != m.SHA256 || got.Size != m.Size || got.Counts != m.Counts || got.Schema != m.Schema {
		t.Errorf("Inspect = %+v, want the snapshot's %+v", got, m)
	}
	copyStore, err := Open(path, testOpts(&Options{ReadOnly: true}))
	if err != nil {
		t.Fatalf("open the snapshot: %v", err)
	}
	defer copyStore.Close()
	back, err := copyStore.Person(p.ID)
	if err != nil || back.LastName != p.LastName {
		t.Errorf("person in the snapshot = %+v, %v; want %s", back, err, p.LastName)
	}
}

// TestSnapshotWhileWriting takes snapshots while another goroutine keeps
// adding people: each snapshot is a consistent database whose counts match
// its manifest, and the writes are never blocked for good.
func TestSnapshotWhileWriting(t *testing.T) {
	s, _ := openTest(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	var written atomic.Int32
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p := Person{FirstName: "Persona", LastName: fmt.Sprintf("Número %d", i)}
			if err := s.CreatePerson(&p, "Ana"); err != nil {
				writeErr = err
				return
			}
			written.Add(1)
		}
	}()
	// At least five snapshots, and on until the writer has committed a
	// few people meanwhile (a bounded wait, should it be stuck).
	for i := 0; i < 5 || (written.Load() < 3 && i < 2000); i++ {
		path, m := snapshotTo(t, s)
		got, err := Inspect(path)
		if err != nil {
			t.Fatalf("Inspect snapshot %d: %v", i, err)
		}
		if got.Counts != m.Counts || got.SHA256 != m.SHA256 {
			t.Errorf("snapshot %d: file has %+v, manifest says %+v", i, got, m)
		}
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("write during snapshots: %v", writeErr)
	}
	c, _ := s.Count()
	if c.People == 0 {
		t.Error("the writer wrote nobody")
	}
}

func TestInspectRefuses(t *testing.T) {
	good, _ := openTest(t)
	goodPath, _ := snapshotTo(t, good)
	raw, err := os.ReadFile(goodPath)
	if err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(t.TempDir(), "newer.db")
	if err := os.WriteFile(newer, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return setSchema(tx, SchemaVersion+1) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	write := func(name string, b []byte) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		path string
		want error
	}{
		{"newer schema", newer, ErrSchemaTooNew},
		{"text file", write("notes.txt", bytes.Repeat([]byte("no soy una base de datos\n"), 1000)), ErrNotDatabase},
		{"truncated", write("half.db", raw[:len(raw)/2]), ErrNotDatabase},
		{"empty bbolt file", emptyBolt(t), ErrNotDatabase},
		{"open by a writer", good.Path(), ErrLocked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Inspect(tc.path); !errors.Is(err, tc.want) {
				t.Errorf("Inspect = %v, want %v", err, tc.want)
			}
		})
	}
}

// emptyBolt is a valid bbolt file with no Enlace buckets.
func emptyBolt(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(p, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}
