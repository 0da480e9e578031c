package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
)

const testPassphrase = "caballo grapa batería correcta"

// fastOpts keeps scrypt cheap in tests (2^10 instead of 2^18).
func fastOpts() *Options { return &Options{WorkFactor: 10} }

// testStore opens a store under t.TempDir filled with n demonstration
// people, their timelines, offices and staff.
func testStore(t testing.TB, n int) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if n > 0 {
		if _, err := demo.Populate(s, demo.Options{People: n, EventsPerPerson: 4, Seed: 7}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// addPerson writes one more person to s.
func addPerson(t testing.TB, s *data.Store, last string) data.Person {
	t.Helper()
	p := data.Person{FirstName: "Persona", LastName: last}
	if err := s.CreatePerson(&p, "Test"); err != nil {
		t.Fatal(err)
	}
	return p
}

// dump reads every key and value of every bucket (nested ones too) of the
// bbolt file at path: the database's whole content, for comparisons.
func dump(t testing.TB, path string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	out := map[string]string{}
	var walk func(prefix string, b *bolt.Bucket) error
	walk = func(prefix string, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(prefix+string(k)+"/", b.Bucket(k))
			}
			out[prefix+string(k)] = string(v)
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walk(string(name)+"/", b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameContent fails t unless the two dumps hold the same records.
func sameContent(t testing.TB, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("restored database has %d keys, want %d", len(got), len(want))
	}
	diffs := 0
	for k, v := range want {
		if got[k] != v {
			if diffs++; diffs <= 5 {
				t.Errorf("key %q differs after restore", k)
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			if diffs++; diffs <= 5 {
				t.Errorf("key %q should not be in the restored database", k)
			}
		}
	}
}

// fileHash is the SHA-256 of the file at path, to show it was not touched.
func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// noTempFiles fails t if a temporary file of a backup or restore is left in dir.
func noTempFiles(t testing.TB, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".enlace-") {
			t.Errorf("temporary file left behind: %s", filepath.Join(dir, e.Name()))
		}
	}
}

// roundTrip backs s up to d, changes the data, restores, and checks that
// the restored database holds exactly what s held at the backup.
func roundTrip(t *testing.T, d Destination) {
	s := testStore(t, 150)
	dbPath := s.Path()
	res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if res.Manifest.Counts.People != 150 || res.Info.Size == 0 {
		t.Errorf("result = %+v, want 150 people and a size", res)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, dbPath)

	s2, err := data.Open(dbPath, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	gone := addPerson(t, s2, "Después de la copia")
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}

	list, err := List(context.Background(), d)
	if err != nil || len(list) != 1 || list[0].Name != res.Info.Name || list[0].Size != res.Info.Size {
		t.Fatalf("List = %+v, %v; want just %+v", list, err, res.Info)
	}
	got, err := Restore(context.Background(), d, list[0].Name, testPassphrase, dbPath, fastOpts())
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got.Manifest.SHA256 != res.Manifest.SHA256 || got.Before == "" {
		t.Errorf("Restore = %+v, want the backup's manifest and a .before-restore copy", got)
	}
	sameContent(t, dump(t, dbPath), want)
	// The person, its card, and the audit trail's entry and index line.
	if before := dump(t, got.Before); len(before) != len(want)+4 {
		t.Errorf(".before-restore copy has %d keys, want %d (the database before restoring)", len(before), len(want)+4)
	}
	s3, err := data.Open(dbPath, datatest.Options(nil))
	if err != nil {
		t.Fatalf("open the restored database: %v", err)
	}
	defer s3.Close()
	if _, err := s3.Person(gone.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("person added after the backup: %v, want ErrNotFound", err)
	}
	noTempFiles(t, filepath.Dir(dbPath))
}

func TestRoundTripFolder(t *testing.T) {
	roundTrip(t, Destination{Kind: KindFolder, Path: filepath.Join(t.TempDir(), "Enlace")})
}

func TestRoundTripWebDAV(t *testing.T) {
	srv := startApache(t)
	roundTrip(t, srv.dest("Enlace"))
	// Nothing of the upload stays on the server but the backup itself.
	entries, _ := os.ReadDir(filepath.Join(srv.dir, "Enlace"))
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".age") {
		t.Errorf("server folder holds %v, want one .age file", entries)
	}
}

// TestBackupWhileWriting backs up while another goroutine keeps writing:
// the backup is a consistent database that matches its manifest, and the
// writes go on meanwhile.
func TestBackupWhileWriting(t *testing.T) {
	srv := startApache(t)
	s := testStore(t, 300)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var written int
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			p := data.Person{FirstName: "Mientras", LastName: fmt.Sprintf("Copia %d", written)}
			if werr = s.CreatePerson(&p, "Test"); werr != nil {
				return
			}
			written++
		}
	}()
	// Two folders: in one, the second backup of the day would prune the first.
	dests := []Destination{srv.dest("Enlace1"), srv.dest("Enlace2")}
	var results []Result
	for i, d := range dests {
		res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
		if err != nil {
			cancel()
			t.Fatalf("Backup %d: %v", i, err)
		}
		results = append(results, res)
	}
	cancel()
	wg.Wait()
	if werr != nil {
		t.Fatalf("writes during the backup: %v", werr)
	}
	if written == 0 {
		t.Fatal("no write happened during the backups")
	}
	for i, res := range results {
		st, err := Fetch(context.Background(), dests[i], res.Info.Name, testPassphrase, filepath.Join(t.TempDir(), "enlace.db"), fastOpts())
		if err != nil {
			t.Fatalf("Fetch %s: %v", res.Info.Name, err)
		}
		if st.Manifest.Counts != res.Manifest.Counts || st.Manifest.Counts.People < 300 {
			t.Errorf("backup %s holds %+v, want %+v", res.Info.Name, st.Manifest.Counts, res.Manifest.Counts)
		}
		st.Discard()
	}
	t.Logf("%d people written during two backups; backups hold %d and %d people",
		written, results[0].Manifest.Counts.People, results[1].Manifest.Counts.People)
}

// TestUploadCutMidway sends a backup through a proxy that cuts the
// connection halfway: the error says so, the earlier backup is still the
// only one listed and restores, and the next backup works.
func TestUploadCutMidway(t *testing.T) {
	srv := startApache(t)
	s := testStore(t, 400)
	good, err := Backup(context.Background(), s, srv.dest("Enlace"), testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	addPerson(t, s, "Nueva")
	time.Sleep(1100 * time.Millisecond)

	proxy := newCutProxy(t, strings.TrimPrefix(srv.base, "http://"), good.Info.Size/2)
	cut := srv.dest("Enlace")
	cut.URL = strings.Replace(cut.URL, srv.base, "http://"+proxy.addr(), 1)
	_, err = Backup(context.Background(), s, cut, testPassphrase, fastOpts())
	t.Logf("cut upload: %v", err)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Backup through a cut connection = %v, want ErrInterrupted", err)
	}
	if proxy.cuts.Load() == 0 {
		t.Fatal("the proxy never cut a connection: the test proves nothing")
	}
	noTempFiles(t, filepath.Dir(s.Path()))

	list, err := List(context.Background(), srv.dest("Enlace"))
	if err != nil || len(list) != 1 || list[0] != good.Info {
		t.Fatalf("after the cut, List = %+v, %v; want only the good backup %+v", list, err, good.Info)
	}
	st, err := Fetch(context.Background(), srv.dest("Enlace"), good.Info.Name, testPassphrase, filepath.Join(t.TempDir(), "x.db"), fastOpts())
	if err != nil {
		t.Fatalf("the good backup no longer restores: %v", err)
	}
	st.Discard()
	if _, err := Backup(context.Background(), s, srv.dest("Enlace"), testPassphrase, fastOpts()); err != nil {
		t.Fatalf("backup after the cut: %v", err)
	}
}

// TestDownloadCutMidway restores through a proxy that cuts the download:
// the error says the connection was cut (not that the backup is damaged)
// and the database is untouched.
func TestDownloadCutMidway(t *testing.T) {
	srv := startApache(t)
	s := testStore(t, 400)
	res, err := Backup(context.Background(), s, srv.dest("Enlace"), testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	// Cut the answer rather than the request: serve the file from a proxy
	// that stops after half of it.
	proxy := newCutResponseProxy(t, strings.TrimPrefix(srv.base, "http://"), res.Info.Size/2)
	cut := srv.dest("Enlace")
	cut.URL = strings.Replace(cut.URL, srv.base, "http://"+proxy, 1)
	dbPath := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, dbPath)
	_, err = Restore(context.Background(), cut, res.Info.Name, testPassphrase, dbPath, fastOpts())
	t.Logf("cut download: %v", err)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Restore through a cut connection = %v, want ErrInterrupted", err)
	}
	if fileHash(t, dbPath) != before {
		t.Error("the database changed after a failed restore")
	}
	noTempFiles(t, filepath.Dir(dbPath))
}

func TestWrongCredentials(t *testing.T) {
	srv := startApache(t)
	s := testStore(t, 10)
	d := srv.dest("Enlace")
	d.Password = "otra"
	if _, err := Backup(context.Background(), s, d, testPassphrase, fastOpts()); !errors.Is(err, ErrAuth) {
		t.Errorf("Backup with a wrong password = %v, want ErrAuth", err)
	}
	if _, err := List(context.Background(), d); !errors.Is(err, ErrAuth) {
		t.Errorf("List with a wrong password = %v, want ErrAuth", err)
	}
	noTempFiles(t, filepath.Dir(s.Path()))
}

// TestCheckRefuses: a passphrase that does not match Options.Check ends
// the backup with ErrWrongPassphrase, with nothing at the destination and
// no temporary file left, and so does it when the backup fails for
// another reason too; the passphrase the check was made with backs up.
func TestCheckRefuses(t *testing.T) {
	s := testStore(t, 10)
	d := Destination{Kind: KindFolder, Path: filepath.Join(t.TempDir(), "Enlace")}
	check, err := NewCheck("la frase de las copias de antes", 10)
	if err != nil {
		t.Fatal(err)
	}
	o := fastOpts()
	o.Check = check
	if _, err := Backup(context.Background(), s, d, testPassphrase, o); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Backup with another passphrase than the check's = %v, want ErrWrongPassphrase", err)
	}
	if list, err := List(context.Background(), d); err != nil || len(list) != 0 {
		t.Errorf("the destination holds %v (%v), want nothing", list, err)
	}
	noTempFiles(t, filepath.Dir(s.Path()))
	noTempFiles(t, d.Path)

	dead := Destination{Kind: KindWebDAV, URL: datatest.DeadURL("/Enlace/"), User: "ana", Password: "x"}
	if _, err := Backup(context.Background(), s, dead, testPassphrase, o); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Backup to a closed port with the wrong passphrase = %v, want ErrWrongPassphrase", err)
	}
	o.Check = "no es una comprobación"
	if _, err := Backup(context.Background(), s, d, testPassphrase, o); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Backup with an unreadable check = %v, want ErrWrongPassphrase", err)
	}

	if o.Check, err = NewCheck(testPassphrase, 10); err != nil {
		t.Fatal(err)
	}
	res, err := Backup(context.Background(), s, d, testPassphrase, o)
	if err != nil || res.Info.Size == 0 {
		t.Fatalf("Backup with the check's passphrase = %+v, %v", res, err)
	}
	if list, err := List(context.Background(), d); err != nil || len(list) != 1 || list[0].Name != res.Info.Name {
		t.Errorf("the destination holds %v (%v), want %s", list, err, res.Info.Name)
	}
}

func TestUnreachableServer(t *testing.T) {
	s := testStore(t, 10)
	d := Destination{Kind: KindWebDAV, URL: datatest.DeadURL("/remote.php/dav/files/ana/Enlace/"), User: "ana", Password: "x"}
	if _, err := Backup(context.Background(), s, d, testPassphrase, fastOpts()); !errors.Is(err, ErrUnreachable) {
		t.Errorf("Backup to a closed port = %v, want ErrUnreachable", err)
	}
	if got := Message(fmt.Errorf("x: %w", ErrUnreachable)); !strings.Contains(got, "no se puede conectar") {
		t.Errorf("Message = %q", got)
	}
}

// TestRestoreRefusals: a wrong passphrase, a changed byte, a cut file and a
// backup from a newer Enlace are each refused with their own error, and
// the database is untouched.
func TestRestoreRefusals(t *testing.T) {
	dir := t.TempDir()
	d := Destination{Kind: KindFolder, Path: dir}
	s := testStore(t, 100)
	res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, res.Info.Name))
	if err != nil {
		t.Fatal(err)
	}
	put := func(at time.Time, b []byte) string {
		name := backupName(at, 1)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	flipped := bytes.Clone(raw)
	flipped[len(flipped)/2] ^= 0x40
	newer := newerBackup(t, s)
	dbPath := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	hash := fileHash(t, dbPath)
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, file, pass string
		want             error
	}{
		{"wrong passphrase", res.Info.Name, "no es la contraseña", ErrWrongPassphrase},
		{"flipped byte", put(day, flipped), testPassphrase, ErrCorrupt},
		{"truncated", put(day.Add(time.Hour), raw[:len(raw)*2/3]), testPassphrase, ErrCorrupt},
		{"not a backup", put(day.Add(2*time.Hour), []byte("hola\n")), testPassphrase, ErrCorrupt},
		{"newer schema", put(day.Add(3*time.Hour), newer), testPassphrase, data.ErrSchemaTooNew},
		{"missing", backupName(day.Add(4*time.Hour), 1), testPassphrase, ErrNotFound},
		{"path outside", "../enlace.db", testPassphrase, ErrNotFound},
		{"no passphrase", res.Info.Name, "", ErrNoPassphrase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Restore(context.Background(), d, tc.file, tc.pass, dbPath, fastOpts())
			t.Logf("%v", err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Restore = %v, want %v", err, tc.want)
			}
			if fileHash(t, dbPath) != hash {
				t.Error("the database changed")
			}
			noTempFiles(t, filepath.Dir(dbPath))
			if got, want := Message(err), Message(tc.want); got != want {
				t.Errorf("Message(%v) = %q, want %q", err, got, want)
			}
		})
	}
	if _, err := Restore(context.Background(), d, res.Info.Name, testPassphrase, dbPath, fastOpts()); err != nil {
		t.Errorf("the untouched backup restores: %v", err)
	}
}

// newerBackup is a valid backup of s whose manifest claims a newer schema.
func newerBackup(t *testing.T, s *data.Store) []byte {
	t.Helper()
	var plain bytes.Buffer
	m, err := s.Snapshot(&plain)
	if err != nil {
		t.Fatal(err)
	}
	m.Schema = data.SchemaVersion + 1
	var out bytes.Buffer
	sl, err := newSealer(&out, testPassphrase, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := sl.begin(m)
	if err == nil {
		_, err = w.Write(plain.Bytes())
	}
	if err == nil {
		err = sl.finish(m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestRestoreRefusesOpenDatabase(t *testing.T) {
	dir := t.TempDir()
	d := Destination{Kind: KindFolder, Path: dir}
	s := testStore(t, 10)
	res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(context.Background(), d, res.Info.Name, testPassphrase, s.Path(), fastOpts()); !errors.Is(err, data.ErrLocked) {
		t.Errorf("Restore over an open database = %v, want data.ErrLocked", err)
	}
	// Fetch works with the database open; Swap refuses until it is closed.
	st, err := Fetch(context.Background(), d, res.Info.Name, testPassphrase, s.Path(), fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	if _, err := st.Swap(time.Now()); !errors.Is(err, data.ErrLocked) {
		t.Errorf("Swap over an open database = %v, want data.ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if before, err := st.Swap(time.Now()); err != nil || before == "" {
		t.Errorf("Swap after closing = %q, %v", before, err)
	}
}

// TestBackupDeferredIndex: a store opened without its search index (as
// enlace backup opens it, data.Options.DeferIndex) backs up every record,
// one written before any search among them, and the restored database,
// opened as usual, finds everyone.
func TestBackupDeferredIndex(t *testing.T) {
	s := testStore(t, 150)
	dbPath := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(dbPath, datatest.Options(&data.Options{DeferIndex: true}))
	if err != nil {
		t.Fatal(err)
	}
	added := addPerson(t, s, "Antes de la copia")
	d := Destination{Kind: KindFolder, Path: filepath.Join(t.TempDir(), "Enlace")}
	res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if res.Manifest.Counts.People != 151 {
		t.Errorf("manifest counts %+v, want 151 people", res.Manifest.Counts)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, dbPath)

	restored := filepath.Join(t.TempDir(), "enlace.db")
	if _, err := Restore(context.Background(), d, res.Info.Name, testPassphrase, restored, fastOpts()); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	sameContent(t, dump(t, restored), want)
	r, err := data.Open(restored, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, total := r.Search("", 1000); total != 151 || r.PersonCount() != 151 {
		t.Errorf("the restored database lists %d people (PersonCount %d), want 151", total, r.PersonCount())
	}
	if hits, total := r.Search("antes de la copia", 10); total != 1 || hits[0].ID != added.ID {
		t.Errorf("Search for the person added before the backup = %+v (total %d)", hits, total)
	}
}

// TestRestoreRenewsOpSeries: a database that syncs, put back from a
// backup, numbers its next operations in a new series, so that they never
// take the IDs the database used after the backup (which the sync server
// holds); one that does not sync is put back byte for byte (roundTrip).
func TestRestoreRenewsOpSeries(t *testing.T) {
	d := Destination{Kind: KindFolder, Path: t.TempDir()}
	s := testStore(t, 5)
	if err := s.EnableSync("norte"); err != nil {
		t.Fatal(err)
	}
	series := s.OpSeries()
	res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	dbPath := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(context.Background(), d, res.Info.Name, testPassphrase, dbPath, fastOpts()); err != nil {
		t.Fatal(err)
	}
	r, err := data.Open(dbPath, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.OpSeries(); got == series || len(got) != 12 || r.SyncDevice() != "norte" {
		t.Errorf("restored: series %q (was %q), device %q; want a new series of 12 hex digits, the same device", got, series, r.SyncDevice())
	}
	p := addPerson(t, r, "Después de restaurar")
	ops, err := r.PendingOps()
	if err != nil {
		t.Fatal(err)
	}
	want := "norte-" + r.OpSeries() + "-"
	for _, op := range ops {
		if !strings.HasPrefix(op.ID, want) && !strings.HasPrefix(op.ID, "norte-"+series+"-") {
			t.Errorf("operation %s is of neither series", op.ID)
		}
	}
	found := false
	for _, op := range ops {
		if op.Record == p.ID {
			found = true
			if !strings.HasPrefix(op.ID, want) {
				t.Errorf("the operation made after the restore is %s, want the new series %s…", op.ID, want)
			}
		}
	}
	if !found {
		t.Error("no operation for the person added after the restore")
	}
}
