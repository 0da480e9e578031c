package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

const anaPass = "ana tiene una contraseña"

// showUsers builds the users panel in u's window.
func showUsers(u *App) *usersPanel {
	p := newUsersPanel(u)
	u.win.SetContent(p.content())
	return p
}

// buttonIn returns the visible button labelled text laid out inside o, or nil.
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Visible() && b.Text == text {
			return b
		}
	}
	return nil
}

// fillNewUser opens "Nuevo usuario", types into it as a user would and
// taps Guardar; it returns the form, nil once closed.
func fillNewUser(t *testing.T, p *usersPanel, name, login, pass, repeat string) *userForm {
	t.Helper()
	test.Tap(p.newBtn)
	f := p.form
	if f == nil {
		t.Fatal("Nuevo usuario opened no dialog")
	}
	test.Type(f.name, name)
	test.Type(f.login, login)
	test.Type(f.pass, pass)
	test.Type(f.repeat, repeat)
	test.Tap(f.saveBtn)
	return p.form
}

// mark is the inline message under field of a form, "" when hidden.
func mark(m *validationMarks, field string) string {
	if l := m.fields[field]; l != nil && l.Visible() {
		return l.Text
	}
	return ""
}

func TestUsersAdminCreatesUser(t *testing.T) {
	u := officesTestApp(t)
	p := showUsers(u)
	if f := fillNewUser(t, p, "Ana López", " Ana ", anaPass, anaPass); f != nil {
		t.Fatalf("dialog still open after Guardar: %q", f.marks.general.Text)
	}

	users, err := u.store.Users()
	if err != nil {
		t.Fatal(err)
	}
	var ana *data.User
	for i := range users {
		if users[i].Login == "ana" {
			ana = &users[i]
		}
	}
	if ana == nil || ana.Name != "Ana López" || !ana.Has(data.RoleTechnician) || len(ana.Roles) != 1 {
		t.Fatalf("stored users = %+v, want ana, técnico only", users)
	}
	shown := laidOutLabelTexts(p.list)
	for _, want := range []string{"Ana López", "ana · Técnico/a", datatest.Name + " (usted)"} {
		if !textAmong(shown, want) {
			t.Errorf("list shows %q, want %q among them", shown, want)
		}
	}
	if err := u.store.Reauth("ana", anaPass); err != nil {
		t.Errorf("the new user cannot unlock: %v", err)
	}
}

func TestUsersCreateRefusedMarksFieldAndCreatesNothing(t *testing.T) {
	tests := []struct {
		name, login, pass, repeat string
		field, want               string
	}{
		{"short passphrase", "ana", "corta", "corta", "Passphrase", "La contraseña debe tener al menos 10 caracteres."},
		{"passphrases differ", "ana", anaPass, anaPass + "x", "Repeat", "Las dos contraseñas no coinciden."},
		{"passphrases differ, login too", "ana maría", anaPass, anaPass + "x", "Login", "El nombre de usuario no puede tener espacios."},
		{"duplicate login", " PRUEBA ", anaPass, anaPass, "Login", "Ya hay un usuario «prueba»."},
		{"login with a space", "ana maría", anaPass, anaPass, "Login", "El nombre de usuario no puede tener espacios."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := officesTestApp(t)
			p := showUsers(u)
			f := fillNewUser(t, p, "Ana López", tt.login, tt.pass, tt.repeat)
			if f == nil {
				t.Fatal("dialog closed: the user was accepted")
			}
			if got := mark(f.marks, tt.field); got != tt.want {
				t.Errorf("message under %s = %q, want %q", tt.field, got, tt.want)
			}
			if users, err := u.store.Users(); err != nil || len(users) != 1 {
				t.Errorf("users = %+v, %v; want only the test user", users, err)
			}
		})
	}
}

func TestUsersChangeOwnPassphrase(t *testing.T) {
	const newPass = "una contraseña nueva"
	tests := []struct {
		name, current string
		wantMark      string
		works, fails  string // the passphrase that unlocks, and one that does not
	}{
		{"wrong current", "no es la mía", "La contraseña actual no es correcta.", datatest.Passphrase, newPass},
		{"right current", datatest.Passphrase, "", newPass, datatest.Passphrase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := officesTestApp(t)
			p := showUsers(u)
			test.Tap(p.changeBtn)
			f := p.passForm
			if f == nil {
				t.Fatal("Cambiar mi contraseña opened no dialog")
			}
			test.Type(f.current, tt.current)
			test.Type(f.pass, newPass)
			test.Type(f.repeat, newPass)
			test.Tap(f.saveBtn)

			if got := mark(f.marks, "Old"); got != tt.wantMark {
				t.Errorf("message under the current passphrase = %q, want %q", got, tt.wantMark)
			}
			if open := p.passForm != nil; open != (tt.wantMark != "") {
				t.Errorf("dialog open = %v after Guardar", open)
			}
			if err := u.store.Reauth(datatest.Login, tt.works); err != nil {
				t.Errorf("Reauth with %q: %v", tt.works, err)
			}
			if err := u.store.Reauth(datatest.Login, tt.fails); err == nil {
				t.Errorf("Reauth with %q still works", tt.fails)
			}
		})
	}
}

func TestUsersNonAdminSeesNoteOnly(t *testing.T) {
	u := officesTestApp(t)
	p := showUsers(u)
	if f := fillNewUser(t, p, "Ana López", "ana", anaPass, anaPass); f != nil {
		t.Fatalf("could not create ana: %q", f.marks.general.Text)
	}
	if err := u.store.Reauth("ana", anaPass); err != nil {
		t.Fatal(err)
	}

	p = showUsers(u)
	shown := laidOutLabelTexts(p.content())
	for _, want := range []string{"Su usuario: Ana López (ana) — Técnico/a", "Solo un administrador gestiona los usuarios."} {
		if !textAmong(shown, want) {
			t.Errorf("panel shows %q, want %q among them", shown, want)
		}
	}
	if textAmong(shown, datatest.Name) {
		t.Errorf("a técnico sees the list of users: %q", shown)
	}
	if buttonIn(p.content(), "Nuevo usuario") != nil {
		t.Error("a técnico sees Nuevo usuario")
	}
	if buttonIn(p.content(), "Cambiar mi contraseña") == nil {
		t.Error("a técnico cannot change their passphrase")
	}
}

func TestUsersModifyAndDelete(t *testing.T) {
	u := officesTestApp(t)
	p := showUsers(u)
	if f := fillNewUser(t, p, "Ana López", "ana", anaPass, anaPass); f != nil {
		t.Fatalf("could not create ana: %q", f.marks.general.Text)
	}
	ana, self := p.list.Objects[0], p.list.Objects[1] // by name
	if b := buttonIn(self, "Borrar"); b == nil || !b.Disabled() {
		t.Error("the unlocked user can delete themselves")
	}

	test.Tap(buttonIn(ana, "Modificar"))
	p.form.roles.SetSelected([]string{"Coordinador/a", "Administrador/a"})
	test.Tap(p.form.saveBtn)
	if p.form != nil {
		t.Fatalf("modify dialog still open: %q", p.form.marks.general.Text)
	}
	if !textAmong(laidOutLabelTexts(p.list), "ana · Coordinador/a, Administrador/a") {
		t.Errorf("list shows %q after modifying ana", laidOutLabelTexts(p.list))
	}

	test.Tap(buttonIn(p.list.Objects[0], "Borrar"))
	confirm, ok := u.dialogs[len(u.dialogs)-1].(*dialog.ConfirmDialog)
	if !ok {
		t.Fatalf("Borrar opened %T, want a confirmation", u.dialogs[len(u.dialogs)-1])
	}
	confirm.Confirm()
	if users, err := u.store.Users(); err != nil || len(users) != 1 {
		t.Errorf("users after Borrar = %+v, %v", users, err)
	}
	if textAmong(laidOutLabelTexts(p.list), "Ana López") {
		t.Error("ana is still listed after Borrar")
	}
}

func TestUsersLastAdminKeepsRole(t *testing.T) {
	u := officesTestApp(t)
	p := showUsers(u)
	test.Tap(buttonIn(p.list, "Modificar"))
	f := p.form
	f.roles.SetSelected([]string{"Técnico/a"})
	test.Tap(f.saveBtn)
	if got, want := mark(f.marks, "Roles"), "Tiene que quedar al menos un administrador."; got != want {
		t.Errorf("message under Funciones = %q, want %q", got, want)
	}
	if me := u.store.User(); !me.Has(data.RoleAdmin) {
		t.Error("the last administrator lost the role")
	}
}
