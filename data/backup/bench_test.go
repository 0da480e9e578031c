package backup

// The backup's cost against a plain copy of the same file, on a database
// of 100,000 people with 1,000,000 timeline events (docs/PERFORMANCE.md):
//
//	go test ./data/backup/ -run '^$' -bench Backup -benchtime 3x
//
// The fixture is built once by demo.Populate into the system's temporary
// folder and reused by later runs; BENCH_PEOPLE=5000 builds and uses a
// smaller one. Each iteration copies the database file (io.Copy between
// two files, what cp does) and then makes a backup of it to Apache WebDAV
// on 127.0.0.1 at the default scrypt cost; the ratio is the backup's time
// over the copy's.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

func BenchmarkBackup(b *testing.B) {
	path := benchFixture(b)
	srv := startApache(b)
	s, err := data.Open(path, &data.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fi, _ := os.Stat(path)
	d := srv.dest("Enlace")
	plain, err := srv.dest("Plano").remote()
	if err == nil {
		err = plain.prepare(context.Background())
	}
	if err != nil {
		b.Fatal(err)
	}
	copyDir := b.TempDir()
	var cpT, rwT, putT, backupT time.Duration
	steps := map[Step]time.Duration{}
	for i := 0; i < b.N; i++ {
		// The yardsticks, each writing a file of the database's size:
		// cp (the kernel copies, copy_file_range), a copy through this
		// process (read and write), and a plain upload to the same server.
		for _, y := range []struct {
			d  *time.Duration
			fn func() error
		}{
			{&cpT, func() error { return plainCopy(path, filepath.Join(copyDir, "cp.db"), false) }},
			{&rwT, func() error { return plainCopy(path, filepath.Join(copyDir, "rw.db"), true) }},
			{&putT, func() error {
				name := fmt.Sprintf("plano-%d.db", i)
				defer plain.remove(context.Background(), name)
				return plain.upload(context.Background(), name, path, fi.Size(), nil)
			}},
		} {
			t0 := time.Now()
			if err := y.fn(); err != nil {
				b.Fatal(err)
			}
			*y.d += time.Since(t0)
		}

		var last Step = -1
		var lastAt time.Time
		o := &Options{Progress: func(p Progress) {
			if p.Step != last {
				now := time.Now()
				if last >= 0 {
					steps[last] += now.Sub(lastAt)
				}
				last, lastAt = p.Step, now
			}
		}}
		t1 := time.Now()
		res, err := Backup(context.Background(), s, d, testPassphrase, o)
		if err != nil {
			b.Fatal(err)
		}
		backupT += time.Since(t1)
		steps[last] += time.Since(lastAt)
		if i == 0 {
			b.Logf("database %d MB, backup %d MB, %d people", fi.Size()>>20, res.Info.Size>>20, res.Manifest.Counts.People)
		}
		time.Sleep(time.Second) // one backup name per second
	}
	n := float64(b.N)
	b.ReportMetric(float64(backupT.Milliseconds())/n, "backup-ms")
	b.ReportMetric(float64(cpT.Milliseconds())/n, "cp-ms")
	b.ReportMetric(float64(rwT.Milliseconds())/n, "rwcopy-ms")
	b.ReportMetric(float64(putT.Milliseconds())/n, "plainput-ms")
	b.ReportMetric(backupT.Seconds()/cpT.Seconds(), "ratio")
	b.ReportMetric(backupT.Seconds()/rwT.Seconds(), "ratio-rw")
	b.ReportMetric(backupT.Seconds()/putT.Seconds(), "ratio-put")
	var inSteps time.Duration
	for st, d := range steps {
		inSteps += d
		b.Logf("%-28s %6d ms per backup", st, d.Milliseconds()/int64(b.N))
	}
	b.Logf("%-28s %6d ms per backup", "key (scrypt) and listing", (backupT-inSteps).Milliseconds()/int64(b.N))
}

// plainCopy is a yardstick: copy src to a new file dst, by the kernel
// (io.Copy between files: copy_file_range, as cp does) or through this
// process's memory in 1 MiB reads and writes.
func plainCopy(src, dst string, userspace bool) error {
	defer os.Remove(dst)
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if userspace {
		_, err = io.CopyBuffer(struct{ io.Writer }{out}, struct{ io.Reader }{in}, make([]byte, 1<<20))
	} else {
		_, err = io.Copy(out, in)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// BenchmarkFetch downloads, decrypts, decompresses and checks (SHA-256,
// then data.Inspect: schema, counts, every page) the 100,000-person
// backup from Apache: a restore but for the final rename.
func BenchmarkFetch(b *testing.B) {
	path := benchFixture(b)
	srv := startApache(b)
	s, err := data.Open(path, &data.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	d := srv.dest("Enlace")
	res, err := Backup(context.Background(), s, d, testPassphrase, nil)
	s.Close()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var steps = map[Step]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var last Step = -1
		var lastAt time.Time
		o := &Options{Progress: func(p Progress) {
			if p.Step != last {
				now := time.Now()
				if last >= 0 {
					steps[last] += now.Sub(lastAt)
				}
				last, lastAt = p.Step, now
			}
		}}
		st, err := Fetch(context.Background(), d, res.Info.Name, testPassphrase, filepath.Join(dir, "enlace.db"), o)
		if err != nil {
			b.Fatal(err)
		}
		steps[last] += time.Since(lastAt)
		st.Discard()
	}
	for st, d := range steps {
		b.Logf("%-28s %6d ms per restore", st, d.Milliseconds()/int64(b.N))
	}
}
