package datatest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/demo"
)

// BenchPeople is how many people a benchmark's fixture holds: def, or
// BENCH_PEOPLE for a quicker run.
func BenchPeople(b *testing.B, def int) int {
	b.Helper()
	v := os.Getenv("BENCH_PEOPLE")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("BENCH_PEOPLE=%q: want a positive number", v)
	}
	return n
}

// DemoFixture returns the path of a demo database in the temporary
// folder named after name, the schema version and people (10 events a
// person, seed 2022), opened with o. It is built once and reused by later
// runs; it is built under another name and renamed, so an interrupted
// build leaves no half fixture.
func DemoFixture(b *testing.B, name string, people int, o *data.Options) (string, error) {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("%s-s%d-%d.db", name, data.SchemaVersion, people))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".building"
	_ = os.Remove(tmp)
	s, err := data.Open(tmp, o)
	if err != nil {
		return "", err
	}
	start := time.Now()
	_, err = demo.Populate(s, demo.Options{People: people, EventsPerPerson: 10, Seed: 2022})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	b.Logf("built %s in %v", path, time.Since(start).Round(time.Second))
	return path, nil
}

// Settle prepares a benchmark's next step: it writes every dirty page out
// (sync(1)), so that no step waits for another's writes; reads the file
// at path through, so that every step finds it in the page cache (this
// VM's kernel pages out cold file pages within seconds); and returns the
// heap's free memory to the system, so that each key derivation gets new
// pages, as a daily backup does, rather than the last one's.
func Settle(b *testing.B, path string) {
	b.Helper()
	debug.FreeOSMemory()
	_ = exec.Command("sync").Run()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(io.Discard, f); err != nil {
		b.Fatal(err)
	}
}
