//go:build !windows

package ui

import "os"

// documentsDir is the user's Documents folder, as `xdg-user-dir
// DOCUMENTS` finds it (see xdgDocumentsDir).
func documentsDir() string {
	home, _ := os.UserHomeDir()
	return xdgDocumentsDir(os.Getenv, home)
}
