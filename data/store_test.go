package data

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var madrid = mustLoc("Europe/Madrid")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// fixedNow is the tests' clock: 25 November 2026, 10:00 in Madrid.
var fixedNow = time.Date(2026, 11, 25, 10, 0, 0, 0, madrid)

// The test user (every role) and the cheapest key derivation, as
// data/datatest gives other packages.
const (
	testLogin      = "prueba"
	testPassphrase = "contraseña de prueba"
	testName       = "Persona de Pruebas"
)

var testKDF = KDF{Time: 1, Memory: 64, Threads: 1}

// testOpts returns o (a new one when nil) with the test user's
// credentials, every role and the cheap KDF.
func testOpts(o *Options) *Options {
	if o == nil {
		o = &Options{}
	}
	o.Login, o.Passphrase, o.Name, o.Roles, o.KDF = testLogin, testPassphrase, testName, UserRoles, testKDF
	return o
}

// openTest opens a store on a new file under t.TempDir with a clock that
// advances one second per reading, and checks the file's consistency when
// the test ends.
func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "enlace.db")
	return openAt(t, path), path
}

func openAt(t testing.TB, path string) *Store {
	t.Helper()
	now := fixedNow
	s, err := Open(path, testOpts(&Options{Now: func() time.Time { now = now.Add(time.Second); return now }}))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				return err
			}
			return nil
		}); err != nil && !errors.Is(err, bolt.ErrDatabaseNotOpen) {
			t.Errorf("consistency: %v", err)
		}
		_ = s.Close()
	})
	return s
}

func samplePerson() Person {
	return Person{
		FirstName: "MARÍA JOSÉ", LastName: "GARCÍA DE LA PEÑA",
		Gender: GenderWoman, BirthDate: Date{1990, time.March, 14},
		Nationality: "VE", ArrivalDate: Date{2023, time.June, 1},
		DocKind: DocNIE, DocNumber: "x 1234567-l", DocExpiry: Date{2027, time.January, 31},
		Phone1: "612 34 56 78", Email: " Maria.Garcia@Example.org ",
		ITLevel: 2,
	}
}

func TestPersonRoundTripAcrossReopen(t *testing.T) {
	s, path := openTest(t)
	p := samplePerson()
	if err := s.CreatePerson(&p, "Coordinación"); err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	if p.ID == "" || p.CreatedBy != testName || p.CreatedAt.IsZero() {
		t.Fatalf("not stamped: id=%q by=%q at=%v", p.ID, p.CreatedBy, p.CreatedAt)
	}
	if got, want := p.FullName(), "María José García de la Peña"; got != want {
		t.Errorf("name stored as %q, want %q", got, want)
	}
	if p.DocNumber != "X1234567L" || p.Phone1 != "612345678" || p.Email != "maria.garcia@example.org" {
		t.Errorf("not normalised: doc %q phone %q email %q", p.DocNumber, p.Phone1, p.Email)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openAt(t, path)
	got, err := s2.Person(p.ID)
	if err != nil {
		t.Fatalf("Person after reopen: %v", err)
	}
	if got.FullName() != p.FullName() || got.BirthDate != p.BirthDate || got.DocExpiry != p.DocExpiry ||
		got.ITLevel != 2 || got.Nationality != "VE" || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("read back %+v, wrote %+v", got, p)
	}
	hits, total := s2.Search("peña", 10)
	if total != 1 || len(hits) != 1 || hits[0].ID != p.ID {
		t.Errorf("search after reopen: %d hits %+v", total, hits)
	}
}

func TestUpdatePersonKeepsCreationStamp(t *testing.T) {
	s, _ := openTest(t)
	p := samplePerson()
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatal(err)
	}
	created := p.CreatedAt
	p.LastName = "Rodríguez"
	p.CreatedBy = "someone else"
	switchUser(t, s, "luis", "Luis Gómez", RoleTechnician)
	if err := s.UpdatePerson(&p, "Luis"); err != nil {
		t.Fatalf("UpdatePerson: %v", err)
	}
	got, _ := s.Person(p.ID)
	if got.CreatedBy != testName || !got.CreatedAt.Equal(created) || got.UpdatedBy != "Luis Gómez" || !got.UpdatedAt.After(created) {
		t.Errorf("stamp = %+v", got.Stamp)
	}
	if hits, _ := s.Search("peña", 10); len(hits) != 0 {
		t.Errorf("old surname still indexed: %+v", hits)
	}
	if hits, _ := s.Search("rodriguez", 10); len(hits) != 1 {
		t.Errorf("new surname not indexed: %+v", hits)
	}
	missing := Person{ID: "01ZZZZZZZZZZZZZZZZZZZZZZZZ", FirstName: "X"}
	if err := s.UpdatePerson(&missing, "Luis"); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of unknown person: %v, want ErrNotFound", err)
	}
}

func TestInvalidPersonWritesNothing(t *testing.T) {
	s, _ := openTest(t)
	p := samplePerson()
	p.DocNumber = "X1234567A" // the right letter is L
	p.Email = "no-es-un-correo"
	err := s.CreatePerson(&p, "Ana")
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("CreatePerson = %v, want a ValidationError", err)
	}
	if ve.For("DocNumber") == "" || ve.For("Email") == "" {
		t.Errorf("messages = %+v, want DocNumber and Email", ve.Fields)
	}
	if c, _ := s.Count(); c.People != 0 || s.PersonCount() != 0 {
		t.Errorf("people after a refused write: %d stored, %d indexed", c.People, s.PersonCount())
	}
}

// switchUser creates the user login (when new) with roles and makes them
// the unlocked user, as the lock screen does.
func switchUser(t testing.TB, s *Store, login, name string, roles ...Role) {
	t.Helper()
	const pass = "otra contraseña larga"
	if err := s.Reauth(testLogin, testPassphrase); err != nil { // an administrator adds them
		t.Fatal(err)
	}
	u := User{Login: login, Name: name, Roles: roles}
	if err := s.CreateUser(&u, pass); err != nil && !errors.Is(err, ErrInvalid) {
		t.Fatalf("CreateUser %s: %v", login, err)
	}
	if err := s.Reauth(login, pass); err != nil {
		t.Fatalf("Reauth %s: %v", login, err)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	_, path := openTest(t)
	start := time.Now()
	_, err := Open(path, testOpts(&Options{LockTimeout: 300 * time.Millisecond}))
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("second Open waited %v", waited)
	}
}

// writeV1 writes a file as schema version 1 wrote it: no cards bucket.
func writeV1(t *testing.T, path string, people ...Person) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"meta", "people", "events", "offices", "staff", "settings"} {
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		var v [4]byte
		binary.BigEndian.PutUint32(v[:], 1)
		if err := tx.Bucket([]byte("meta")).Put([]byte("schema"), v[:]); err != nil {
			return err
		}
		for _, p := range people {
			raw, _ := json.Marshal(p)
			if err := tx.Bucket([]byte("people")).Put([]byte(p.ID), raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	writeV1(t, path,
		Person{ID: "01HZZ00000000000000000000A", FirstName: "Wilmer", LastName: "Quispe", DocKind: DocPassport, DocNumber: "AB123456"},
		Person{ID: "01HZZ00000000000000000000B", FirstName: "Fátima", LastName: "El Idrissi"},
	)
	s := openAt(t, path)
	var v uint32
	_ = s.db.View(func(tx *bolt.Tx) error { v = schemaOf(tx); return nil })
	if v != SchemaVersion {
		t.Errorf("schema after migration = %d, want %d", v, SchemaVersion)
	}
	if s.PersonCount() != 2 {
		t.Errorf("indexed %d people, want 2", s.PersonCount())
	}
	if crit, err := s.Criteria(FromAE); err != nil || len(crit) != 4 {
		t.Errorf("criteria seeded by migration 2→3: %d, %v", len(crit), err)
	}
	if crit, _ := s.Criteria(FromOMIOPI); len(crit) != 6 {
		t.Errorf("OMIOPI criteria: %d, want 6", len(crit))
	}
	for q, want := range map[string]string{"fatima": "Fátima", "ab1234": "Wilmer", "quis": "Wilmer"} {
		hits, _ := s.Search(q, 5)
		if len(hits) != 1 || hits[0].FirstName != want {
			t.Errorf("Search(%q) = %+v, want %s", q, hits, want)
		}
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	writeV1(t, path)
	db, _ := bolt.Open(path, 0o600, nil)
	_ = db.Update(func(tx *bolt.Tx) error { return setSchema(tx, SchemaVersion+1) })
	_ = db.Close()
	if _, err := Open(path, testOpts(nil)); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
}

func TestOfficesAndStaff(t *testing.T) {
	s, _ := openTest(t)
	norte := Office{Name: "Oficina Norte", Org: OrgOMIOPI, Phones: []string{"917581437", " 664 594 921 ", ""}}
	if err := s.SaveOffice(&norte, "Ana"); err != nil {
		t.Fatalf("SaveOffice: %v", err)
	}
	if len(norte.Phones) != 2 || norte.Phones[1] != "664594921" {
		t.Errorf("phones = %q", norte.Phones)
	}
	st := Staff{Name: "luisa fernández", Role: RoleTechnician, OfficeID: norte.ID}
	err := s.SaveStaff(&st, "Ana")
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.For("Email") == "" {
		t.Fatalf("staff without e-mail = %v, want an Email message", err)
	}
	st.Email = "luisa@madrid.es"
	if err := s.SaveStaff(&st, "Ana"); err != nil {
		t.Fatalf("SaveStaff: %v", err)
	}
	norte.Liaison = st.ID
	switchUser(t, s, "luis", "Luis Gómez", RoleCoordinator)
	if err := s.SaveOffice(&norte, "Luis"); err != nil {
		t.Fatalf("SaveOffice with liaison: %v", err)
	}
	got, _ := s.Office(norte.ID)
	if got.Liaison != st.ID || got.CreatedBy != testName || got.UpdatedBy != "Luis Gómez" {
		t.Errorf("office = %+v", got)
	}
	orphan := Staff{Name: "X", Role: RoleTechnician, Email: "x@madrid.es", OfficeID: "nope"}
	if err := s.SaveStaff(&orphan, "Ana"); !errors.Is(err, ErrNotFound) {
		t.Errorf("staff in unknown office = %v, want ErrNotFound", err)
	}
	list, _ := s.StaffList()
	if len(list) != 1 {
		t.Errorf("staff list = %+v", list)
	}
}
