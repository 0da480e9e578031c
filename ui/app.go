package ui

import (
	"errors"
	"log"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// Preference keys (Fyne's per-user preferences: interface choices, not data).
const (
	prefLanguage = "language" // "es" or "en"
)

// App is Enlace's main window and the screens in it.
type App struct {
	app     fyne.App
	win     fyne.Window
	store   *data.Store
	version string

	tabs      *container.AppTabs
	people    *peopleScreen
	referrals *referralsScreen
	reminders *remindersScreen
	reports   *reportsScreen
	offices   *officesScreen
	programme *programmeScreen
	ri        *riScreen
	settings  *settingsScreen
	backup    *backupPanel
	sync      *syncPanel
	docStyle  *docStylePanel
	forms     *formsPull // Derivaciones' Nextcloud Forms buttons

	dialogs []dialog.Dialog // open dialogs, newest last, for Esc
	lastDir string          // the folder last chosen in a file dialog (see fileSave)

	main        fyne.CanvasObject   // the screens, once unlocked
	saved       *savedBar           // "guardado en …" after a file is written
	foot        *fyne.Container     // the strips at the foot: saved, sync
	footHolders []*fyne.Container   // where the foot goes under each screen
	screens     []fyne.CanvasObject // each navigation tab's screen, in order
	gates       []*roleGate         // buttons disabled for roles that may not use them
	started     bool                // start has run: the screens are filled
	users       *usersPanel
	audit       *auditPanel
	retention   *retentionPanel
	activity    activity
	lastTyped   string // the focused entry's text when last looked at
	locking     lockState

	// reopen opens the database again as the unlocked user, after a
	// restore swapped the file (set at unlock; nil in tests that build
	// the window over a store).
	reopen func(path string) (*data.Store, error)

	tray   bool // the system tray was set up (a session D-Bus was there)
	closed bool // Close has closed the store
}

// SetReopen tells the window how to open the database again as the same
// user (after a restore), when it was built over an open store with New.
func (u *App) SetReopen(f func(path string) (*data.Store, error)) { u.reopen = f }

// openAgain reopens path with u.reopen.
func (u *App) openAgain(path string) (*data.Store, error) {
	if u.reopen == nil {
		return nil, data.ErrNoCredentials
	}
	return u.reopen(path)
}

// New builds the main window over an unlocked store. Call SetLanguage
// before New. (Open builds it locked, over a path.)
func New(a fyne.App, store *data.Store, version string) *App {
	u := newShell(a, version)
	u.store = store
	u.build()
	u.win.SetContent(u.main)
	return u
}

// newShell makes the window, with nothing in it yet.
func newShell(a fyne.App, version string) *App {
	u := &App{app: a, version: version}
	u.applyTheme(a.Preferences().StringWithFallback(prefTheme, "system"))
	u.win = a.NewWindow("Enlace")
	u.win.Resize(fyne.NewSize(1280, 800))
	u.win.SetMaster()
	u.addShortcuts()
	return u
}

// build makes the screens over u.store.
func (u *App) build() {
	u.backup = newBackupPanel(u)
	u.sync = newSyncPanel(u)
	u.docStyle = newDocStylePanel(u)
	u.people = newPeopleScreen(u)
	u.referrals = newReferralsScreen(u)
	u.reminders = newRemindersScreen(u)
	u.reports = newReportsScreen(u)
	u.offices = newOfficesScreen(u)
	u.programme = newProgrammeScreen(u)
	u.users = newUsersPanel(u)
	u.audit = newAuditPanel(u)
	u.retention = newRetention(u)
	u.ri = newRIScreen(u)
	u.settings = newSettingsScreen(u)
	screens := []struct {
		name string
		icon fyne.Resource
		obj  fyne.CanvasObject
	}{
		{T("Personas"), theme.AccountIcon(), u.people.content()},
		{T("Derivaciones"), theme.MailForwardIcon(), u.referrals.content()},
		{T("Recordatorios"), theme.HistoryIcon(), u.reminders.content()},
		{T("Informes"), theme.DocumentIcon(), u.reports.content()},
		{T("Oficinas y personal"), theme.HomeIcon(), u.offices.content()},
		{T("Programa"), theme.ListIcon(), u.programme.content()},
		{T("Programa RI"), theme.FolderIcon(), u.ri.content()},
		{T("Ajustes"), theme.SettingsIcon(), u.settings.content()},
	}
	// The strips at the foot ("guardado en …", sync) go under the screen
	// on show, beside the navigation rail and not under it: under it they
	// took the rail's height and Ajustes went behind ⋮.
	u.saved = newSavedBar(u)
	u.foot = container.NewVBox(u.saved.root, u.sync.strip)
	items := make([]*container.TabItem, len(screens))
	for i, sc := range screens {
		holder := container.NewStack()
		u.footHolders = append(u.footHolders, holder)
		u.screens = append(u.screens, sc.obj)
		items[i] = container.NewTabItemWithIcon(sc.name, sc.icon, container.NewBorder(nil, holder, nil, nil, sc.obj))
	}
	u.footHolders[0].Add(u.foot)
	u.tabs = container.NewAppTabs(items...)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(t *container.TabItem) { u.onTabSelected(t) }
	u.main = newActivityArea(container.NewBorder(u.backup.warning(), nil, nil, nil, u.tabs), u.activity.touch)
	u.win.SetCloseIntercept(u.requestClose)
	u.win.SetOnClosed(func() { u.Close() })
}

// Close closes the database, if it was opened.
func (u *App) Close() error {
	if u.store == nil || u.closed {
		return nil
	}
	u.closed = true
	return u.store.Close()
}

// Window returns the main window.
func (u *App) Window() fyne.Window { return u.win }

// ShowAndRun shows the main window and runs until it closes.
func (u *App) ShowAndRun() {
	u.startTray()
	u.win.Show()
	if u.main != nil && !u.locking.locked {
		u.start()
	} else if v := u.locking.view; v != nil {
		u.win.Canvas().Focus(v.login)
	}
	u.app.Run()
}

// start begins the screens' background work, once unlocked.
func (u *App) start() {
	u.people.focusSearch()
	u.reminders.start()
	u.backup.start()
	u.sync.start()
	u.watchIdle()
	u.started = true
}

// refreshUser shows who is now signing the changes, after another user
// unlocked the window.
func (u *App) refreshUser() {
	u.applyGates()
	u.users.refresh()
	if t := u.tabs.Selected(); t != nil {
		u.onTabSelected(t)
	}
}

func (u *App) onTabSelected(t *container.TabItem) {
	i := slices.Index(u.tabs.Items, t)
	if i < 0 {
		return
	}
	for _, h := range u.footHolders {
		h.RemoveAll()
	}
	u.footHolders[i].Add(u.foot)
	u.footHolders[i].Refresh()
	switch u.screens[i] {
	case u.people.content():
		u.people.refresh()
	case u.referrals.content():
		u.referrals.refresh()
	case u.reminders.content():
		u.reminders.refresh()
	case u.reports.content():
		u.reports.refresh()
	case u.offices.content():
		u.offices.refresh()
	case u.programme.content():
		u.programme.refresh()
	case u.ri.content():
		u.ri.refresh()
	case u.settings.content():
		u.users.refresh()
		u.audit.list.show()
		u.retention.refresh()
	}
}

// addShortcuts binds Ctrl+F (search people), Ctrl+N (new person), Ctrl+L
// (lock), Ctrl+R (sync now) and Esc (close the open dialog).
func (u *App) addShortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if u.usable() {
			u.tabs.SelectIndex(0)
			u.people.focusSearch()
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if u.usable() {
			u.tabs.SelectIndex(0)
			u.people.onNew()
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		u.lock()
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if u.usable() && u.sync != nil {
			u.sync.syncNow(true) // nothing when the install is in no space
		}
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		u.activity.touch()
		if ev.Name == fyne.KeyEscape {
			u.dismissTop()
		}
	})
}

// usable reports whether the screens are built and showing (not locked).
func (u *App) usable() bool { return u.main != nil && !u.locking.locked }

// showDialog shows d and remembers it so Esc can close it.
func (u *App) showDialog(d dialog.Dialog) { u.showDialogThen(d, nil) }

// showDialogThen is showDialog, running closed (when set) once d is
// closed, whichever way.
func (u *App) showDialogThen(d dialog.Dialog, closed func()) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() {
		u.forgetDialog(d)
		if closed != nil {
			closed()
		}
	})
	d.Show()
}

func (u *App) forgetDialog(d dialog.Dialog) {
	for i := len(u.dialogs) - 1; i >= 0; i-- {
		if u.dialogs[i] == d {
			u.dialogs = append(u.dialogs[:i], u.dialogs[i+1:]...)
			return
		}
	}
}

// dismissTop closes the newest open dialog, if any.
func (u *App) dismissTop() {
	if n := len(u.dialogs); n > 0 {
		u.dialogs[n-1].Hide() // Hide runs OnClosed, which forgets it
	}
}

// showPerson switches to Personas and opens personID's page, with them
// selected in the list (not whoever was selected before).
func (u *App) showPerson(personID string) {
	u.tabs.SelectIndex(0)
	u.people.openPerson(personID)
}

// showPersonForCall opens personID's history ready to note a follow-up
// call: kind Llamada, the cursor in the text.
func (u *App) showPersonForCall(personID string) {
	u.showPerson(personID)
	if u.people.selected != personID {
		return // not opened: the error is on show
	}
	pg := u.people.page
	pg.tabs.SelectIndex(0)
	pg.tl.kind.SetSelected(T(data.EventCall.Label()))
	u.win.Canvas().Focus(pg.tl.text)
}

// showReferrals switches to Derivaciones.
func (u *App) showReferrals() {
	u.tabs.SelectIndex(1)
	u.referrals.refresh()
}

// Author returns the name written on every change: the unlocked user's.
// (The store signs every write with it anyway; callers pass it for the
// records that name their author in their text.)
func (u *App) Author() string { return u.store.User().Name }

// showError tells the user what went wrong in a sentence they understand,
// and logs the detail.
func (u *App) showError(err error) {
	log.Printf("error: %v", err)
	d := dialog.NewError(errors.New(ErrorMessage(err)), u.win)
	u.showDialog(d)
}

// ErrorMessage turns an error from data into a Spanish sentence for a
// coordinator. Anything unexpected becomes "internal error"; the detail
// goes to the log.
func ErrorMessage(err error) string {
	var ve *data.ValidationError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve):
		return T("Revise los datos:") + " " + validationText(ve)
	case errors.Is(err, data.ErrLocked):
		return T("La base de datos está abierta en otra ventana de Enlace. Ciérrela y vuelva a intentarlo.")
	case errors.Is(err, data.ErrNotFound):
		return T("Ese registro ya no existe: puede que otra persona lo haya borrado.")
	case errors.Is(err, data.ErrSchemaTooNew):
		return T("Esta base de datos es de una versión más nueva de Enlace. Actualice Enlace para abrirla.")
	case errors.Is(err, data.ErrReadOnly):
		return T("La base de datos está abierta solo para lectura.")
	case errors.Is(err, data.ErrForbidden):
		var fe *data.ForbiddenError
		if errors.As(err, &fe) {
			return dataErrorText(fe) // data's sentence, naming the role that may
		}
		return T("Su usuario no tiene permiso para hacer esto.")
	case errors.Is(err, data.ErrWrongPassphrase):
		return T("Usuario o contraseña incorrectos.")
	case errors.Is(err, data.ErrNotEncrypted):
		return T("Esta base de datos es de una versión anterior de Enlace y no está cifrada: cree el usuario administrador para cifrarla.")
	}
	return T("Error interno. Los detalles están en el registro de Enlace.")
}

// newPendingScreen is an honest empty state for a section whose records
// do not exist in this database yet.
func newPendingScreen(title, text string) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	return container.NewPadded(container.NewVBox(heading, body))
}
