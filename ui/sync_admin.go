package ui

import (
	"errors"
	"log"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// The administrator's tools of Ajustes → Sincronización: change a user's
// roles in the space ("Cambiar funciones…") and compact now.

// spaceUser is a user of the space, as "Cambiar funciones…" offers it.
type spaceUser struct {
	login, name string
	roles       []data.Role
}

// spaceUsers are the users of the space's active devices, in the order
// of the list, each once.
func (p *syncPanel) spaceUsers() []spaceUser {
	var out []spaceUser
	for _, m := range p.members {
		if m.Removed || slices.ContainsFunc(out, func(u spaceUser) bool { return u.login == m.User }) {
			continue
		}
		out = append(out, spaceUser{login: m.User, name: m.Name, roles: m.Roles})
	}
	return out
}

// onChangeRoles asks for a user and their new roles, then changes them.
func (p *syncPanel) onChangeRoles() {
	st, ok := p.settings()
	if !ok || st.AdminKey == nil {
		return
	}
	users := p.spaceUsers()
	var labels []string
	for _, u := range users {
		labels = append(labels, u.name+" ("+u.login+")")
	}
	p.rolesCheck = widget.NewCheckGroup(userRoleOptions(), nil)
	check := p.rolesCheck
	p.rolesPick = widget.NewSelect(labels, func(string) {
		if i := p.rolesPick.SelectedIndex(); i >= 0 {
			var sel []string
			for _, r := range users[i].roles {
				sel = append(sel, userRoleLabel(r))
			}
			check.SetSelected(sel)
		}
	})
	pick := p.rolesPick
	note := widget.NewLabel(T("Las funciones cambian en todos los equipos de ese usuario. Lo que envíen desde ahora se juzga con las funciones nuevas; lo que ya habían enviado conserva lo que entonces podían hacer."))
	note.Wrapping = fyne.TextWrapWord
	form := entries(widget.NewFormItem(T("Usuario"), pick), widget.NewFormItem(T("Funciones"), check))
	d := dialog.NewCustomConfirm(T("Cambiar funciones"), T("Cambiar"), T("Cancelar"), container.NewVBox(note, form), func(ok bool) {
		i := pick.SelectedIndex()
		if !ok || i < 0 {
			return
		}
		roles := rolesFromLabels(check.Selected)
		p.appPassword(st, true, func(pw string) { p.changeRoles(pw, users[i].login, roles) })
	}, p.u.win)
	d.Resize(fyne.NewSize(600, d.MinSize().Height))
	p.u.showDialog(d)
}

// changeRoles changes login's roles in the background, says what
// happened and syncs, which shows the new list of devices.
func (p *syncPanel) changeRoles(pw, login string, roles []data.Role) {
	go func() {
		rc, err := esync.ChangeRoles(p.u.store, pw, login, roles, time.Now())
		fyne.Do(func() {
			if err != nil && len(rc.Devices) == 0 {
				log.Printf("sincronización: cambiar funciones: %v", err)
				p.rolesResult = T("No se pudieron cambiar las funciones: {{.Error}}", map[string]any{"Error": syncErr(err)})
				p.u.showDialog(dialog.NewError(errors.New(p.rolesResult), p.u.win))
				if p.synced != nil {
					p.synced()
				}
				return
			}
			p.rolesResult = rolesChangedText(rc)
			if err != nil { // changed in the space, not in this install's users
				p.rolesResult += "\n" + syncErr(err)
			}
			p.u.showDialog(dialog.NewInformation(T("Cambiar funciones"), p.rolesResult, p.u.win))
			if p.u.users != nil {
				p.u.users.refresh()
			}
			p.syncNow(false)
		})
	}()
}

// rolesChangedText says what a change of roles did.
func rolesChangedText(rc esync.RoleChange) string {
	args := map[string]any{"Name": rc.Name, "Login": rc.Login, "Roles": userRoleLabels(rc.Roles)}
	if len(rc.Devices) == 0 {
		return T("{{.Name}} ({{.Login}}) ya tenía estas funciones: {{.Roles}}.", args)
	}
	args["Devices"] = strings.Join(rc.Devices, ", ")
	return T("Funciones de {{.Name}} ({{.Login}}): {{.Roles}}. Equipos: {{.Devices}}. Las demás oficinas lo aplican al sincronizar.", args)
}

// followUser, after usr's roles changed in Ajustes → Usuarios, gives the
// devices of that login in the space the same roles, from the
// administrator's install; elsewhere it says who must.
func (p *syncPanel) followUser(usr data.User) {
	st, ok := p.settings()
	if !ok {
		return
	}
	i := slices.IndexFunc(p.spaceUsers(), func(u spaceUser) bool { return u.login == usr.Login })
	if i < 0 || sameRoleSet(p.spaceUsers()[i].roles, usr.Roles) {
		return
	}
	if st.AdminKey == nil {
		p.rolesResult = T("Las funciones de {{.Login}} en el espacio de sincronización no cambian desde este equipo: las demás oficinas siguen aceptando lo que envíen sus equipos según las anteriores. La administración del espacio debe cambiarlas en Ajustes → Sincronización → Cambiar funciones….",
			map[string]any{"Login": usr.Login})
		p.u.showDialog(dialog.NewInformation(T("Cambiar funciones"), p.rolesResult, p.u.win))
		return
	}
	p.appPassword(st, true, func(pw string) { p.changeRoles(pw, usr.Login, usr.Roles) })
}

// sameRoleSet reports whether a and b hold the same roles.
func sameRoleSet(a, b []data.Role) bool {
	return !slices.ContainsFunc(a, func(r data.Role) bool { return !slices.Contains(b, r) }) &&
		!slices.ContainsFunc(b, func(r data.Role) bool { return !slices.Contains(a, r) })
}

// onCompact says what compacting does and, confirmed, does it.
func (p *syncPanel) onCompact() {
	st, ok := p.settings()
	if !ok || st.AdminKey == nil {
		return
	}
	note := widget.NewLabel(T("Se sincroniza, se escribe en la carpeta una instantánea cifrada de todo lo que tiene este equipo y se retiran del servidor los lotes de este equipo que ya han leído todos los demás. Un equipo que se una después empieza por la instantánea. No se pierde nada; puede tardar unos minutos."))
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(T("Compactar ahora"), T("Compactar"), T("Cancelar"), note, func(ok bool) {
		if ok {
			p.appPassword(st, true, p.compact)
		}
	}, p.u.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	p.u.showDialog(d)
}

// compact compacts in the background, with a progress dialog, and says
// what it did. It waits for no sync: one under way makes it say so.
func (p *syncPanel) compact(pw string) {
	p.mu.Lock()
	busy := p.running
	p.running = !busy
	p.mu.Unlock()
	if busy {
		p.u.showDialog(dialog.NewInformation(T("Compactar ahora"), T("Hay una sincronización en curso: vuelva a intentarlo cuando termine."), p.u.win))
		return
	}
	p.nowBtn.Disable()
	p.compactBtn.Disable()
	wait := dialog.NewCustomWithoutButtons(T("Compactando…"), widget.NewProgressBarInfinite(), p.u.win)
	wait.Resize(fyne.NewSize(420, wait.MinSize().Height))
	p.u.showDialog(wait)
	go func() {
		ref, n, err := compactSpace(p.u.store, pw)
		fyne.Do(func() {
			wait.Hide()
			p.mu.Lock()
			p.running = false
			p.mu.Unlock()
			p.compactBtn.Enable()
			p.show()
			if err != nil {
				log.Printf("sincronización: compactar: %v", err)
				p.compacted = T("No se pudo compactar: {{.Error}}", map[string]any{"Error": syncErr(err)})
				p.u.showDialog(dialog.NewError(errors.New(p.compacted), p.u.win))
			} else {
				p.compacted = T("Instantánea n.º {{.Seq}} escrita ({{.Ops}} operaciones). Lotes de este equipo retirados del servidor: {{.N}}.",
					map[string]any{"Seq": ref.Seq, "Ops": ref.Ops, "N": n})
				p.u.showDialog(dialog.NewInformation(T("Compactar ahora"), p.compacted, p.u.win))
			}
			if p.synced != nil {
				p.synced()
			}
		})
	}()
}

// compactSpace is `enlace sync compact`: a sync, a snapshot, and the
// removal of this install's batches every member has read.
func compactSpace(s *data.Store, pw string) (esync.SnapshotRef, int, error) {
	ss, err := esync.OpenSession(s, pw)
	if err != nil {
		return esync.SnapshotRef{}, 0, err
	}
	defer ss.Close()
	return ss.Compact(time.Now())
}
