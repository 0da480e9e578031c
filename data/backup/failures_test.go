package backup

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/webdav"
)

// fakeNextcloud is a small WebDAV server on 127.0.0.1 that behaves like
// Nextcloud where Apache cannot: it answers 507 when full, refuses PUTs
// larger than maxPut with 413, and implements chunked upload v2 under
// /remote.php/dav/uploads/USER/.
type fakeNextcloud struct {
	dir     string
	files   *webdav.Handler
	maxPut  int64
	full    atomic.Bool
	mu      sync.Mutex
	uploads map[string]map[string][]byte // transfer ID → part name → bytes
	parts   atomic.Int32                 // parts received
	srv     *httptest.Server
}

func newFakeNextcloud(t *testing.T, maxPut int64) *fakeNextcloud {
	f := &fakeNextcloud{dir: t.TempDir(), maxPut: maxPut, uploads: map[string]map[string][]byte{}}
	if err := os.Mkdir(filepath.Join(f.dir, "Enlace"), 0o700); err != nil {
		t.Fatal(err)
	}
	f.files = &webdav.Handler{Prefix: "/remote.php/dav/files/ana", FileSystem: webdav.Dir(f.dir), LockSystem: webdav.NewMemLS()}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeNextcloud) dest() Destination {
	return Destination{Kind: KindWebDAV, URL: f.srv.URL + "/remote.php/dav/files/ana/Enlace/", User: "ana", Password: "secreto"}
}

func (f *fakeNextcloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if u, p, ok := r.BasicAuth(); !ok || u != "ana" || p != "secreto" {
		w.Header().Set("WWW-Authenticate", `Basic realm="Nextcloud"`)
		http.Error(w, "", http.StatusUnauthorized)
		return
	}
	const uploads = "/remote.php/dav/uploads/ana/"
	if rest, ok := strings.CutPrefix(r.URL.Path, uploads); ok {
		f.chunk(w, r, rest)
		return
	}
	if r.Method == http.MethodPut {
		switch {
		case f.full.Load():
			http.Error(w, "Insufficient Storage", http.StatusInsufficientStorage)
			return
		case r.ContentLength > f.maxPut:
			http.Error(w, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
			return
		}
	}
	f.files.ServeHTTP(w, r)
}

// chunk serves the uploads collection: MKCOL a transfer, PUT its parts,
// MOVE its .file to the destination, DELETE it.
func (f *fakeNextcloud) chunk(w http.ResponseWriter, r *http.Request, rest string) {
	id, part, _ := strings.Cut(strings.Trim(rest, "/"), "/")
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Destination") == "" && r.Method != http.MethodDelete {
		http.Error(w, "no Destination", http.StatusBadRequest)
		return
	}
	switch {
	case r.Method == "MKCOL" && part == "":
		f.uploads[id] = map[string][]byte{}
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodPut && part != "":
		b, err := io.ReadAll(r.Body)
		if err != nil || f.uploads[id] == nil {
			http.Error(w, "bad part", http.StatusBadRequest)
			return
		}
		f.uploads[id][part] = b
		f.parts.Add(1)
		w.WriteHeader(http.StatusCreated)
	case r.Method == "MOVE" && part == ".file":
		names := make([]string, 0, len(f.uploads[id]))
		for n := range f.uploads[id] {
			names = append(names, n)
		}
		sort.Strings(names)
		var all bytes.Buffer
		for _, n := range names {
			all.Write(f.uploads[id][n])
		}
		dst, _ := url.Parse(r.Header.Get("Destination"))
		rel := strings.TrimPrefix(dst.Path, "/remote.php/dav/files/ana/")
		if err := os.WriteFile(filepath.Join(f.dir, filepath.FromSlash(path.Clean(rel))), all.Bytes(), 0o600); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		delete(f.uploads, id)
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodDelete:
		delete(f.uploads, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "", http.StatusMethodNotAllowed)
	}
}

func TestServerFull(t *testing.T) {
	nc := newFakeNextcloud(t, 1<<40)
	s := testStore(t, 50)
	nc.full.Store(true)
	_, err := Backup(context.Background(), s, nc.dest(), testPassphrase, fastOpts())
	t.Logf("full server: %v", err)
	if !errors.Is(err, ErrServerFull) {
		t.Fatalf("Backup to a full server = %v, want ErrServerFull", err)
	}
	noTempFiles(t, filepath.Dir(s.Path()))
	if list, err := List(context.Background(), nc.dest()); err != nil || len(list) != 0 {
		t.Errorf("List = %v, %v; want nothing", list, err)
	}
	nc.full.Store(false)
	if _, err := Backup(context.Background(), s, nc.dest(), testPassphrase, fastOpts()); err != nil {
		t.Errorf("Backup once there is room: %v", err)
	}
}

// TestChunkedUpload: a server that refuses the single PUT with 413 gets
// Nextcloud's chunked upload, and the result restores.
func TestChunkedUpload(t *testing.T) {
	old := chunkSize
	chunkSize = 64 << 10
	t.Cleanup(func() { chunkSize = old })
	nc := newFakeNextcloud(t, 100<<10)
	s := testStore(t, 300)
	res, err := Backup(context.Background(), s, nc.dest(), testPassphrase, fastOpts())
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if want := (res.Info.Size + chunkSize - 1) / chunkSize; int64(nc.parts.Load()) != want || want < 2 {
		t.Errorf("server got %d parts, want %d (of a %d-byte backup)", nc.parts.Load(), want, res.Info.Size)
	}
	st, err := Fetch(context.Background(), nc.dest(), res.Info.Name, testPassphrase, filepath.Join(t.TempDir(), "r.db"), fastOpts())
	if err != nil {
		t.Fatalf("Fetch of the chunked backup: %v", err)
	}
	st.Discard()
	if len(nc.uploads) != 0 {
		t.Errorf("transfers left on the server: %v", nc.uploads)
	}
}

// tinyDisk mounts a tmpfs of size (e.g. "256k") for the test: a disk that
// fills up. It needs root; elsewhere the test skips.
func tinyDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("filling a disk needs a small tmpfs, and mounting one needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

func TestDiskFull(t *testing.T) {
	s := testStore(t, 300)
	t.Run("destination folder", func(t *testing.T) {
		disk := tinyDisk(t, "64k")
		_, err := Backup(context.Background(), s, Destination{Kind: KindFolder, Path: disk}, testPassphrase, fastOpts())
		t.Logf("%v", err)
		if !errors.Is(err, ErrDiskFull) {
			t.Fatalf("Backup to a full disk = %v, want ErrDiskFull", err)
		}
		if entries, _ := os.ReadDir(disk); len(entries) != 0 {
			t.Errorf("left on the full disk: %v", entries)
		}
	})
	t.Run("temporary folder", func(t *testing.T) {
		disk := tinyDisk(t, "64k")
		o := fastOpts()
		o.TempDir = disk
		_, err := Backup(context.Background(), s, Destination{Kind: KindFolder, Path: t.TempDir()}, testPassphrase, o)
		t.Logf("%v", err)
		if !errors.Is(err, ErrDiskFull) {
			t.Fatalf("Backup with a full temporary disk = %v, want ErrDiskFull", err)
		}
		noTempFiles(t, disk)
	})
	t.Run("restore", func(t *testing.T) {
		dest := Destination{Kind: KindFolder, Path: t.TempDir()}
		res, err := Backup(context.Background(), s, dest, testPassphrase, fastOpts())
		if err != nil {
			t.Fatal(err)
		}
		disk := tinyDisk(t, "1m")
		dbPath := filepath.Join(disk, "enlace.db")
		if err := os.WriteFile(dbPath, bytes.Repeat([]byte{1}, 900<<10), 0o600); err != nil {
			t.Fatal(err)
		}
		hash := fileHash(t, dbPath)
		_, err = Restore(context.Background(), dest, res.Info.Name, testPassphrase, dbPath, fastOpts())
		t.Logf("%v", err)
		if !errors.Is(err, ErrDiskFull) {
			t.Fatalf("Restore onto a full disk = %v, want ErrDiskFull", err)
		}
		if fileHash(t, dbPath) != hash {
			t.Error("the database changed")
		}
		noTempFiles(t, disk)
	})
}

func TestCancelDuringUpload(t *testing.T) {
	srv := startApache(t)
	s := testStore(t, 400)
	ctx, cancel := context.WithCancel(context.Background())
	o := fastOpts()
	o.Progress = func(p Progress) {
		if p.Step == StepUpload {
			cancel()
		}
	}
	_, err := Backup(ctx, s, srv.dest("Enlace"), testPassphrase, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Backup = %v, want context.Canceled", err)
	}
	noTempFiles(t, filepath.Dir(s.Path()))
	time.Sleep(100 * time.Millisecond)
	if list, err := List(context.Background(), srv.dest("Enlace")); err != nil || len(list) != 0 {
		t.Errorf("after cancelling, List = %v, %v; want nothing", list, err)
	}
}

// TestPlainWebDAVRefusesALargeBackup: a plain WebDAV server (Apache) with a
// size limit refuses the PUT (413) and has no Nextcloud chunked upload to
// fall back on; the user is told that, not that the folder is missing.
func TestPlainWebDAVRefusesALargeBackup(t *testing.T) {
	srv := startApacheWith(t, "LimitRequestBody 4096")
	s := testStore(t, 50)
	d := srv.dest("")
	_, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(Message(err), "archivos más grandes") {
		t.Fatalf("Backup over the server's limit = %v (%q), want ErrTooLarge", err, Message(err))
	}
	noTempFiles(t, filepath.Dir(s.Path()))
	if list, err := List(context.Background(), d); err != nil || len(list) != 0 {
		t.Errorf("List = %v, %v; want nothing", list, err)
	}
}

// TestReadOnlyShareSaysNoWrite: a folder shared read-only answers 403 to
// the upload; the user is told they may not write there (ask for edit
// permission), not that the password is wrong.
func TestReadOnlyShareSaysNoWrite(t *testing.T) {
	srv := startApacheWith(t, `<Location "/remote.php/dav/files/ana/Solo lectura">
	<LimitExcept GET HEAD OPTIONS PROPFIND>
		Require all denied
	</LimitExcept>
</Location>`)
	if err := os.Mkdir(filepath.Join(srv.dir, "Solo lectura"), 0o777); err != nil {
		t.Fatal(err)
	}
	s := testStore(t, 5)
	_, err := Backup(context.Background(), s, srv.dest("Solo lectura"), testPassphrase, fastOpts())
	if !errors.Is(err, ErrNoWrite) || !strings.Contains(Message(err), "permiso de edición") {
		t.Fatalf("Backup to a read-only share = %v (%q), want ErrNoWrite", err, Message(err))
	}
	noTempFiles(t, filepath.Dir(s.Path()))
}
