package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSyncCompact: `enlace sync compact` at the office that created the
// space, once the other has read everything, writes a snapshot and takes
// its batches off the server (Apache); a third office joins afterwards
// from the snapshot, with every person.
func TestSyncCompact(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north, south, east := newDemo(t, "15"), newDB(t), newDB(t)
	url := dav.URL("Enlace")
	must := func(want string, args ...string) string {
		t.Helper()
		code, out, errs := runCmd(t, args...)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("%v: exit %d, %s %s", args, code, out, errs)
		}
		return out
	}
	must("creado", "sync", "create", "--db", north, "--url", url, "--user", dav.User, "--device", "norte")
	invite := func(device string) string {
		out := must("ENLACE1-", "sync", "invite", "--db", north, "--device", device, "--login", datatest.Login,
			"--name", "Oficina "+device, "--roles", "tecnico,coordinador")
		return inviteCode(out)
	}
	joinAndSync := func(db, device string) {
		must("", "info", "--db", db)
		must("", "sync", "join", "--db", db, "--user", dav.User, invite(device))
		must("recibidos", "sync", "--once", "--db", db)
	}
	inv := invite("sur")
	must("cambios enviados", "sync", "--once", "--db", north)
	must("", "info", "--db", south)
	must("", "sync", "join", "--db", south, "--user", dav.User, inv)
	must("recibidos", "sync", "--once", "--db", south)

	batches := filepath.Join(dav.Dir, "Enlace", "devices", "norte", "ops")
	before, _ := os.ReadDir(batches)
	out := must("Instantánea 1 escrita", "sync", "compact", "--db", north)
	after, _ := os.ReadDir(batches)
	if len(before) == 0 || len(after) != 0 || !strings.Contains(out, "retirados del servidor: 1") {
		t.Errorf("compact printed %q; north's batches on the server went from %d to %d, want all gone", out, len(before), len(after))
	}
	joinAndSync(east, "este")
	var n, e struct{ People, Events int }
	_, northInfo, _ := runCmd(t, "info", "--db", north, "--json")
	_, eastInfo, _ := runCmd(t, "info", "--db", east, "--json")
	_ = json.Unmarshal([]byte(northInfo), &n)
	_ = json.Unmarshal([]byte(eastInfo), &e)
	if n.People != 15 || e != n {
		t.Errorf("north holds %+v, east (joined from the snapshot) %+v", n, e)
	}
}
