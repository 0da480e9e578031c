package nextcloud

// No Nextcloud can run on this machine: these tests pull from
// nextcloudtest's server, which answers with responses recorded from the
// Forms app's documentation and source.

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud/nextcloudtest"
)

func newServer(t *testing.T) (*nextcloudtest.Server, *Client) {
	f := nextcloudtest.New(t)
	return f, &Client{BaseURL: f.URL, User: nextcloudtest.User, Password: nextcloudtest.Password, HTTP: &http.Client{Timeout: 5 * time.Second}}
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
	if len(f.Deletes()) != 1 || f.Deletes()[0] != 31 {
		t.Errorf("deleted %v, want only 31 (the imported one)", f.Deletes())
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
	if f.Deleted(32) || f.Deleted(33) {
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
	f.DropDeletes(1) // the connection dies while deleting: the import is recorded, the submission still there
	_, err := c.Pull(s, 7, "Coordinadora", nil)
	if err == nil || !strings.Contains(err.Error(), "ya está importada") {
		t.Fatalf("err = %v", err)
	}
	if f.Deleted(31) {
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
	if got.Result.Rows != 0 || got.Result.Skipped != 1 || got.Deleted != 1 || !f.Deleted(31) {
		t.Errorf("after restart: %+v, DELETEs %v", got, f.Deletes())
	}
	if n := len(people(t, s)); n != 1 {
		t.Errorf("%d people after the retry, want 1: the crash duplicated", n)
	}
	refs, _ := s.Referrals(data.ReferralFilter{})
	if len(refs) != 1 {
		t.Errorf("%d referrals, want 1", len(refs))
	}
	if want := []int{31, 31}; len(f.Deletes()) != 2 || f.Deletes()[0] != 31 || f.Deletes()[1] != 31 {
		t.Errorf("DELETEs %v, want %v", f.Deletes(), want)
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
	if len(people(t, s)) != 0 || len(f.Deletes()) != 0 {
		t.Error("a refused preview wrote or deleted")
	}
}

func TestHTTPErrorsInSpanish(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(*nextcloudtest.Server, *Client)
		form   int
		status int
		want   string
	}{
		{"401", func(_ *nextcloudtest.Server, c *Client) { c.Password = "mala" }, 7, 401, "contraseña de aplicación"},
		{"404", nil, 8, 404, "No existe el formulario 8"},
		{"500", func(f *nextcloudtest.Server, _ *Client) { f.FailWith(500) }, 7, 500, "El servidor Nextcloud ha fallado (HTTP 500)"},
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

// TestNoAnswerInSpanish: a server whose certificate is not trusted (a real
// TLS server, self-signed), a name that does not resolve and a closed port
// are each named.
func TestNoAnswerInSpanish(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsSrv.Close)
	closed := datatest.DeadURL("")
	for _, tc := range []struct {
		name, url, want string
	}{
		{"self-signed", tlsSrv.URL, "El certificado de " + tlsSrv.URL + " no es de confianza"},
		{"no such name", "https://nube.invalid", "No se encuentra el servidor https://nube.invalid"},
		{"closed port", closed, "no se puede conectar con Nextcloud (" + closed + ")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{BaseURL: tc.url, User: "u", Password: "p", HTTP: &http.Client{Timeout: 5 * time.Second}}
			_, err := c.Form(7)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want «%s…»", err, tc.want)
			}
		})
	}
}
