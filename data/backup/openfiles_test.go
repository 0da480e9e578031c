package backup

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Windows refuses what Linux allows on open files; these tests pin the two
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

// TestUploadStartsWithTempFileClosed: the encrypted temporary file is
// closed before it is uploaded. On Windows a file open without
// FILE_SHARE_DELETE (as Go opens files) cannot be renamed or removed, nor
// can a hard link to it be removed: the folder upload then failed and
// left a .tmp beside the backups. Checked through /proc on Linux.
func TestUploadStartsWithTempFileClosed(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the open files from /proc/self/fd")
	}
	s := testStore(t, 5)
	tempDir := t.TempDir()
	o := fastOpts()
	o.TempDir = tempDir
	checked := false
	o.Progress = func(p Progress) {
		if p.Step != StepUpload || checked {
			return
		}
		checked = true
		if open := openFilesIn(t, tempDir); len(open) > 0 {
			t.Errorf("upload starts with %v still open", open)
		}
	}
	d := Destination{Kind: KindFolder, Path: filepath.Join(t.TempDir(), "Enlace")}
	if _, err := Backup(context.Background(), s, d, testPassphrase, o); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if !checked {
		t.Fatal("no upload progress reported: the check did not run")
	}
}

// openFilesIn lists the files under dir this process has open.
func openFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, dir+string(filepath.Separator)) {
			out = append(out, target)
		}
	}
	return out
}
