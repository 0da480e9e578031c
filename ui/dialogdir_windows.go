//go:build windows

package ui

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// documentsDir is the user's Documents folder: the Documents known folder
// (which may have been moved, say to OneDrive or a network drive), else
// %USERPROFILE%\Documents, else the home folder.
func documentsDir() string {
	known, _ := windows.KnownFolderPath(windows.FOLDERID_Documents, 0)
	var profile string
	if p := os.Getenv("USERPROFILE"); p != "" {
		profile = filepath.Join(p, "Documents")
	}
	home, _ := os.UserHomeDir()
	return firstDir(known, profile, home)
}
