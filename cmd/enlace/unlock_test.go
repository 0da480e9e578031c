package main

import (
	"os"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestMain unlocks every command of these tests as the test user: the
// databases they make (with `enlace demo` or datatest) have that user.
func TestMain(m *testing.M) {
	// A test that needs enlace as a process of its own (to kill it with
	// SIGKILL, say) runs this binary with ENLACE_TEST_MAIN set to the
	// arguments, separated by new lines.
	if args := os.Getenv("ENLACE_TEST_MAIN"); args != "" {
		os.Exit(run(strings.Split(args, "\n"), os.Stdout, os.Stderr))
	}
	os.Setenv(envUser, datatest.Login)
	os.Setenv(envDBPass, datatest.Passphrase)
	os.Exit(m.Run())
}

func TestCommandsNeedTheUsersPassphrase(t *testing.T) {
	path := newDemo(t, "20")
	for _, c := range []struct {
		name, user, pass, want string
	}{
		{"wrong passphrase", datatest.Login, "no es esta", "usuario o contraseña incorrectos"},
		{"unknown user", "nadie", datatest.Passphrase, "usuario o contraseña incorrectos"},
		{"nothing given, no terminal", "", "", "no hay terminal para preguntar el usuario y la contraseña"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(envUser, c.user)
			t.Setenv(envDBPass, c.pass)
			code, _, errs := runCmd(t, "info", "--db", path)
			if code != 1 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, c.want)
			}
		})
	}
	if code, out, errs := runCmd(t, "info", "--db", path); code != 0 || !strings.Contains(out, "20") {
		t.Errorf("with the right passphrase: exit %d, %q, %q", code, out, errs)
	}
}

func TestDemoFileIsEncrypted(t *testing.T) {
	path := newDemo(t, "100")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	surname := someSurname(t, path)
	for _, s := range []string{surname, "Oficina Norte", `"first_name"`} {
		if strings.Contains(string(raw), s) {
			t.Errorf("the demo database file shows %q", s)
		}
	}
}
