package sync

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestForbiddenErasureShredsNothing: a technician may not erase a person.
// Their batch with a tombstone is refused, as any batch with an action
// its signer may not take; and the tombstone, though every install reads
// it before the roles can be checked (the boxes must be opened first),
// does not destroy the person's keys: not here, not on the server, not
// after the administration skips the batch (the rest of it is taken).
func TestForbiddenErasureShredsNothing(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"tecnica": data.RoleTechnician, "coordi": data.RoleCoordinator, "zadmin": data.RoleAdmin,
		"zlate": data.RoleCoordinator})
	coordinatingAdmin(sp, "zadmin")
	if (&data.User{Roles: []data.Role{data.RoleTechnician}}).Can(data.PermErase) {
		t.Fatal("a technician may erase: the test cannot tell")
	}
	dir := t.TempDir()
	tech, coord, admin := sp.open(t, dir, "tecnica"), sp.open(t, dir, "coordi"), sp.open(t, dir, "zadmin")
	defer tech.Close()
	defer coord.Close()
	defer admin.Close()
	record(t, coord, data.OpPersonSet, "p1", "p1", func(op *data.Op) {
		op.Fields = map[string]json.RawMessage{"name": json.RawMessage(`{"first_name":"Yolanda","last_name":"Quiroga"}`)}
	})
	mustSync(t, coord)
	mustSync(t, tech)
	keyFile := filepath.Join(dav.Dir, "Enlace", "keys", keyName("p1", "coordi")+".age")
	saved, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatalf("no key of p1 on the server: %v", err)
	}

	// The technician's install takes its own tombstone (the store checks
	// roles before; this stands for a forged or modified install) and an
	// event about someone else it may add, in the same batch.
	record(t, tech, data.OpEventAdd, "e1", "p2", func(op *data.Op) { op.Data = json.RawMessage(`{"text":"llamada"}`) })
	record(t, tech, data.OpPersonErase, "p1", "p1", nil)
	mustSync(t, tech)
	// Its own install deleted the key file as it forgot p1. Any member
	// can delete any file of the folder, so that is beyond the engine;
	// a forged install would rather leave the key for the others to shred
	// everywhere, which is what must not happen: put it back.
	if err := os.WriteFile(keyFile, saved, 0o644); err != nil {
		t.Fatal(err)
	}

	for _, in := range []*Install{coord, admin} {
		mustSync(t, in)
		if r := in.Refused(); len(r) != 1 || r[0].Device != "tecnica" {
			t.Errorf("%s: refusals %+v, want tecnica's batch", in.cfg.Device, r)
		}
		if _, ok := in.State().People["p1"]; !ok {
			t.Errorf("%s lost p1 to a tombstone its signer may not make", in.cfg.Device)
		}
		if in.pkeys["p1"] == nil {
			t.Errorf("%s dropped p1's key", in.cfg.Device)
		}
	}
	if _, err := os.Stat(keyFile); err != nil {
		t.Errorf("p1's key left the server after a refused erasure: %v", err)
	}

	// Skipped by the administration: the event is taken, the tombstone
	// is not, and the person and the key stay.
	record(t, admin, data.OpBatchSkip, "tecnica/1", "", nil)
	mustSync(t, admin)
	mustSync(t, coord)
	for _, in := range []*Install{coord, admin} {
		st := in.State()
		if _, ok := st.People["p1"]; !ok || st.Events["e1"].Data == nil {
			t.Errorf("%s after the skip: p1 there %v, event %v; want both", in.cfg.Device, ok, st.Events["e1"])
		}
		if len(in.Refused()) != 0 {
			t.Errorf("%s still holds tecnica back: %+v", in.cfg.Device, in.Refused())
		}
	}
	if _, err := os.Stat(keyFile); err != nil {
		t.Errorf("p1's key left the server after the skip: %v", err)
	}
	// An install that joins now reads p1's writing and the skipped batch
	// with its tombstone in one pull: it keeps p1 too.
	late := sp.open(t, dir, "zlate")
	defer late.Close()
	mustSync(t, late)
	if st := late.State(); st.People["p1"] == nil || st.People["p1"].Groups["name"].Value == nil || st.Events["e1"].Data == nil {
		t.Errorf("a late install joined with p1 %+v and e1 %+v; want both", st.People["p1"], st.Events["e1"])
	}
	if late.pkeys["p1"] == nil {
		t.Error("a late install dropped p1's key")
	}
}

// TestHeldErasureShredsNothing: a tombstone its signer may make, in a
// batch after one of theirs that is refused, is not taken yet (the device
// is held back there), so it erases nobody: an install that reads the
// person's writing, the refused batch and the tombstone in one pull keeps
// the person and their key.
func TestHeldErasureShredsNothing(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"coordi": data.RoleCoordinator, "zadmin": data.RoleAdmin,
		"zlate": data.RoleCoordinator})
	coordinatingAdmin(sp, "zadmin")
	dir := t.TempDir()
	coord, admin := sp.open(t, dir, "coordi"), sp.open(t, dir, "zadmin")
	defer coord.Close()
	defer admin.Close()
	record(t, admin, data.OpPersonSet, "p1", "p1", func(op *data.Op) {
		op.Fields = map[string]json.RawMessage{"name": json.RawMessage(`{"first_name":"Yolanda","last_name":"Quiroga"}`)}
	})
	mustSync(t, admin)
	mustSync(t, coord)
	keyFile := filepath.Join(dav.Dir, "Enlace", "keys", keyName("p1", "zadmin")+".age")
	saved, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	// Batch 1: a skip, which only the administration may make; batch 2:
	// the erasure, which a coordinator may.
	record(t, coord, data.OpBatchSkip, "zadmin/9", "", nil)
	mustSync(t, coord)
	record(t, coord, data.OpPersonErase, "p1", "p1", nil)
	mustSync(t, coord)
	if err := os.WriteFile(keyFile, saved, 0o644); err != nil { // as in TestForbiddenErasureShredsNothing
		t.Fatal(err)
	}

	late := sp.open(t, dir, "zlate")
	defer late.Close()
	mustSync(t, late)
	if r := late.Refused(); len(r) != 1 || r[0].Device != "coordi" || r[0].Seq != 1 {
		t.Errorf("refusals %+v, want coordi's batch 1", r)
	}
	if st := late.State(); st.People["p1"] == nil || st.People["p1"].Groups["name"].Value == nil {
		t.Error("the late install lost p1 to a tombstone held back behind a refused batch")
	}
	if late.pkeys["p1"] == nil {
		t.Error("the late install dropped p1's key")
	}
	if _, err := os.Stat(keyFile); err != nil {
		t.Errorf("p1's key left the server: %v", err)
	}
}
