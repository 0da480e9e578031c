package backup

import (
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// writeBehind is the writer of the encrypted backup into its temporary
// file when that file will become the backup itself (a folder on the same
// file system: place links it). Every writeBehindStep bytes it asks the
// kernel to start writing the last ones to the disk (sync_file_range,
// which does not wait), so that the disk works while the rest is
// compressed and encrypted, and the fsync before the backup counts as
// made waits for the tail only: on a 557 MB backup, 0.1 s instead of 0.5.
// Durability is unchanged: place still fsyncs the file and the folder.
type writeBehind struct {
	f       *os.File
	written int64 // bytes written
	started int64 // bytes whose write-back has been started
}

const writeBehindStep = 8 << 20

func (w *writeBehind) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.started >= writeBehindStep {
		// Only a hint: should it fail, fsync does all the work later.
		_ = unix.SyncFileRange(int(w.f.Fd()), w.started, w.written-w.started, unix.SYNC_FILE_RANGE_WRITE)
		w.started = w.written
	}
	return n, err
}

// linksInto reports whether a file in tempDir can become a backup in the
// folder d (or the folder it will be created in) by a hard link: both on
// one file system.
func linksInto(tempDir string, d Destination) bool {
	if d.Kind != KindFolder || d.Path == "" {
		return false
	}
	dest := d.Path
	if _, err := os.Stat(dest); err != nil {
		dest = filepath.Dir(dest)
	}
	a, errA := os.Stat(tempDir)
	b, errB := os.Stat(dest)
	if errA != nil || errB != nil {
		return false
	}
	sa, okA := a.Sys().(*syscall.Stat_t)
	sb, okB := b.Sys().(*syscall.Stat_t)
	return okA && okB && sa.Dev == sb.Dev
}
