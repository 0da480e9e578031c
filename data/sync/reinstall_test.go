package sync

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// openStoreInstall opens device's install on sp's folder for the store
// s, with its sync file at path; it is closed when the test ends.
func openStoreInstall(t *testing.T, sp *space, device string, s *data.Store, path string) *Install {
	t.Helper()
	in, err := OpenInstall(path, Config{Device: device, SignKey: sp.keys[device], Space: sp.id,
		Membership: sp.members, Remote: NewRemote(sp.url, sp.dav.User, sp.dav.Password), Local: s})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// newSyncStore opens a new, empty store that syncs as device.
func newSyncStore(t *testing.T, device string) *data.Store {
	t.Helper()
	s := datatest.Open(t, nil)
	if err := s.EnableSync(device); err != nil {
		t.Fatal(err)
	}
	return s
}

// addPerson creates a person at s, failing t on error.
func addPerson(t *testing.T, s *data.Store, first, last, doc string) data.Person {
	t.Helper()
	p := data.Person{FirstName: first, LastName: last, DocKind: data.DocPassport, DocNumber: doc, Nationality: "VE"}
	if err := s.CreatePerson(&p, "Norte"); err != nil {
		t.Fatal(err)
	}
	return p
}

// hasPerson reports whether s holds the person id with that first name.
func hasPerson(s *data.Store, id, first string) bool {
	p, err := s.Person(id)
	return err == nil && p.FirstName == first
}

// TestReinstallNewDatabase: an office syncs, then Enlace is reinstalled
// with a new database and the same device (its invitation used again, or
// its settings put back), the sync file lost with it or kept. The new
// database counts its operations from the start again: what it records
// must never take the ID of an operation the office sent before, which
// every install would refuse (ErrReusedID). The new person reaches the
// other office, nothing is held back, both end with the same state, and
// the new database holds what the office had typed before.
func TestReinstallNewDatabase(t *testing.T) {
	for _, c := range []struct {
		name     string
		keepFile bool
	}{
		{"sync file lost too", false},
		{"sync file kept", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dav := datatest.StartApache(t, "")
			sp := allRoles(coordinators(t, dav, "norte", "sur"))
			dir := t.TempDir()
			north := newSyncStore(t, "norte")
			inN := openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
			south := newSyncStore(t, "sur")
			inS := openStoreInstall(t, sp, "sur", south, filepath.Join(dir, "sur.sync"))

			before := addPerson(t, north, "Daniela", "Montes Ruiz", "PA123456")
			mustSync(t, inN)
			mustSync(t, inS)
			if !hasPerson(south, before.ID, "Daniela") {
				t.Fatal("south did not get the person before the reinstall")
			}

			// Reinstalled: a new database, the same device.
			inN.Close()
			if !c.keepFile {
				if err := os.Remove(filepath.Join(dir, "norte.sync")); err != nil {
					t.Fatal(err)
				}
			}
			north = newSyncStore(t, "norte")
			inN = openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
			after := addPerson(t, north, "Lucía", "Pardo Gil", "PB654321")
			if _, err := inN.Sync(); err != nil {
				t.Fatalf("sync after the reinstall: %v", err)
			}
			if _, err := inS.Sync(); err != nil {
				t.Fatalf("south's sync after north's reinstall: %v", err)
			}
			mustSync(t, inN)
			if r := append(inN.Refused(), inS.Refused()...); len(r) != 0 {
				t.Errorf("held back after the reinstall: %+v", r)
			}
			if !hasPerson(south, after.ID, "Lucía") {
				t.Error("south did not get the person typed after the reinstall")
			}
			if !hasPerson(north, before.ID, "Daniela") {
				t.Error("the new database lacks the person typed before the reinstall")
			}
			if inN.State().Hash() != inS.State().Hash() {
				t.Error("north and south differ")
			}
		})
	}
}

// TestLostSyncFileKeepsUnsentChanges: a change taken from the database
// by a sync that could not reach the server is in the sync file only;
// that file is lost before the next sync. The change still reaches the
// other office: the database kept it until it was on the server.
func TestLostSyncFileKeepsUnsentChanges(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	dir := t.TempDir()
	north := newSyncStore(t, "norte")
	inN := openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
	south := newSyncStore(t, "sur")
	inS := openStoreInstall(t, sp, "sur", south, filepath.Join(dir, "sur.sync"))
	first := addPerson(t, north, "Daniela", "Montes Ruiz", "PA123456")
	mustSync(t, inN)

	// The server out of reach: the sync takes the change and fails.
	inN.Close()
	down := *sp
	down.url = datatest.DeadURL("/Enlace")
	offline := openStoreInstall(t, &down, "norte", north, filepath.Join(dir, "norte.sync"))
	unsent := addPerson(t, north, "Lucía", "Pardo Gil", "PB654321")
	if _, err := offline.Sync(); err == nil {
		t.Fatal("a sync with the server out of reach did not fail")
	}
	if n, _ := north.PendingOps(); len(n) != 0 || offline.Pending() == 0 {
		t.Fatalf("the change was not taken into the sync file (database %d, sync file %d)", len(n), offline.Pending())
	}
	offline.Close()
	if err := os.Remove(filepath.Join(dir, "norte.sync")); err != nil {
		t.Fatal(err)
	}

	inN = openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
	mustSync(t, inN)
	mustSync(t, inS)
	if !hasPerson(south, unsent.ID, "Lucía") {
		t.Error("south did not get the change the lost sync file had not sent")
	}
	if !hasPerson(south, first.ID, "Daniela") || !hasPerson(north, first.ID, "Daniela") {
		t.Error("the person sent before the loss is missing")
	}
	if r := append(inN.Refused(), inS.Refused()...); len(r) != 0 {
		t.Errorf("held back: %+v", r)
	}
	mustSync(t, inN)
	if inN.State().Hash() != inS.State().Hash() {
		t.Error("north and south differ")
	}
	if handed, err := north.HandedOps(); err != nil || len(handed) != 0 {
		t.Errorf("the database still keeps %d operations handed to sync (%v), all are on the server", len(handed), err)
	}
}
