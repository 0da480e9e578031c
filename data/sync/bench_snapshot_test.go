package sync

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkJoinSnapshot: BenchmarkJoin's space, with a snapshot of it
// written by the device that shipped it: the new install reads the one
// snapshot (checking its signature and each operation's author) instead
// of the ten batches, and writes the same into its store. Reports the
// snapshot's size on the server and how long its writer took to make and
// put it.
func BenchmarkJoinSnapshot(b *testing.B) {
	sp, took := joinSpace(b, true)
	fi, err := os.Stat(filepath.Join(sp.folder(), filepath.FromSlash(snapshotPath("a", 1))))
	if err != nil {
		b.Fatal(err)
	}
	benchJoin(b, sp)
	b.ReportMetric(float64(fi.Size())/1e6, "snapshot-MB")
	b.ReportMetric(took.Seconds(), "write-s")
}
