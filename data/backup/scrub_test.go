package backup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/net/webdav"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
)

// The person a scrub must erase from the backups.
const (
	erasedFirst = "Zuriñe"
	erasedLast  = "Etxeberria Goikoetxea"
	erasedDoc   = "Y1234567X"
)

// clockStore is testStore with a clock the test moves (*now): backups
// on different days, which retention keeps apart.
func clockStore(t testing.TB, n int, now *time.Time) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{Now: func() time.Time { return *now }}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if n > 0 {
		if _, err := demo.Populate(s, demo.Options{People: n, EventsPerPerson: 2, Seed: 7}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// erasable writes to s a person with a name and a document, two events
// and a referral, the person the scrub tests erase.
func erasable(t testing.TB, s *data.Store) data.Person {
	t.Helper()
	p := data.Person{FirstName: erasedFirst, LastName: erasedLast, DocKind: data.DocNIE, DocNumber: erasedDoc}
	if err := s.CreatePerson(&p, "Test"); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Primera acogida de Zuriñe", "Llamada de seguimiento"} {
		e := data.Event{PersonID: p.ID, At: s.Now(), Kind: data.EventCall, Text: text}
		if err := s.AddEvent(&e, "Test"); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// fetched downloads and decrypts the backup called name at d into a file
// of its own, and returns its path.
func fetched(t testing.TB, d Destination, name string) string {
	t.Helper()
	st, err := Fetch(context.Background(), d, name, testPassphrase, filepath.Join(t.TempDir(), "enlace.db"), fastOpts())
	if err != nil {
		t.Fatalf("Fetch %s: %v", name, err)
	}
	return st.path
}

// sealedPerson returns the sealed value of the person's ficha in the
// database file at path (what a freed page would keep).
func sealedPerson(t testing.TB, path, id string) []byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v []byte
	_ = db.View(func(tx *bolt.Tx) error {
		v = bytes.Clone(tx.Bucket([]byte("people")).Get([]byte(id)))
		return nil
	})
	return v
}

// checkGone opens the backup called name at d with the backup passphrase
// and the user's, and fails t if the person is found anywhere: the ficha,
// the search, the timeline, the audit, or their sealed value in the file.
func checkGone(t *testing.T, d Destination, name string, p data.Person, sealed []byte) {
	t.Helper()
	path := fetched(t, d, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, sealed[:64]) || bytes.Contains(raw, []byte(p.ID)) {
		t.Errorf("%s: the file still holds the person's sealed ficha or ID", name)
	}
	c, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer c.Close()
	if _, err := c.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("%s: Person = %v, want ErrNotFound", name, err)
	}
	for _, q := range []string{erasedLast, erasedFirst, erasedDoc} {
		if hits, n := c.Search(q, 5); n != 0 {
			t.Errorf("%s: search %q finds %+v", name, q, hits)
		}
	}
	if tl, _ := c.Timeline(p.ID); len(tl) != 0 {
		t.Errorf("%s: %d events of the person", name, len(tl))
	}
	all, err := c.Audit(data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		b, _ := json.Marshal(e)
		if bytes.Contains(b, []byte(p.ID)) || bytes.Contains(b, []byte("Etxeberria")) || bytes.Contains(b, []byte(erasedDoc)) {
			t.Errorf("%s: audit entry names the person: %s", name, b)
		}
	}
	if n := c.PersonCount(); n < 30 {
		t.Errorf("%s: %d people left, the others should stay", name, n)
	}
}

// scrubRoundTrip: two backups with a person, the person erased, a third
// backup; the scrub rewrites the first two without them, leaves the third
// alone, and every backup then opens without a trace of them.
func scrubRoundTrip(t *testing.T, d Destination, stamp func(name string) string) {
	ctx := context.Background()
	now := time.Now().Add(-72 * time.Hour)
	s := clockStore(t, 30, &now)
	p := erasable(t, s)
	var before []string
	for range 2 {
		res, err := Backup(ctx, s, d, testPassphrase, fastOpts())
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, res.Info.Name)
		now = now.Add(24 * time.Hour)
	}
	sealed := sealedPerson(t, fetched(t, d, before[0]), p.ID)
	if len(sealed) < 64 {
		t.Fatalf("the backup holds no sealed ficha of the person (%d bytes): the test proves nothing", len(sealed))
	}
	if err := s.ErasePerson(p.ID, "Lo pide por escrito (registro 2026/77)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	after, err := Backup(ctx, s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	stampAfter := stamp(after.Info.Name)
	var steps []Progress
	o := fastOpts()
	o.Progress = func(p Progress) { steps = append(steps, p) }
	res, err := Scrub(ctx, s, d, testPassphrase, o)
	if err != nil {
		t.Fatalf("Scrub: %v", err)
	}
	if res.Checked != 2 || res.Rewritten != 2 || res.People != 2 || res.Upto.IsZero() {
		t.Errorf("Scrub = %+v, want 2 checked, 2 rewritten, 2 people", res)
	}
	if len(steps) == 0 || steps[len(steps)-1] != (Progress{Step: StepScrub, Done: 2, Total: 2}) {
		t.Errorf("progress %+v, want StepScrub up to 2 of 2", steps)
	}
	if got := stamp(after.Info.Name); got != stampAfter {
		t.Errorf("the backup made after the erasure was rewritten (%s → %s)", stampAfter, got)
	}
	list, err := List(ctx, d)
	if err != nil || len(list) != 3 {
		t.Fatalf("List after the scrub = %v, %v; want the 3 backups", list, err)
	}
	for _, name := range append(before, after.Info.Name) {
		checkGone(t, d, name, p, sealed)
	}
	stamps := []string{stamp(before[0]), stamp(before[1])}
	again, err := Scrub(ctx, s, d, testPassphrase, fastOpts())
	if err != nil || again.Rewritten != 0 || again.Checked != 2 {
		t.Errorf("second Scrub = %+v, %v; want 2 checked, none rewritten", again, err)
	}
	if stamp(before[0]) != stamps[0] || stamp(before[1]) != stamps[1] {
		t.Error("a second scrub rewrote backups already scrubbed")
	}
	noTempFiles(t, filepath.Dir(s.Path()))
}

func TestScrubFolder(t *testing.T) {
	dir := t.TempDir()
	scrubRoundTrip(t, Destination{Kind: KindFolder, Path: dir}, func(name string) string {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime().String() + "/" + fileSum(t, filepath.Join(dir, name))
	})
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("the folder holds %d files, want the 3 backups", len(entries))
	}
}

func TestScrubWebDAV(t *testing.T) {
	srv := startApache(t)
	d := srv.dest("Enlace")
	scrubRoundTrip(t, d, func(name string) string {
		r, _ := d.remote()
		entries, err := r.list(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.name == name {
				return e.mod.String() + "/" + fileSum(t, filepath.Join(srv.dir, "Enlace", name))
			}
		}
		t.Fatalf("%s is not on the server", name)
		return ""
	})
}

func fileSum(t *testing.T, path string) string {
	h := fileHash(t, path)
	return string(h[:])
}

// TestScrubInterrupted: a connection cut while the scrubbed backup is
// uploaded leaves the old backup in place, whole and readable, and no
// temporary file; the next scrub does it.
func TestScrubInterrupted(t *testing.T) {
	srv := startApache(t)
	ctx := context.Background()
	s := testStore(t, 200)
	p := erasable(t, s)
	d := srv.dest("Enlace")
	res, err := Backup(ctx, s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	oldFile := filepath.Join(srv.dir, "Enlace", res.Info.Name)
	oldSum := fileHash(t, oldFile)
	sealed := sealedPerson(t, fetched(t, d, res.Info.Name), p.ID)
	if err := s.ErasePerson(p.ID, "Lo pide por escrito (registro 2026/78)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	// The download (a GET's answer) passes; the upload is cut halfway.
	proxy := newCutProxy(t, strings.TrimPrefix(srv.base, "http://"), res.Info.Size/2)
	cut := d
	cut.URL = strings.Replace(d.URL, srv.base, "http://"+proxy.addr(), 1)
	st := Statuses{}
	got, ran, err := ScrubIfDue(ctx, s, cut, testPassphrase, st, fastOpts())
	if !ran || !errors.Is(err, ErrInterrupted) {
		t.Fatalf("ScrubIfDue through a cut connection = %v, %v; want ErrInterrupted", ran, err)
	}
	if proxy.cuts.Load() == 0 {
		t.Fatal("the proxy cut nothing: the test proves nothing")
	}
	if got.Pending != 1 || st[cut.Key()].ScrubPending != 1 || st[cut.Key()].ScrubFailure != "interrupted" {
		t.Errorf("after the cut: %+v, status %+v; want 1 pending, interrupted", got, st[cut.Key()])
	}
	if fileHash(t, oldFile) != oldSum {
		t.Fatal("the old backup changed")
	}
	if _, err := Fetch(ctx, d, res.Info.Name, testPassphrase, filepath.Join(t.TempDir(), "r.db"), fastOpts()); err != nil {
		t.Fatalf("the old backup no longer restores: %v", err)
	}
	noTempFiles(t, filepath.Dir(s.Path()))
	last, _ := s.LastErasure()
	if !st.ScrubDue(cut, last) {
		t.Error("the scrub is not due any more after failing")
	}
	// The connection is back: the next run does it.
	st2 := Statuses{d.Key(): st[cut.Key()]}
	got, ran, err = ScrubIfDue(ctx, s, d, testPassphrase, st2, fastOpts())
	if !ran || err != nil || got.Rewritten != 1 {
		t.Fatalf("ScrubIfDue once the server is back = %+v, %v, %v", got, ran, err)
	}
	if st2.ScrubDue(d, last) || st2[d.Key()].ScrubPending != 0 {
		t.Errorf("status after the scrub: %+v", st2[d.Key()])
	}
	checkGone(t, d, res.Info.Name, p, sealed)
	if _, ran, _ := ScrubIfDue(ctx, s, d, testPassphrase, st2, fastOpts()); ran {
		t.Error("a scrub ran again with nothing new erased")
	}
}

// TestRestoreDoesNotBringBack: a backup made before an erasure, at a
// destination never scrubbed, restored with Fetch and Swap, does not
// bring the person back, and the restored database keeps the erasure.
func TestRestoreDoesNotBringBack(t *testing.T) {
	ctx := context.Background()
	s := testStore(t, 20)
	p := erasable(t, s)
	d := Destination{Kind: KindFolder, Path: t.TempDir()}
	res, err := Backup(ctx, s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ErasePerson(p.ID, "Lo pide por escrito (registro 2026/79)"); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	for _, scrubFirst := range []bool{false, true} {
		name := map[bool]string{false: "carried to the restored file", true: "scrubbed before the swap"}[scrubFirst]
		t.Run(name, func(t *testing.T) {
			st, err := Fetch(ctx, d, res.Info.Name, testPassphrase, path, fastOpts())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Discard()
			if scrubFirst {
				if n, err := st.Scrub(s); err != nil || n != 1 {
					t.Fatalf("Staged.Scrub = %d, %v; want 1", n, err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Swap(time.Now()); err != nil {
				t.Fatal(err)
			}
			s, err = data.Open(path, datatest.Options(nil))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
				t.Errorf("Person after the restore = %v, want ErrNotFound", err)
			}
			if hits, n := s.Search(erasedLast, 5); n != 0 {
				t.Errorf("search after the restore finds %+v", hits)
			}
			if l, _ := s.Erasures(); len(l) != 1 {
				t.Errorf("the restored database has %d erasures, want 1", len(l))
			}
			if raw, _ := os.ReadFile(path); bytes.Contains(raw, []byte(p.ID)) {
				t.Error("the restored file still holds the person's ID")
			}
		})
	}
	t.Cleanup(func() { _ = s.Close() })
}

// ncPurge is fakeNextcloud with a trash bin and the versions of one file
// (ID 4242), served as Nextcloud does, and the answer to the PROPFIND of
// oc:fileid.
type ncPurge struct {
	*fakeNextcloud
	trash, versions string // folders behind …/trashbin/ana/trash/ and …/versions/ana/versions/4242/
	trashH, versH   *webdav.Handler
	srv             *httptest.Server
}

func newNCPurge(t *testing.T) *ncPurge {
	n := &ncPurge{fakeNextcloud: newFakeNextcloud(t, 1<<40), trash: t.TempDir(), versions: t.TempDir()}
	n.trashH = &webdav.Handler{Prefix: "/remote.php/dav/trashbin/ana/trash", FileSystem: webdav.Dir(n.trash), LockSystem: webdav.NewMemLS()}
	n.versH = &webdav.Handler{Prefix: "/remote.php/dav/versions/ana/versions/4242", FileSystem: webdav.Dir(n.versions), LockSystem: webdav.NewMemLS()}
	n.srv = httptest.NewServer(n)
	t.Cleanup(n.srv.Close)
	return n
}

func (n *ncPurge) dest() Destination {
	return Destination{Kind: KindWebDAV, URL: n.srv.URL + "/remote.php/dav/files/ana/Enlace/", User: "ana", Password: "secreto"}
}

func (n *ncPurge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/remote.php/dav/trashbin/ana/trash"):
		n.trashH.ServeHTTP(w, r)
	case strings.HasPrefix(p, "/remote.php/dav/versions/ana/versions/4242"):
		n.versH.ServeHTTP(w, r)
	case r.Method == "PROPFIND" && r.Header.Get("Depth") == "0" && strings.HasSuffix(p, ".age"):
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "fileid") {
			r.Body = io.NopCloser(bytes.NewReader(body))
			n.fakeNextcloud.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(http.StatusMultiStatus)
		io.WriteString(w, `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:response><d:href>`+p+
			`</d:href><d:propstat><d:prop><oc:fileid>4242</oc:fileid></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`)
	default:
		n.fakeNextcloud.ServeHTTP(w, r)
	}
}

// TestScrubPurgesNextcloud: on Nextcloud, the rewritten backup's old
// versions and the trash bin's copies of Enlace's backups go; what else
// is in the trash bin stays.
func TestScrubPurgesNextcloud(t *testing.T) {
	nc := newNCPurge(t)
	d := nc.dest()
	ctx := context.Background()
	s := testStore(t, 10)
	p := erasable(t, s)
	res, err := Backup(ctx, s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	for dir, files := range map[string][]string{
		nc.versions: {"1733650000", "1733650100"},
		nc.trash:    {"enlace-20261120T100000Z.age.d1733650000", "." + res.Info.Name + ".tmp.d1733650001", "acta.pdf.d1733650002"},
	} {
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("copia anterior"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.ErasePerson(p.ID, "Lo pide por escrito (registro 2026/80)"); err != nil {
		t.Fatal(err)
	}
	got, err := Scrub(ctx, s, d, testPassphrase, fastOpts())
	if err != nil || got.Rewritten != 1 {
		t.Fatalf("Scrub on Nextcloud = %+v, %v", got, err)
	}
	if versions, _ := os.ReadDir(nc.versions); len(versions) != 0 {
		t.Errorf("versions left: %v", versions)
	}
	trash, _ := os.ReadDir(nc.trash)
	if len(trash) != 1 || trash[0].Name() != "acta.pdf.d1733650002" {
		t.Errorf("trash bin after the scrub: %v, want only acta.pdf's entry", trash)
	}
	if got.Purged != 4 {
		t.Errorf("Purged = %d, want 4", got.Purged)
	}
}

// TestScrubSkipsOtherPassphrase: a backup made with an earlier passphrase
// is not opened, and said; the others are scrubbed.
func TestScrubSkipsOtherPassphrase(t *testing.T) {
	ctx := context.Background()
	now := time.Now().Add(-72 * time.Hour)
	s := clockStore(t, 10, &now)
	p := erasable(t, s)
	d := Destination{Kind: KindFolder, Path: t.TempDir()}
	const earlier = "la contraseña de antes, larga"
	old, err := Backup(ctx, s, d, earlier, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(24 * time.Hour)
	if _, err := Backup(ctx, s, d, testPassphrase, fastOpts()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(24 * time.Hour)
	if err := s.ErasePerson(p.ID, "Lo pide por escrito (registro 2026/81)"); err != nil {
		t.Fatal(err)
	}
	check, err := NewCheck(testPassphrase, 10)
	if err != nil {
		t.Fatal(err)
	}
	o := fastOpts()
	o.Check = check
	got, err := Scrub(ctx, s, d, testPassphrase, o)
	if err != nil || got.Rewritten != 1 || len(got.Skipped) != 1 || got.Skipped[0] != old.Info.Name {
		t.Fatalf("Scrub = %+v, %v; want 1 rewritten and the earlier passphrase's backup skipped", got, err)
	}
	o.Check = check
	if _, err := Scrub(ctx, s, d, "otra contraseña cualquiera", o); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Scrub with a passphrase the check refuses = %v, want ErrWrongPassphrase", err)
	}
}

// TestScrubBackupBeforeCompaction: a backup made after an erasure but
// before the compaction that follows it holds the person's values in
// freed pages; it is rewritten too, and a scrub that runs before the
// compaction does not count the destination as done.
func TestScrubBackupBeforeCompaction(t *testing.T) {
	ctx := context.Background()
	now := time.Now().Add(-72 * time.Hour)
	s := clockStore(t, 30, &now)
	p := erasable(t, s)
	d := Destination{Kind: KindFolder, Path: t.TempDir()}
	first, err := Backup(ctx, s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	sealed := sealedPerson(t, fetched(t, d, first.Info.Name), p.ID)
	now = now.Add(24 * time.Hour)
	if err := s.ErasePerson(p.ID, "Lo pide por escrito (registro 2026/82)"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	between, err := Backup(ctx, s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	early, err := Scrub(ctx, s, d, testPassphrase, fastOpts())
	if err != nil || !early.Upto.IsZero() {
		t.Errorf("Scrub before the compaction = %+v, %v; want the destination not counted as done", early, err)
	}
	now = now.Add(time.Hour)
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	res, err := Scrub(ctx, s, d, testPassphrase, fastOpts())
	if err != nil || res.Upto.IsZero() {
		t.Fatalf("Scrub = %+v, %v", res, err)
	}
	for _, name := range []string{first.Info.Name, between.Info.Name} {
		checkGone(t, d, name, p, sealed)
	}
}
