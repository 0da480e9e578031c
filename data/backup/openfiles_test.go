package backup

import (
	"os"
	"path/filepath"
	"testing"
)

// Windows refuses what Linux allows on open files; these tests pin the
// cases Enlace hit there (found running enlace.exe under Wine, see
// scripts/wine-test.sh), checking on Linux what would fail on Windows.

// TestSyncFileWritable: syncFile must flush a file it did not write
// itself (the hard link of a folder upload). Windows' FlushFileBuffers
// refuses a read-only handle with "Access denied"; on Windows this test
// fails if syncFile opens the file only for reading.
func TestSyncFileWritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copia.age")
	if err := os.WriteFile(path, []byte("cifrado"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syncFile(path); err != nil {
		t.Fatalf("syncFile: %v", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "cifrado" {
		t.Errorf("after syncFile the file holds %q, %v; want it unchanged", b, err)
	}
}
