// Package nextcloudtest serves, from an httptest server on 127.0.0.1, the
// Forms app's OCS API (v3) for form 7 with responses recorded from the
// app's documentation (docs/API_v3.md) and source
// (lib/Controller/ApiController.php, lib/Service/SubmissionService.php):
// the OCS envelope, the form, its submissions, the lists of owned and
// shared forms, and the failure envelopes Nextcloud's OCS layer writes for
// 401 and 404. No Nextcloud can run on the test machines (it needs PHP, a
// database and the Forms app); the server keeps the submissions it has not
// deleted, as the real one does. The package nextcloud's tests and the
// window's use it.
package nextcloudtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The account the server accepts, and form 7's address.
const (
	User     = "coordinacion"
	Password = "Xk7pQ-aaaaa-bbbbb-ccccc-ddddd"
	FormID   = 7
	Base     = "/ocs/v2.php/apps/forms/api/v3/forms/7"
	// Hash and Share are form 7's hash (its edit link's last part) and its
	// public link's token, as form.json gives them.
	Hash  = "em4djk8B9BpXnkYG"
	Share = "dYcTWjrSsxjMFFQzFAywzq5J"
)

const formsRoot = "/ocs/v2.php/apps/forms/api/v3/forms"

// Server is the recorded Forms app. Its fields may be set before the
// requests they change; read what it received with its methods.
type Server struct {
	URL string // http://127.0.0.1:PORT, the Nextcloud root

	t         testing.TB
	mu        sync.Mutex
	deleted   map[int]bool
	deletes   []int // DELETEs received, in order
	dropNext  int   // DELETEs to answer by closing the connection (a crash)
	status    int   // when set, every request answers this status
	requested []string
}

// New starts the server; it stops when t ends.
func New(t testing.TB) *Server {
	s := &Server{t: t, deleted: map[int]bool{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Deletes returns the submissions whose DELETE the server received, in order.
func (s *Server) Deletes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.deletes...)
}

// Deleted reports whether submission id is gone from the server.
func (s *Server) Deleted(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleted[id]
}

// Requested returns "METHOD /path" of every request received.
func (s *Server) Requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requested...)
}

// DropDeletes makes the next n DELETEs close the connection before the
// submission is deleted, as a crash or a dropped network would.
func (s *Server) DropDeletes(n int) {
	s.mu.Lock()
	s.dropNext = n
	s.mu.Unlock()
}

// FailWith makes every authenticated request answer status (500 is an
// HTML error page, as a PHP crash gives).
func (s *Server) FailWith(status int) {
	s.mu.Lock()
	s.status = status
	s.mu.Unlock()
}

// testdata is data/forms/nextcloud/testdata, wherever the tests run.
func testdata(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", name)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requested = append(s.requested, r.Method+" "+r.URL.Path)
	if r.Header.Get("OCS-APIRequest") != "true" {
		w.WriteHeader(http.StatusPreconditionFailed)
		w.Write([]byte(`{"message":"CSRF check failed"}`))
		return
	}
	if r.Header.Get("Accept") != "application/json" {
		s.t.Errorf("%s %s: Accept %q", r.Method, r.URL.Path, r.Header.Get("Accept"))
	}
	if u, p, ok := r.BasicAuth(); !ok || u != User || p != Password {
		s.serve(w, http.StatusUnauthorized, "401.json")
		return
	}
	if s.status == http.StatusInternalServerError {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		w.Write([]byte("<html><body><h1>Internal Server Error</h1></body></html>"))
		return
	}
	switch {
	case r.Method == "GET" && r.URL.Path == formsRoot && r.URL.Query().Get("type") == "shared":
		s.serve(w, 200, "forms-shared.json")
	case r.Method == "GET" && r.URL.Path == formsRoot:
		s.serve(w, 200, "forms.json")
	case r.Method == "GET" && r.URL.Path == Base:
		s.serve(w, 200, "form.json")
	case r.Method == "GET" && r.URL.Path == Base+"/submissions":
		s.submissions(w)
	case r.Method == "DELETE" && strings.HasPrefix(r.URL.Path, Base+"/submissions/"):
		s.delete(w, strings.TrimPrefix(r.URL.Path, Base+"/submissions/"))
	default:
		s.serve(w, 404, "404.json")
	}
}

// submissions serves submissions.json without those deleted.
func (s *Server) submissions(w http.ResponseWriter) {
	var env map[string]map[string]map[string]json.RawMessage
	raw, err := os.ReadFile(testdata("submissions.json"))
	if err == nil {
		err = json.Unmarshal(raw, &env)
	}
	if err != nil {
		s.t.Errorf("submissions.json: %v", err)
		w.WriteHeader(500)
		return
	}
	var subs []map[string]any
	json.Unmarshal(env["ocs"]["data"]["submissions"], &subs)
	kept := []map[string]any{}
	for _, sub := range subs {
		if !s.deleted[int(sub["id"].(float64))] {
			kept = append(kept, sub)
		}
	}
	env["ocs"]["data"]["submissions"], _ = json.Marshal(kept)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(env)
}

func (s *Server) delete(w http.ResponseWriter, sid string) {
	id, err := strconv.Atoi(sid)
	if err != nil || s.deleted[id] {
		s.serve(w, 404, "404.json")
		return
	}
	s.deletes = append(s.deletes, id)
	if s.dropNext > 0 {
		s.dropNext--
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	s.deleted[id] = true
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write([]byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":` + sid + `}}`))
}

func (s *Server) serve(w http.ResponseWriter, status int, name string) {
	raw, err := os.ReadFile(testdata(name))
	if err != nil {
		s.t.Errorf("fixture %s: %v", name, err)
		w.WriteHeader(500)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(raw)
}
