package main

// `enlace backup` end to end against what a user would run instead, on
// the same database in the same run (docs/PERFORMANCE.md, "Backup"):
//
//	go test ./cmd/enlace/ -run '^$' -bench 'BackupCommand' -benchtime 2x -count 3
//
// Each iteration times, on a 50,000-person database (BENCH_PEOPLE makes
// it smaller) unlocked with the default argon2id cost:
//
//   - enlace: `enlace backup --db DB --to DIR` through run(), the whole
//     command: unlock and open the store, check the passphrase, snapshot,
//     compress, encrypt at the default scrypt cost, write into DIR and
//     fsync it;
//   - pipeline: `tar -cf - enlace.db | zstd -1 | age -r RECIPIENT > DIR/…`,
//     then fsync of the file and of DIR. age -p asks for its passphrase
//     on /dev/tty only, so the pipeline encrypts to a key and the
//     passphrase's cost is timed on its own:
//   - kdf: one scrypt at the cost Enlace uses (filippo.io/age's scrypt
//     recipient at DefaultWorkFactor, on new pages as a daily backup gets).
//
// It reports each one's mean (enlace-ms, pipeline-ms, kdf-ms), the
// unlock and open as the backup opens (open-ms, for the breakdown), the processor time
// on all cores of the backup and of the pipeline's processes
// (enlace-cpu-ms, pipeline-cpu-ms: what other people's load on a shared
// machine does not inflate) and ratio: enlace ÷ (pipeline + kdf). Before each step every dirty page is
// written out, the database is read into the page cache and the heap's
// free memory goes back to the system.

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/zalando/go-keyring"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
)

func BenchmarkBackupCommand(b *testing.B) {
	for _, tool := range []string{"tar", "zstd", "age", "age-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s not found: the pipeline needs tar, zstd and age (scripts/install-deps.sh test)", tool)
		}
	}
	keyring.MockInit()
	old := terminal
	terminal = func(io.Writer) asker { return nil }
	defer func() { terminal = old }()

	work := b.TempDir()
	db := filepath.Join(work, "enlace.db")
	if err := copyFile(commandFixture(b), db); err != nil {
		b.Fatal(err)
	}
	dest := filepath.Join(work, "copias")
	if err := os.Mkdir(dest, 0o700); err != nil {
		b.Fatal(err)
	}
	recipient := ageRecipient(b, work)
	b.Setenv(envPassphrase, "una frase larga de prueba para el banco")
	// The first backup sets the passphrase check, as the first of a
	// series does; the daily backups measured come after.
	enlaceBackup(b, db, dest)
	clearFolder(b, dest)

	var tEnlace, tPipe, tKDF, tOpen, cpuEnlace, cpuPipe time.Duration
	var size, pipeSize int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		datatest.Settle(b, db)
		cpu0 := datatest.CPUTime()
		t0 := time.Now()
		enlaceBackup(b, db, dest)
		tEnlace += time.Since(t0)
		cpu1 := datatest.CPUTime()
		cpuEnlace += cpu1 - cpu0
		size = folderSize(b, dest)
		clearFolder(b, dest)

		datatest.Settle(b, db)
		child0 := datatest.ChildCPUTime()
		t0 = time.Now()
		pipeline(b, db, dest, recipient)
		tPipe += time.Since(t0)
		child1 := datatest.ChildCPUTime()
		cpuPipe += child1 - child0
		pipeSize = folderSize(b, dest)
		clearFolder(b, dest)

		datatest.Settle(b, db)
		t0 = time.Now()
		oneScrypt(b)
		tKDF += time.Since(t0)

		datatest.Settle(b, db)
		t0 = time.Now()
		s, err := openForBackup(db)
		if err != nil {
			b.Fatal(err)
		}
		tOpen += time.Since(t0)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Milliseconds()) / n }
	b.ReportMetric(ms(tEnlace), "enlace-ms")
	b.ReportMetric(ms(tPipe), "pipeline-ms")
	b.ReportMetric(ms(tKDF), "kdf-ms")
	b.ReportMetric(ms(tOpen), "open-ms")
	b.ReportMetric(ms(cpuEnlace), "enlace-cpu-ms")
	b.ReportMetric(ms(cpuPipe), "pipeline-cpu-ms")
	b.ReportMetric(tEnlace.Seconds()/(tPipe+tKDF).Seconds(), "ratio")
	if fi, err := os.Stat(db); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "db-MB")
	}
	b.ReportMetric(float64(size)/1e6, "backup-MB")
	b.ReportMetric(float64(pipeSize)/1e6, "pipeline-MB")
}

// commandFixture is a database of 50,000 demonstration people (or
// BENCH_PEOPLE) with 10 timeline events each (demo.Populate, seed 2022),
// whose test user unlocks with the default argon2id cost, as a real
// user's does. It is built once into the system's temporary folder.
func commandFixture(b *testing.B) string {
	b.Helper()
	o := datatest.Options(&data.Options{NoSync: true})
	o.KDF = data.KDF{} // the default cost: unlocking is part of what is measured
	path, err := datatest.DemoFixture(b, "enlace-clibench", datatest.BenchPeople(b, 50_000), o)
	if err != nil {
		b.Fatalf("build the fixture: %v", err)
	}
	return path
}

// enlaceBackup runs `enlace backup --db db --to dest`.
func enlaceBackup(b *testing.B, db, dest string) {
	var out, errs bytes.Buffer
	if code := run([]string{"backup", "--db", db, "--to", dest}, &out, &errs); code != 0 {
		b.Fatalf("enlace backup: exit %d: %s%s", code, out.String(), errs.String())
	}
}

// pipeline is the backup a user would script: tar, zstd -1 and age into
// a file in dest, then fsync of the file and of dest.
func pipeline(b *testing.B, db, dest, recipient string) {
	out := filepath.Join(dest, "enlace.tar.zst.age")
	script := `tar -cf - -C "$1" enlace.db | zstd -1 -q | age -r "$2" > "$3"`
	cmd := exec.Command("bash", "-o", "pipefail", "-c", script, "bash", filepath.Dir(db), recipient, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("pipeline: %v: %s", err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		b.Fatal(err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFolder(dest)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// oneScrypt derives one age scrypt key at the cost of Enlace's backups.
func oneScrypt(b *testing.B) {
	r, err := age.NewScryptRecipient("una frase larga de prueba para el banco")
	if err != nil {
		b.Fatal(err)
	}
	r.SetWorkFactor(backup.DefaultWorkFactor)
	w, err := age.Encrypt(io.Discard, r)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
}

// ageRecipient makes an age key in dir and returns its public key.
func ageRecipient(b *testing.B, dir string) string {
	key := filepath.Join(dir, "clave.txt")
	if msg, err := exec.Command("age-keygen", "-o", key).CombinedOutput(); err != nil {
		b.Fatalf("age-keygen: %v: %s", err, msg)
	}
	pub, err := exec.Command("age-keygen", "-y", key).Output()
	if err != nil {
		b.Fatalf("age-keygen -y: %v", err)
	}
	return strings.TrimSpace(string(pub))
}

func folderSize(b *testing.B, dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// clearFolder removes the backups in dir, so that no iteration prunes
// the last one's.
func clearFolder(b *testing.B, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			b.Fatal(err)
		}
	}
}

func syncFolder(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
