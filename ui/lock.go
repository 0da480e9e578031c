package ui

import (
	"errors"
	"log"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// prefLockMinutes is how long the window may stay unused before Enlace
// locks itself (0: never). A per-computer preference, like the language.
const (
	prefLockMinutes    = "lock_minutes"
	defaultLockMinutes = 10
)

// lockChoices are the inactivity periods offered in Ajustes, in minutes.
var lockChoices = []int{5, 10, 15, 30, 60, 0}

func lockLabel(min int) string {
	if min == 0 {
		return T("Nunca")
	}
	return T("Tras {{.N}} minutos sin usarlo", map[string]any{"N": min})
}

// activity records when the user last moved the mouse over the window or
// typed in it.
type activity struct{ last atomic.Int64 }

func (a *activity) touch()                           { a.last.Store(time.Now().UnixNano()) }
func (a *activity) idle(now time.Time) time.Duration { return now.Sub(time.Unix(0, a.last.Load())) }

// activityArea wraps the window's content to notice the mouse. Fyne has
// no window-wide input hook, but on every mouse move it asks each object
// under the pointer, ancestors included, for its cursor
// (desktop.Cursorable): this area is the ancestor of everything, so it
// hears every move, and answers the default so its children still choose.
type activityArea struct {
	widget.BaseWidget
	child fyne.CanvasObject
	seen  func()
}

func newActivityArea(child fyne.CanvasObject, seen func()) *activityArea {
	a := &activityArea{child: child, seen: seen}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activityArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.child) }

// Cursor notes the move.
func (a *activityArea) Cursor() desktop.Cursor {
	a.seen()
	return desktop.DefaultCursor
}

var _ desktop.Cursorable = (*activityArea)(nil)

// lockState is what the window hides while it is locked.
type lockState struct {
	locked   bool
	overlays []fyne.CanvasObject // open dialogs, put back for the same user
	userID   string
	view     *unlockView
}

// Open builds Enlace's window on the database at path, locked: it asks
// for the user and passphrase (or creates the first user of a new file,
// or encrypts a file from an older Enlace) and builds the screens once
// the store opens. Call SetLanguage before Open, then ShowAndRun.
func Open(a fyne.App, path, version string) *App {
	u := newShell(a, version)
	mode := modeOpen
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		mode = modeCreate
	}
	u.locking.view = newUnlockView(u, path, mode)
	u.win.SetContent(u.locking.view.root)
	return u
}

// unlocked builds the screens over store and starts the background work.
func (u *App) unlocked(store *data.Store) {
	u.store = store
	u.build()
	u.win.SetContent(u.main)
	u.start()
}

// lock hides everything behind the unlock form: the screens and any open
// dialog, which come back as they were when the same user unlocks.
func (u *App) lock() {
	if u.locking.locked || u.main == nil {
		return
	}
	ov := u.win.Canvas().Overlays()
	// List shares the stack's array, which Remove clears: copy it, and
	// remove from the top (Remove drops everything above what it removes).
	u.locking = lockState{locked: true, overlays: append([]fyne.CanvasObject(nil), ov.List()...), userID: u.store.User().ID}
	for i := len(u.locking.overlays) - 1; i >= 0; i-- {
		ov.Remove(u.locking.overlays[i])
	}
	v := newUnlockView(u, u.store.Path(), modeRelock)
	v.login.SetText(u.store.User().Login)
	u.locking.view = v
	u.win.SetContent(v.root)
	u.win.Canvas().Focus(v.pass)
}

// relocked shows the screens again after Reauth. Another user gets them
// without the previous user's dialogs, and with their own name on every
// change from now on.
func (u *App) relocked() {
	same := u.store.User().ID == u.locking.userID
	u.win.SetContent(u.main)
	if same {
		for _, o := range u.locking.overlays {
			u.win.Canvas().Overlays().Add(o)
		}
	} else {
		u.dialogs = nil
		u.refreshUser()
	}
	u.locking = lockState{}
	u.activity.touch()
}

// watchIdle locks the window after the chosen minutes without use. It
// looks every few seconds, on the UI goroutine, for typing the window did
// not report (text changing in the focused entry).
func (u *App) watchIdle() {
	u.activity.touch()
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for range t.C {
			fyne.Do(u.checkIdle)
		}
	}()
}

// checkIdle notes typing in the focused entry and locks when the window
// has been idle too long.
func (u *App) checkIdle() {
	if u.locking.locked {
		return
	}
	if e, ok := u.win.Canvas().Focused().(*widget.Entry); ok && e.Text != u.lastTyped {
		u.lastTyped = e.Text
		u.activity.touch()
	}
	min := u.lockMinutes()
	if min > 0 && u.activity.idle(time.Now()) >= time.Duration(min)*time.Minute {
		log.Printf("bloqueo: %d minutos sin actividad", min)
		u.lock()
	}
}

// lockMinutes returns the inactivity period chosen in Ajustes.
func (u *App) lockMinutes() int {
	return u.app.Preferences().IntWithFallback(prefLockMinutes, defaultLockMinutes)
}

// lockButton locks the window now (Ctrl+L).
func (u *App) lockButton() *widget.Button {
	b := widget.NewButton(T("Bloquear ahora (Ctrl+L)"), u.lock)
	return b
}

// lockRow is the Ajustes row that chooses the inactivity period.
func (u *App) lockRow() fyne.CanvasObject {
	labels := make([]string, len(lockChoices))
	for i, m := range lockChoices {
		labels[i] = lockLabel(m)
	}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelected(lockLabel(u.lockMinutes()))
	sel.OnChanged = func(string) {
		u.app.Preferences().SetInt(prefLockMinutes, lockChoices[sel.SelectedIndex()])
	}
	return container.NewVBox(sel, u.lockButton(),
		smallNote(T("Al bloquearse, Enlace oculta los datos de la pantalla hasta que escriba su contraseña.")))
}
