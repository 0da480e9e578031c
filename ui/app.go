package ui

import (
	"errors"
	"log"
	"os"
	"os/user"

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
	prefAuthor   = "author"   // the name written on every change
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
	docStyle  *docStylePanel

	dialogs []dialog.Dialog // open dialogs, newest last, for Esc
}

// New builds the main window over store. Call SetLanguage before New.
func New(a fyne.App, store *data.Store, version string) *App {
	u := &App{app: a, store: store, version: version}
	u.applyTheme(a.Preferences().StringWithFallback(prefTheme, "system"))
	u.win = a.NewWindow("Enlace")
	u.win.Resize(fyne.NewSize(1280, 800))
	u.win.SetMaster()

	u.backup = newBackupPanel(u)
	u.docStyle = newDocStylePanel(u)
	u.people = newPeopleScreen(u)
	u.referrals = newReferralsScreen(u)
	u.reminders = newRemindersScreen(u)
	u.reports = newReportsScreen(u)
	u.offices = newOfficesScreen(u)
	u.programme = newProgrammeScreen(u)
	u.ri = newRIScreen(u)
	u.settings = newSettingsScreen(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(T("Personas"), theme.AccountIcon(), u.people.content()),
		container.NewTabItemWithIcon(T("Derivaciones"), theme.MailForwardIcon(), u.referrals.content()),
		container.NewTabItemWithIcon(T("Recordatorios"), theme.HistoryIcon(), u.reminders.content()),
		container.NewTabItemWithIcon(T("Informes"), theme.DocumentIcon(), u.reports.content()),
		container.NewTabItemWithIcon(T("Oficinas y personal"), theme.HomeIcon(), u.offices.content()),
		container.NewTabItemWithIcon(T("Programa"), theme.ListIcon(), u.programme.content()),
		container.NewTabItemWithIcon(T("Programa RI"), theme.FolderIcon(), u.ri.content()),
		container.NewTabItemWithIcon(T("Ajustes"), theme.SettingsIcon(), u.settings.content()),
	)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(t *container.TabItem) { u.onTabSelected(t) }
	u.win.SetContent(container.NewBorder(u.backup.warning(), nil, nil, nil, u.tabs))
	u.win.SetCloseIntercept(func() { u.backup.beforeClose(u.win.Close) })
	u.addShortcuts()
	return u
}

// Window returns the main window.
func (u *App) Window() fyne.Window { return u.win }

// ShowAndRun shows the main window and runs until it closes.
func (u *App) ShowAndRun() {
	u.win.Show()
	u.people.focusSearch()
	u.reminders.start()
	u.backup.start()
	u.app.Run()
}

func (u *App) onTabSelected(t *container.TabItem) {
	switch t.Content {
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
	}
}

// addShortcuts binds Ctrl+F (search people), Ctrl+N (new person) and Esc
// (close the open dialog).
func (u *App) addShortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		u.tabs.SelectIndex(0)
		u.people.focusSearch()
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		u.tabs.SelectIndex(0)
		u.people.onNew()
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			u.dismissTop()
		}
	})
}

// showDialog shows d and remembers it so Esc can close it.
func (u *App) showDialog(d dialog.Dialog) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() { u.forgetDialog(d) })
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

// showPerson switches to Personas and opens personID's page.
func (u *App) showPerson(personID string) {
	u.tabs.SelectIndex(0)
	u.people.open(personID)
}

// showReferrals switches to Derivaciones.
func (u *App) showReferrals() {
	u.tabs.SelectIndex(1)
	u.referrals.refresh()
}

// Author returns the name written on every change: the one set in Ajustes,
// or the operating system's user name until then.
func (u *App) Author() string {
	if a := u.app.Preferences().String(prefAuthor); a != "" {
		return a
	}
	if cu, err := user.Current(); err == nil {
		if cu.Name != "" {
			return cu.Name
		}
		return cu.Username
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return "Enlace"
}

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
		return T("Revise los datos:") + " " + ve.Error()
	case errors.Is(err, data.ErrLocked):
		return T("La base de datos está abierta en otra ventana de Enlace. Ciérrela y vuelva a intentarlo.")
	case errors.Is(err, data.ErrNotFound):
		return T("Ese registro ya no existe: puede que otra persona lo haya borrado.")
	case errors.Is(err, data.ErrSchemaTooNew):
		return T("Esta base de datos es de una versión más nueva de Enlace. Actualice Enlace para abrirla.")
	case errors.Is(err, data.ErrReadOnly):
		return T("La base de datos está abierta solo para lectura.")
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
