package data

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// copyTo writes a snapshot of s to a new file, as a backup holds it.
func copyTo(t *testing.T, s *Store, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// sealedValues returns the raw (sealed) values about personID in the file
// at path: the ficha, the card and the timeline events.
func sealedValues(t *testing.T, path, personID string) [][]byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out [][]byte
	_ = db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketPeople, bucketCards} {
			if v := tx.Bucket(b).Get([]byte(personID)); v != nil {
				out = append(out, bytes.Clone(v))
			}
		}
		return eachPrefix(tx, bucketEvents, personID, func(_, v []byte) error {
			out = append(out, bytes.Clone(v))
			return nil
		})
	})
	return out
}

// rawHolds reports how many of vals appear in the bytes of the file.
func rawHolds(t *testing.T, path string, vals [][]byte) int {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range vals {
		if bytes.Contains(raw, v[:min(len(v), 64)]) {
			n++
		}
	}
	return n
}

// TestErasureList: ErasePerson and an erasure arriving by sync both fill
// the erasure list, which keeps no ID and survives Compact.
func TestErasureList(t *testing.T) {
	s, path := openTest(t)
	f := newGDPRFixture(t, s)
	if l, _ := s.Erasures(); len(l) != 0 {
		t.Fatalf("a new database has %d erasures", len(l))
	}
	if err := s.ErasePerson(f.p.ID, "Lo pide por escrito (registro 2026/1234)"); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyRemote(RemoteChanges{Erased: []string{f.other.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	list, err := s.Erasures()
	if err != nil || len(list) != 2 {
		t.Fatalf("Erasures after two erasures and a compaction = %v, %v; want 2", list, err)
	}
	for tok, at := range list {
		if tok == f.p.ID || tok == f.other.ID || at.IsZero() {
			t.Errorf("erasure %q at %v", tok, at)
		}
	}
	if last, _ := s.LastErasure(); last.IsZero() {
		t.Error("LastErasure is zero")
	}
	if found := rawContains(t, path, []string{f.p.ID, f.other.ID}); len(found) > 0 {
		t.Errorf("the file still holds the erased IDs %q", found)
	}
}

// TestScrubCopy: a copy of the database made before an erasure, scrubbed,
// holds nothing of the erased person, not even their sealed values in a
// freed page, while the other people stay; a copy that holds nobody
// erased is not touched; a copy of another database is refused.
func TestScrubCopy(t *testing.T) {
	s, _ := openTest(t)
	if err := s.EnableSync("sur"); err != nil {
		t.Fatal(err)
	}
	f := newGDPRFixture(t, s)
	dir := t.TempDir()
	before := filepath.Join(dir, "antes.db")
	copyTo(t, s, before)
	sealed := sealedValues(t, before, f.p.ID)
	if len(sealed) < 3 || rawHolds(t, before, sealed) != len(sealed) {
		t.Fatalf("the copy holds %d sealed values of the person: the test proves nothing", len(sealed))
	}
	otherTL, _ := s.Timeline(f.other.ID)
	if err := s.ErasePerson(f.p.ID, "Lo pide por escrito (registro 2026/1234)"); err != nil {
		t.Fatal(err)
	}
	uncompacted := filepath.Join(dir, "sin-compactar.db")
	copyTo(t, s, uncompacted) // after the erasure, before the compaction: freed pages
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	after := filepath.Join(dir, "despues.db")
	copyTo(t, s, after) // made after the erasure and its compaction: nothing to scrub

	scrubbed := filepath.Join(dir, "limpia.db")
	n, err := s.ScrubCopy(before, scrubbed)
	if err != nil || n != 1 {
		t.Fatalf("ScrubCopy = %d, %v; want 1 person", n, err)
	}
	if got := rawHolds(t, scrubbed, sealed); got != 0 {
		t.Errorf("the scrubbed copy still holds %d of the person's sealed values", got)
	}
	if found := rawContains(t, scrubbed, []string{f.p.ID, f.ref.ID, f.att.ID}); len(found) > 0 {
		t.Errorf("the scrubbed copy still holds %q", found)
	}
	c := openAt(t, scrubbed)
	if _, err := c.Person(f.p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Person in the scrubbed copy: %v", err)
	}
	if tl, _ := c.Timeline(f.p.ID); len(tl) != 0 {
		t.Errorf("the scrubbed copy keeps %d events of the person", len(tl))
	}
	if _, err := c.Referral(f.ref.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Referral in the scrubbed copy: %v", err)
	}
	if hits, n := c.Search("peña", 10); n != 0 {
		t.Errorf("search in the scrubbed copy finds %+v", hits)
	}
	if found := plainContains(t, c, []string{f.p.ID, "García de la Peña", "X1234567L", "612345678", gdprCV}); len(found) > 0 {
		t.Errorf("the scrubbed copy's records still hold %q", found)
	}
	if about, _ := c.Audit(AuditFilter{Subject: f.p.ID}); len(about) != 0 {
		t.Errorf("%d audit entries of the scrubbed copy still about the person", len(about))
	}
	all, _ := c.Audit(AuditFilter{})
	tombs := 0
	for _, e := range all {
		if e.Op == AuditErase && strings.Contains(e.Detail, "copia de seguridad") {
			tombs++
		}
	}
	if tombs != 1 {
		t.Errorf("the scrubbed copy has %d tombstones of the scrub, want 1", tombs)
	}
	if tl, _ := c.Timeline(f.other.ID); len(tl) != len(otherTL) || len(tl) == 0 {
		t.Errorf("the other person has %d events in the scrubbed copy, had %d", len(tl), len(otherTL))
	}
	ops, _ := c.PendingOps()
	for _, op := range ops {
		if op.Subject == f.p.ID || op.Record == f.p.ID || op.Kind == OpPersonErase {
			t.Errorf("the scrubbed copy has an operation about the person: %+v", op)
		}
	}
	if l, _ := c.Erasures(); len(l) != 1 {
		t.Errorf("the scrubbed copy's erasure list has %d entries, want 1", len(l))
	}

	t.Run("nobody to scrub", func(t *testing.T) {
		sum := sha256File(t, after)
		dst := filepath.Join(dir, "nada.db")
		if n, err := s.ScrubCopy(after, dst); err != nil || n != 0 {
			t.Fatalf("ScrubCopy of a copy made after = %d, %v", n, err)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Error("a scrubbed file was written for nothing")
		}
		if sha256File(t, after) != sum {
			t.Error("the copy was changed")
		}
	})
	t.Run("taken before the compaction", func(t *testing.T) {
		if rawHolds(t, uncompacted, sealed) == 0 {
			t.Skip("the freed pages of this copy kept none of the sealed values")
		}
		dst := filepath.Join(dir, "compactada.db")
		if n, err := s.ScrubCopy(uncompacted, dst); err != nil || n != 0 {
			t.Fatalf("ScrubCopy of a copy taken before the compaction = %d, %v; want 0 people", n, err)
		}
		if got := rawHolds(t, dst, sealed); got != 0 {
			t.Errorf("the rewritten copy still holds %d sealed values of the person", got)
		}
	})
	t.Run("another database", func(t *testing.T) {
		o, _ := openTest(t)
		other := filepath.Join(dir, "otra.db")
		copyTo(t, o, other)
		if _, err := s.ScrubCopy(other, filepath.Join(dir, "x.db")); !errors.Is(err, ErrOtherDatabase) {
			t.Errorf("ScrubCopy of another database = %v, want ErrOtherDatabase", err)
		}
	})
}

// TestCarryErasuresOnRestore: a copy made before an erasure, carrying the
// live file's erasure list, loses the person as it is opened, and keeps
// the list.
func TestCarryErasuresOnRestore(t *testing.T) {
	s, path := openTest(t)
	f := newGDPRFixture(t, s)
	old := filepath.Join(t.TempDir(), "restaurada.db")
	copyTo(t, s, old)
	sealed := sealedValues(t, old, f.p.ID)
	if err := s.ErasePerson(f.p.ID, "Lo pide por escrito (registro 2026/1234)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := CarryErasures(path, old); err != nil {
		t.Fatal(err)
	}
	if ro, err := Open(old, testOpts(&Options{ReadOnly: true})); !errors.Is(err, ErrNeedsUpgrade) {
		if err == nil {
			ro.Close()
		}
		t.Fatalf("read-only Open of a restored file with erasures to apply = %v, want ErrNeedsUpgrade", err)
	}
	r := openAt(t, old)
	if _, err := r.Person(f.p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Person in the restored copy: %v", err)
	}
	if _, err := r.Person(f.other.ID); err != nil {
		t.Errorf("the other person in the restored copy: %v", err)
	}
	if l, _ := r.Erasures(); len(l) != 1 {
		t.Errorf("the restored copy's erasure list has %d entries", len(l))
	}
	if got := rawHolds(t, old, sealed); got != 0 {
		t.Errorf("the restored file still holds %d of the person's sealed values", got)
	}
}

func sha256File(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestScrubCopyMerged: a person merged into another who is then erased
// is scrubbed, under their own ID, from a copy made before the merge.
func TestScrubCopyMerged(t *testing.T) {
	s, _ := openTest(t)
	keep := createPersonT(t, s, Person{FirstName: "Amaia", LastName: "Urrutia Zabala"})
	drop := createPersonT(t, s, Person{FirstName: "Amaia", LastName: "Urrutia"})
	other := createPersonT(t, s, Person{FirstName: "Ahmed", LastName: "Benali Tazi"})
	dir := t.TempDir()
	before := filepath.Join(dir, "antes.db")
	copyTo(t, s, before)
	if err := s.MergePeople(keep.ID, drop.ID, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	if err := s.ErasePerson(keep.ID, "Lo pide por escrito"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Erasures(); len(l) != 2 {
		t.Fatalf("erasure list after erasing a merged person has %d entries, want 2", len(l))
	}
	clean := filepath.Join(dir, "limpia.db")
	if n, err := s.ScrubCopy(before, clean); err != nil || n != 2 {
		t.Fatalf("ScrubCopy = %d, %v; want both IDs erased", n, err)
	}
	c := openAt(t, clean)
	for _, id := range []string{keep.ID, drop.ID} {
		if _, err := c.Person(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Person %s in the scrubbed copy: %v", id, err)
		}
	}
	if _, err := c.Person(other.ID); err != nil {
		t.Errorf("the other person: %v", err)
	}
}
