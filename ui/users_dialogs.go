package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// userForm is the dialog that creates a user or modifies one. A user's
// login never changes, so it is typed only for a new user, with the
// initial passphrase.
type userForm struct {
	p   *usersPanel
	usr data.User // as loaded; ID empty for a new one
	dlg *dialog.CustomDialog

	name, login  *entry
	roles        *widget.CheckGroup
	staff        *widget.Select
	staffID      map[string]string // option → staff ID
	pass, repeat *entry            // a new user's initial passphrase
	marks        *validationMarks
	saveBtn      *widget.Button
}

// openUserForm shows the user dialog for usr (ID empty for a new user).
func (p *usersPanel) openUserForm(usr data.User) *userForm {
	u := p.u
	f := &userForm{p: p, usr: usr, marks: newValidationMarks()}
	f.name = u.newEntry()
	f.name.SetText(usr.Name)
	f.roles = widget.NewCheckGroup(userRoleOptions(), nil)
	for _, r := range usr.Roles {
		f.roles.Selected = append(f.roles.Selected, userRoleLabel(r))
	}
	f.staff, f.staffID = p.staffSelect(usr.StaffID)
	f.staff.OnChanged = f.onStaff

	login := fyne.CanvasObject(widget.NewLabel(usr.Login))
	if usr.ID == "" {
		f.login = u.newEntry()
		f.login.SetPlaceHolder(T("p. ej. laura"))
		login = f.marks.wrap("Login", withNote(f.login,
			smallNote(T("Lo que escribirá para abrir Enlace, sin espacios. No se puede cambiar después."))))
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Nombre y apellidos"), f.marks.wrap("Name", f.name)),
		widget.NewFormItem(T("Usuario"), login),
		widget.NewFormItem(T("Funciones"), f.marks.wrap("Roles", f.roles)),
		widget.NewFormItem(T("Ficha de personal"), withNote(f.staff,
			smallNote(T("Opcional: la persona de Oficinas y personal que usa este usuario.")))),
	)
	title := T("Modificar usuario")
	body := fyne.CanvasObject(form)
	if usr.ID == "" {
		title = T("Nuevo usuario")
		f.pass, f.repeat = newPassEntry(u), newPassEntry(u)
		form.Append(T("Contraseña inicial"), f.marks.wrap("Passphrase", f.pass))
		form.Append(T("Repetir contraseña"), f.marks.wrap("Repeat", f.repeat))
		body = container.NewVBox(form, smallNote(T("Entréguele la contraseña en persona; podrá cambiarla en Ajustes.")))
	}
	for _, e := range []*entry{f.name, f.login, f.pass, f.repeat} {
		if e != nil {
			e.OnSubmitted = func(string) { f.onSave() }
		}
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, f.marks.body(body), f.onSave)
	f.dlg.SetOnClosed(func() { p.form = nil })
	p.form = f
	u.showDialog(f.dlg)
	u.win.Canvas().Focus(f.name)
	return f
}

// onStaff fills an empty name from the staff record chosen.
func (f *userForm) onStaff(option string) {
	if id := f.staffID[option]; id != "" && f.name.Text == "" {
		for _, st := range f.p.staff {
			if st.ID == id {
				f.name.SetText(st.Name)
			}
		}
	}
}

// onSave creates or modifies the user; on a validation error it marks
// the fields and keeps the dialog open, and nothing is saved.
func (f *userForm) onSave() {
	store := f.p.u.store
	usr := f.usr
	usr.Name = f.name.Text
	usr.Roles = rolesFromLabels(f.roles.Selected)
	usr.StaffID = f.staffID[f.staff.Selected]
	if f.login != nil {
		usr.Login = f.login.Text
	}
	var err error
	switch {
	case usr.ID != "":
		err = store.UpdateUser(&usr)
	case f.pass.Text != f.repeat.Text:
		err = mismatch(usr)
	default:
		err = store.CreateUser(&usr, f.pass.Text)
	}
	if !f.marks.handle(f.p.u, f.dlg, err) {
		return
	}
	f.dlg.Hide()
	f.p.refresh()
	if f.usr.ID != "" && !sameRoleSet(f.usr.Roles, usr.Roles) && f.p.u.sync != nil {
		f.p.u.sync.followUser(usr) // the space's member list follows (sync_admin.go)
	}
}

// staffSelect offers the staff records, "— Ninguno —" first, with
// selected's chosen, and returns the staff ID behind each option.
func (p *usersPanel) staffSelect(selected string) (*widget.Select, map[string]string) {
	none := T("— Ninguno —")
	opts := []string{none}
	ids := map[string]string{none: ""}
	choice := none
	for _, st := range p.staff {
		opt := st.Name
		if _, dup := ids[opt]; dup {
			opt += " · " + st.Email
		}
		opts = append(opts, opt)
		ids[opt] = st.ID
		if st.ID == selected {
			choice = opt
		}
	}
	s := widget.NewSelect(opts, nil)
	s.SetSelected(choice)
	return s, ids
}

// passForm is the dialog that changes the unlocked user's own passphrase
// (asking for the current one) or, for an administrator, sets another
// user's.
type passForm struct {
	p   *usersPanel
	usr data.User // whose passphrase
	own bool      // the unlocked user's own: ChangePassphrase, not ResetPassphrase
	dlg *dialog.CustomDialog

	current, pass, repeat *entry // current only when own
	marks                 *validationMarks
	saveBtn               *widget.Button
}

// openPassForm shows the passphrase dialog for usr; own asks for the
// current passphrase.
func (p *usersPanel) openPassForm(usr data.User, own bool) *passForm {
	u := p.u
	f := &passForm{p: p, usr: usr, own: own, marks: newValidationMarks()}
	f.pass, f.repeat = newPassEntry(u), newPassEntry(u)
	form := widget.NewForm()
	title := T("Cambiar mi contraseña")
	body := fyne.CanvasObject(form)
	if own {
		f.current = newPassEntry(u)
		form.Append(T("Contraseña actual"), f.marks.wrap("Old", f.current))
	} else {
		title = T("Nueva contraseña para {{.Name}}", map[string]any{"Name": usr.Name})
		body = container.NewVBox(form, smallNote(T("Entréguele la contraseña en persona; podrá cambiarla en Ajustes.")))
	}
	form.Append(T("Nueva contraseña"), f.marks.wrap("Passphrase", f.pass))
	form.Append(T("Repetir contraseña"), f.marks.wrap("Repeat", f.repeat))
	for _, e := range []*entry{f.current, f.pass, f.repeat} {
		if e != nil {
			e.OnSubmitted = func(string) { f.onSave() }
		}
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, f.marks.body(body), f.onSave)
	f.dlg.SetOnClosed(func() { p.passForm = nil })
	p.passForm = f
	u.showDialog(f.dlg)
	if own {
		u.win.Canvas().Focus(f.current)
	} else {
		u.win.Canvas().Focus(f.pass)
	}
	return f
}

// onSave stores the new passphrase; on a mistake it marks the field and
// keeps the dialog open, and the old passphrase still works.
func (f *passForm) onSave() {
	store := f.p.u.store
	var err error
	switch {
	case f.pass.Text != f.repeat.Text:
		err = fieldError("Repeat", T("Las dos contraseñas no coinciden."))
	case f.own:
		err = store.ChangePassphrase(f.current.Text, f.pass.Text)
		if errors.Is(err, data.ErrWrongPassphrase) {
			err = fieldError("Old", T("La contraseña actual no es correcta."))
		}
	default:
		err = store.ResetPassphrase(f.usr.ID, f.pass.Text)
	}
	if !f.marks.handle(f.p.u, f.dlg, err) {
		return
	}
	f.dlg.Hide()
	f.p.u.showDialog(dialog.NewInformation(T("Contraseña"), T("Contraseña cambiada."), f.p.u.win))
}

// newPassEntry returns an Esc-aware entry that hides what is typed, with
// the button that shows it.
func newPassEntry(u *App) *entry {
	e := u.newEntry()
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

// fieldError is a validation message about a field of a form that the
// store does not check, such as the repeated passphrase.
func fieldError(field, msg string) error {
	return &data.ValidationError{Fields: []data.FieldError{{Field: field, Message: msg}}}
}

// mismatch is the validation error of a new user whose passphrases
// differ, with usr's own problems so that every mark shows at once.
func mismatch(usr data.User) error {
	fields := []data.FieldError{{Field: "Repeat", Message: T("Las dos contraseñas no coinciden.")}}
	usr.Normalize()
	var ve *data.ValidationError
	if errors.As(usr.Validate(), &ve) {
		fields = append(ve.Fields, fields...)
	}
	return &data.ValidationError{Fields: fields}
}

func userRoleOptions() []string {
	opts := make([]string, len(data.UserRoles))
	for i, r := range data.UserRoles {
		opts[i] = userRoleLabel(r)
	}
	return opts
}

func rolesFromLabels(labels []string) []data.Role {
	var out []data.Role
	for _, r := range data.UserRoles {
		if slices.Contains(labels, userRoleLabel(r)) {
			out = append(out, r)
		}
	}
	return out
}
