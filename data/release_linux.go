package data

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops this process's mappings of the database pages that
// building the index touched. bbolt reads through a read-only shared
// mapping, and the kernel maps the cached neighbours of every page read
// ("fault-around"), so scanning the scattered card pages of a large file
// would leave hundreds of megabytes counted as resident. The pages stay
// in the page cache and are mapped again on the next read: nothing is
// lost, only the process's resident size shrinks. The read transaction
// holds bbolt's mmap lock, so the mapping cannot move meanwhile.
func (s *Store) releaseMapped() {
	_ = s.db.View(func(tx *bolt.Tx) error {
		size := tx.Size()
		if size <= 0 {
			return nil
		}
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, s.db.Info().Data, uintptr(size), syscall.MADV_DONTNEED)
		if errno != 0 {
			return errno
		}
		return nil
	})
}
