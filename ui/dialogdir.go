package ui

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// File dialogs start in the user's Documents folder, or in the folder the
// user last chose in this session. Fyne on its own opens the folder last
// browsed (kept in its preferences across sessions, even when the dialog
// was cancelled) or the home folder, where coordinators rarely keep files.

// fileSave is dialog.NewFileSave over u's window, starting in startDir
// and remembering the folder of the file chosen.
func (u *App) fileSave(cb func(fyne.URIWriteCloser, error)) *dialog.FileDialog {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if w != nil {
			u.chose(w.URI(), false)
		}
		cb(w, err)
	}, u.win)
	u.startIn(d)
	return d
}

// fileOpen is dialog.NewFileOpen over u's window, like fileSave.
func (u *App) fileOpen(cb func(fyne.URIReadCloser, error)) *dialog.FileDialog {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if r != nil {
			u.chose(r.URI(), false)
		}
		cb(r, err)
	}, u.win)
	u.startIn(d)
	return d
}

// folderOpen is dialog.NewFolderOpen over u's window, like fileSave; the
// folder chosen is the one remembered.
func (u *App) folderOpen(cb func(fyne.ListableURI, error)) *dialog.FileDialog {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if dir != nil {
			u.chose(dir, true)
		}
		cb(dir, err)
	}, u.win)
	u.startIn(d)
	return d
}

// showOpen shows a file or folder dialog to open with, worded in the
// interface's language («Abrir», «Cancelar»), at a size that shows the
// folder's files.
func (u *App) showOpen(d *dialog.FileDialog) {
	d.SetConfirmText(T("Abrir"))
	d.SetDismissText(T("Cancelar"))
	d.Resize(fyne.NewSize(900, 600))
	u.showDialog(d)
}

// chose remembers the folder of uri (uri itself when isDir) as where the
// next file dialog starts.
func (u *App) chose(uri fyne.URI, isDir bool) {
	if uri.Scheme() != "file" {
		return
	}
	if isDir {
		u.lastDir = uri.Path()
		return
	}
	u.lastDir = filepath.Dir(uri.Path())
}

// startDir is where a file dialog starts: the folder last chosen in this
// session if it is still there, else the user's Documents folder ("" when
// not even the home folder can be found).
func (u *App) startDir() string {
	if d := firstDir(u.lastDir); d != "" {
		return d
	}
	return documentsDir()
}

// startIn makes d start in startDir.
func (u *App) startIn(d *dialog.FileDialog) {
	dir := u.startDir()
	if dir == "" {
		return
	}
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return // Fyne's own choice, then
	}
	d.SetLocation(l)
}

// firstDir returns the first of dirs that is an existing folder, or "".
func firstDir(dirs ...string) string {
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return ""
}

// xdgDocumentsDir is what `xdg-user-dir DOCUMENTS` prints for a user whose
// home folder is home, with the environment getenv: XDG_DOCUMENTS_DIR
// from $XDG_CONFIG_HOME/user-dirs.dirs (~/.config by default), which
// desktops set in the user's language (~/Documentos), else ~/Documents,
// else home; only folders that exist count. It is "" only when home is ""
// and nothing else is found.
func xdgDocumentsDir(getenv func(string) string, home string) string {
	conf := getenv("XDG_CONFIG_HOME")
	if conf == "" && home != "" {
		conf = filepath.Join(home, ".config")
	}
	var configured string
	if conf != "" {
		configured = userDirsValue(filepath.Join(conf, "user-dirs.dirs"), "XDG_DOCUMENTS_DIR", home)
	}
	if home == "" {
		return firstDir(configured)
	}
	return firstDir(configured, filepath.Join(home, "Documents"), home)
}

// userDirsValue reads key from the user-dirs.dirs file at path: a line
// KEY="$HOME/Folder" or KEY="/absolute/folder". It is "" when the file or
// the key is missing or the value is neither of those.
func userDirsValue(path, key, home string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }()
	value := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) != key {
			continue
		}
		v = strings.TrimSpace(v)
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		}
		switch {
		case v == "$HOME" || strings.HasPrefix(v, "$HOME/"):
			if home == "" {
				continue
			}
			value = filepath.Join(home, strings.TrimPrefix(v, "$HOME"))
		case filepath.IsAbs(v):
			value = filepath.Clean(v)
		}
	}
	return value // the last one wins, as when the shell sources the file
}
