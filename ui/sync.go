package ui

import (
	"errors"
	"log"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// syncEvery is how often the window syncs in the background.
const syncEvery = 5 * time.Minute

// syncPanel is Ajustes → Sincronización: connect this install to the
// space on the organisation's Nextcloud (create it, join it with an
// invitation, invite others), sync now, and the state of the last sync,
// also shown in the window's bottom strip.
type syncPanel struct {
	u       *App
	root    fyne.CanvasObject
	state   *widget.Label
	devices *widget.Label
	refused *fyne.Container // "Lotes rechazados"
	repairs *fyne.Container // this computer's batches published again, or that it cannot repair
	halted  *widget.Label   // the guard against mass deletion stopped the sync
	strip   *widget.Label
	nowBtn  *widget.Button
	// checkBtn is "Comprobar mis lotes" (sync_repair.go), and checked
	// what the last check said (for tests).
	checkBtn *widget.Button
	checked  string
	create   *widget.Button
	join     *widget.Button
	invite   *widget.Button
	review   *widget.Button
	remove   *widget.Button
	// roles and compactBtn are the administrator's "Cambiar funciones…"
	// and "Compactar ahora" (sync_admin.go).
	roles      *widget.Button
	compactBtn *widget.Button
	members    []esync.Member // the space's devices, as the last sync read them
	// removePick is the choice of the open "Retirar un equipo" dialog, and
	// removed what the last removal did (for tests).
	removePick *widget.Select
	removed    string
	// rolesPick and rolesCheck are the open "Cambiar funciones" dialog's
	// user and roles; rolesResult and compacted what the last change of
	// roles and compaction said (for tests).
	rolesPick     *widget.Select
	rolesCheck    *widget.CheckGroup
	rolesResult   string
	compacted     string
	inviteRoles   *widget.CheckGroup // the open "Invitar un equipo" dialog's roles
	passwordEntry *widget.Entry      // the open password dialog's entry (for tests)
	inviteCopied  *widget.Label      // the open invitation's "Copiada."
	keyring       backup.Secrets
	password      string // the app password typed this session
	// conflicts are the changes made at once at two installs not yet
	// reviewed, as the store keeps them, for "Revisar conflictos".
	conflicts  []esync.Conflict
	reviewList *fyne.Container // the open review dialog's list
	joinWait   *joinDialog     // progress while joining, until the first sync ends (sync_join.go)
	joinShown  func(string)    // tests: told each text of the join's progress once it is shown
	warnedMass bool            // the mass deletion's dialog was shown since the last good sync
	unsent     int             // changes the sync file held unsent at the last sync that opened it

	mu      gosync.Mutex
	running bool
	stop    chan struct{}
	synced  func() // tests: told when a sync (or a change of roles that failed, a compaction, an invitation) has been dealt with
}

func newSyncPanel(u *App) *syncPanel {
	p := &syncPanel{u: u, keyring: backup.Keyring()}
	title := widget.NewLabelWithStyle(T("Sincronización entre oficinas"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := smallNote(T("Las oficinas comparten los casos a través de una carpeta de la nube de la organización (Nextcloud). Todo se cifra en este equipo antes de salir: el servidor solo guarda datos ilegibles. Cada equipo trabaja sin conexión y sincroniza cada cinco minutos."))
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	p.devices = widget.NewLabel("")
	p.devices.Wrapping = fyne.TextWrapWord
	p.refused = container.NewVBox()
	p.refused.Hide()
	p.repairs = container.NewVBox()
	p.repairs.Hide()
	p.halted = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.halted.Wrapping = fyne.TextWrapWord
	p.halted.Importance = widget.DangerImportance
	p.halted.Hide()
	p.strip = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	p.nowBtn = widget.NewButtonWithIcon(T("Sincronizar ahora (Ctrl+R)"), theme.ViewRefreshIcon(), func() { p.syncNow(true) })
	p.nowBtn.Importance = widget.HighImportance
	p.checkBtn = widget.NewButtonWithIcon(T("Comprobar mis lotes"), theme.SearchIcon(), p.onCheck)
	p.create = widget.NewButtonWithIcon(T("Crear el espacio…"), theme.FolderNewIcon(), p.onCreate)
	p.join = widget.NewButtonWithIcon(T("Unirse con una invitación…"), theme.LoginIcon(), p.onJoin)
	p.invite = widget.NewButtonWithIcon(T("Invitar un equipo…"), theme.AccountIcon(), p.onInvite)
	p.review = widget.NewButtonWithIcon(T("Revisar conflictos…"), theme.WarningIcon(), func() { p.onReview("") })
	p.review.Disable()
	p.remove = widget.NewButtonWithIcon(T("Retirar un equipo…"), theme.ContentRemoveIcon(), p.onRemove)
	p.remove.Disable()
	p.roles = widget.NewButtonWithIcon(T("Cambiar funciones…"), theme.AccountIcon(), p.onChangeRoles)
	p.compactBtn = widget.NewButtonWithIcon(T("Compactar ahora"), theme.StorageIcon(), p.onCompact)
	p.roles.Hide()
	p.compactBtn.Hide()
	// Only the buttons that can be used here show, in two rows that fit
	// the panel's width: before the space, create (administration) or
	// join; in it, sync and review; under them the administrator's tools.
	p.root = container.NewVBox(widget.NewSeparator(), title, intro, p.halted, p.state, p.devices,
		container.NewHBox(p.nowBtn, p.create, p.join, p.review, p.checkBtn),
		container.NewHBox(p.invite, p.remove, p.roles, p.compactBtn), p.refused, p.repairs)
	p.loadConflicts()
	p.loadMembers()
	p.enableReview()
	p.show()
	return p
}

// loadMembers reads the space's devices from the member list the last
// sync kept, so that the review names authors and the administrator's
// tools have them before this session's first sync.
func (p *syncPanel) loadMembers() {
	st, ok := p.settings()
	if !ok || len(st.MembersRaw) == 0 {
		return
	}
	if m, err := esync.OpenMembership(st.MembersRaw, st.AdminPub); err == nil {
		p.members = m.Members
	}
}

func (p *syncPanel) content() fyne.CanvasObject { return p.root }

// settings returns the install's sync settings, or false when it is in
// no space.
func (p *syncPanel) settings() (esync.Settings, bool) {
	st, err := esync.LoadSettings(p.u.store)
	if err != nil && !errors.Is(err, esync.ErrNotConfigured) {
		log.Printf("sincronización: %v", err)
	}
	return st, err == nil
}

// show fills the labels and buttons from the stored settings.
func (p *syncPanel) show() {
	st, ok := p.settings()
	user := p.u.store.User()
	admin := user.Has(data.RoleAdmin)
	if !ok {
		p.state.SetText(T("Este equipo no sincroniza con ningún otro. La administración crea el espacio; los demás equipos se unen con la invitación que ella entrega en persona."))
		p.devices.SetText("")
		p.devices.Hide() // no blank line over the buttons
		p.strip.SetText("")
		p.halted.Hide()
		p.showRefused(st)
		p.showRepairs(st)
		p.nowBtn.Disable()
		p.checkBtn.Disable()
		p.nowBtn.Hide()
		p.checkBtn.Hide()
		p.invite.Disable()
		for _, b := range []*widget.Button{p.invite, p.remove, p.roles, p.compactBtn} {
			b.Hide()
		}
		p.join.Enable()
		p.join.Show()
		p.create.Show()
		if admin {
			p.create.Enable()
		} else {
			p.create.Disable() // the note above says the administration creates it
		}
		return
	}
	p.create.Disable()
	p.join.Disable()
	p.create.Hide()
	p.join.Hide()
	p.nowBtn.Enable()
	p.checkBtn.Enable()
	p.nowBtn.Show()
	p.checkBtn.Show()
	// The administrator's tools (here and sync_admin.go): on the install
	// that holds the space's administrator key, unlocked by an
	// administrator.
	tools := st.AdminKey != nil && admin
	for _, b := range []*widget.Button{p.invite, p.remove, p.roles, p.compactBtn} {
		if tools {
			b.Show()
		} else {
			b.Hide()
		}
	}
	if tools {
		p.invite.Enable()
	} else {
		p.invite.Disable()
	}
	if len(p.spaceUsers()) > 0 {
		p.roles.Enable()
	} else {
		p.roles.Disable() // the list of devices comes with the first sync
	}
	if tools && len(p.removable(st.Device)) > 0 {
		p.remove.Enable()
	} else {
		p.remove.Disable()
	}
	last := T("todavía no")
	if !st.LastSync.IsZero() {
		last = st.LastSync.In(data.Madrid()).Format("02/01/2006 15:04")
	}
	pending := p.pendingCount()
	text := T("Este equipo es «{{.Device}}» en la carpeta {{.URL}}. Última sincronización: {{.Last}}. Cambios de este equipo por enviar: {{.Pending}}.",
		map[string]any{"Device": st.Device, "URL": st.URL, "Last": last, "Pending": pending})
	if st.LastError != "" {
		text += "\n" + T("No se pudo sincronizar: {{.Error}}", map[string]any{"Error": syncErrorText(st.LastError)})
	}
	p.state.SetText(text)
	strip := T("Sincronizado: {{.Last}}", map[string]any{"Last": last})
	if st.LastError != "" {
		strip = stripFailure(st.LastError)
		if !st.LastSync.IsZero() {
			strip += " · " + T("Última sincronización: {{.Last}}", map[string]any{"Last": last})
		}
	}
	if pending > 0 {
		strip += " · " + T("Cambios por enviar: {{.N}}", map[string]any{"N": pending})
	}
	if st.MassDeletion {
		strip = T("Sincronización detenida: borraría la mayoría de las fichas; avise a la administración")
		p.halted.SetText(massDeletionText(nil))
		p.halted.Show()
	} else {
		p.halted.Hide()
	}
	if n := len(p.conflicts); n > 0 {
		strip += " · " + T("Conflictos por revisar: {{.N}}", map[string]any{"N": n})
	}
	if n := p.waiting(st); n > 0 {
		strip += " · " + T("Lotes rechazados: {{.N}}", map[string]any{"N": n})
	}
	p.strip.SetText(strip)
	p.showRefused(st)
	p.showRepairs(st)
	p.root.Refresh()
}

// keyringKey names the app password in the credential store.
func keyringKey(st esync.Settings) string { return "sync:" + st.User + "@" + st.URL }

// appPassword is the sync folder's app password: typed this session, or
// from the credential store. ask asks for it when neither has it.
func (p *syncPanel) appPassword(st esync.Settings, ask bool, then func(string)) {
	if p.password != "" {
		then(p.password)
		return
	}
	if pw, err := p.keyring.Get(keyringKey(st)); err == nil && pw != "" {
		p.password = pw
		then(pw)
		return
	}
	if !ask {
		return
	}
	p.askPassword(st, "", then)
}

// askPassword asks for the app password, under why (the server's refusal
// of the one it had) when set, and remembers it as the user chooses.
func (p *syncPanel) askPassword(st esync.Settings, why string, then func(string)) {
	pw := widget.NewPasswordEntry()
	remember := widget.NewCheck(T("Recordarla en este equipo (almacén de contraseñas del sistema)"), nil)
	remember.SetChecked(true)
	body := container.NewVBox(widget.NewLabel(T("La contraseña de aplicación de {{.User}} en la nube:", map[string]any{"User": st.User})), pw, remember)
	if why != "" {
		note := widget.NewLabel(why)
		note.Wrapping = fyne.TextWrapWord
		note.Importance = widget.DangerImportance
		body.Objects = append([]fyne.CanvasObject{note, smallNote(T("Si la cambió en la nube, o la contraseña guardada ya no vale, escriba aquí la contraseña de aplicación actual."))}, body.Objects...)
	}
	p.passwordEntry = pw
	d := dialog.NewCustomConfirm(T("Contraseña de aplicación"), T("Aceptar"), T("Cancelar"),
		body,
		func(ok bool) {
			if !ok || pw.Text == "" {
				return
			}
			p.remember(st, pw.Text, remember.Checked)
			then(pw.Text)
		}, p.u.win)
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	p.u.showDialog(d)
	p.u.win.Canvas().Focus(pw)
}

func (p *syncPanel) remember(st esync.Settings, pw string, keep bool) {
	p.password = pw
	if keep {
		if err := p.keyring.Set(keyringKey(st), pw); err != nil {
			log.Printf("sincronización: guardar la contraseña: %v", err)
		}
	} else if err := p.keyring.Delete(keyringKey(st)); err != nil { // not one refused before
		log.Printf("sincronización: olvidar la contraseña: %v", err)
	}
}

// syncNow syncs off the UI goroutine; ask says whether to ask for a
// missing password (a click) or skip (the background timer).
func (p *syncPanel) syncNow(ask bool) {
	st, ok := p.settings()
	if !ok {
		return
	}
	p.appPassword(st, ask, func(pw string) {
		p.mu.Lock()
		if p.running {
			p.mu.Unlock()
			return
		}
		p.running = true
		p.mu.Unlock()
		p.nowBtn.Disable()
		p.strip.SetText(T("Sincronizando…"))
		var progress esync.Progress // the first sync after joining shows how far it is
		if p.joinWait != nil {
			progress = p.joinWait.progress
		}
		go func() {
			rep, status, err := p.run(pw, progress)
			fyne.Do(func() {
				if status.Device != "" {
					p.unsent = status.Unsent
					p.showDevices(status)
				}
				p.mu.Lock()
				p.running = false
				p.mu.Unlock()
				p.show()
				switch {
				case errors.Is(err, esync.ErrMassDeletion):
					// Said even for a background sync, once: nothing
					// arrives until the administration acts.
					log.Printf("sincronización: %v", err)
					if ask || !p.warnedMass {
						p.warnedMass = true
						p.u.showDialog(dialog.NewError(errors.New(massDeletionText(err)), p.u.win))
					}
				case err != nil && ask && errors.Is(err, esync.ErrAuth):
					// The password typed or stored is refused: ask for the
					// current one and sync with it.
					log.Printf("sincronización: %v", err)
					p.password = ""
					p.askPassword(st, T("No se pudo sincronizar: {{.Error}}", map[string]any{"Error": syncErr(err)}), func(string) { p.syncNow(true) })
				case err != nil:
					log.Printf("sincronización: %v", err)
					if ask {
						p.u.showDialog(dialog.NewError(errors.New(T("No se pudo sincronizar: {{.Error}}", map[string]any{"Error": syncErr(err)})), p.u.win))
					}
				default:
					p.warnedMass = false
				}
				if err == nil && rep.Received > 0 && p.u.tabs != nil {
					if t := p.u.tabs.Selected(); t != nil {
						p.u.onTabSelected(t) // show what came in
					}
				}
				p.endJoinWait() // the first sync after joining is over
				if p.synced != nil {
					p.synced()
				}
			})
		}()
	})
}

// run syncs once, telling progress (when not nil) how far it is.
func (p *syncPanel) run(pw string, progress esync.Progress) (esync.Report, esync.Status, error) {
	return esync.SyncOnceProgress(p.u.store, pw, time.Now(), progress)
}

// deviceLastSync is what a device's line says of its syncs: when it last
// synced (this install's own last sync; another's head, which a sync writes
// at least hourly, as the server dates it) and, for this install, its last
// upload.
func deviceLastSync(st esync.Status, device string) string {
	at := st.Seen[device]
	if device == st.Device {
		at = st.LastSync
	}
	if at.IsZero() {
		return T("todavía no ha sincronizado")
	}
	text := T("última sincronización: {{.When}}", map[string]any{"When": formatWhen(at)})
	if device == st.Device && !st.LastSent.IsZero() {
		text += " — " + T("último envío: {{.When}}", map[string]any{"When": formatWhen(st.LastSent)})
	}
	return text
}

// showDevices lists the space's devices and the conflicts to review.
func (p *syncPanel) showDevices(st esync.Status) {
	var lines []string
	for _, m := range st.Devices {
		if m.Removed {
			continue
		}
		line := "• " + m.Device + " — " + m.Name + " (" + userRoleLabels(m.Roles) + ")"
		if m.Device == st.Device {
			line += " — " + T("este equipo")
		}
		line += " — " + deviceLastSync(st, m.Device)
		lines = append(lines, line)
	}
	text := T("Equipos del espacio:") + "\n" + strings.Join(lines, "\n")
	if st.Conflicts > 0 {
		text += "\n" + T("Cambios simultáneos por revisar: {{.N}} (se aplicó el más reciente y se guarda el otro).", map[string]any{"N": st.Conflicts})
	}
	p.devices.SetText(text)
	p.devices.Show()
	p.members = st.Devices
	p.loadConflicts() // as the sync left them in the store
	p.enableReview()
	p.root.Refresh() // the wrapped labels grew: lay the panel out again
}

// start syncs now and every syncEvery while the window is open, when the
// install is in a space and its password is stored.
func (p *syncPanel) start() {
	if _, ok := p.settings(); !ok || p.stop != nil {
		return
	}
	p.stop = make(chan struct{})
	p.syncNow(false)
	go func() {
		t := time.NewTicker(syncEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				fyne.Do(func() { p.syncNow(false) })
			}
		}
	}()
}
