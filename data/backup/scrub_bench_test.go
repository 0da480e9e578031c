package backup

// The scrub's cost against a plain backup of the same database, in the
// same run: docs/PERFORMANCE.md.
//
//	go test ./data/backup/ -run '^$' -bench 'Scrub$' -benchtime 1x
//
// Each iteration makes a backup of a copy of benchFixture to a local
// folder (timed: the yardstick), erases one person from the database
// (and compacts it, as Suprimir a esta persona… does), and then times the
// scrub of that backup, which holds the person: download and decrypt,
// erase and compact the copy, check it, encrypt it and put it in place.
// Both at the default scrypt cost.

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

func BenchmarkScrub(b *testing.B) {
	fixture := benchFixture(b)
	b.ResetTimer()
	var backupT, scrubT time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		path := filepath.Join(dir, "enlace.db")
		if err := plainCopy(fixture, path, false); err != nil {
			b.Fatal(err)
		}
		s, err := data.Open(path, datatest.Options(&data.Options{DeferIndex: true}))
		if err != nil {
			b.Fatal(err)
		}
		p := data.Person{FirstName: erasedFirst, LastName: erasedLast, DocKind: data.DocNIE, DocNumber: erasedDoc}
		if err := s.CreatePerson(&p, "Test"); err != nil {
			b.Fatal(err)
		}
		d := Destination{Kind: KindFolder, Path: filepath.Join(dir, "Enlace")}
		datatest.Settle(b, path)
		b.StartTimer()
		t0 := time.Now()
		if _, err := Backup(context.Background(), s, d, testPassphrase, nil); err != nil {
			b.Fatal(err)
		}
		backupT += time.Since(t0)
		b.StopTimer()
		time.Sleep(1100 * time.Millisecond) // the erasure after the backup's second
		if err := s.ErasePerson(p.ID, "Lo pide por escrito"); err != nil {
			b.Fatal(err)
		}
		if err := s.Compact(); err != nil {
			b.Fatal(err)
		}
		datatest.Settle(b, path)
		b.StartTimer()
		t0 = time.Now()
		res, err := Scrub(context.Background(), s, d, testPassphrase, nil)
		scrubT += time.Since(t0)
		b.StopTimer()
		if err != nil || res.Rewritten != 1 {
			b.Fatalf("Scrub = %+v, %v; want one backup rewritten", res, err)
		}
		_ = s.Close()
		_ = os.RemoveAll(dir)
	}
	n := float64(b.N)
	b.ReportMetric(float64(backupT.Milliseconds())/n, "backup-ms")
	b.ReportMetric(float64(scrubT.Milliseconds())/n, "scrub-ms")
	b.ReportMetric(float64(scrubT)/float64(backupT), "scrub/backup")
}
