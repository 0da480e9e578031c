package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestErasureScrubsTheBackups: with a folder destination holding a
// backup made before, Suprimir a esta persona… clears that backup of the
// person in the background, and the panel says so; the backup, restored,
// no longer holds them.
func TestErasureScrubsTheBackups(t *testing.T) {
	u, store, _, p := gdprTestApp(t, peopleNow)
	other := jorge()
	if err := store.CreatePerson(&other, "semilla"); err != nil {
		t.Fatal(err)
	}
	b := u.backup
	b.keyring, b.logN = backup.Memory(), 10
	settled := make(chan struct{}, 4)
	b.settled = func() { settled <- struct{}{} }
	dir := filepath.Join(t.TempDir(), "USB")
	withPassphrase(t, b)
	b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: dir})
	test.Tap(b.nowBtn)
	wait(t, settled)
	files := backupsIn(t, dir)
	if len(files) != 1 {
		t.Fatalf("backups: %v, want one", files)
	}

	u.people.open(p.ID)
	e := u.askErasure(p)
	test.Type(e.confirm, "pérez lópez")
	test.Type(e.reason, "Lo pide por escrito")
	test.Tap(e.erase)
	waitText(t, u, "Las copias de seguridad anteriores se están limpiando")
	wait(t, settled)

	if got := b.result.Text; !strings.Contains(got, "revisadas, 1; reescritas sin la persona suprimida, 1.") {
		t.Errorf("panel after the scrub says %q", got)
	}
	if texts := strings.Join(shownTexts(b.content()), "\n"); strings.Contains(texts, "pendientes de limpiar") {
		t.Errorf("the panel still shows backups to clear:\n%s", texts)
	}
	if st, _ := backup.LoadStatuses(store); st[b.cfg.Destinations[0].Key()].ScrubbedTo.IsZero() {
		t.Error("the stored status does not say the destination was scrubbed")
	}
	if got := backupsIn(t, dir); len(got) != 1 || got[0] != files[0] {
		t.Fatalf("backups after the scrub: %v, want %v under the same name", got, files)
	}
	restored := filepath.Join(t.TempDir(), "restaurada.db")
	if _, err := backup.Restore(context.Background(), b.cfg.Destinations[0], filepath.Base(files[0]), uiPassphrase, restored, nil); err != nil {
		t.Fatal(err)
	}
	if raw, _ := os.ReadFile(restored); strings.Contains(string(raw), p.ID) {
		t.Error("the scrubbed backup still holds the person's ID")
	}
	r, err := data.Open(restored, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the scrubbed backup still has the person: %v", err)
	}
	if _, err := r.Person(other.ID); err != nil {
		t.Errorf("the other person is gone from the backup: %v", err)
	}
}

// TestScrubPendingShown: a destination whose scrub failed shows in
// Ajustes how many backups are left and why.
func TestScrubPendingShown(t *testing.T) {
	u, store, _, p := gdprTestApp(t, peopleNow)
	b := u.backup
	d := backup.Destination{Kind: backup.KindFolder, Path: filepath.Join(t.TempDir(), "USB")}
	b.cfg.Destinations = []backup.Destination{d}
	if err := store.ErasePerson(p.ID, "Lo pide por escrito"); err != nil {
		t.Fatal(err)
	}
	b.st.RecordScrub(d, backup.Scrubbed{Pending: 2}, backup.ErrNoDestination)
	var err error
	if b.lastErasure, err = store.LastErasure(); err != nil { // what readErasures finds at the next tick
		t.Fatal(err)
	}
	b.refresh()
	texts := strings.Join(shownTexts(b.content()), "\n")
	if !strings.Contains(texts, "2 copias anteriores a una supresión, pendientes de limpiar: No se encuentra la carpeta de destino") {
		t.Errorf("panel with a pending scrub:\n%s", texts)
	}
}
