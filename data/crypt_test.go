package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// secretsOf are the strings of a sample person that must never be
// readable in the database file: what a thief would look for.
var secretsOf = []string{
	"García de la Peña", "GARCÍA", "María José", "X1234567L", "612345678",
	"maria.garcia@example.org", "arraigo por formación", "Oficina Norte", "Luisa Prieto",
	"luisa@madrid.es", testName, testLogin,
	`"first_name"`, `"doc_number"`, // no record is stored as readable JSON
}

// fillSecrets writes a person, an event, an office and staff member, and
// a referral carrying secretsOf.
func fillSecrets(t *testing.T, s *Store) {
	t.Helper()
	p := samplePerson()
	p.Regular = true
	if err := s.CreatePerson(&p, "x"); err != nil {
		t.Fatal(err)
	}
	e := Event{PersonID: p.ID, At: fixedNow, Kind: EventCall, Text: "Preparamos el arraigo por formación"}
	if err := s.AddEvent(&e, "x"); err != nil {
		t.Fatal(err)
	}
	o := Office{Name: "Oficina Norte", Org: OrgOMIOPI}
	if err := s.SaveOffice(&o, "x"); err != nil {
		t.Fatal(err)
	}
	st := Staff{Name: "Luisa Prieto", Role: RoleTechnician, Email: "luisa@madrid.es", OfficeID: o.ID}
	if err := s.SaveStaff(&st, "x"); err != nil {
		t.Fatal(err)
	}
	r := Referral{PersonID: p.ID, Direction: FromAE, CriterionID: "ae-documentacion", Date: DateOf(fixedNow), Note: "arraigo por formación"}
	if err := s.Propose(&r, "x"); err != nil {
		t.Fatal(err)
	}
}

// rawContains reports which of secrets appear in the file at path.
func rawContains(t *testing.T, path string, secrets []string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, s := range secrets {
		if bytes.Contains(raw, []byte(s)) {
			found = append(found, s)
		}
	}
	return found
}

func TestFileRevealsNoPersonalData(t *testing.T) {
	s, path := openTest(t)
	fillSecrets(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if found := rawContains(t, path, secretsOf); len(found) > 0 {
		t.Errorf("the database file shows %q", found)
	}
	// And with the passphrase it all comes back.
	s = openAt(t, path)
	if hits, _ := s.Search("garcia peña", 5); len(hits) != 1 || hits[0].DocNumber != "X1234567L" {
		t.Errorf("Search after reopening = %+v", hits)
	}
}

func TestUnlockNeedsTheRightPassphrase(t *testing.T) {
	s, path := openTest(t)
	fillSecrets(t, s)
	_ = s.Close()
	for _, c := range []struct {
		name, login, pass string
		want              error
	}{
		{"wrong passphrase", testLogin, "contraseña equivocada", ErrWrongPassphrase},
		{"unknown user", "nadie", testPassphrase, ErrWrongPassphrase},
		{"login in capitals is the same user", "PRUEBA", "otra", ErrWrongPassphrase},
		{"no passphrase", testLogin, "", ErrNoCredentials},
		{"no user", "", testPassphrase, ErrNoCredentials},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(path, &Options{Login: c.login, Passphrase: c.pass})
			if !errors.Is(err, c.want) {
				t.Fatalf("Open = %v, want %v", err, c.want)
			}
		})
	}
	// A refused open leaves the file whole and openable.
	s = openAt(t, path)
	if s.PersonCount() != 1 {
		t.Errorf("people after refused opens: %d", s.PersonCount())
	}
}

func TestNewFileNeedsAFirstUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nuevo.db")
	if _, err := Open(path, nil); !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("Open without user = %v, want ErrNoCredentials", err)
	}
	_, err := Open(path, &Options{Login: "ana", Passphrase: "corta", KDF: testKDF})
	wantErr(t, err, "al menos 10 caracteres")
	s, err := Open(path, &Options{Login: " Ana ", Passphrase: "una frase larga", Name: "ANA PÉREZ", KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := s.User()
	if u.Login != "ana" || u.Name != "Ana Pérez" || !u.Has(RoleAdmin) || !u.Has(RoleCoordinator) || u.Has(RoleTechnician) {
		t.Errorf("first user = %+v, want ana, Ana Pérez, administrator and coordinator", u)
	}
}

func TestTwoUsersOpenTheSameData(t *testing.T) {
	s, path := openTest(t)
	fillSecrets(t, s)
	laura := User{Login: "laura", Name: "Laura Martín", Roles: []Role{RoleTechnician}}
	if err := s.CreateUser(&laura, "la frase de laura"); err != nil {
		t.Fatal(err)
	}
	dup := User{Login: "LAURA", Name: "Otra", Roles: []Role{RoleTechnician}}
	wantErr(t, s.CreateUser(&dup, "la frase de laura"), "Ya hay un usuario «laura»")
	_ = s.Close()

	ls, err := Open(path, &Options{Login: "laura", Passphrase: "la frase de laura"})
	if err != nil {
		t.Fatalf("Laura opens: %v", err)
	}
	hits, _ := ls.Search("maria", 5)
	if len(hits) != 1 {
		t.Fatalf("Laura sees %d people, want 1", len(hits))
	}
	e := Event{PersonID: hits[0].ID, At: fixedNow, Kind: EventNote, Text: "Nota de Laura"}
	if err := ls.AddEvent(&e, "otro nombre"); err != nil || e.Author != "Laura Martín" {
		t.Errorf("Laura's event: author %q, %v; want Laura Martín", e.Author, err)
	}
	wantErr(t, ls.ChangePassphrase("no es la mía", "nueva frase de laura"), "La contraseña actual no es correcta.")
	if err := ls.ChangePassphrase("la frase de laura", "nueva frase de laura"); err != nil {
		t.Fatal(err)
	}
	_ = ls.Close()
	if _, err := Open(path, &Options{Login: "laura", Passphrase: "la frase de laura"}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("old passphrase after the change: %v", err)
	}
	ls, err = Open(path, &Options{Login: "laura", Passphrase: "nueva frase de laura"})
	if err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	_ = ls.Close()
	s = openAt(t, path) // the administrator's passphrase is untouched
	tl, _ := s.Timeline(hits[0].ID)
	if i := slices.IndexFunc(tl, func(e Event) bool { return e.Text == "Nota de Laura" }); len(tl) != 3 || i < 0 || tl[i].Author != "Laura Martín" {
		t.Errorf("timeline seen by the administrator: %+v", tl)
	}
}

// TestEveryRoleRefusedWhatItMayNotDo takes each write as each role: the
// ones the role may not make return ErrForbidden and change nothing.
func TestEveryRoleRefusedWhatItMayNotDo(t *testing.T) {
	type fixture struct{ person, referral, included string }
	acts := []struct {
		name string
		perm Perm
		do   func(s *Store, f fixture) error
	}{
		{"crear persona", PermEditPeople, func(s *Store, _ fixture) error {
			p := samplePerson()
			p.DocNumber = "Y1234567X"
			return s.CreatePerson(&p, "x")
		}},
		{"añadir al historial", PermEditPeople, func(s *Store, f fixture) error {
			return s.AddEvent(&Event{PersonID: f.person, At: fixedNow, Kind: EventNote, Text: "n"}, "x")
		}},
		{"recordatorio", PermEditPeople, func(s *Store, f fixture) error {
			return s.CreateReminder(&Reminder{PersonID: f.person, At: At(DateOf(fixedNow).AddDays(1), 9, 0), Text: "r"}, "x")
		}},
		{"proponer", PermPropose, func(s *Store, f fixture) error {
			r := Referral{PersonID: f.person, Direction: FromOMIOPI, CriterionID: "omiopi-6m-1a", Date: DateOf(fixedNow)}
			return s.Propose(&r, "x")
		}},
		{"verificar", PermVerify, func(s *Store, f fixture) error { _, err := s.Apply(f.referral, yes, "x"); return err }},
		{"incluir", PermDecide, func(s *Store, f fixture) error { _, err := s.Apply(f.referral, include, "x"); return err }},
		{"excluir", PermDecide, func(s *Store, f fixture) error { _, err := s.Apply(f.referral, exclude, "x"); return err }},
		{"derivar", PermDecide, func(s *Store, f fixture) error { _, err := s.Apply(f.included, route, "x"); return err }},
		{"cerrar", PermDecide, func(s *Store, f fixture) error { _, err := s.Apply(f.included, closeJ, "x"); return err }},
		{"oficina", PermOffices, func(s *Store, _ fixture) error {
			return s.SaveOffice(&Office{Name: "Oficina Sur", Org: OrgOMIOPI}, "x")
		}},
		{"programa", PermSettings, func(s *Store, _ fixture) error { return s.SaveProgramme(DefaultProgramme(), "x") }},
		{"reglas", PermSettings, func(s *Store, _ fixture) error { return s.SaveRules(Rules{}, "x") }},
		{"usuarios", PermUsers, func(s *Store, _ fixture) error {
			return s.CreateUser(&User{Login: "nuevo", Name: "Nuevo", Roles: []Role{RoleTechnician}}, "una frase larga")
		}},
		{"proyecto RI", PermRI, func(s *Store, _ fixture) error {
			return s.SaveRIProject(&RIProject{Number: 1, Year: 2025, Entity: "Ayuntamiento de Getafe"}, "x")
		}},
	}
	for _, role := range UserRoles {
		for _, a := range acts {
			allowed := (&User{Roles: []Role{role}}).Can(a.perm)
			t.Run(string(role)+"/"+a.name, func(t *testing.T) {
				s, path := openTest(t)
				f := fixture{person: referralFixture(t, s, FromAE).PersonID}
				r := walk(t, s, FromAE)
				in := walk(t, s, FromAE, yes, include)
				f.referral, f.included = r.ID, in.ID
				switchUser(t, s, "rol", "Persona Con Rol", role)
				before := fileDigest(t, s)
				err := a.do(s, f)
				if allowed && errors.Is(err, ErrForbidden) {
					t.Fatalf("%s may %s, refused: %v", role, a.name, err)
				}
				if !allowed {
					if !errors.Is(err, ErrForbidden) {
						t.Fatalf("%s may not %s: got %v, want ErrForbidden", role, a.name, err)
					}
					if !strings.Contains(err.Error(), "(rol) no puede") {
						t.Errorf("message %q does not say who and what", err)
					}
					if after := fileDigest(t, s); after != before {
						t.Errorf("a refused %s changed the data", a.name)
					}
				}
				_ = path
			})
		}
	}
}

// fileDigest summarises every key and plaintext value of s.
func fileDigest(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				plain := v
				if sealedBucket(name) {
					var err error
					if plain, err = openValue(tx, name, k, v); err != nil {
						return err
					}
				}
				b.Write(k)
				b.Write(plain)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPlaintextFileIsEncryptedOnFirstUnlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	writeV1(t, path,
		Person{ID: "01HZZ00000000000000000000A", FirstName: "Wilmer", LastName: "Quispe", DocKind: DocPassport, DocNumber: "AB123456"},
	)
	if got := rawContains(t, path, []string{"Quispe", "AB123456"}); len(got) != 2 {
		t.Fatalf("the old file should be plaintext, found %q", got)
	}
	if _, err := Open(path, nil); !errors.Is(err, ErrNotEncrypted) {
		t.Fatalf("Open without a user = %v, want ErrNotEncrypted", err)
	}
	var steps []int
	o := testOpts(&Options{Progress: func(done, total int) { steps = append(steps, done) }})
	s, err := Open(path, o)
	if err != nil {
		t.Fatalf("first unlock: %v", err)
	}
	if hits, _ := s.Search("quispe", 5); len(hits) != 1 || hits[0].DocNumber != "AB123456" {
		t.Errorf("after conversion Search = %+v", hits)
	}
	if len(steps) == 0 {
		t.Error("no progress reported")
	}
	_ = s.Close()
	if got := rawContains(t, path, []string{"Quispe", "AB123456", "Wilmer"}); len(got) > 0 {
		t.Errorf("converted file still shows %q", got)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*"))
	if len(left) != 1 {
		t.Errorf("files left beside the database: %q (the plaintext copy must go once verified)", left)
	}
	s = openAt(t, path)
	if u := s.User(); u.Login != testLogin {
		t.Errorf("user after conversion = %+v", u)
	}
}

func TestDamagedValueIsRefused(t *testing.T) {
	s, path := openTest(t)
	p := createPersonT(t, s, samplePerson())
	_ = s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error {
		v := append([]byte(nil), tx.Bucket(bucketPeople).Get([]byte(p.ID))...)
		v[len(v)-1] ^= 1
		return tx.Bucket(bucketPeople).Put([]byte(p.ID), v)
	})
	_ = db.Close()
	s = openAt(t, path)
	if _, err := s.Person(p.ID); !errors.Is(err, errSealed) {
		t.Errorf("Person of a damaged record = %v, want errSealed", err)
	}
}

// BenchmarkUnwrap is the unlock's key derivation at the default cost:
// argon2id over the passphrase, then opening the wrapped data key.
func BenchmarkUnwrap(b *testing.B) {
	dk := make([]byte, 32)
	e, err := wrapKey(dk, "01HZZ00000000000000000000A", "ana", "una frase larga", DefaultKDF)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.unwrap("01HZZ00000000000000000000A", "una frase larga"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/unwrap")
}
