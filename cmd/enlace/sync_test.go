package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// inviteCode is the invitation's line in what `enlace sync invite`
// printed ("" when there is none).
func inviteCode(out string) string {
	var inv string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ENLACE1-") {
			inv = l
		}
	}
	return inv
}

// TestSyncCommands: an administrator creates the space on a real WebDAV
// server (Apache), invites a second office, which joins with the code;
// what one types the other gets, and `status --json` tells.
func TestSyncCommands(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north, south := newDemo(t, "20"), newDB(t)
	url := dav.URL("Enlace")

	code, out, errs := runCmd(t, "sync", "create", "--db", north, "--url", url, "--user", dav.User, "--device", "norte")
	if code != 0 || !strings.Contains(out, "Espacio de sincronización creado") {
		t.Fatalf("create: exit %d, %s %s", code, out, errs)
	}
	code, out, errs = runCmd(t, "sync", "invite", "--db", north, "--device", "sur", "--login", datatest.Login,
		"--name", "Oficina Sur", "--roles", "tecnico,coordinador")
	if code != 0 {
		t.Fatalf("invite: exit %d, %s %s", code, out, errs)
	}
	inv := inviteCode(out)
	if inv == "" || !strings.Contains(out, "Entréguela en persona") {
		t.Fatalf("invite printed %q", out)
	}
	if code, out, errs = runCmd(t, "sync", "--once", "--db", north); code != 0 || !strings.Contains(out, "cambios enviados") {
		t.Fatalf("north sync: exit %d, %s %s", code, out, errs)
	}
	// The south office has an empty database, opened by its user.
	if code, _, errs = runCmd(t, "info", "--db", south); code != 0 {
		t.Fatalf("create south: %s", errs)
	}
	if code, out, errs = runCmd(t, "sync", "join", "--db", south, "--user", dav.User, inv); code != 0 {
		t.Fatalf("join: exit %d, %s %s", code, out, errs)
	}
	if code, out, errs = runCmd(t, "sync", "--once", "--db", south); code != 0 {
		t.Fatalf("south sync: exit %d, %s %s", code, out, errs)
	}
	_, northInfo, _ := runCmd(t, "info", "--db", north, "--json")
	_, southInfo, _ := runCmd(t, "info", "--db", south, "--json")
	var n, s struct{ People, Events, Offices, Staff int }
	_ = json.Unmarshal([]byte(northInfo), &n)
	_ = json.Unmarshal([]byte(southInfo), &s)
	if n.People != 20 || s.People != n.People || s.Events != n.Events || s.Offices != n.Offices || s.Staff != n.Staff {
		t.Errorf("north holds %+v, south %+v after syncing", n, s)
	}
	code, out, errs = runCmd(t, "sync", "status", "--json", "--db", south)
	var st struct {
		Device  string `json:"device"`
		Pending int    `json:"pending"`
		Devices []struct {
			Device string `json:"device"`
		} `json:"devices"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Device != "sur" || st.Pending != 0 || len(st.Devices) != 2 {
		t.Errorf("status: exit %d, %s %s", code, out, errs)
	}
	// South synced and sent nothing: north's status says when all the same.
	// South's sync was minutes ago at most: its date is today's, or
	// yesterday's when the test runs across midnight.
	now := time.Now().In(data.Madrid())
	today, before := now.Format("02/01/2006"), now.Add(-10*time.Minute).Format("02/01/2006")
	code, out, errs = runCmd(t, "sync", "status", "--db", north)
	if line := statusLine(out, "sur"); code != 0 || !strings.Contains(line, "Oficina Sur") ||
		!strings.Contains(line, "— última sincronización: "+today) && !strings.Contains(line, "— última sincronización: "+before) {
		t.Errorf("north's status line for sur is %q (exit %d, %s), want «última sincronización: %s …»", line, code, errs, today)
	}
	code, out, _ = runCmd(t, "sync", "status", "--json", "--db", north)
	var seen struct {
		Seen map[string]time.Time `json:"seen"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &seen) != nil || seen.Seen["sur"].IsZero() {
		t.Errorf("north's status --json gives no last sync for sur: %s", out)
	}
	// The administrator removes the south install (a lost laptop): what
	// it sends afterwards reaches no one, and only the administrator can.
	if code, _, errs = runCmd(t, "sync", "remove", "--db", south, "--device", "norte"); code == 0 || !strings.Contains(errs, "solo el equipo de la administración") {
		t.Errorf("remove from a joined install: exit %d, %s", code, errs)
	}
	if code, out, errs = runCmd(t, "sync", "remove", "--db", north, "--device", "sur"); code != 0 || !strings.Contains(out, "ya no forma parte") ||
		!strings.Contains(out, "Equipo retirado: «sur»") || !strings.Contains(out, "no puede leer los cambios nuevos") || !strings.Contains(out, "clave n.º 2") {
		t.Fatalf("remove: exit %d, %s %s", code, out, errs)
	}
	if code, _, errs = runCmd(t, "sync", "remove", "--db", north, "--login", "nadie"); code == 0 || !strings.Contains(errs, "no tiene ningún equipo") {
		t.Errorf("remove a user without devices: exit %d, %s", code, errs)
	}
	if code, _, errs = runCmd(t, "sync", "remove", "--db", north, "--device", "sur", "--login", "nadie"); code != 2 {
		t.Errorf("remove with both --device and --login: exit %d, %s", code, errs)
	}
	writeOne := func(db string) {
		st, err := data.Open(db, datatest.Options(nil))
		if err != nil {
			t.Fatal(err)
		}
		p := data.Person{FirstName: "Escrita", LastName: "Tras La Baja", DocKind: data.DocPassport, DocNumber: "ZZ123456", Regular: true}
		if err := st.CreatePerson(&p, "prueba"); err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	writeOne(south)
	if _, out, _ = runCmd(t, "search", "--db", south, "Tras La Baja"); !strings.Contains(out, "Escrita") {
		t.Fatalf("search at south does not find what it wrote: %q", out)
	}
	runCmd(t, "sync", "--once", "--db", south)
	if code, out, errs = runCmd(t, "sync", "--once", "--db", north); code != 0 {
		t.Fatalf("north sync after the removal: exit %d, %s %s", code, out, errs)
	}
	if _, out, _ = runCmd(t, "search", "--db", north, "Tras La Baja"); strings.Contains(out, "Escrita") {
		t.Errorf("north took a person sent by the removed install: %s", out)
	}

	// A wrong app password names the cause.
	t.Setenv(envSyncPass, "otra")
	if code, _, errs = runCmd(t, "sync", "--once", "--db", south); code != 1 || !strings.Contains(errs, "contraseña de aplicación (401)") {
		t.Errorf("wrong password: exit %d, %s", code, errs)
	}
}

// statusLine is the line of `enlace sync status` that lists device.
func statusLine(out, device string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), device+" ") {
			return l
		}
	}
	return ""
}
