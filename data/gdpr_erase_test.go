package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// plainContains reports which of secrets appear in any key, or in any
// value once opened with the data key.
func plainContains(t *testing.T, s *Store, secrets []string) []string {
	t.Helper()
	found := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				plain := v
				if sealedBucket(name) {
					var err error
					if plain, err = openValue(tx, name, k, v); err != nil {
						return err
					}
				}
				for _, sec := range secrets {
					if bytes.Contains(k, []byte(sec)) || bytes.Contains(plain, []byte(sec)) {
						found[string(name)+": "+sec] = true
					}
				}
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range found {
		out = append(out, k)
	}
	return out
}

func TestErasureLeavesNoTrace(t *testing.T) {
	s, path := openTest(t)
	f := newGDPRFixture(t, s)
	secrets := []string{f.p.ID, "García de la Peña", "X1234567L", "612345678", gdprCV, f.ref.ID, f.att.ID}
	if found := rawContains(t, path, []string{f.p.ID}); len(found) == 0 {
		t.Fatal("the person's ID is not in the file's keys before erasure: the test proves nothing")
	}
	otherTL, _ := s.Timeline(f.other.ID)

	if err := s.ErasePerson(f.p.ID, "Lo pide por escrito (registro 2026/1234)"); err != nil {
		t.Fatalf("ErasePerson: %v", err)
	}
	if err := s.Compact(); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if found := rawContains(t, path, secrets); len(found) > 0 {
		t.Errorf("the compacted file still holds %q", found)
	}
	if found := plainContains(t, s, secrets); len(found) > 0 {
		t.Errorf("the decrypted records still hold %q", found)
	}
	if _, err := s.Person(f.p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Person after erasure: %v", err)
	}
	if hits, n := s.Search("peña", 10); n != 0 || len(hits) != 0 {
		t.Errorf("search still finds %+v", hits)
	}
	if hits, _ := s.Search("benali", 10); len(hits) != 1 || hits[0].ID != f.other.ID {
		t.Errorf("the other person is not found: %+v", hits)
	}
	if tl, _ := s.Timeline(f.other.ID); len(tl) != len(otherTL) || len(tl) == 0 {
		t.Errorf("the other person's timeline has %d events, had %d", len(tl), len(otherTL))
	}
	checkTombstone(t, s, f.p)

	// The store goes on working on the compacted file, and reopens.
	q := createPersonT(t, s, Person{FirstName: "Nueva", LastName: "Persona"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openAt(t, path)
	if _, err := s2.Person(q.ID); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}

// checkTombstone checks that the audit keeps nothing about p but one
// tombstone that names nobody.
func checkTombstone(t *testing.T, s *Store, p Person) {
	t.Helper()
	if about, _ := s.Audit(AuditFilter{Subject: p.ID}); len(about) != 0 {
		t.Errorf("%d audit entries still about the person", len(about))
	}
	all, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	tombs := 0
	for _, e := range all {
		raw, _ := json.Marshal(e)
		if bytes.Contains(raw, []byte(p.ID)) || bytes.Contains(raw, []byte(p.LastName)) || bytes.Contains(raw, []byte(p.DocNumber)) {
			t.Errorf("audit entry names the person: %s", raw)
		}
		if e.Op == AuditErase {
			tombs++
			if !bytes.Contains(raw, []byte("registro 2026/1234")) {
				t.Errorf("tombstone without the reason: %s", raw)
			}
		}
	}
	if tombs != 1 {
		t.Errorf("%d tombstones, want 1", tombs)
	}
}

func TestErasureRefused(t *testing.T) {
	s, _ := openTest(t)
	f := newGDPRFixture(t, s)
	rip, _ := riStoredProject(t, s)
	if err := s.SaveRIProject(&rip, "x"); err != nil {
		t.Fatal(err)
	}
	participant := rip.Participants[0].PersonID
	before, _ := s.Count()
	audit, _ := s.Audit(AuditFilter{})
	tests := []struct {
		name, id, reason string
		want             error
		msg              string
	}{
		{"no reason", f.p.ID, "  ", ErrInvalid, "Escriba el motivo"},
		{"reason names the person", f.p.ID, "Lo pide Maria Jose por correo", ErrInvalid, "no puede contener el nombre"},
		{"reason has the document", f.p.ID, "Solicitud de x 1234567-l", ErrInvalid, "no puede contener"},
		{"reason has a surname", f.p.ID, "Petición de la Sra. García por correo", ErrInvalid, "no puede contener"},
		{"in an RI project", participant, "Lo pide por escrito", ErrInvalid, "RI/12/2024"},
		{"unknown person", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "Lo pide por escrito", ErrNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.ErasePerson(tc.id, tc.reason)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ErasePerson = %v, want %v", err, tc.want)
			}
			if tc.msg != "" {
				wantErr(t, err, tc.msg)
			}
		})
	}
	t.Run("técnico", func(t *testing.T) {
		switchUser(t, s, "tecnica", "Técnica de Empleo", RoleTechnician)
		if err := s.ErasePerson(f.p.ID, "Lo pide por escrito"); !errors.Is(err, ErrForbidden) {
			t.Errorf("ErasePerson by a técnico = %v, want ErrForbidden", err)
		}
		if err := s.Compact(); !errors.Is(err, ErrForbidden) {
			t.Errorf("Compact by a técnico = %v, want ErrForbidden", err)
		}
	})
	if err := s.Reauth(testLogin, testPassphrase); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Count()
	if after != before {
		t.Errorf("counts changed from %+v to %+v", before, after)
	}
	if hits, _ := s.Search("peña", 10); len(hits) != 1 {
		t.Errorf("the person left the index: %+v", hits)
	}
	if now, _ := s.Audit(AuditFilter{}); len(now) != len(audit)+1 { // the user switchUser made
		t.Errorf("%d audit entries, had %d", len(now), len(audit))
	}
}

func TestRetentionCandidates(t *testing.T) {
	s, clock := openClock(t, mad(2023, time.July, 3, 10, 0))
	old := walk(t, s, FromAE, yes, include, route, closeJ)
	excluded := walk(t, s, FromOMIOPI, exclude)
	walk(t, s, FromAE, yes, include) // still open
	revived := walk(t, s, FromAE, yes, include, route, closeJ)
	clock.set(mad(2026, time.June, 1, 10, 0))
	walk(t, s, FromAE, yes, include, route, closeJ) // closed recently
	e := Event{PersonID: revived.PersonID, At: clock.now(), Kind: EventCall, Text: "Vuelve a llamar"}
	if err := s.AddEvent(&e, "x"); err != nil {
		t.Fatal(err)
	}
	clock.set(mad(2026, time.November, 25, 10, 0))

	years, err := s.RetentionYears()
	if err != nil || years != DefaultRetentionYears {
		t.Fatalf("RetentionYears = %d, %v", years, err)
	}
	got, err := s.RetentionCandidates(years)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{old.PersonID, excluded.PersonID}
	if len(got) != len(want) {
		t.Fatalf("candidates %+v, want %v", got, want)
	}
	for i, c := range got {
		if c.PersonID != want[i] || c.Name != "María José García de la Peña" || c.Referrals != 1 || c.LastActivity.Year() != 2023 {
			t.Errorf("candidate %d = %+v", i, c)
		}
	}
	if got[0].Outcome != "Cerrada: Inserción laboral" || got[1].Outcome == "" {
		t.Errorf("outcomes %q, %q", got[0].Outcome, got[1].Outcome)
	}
	if err := s.SetRetentionYears(5); err != nil {
		t.Fatal(err)
	}
	if y, _ := s.RetentionYears(); y != 5 {
		t.Errorf("RetentionYears after setting 5 = %d", y)
	}
	if got, _ := s.RetentionCandidates(5); len(got) != 0 {
		t.Errorf("with 5 years: %+v", got)
	}
	wantErr(t, s.SetRetentionYears(0), "entre 1 y 30 años")
}

// TestCompactWhileOthersRead: reads and writes from other goroutines
// wait for the new file instead of failing on the closed one.
func TestCompactWhileOthersRead(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	stop, errs := make(chan struct{}), make(chan error, 1)
	go func() {
		defer close(errs)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Person(p.ID); err != nil {
				errs <- err
				return
			}
			e := Event{PersonID: p.ID, At: fixedNow, Kind: EventNote, Text: "Nota durante la compactación"}
			if err := s.AddEvent(&e, "x"); err != nil {
				errs <- err
				return
			}
		}
	}()
	for range 3 {
		if err := s.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if err := <-errs; err != nil {
		t.Errorf("a call during compaction failed: %v", err)
	}
	if tl, err := s.Timeline(p.ID); err != nil || len(tl) == 0 {
		t.Errorf("timeline after compacting: %d events, %v", len(tl), err)
	}
}

// TestErasureArrivingBySync: with sync on, an erasure made at another
// office (ApplyRemote) erases the person here as ErasePerson does, drops
// what this install had typed about them and not yet handed to sync, and
// CompactAfterErasure, whoever is signed in (a técnico here), rewrites
// the file so that not even its freed pages hold them; it does nothing
// when no erasure arrived.
func TestErasureArrivingBySync(t *testing.T) {
	s, path := openTest(t)
	if err := s.EnableSync("sur"); err != nil {
		t.Fatal(err)
	}
	f := newGDPRFixture(t, s)
	shipped, _ := s.PendingOps()
	ids := make([]string, len(shipped))
	for i, op := range shipped {
		ids[i] = op.ID
	}
	if err := s.TakeOps(ids); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Person(f.p.ID)
	p.Phone2 = "699000111"
	if err := s.UpdatePerson(&p, "Sur"); err != nil { // typed before the erasure arrived
		t.Fatal(err)
	}
	switchUser(t, s, "tecnica", "Técnica de Empleo", RoleTechnician)
	if err := s.CompactAfterErasure(); err != nil {
		t.Fatalf("CompactAfterErasure with no erasure: %v", err)
	}
	if found := rawContains(t, path, []string{f.p.ID}); len(found) == 0 {
		t.Fatal("the person's ID is not in the file before the erasure: the test proves nothing")
	}
	if err := s.ApplyRemote(RemoteChanges{Erased: []string{f.p.ID}}); err != nil {
		t.Fatal(err)
	}
	if ops, _ := s.PendingOps(); len(ops) != 0 {
		t.Errorf("the outbox still holds %d operations after the erasure arrived: %+v", len(ops), ops)
	}
	if err := s.CompactAfterErasure(); err != nil {
		t.Fatalf("CompactAfterErasure by a técnico: %v", err)
	}
	secrets := []string{f.p.ID, "García de la Peña", "X1234567L", "612345678", "699000111", gdprCV, f.ref.ID, f.att.ID}
	if found := rawContains(t, path, secrets); len(found) > 0 {
		t.Errorf("the compacted file still holds %q", found)
	}
	if found := plainContains(t, s, secrets); len(found) > 0 {
		t.Errorf("the decrypted records still hold %q", found)
	}
	if _, err := s.Person(f.p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Person after the erasure arrived: %v", err)
	}
	if hits, _ := s.Search("benali", 10); len(hits) != 1 || hits[0].ID != f.other.ID {
		t.Errorf("the other person is not found: %+v", hits)
	}
}
