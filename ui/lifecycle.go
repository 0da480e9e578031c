package ui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/godbus/dbus/v5"
)

// requestClose is what closing the window does: the backup on close, if
// it is set, and then the window closes, which quits Enlace and closes the
// database (releasing its lock). Closing never just hides the window: on a
// desktop without a tray (stock GNOME) a hidden window could not be found
// again and would keep the database locked.
func (u *App) requestClose() {
	if u.backup == nil { // still locked, before the first unlock
		u.win.Close()
		return
	}
	u.backup.beforeClose(u.win.Close)
}

// RequestClose quits the way closing the window does, backup on close
// included: for the end of the desktop session (SIGTERM) or Ctrl+C in the
// terminal that started Enlace. Call it on the UI goroutine (fyne.Do).
func (u *App) RequestClose() { u.requestClose() }

// showWindow brings the window to the front (from the tray).
func (u *App) showWindow() {
	u.win.Show()
	u.win.RequestFocus()
}

// startTray sets up the system tray icon, before the app runs (Fyne starts
// the tray only then), where the desktop can have one: on Linux only with a
// session D-Bus, without which systray panics when Enlace quits.
func (u *App) startTray() {
	desk, ok := u.app.(desktop.App)
	if !ok || u.tray || !sessionBusUp() {
		return
	}
	u.tray = true
	desk.SetSystemTrayMenu(u.trayMenu(fyne.NewMenuItem(T("Abrir Enlace"), u.showWindow)))
	desk.SetSystemTrayIcon(trayIcon(0))
}

// trayMenu is the tray's menu: items, then "Salir", which quits the way
// closing the window does (with the backup on close).
func (u *App) trayMenu(items ...*fyne.MenuItem) *fyne.Menu {
	quit := fyne.NewMenuItem(T("Salir"), func() {
		u.showWindow() // the backup's progress or failure shows in the window
		u.requestClose()
	})
	quit.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("Enlace", items...)
}

// sessionBusUp tells whether the system tray can work: on Linux and the
// BSDs it needs the session D-Bus (systray's exit code dereferences the
// connection it failed to make). The connection is godbus's shared one,
// which systray then uses.
func sessionBusUp() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	conn, err := dbus.SessionBus()
	return err == nil && conn.Connected()
}
