package ui

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// The space's membership from Ajustes → Sincronización: creating the
// space, joining it with an invitation, inviting a computer and removing
// one (the other administrator tools are in sync_admin.go).

// entries is a form of labelled entries, for the dialogs below.
func entries(items ...*widget.FormItem) *widget.Form { return widget.NewForm(items...) }

func (p *syncPanel) onCreate() {
	url, user, pw, device := widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry(), widget.NewEntry()
	url.SetPlaceHolder("https://nube.example.org/remote.php/dav/files/USUARIO/Enlace/")
	pw.SetPlaceHolder(T("Nextcloud → Configuración personal → Seguridad → Contraseñas de aplicación"))
	device.SetPlaceHolder("coordinacion")
	form := entries(
		widget.NewFormItem(T("Carpeta"), withNote(url, smallNote(T("Una carpeta compartida con las oficinas, con permiso de edición para todas.")))),
		widget.NewFormItem(T("Usuario de la nube"), user),
		widget.NewFormItem(T("Contraseña de aplicación"), pw),
		widget.NewFormItem(T("Nombre de este equipo"), withNote(device, smallNote(T("Minúsculas sin acentos, por ejemplo «coordinacion» u «oficina_norte_1».")))),
	)
	d := dialog.NewCustomConfirm(T("Crear el espacio de sincronización"), T("Crear"), T("Cancelar"), form, func(ok bool) {
		if ok {
			p.createSpace(strings.TrimSpace(url.Text), strings.TrimSpace(user.Text), pw.Text, strings.TrimSpace(device.Text))
		}
	}, p.u.win)
	d.Resize(fyne.NewSize(720, d.MinSize().Height))
	p.u.showDialog(d)
}

// createSpace creates the space off the UI goroutine.
func (p *syncPanel) createSpace(url, user, pw, device string) {
	p.state.SetText(T("Creando el espacio…"))
	done := p.waitFor(T("Creando el espacio…"), T("Se cifran y se suben los casos de este equipo: con muchas fichas puede tardar unos minutos."))
	go func() {
		st, err := esync.Create(p.u.store, url, user, pw, device)
		fyne.Do(func() {
			done()
			if err != nil {
				p.show()
				p.u.showDialog(dialog.NewError(errors.New(syncErr(err)), p.u.win))
				return
			}
			p.remember(st, pw, true)
			p.show()
			p.start()
		})
	}()
}

func (p *syncPanel) onJoin() {
	code, user, pw := widget.NewMultiLineEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	code.SetPlaceHolder("ENLACE1-…")
	code.Wrapping = fyne.TextWrapBreak
	pw.SetPlaceHolder(T("Nextcloud → Configuración personal → Seguridad → Contraseñas de aplicación"))
	form := entries(
		widget.NewFormItem(T("Invitación"), withNote(code, smallNote(T("La entrega la administración en persona: pegue aquí el texto entero.")))),
		widget.NewFormItem(T("Usuario de la nube"), user),
		widget.NewFormItem(T("Contraseña de aplicación"), pw),
	)
	d := dialog.NewCustomConfirm(T("Unirse al espacio de sincronización"), T("Unirse"), T("Cancelar"), form, func(ok bool) {
		if ok {
			p.joinSpace(code.Text, strings.TrimSpace(user.Text), pw.Text)
		}
	}, p.u.win)
	d.Resize(fyne.NewSize(720, d.MinSize().Height))
	p.u.showDialog(d)
}

// joinSpace joins off the UI goroutine, then runs the first sync.
func (p *syncPanel) joinSpace(code, user, pw string) {
	inv, err := esync.ParseInvitation(code)
	if err != nil {
		p.u.showDialog(dialog.NewError(errors.New(syncErr(err)), p.u.win))
		return
	}
	p.state.SetText(T("Uniéndose al espacio…"))
	p.joinWait = newJoinDialog(p.u, p.joinShown)
	go func() {
		st, err := esync.Join(p.u.store, inv, user, pw)
		fyne.Do(func() {
			if err != nil {
				p.endJoinWait()
				p.show()
				p.u.showDialog(dialog.NewError(errors.New(syncErr(err)), p.u.win))
				return
			}
			p.remember(st, pw, true)
			p.show()
			p.start()
		})
	}()
}

func (p *syncPanel) onInvite() {
	st, ok := p.settings()
	if !ok {
		return
	}
	device, login, name := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	roles := widget.NewCheckGroup(userRoleOptions(), nil)
	roles.SetSelected([]string{userRoleLabel(data.RoleTechnician)})
	p.inviteRoles = roles
	form := entries(
		widget.NewFormItem(T("Nombre del equipo"), device),
		widget.NewFormItem(T("Usuario de Enlace"), withNote(login, smallNote(T("El usuario con el que se abrirá Enlace en ese equipo.")))),
		widget.NewFormItem(T("Nombre"), name),
		widget.NewFormItem(T("Funciones"), roles),
	)
	d := dialog.NewCustomConfirm(T("Invitar un equipo"), T("Invitar"), T("Cancelar"), form, func(ok bool) {
		if !ok {
			return
		}
		rs := rolesFromLabels(roles.Selected)
		p.appPassword(st, true, func(pw string) {
			p.inviteDevice(pw, strings.TrimSpace(device.Text), strings.TrimSpace(login.Text), strings.TrimSpace(name.Text), rs)
		})
	}, p.u.win)
	d.Resize(fyne.NewSize(640, d.MinSize().Height))
	p.u.showDialog(d)
}

// inviteDevice adds the device off the UI goroutine and shows the code.
func (p *syncPanel) inviteDevice(pw, device, login, name string, roles []data.Role) {
	done := p.waitFor(T("Invitando…"), "")
	go func() {
		inv, err := esync.Invite(p.u.store, pw, device, login, name, roles)
		fyne.Do(func() {
			done()
			if p.synced != nil {
				defer p.synced()
			}
			if err != nil {
				p.u.showDialog(dialog.NewError(errors.New(syncErr(err)), p.u.win))
				return
			}
			// The whole code, wrapped, so that it can be checked by eye
			// when it is handed over.
			code := widget.NewMultiLineEntry()
			code.Wrapping = fyne.TextWrapBreak
			code.SetText(inv.Code())
			code.SetMinRowsVisible(7)
			p.inviteCopied = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
			copied := p.inviteCopied
			copyBtn := widget.NewButtonWithIcon(T("Copiar"), theme.ContentCopyIcon(), func() {
				p.u.app.Clipboard().SetContent(inv.Code())
				copied.SetText(T("Copiada."))
			})
			msg := widget.NewLabel(T("Entregue esta invitación en persona a quien usará «{{.Device}}»: quien la tenga puede unirse al espacio.", map[string]any{"Device": device}))
			msg.Wrapping = fyne.TextWrapWord
			d := dialog.NewCustom(T("Invitación"), T("Cerrar"), container.NewVBox(msg, code, copyBtn, copied), p.u.win)
			d.Resize(fyne.NewSize(640, d.MinSize().Height))
			p.u.showDialog(d)
			p.show()
		})
	}()
}

// waitFor shows title, and note when set, over an endless progress bar
// while a step that writes to the server runs in the background; the
// function it returns closes it.
func (p *syncPanel) waitFor(title, note string) func() {
	body := container.NewVBox(widget.NewProgressBarInfinite())
	if note != "" {
		l := widget.NewLabel(note)
		l.Wrapping = fyne.TextWrapWord
		body.Objects = append([]fyne.CanvasObject{l}, body.Objects...)
	}
	wait := dialog.NewCustomWithoutButtons(title, body, p.u.win)
	wait.Resize(fyne.NewSize(480, wait.MinSize().Height))
	p.u.showDialog(wait)
	return wait.Hide
}

// endJoinWait closes the progress shown while joining, if it is open.
func (p *syncPanel) endJoinWait() {
	if p.joinWait != nil {
		p.joinWait.d.Hide()
		p.joinWait = nil
	}
}

// removal is one choice of "Retirar un equipo": a device, or every
// device of a user.
type removal struct {
	label  string
	device string // "" for a user's devices
	login  string
}

// removable are what the administrator can take out of the space: each
// device but its own, and each user with more than one device.
func (p *syncPanel) removable(self string) []removal {
	var out []removal
	devices := map[string][]string{}
	names := map[string]string{}
	var users []string
	for _, m := range p.members {
		if m.Removed || m.Device == self {
			continue
		}
		out = append(out, removal{label: m.Device + " — " + m.Name, device: m.Device})
		if _, ok := devices[m.User]; !ok {
			users = append(users, m.User)
		}
		devices[m.User] = append(devices[m.User], m.Device)
		names[m.User] = m.Name
	}
	for _, u := range users {
		if len(devices[u]) > 1 && !slices.ContainsFunc(p.members, func(m esync.Member) bool { return m.User == u && m.Device == self }) {
			out = append(out, removal{label: T("Todos los equipos de {{.Name}} ({{.Login}}): {{.Devices}}",
				map[string]any{"Name": names[u], "Login": u, "Devices": strings.Join(devices[u], ", ")}), login: u})
		}
	}
	return out
}

// onRemove takes a device, or a user's devices, out of the space after a
// confirmation, and says what that did.
func (p *syncPanel) onRemove() {
	st, ok := p.settings()
	if !ok || st.AdminKey == nil {
		return
	}
	choices := p.removable(st.Device)
	var labels []string
	for _, c := range choices {
		labels = append(labels, c.label)
	}
	p.removePick = widget.NewSelect(labels, nil)
	pick := p.removePick
	note := widget.NewLabel(T("Para un portátil perdido o alguien que deja el programa: ninguna oficina aceptará lo que ese equipo envíe desde ahora, y los cambios nuevos se cifran con una clave nueva que ese equipo no tiene. Lo que envió antes se conserva."))
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(T("Retirar un equipo"), T("Retirar"), T("Cancelar"), container.NewVBox(note, pick), func(ok bool) {
		i := pick.SelectedIndex()
		if !ok || i < 0 {
			return
		}
		p.confirmRemove(st, choices[i])
	}, p.u.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	p.u.showDialog(d)
}

// confirmRemove asks, naming what was chosen, before taking it out of
// the space: it cannot be undone.
func (p *syncPanel) confirmRemove(st esync.Settings, c removal) {
	msg := widget.NewLabel(T("¿Retirar del espacio «{{.Choice}}»? Dejará de enviar y recibir cambios, y no se puede deshacer: para volver hará falta una invitación nueva.", map[string]any{"Choice": c.label}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(T("Retirar un equipo"), T("Retirar"), T("Cancelar"), msg, func(ok bool) {
		if ok {
			p.appPassword(st, true, func(pw string) { p.removeChosen(pw, c) })
		}
	}, p.u.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	p.u.showDialog(d)
}

// removeChosen takes c out of the space in the background, says what happened
// and syncs, which shows the new list of devices.
func (p *syncPanel) removeChosen(pw string, c removal) {
	done := p.waitFor(T("Retirando…"), "")
	go func() {
		var rm esync.Removal
		var err error
		if c.device != "" {
			rm, err = esync.Remove(p.u.store, pw, c.device)
		} else {
			rm, err = esync.RemoveUser(p.u.store, pw, c.login)
		}
		fyne.Do(func() {
			done()
			if err != nil {
				p.u.showDialog(dialog.NewError(errors.New(T("No se pudo retirar el equipo: {{.Error}}", map[string]any{"Error": syncErr(err)})), p.u.win))
				return
			}
			p.removed = removedText(rm)
			p.u.showDialog(dialog.NewInformation(T("Retirar un equipo"), p.removed, p.u.win))
			p.syncNow(false)
		})
	}()
}

// removedText says what a removal did, as the user reads it.
func removedText(rm esync.Removal) string {
	msg := T("Equipo retirado: a partir de ahora no puede leer los cambios nuevos.")
	if len(rm.Devices) > 1 {
		msg = T("Equipos retirados ({{.Devices}}): a partir de ahora no pueden leer los cambios nuevos.",
			map[string]any{"Devices": strings.Join(rm.Devices, ", ")})
	}
	if len(rm.Unkeyed) > 0 {
		msg += " " + T("Estos equipos recibirán la clave nueva cuando sincronicen y este equipo sincronice después: {{.Devices}}.",
			map[string]any{"Devices": strings.Join(rm.Unkeyed, ", ")})
	}
	return msg
}
