//go:build !linux

package data

// releaseMapped is a no-op where the kernel's page mapping is not tuned
// (see release_linux.go).
func (s *Store) releaseMapped() {}
