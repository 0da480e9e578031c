package nextcloud

// No Nextcloud can run on this machine (it needs PHP, a database and the
// Forms app), so these tests serve, from an httptest server, responses
// recorded from the Forms app's documentation (docs/API_v3.md) and its
// source (lib/Controller/ApiController.php, lib/Service/SubmissionService.php):
// the OCS envelope, the v3 form and submissions objects, and the failure
// envelopes Nextcloud's OCS layer writes for 401 and 404. The server keeps
// the submissions it has not deleted, as the real one does.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/forms"
)

const (
	user     = "coordinacion"
	password = "Xk7pQ-aaaaa-bbbbb-ccccc-ddddd"
	base     = "/ocs/v2.php/apps/forms/api/v3/forms/7"
)

// fakeForms serves the recorded fixtures for form 7.
type fakeForms struct {
	t         *testing.T
	mu        sync.Mutex
	deleted   map[int]bool
	deletes   []int // DELETEs received, in order
	dropNext  int   // DELETEs to answer by closing the connection (a crash)
	status    int   // when set, every request answers this status
	requested []string
}

func (f *fakeForms) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requested = append(f.requested, r.Method+" "+r.URL.Path)
	if r.Header.Get("OCS-APIRequest") != "true" {
		w.WriteHeader(http.StatusPreconditionFailed)
		w.Write([]byte(`{"message":"CSRF check failed"}`))
		return
	}
	if r.Header.Get("Accept") != "application/json" {
		f.t.Errorf("%s %s: Accept %q", r.Method, r.URL.Path, r.Header.Get("Accept"))
	}
	if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
		serve(f.t, w, http.StatusUnauthorized, "401.json")
		return
	}
	if f.status == http.StatusInternalServerError {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		w.Write([]byte("<html><body><h1>Internal Server Error</h1></body></html>"))
		return
	}
	switch {
	case r.Method == "GET" && r.URL.Path == base:
		serve(f.t, w, 200, "form.json")
	case r.Method == "GET" && r.URL.Path == base+"/submissions":
		var env map[string]map[string]map[string]json.RawMessage
		raw, _ := os.ReadFile("testdata/submissions.json")
		if err := json.Unmarshal(raw, &env); err != nil {
			f.t.Fatal(err)
		}
		var subs []map[string]any
		json.Unmarshal(env["ocs"]["data"]["submissions"], &subs)
		kept := []map[string]any{}
		for _, s := range subs {
			if !f.deleted[int(s["id"].(float64))] {
				kept = append(kept, s)
			}
		}
		env["ocs"]["data"]["submissions"], _ = json.Marshal(kept)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(env)
	case r.Method == "DELETE" && strings.HasPrefix(r.URL.Path, base+"/submissions/"):
		var id int
		if _, err := fmtSscan(strings.TrimPrefix(r.URL.Path, base+"/submissions/"), &id); err != nil || f.deleted[id] {
			serve(f.t, w, 404, "404.json")
			return
		}
		f.deletes = append(f.deletes, id)
		if f.dropNext > 0 {
			f.dropNext--
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		f.deleted[id] = true
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":` + strings.TrimPrefix(r.URL.Path, base+"/submissions/") + `}}`))
	default:
		serve(f.t, w, 404, "404.json")
	}
}

func serve(t *testing.T, w http.ResponseWriter, status int, name string) {
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(raw)
}

func newServer(t *testing.T) (*fakeForms, *Client) {
	f := &fakeForms{t: t, deleted: map[int]bool{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, &Client{BaseURL: srv.URL, User: user, Password: password, HTTP: &http.Client{Timeout: 5 * time.Second}}
}

func openStore(t *testing.T, path string) *data.Store {
	t.Helper()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	s, err := data.Open(path, datatest.Options(&data.Options{
		Now: func() time.Time { now = now.Add(time.Second); return now },
	}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func people(t *testing.T, s *data.Store) []string {
	t.Helper()
	cards, _ := s.Search("", 100)
	var out []string
	for _, c := range cards {
		out = append(out, c.FullName())
	}
	return out
}

func TestPullImportsDeletesAndKeepsBadOnes(t *testing.T) {
	f, c := newServer(t)
	s := openStore(t, filepath.Join(t.TempDir(), "enlace.db"))
	defer s.Close()
	got, err := c.Pull(s, 7, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Result.Rows != 1 || got.Deleted != 1 || len(got.Pending) != 2 {
		t.Fatalf("pull: %+v\n%s", got, got.Summary())
	}
	if names := people(t, s); len(names) != 1 || !strings.Contains(names[0], "Pérez") {
		t.Fatalf("people: %q", names)
	}
	cards, _ := s.Search("Pérez", 10)
	p, err := s.Person(cards[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.DocKind != data.DocNIE || p.DocNumber != "X1234567L" || p.Phone1 != "612345678" || p.Email != "maria.perez@gmail.com" {
		t.Errorf("person read from the answers by question ID: %+v", p)
	}
	if len(f.deletes) != 1 || f.deletes[0] != 31 {
		t.Errorf("deleted %v, want only 31 (the imported one)", f.deletes)
	}
	msgs := map[int]string{}
	for _, pd := range got.Pending {
		var b []string
		for _, pr := range pd.Problems {
			b = append(b, pr.Message)
		}
		msgs[pd.Submission.ID] = strings.Join(b, " ")
	}
	if !strings.Contains(msgs[32], "NIE") || !strings.Contains(msgs[33], "Falta el nombre") {
		t.Errorf("problems kept for review: %v", msgs)
	}
	if f.deleted[32] || f.deleted[33] {
		t.Error("a submission that was not imported was deleted")
	}
	// Again: nothing new, nothing deleted, the bad ones still there.
	again, err := c.Pull(s, 7, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Result.Rows != 0 || again.Deleted != 0 || len(again.Pending) != 2 || len(people(t, s)) != 1 {
		t.Errorf("second pull: %+v", again)
	}
}

func TestCrashBetweenRecordAndDelete(t *testing.T) {
	f, c := newServer(t)
	path := filepath.Join(t.TempDir(), "enlace.db")
	s := openStore(t, path)
	f.dropNext = 1 // the connection dies while deleting: the import is recorded, the submission still there
	_, err := c.Pull(s, 7, "Coordinadora", nil)
	if err == nil || !strings.Contains(err.Error(), "ya está importada") {
		t.Fatalf("err = %v", err)
	}
	if f.deleted[31] {
		t.Fatal("deleted although the connection dropped")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path) // the restart
	defer s.Close()
	got, err := c.Pull(s, 7, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Result.Rows != 0 || got.Result.Skipped != 1 || got.Deleted != 1 || !f.deleted[31] {
		t.Errorf("after restart: %+v, deleted %v", got, f.deleted)
	}
	if n := len(people(t, s)); n != 1 {
		t.Errorf("%d people after the retry, want 1: the crash duplicated", n)
	}
	refs, _ := s.Referrals(data.ReferralFilter{})
	if len(refs) != 1 {
		t.Errorf("%d referrals, want 1", len(refs))
	}
	if want := []int{31, 31}; len(f.deletes) != 2 || f.deletes[0] != 31 || f.deletes[1] != 31 {
		t.Errorf("DELETEs %v, want %v", f.deletes, want)
	}
}

func TestPreviewRefusedWritesNothing(t *testing.T) {
	f, c := newServer(t)
	s := openStore(t, filepath.Join(t.TempDir(), "enlace.db"))
	defer s.Close()
	_, err := c.Pull(s, 7, "Coordinadora", func(p *forms.Plan) bool {
		if r := p.Preview(true); r.Rows != 1 || r.Rejected != 2 {
			t.Errorf("preview %+v", r)
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(people(t, s)) != 0 || len(f.deletes) != 0 {
		t.Error("a refused preview wrote or deleted")
	}
}

func TestHTTPErrorsInSpanish(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(*fakeForms, *Client)
		form   int
		status int
		want   string
	}{
		{"401", func(_ *fakeForms, c *Client) { c.Password = "mala" }, 7, 401, "contraseña de aplicación"},
		{"404", nil, 8, 404, "No existe el formulario 8"},
		{"500", func(f *fakeForms, _ *Client) { f.status = 500 }, 7, 500, "El servidor Nextcloud ha fallado (HTTP 500)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := newServer(t)
			if tc.setup != nil {
				tc.setup(f, c)
			}
			s := openStore(t, filepath.Join(t.TempDir(), "enlace.db"))
			defer s.Close()
			_, err := c.Pull(s, tc.form, "Coordinadora", nil)
			var he *Error
			if !errors.As(err, &he) || he.Status != tc.status || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want HTTP %d «%s»", err, tc.status, tc.want)
			}
			if len(people(t, s)) != 0 {
				t.Error("wrote people on an error")
			}
		})
	}
}

func fmtSscan(s string, id *int) (int, error) { return fmt.Sscan(s, id) }
