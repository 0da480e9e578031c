package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// faultProxy stands between the installs and the WebDAV server and, while
// on, answers some requests with 423, 500 or 507, cuts some connections
// and stalls others, as a flaky office link and a busy server do.
type faultProxy struct {
	on     atomic.Bool
	faults atomic.Int64
	rng    *rand.Rand
	mu     chan struct{}
}

func newFaultProxy(t *testing.T, target string) (*faultProxy, *httptest.Server) {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	fp := &faultProxy{rng: rand.New(rand.NewPCG(1, 2)), mu: make(chan struct{}, 1)}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fp.on.Load() {
			fp.mu <- struct{}{}
			n := fp.rng.IntN(100)
			<-fp.mu
			switch {
			case n < 8:
				fp.faults.Add(1)
				http.Error(w, "locked", http.StatusLocked)
				return
			case n < 13:
				fp.faults.Add(1)
				http.Error(w, "boom", http.StatusInternalServerError)
				return
			case n < 16:
				fp.faults.Add(1)
				http.Error(w, "full", http.StatusInsufficientStorage)
				return
			case n < 24:
				fp.faults.Add(1)
				if hj, ok := w.(http.Hijacker); ok {
					if c, _, err := hj.Hijack(); err == nil {
						c.Close() // the connection drops
						return
					}
				}
			case n < 30:
				time.Sleep(150 * time.Millisecond)
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return fp, srv
}

// syncProcess runs `enlace sync --once` on db as a process of its own and
// kills it with SIGKILL after kill (or lets it end when kill is 0).
func syncProcess(t *testing.T, db string, kill time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ENLACE_TEST_MAIN=sync\n--once\n--db\n"+db)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if kill > 0 {
		select {
		case <-done:
			return
		case <-time.After(kill):
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	<-done
}

// write adds one person with an event to the store at db, as a
// coordinator typing would.
func write(t *testing.T, db, name string) {
	t.Helper()
	s, err := data.Open(db, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := data.Person{FirstName: name, LastName: "Prueba Sincronía", DocKind: data.DocPassport,
		DocNumber: fmt.Sprintf("PS%06d", rand.IntN(1_000_000)), Regular: true}
	if err := s.CreatePerson(&p, "prueba"); err != nil {
		t.Fatal(err)
	}
	e := data.Event{PersonID: p.ID, At: time.Now(), Kind: data.EventNote, Text: "Alta en " + name}
	if err := s.AddEvent(&e, "prueba"); err != nil {
		t.Fatal(err)
	}
}

// TestSyncSurvivesFaultsAndKills: three installs syncing as processes of
// their own through a proxy that fails requests and drops connections,
// killed with SIGKILL at random points of their syncs; once the link is
// good again every install converges, with nothing lost and nothing twice.
func TestSyncSurvivesFaultsAndKills(t *testing.T) {
	if testing.Short() {
		t.Skip("processes and a real server: not in -short")
	}
	dav := datatest.StartApache(t, "")
	fp, proxy := newFaultProxy(t, dav.Base)
	t.Setenv(envSyncPass, dav.Password)
	spaceURL := proxy.URL + "/remote.php/dav/files/" + dav.User + "/Enlace/"
	dbs := []string{newDemo(t, "10"), newDB(t), newDB(t)}
	devices := []string{"norte", "sur", "centro"}
	if code, out, errs := runCmd(t, "sync", "create", "--db", dbs[0], "--url", spaceURL, "--user", dav.User, "--device", devices[0]); code != 0 {
		t.Fatalf("create: %s %s", out, errs)
	}
	for i := 1; i < 3; i++ {
		code, out, errs := runCmd(t, "sync", "invite", "--db", dbs[0], "--device", devices[i], "--login", datatest.Login,
			"--name", devices[i], "--roles", "tecnico,jefe_seccion,coordinador")
		if code != 0 {
			t.Fatalf("invite: %s %s", out, errs)
		}
		inv := out[strings.Index(out, "ENLACE1-"):]
		if code, _, errs := runCmd(t, "info", "--db", dbs[i]); code != 0 {
			t.Fatal(errs)
		}
		if code, out, errs := runCmd(t, "sync", "join", "--db", dbs[i], "--user", dav.User, strings.TrimSpace(inv)); code != 0 {
			t.Fatalf("join: %s %s", out, errs)
		}
	}

	fp.on.Store(true)
	rng := rand.New(rand.NewPCG(3, 4))
	written := 0
	for round := range 8 {
		for i, db := range dbs {
			write(t, db, fmt.Sprintf("Persona %s %d", devices[i], round))
			written++
			kill := time.Duration(0)
			if rng.IntN(2) == 0 {
				kill = time.Duration(20+rng.IntN(250)) * time.Millisecond
			}
			syncProcess(t, db, kill)
		}
	}
	fp.on.Store(false)
	for range 2 {
		for _, db := range dbs {
			if code, out, errs := runCmd(t, "sync", "--once", "--db", db); code != 0 {
				t.Fatalf("sync after the faults: %s %s", out, errs)
			}
		}
	}
	t.Logf("%d requests failed, dropped or stalled by the proxy", fp.faults.Load())
	var hashes []string
	for _, db := range dbs {
		_, out, _ := runCmd(t, "info", "--db", db, "--json")
		var c data.Counts
		_ = json.Unmarshal([]byte(out), &c)
		if c.People != 10+written {
			t.Errorf("%s holds %d people, want %d (10 of the demo and %d written)", filepath.Base(db), c.People, 10+written, written)
		}
		_, out, _ = runCmd(t, "sync", "status", "--json", "--db", db)
		var st struct {
			Pending   int    `json:"pending"`
			StateHash string `json:"state_hash"`
		}
		_ = json.Unmarshal([]byte(out), &st)
		if st.Pending != 0 {
			t.Errorf("%s still has %d changes to send", filepath.Base(db), st.Pending)
		}
		hashes = append(hashes, st.StateHash)
	}
	if hashes[0] != hashes[1] || hashes[1] != hashes[2] {
		t.Errorf("the installs did not converge: %v", hashes)
	}
}
