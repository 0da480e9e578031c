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

// TestUpgradeLostSyncFileKeepsUnsentChanges: before the database kept
// what it hands to sync (sync.handed), a sync that could not reach the
// server took two people from it into the sync file alone; one of them is
// erased since. After the upgrade a sync, out of reach again, gives the
// database back what its file holds unsent, about the erased person
// excepted; the file is then lost. The person still reaches the other
// office, and nothing of the erased one is kept or sent.
func TestUpgradeLostSyncFileKeepsUnsentChanges(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	dir := t.TempDir()
	north := newSyncStore(t, "norte")
	inN := openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
	south := newSyncStore(t, "sur")
	inS := openStoreInstall(t, sp, "sur", south, filepath.Join(dir, "sur.sync"))
	first := addPerson(t, north, "Daniela", "Montes Ruiz", "PA123456")
	mustSync(t, inN)
	inN.Close()

	down := *sp
	down.url = datatest.DeadURL("/Enlace")
	offline := openStoreInstall(t, &down, "norte", north, filepath.Join(dir, "norte.sync"))
	unsent := addPerson(t, north, "Lucía", "Pardo Gil", "PB654321")
	erased := addPerson(t, north, "Marta", "Ríos Sanz", "PC111222")
	if _, err := offline.Sync(); err == nil {
		t.Fatal("a sync with the server out of reach did not fail")
	}
	// The database as the older version left it: nothing listed as handed.
	handed, err := north.HandedOps()
	if err != nil || len(handed) == 0 {
		t.Fatalf("handed before the upgrade: %d, %v", len(handed), err)
	}
	ids := make([]string, len(handed))
	for i, op := range handed {
		ids[i] = op.ID
	}
	if err := north.ShippedOps(ids); err != nil {
		t.Fatal(err)
	}
	if err := north.ErasePerson(erased.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}

	// The upgraded version's first sync, out of reach too.
	if _, err := offline.Sync(); err == nil {
		t.Fatal("a sync with the server out of reach did not fail")
	}
	about := func(person string) (n int) { // but the erasure, which goes
		handed, err := north.HandedOps()
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range handed {
			if (op.Subject == person || op.Record == person) && op.Kind != data.OpPersonErase {
				n++
			}
		}
		return n
	}
	if about(unsent.ID) == 0 || about(erased.ID) != 0 {
		t.Errorf("after the upgraded sync the database keeps %d operations about the person unsent (want some) and %d about the one erased (want none but the erasure)",
			about(unsent.ID), about(erased.ID))
	}
	offline.Close()
	if err := os.Remove(filepath.Join(dir, "norte.sync")); err != nil {
		t.Fatal(err)
	}

	inN = openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
	mustSync(t, inN)
	mustSync(t, inS)
	if !hasPerson(south, unsent.ID, "Lucía") {
		t.Error("south did not get the change the lost sync file had taken before the upgrade")
	}
	if !hasPerson(south, first.ID, "Daniela") || !hasPerson(north, first.ID, "Daniela") {
		t.Error("the person sent before the loss is missing")
	}
	if hasPerson(south, erased.ID, "Marta") || hasPerson(north, erased.ID, "Marta") {
		t.Error("the person erased before the upgraded sync is at an office")
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

// copyFile copies the closed file src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestBackupPutBack: an office's database is put back from a backup made
// before its last changes, which the sync file and the server hold; the
// sync file stays. The database starts a new series of operation IDs at
// the restore (data.RenewOpSeries, as data/backup's Swap does), so what
// it records next clashes with nothing the office sent after the backup,
// and it gets back from the sync file what was typed after the backup.
func TestBackupPutBack(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "enlace.db")
	open := func() *data.Store {
		s, err := data.Open(dbPath, datatest.Options(nil))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	north := open()
	if err := north.EnableSync("norte"); err != nil {
		t.Fatal(err)
	}
	inN := openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
	south := newSyncStore(t, "sur")
	inS := openStoreInstall(t, sp, "sur", south, filepath.Join(dir, "sur.sync"))
	first := addPerson(t, north, "Daniela", "Montes Ruiz", "PA123456")
	mustSync(t, inN)
	if err := north.Close(); err != nil {
		t.Fatal(err)
	}
	copyFile(t, dbPath, filepath.Join(dir, "copia.db")) // the backup

	north = open()
	inN.cfg.Local = north
	later := addPerson(t, north, "Marta", "Ríos Sanz", "PC111222")
	mustSync(t, inN)
	inN.Close()
	if err := north.Close(); err != nil {
		t.Fatal(err)
	}

	copyFile(t, filepath.Join(dir, "copia.db"), dbPath) // put back
	if err := data.RenewOpSeries(dbPath); err != nil {
		t.Fatal(err)
	}
	north = open()
	defer north.Close()
	inN = openStoreInstall(t, sp, "norte", north, filepath.Join(dir, "norte.sync"))
	after := addPerson(t, north, "Lucía", "Pardo Gil", "PB654321")
	if _, err := inN.Sync(); err != nil {
		t.Fatalf("sync after the backup was put back: %v", err)
	}
	mustSync(t, inS)
	mustSync(t, inN)
	if r := append(inN.Refused(), inS.Refused()...); len(r) != 0 {
		t.Errorf("held back: %+v", r)
	}
	for _, c := range []struct {
		who   string
		s     *data.Store
		p     data.Person
		first string
	}{
		{"north", north, first, "Daniela"}, {"north", north, later, "Marta"}, {"north", north, after, "Lucía"},
		{"south", south, first, "Daniela"}, {"south", south, later, "Marta"}, {"south", south, after, "Lucía"},
	} {
		if !hasPerson(c.s, c.p.ID, c.first) {
			t.Errorf("%s lacks %s", c.who, c.first)
		}
	}
	if inN.State().Hash() != inS.State().Hash() {
		t.Error("north and south differ")
	}
}
