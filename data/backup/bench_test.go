package backup

// The backup's cost against plain copies of the same file, on a database
// of 100,000 people with 1,000,000 timeline events, as it is today (JSON
// values) and as it will be once values are encrypted at rest (random
// values): docs/PERFORMANCE.md.
//
//	go test ./data/backup/ -run '^$' -bench 'Backup$' -benchtime 3x -count 3
//
// Each iteration times, on the same file: three yardsticks that write a
// file of the database's size (cp through the page cache; a durable copy,
// cp then fsync; a plain PUT to the same Apache), then a backup to a
// local folder (which fsyncs, like the durable copy) and one to Apache
// WebDAV on 127.0.0.1, at the default scrypt cost. Every step starts with
// the disk's dirty pages written out and the database in the page cache
// (settle). The ratios are the backup's time over each yardstick's;
// folder-cpu-ms and webdav-cpu-ms are the processor time a backup used on
// all cores, which the other engineers' load on this shared machine does
// not inflate.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

func BenchmarkBackup(b *testing.B) {
	srv := startApache(b)
	for _, fx := range []struct {
		name string
		path func(*testing.B) string
	}{{"values=plain", benchFixture}, {"values=random", randomFixture}} {
		b.Run(fx.name, func(b *testing.B) { benchBackup(b, fx.path(b), srv) })
	}
}

// timings adds up, over the iterations, how long each thing took.
type timings map[string]time.Duration

// benchBackup runs the yardsticks and the two backups of the database at
// path, b.N times, and reports each one's mean and the ratios.
func benchBackup(b *testing.B, path string, srv *davServer) {
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	plain, err := srv.dest("Plano").remote()
	if err == nil {
		err = plain.prepare(context.Background())
	}
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	dests := map[string]Destination{
		"folder": {Kind: KindFolder, Path: filepath.Join(dir, "Enlace")},
		"webdav": srv.dest("Enlace-" + filepath.Base(path)),
	}
	t, steps, sizes := timings{}, map[string]timings{}, map[string]int64{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		timeYardsticks(b, path, dir, plain, fi.Size(), t)
		for _, name := range []string{"folder", "webdav"} {
			datatest.Settle(b, path)
			if steps[name] == nil {
				steps[name] = timings{}
			}
			cpu0 := datatest.CPUTime()
			res, took := timedBackup(b, s, dests[name], steps[name])
			t[name] += took
			t[name+"-cpu"] += datatest.CPUTime() - cpu0
			sizes[name] = res.Info.Size
		}
	}
	b.StopTimer()
	report(b, t, steps)
	b.ReportMetric(float64(fi.Size())/1e6, "db-MB")
	b.ReportMetric(float64(sizes["webdav"])/1e6, "backup-MB")
}

// timeYardsticks copies the database at path to dir with cp, then with
// cp and fsync, then PUTs it to plain, and adds each one's time to t.
func timeYardsticks(b *testing.B, path, dir string, plain remote, size int64, t timings) {
	yardsticks := map[string]func() error{
		"cp":     func() error { return plainCopy(path, filepath.Join(dir, "cp.db"), false) },
		"synccp": func() error { return plainCopy(path, filepath.Join(dir, "synccp.db"), true) },
		"put": func() error {
			defer plain.remove(context.Background(), "plano.db")
			return plain.upload(context.Background(), "plano.db", path, size, nil)
		},
	}
	for _, name := range []string{"cp", "synccp", "put"} {
		datatest.Settle(b, path)
		t0 := time.Now()
		if err := yardsticks[name](); err != nil {
			b.Fatal(err)
		}
		t[name] += time.Since(t0)
	}
}

// timedBackup makes one backup of s to d, adds the time of each step to
// steps and returns the result and the whole time.
func timedBackup(b *testing.B, s *data.Store, d Destination, steps timings) (Result, time.Duration) {
	last, lastAt := "listing", time.Now()
	o := &Options{Progress: func(p Progress) {
		if name := p.Step.String(); name != last {
			now := time.Now()
			steps[last] += now.Sub(lastAt)
			last, lastAt = name, now
		}
	}}
	t0 := time.Now()
	res, err := Backup(context.Background(), s, d, testPassphrase, o)
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(t0)
	steps[last] += time.Since(lastAt)
	return res, took
}

// report prints the mean time of each step in ms and the backups' ratios
// to each yardstick.
func report(b *testing.B, t timings, steps map[string]timings) {
	n := float64(b.N)
	for _, name := range []string{"cp", "synccp", "put", "folder", "webdav", "folder-cpu", "webdav-cpu"} {
		b.ReportMetric(float64(t[name].Milliseconds())/n, name+"-ms")
	}
	for _, backup := range []string{"folder", "webdav"} {
		for _, y := range []string{"cp", "synccp", "put"} {
			b.ReportMetric(t[backup].Seconds()/t[y].Seconds(), backup+"/"+y)
		}
		line := backup + ":"
		for _, step := range []string{"listing", StepEncrypt.String(), StepUpload.String(), StepPrune.String()} {
			line += fmt.Sprintf(" %s %d ms;", step, steps[backup][step].Milliseconds()/int64(b.N))
		}
		b.Log(line)
	}
}

// plainCopy is a yardstick: copy src to a new file dst by the kernel, as
// cp does (io.Copy between files: copy_file_range), and when durable
// flush it and its folder to the disk. The copy is removed afterwards.
func plainCopy(src, dst string, durable bool) error {
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
	_, err = io.Copy(out, in)
	if err == nil && durable {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && durable {
		syncDir(filepath.Dir(dst))
	}
	return err
}

// BenchmarkFetch downloads, decrypts, decompresses and checks (SHA-256,
// then data.Inspect: schema, counts, every page) the 100,000-person
// backup from Apache: a restore but for the final rename.
func BenchmarkFetch(b *testing.B) {
	path := benchFixture(b)
	srv := startApache(b)
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
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
