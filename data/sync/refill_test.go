package sync

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// changeLog counts what the Registro de cambios of s shows: every entry,
// and the erasures' tombstones among them.
func changeLog(t *testing.T, s *data.Store) (lines, tombstones int) {
	t.Helper()
	es, err := s.Audit(data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Op == data.AuditErase {
			tombstones++
		}
	}
	return len(es), tombstones
}

// TestRefillLogsOnce: an office's database is put back from a backup
// made after a merge and two erasures (one made there, one that came by
// sync), and before one more erasure and a new person, which the sync
// file kept holds. Refilling the database from the sync file (matchLocal)
// brings the later erasure and the new person, and adds no second
// tombstone for the erasures nor anything for the merge the backup
// already reflects; refilling it again adds nothing to the change log.
func TestRefillLogsOnce(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	dir := t.TempDir()
	dbPath, syncPath := filepath.Join(dir, "enlace.db"), filepath.Join(dir, "norte.sync")
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
	inN := openStoreInstall(t, sp, "norte", north, syncPath)
	south := newSyncStore(t, "sur")
	inS := openStoreInstall(t, sp, "sur", south, filepath.Join(dir, "sur.sync"))
	keep := addPerson(t, north, "Amina", "Benali", "MA445566")
	time.Sleep(2 * time.Millisecond)
	drop := addPerson(t, north, "Amina", "Benali El Idrissi", "MA445566")
	gone := addPerson(t, north, "Marta", "Ríos Sanz", "PC111222")
	late := addPerson(t, north, "Daniela", "Montes Ruiz", "PA123456")
	far := addPerson(t, south, "Lucía", "Pardo Gil", "PB654321")
	mustSync(t, inS)
	mustSync(t, inN)
	if err := north.MergePeople(keep.ID, drop.ID, "Norte"); err != nil {
		t.Fatal(err)
	}
	if err := north.ErasePerson(gone.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	if err := south.ErasePerson(far.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inS)
	mustSync(t, inN)
	inN.Close()
	if err := north.Close(); err != nil {
		t.Fatal(err)
	}
	copyFile(t, dbPath, filepath.Join(dir, "copia.db")) // the backup
	north = open()
	inN = openStoreInstall(t, sp, "norte", north, syncPath)
	backupLines, backupTombs := changeLog(t, north)
	keepLines, err := north.Audit(data.AuditFilter{Subject: keep.ID})
	if err != nil || backupTombs != 2 {
		t.Fatalf("the backup's change log has %d tombstones (%v), want the 2 erasures", backupTombs, err)
	}
	if err := north.ErasePerson(late.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	added := addPerson(t, north, "Rosa", "Vidal Soler", "PD333444")
	mustSync(t, inN)
	inN.Close()
	if err := north.Close(); err != nil {
		t.Fatal(err)
	}

	refill := func(backup bool) *data.Store {
		t.Helper()
		if backup {
			copyFile(t, filepath.Join(dir, "copia.db"), dbPath)
		}
		if err := data.RenewOpSeries(dbPath); err != nil {
			t.Fatal(err)
		}
		s := open()
		in := openStoreInstall(t, sp, "norte", s, syncPath)
		mustSync(t, in)
		in.Close()
		return s
	}
	north = refill(true)
	lines, tombs := changeLog(t, north)
	// The later erasure: one tombstone, and the person's one entry (her
	// creation) gone; the new person: her creation.
	if tombs != 3 || lines != backupLines-1+1+1 {
		t.Errorf("after the refill the change log has %d entries and %d tombstones, want %d and 3 (the backup's %d and %d, the later erasure's tombstone, the new person's creation)",
			lines, tombs, backupLines+1, backupLines, backupTombs)
	}
	if got, _ := north.Audit(data.AuditFilter{Subject: keep.ID}); len(got) != len(keepLines) {
		t.Errorf("the merged person has %d entries after the refill, %d in the backup", len(got), len(keepLines))
	}
	for _, c := range []struct {
		p    data.Person
		held bool
	}{{keep, true}, {drop, false}, {gone, false}, {far, false}, {late, false}, {added, true}} {
		if hasPerson(north, c.p.ID, c.p.FirstName) != c.held {
			t.Errorf("after the refill, holds %s %s: %v, want %v", c.p.FirstName, c.p.LastName, !c.held, c.held)
		}
	}
	if err := north.Close(); err != nil {
		t.Fatal(err)
	}

	north = refill(false) // as if put back again: the same database
	defer north.Close()
	if l, tb := changeLog(t, north); l != lines || tb != tombs {
		t.Errorf("refilled again, the change log has %d entries and %d tombstones, was %d and %d", l, tb, lines, tombs)
	}
	mustSync(t, inS)
	if !hasPerson(south, added.ID, "Rosa") || hasPerson(south, late.ID, "Daniela") {
		t.Error("south lacks the person added after the backup, or holds the one erased")
	}
}

// TestRefillTellsOwnErasure: a person erased at «norte» after its
// database was copied, and one erased at «sur», come back into norte's
// database put back from the copy. Each tombstone says what happened:
// norte's own erasure, made there before the copy was put back, not «in
// another office»; sur's, in another office; and each names who erased
// the person and where, not the user who happens to be signed in.
func TestRefillTellsOwnErasure(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	dir := t.TempDir()
	dbPath, syncPath := filepath.Join(dir, "enlace.db"), filepath.Join(dir, "norte.sync")
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
	inN := openStoreInstall(t, sp, "norte", north, syncPath)
	south := newSyncStore(t, "sur")
	inS := openStoreInstall(t, sp, "sur", south, filepath.Join(dir, "sur.sync"))
	here := addPerson(t, north, "Marta", "Ríos Sanz", "PC111222")
	there := addPerson(t, south, "Lucía", "Pardo Gil", "PB654321")
	mustSync(t, inS)
	mustSync(t, inN)
	inN.Close()
	if err := north.Close(); err != nil {
		t.Fatal(err)
	}
	copyFile(t, dbPath, filepath.Join(dir, "copia.db")) // the backup: both people held
	north = open()
	inN = openStoreInstall(t, sp, "norte", north, syncPath)
	if err := north.ErasePerson(here.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	if err := south.ErasePerson(there.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inS)
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
	in := openStoreInstall(t, sp, "norte", north, syncPath)
	mustSync(t, in)
	in.Close()
	if hasPerson(north, here.ID, "Marta") || hasPerson(north, there.ID, "Lucía") {
		t.Fatal("the database put back still holds a person erased since the copy")
	}
	es, err := north.Audit(data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		if e.Op == data.AuditErase {
			got = append(got, e.User+" | "+e.Detail)
		}
	}
	want := []string{
		"prueba, en «norte» | Datos de una persona suprimidos; 1 entradas del registro retiradas. Motivo: " +
			"Suprimida en este equipo a petición de la persona (RGPD art. 17) antes de que se repusiera una copia de la base de datos o se reinstalara Enlace; el registro de sincronización la aplicó de nuevo",
		"prueba, en «sur» | Datos de una persona suprimidos; 1 entradas del registro retiradas. Motivo: " +
			"Suprimida en otra oficina a petición de la persona (RGPD art. 17); llegó por la sincronización",
	}
	slices.Sort(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the tombstones of the database put back:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
