package sync

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSnapshotAfterRemoval: after the administrator removes an office, a
// snapshot is sealed to the new key epoch: the removed office, with
// every key its file holds, cannot open it, the others can. Collection
// does not wait for the removed office. An office invited afterwards
// joins from the snapshot and finds everyone, the removed office's work
// from before its removal included.
func TestSnapshotAfterRemoval(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	north, south, east := threeOffices(t, dav)
	if _, err := Remove(north.s, pw, "este"); err != nil {
		t.Fatal(err)
	}
	north.register(t, "Nuria", "Despuesnorte")
	for _, o := range []office{north, south} {
		o.sync(t, pw)
	}
	south.register(t, "Sara", "Despuessur") // its head then says it read north's batches
	south.sync(t, pw)

	before := len(serverBatches(t, dav, "norte"))
	ss, err := OpenSession(north.s, pw)
	if err != nil {
		t.Fatal(err)
	}
	ref, removed, err := ss.Compact(time.Now())
	ss.Close()
	if err != nil {
		t.Fatal(err)
	}
	if removed == 0 || len(serverBatches(t, dav, "norte")) != before-removed {
		t.Errorf("compact removed %d of north's %d batches, the server holds %d: the removed office held it back",
			removed, before, len(serverBatches(t, dav, "norte")))
	}
	ct, err := os.ReadFile(filepath.Join(dav.Dir, "Enlace", filepath.FromSlash(snapshotPath("norte", ref.Seq))))
	if err != nil {
		t.Fatal(err)
	}
	if opens(ct, stolen(t, east)...) {
		t.Error("este, removed, opens the snapshot written after its removal")
	}
	if !opens(ct, stolen(t, south)...) {
		t.Error("sur cannot open the snapshot: the test proves nothing")
	}

	west := join(t, north, dav, "oeste")
	west.sync(t, pw)
	for _, name := range []string{"antesdelabaja", "deleste", "despuesnorte", "despuessur"} {
		if !west.finds(name) {
			t.Errorf("oeste, joined from the snapshot, does not find %s", name)
		}
	}
	north.sync(t, pw)
	south.sync(t, pw)
	if h := west.hash(t, pw); h != north.hash(t, pw) || h != south.hash(t, pw) {
		t.Error("oeste differs from the others after joining")
	}
}
