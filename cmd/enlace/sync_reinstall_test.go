package main

import (
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSyncReinstallSameInvitation: the south office loses its computer's
// data (a new database, no sync file) and joins again with the same
// invitation. What it types in the new database reaches the north office,
// and the new database gets back what south had sent before.
func TestSyncReinstallSameInvitation(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north := newDemo(t, "20")
	url := dav.URL("Enlace")
	if code, out, errs := runCmd(t, "sync", "create", "--db", north, "--url", url, "--user", dav.User, "--device", "norte"); code != 0 {
		t.Fatalf("create: exit %d, %s %s", code, out, errs)
	}
	code, out, errs := runCmd(t, "sync", "invite", "--db", north, "--device", "sur", "--login", datatest.Login,
		"--name", "Oficina Sur", "--roles", "tecnico,coordinador")
	inv := inviteCode(out)
	if code != 0 || inv == "" {
		t.Fatalf("invite: exit %d, %s %s", code, out, errs)
	}
	runCmd(t, "sync", "--once", "--db", north)
	writeOne := func(db, first, doc string) {
		st, err := data.Open(db, datatest.Options(nil))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		p := data.Person{FirstName: first, LastName: "De Sur", DocKind: data.DocPassport, DocNumber: doc, Regular: true}
		if err := st.CreatePerson(&p, "prueba"); err != nil {
			t.Fatal(err)
		}
	}
	join := func(db string) {
		if code, _, errs := runCmd(t, "info", "--db", db); code != 0 {
			t.Fatalf("create %s: %s", db, errs)
		}
		if code, out, errs := runCmd(t, "sync", "join", "--db", db, "--user", dav.User, inv); code != 0 {
			t.Fatalf("join: exit %d, %s %s", code, out, errs)
		}
	}
	sync := func(db string) {
		t.Helper()
		if code, out, errs := runCmd(t, "sync", "--once", "--db", db); code != 0 {
			t.Fatalf("sync %s: exit %d, %s %s", db, code, out, errs)
		}
	}
	south := newDB(t)
	join(south)
	writeOne(south, "Antes", "SA111111")
	sync(south)

	again := newDB(t) // reinstalled: a new database, in a new folder
	join(again)
	writeOne(again, "Después", "SB222222")
	sync(again)
	sync(north)
	sync(again)
	for _, c := range []struct{ db, who string }{{north, "north"}, {again, "the reinstalled south"}} {
		for _, first := range []string{"Antes", "Después"} {
			if _, out, _ := runCmd(t, "search", "--db", c.db, first+" De Sur"); !strings.Contains(out, first) {
				t.Errorf("%s does not find %s: %q", c.who, first, out)
			}
		}
	}
	_, out, _ = runCmd(t, "sync", "status", "--db", north)
	if !strings.Contains(out, "Lotes rechazados: 0") {
		t.Errorf("north holds something back after the reinstall: %s", out)
	}
}
