package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSyncStatusCountsRefused: a technician's install sends an inclusion
// (its own database lets its user include; the space says technician).
// The administrator's `enlace sync --once` still succeeds, and
// `enlace sync status` counts the refused batch and says why, in JSON
// and in text.
func TestSyncStatusCountsRefused(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north, south := twoOffices(t, dav, "tecnico")
	var code int
	var out, errs string
	st, err := data.Open(south, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Amina", LastName: "Benali", DocKind: data.DocNIE, DocNumber: "X1234567L", Regular: true,
		ArrivalDate: data.Date{Year: 2023, Month: time.June, Day: 1}}
	if err := st.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	r := data.Referral{PersonID: p.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-6m-1a", Date: data.DateOf(time.Now()), Profile: "otros"}
	if err := st.Propose(&r, datatest.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(r.ID, data.Change{Action: data.ActInclude}, datatest.Name); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, out, errs = runCmd(t, "sync", "--once", "--db", south); code != 0 {
		t.Fatalf("south sync: exit %d, %s %s", code, out, errs)
	}
	if code, out, errs = runCmd(t, "sync", "--once", "--db", north); code != 0 {
		t.Fatalf("north sync with a refused batch: exit %d, %s %s", code, out, errs)
	}
	today := time.Now().In(data.Madrid()).Format("02/01/2006")
	if code, out, _ = runCmd(t, "sync", "status", "--db", south); code != 0 || !strings.Contains(out, "Último envío de este equipo: "+today+" ") {
		t.Errorf("south's status after it sent: exit %d, %s", code, out)
	}
	code, out, errs = runCmd(t, "sync", "status", "--json", "--db", north)
	var status struct {
		RefusedBatches int `json:"refused_batches"`
		Refused        []struct {
			Device string   `json:"device"`
			Seq    uint64   `json:"seq"`
			What   []string `json:"what"`
		} `json:"refused"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &status) != nil || status.RefusedBatches != 1 || len(status.Refused) != 1 ||
		status.Refused[0].Device != "sur" || status.Refused[0].Seq != 1 || strings.Join(status.Refused[0].What, ",") != "incluir en el programa" {
		t.Errorf("status --json: exit %d, %s %s", code, out, errs)
	}
	code, out, _ = runCmd(t, "sync", "status", "--db", north)
	if code != 0 || !strings.Contains(out, "Lotes rechazados: 1\n  lote 1 de sur, ") ||
		!strings.Contains(out, "el usuario Oficina Sur (técnico/a) no puede incluir en el programa; espera la decisión de la administración") {
		t.Errorf("status: exit %d, %s", code, out)
	}
}

// TestSyncStatusShowsBroken: the south office's only batch is missing
// from the server (deleted by hand). The north office's
// `enlace sync --once` still succeeds, and `enlace sync status` lists
// the batch held back, with its cause, as one that cannot be skipped.
func TestSyncStatusShowsBroken(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north, south := twoOffices(t, dav, "coordinador")
	var code int
	var out, errs string
	st, err := data.Open(south, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Amina", LastName: "Benali", Phone1: "612345678"}
	if err := st.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, out, errs = runCmd(t, "sync", "--once", "--db", south); code != 0 {
		t.Fatalf("south sync: exit %d, %s %s", code, out, errs)
	}
	if err := os.Remove(filepath.Join(dav.Dir, "Enlace", "devices", "sur", "ops", fmt.Sprintf("%016x.age", 1))); err != nil {
		t.Fatal(err)
	}
	if code, out, errs = runCmd(t, "sync", "--once", "--db", north); code != 0 {
		t.Fatalf("north sync with a batch missing: exit %d, %s %s", code, out, errs)
	}
	code, out, _ = runCmd(t, "sync", "status", "--db", north)
	if code != 0 || !strings.Contains(out, "Lotes rechazados: 1\n  lote 1 de sur, ") ||
		!strings.Contains(out, "no se puede aplicar: falta en el servidor; no se puede omitir: cada sincronización lo vuelve a intentar") {
		t.Errorf("status: exit %d, %s", code, out)
	}
}

// twoOffices makes two databases: north creates the space on dav, and
// south joins it as «Oficina Sur» with the role given.
func twoOffices(t *testing.T, dav *datatest.DAV, role string) (north, south string) {
	t.Helper()
	north, south = newDB(t), newDB(t)
	for _, db := range []string{north, south} {
		if code, _, errs := runCmd(t, "info", "--db", db); code != 0 {
			t.Fatalf("create %s: %s", db, errs)
		}
	}
	if code, out, errs := runCmd(t, "sync", "create", "--db", north, "--url", dav.URL("Enlace"), "--user", dav.User, "--device", "norte"); code != 0 {
		t.Fatalf("create: exit %d, %s %s", code, out, errs)
	}
	code, out, errs := runCmd(t, "sync", "invite", "--db", north, "--device", "sur", "--login", datatest.Login,
		"--name", "Oficina Sur", "--roles", role)
	if code != 0 {
		t.Fatalf("invite: exit %d, %s %s", code, out, errs)
	}
	if code, out, errs = runCmd(t, "sync", "join", "--db", south, "--user", dav.User, inviteCode(out)); code != 0 {
		t.Fatalf("join: exit %d, %s %s", code, out, errs)
	}
	return north, south
}

// TestSyncRepair: the south office's only batch is missing from the
// server, and north holds it back. `enlace sync repair` at south finds
// it and publishes it again; north's next sync takes it, its refusal is
// gone from `enlace sync status --json`, the person reaches north, and
// south's status mentions the repair. A second repair finds nothing.
func TestSyncRepair(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north, south := twoOffices(t, dav, "coordinador")
	st, err := data.Open(south, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Amina", LastName: "Benali", Phone1: "612345678"}
	if err := st.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, out, errs := runCmd(t, "sync", "--once", "--db", south); code != 0 {
		t.Fatalf("south sync: exit %d, %s %s", code, out, errs)
	}
	if err := os.Remove(filepath.Join(dav.Dir, "Enlace", "devices", "sur", "ops", fmt.Sprintf("%016x.age", 1))); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCmd(t, "sync", "--once", "--db", north); code != 0 {
		t.Fatalf("north sync with a batch missing: exit %d, %s %s", code, out, errs)
	}
	code, out, errs := runCmd(t, "sync", "repair", "--db", south)
	if code != 0 || !strings.Contains(out, "Lote 1: falta en el servidor. Se ha publicado de nuevo como el lote 2 (") {
		t.Fatalf("repair: exit %d, %s %s", code, out, errs)
	}
	if code, out, errs := runCmd(t, "sync", "--once", "--db", north); code != 0 {
		t.Fatalf("north sync after the repair: exit %d, %s %s", code, out, errs)
	}
	code, out, errs = runCmd(t, "sync", "status", "--json", "--db", north)
	var status struct {
		RefusedBatches int               `json:"refused_batches"`
		Refused        []json.RawMessage `json:"refused"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &status) != nil || status.RefusedBatches != 0 || len(status.Refused) != 0 {
		t.Errorf("north's status --json after the repair: exit %d, %s %s", code, out, errs)
	}
	nst, err := data.Open(north, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	got, err := nst.Person(p.ID)
	nst.Close()
	if err != nil || got.LastName != "Benali" {
		t.Errorf("north after the repair: %+v, %v; want Amina Benali", got, err)
	}
	code, out, _ = runCmd(t, "sync", "status", "--db", south)
	if code != 0 || !strings.Contains(out, "Lote 1 de este equipo publicado de nuevo como el lote 2 el ") {
		t.Errorf("south's status does not mention its repair: exit %d, %s", code, out)
	}
	code, out, _ = runCmd(t, "sync", "repair", "--db", south)
	if code != 0 || !strings.Contains(out, "no hay nada que comprobar") && !strings.Contains(out, "no hay nada que reparar") ||
		strings.Contains(out, "publicado de nuevo") {
		t.Errorf("a second repair: exit %d, %s", code, out)
	}
}
