package ui

import (
	"context"
	"errors"
	"image/color"
	"log"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
)

// refreshBanner shows a job's progress, or the warning, or nothing.
func (b *backupPanel) refreshBanner() {
	b.banner.RemoveAll()
	if j := b.job; j != nil {
		if j.shown {
			b.banner.Add(strip(theme.ColorNamePrimary, theme.UploadIcon(), b.stripText,
				container.NewGridWrap(fyne.NewSize(240, b.stripBar.MinSize().Height), b.stripBar)))
		}
		b.banner.Refresh()
		return
	}
	text := b.warningText()
	if text == "" {
		b.banner.Refresh()
		return
	}
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	actions := container.NewHBox(widget.NewButton(T("Ajustes de las copias"), b.showSettings))
	if len(b.cfg.Destinations) > 0 {
		actions.Add(widget.NewButtonWithIcon(T("Hacer copia ahora"), theme.UploadIcon(), b.backupNow))
	}
	b.banner.Add(strip(theme.ColorNameWarning, theme.WarningIcon(), label, actions))
	b.banner.Refresh()
}

// warningText is what the strip says, "" when backups are in order.
func (b *backupPanel) warningText() string {
	if len(b.cfg.Destinations) == 0 {
		return T("Esta base de datos no tiene copias de seguridad: si el equipo se pierde o se estropea, se pierde el historial de los casos.")
	}
	over := backup.Overdue(b.cfg, b.st, b.u.store.Now())
	if len(over) == 0 {
		return ""
	}
	d := over[0]
	s := b.st[d.Key()]
	switch {
	case s.Failed():
		return T("La última copia de seguridad en {{.Dest}} falló: {{.Why}}", map[string]any{"Dest": shortName(d), "Why": backupMessage(s.Err())})
	case s.LastOK.IsZero():
		return T("Aún no se ha hecho ninguna copia de seguridad en {{.Dest}}.", map[string]any{"Dest": shortName(d)})
	}
	return T("La última copia de seguridad en {{.Dest}} es de hace más de 24 horas ({{.When}}).",
		map[string]any{"Dest": shortName(d), "When": whenText(s.LastOK)})
}

// strip is a bar across the window, tinted with bg: icon, text, actions.
// The tint is mixed with the background colour rather than translucent,
// so that nothing scrolled beneath shows through.
func strip(bg fyne.ThemeColorName, icon fyne.Resource, text, actions fyne.CanvasObject) fyne.CanvasObject {
	rect := canvas.NewRectangle(mix(theme.Color(bg), theme.Color(theme.ColorNameBackground), 0.18))
	return container.NewStack(rect, container.NewPadded(container.NewBorder(nil, nil,
		widget.NewIcon(icon), container.NewCenter(actions), text)))
}

// mix is f of a over (1-f) of b, opaque.
func mix(a, b color.Color, f float64) color.Color {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	c := func(x, y uint32) uint8 { return uint8((f*float64(x) + (1-f)*float64(y)) / 257) }
	return color.NRGBA{R: c(ar, br), G: c(ag, bg), B: c(ab, bb), A: 0xff}
}

// shortName is a destination in few words, for the strip: the folder, or
// the server and user.
func shortName(d backup.Destination) string {
	if d.Kind != backup.KindWebDAV {
		return d.Path
	}
	host := d.URL
	if u, err := url.Parse(d.URL); err == nil {
		host = u.Host
	}
	if d.User != "" {
		return host + " (" + d.User + ")"
	}
	return host
}

// showSettings selects Ajustes, where this panel is.
func (b *backupPanel) showSettings() {
	if b.u.tabs != nil {
		b.u.tabs.SelectIndex(len(b.u.tabs.Items) - 1)
	}
}

func (b *backupPanel) saveConfig() {
	if err := backup.SaveConfig(b.u.store, b.cfg); err != nil {
		b.u.showError(err)
	}
	b.refresh()
}

func (b *backupPanel) saveStatuses() {
	if err := backup.SaveStatuses(b.u.store, b.st); err != nil {
		log.Printf("copias: guardar el resultado: %v", err)
	}
}

// addDestination adds d unless it is already there.
func (b *backupPanel) addDestination(d backup.Destination) {
	for _, have := range b.cfg.Destinations {
		if have.Key() == d.Key() {
			return
		}
	}
	d.Password = ""
	b.cfg.Destinations = append(b.cfg.Destinations, d)
	b.saveConfig()
}

func (b *backupPanel) onRemove(i int) {
	if i >= len(b.cfg.Destinations) {
		return
	}
	d := b.cfg.Destinations[i]
	b.u.showDialog(dialog.NewConfirm(T("Quitar destino"),
		T("¿Dejar de hacer copias en {{.Dest}}? Las copias que ya hay allí no se borran.", map[string]any{"Dest": d.String()}),
		func(ok bool) {
			if !ok {
				return
			}
			b.cfg.Destinations = append(b.cfg.Destinations[:i:i], b.cfg.Destinations[i+1:]...)
			b.saveConfig()
			keyring, key := b.keyring, d.Key()
			go func() { _ = keyring.Delete(key) }()
			_ = b.session.Delete(key)
		}, b.u.win))
}

func (b *backupPanel) onAddFolder() {
	d := b.u.folderOpen(func(uri fyne.ListableURI, err error) {
		if err != nil {
			b.u.showError(err)
			return
		}
		if uri == nil {
			return
		}
		b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: uri.Path()})
	})
	b.u.showDialog(d)
}

// onCancel stops the running backup or restore.
func (b *backupPanel) onCancel() {
	if b.job != nil && b.job.cancel != nil {
		b.job.cancel()
	}
}

// whenText is a date and time for the user: 25/11/2026 10:00.
func whenText(t time.Time) string { return t.In(data.Madrid()).Format("02/01/2006 15:04") }

// wrapped is a label that wraps, for dialogs.
func wrapped(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.New(&maxWidthLayout{width: 520}, l)
}

// backupMessage is the sentence for a backup or restore error.
func backupMessage(err error) string {
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		return T("La contraseña no abre esta copia. Compruebe que es la que se usó al hacerla.")
	case errors.Is(err, backup.ErrCorrupt):
		return T("La copia está dañada o incompleta. Pruebe con otra copia.")
	case errors.Is(err, data.ErrSchemaTooNew):
		return T("La copia es de una versión más nueva de Enlace. Actualice Enlace para restaurarla.")
	case errors.Is(err, backup.ErrNoPassphrase):
		return T("Falta la contraseña de las copias: pulse «Hacer copia ahora» para escribirla.")
	case errors.Is(err, backup.ErrNoPassword):
		return T("Falta la contraseña de aplicación del servidor: pulse «Hacer copia ahora» para escribirla.")
	case errors.Is(err, backup.ErrAuth):
		return T("El servidor no acepta el usuario o la contraseña de aplicación. Revíselos en el destino.")
	case errors.Is(err, backup.ErrNoWrite):
		return T("El servidor no da permiso a este usuario para escribir en esa carpeta. Pida a quien la comparte que le dé permiso de edición.")
	case errors.Is(err, backup.ErrCertificate):
		return T("El certificado del servidor no es de confianza. Compruebe la dirección o pida al administrador del servidor que lo renueve.")
	case errors.Is(err, backup.ErrTooLarge):
		return T("El servidor rechaza un archivo de este tamaño (una regla del servidor) y no ofrece la subida por partes de Nextcloud. Pida al administrador del servidor que admita archivos más grandes o use el Nextcloud de la organización.")
	case errors.Is(err, backup.ErrServerFull):
		return T("No queda espacio en el servidor para la copia. Libere espacio o pida más cuota.")
	case errors.Is(err, backup.ErrUnreachable):
		return T("No se puede conectar con el servidor. Compruebe la conexión a internet y la dirección.")
	case errors.Is(err, backup.ErrInterrupted):
		return T("Se cortó la conexión durante la transferencia. No se ha perdido nada: vuelva a intentarlo.")
	case errors.Is(err, backup.ErrDiskFull):
		return T("No queda espacio en el disco. Libere espacio y vuelva a intentarlo.")
	case errors.Is(err, backup.ErrNoDestination):
		return T("No se encuentra la carpeta de destino. Si es un disco USB, compruebe que está conectado.")
	case errors.Is(err, backup.ErrNotFound):
		return T("Esa copia ya no está en el destino.")
	case errors.Is(err, backup.ErrInsecure):
		return T("La dirección debe empezar por https://: con http:// la contraseña viajaría sin cifrar.")
	case errors.Is(err, backup.ErrServer):
		return T("El servidor respondió con un error. Vuelva a intentarlo más tarde.")
	case errors.Is(err, data.ErrLocked):
		return T("La base de datos está abierta en otra ventana de Enlace. Ciérrela y vuelva a intentarlo.")
	case errors.Is(err, context.Canceled):
		return T("Cancelada.")
	}
	return T("La copia no se pudo hacer; los detalles están en el registro de Enlace.")
}
