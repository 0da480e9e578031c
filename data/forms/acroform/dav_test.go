package acroform_test

import (
	"os"
	"strings"
	"testing"

	"github.com/studio-b12/gowebdav"

	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

// TestPullFolder: forms dropped into a WebDAV folder (real Apache
// mod_dav) are downloaded, imported, and deleted on the server after the
// commit; a bad one stays there for review; a second pull adds nothing.
func TestPullFolder(t *testing.T) {
	f := newFixture(t)
	dav := datatest.StartApache(t, "")
	up := gowebdav.NewClient(dav.URL(""), dav.User, dav.Password)
	if err := up.MkdirAll("Derivaciones", 0o755); err != nil {
		t.Fatal(err)
	}
	wrong := f.good(t)
	wrong[acroform.FieldDocNumber] = "X1234567A"
	for name, values := range map[string]map[string]string{"buena.pdf": f.good(t), "nie-mal.pdf": wrong} {
		raw, err := os.ReadFile(f.fill(t, name, values))
		if err != nil {
			t.Fatal(err)
		}
		if err := up.Write("Derivaciones/"+name, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	folder := acroform.Folder{URL: dav.URL("Derivaciones"), User: dav.User, Password: dav.Password}
	im, err := folder.Pull(f.s, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Result.NewPeople != 1 || len(im.Deleted) != 1 || im.Deleted[0] != "buena.pdf" || len(im.Problems) != 1 ||
		!strings.Contains(im.Problems[0].String(), "nie-mal.pdf: «Número de documento»: La letra del NIE no es correcta") {
		t.Fatalf("pull: %s; deleted %v; problems %v", im.Summary(), im.Deleted, im.Problems)
	}
	left, err := up.ReadDir("Derivaciones")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Name() != "nie-mal.pdf" {
		t.Errorf("left on the server: %v", left)
	}
	again, err := folder.Pull(f.s, "Coordinadora", nil)
	if err != nil || again.Result.Rows != 0 || len(again.Problems) != 1 {
		t.Errorf("second pull: %s, %v", again.Summary(), err)
	}
	if people, refs := countPeople(t, f.s); people != 1 || refs != 1 {
		t.Errorf("%d people, %d referrals; want 1, 1", people, refs)
	}
	bad := acroform.Folder{URL: folder.URL, User: dav.User, Password: "otra"}
	if _, err := bad.Pull(f.s, "Coordinadora", nil); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("wrong password: %v", err)
	}
}

// TestPullFolderRefusesPlainHTTP: the app password never travels in
// clear to another computer: an http:// address is refused with the
// reason, before any request, and nothing is written.
func TestPullFolderRefusesPlainHTTP(t *testing.T) {
	f := newFixture(t)
	folder := acroform.Folder{URL: "http://nube.example.org/remote.php/dav/files/ana/Derivaciones", User: "ana", Password: "secreta"}
	_, err := folder.Pull(f.s, "Coordinadora", nil)
	if err == nil || !strings.Contains(err.Error(), "debe empezar por https://") {
		t.Fatalf("pull over plain http: %v, want the https:// reason", err)
	}
	if c, _ := f.s.Count(); c.People != 0 {
		t.Errorf("the refused pull wrote %d people", c.People)
	}
}
