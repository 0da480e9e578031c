package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// waitFor polls cond on the UI goroutine until it holds or a few seconds
// pass: unlocking derives a key in the background.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ok := false
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func windowTexts(u *App) string {
	texts := shownTexts(u.win.Content())
	for _, o := range u.win.Canvas().Overlays().List() {
		texts = append(texts, shownTexts(o)...)
	}
	return strings.Join(texts, " | ")
}

func TestLockHidesEverythingAndTheSameUserGetsItBack(t *testing.T) {
	u, _ := peopleTestApp(t, ana())
	u.win.Show()
	u.people.refresh()
	u.showDialog(dialog.NewInformation("Aviso", "Diálogo a medio hacer", u.win))
	if shown := windowTexts(u); !strings.Contains(shown, "Pérez López") || !strings.Contains(shown, "Diálogo a medio hacer") {
		t.Fatalf("the person and the dialog should show before locking: %s", windowTexts(u))
	}

	u.lock()
	shown := windowTexts(u)
	if strings.Contains(shown, "Pérez López") || strings.Contains(shown, "Diálogo a medio hacer") {
		t.Errorf("locked window still shows data: %s", shown)
	}
	if !strings.Contains(shown, "Enlace está bloqueado") {
		t.Errorf("locked window: %s", shown)
	}

	v := u.locking.view
	if v.login.Text != datatest.Login {
		t.Errorf("user box = %q, want the unlocked user", v.login.Text)
	}
	test.Type(v.pass, "no es esta")
	test.Tap(v.button)
	waitFor(t, "the refusal", func() bool { return v.msg.Text != "" })
	if v.msg.Text != "Usuario o contraseña incorrectos." || !u.locking.locked {
		t.Fatalf("wrong passphrase: message %q, locked %v", v.msg.Text, u.locking.locked)
	}
	test.Type(v.pass, datatest.Passphrase)
	test.Tap(v.button)
	waitFor(t, "the unlock", func() bool { return !u.locking.locked })
	shown = windowTexts(u)
	if !strings.Contains(shown, "Pérez López") || !strings.Contains(shown, "Diálogo a medio hacer") {
		t.Errorf("after unlocking, screens and the open dialog should be back: %s", shown)
	}
}

func TestIdleWindowLocksItself(t *testing.T) {
	u, _ := peopleTestApp(t, ana())
	u.win.Show()
	u.activity.last.Store(time.Now().Add(-9 * time.Minute).UnixNano())
	u.checkIdle()
	if u.locking.locked {
		t.Fatal("locked after 9 minutes, the default is 10")
	}
	u.activity.last.Store(time.Now().Add(-11 * time.Minute).UnixNano())
	u.checkIdle()
	if !u.locking.locked {
		t.Fatal("not locked after 11 idle minutes")
	}

	u2, _ := peopleTestApp(t)
	u2.app.Preferences().SetInt(prefLockMinutes, 0)
	u2.activity.last.Store(time.Now().Add(-5 * time.Hour).UnixNano())
	u2.checkIdle()
	if u2.locking.locked {
		t.Error("locked although «Nunca» was chosen")
	}
}

func TestTypingKeepsTheWindowUnlocked(t *testing.T) {
	u, _ := peopleTestApp(t, ana())
	u.win.Show()
	u.activity.last.Store(time.Now().Add(-11 * time.Minute).UnixNano())
	e := u.newEntry()
	u.win.SetContent(e)
	test.Type(e, "a")
	u.checkIdle()
	if u.locking.locked {
		t.Error("locked while the user was typing")
	}
}

func TestOpenCreatesTheFirstUserOfANewFile(t *testing.T) {
	a := test.NewApp()
	t.Cleanup(a.Quit)
	path := filepath.Join(t.TempDir(), "nuevo.db")
	u := Open(a, path, "test")
	t.Cleanup(func() { _ = u.Close() })
	v := u.locking.view
	if v.mode != modeCreate || !strings.Contains(windowTexts(u), "Bienvenida a Enlace") {
		t.Fatalf("a new file should ask for the first user: %s", windowTexts(u))
	}
	test.Type(v.name, "Marta Ruiz")
	test.Type(v.login, "marta")
	test.Type(v.pass, "corta")
	test.Type(v.repeat, "corta")
	test.Tap(v.button)
	if !strings.Contains(v.msg.Text, "al menos 10 caracteres") || u.store != nil {
		t.Fatalf("short passphrase: %q", v.msg.Text)
	}
	v.pass.SetText("")
	v.repeat.SetText("")
	test.Type(v.pass, "una frase bastante larga")
	test.Type(v.repeat, "una frase distinta")
	test.Tap(v.button)
	if v.msg.Text != "Las dos contraseñas no coinciden." {
		t.Fatalf("different passphrases: %q", v.msg.Text)
	}
	v.repeat.SetText("una frase bastante larga")
	test.Tap(v.button)
	waitFor(t, "the new database", func() bool { return u.started })
	if got := u.store.User(); got.Name != "Marta Ruiz" || !got.Has(data.RoleAdmin) {
		t.Errorf("first user = %+v", got)
	}
	if !strings.Contains(windowTexts(u), "Nueva persona") {
		t.Errorf("screens not shown after creating the user: %s", windowTexts(u))
	}
}

func TestOpenRefusesAWrongPassphrase(t *testing.T) {
	a := test.NewApp()
	t.Cleanup(a.Quit)
	path := filepath.Join(t.TempDir(), "enlace.db")
	s, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	u := Open(a, path, "test")
	t.Cleanup(func() { _ = u.Close() })
	v := u.locking.view
	if v.mode != modeOpen || !v.nameRow.Hidden {
		t.Fatalf("an existing file asks only user and passphrase")
	}
	test.Type(v.login, datatest.Login)
	test.Type(v.pass, "equivocada")
	test.Tap(v.button)
	waitFor(t, "the refusal", func() bool { return v.msg.Text != "" })
	if v.msg.Text != "Usuario o contraseña incorrectos." || u.store != nil {
		t.Errorf("message %q, store %v", v.msg.Text, u.store)
	}
	test.Type(v.pass, datatest.Passphrase)
	test.Tap(v.button)
	waitFor(t, "the screens", func() bool { return u.started })
}
