package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/reports"
)

func TestXDGDocumentsDir(t *testing.T) {
	spanish := "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Escritorio\"\nXDG_DOCUMENTS_DIR=\"$HOME/Documentos\"\n"
	tests := []struct {
		name     string
		dirs     string   // user-dirs.dirs, "" for none; ABS stands for an absolute folder
		xdgConf  bool     // the file is under $XDG_CONFIG_HOME, not ~/.config
		folders  []string // folders under home that exist
		abs      bool     // the absolute folder exists
		want     string   // relative to home; "ABS" for the absolute folder
		wantHome bool
	}{
		{name: "spanish desktop", dirs: spanish, folders: []string{"Documentos", "Documents"}, want: "Documentos"},
		{name: "XDG_CONFIG_HOME", dirs: spanish, xdgConf: true, folders: []string{"Documentos"}, want: "Documentos"},
		{name: "absolute path", dirs: "XDG_DOCUMENTS_DIR=\"ABS\"\n", abs: true, want: "ABS"},
		{name: "configured folder missing", dirs: spanish, folders: []string{"Documents"}, want: "Documents"},
		{name: "commented out", dirs: "# XDG_DOCUMENTS_DIR=\"$HOME/Documentos\"\n", folders: []string{"Documentos", "Documents"}, want: "Documents"},
		{name: "disabled, set to home", dirs: "XDG_DOCUMENTS_DIR=\"$HOME/\"\n", folders: []string{"Documents"}, wantHome: true},
		{name: "last line wins", dirs: spanish + "XDG_DOCUMENTS_DIR=\"$HOME/Papeles\"\n", folders: []string{"Documentos", "Papeles"}, want: "Papeles"},
		{name: "no file", folders: []string{"Documents"}, want: "Documents"},
		{name: "nothing at all", wantHome: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, abs, xdg := t.TempDir(), t.TempDir(), t.TempDir()
			if !tt.abs {
				abs = filepath.Join(abs, "missing")
			}
			for _, f := range tt.folders {
				mkdir(t, filepath.Join(home, f))
			}
			env := map[string]string{}
			if tt.dirs != "" {
				conf := filepath.Join(home, ".config")
				if tt.xdgConf {
					conf, env["XDG_CONFIG_HOME"] = xdg, xdg
				}
				mkdir(t, conf)
				body := []byte(strings.ReplaceAll(tt.dirs, "ABS", abs))
				if err := os.WriteFile(filepath.Join(conf, "user-dirs.dirs"), body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := filepath.Join(home, tt.want)
			switch {
			case tt.wantHome:
				want = home
			case tt.want == "ABS":
				want = abs
			}
			if got := xdgDocumentsDir(func(k string) string { return env[k] }, home); got != want {
				t.Errorf("xdgDocumentsDir = %q, want %q", got, want)
			}
		})
	}
}

// TestFileDialogsStartInDocuments opens the app's real dialogs: the first
// starts in Documentos (not in the folder Fyne remembers from another
// session); after a file is saved elsewhere, the next starts there.
func TestFileDialogsStartInDocuments(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	docs, elsewhere, old := filepath.Join(home, "Documentos"), filepath.Join(home, "Informes"), filepath.Join(home, "Antigua")
	for _, d := range []string{docs, elsewhere, old, filepath.Join(home, ".config")} {
		mkdir(t, d)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("XDG_DOCUMENTS_DIR=\"$HOME/Documentos\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u, _ := reportsTestApp(t)
	u.app.Preferences().SetString("fyne:fileDialogLastFolder", storage.NewFileURI(old).String())

	test.Tap(findButton(t, u.referrals.content(), "Importar formularios (CSV)"))
	if got, want := shownFolder(u), storage.NewFileURI(docs).String(); got != want {
		t.Fatalf("the import dialog opened in %s, want %s", got, want)
	}
	u.dismissTop()

	u.reports.onExport(exportPeople, reports.CSV)
	d := topFileDialog(t, u)
	if got, want := shownFolder(u), storage.NewFileURI(docs).String(); got != want {
		t.Fatalf("the export dialog opened in %s, want %s", got, want)
	}
	l, err := storage.ListerForURI(storage.NewFileURI(elsewhere))
	if err != nil {
		t.Fatal(err)
	}
	d.SetLocation(l) // the user goes to Informes…
	name, ok := u.win.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("focused: %T, want the file name", u.win.Canvas().Focused())
	}
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // …and saves there
	u.reports.working.Wait()
	if _, err := os.Stat(filepath.Join(elsewhere, name.Text)); err != nil {
		t.Fatalf("the export was not saved in Informes: %v", err)
	}
	for len(u.dialogs) > 0 {
		u.dismissTop()
	}

	test.Tap(findButton(t, u.referrals.content(), "Importar formularios (CSV)"))
	if got, want := shownFolder(u), storage.NewFileURI(elsewhere).String(); got != want {
		t.Errorf("after saving in Informes the import dialog opened in %s, want %s", got, want)
	}
}

// shownFolder is the folder the open file dialog shows: Fyne records it
// in this preference each time it changes folder.
func shownFolder(u *App) string {
	return u.app.Preferences().String("fyne:fileDialogLastFolder")
}

func topFileDialog(t *testing.T, u *App) *dialog.FileDialog {
	t.Helper()
	if n := len(u.dialogs); n > 0 {
		if d, ok := u.dialogs[n-1].(*dialog.FileDialog); ok {
			return d
		}
		t.Fatalf("top dialog is %T, want a file dialog", u.dialogs[n-1])
	}
	t.Fatal("no dialog open")
	return nil
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
