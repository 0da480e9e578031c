package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	_ "time/tzdata" // Europe/Madrid on Windows machines without a zone database

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/resources"
	"github.com/enlace-madrid/enlace/ui"
)

// headlessHelp names what works without a display.
const headlessHelp = `No hay pantalla gráfica (ni DISPLAY ni WAYLAND_DISPLAY): la ventana de Enlace no puede abrirse.
Sin pantalla funcionan estas órdenes:
  enlace demo --db RUTA      crea una base de datos de demostración
  enlace search --db RUTA X  busca personas
  enlace info --db RUTA      cuenta los registros
  enlace reminders --due     recordatorios vencidos
  enlace stats --json        estadísticas del programa
  enlace pdf, export, import, backup, restore, ri, audit, gdpr
  enlace version
La base de datos está cifrada: indique usuario y contraseña en
ENLACE_USER y ENLACE_PASSPHRASE, o escríbalos cuando se pidan.
  enlace help                lista todas las órdenes`

func runGUI(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("gui", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return &exitError{code: 2, msg: headlessHelp}
	}
	a := app.NewWithID("es.madrid.enlace")
	a.SetIcon(fyne.NewStaticResource("icon.png", resources.Icon))
	if err := ui.SetLanguage(a.Preferences().StringWithFallback("language", "es")); err != nil {
		fmt.Fprintln(stderr, "enlace: traducciones:", err)
	}
	path, err := dbPath(*db)
	if err != nil {
		showFatal(a, ui.ErrorMessage(err))
		return &exitError{code: 1, msg: userMessage(err)}
	}
	// With ENLACE_USER and ENLACE_PASSPHRASE set (a kiosk, the smoke test)
	// the window opens unlocked; otherwise it asks.
	var u *ui.App
	if os.Getenv(envUser) != "" && os.Getenv(envDBPass) != "" {
		store, err := open(path, nil)
		if err != nil {
			showFatal(a, ui.ErrorMessage(err))
			return &exitError{code: 1, msg: userMessage(err)}
		}
		u = ui.New(a, store, version)
		u.SetReopen(func(p string) (*data.Store, error) { return open(p, nil) })
	} else {
		u = ui.Open(a, path, version)
	}
	defer u.Close()
	quitOnSignal(u)
	u.ShowAndRun()
	return nil
}

// quitOnSignal closes Enlace properly on the first SIGTERM (the desktop
// session ending) or Ctrl+C: backup on close, database closed, tray gone,
// instead of dying with the database open. A second signal kills as
// usual.
func quitOnSignal(u *ui.App) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		signal.Stop(sig)
		fyne.Do(u.RequestClose)
	}()
}

// showFatal shows msg in a small window and waits for the user to close
// it: a coordinator who double-clicked the icon sees no terminal.
func showFatal(a fyne.App, msg string) {
	w := a.NewWindow(ui.T("Enlace: error"))
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewPadded(container.NewBorder(nil,
		container.NewCenter(widget.NewButton(ui.T("Cerrar"), a.Quit)), nil, nil, text)))
	w.Resize(fyne.NewSize(480, 160))
	w.ShowAndRun()
}
