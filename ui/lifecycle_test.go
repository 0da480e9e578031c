package ui

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// userCloses does what the window manager's close button does to w: it
// runs the close intercept the window holds (whatever replaced Enlace's),
// or closes the window when it holds none. Fyne's test window keeps the
// intercept unexported, so it is read with reflect.
func userCloses(t *testing.T, w fyne.Window) {
	t.Helper()
	f := reflect.ValueOf(w).Elem().FieldByName("onCloseIntercepted")
	if !f.IsValid() {
		t.Fatal("Fyne's test window no longer keeps its close intercept in onCloseIntercepted")
	}
	intercept := *(*func())(unsafe.Pointer(f.UnsafeAddr()))
	if intercept == nil {
		w.Close()
		return
	}
	intercept()
}

// TestClosingTheWindowQuits: closing Enlace's window makes the backup on
// close and then closes the database, so Enlace opens it again at once
// (a window that only hid kept it locked: "abierta en otra ventana").
func TestClosingTheWindowQuits(t *testing.T) {
	a := test.NewApp()
	t.Cleanup(a.Quit)
	path := filepath.Join(t.TempDir(), "enlace.db")
	store, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	u := New(a, store, "test")
	t.Cleanup(func() { u.Close() })
	b := u.backup
	b.keyring, b.logN = backup.Memory(), 10
	settled := make(chan struct{}, 4)
	b.settled = func() { settled <- struct{}{} }
	withPassphrase(t, b)
	dir := t.TempDir()
	b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: dir})
	if !b.cfg.OnClose {
		t.Fatal("a new destination does not back up on close")
	}
	if len(backupsIn(t, dir)) != 0 {
		t.Fatal("a backup was made before closing")
	}

	userCloses(t, u.win)
	wait(t, settled)
	var again *data.Store
	for range 500 {
		if again, err = data.Open(path, datatest.Options(nil)); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("after closing the window the database cannot be opened again: %v", err)
	}
	defer again.Close()
	if n := len(backupsIn(t, dir)); n != 1 {
		t.Errorf("closing the window made %d backups, want 1", n)
	}
	if _, err := u.store.Revision(); err == nil {
		t.Error("the closed window's store still answers")
	}
}

// TestTrayMenuQuits: the tray's menu ends with "Salir", marked as the quit
// item (so Fyne adds no "Quit" of its own that would skip the backup), and
// it runs the same close path as the window.
func TestTrayMenuQuits(t *testing.T) {
	u := officesTestApp(t)
	closed := false
	u.win.SetOnClosed(func() { closed = true })
	m := u.trayMenu(fyne.NewMenuItem("Abrir Enlace", u.showWindow))
	last := m.Items[len(m.Items)-1]
	if last.Label != "Salir" || !last.IsQuit {
		t.Fatalf("the tray's last item is %q (quit %v), want Salir", last.Label, last.IsQuit)
	}
	last.Action()
	if !closed {
		t.Error("Salir in the tray did not close the window")
	}
}
