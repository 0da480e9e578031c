package main

import (
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSyncRoles: at the office that created the space (Apache),
// `enlace sync roles` gives a user's device new roles, says so in
// Spanish, and `sync status` lists them; an unknown role and a missing
// --roles are refused with the reason, and nothing changes.
func TestSyncRoles(t *testing.T) {
	dav := datatest.StartApache(t, "")
	t.Setenv(envSyncPass, dav.Password)
	north := newDB(t)
	run := func(args ...string) (int, string, string) {
		t.Helper()
		return runCmd(t, append(args, "--db", north)...)
	}
	if code, _, errs := run("info"); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := run("sync", "create", "--url", dav.URL("Enlace"), "--user", dav.User, "--device", "norte"); code != 0 {
		t.Fatalf("create: exit %d, %s %s", code, out, errs)
	}
	if code, out, errs := run("sync", "invite", "--device", "sur", "--login", "laura", "--name", "Laura Sur", "--roles", "tecnico"); code != 0 {
		t.Fatalf("invite: exit %d, %s %s", code, out, errs)
	}

	code, out, errs := run("sync", "roles", "--login", "laura", "--roles", "coordinador, jefe_seccion")
	if code != 0 || !strings.Contains(out, "Funciones de Laura Sur (laura) cambiadas en el espacio: jefe/a de sección, coordinador/a. Equipos: sur.") ||
		!strings.Contains(out, "lo que sus equipos envíen desde ahora se juzga con las funciones nuevas") {
		t.Errorf("roles: exit %d, %q %q", code, out, errs)
	}
	code, out, _ = run("sync", "status")
	if code != 0 || !strings.Contains(out, "Laura Sur (laura): jefe/a de sección, coordinador/a — ") {
		t.Errorf("status after the change: exit %d, %s", code, out)
	}
	code, out, _ = run("sync", "roles", "--login", "laura", "--roles", "jefe_seccion,coordinador")
	if code != 0 || !strings.Contains(out, "ya tenía estas funciones") {
		t.Errorf("the same roles again: exit %d, %q", code, out)
	}

	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown role", []string{"--login", "laura", "--roles", "jefa"}, 1, "función desconocida: «jefa»"},
		{"no roles", []string{"--login", "laura"}, 2, "roles necesita --login y --roles"},
		{"unknown login", []string{"--login", "nadie", "--roles", "tecnico"}, 1, "«nadie» no tiene ningún equipo"},
		{"the last administrator", []string{"--login", datatest.Login, "--roles", "coordinador"}, 1, "no puede quitarse esa función"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(append([]string{"sync", "roles"}, c.args...)...)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d (want %d), %q %q; want %q", code, c.code, out, errs, c.want)
			}
		})
	}
	if _, out, _ := run("sync", "status"); !strings.Contains(out, "Laura Sur (laura): jefe/a de sección, coordinador/a — ") {
		t.Errorf("a refused change changed the list: %s", out)
	}
}
