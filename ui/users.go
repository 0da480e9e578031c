package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// usersPanel is the "Usuarios y contraseñas" section of Ajustes: who is
// using Enlace and their own passphrase and, for administrators, every
// user with their roles. The store decides who may do what; the panel
// only leaves out what the user could not do anyway.
type usersPanel struct {
	u    *App
	root fyne.CanvasObject

	me        *widget.Label
	changeBtn *widget.Button
	admin     *fyne.Container // the list and newBtn, or the note
	list      *fyne.Container
	newBtn    *widget.Button
	note      *widget.Label

	users []data.User  // as listed, administrators only
	staff []data.Staff // for linking a user to their staff record

	form     *userForm // the open user dialog, if any
	passForm *passForm // the open passphrase dialog, if any
}

func newUsersPanel(u *App) *usersPanel {
	p := &usersPanel{u: u}
	title := widget.NewLabelWithStyle(T("Usuarios y contraseñas"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	p.me = widget.NewLabel("")
	p.me.Wrapping = fyne.TextWrapWord
	p.changeBtn = widget.NewButtonWithIcon(T("Cambiar mi contraseña"), theme.AccountIcon(), p.onChangeOwn)
	p.list = container.NewVBox()
	p.newBtn = widget.NewButtonWithIcon(T("Nuevo usuario"), theme.ContentAddIcon(), p.onNew)
	p.note = smallNote(T("Solo un administrador gestiona los usuarios."))
	p.admin = container.NewVBox()
	p.root = container.NewVBox(widget.NewSeparator(), title, p.me,
		container.NewHBox(p.changeBtn), p.admin)
	p.refresh()
	return p
}

// content is the section shown in Ajustes.
func (p *usersPanel) content() fyne.CanvasObject { return p.root }

// refresh shows the unlocked user and, to an administrator, every user.
func (p *usersPanel) refresh() {
	me := p.u.store.User()
	p.me.SetText(T("Su usuario: {{.Name}} ({{.Login}}) — {{.Roles}}", map[string]any{
		"Name": me.Name, "Login": me.Login, "Roles": userRoleLabels(me.Roles)}))
	p.users, p.staff = nil, nil
	p.list.RemoveAll()
	if !p.u.can(data.PermUsers) {
		p.setAdmin(p.note)
		return
	}
	users, err := p.u.store.Users()
	if err == nil {
		p.staff, err = p.u.store.StaffList()
	}
	if err != nil {
		p.setAdmin()
		p.u.showError(err)
		return
	}
	p.users = users
	for _, usr := range users {
		p.list.Add(p.row(usr, usr.ID == me.ID))
	}
	p.setAdmin(p.list, container.NewHBox(p.newBtn))
}

// setAdmin replaces what is shown under the user's own line.
func (p *usersPanel) setAdmin(objs ...fyne.CanvasObject) {
	p.admin.Objects = objs
	p.admin.Refresh()
}

// row is one user in the list: name, login and roles, and what an
// administrator can do with them. Nobody deletes themselves.
func (p *usersPanel) row(usr data.User, self bool) fyne.CanvasObject {
	name := usr.Name
	if self {
		name = T("{{.Name}} (usted)", map[string]any{"Name": usr.Name})
	}
	title := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel(usr.Login + " · " + userRoleLabels(usr.Roles))
	detail.Truncation = fyne.TextTruncateEllipsis
	edit := widget.NewButtonWithIcon(T("Modificar"), theme.DocumentCreateIcon(), func() { p.openUserForm(usr) })
	reset := widget.NewButtonWithIcon(T("Nueva contraseña"), theme.LoginIcon(), func() { p.openPassForm(usr, false) })
	del := widget.NewButtonWithIcon(T("Borrar"), theme.DeleteIcon(), func() { p.onDelete(usr) })
	if self {
		del.Disable()
	}
	return container.NewBorder(nil, nil, nil, container.NewHBox(edit, reset, del),
		container.NewVBox(title, detail))
}

func (p *usersPanel) onNew() { p.openUserForm(data.User{Roles: []data.Role{data.RoleTechnician}}) }

func (p *usersPanel) onChangeOwn() { p.openPassForm(p.u.store.User(), true) }

// onDelete asks before deleting usr: they will no longer open Enlace.
func (p *usersPanel) onDelete(usr data.User) {
	msg := T("¿Borrar el usuario {{.Name}}? Ya no podrá abrir Enlace.", map[string]any{"Name": usr.Name})
	d := dialog.NewConfirm(T("Borrar usuario"), msg, func(ok bool) {
		if ok {
			p.deleteUser(usr.ID)
		}
	}, p.u.win)
	d.SetConfirmText(T("Borrar"))
	d.SetDismissText(T("Cancelar"))
	d.SetConfirmImportance(widget.DangerImportance)
	p.u.showDialog(d)
}

func (p *usersPanel) deleteUser(id string) {
	if err := p.u.store.DeleteUser(id); err != nil {
		p.u.showError(err)
	}
	p.refresh()
}

// userRoleLabel is a user role's name in the interface language.
func userRoleLabel(r data.Role) string {
	if r == data.RoleAdmin {
		return T("Administrador/a")
	}
	return staffRoleLabel(r)
}

// userRoleLabels lists roles in the interface language, in the order of
// data.UserRoles.
func userRoleLabels(roles []data.Role) string {
	var out []string
	for _, r := range data.UserRoles {
		if slices.Contains(roles, r) {
			out = append(out, userRoleLabel(r))
		}
	}
	return strings.Join(out, ", ")
}
