package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
	"golang.org/x/net/webdav"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

const cliPassphrase = "una frase larga de prueba"

// backupSetup gives the test a demo database, an in-memory credential
// store (never the user's) and no terminal, and returns the database path.
func backupSetup(t *testing.T) string {
	t.Helper()
	keyring.MockInit()
	noTerminalForTest(t)
	return newDemo(t, "120")
}

// noTerminalForTest makes the commands see no terminal, as under cron.
func noTerminalForTest(t *testing.T) {
	old := terminal
	terminal = func(io.Writer) asker { return nil }
	t.Cleanup(func() { terminal = old })
}

// fakeTerminal answers the commands' questions in order.
type fakeTerminal struct{ answers []string }

func (f *fakeTerminal) ask(prompt string, secret bool) (string, error) {
	if len(f.answers) == 0 {
		return "", io.EOF
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a, nil
}

func onlyBackup(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("backup folder holds %v (%v), want one backup", entries, err)
	}
	return entries[0].Name()
}

func TestBackupListRestoreFolder(t *testing.T) {
	db := backupSetup(t)
	t.Setenv(envPassphrase, cliPassphrase)
	dest := filepath.Join(t.TempDir(), "USB", "Enlace")
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		t.Fatal(err)
	}
	someone := someSurname(t, db)

	code, out, errs := runCmd(t, "backup", "--db", db, "--to", dest)
	if code != 0 || !strings.HasPrefix(out, "Copia guardada en "+dest+": enlace-") || !strings.Contains(out, "120 personas") {
		t.Fatalf("backup: exit %d, out %q, err %q", code, out, errs)
	}
	name := onlyBackup(t, dest)
	raw, _ := os.ReadFile(filepath.Join(dest, name))
	if bytes.Contains(raw, []byte(someone)) || !bytes.HasPrefix(raw, []byte("age-encryption.org/v1")) {
		t.Errorf("the backup is not an age file, or shows %q in plain text", someone)
	}

	code, out, _ = runCmd(t, "backup", "list", "--from", dest)
	if code != 0 || !strings.Contains(out, name) || !strings.Contains(out, "1 copias") {
		t.Errorf("backup list: exit %d, %q; want %s", code, out, name)
	}

	// change the database, then restore: the change is gone and kept aside
	s, err := data.Open(db, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Después", LastName: "De La Copia"}
	if err := s.CreatePerson(&p, "Test"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs = runCmd(t, "restore", name, "--db", db, "--from", dest)
	if code != 0 || !strings.Contains(out, "Restaurada la copia "+name) || !strings.Contains(out, "120 personas") ||
		!strings.Contains(out, ".before-restore") {
		t.Fatalf("restore: exit %d, out %q, err %q", code, out, errs)
	}
	_, info, _ := runCmd(t, "info", "--db", db, "--json")
	if !strings.Contains(info, `"people":120`) {
		t.Errorf("after restore, info = %s; want 120 people", info)
	}
	befores, _ := filepath.Glob(db + ".*.before-restore")
	if len(befores) != 1 {
		t.Errorf("before-restore copies: %v, want one", befores)
	}

	// a backup given by its path, and "latest"
	if code, _, errs := runCmd(t, "restore", filepath.Join(dest, name), "--db", db); code != 0 {
		t.Errorf("restore by path: exit %d, %q", code, errs)
	}
	if code, _, errs := runCmd(t, "restore", "latest", "--from", dest, "--db", db); code != 0 {
		t.Errorf("restore latest: exit %d, %q", code, errs)
	}
}

func TestBackupPassphraseSources(t *testing.T) {
	db := backupSetup(t)
	dest := t.TempDir()

	code, _, errs := runCmd(t, "backup", "--db", db, "--to", dest)
	if code != 2 || !strings.Contains(errs, envPassphrase) {
		t.Errorf("no terminal, no variable: exit %d, %q; want 2 naming %s", code, errs, envPassphrase)
	}

	// a terminal: a new passphrase is asked twice
	terminal = func(io.Writer) asker { return &fakeTerminal{answers: []string{cliPassphrase, "otra cosa distinta"}} }
	if code, _, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 2 || !strings.Contains(errs, "no coinciden") {
		t.Errorf("two different answers: exit %d, %q", code, errs)
	}
	terminal = func(io.Writer) asker { return &fakeTerminal{answers: []string{"corta", "corta"}} }
	if code, _, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 2 || !strings.Contains(errs, "al menos") {
		t.Errorf("short passphrase: exit %d, %q", code, errs)
	}
	terminal = func(io.Writer) asker { return &fakeTerminal{answers: []string{cliPassphrase, cliPassphrase}} }
	if code, _, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 0 {
		t.Fatalf("backup from the terminal: exit %d, %q", code, errs)
	}
	name := onlyBackup(t, dest)

	terminal = func(io.Writer) asker { return &fakeTerminal{answers: []string{"no es la contraseña"}} }
	code, _, errs = runCmd(t, "restore", name, "--from", dest, "--db", db)
	if code != 1 || !strings.Contains(errs, "la contraseña no abre esta copia") {
		t.Errorf("wrong passphrase: exit %d, %q", code, errs)
	}

	// another passphrase for new backups is refused: it is not the one before
	t.Setenv(envPassphrase, "otra frase distinta de la primera")
	if code, _, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 2 || !strings.Contains(errs, "no es la contraseña de las copias anteriores") {
		t.Errorf("a different passphrase: exit %d, %q", code, errs)
	}
	if got := onlyBackup(t, dest); got != name { // checked alongside the backup, before it reaches the folder
		t.Errorf("after the refused passphrase the folder holds %s, want only %s", got, name)
	}
	t.Setenv(envPassphrase, "")

	// the credential store, where Ajustes keeps it
	if err := keyring.Set("Enlace", "backup-passphrase", cliPassphrase); err != nil {
		t.Fatal(err)
	}
	noTerminalForTest(t)
	if code, _, errs := runCmd(t, "restore", name, "--from", dest, "--db", db); code != 0 {
		t.Errorf("passphrase from the credential store: exit %d, %q", code, errs)
	}
}

func TestBackupErrors(t *testing.T) {
	db := backupSetup(t)
	t.Setenv(envPassphrase, cliPassphrase)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no destination", []string{"backup", "--db", db}, 2, "no hay destinos de copia configurados"},
		{"unplugged disk", []string{"backup", "--db", db, "--to", "/media/no-existe/USB/Enlace"}, 1, "no se encuentra la carpeta"},
		{"extra argument", []string{"backup", "--db", db, "ahora"}, 2, "argumento de más"},
		{"restore without name", []string{"restore", "--db", db}, 2, "falta la copia"},
		{"restore missing", []string{"restore", "enlace-20200101T000000Z.age", "--from", t.TempDir(), "--db", db}, 1, "no se encuentra la copia"},
		{"unreachable", []string{"backup", "--db", db, "--to", "http://127.0.0.1:1/remote.php/dav/files/ana/Enlace/"}, 2, envDAVPass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.want)
			}
		})
	}
}

func TestRestoreRefusesOpenDatabase(t *testing.T) {
	db := backupSetup(t)
	t.Setenv(envPassphrase, cliPassphrase)
	dest := t.TempDir()
	if code, _, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 0 {
		t.Fatalf("backup: %d %q", code, errs)
	}
	s, err := data.Open(db, datatest.Options(nil)) // Enlace's window has it open
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code, _, errs := runCmd(t, "restore", onlyBackup(t, dest), "--from", dest, "--db", db)
	if code != 1 || !strings.Contains(errs, "cierre la ventana de Enlace") {
		t.Errorf("restore over an open database: exit %d, %q", code, errs)
	}
}

// TestBackupWebDAVCredentials uses a WebDAV server on 127.0.0.1 with basic
// authentication (the full WebDAV tests, with Apache, are in data/backup).
func TestBackupWebDAVCredentials(t *testing.T) {
	db := backupSetup(t)
	t.Setenv(envPassphrase, cliPassphrase)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "Enlace"), 0o700); err != nil {
		t.Fatal(err)
	}
	dav := &webdav.Handler{Prefix: "/remote.php/dav/files/ana", FileSystem: webdav.Dir(dir), LockSystem: webdav.NewMemLS()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ana" || p != "app-pass" {
			w.Header().Set("WWW-Authenticate", `Basic realm="nube"`)
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		dav.ServeHTTP(w, r)
	}))
	defer srv.Close()
	url := srv.URL + "/remote.php/dav/files/ana/Enlace/"

	t.Setenv(envDAVUser, "ana")
	t.Setenv(envDAVPass, "mala")
	if code, _, errs := runCmd(t, "backup", "--db", db, "--to", url); code != 1 || !strings.Contains(errs, "no acepta el usuario") {
		t.Errorf("wrong app password: exit %d, %q", code, errs)
	}
	t.Setenv(envDAVPass, "app-pass")
	code, out, errs := runCmd(t, "backup", "--db", db, "--to", url)
	if code != 0 {
		t.Fatalf("backup to WebDAV: exit %d, %q", code, errs)
	}
	if !strings.Contains(out, url) || strings.Contains(out+errs, "app-pass") {
		t.Errorf("output %q: want the URL and never the password", out)
	}
	// the password from the credential store instead of the variable
	t.Setenv(envDAVPass, "")
	if err := keyring.Set("Enlace", "webdav:ana@"+strings.TrimSuffix(url, "/"), "app-pass"); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCmd(t, "backup", "list", "--from", url)
	if code != 0 || !strings.Contains(out, "1 copias") {
		t.Errorf("backup list with the stored password: exit %d, %q, %q", code, out, errs)
	}
}
