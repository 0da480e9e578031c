package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// runCmd runs enlace in-process with args and returns its exit code and
// output. ENLACE_DB points into the test's folder so that no test can
// reach the user's database.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// newDemo creates a demo database of people people and returns its path.
func newDemo(t *testing.T, people string) string {
	t.Helper()
	t.Setenv("ENLACE_DB", filepath.Join(t.TempDir(), "no-usar.db"))
	path := filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := runCmd(t, "demo", "--db", path, "--people", people)
	if code != 0 {
		t.Fatalf("demo: exit %d, stderr %q", code, errs)
	}
	want := "Base de datos de demostración creada en " + path + ": 4 oficinas, 9 personas de personal, " + people + " personas, "
	if !strings.HasPrefix(out, want) || !strings.HasSuffix(out, " derivaciones.\n") {
		t.Errorf("demo printed %q, want it to start with %q", out, want)
	}
	return path
}

func TestDemoThenInfoAndSearch(t *testing.T) {
	path := newDemo(t, "200")

	code, out, errs := runCmd(t, "info", "--db", path, "--json")
	if code != 0 {
		t.Fatalf("info: exit %d, stderr %q", code, errs)
	}
	var info struct {
		Path string `json:"path"`
		data.Counts
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatalf("info --json printed %q: %v", out, err)
	}
	if info.Path != path || info.People != 200 || info.Offices != 4 || info.Staff != 9 || info.Events < 1000 {
		t.Errorf("info = %+v, want 200 people, 4 offices, 9 staff, ~1,600 events", info)
	}

	surname := someSurname(t, path)
	code, out, errs = runCmd(t, "search", "--db", path, "--json", surname)
	if code != 0 {
		t.Fatalf("search: exit %d, stderr %q", code, errs)
	}
	var found struct {
		Total int `json:"total"`
		Hits  []struct {
			Name string `json:"name"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatalf("search --json printed %q: %v", out, err)
	}
	if found.Total == 0 || len(found.Hits) == 0 || !strings.Contains(found.Hits[0].Name, surname) {
		t.Errorf("search %q = %+v, want people with that surname", surname, found)
	}
}

// someSurname returns the first surname of a person stored at path.
func someSurname(t *testing.T, path string) string {
	t.Helper()
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, _ := s.Search("", 100)
	if len(hits) < 100 {
		t.Fatalf("only %d people", len(hits))
	}
	return strings.Fields(hits[99].LastName)[0]
}

func TestDemoRefusesADatabaseWithPeople(t *testing.T) {
	path := newDemo(t, "20")
	code, out, errs := runCmd(t, "demo", "--db", path, "--people", "20")
	if code != 1 || out != "" {
		t.Errorf("second demo: exit %d, stdout %q; want exit 1 and nothing written", code, out)
	}
	if !strings.Contains(errs, "ya tiene 20 personas") || strings.Count(errs, "\n") != 1 {
		t.Errorf("second demo said %q, want one line saying the database has 20 people", errs)
	}

	code, out, errs = runCmd(t, "demo", "--db", path, "--people", "20", "--force")
	if code != 0 || !strings.Contains(out, "0 oficinas, 0 personas de personal, 20 personas") {
		t.Errorf("demo --force: exit %d, stdout %q, stderr %q; want 20 more people, offices reused", code, out, errs)
	}
	_, out, _ = runCmd(t, "info", "--db", path, "--json")
	if !strings.Contains(out, `"people":40`) || !strings.Contains(out, `"offices":4`) {
		t.Errorf("after --force, info = %s; want 40 people and 4 offices", out)
	}
}

func TestHelpListsEverySubcommand(t *testing.T) {
	code, out, _ := runCmd(t, "help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.usage) || !strings.Contains(out, c.summary) {
			t.Errorf("help does not list %s (%q)", c.name, c.usage)
		}
	}
}

func TestUnknownSubcommand(t *testing.T) {
	code, out, errs := runCmd(t, "exportar")
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	if !strings.Contains(errs, "no existe la orden «exportar»") || !strings.Contains(errs, "enlace help") {
		t.Errorf("stderr %q, want a Spanish message pointing to enlace help", errs)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"demo", "--people", "muchas"},
		{"demo", "--people", "0"},
		{"demo", "sobra"},
		{"info", "--nada"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Setenv("ENLACE_DB", filepath.Join(t.TempDir(), "x.db"))
			if code, _, errs := runCmd(t, args...); code != 2 || errs == "" {
				t.Errorf("exit %d, stderr %q; want 2 with a message", code, errs)
			}
		})
	}
}

func TestLockedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "abierta.db")
	held, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	start := time.Now()
	code, _, errs := runCmd(t, "info", "--db", path)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("info waited %v for the lock, want at most ~5 s", took)
	}
	if code != 1 || !strings.Contains(errs, "abierta") {
		t.Errorf("info on a locked file: exit %d, stderr %q; want 1 and a message saying it is open", code, errs)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 9: "9", 999: "999", 1612: "1.612", 100000: "100.000", 1000000: "1.000.000", -1234: "-1.234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCommandName checks which arguments are a command (on Windows they
// get the console they were typed in) and which open the window.
func TestCommandName(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no arguments", nil, "gui"},
		{"only the database", []string{"--db", `C:\x.db`}, "gui"},
		{"gui", []string{"gui", "--db", "x.db"}, "gui"},
		{"version", []string{"version"}, "version"},
		{"unknown command", []string{"nope"}, "nope"},
		{"-h lists the commands", []string{"-h"}, "help"},
		{"--help lists the commands", []string{"--help"}, "help"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := commandName(tt.args); got != tt.want {
				t.Errorf("commandName(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}
