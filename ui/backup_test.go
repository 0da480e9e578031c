package ui

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/net/webdav"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
)

const uiPassphrase = "frase de prueba bastante larga"

// backupTestApp is an app whose window shows the backup panel under its
// strip, with a person whose name must never appear in a backup, an
// in-memory credential store and cheap scrypt. It returns the panel and a
// channel told each time a backup or download has been dealt with.
func backupTestApp(t *testing.T) (*App, *backupPanel, chan struct{}) {
	t.Helper()
	u := officesTestApp(t)
	p := data.Person{FirstName: "Zoraida", LastName: "Quispe Huamaní", Phone1: "612345678"}
	if err := u.store.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	u.SetReopen(func(path string) (*data.Store, error) { return data.Open(path, datatest.Options(nil)) })
	b := newBackupPanel(u)
	u.backup = b
	b.keyring, b.logN = backup.Memory(), 10
	settled := make(chan struct{}, 4)
	b.settled = func() { settled <- struct{}{} }
	u.win.SetContent(container.NewBorder(b.warning(), nil, nil, nil, container.NewVScroll(b.content())))
	return u, b, settled
}

// wait waits for the panel to deal with a backup or download.
func wait(t *testing.T, settled chan struct{}) {
	t.Helper()
	select {
	case <-settled:
	case <-time.After(30 * time.Second):
		t.Fatal("the backup did not finish within 30 s")
	}
}

// withPassphrase sets the backups' passphrase as if typed earlier in the session.
func withPassphrase(t *testing.T, b *backupPanel) {
	t.Helper()
	check, err := backup.NewCheck(uiPassphrase, 10)
	if err != nil {
		t.Fatal(err)
	}
	b.cfg.Check = check
	if err := b.session.Set(backup.PassphraseKey, uiPassphrase); err != nil {
		t.Fatal(err)
	}
}

// backupsIn lists the backup files in dir.
func backupsIn(t *testing.T, dir string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "enlace-*.age"))
	return names
}

func TestBackupPanelBackupNow(t *testing.T) {
	u, b, settled := backupTestApp(t)
	if got := strings.Join(shownTexts(b.warning()), " "); !strings.Contains(got, "no tiene copias de seguridad") {
		t.Errorf("strip without destinations = %q, want a warning", got)
	}
	dir := filepath.Join(t.TempDir(), "USB")
	withPassphrase(t, b)
	b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: dir})
	if got := strings.Join(shownTexts(b.warning()), " "); !strings.Contains(got, "Aún no se ha hecho ninguna copia de seguridad en "+dir) {
		t.Errorf("strip before the first backup = %q", got)
	}

	test.Tap(b.nowBtn)
	wait(t, settled)

	files := backupsIn(t, dir)
	if len(files) != 1 {
		t.Fatalf("backups in the folder: %v, want one", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("age-encryption.org/v1\n")) {
		t.Errorf("the backup is not an age file: %q", raw[:40])
	}
	for _, secret := range []string{"Zoraida", "Quispe", "612345678"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the backup shows %q in plain text", secret)
		}
	}
	texts := strings.Join(shownTexts(b.content()), "\n")
	if !strings.Contains(texts, "Última copia correcta: ") || !strings.Contains(texts, "Copia terminada a las") {
		t.Errorf("panel after the backup:\n%s\nwant the last backup and the result", texts)
	}
	if got := shownTexts(b.warning()); len(got) != 0 {
		t.Errorf("strip after a good backup = %q, want nothing", got)
	}
	st, err := backup.LoadStatuses(u.store)
	if s := st[b.cfg.Destinations[0].Key()]; err != nil || s.LastName != filepath.Base(files[0]) {
		t.Errorf("stored status = %+v, %v; want the backup's name", s, err)
	}

	// and it opens with the passphrase, with the person in it
	stg, err := backup.Fetch(context.Background(), b.cfg.Destinations[0], filepath.Base(files[0]), uiPassphrase,
		filepath.Join(t.TempDir(), "x.db"), &backup.Options{})
	if err != nil || stg.Manifest.Counts.People != 1 {
		t.Fatalf("Fetch = %+v, %v; want one person", stg, err)
	}
	stg.Discard()
}

// TestBackupPanelAsksForPassphrase: the first backup asks for a new
// passphrase twice; it is then checked, remembered for the session, and
// the backups need nothing more.
func TestBackupPanelAsksForPassphrase(t *testing.T) {
	u, b, settled := backupTestApp(t)
	dir := t.TempDir()
	b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: dir})
	test.Tap(b.nowBtn)
	top := waitOverlay(t, u)
	var pw []*widget.Entry
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			pw = append(pw, e)
		}
	}
	if len(pw) != 2 {
		t.Fatalf("passphrase dialog has %d password boxes, want 2 (new passphrase and again)", len(pw))
	}
	test.Type(pw[0], uiPassphrase)
	test.Type(pw[1], uiPassphrase)
	confirmTop(t, u, "Continuar")
	wait(t, settled)
	if len(backupsIn(t, dir)) != 1 || b.cfg.Check == "" {
		t.Fatalf("after typing the passphrase: backups %v, check set %v", backupsIn(t, dir), b.cfg.Check != "")
	}
	if err := backup.VerifyCheck(b.cfg.Check, uiPassphrase); err != nil {
		t.Errorf("stored check does not match the passphrase: %v", err)
	}
	cfg, _ := backup.LoadConfig(u.store)
	if strings.Contains(cfg.Check, uiPassphrase) || cfg.Check == "" {
		t.Error("the stored settings hold the passphrase, or no check")
	}
}

func TestBackupPanelWarnings(t *testing.T) {
	u, b, _ := backupTestApp(t)
	d := backup.Destination{Kind: backup.KindWebDAV, URL: "https://nube.example.org/remote.php/dav/files/ana/Enlace/", User: "ana"}
	b.addDestination(d)
	now := u.store.Now()
	for _, tc := range []struct {
		name   string
		status backup.Status
		want   string
	}{
		{"failed", backup.Status{LastOK: now.Add(-time.Hour), LastTry: now, Failure: "full"}, "falló: No queda espacio en el servidor"},
		{"old", backup.Status{LastOK: now.Add(-30 * time.Hour), LastTry: now.Add(-30 * time.Hour)}, "es de hace más de 24 horas"},
		{"fine", backup.Status{LastOK: now.Add(-time.Hour), LastTry: now.Add(-time.Hour)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b.st = backup.Statuses{d.Key(): tc.status}
			b.refresh()
			got := strings.Join(shownTexts(b.warning()), " ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("strip = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBackupPanelRestore restores a backup over a changed database: the
// change is gone, the old file is kept, and Enlace is told to close.
func TestBackupPanelRestore(t *testing.T) {
	u, b, settled := backupTestApp(t)
	dir := t.TempDir()
	withPassphrase(t, b)
	d := backup.Destination{Kind: backup.KindFolder, Path: dir}
	b.addDestination(d)
	test.Tap(b.nowBtn)
	wait(t, settled)
	name := filepath.Base(backupsIn(t, dir)[0])
	later := data.Person{FirstName: "Añadida", LastName: "Después"}
	if err := u.store.CreatePerson(&later, datatest.Name); err != nil {
		t.Fatal(err)
	}
	path := u.store.Path()

	b.fetch(d, name, "no es la contraseña")
	wait(t, settled)
	if got := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " "); !strings.Contains(got, "La contraseña no abre esta copia") {
		t.Errorf("wrong passphrase dialog = %q", got)
	}
	u.dismissTop()
	if _, err := u.store.Person(later.ID); err != nil {
		t.Fatalf("the database changed after a wrong passphrase: %v", err)
	}

	quit := make(chan struct{})
	b.quit = func() { close(quit) }
	b.onRestore() // fills in the session's passphrase, lists the folder, picks the newest
	wait(t, settled)
	if got := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " "); !strings.Contains(got, "Copias encontradas: 1.") {
		t.Fatalf("restore dialog = %q, want the backup found", got)
	}
	confirmTop(t, u, "Descargar y comprobar")
	wait(t, settled)
	if got := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " "); !strings.Contains(got, "2 personas") && !strings.Contains(got, "1 personas") {
		t.Errorf("confirmation = %q, want what the backup holds", got)
	}
	confirmTop(t, u, "Restaurar y cerrar Enlace")
	confirmTop(t, u, "Aceptar")
	select {
	case <-quit:
	case <-time.After(5 * time.Second):
		t.Fatal("Enlace was not told to close after the restore")
	}
	s, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Person(later.ID); err == nil {
		t.Error("the person added after the backup is still there")
	}
	if cfg, _ := backup.LoadConfig(s); len(cfg.Destinations) != 1 {
		t.Errorf("restored database lost the backup settings: %+v", cfg)
	}
	if befores, _ := filepath.Glob(path + ".*.before-restore"); len(befores) != 1 {
		t.Errorf(".before-restore copies = %v, want one", befores)
	}
}

// TestBackupPanelBeforeClose: with "al cerrar" on, closing makes a backup
// and then lets the window close; with it off, it closes at once.
func TestBackupPanelBeforeClose(t *testing.T) {
	_, b, settled := backupTestApp(t)
	dir := t.TempDir()
	withPassphrase(t, b)
	b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: dir})
	closed := make(chan struct{})
	b.beforeClose(func() { close(closed) })
	wait(t, settled)
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the window was not let close after the backup")
	}
	if len(backupsIn(t, dir)) != 1 {
		t.Errorf("closing made %d backups, want 1", len(backupsIn(t, dir)))
	}

	_, b2, _ := backupTestApp(t)
	b2.onClose.SetChecked(false)
	b2.addDestination(backup.Destination{Kind: backup.KindFolder, Path: t.TempDir()})
	done := false
	b2.beforeClose(func() { done = true })
	if !done {
		t.Error("with the backup on close off, closing waited")
	}
}

// waitText waits for the newest dialog to show text.
func waitText(t *testing.T, u *App, text string) {
	t.Helper()
	for range 300 {
		if top := u.win.Canvas().Overlays().Top(); top != nil && strings.Contains(strings.Join(shownTexts(top), " "), text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no dialog shows %q", text)
}

// waitOverlay waits for a dialog to open (secrets are read off the UI
// goroutine first).
func waitOverlay(t *testing.T, u *App) fyne.CanvasObject {
	t.Helper()
	for range 300 {
		if top := u.win.Canvas().Overlays().Top(); top != nil {
			return top
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no dialog opened")
	return nil
}

// TestBackupScreenshots writes PNGs of the Ajustes backup section, in the
// whole 1280×800 main window, to the folder named by ENLACE_SHOTS; it is
// skipped otherwise.
func TestBackupScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u0, b0, settled := backupTestApp(t)
	usb := filepath.Join(t.TempDir(), "media", "USB-LAURA", "Enlace")
	if err := os.MkdirAll(usb, 0o755); err != nil {
		t.Fatal(err)
	}
	withPassphrase(t, b0)
	b0.addDestination(backup.Destination{Kind: backup.KindFolder, Path: usb})
	nube := backup.Destination{Kind: backup.KindWebDAV, URL: "https://nube.enlace-madrid.org/remote.php/dav/files/laura.martin/Enlace/", User: "laura.martin"}
	b0.addDestination(nube)
	_ = b0.session.Set(nube.Key(), "x")
	b0.cfg.Destinations = b0.cfg.Destinations[:1]
	test.Tap(b0.nowBtn)
	wait(t, settled)
	b0.cfg.Destinations = append(b0.cfg.Destinations, nube)
	b0.st.Record(nube, backup.Result{}, backup.ErrServerFull, u0.store.Now().Add(-2*time.Hour))
	b0.saveConfig()
	b0.saveStatuses()

	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Preferences().SetString(prefTheme, "light")
	u := New(a, u0.store, "test")
	u.backup.keyring = backup.Memory()
	u.tabs.SelectIndex(len(u.tabs.Items) - 1)
	sc := findScroll(u.settings.content())
	snap := func(name string) {
		t.Helper()
		settle(u.win.Canvas())
		shot(t, u, filepath.Join(dir, name))
	}
	if sc == nil {
		t.Fatal("Ajustes has no scroll")
	}
	settle(u.win.Canvas())
	sc.ScrollToOffset(fyne.NewPos(0, absY(u.backup.root, sc.Content)))
	snap("backup-ajustes.png")
	u.backup.onAddWebDAV()
	snap("backup-webdav.png")
	u.dismissTop()
	u.backup.onRestore()
	time.Sleep(300 * time.Millisecond)
	snap("backup-restore.png")
	u.dismissTop()
}

// findScroll returns the first scroll container in o.
func findScroll(o fyne.CanvasObject) *container.Scroll {
	if sc, ok := o.(*container.Scroll); ok {
		return sc
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, ch := range c.Objects {
			if sc := findScroll(ch); sc != nil {
				return sc
			}
		}
	}
	return nil
}

// absY is o's vertical position inside root.
func absY(o, root fyne.CanvasObject) float32 {
	var found float32 = -1
	var walk func(c fyne.CanvasObject, y float32)
	walk = func(c fyne.CanvasObject, y float32) {
		if found >= 0 {
			return
		}
		y += c.Position().Y
		if c == o {
			found = y
			return
		}
		var kids []fyne.CanvasObject
		switch x := c.(type) {
		case *fyne.Container:
			kids = x.Objects
		case fyne.Widget:
			kids = test.WidgetRenderer(x).Objects()
		}
		for _, k := range kids {
			walk(k, y)
		}
	}
	walk(root, -root.Position().Y)
	if found < 0 {
		return 0
	}
	return found
}

// TestBackupPanelAddWebDAV adds a WebDAV folder: a wrong app password is
// refused with the server's answer, the right one is checked and kept
// for the session, never in the settings; the daily tick then backs up
// there on its own.
func TestBackupPanelAddWebDAV(t *testing.T) {
	u, b, settled := backupTestApp(t)
	dir := t.TempDir()
	dav := &webdav.Handler{Prefix: "/remote.php/dav/files/ana", FileSystem: webdav.Dir(dir), LockSystem: webdav.NewMemLS()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ana" || p != "app-pass" {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		dav.ServeHTTP(w, r)
	}))
	defer srv.Close()
	url := srv.URL + "/remote.php/dav/files/ana/Enlace/"
	d := backup.Destination{Kind: backup.KindWebDAV, URL: url, User: "ana"}

	d.Password = "mala"
	b.checkWebDAV(d, false)
	top := waitOverlay(t, u)
	if got := strings.Join(shownTexts(top), " "); !strings.Contains(got, "no acepta el usuario") {
		t.Errorf("wrong app password: dialog %q", got)
	}
	u.dismissTop()
	if len(b.cfg.Destinations) != 0 {
		t.Fatal("a destination the server refused was added")
	}

	d.Password = "app-pass"
	b.checkWebDAV(d, false)
	var cfg backup.Config
	for range 300 { // what the store holds, once the panel has saved it
		if cfg, _ = backup.LoadConfig(u.store); len(cfg.Destinations) == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(cfg.Destinations) != 1 || cfg.Destinations[0].Password != "" {
		t.Fatalf("stored destinations = %+v, want one without password", cfg.Destinations)
	}
	if v, err := b.session.Get(d.Key()); err != nil || v != "app-pass" {
		t.Errorf("session password = %q, %v", v, err)
	}

	withPassphrase(t, b)
	b.tick()
	wait(t, settled)
	if entries, _ := os.ReadDir(filepath.Join(dir, "Enlace")); len(entries) != 1 {
		t.Errorf("the daily backup left %v on the server, want one backup", entries)
	}
	if s := b.st[d.Key()]; s.LastOK.IsZero() || s.Failed() {
		t.Errorf("status after the daily backup = %+v", s)
	}
	b.tick() // not due again today
	select {
	case <-settled:
		t.Error("a second daily backup ran the same day")
	case <-time.After(200 * time.Millisecond):
	}
}

// TestBackupPanelDailyWithoutPassphrase: the daily backup never asks; with
// no passphrase at hand it notes why and the strip says what to do.
func TestBackupPanelDailyWithoutPassphrase(t *testing.T) {
	u, b, _ := backupTestApp(t)
	d := backup.Destination{Kind: backup.KindFolder, Path: t.TempDir()}
	b.addDestination(d)
	b.tick()
	// The status is noted first and the strip redrawn after it (through
	// fyne.Do), so wait for what the user sees, not for the status.
	var got string
	for range 300 {
		if got = strings.Join(shownTexts(b.warning()), " "); strings.Contains(got, "Falta la contraseña de las copias") {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Error("the daily backup opened a dialog")
	}
	if !strings.Contains(got, "Falta la contraseña de las copias") {
		t.Errorf("strip = %q, want it to say the passphrase is missing", got)
	}
}
