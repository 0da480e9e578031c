package ui

import (
	"context"
	"errors"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data/backup"
)

// secretsFor reads, off the UI goroutine, the passphrase (when needPass)
// and the app passwords of the WebDAV destinations among dests, from this
// session and the credential store; then, on the UI goroutine, asks for
// the missing ones when ask (decline names the button that gives up), and
// calls next with the destinations completed. ok is false when something
// is missing and was not, or could not be, asked.
func (b *backupPanel) secretsFor(dests []backup.Destination, needPass, ask bool, decline string,
	next func(pass string, ready []backup.Destination, ok bool)) {
	keyring, session := b.keyring, b.session
	go func() {
		get := func(key string) string {
			if v, err := session.Get(key); err == nil {
				return v
			}
			if v, err := keyring.Get(key); err == nil {
				return v
			}
			return ""
		}
		pass := ""
		if needPass {
			pass = get(backup.PassphraseKey)
		}
		ready := append([]backup.Destination(nil), dests...)
		for i := range ready {
			if ready[i].Kind == backup.KindWebDAV && ready[i].Password == "" {
				ready[i].Password = get(ready[i].Key())
			}
		}
		fyne.Do(func() {
			missing := needPass && pass == ""
			for _, d := range ready {
				missing = missing || d.Kind == backup.KindWebDAV && d.Password == ""
			}
			switch {
			case !missing:
				next(pass, ready, true)
			case !ask:
				next(pass, ready, false)
			default:
				b.askSecrets(needPass && pass == "", ready, decline, func(p string, r []backup.Destination, ok bool) {
					if p == "" {
						p = pass
					}
					next(p, r, ok)
				})
			}
		})
	}()
}

// askSecrets asks for the passphrase (when pass) and the app passwords of
// the WebDAV destinations without one, checks a typed passphrase against
// the backups' (or sets it, the first time), keeps what was typed for the
// session and, if the user wants, in the credential store.
func (b *backupPanel) askSecrets(pass bool, dests []backup.Destination, decline string,
	next func(pass string, ready []backup.Destination, ok bool)) {
	form := widget.NewForm()
	passEntry, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	if pass {
		form.Append(T("Contraseña de las copias"), passEntry)
		if b.cfg.Check == "" {
			form.Append(T("Repítala"), again)
		}
	}
	pwEntries := map[int]*widget.Entry{}
	for i, d := range dests {
		if d.Kind == backup.KindWebDAV && d.Password == "" {
			e := widget.NewPasswordEntry()
			pwEntries[i] = e
			form.Append(T("Contraseña de aplicación de {{.User}}", map[string]any{"User": d.User}), withNote(e, smallNote(d.URL)))
		}
	}
	remember := b.rememberCheck()
	intro := T("Para hacer la copia hace falta:")
	if pass && b.cfg.Check == "" {
		intro = T("Elija la contraseña de las copias (al menos 10 caracteres). Sin ella las copias no se pueden abrir: guárdela en un lugar seguro.")
	}
	content := container.NewVBox(wrapped(intro), form, remember)
	d := dialog.NewCustomConfirm(T("Contraseñas de las copias"), T("Continuar"), decline, content, func(ok bool) {
		if !ok {
			next("", dests, false)
			return
		}
		p := passEntry.Text
		if pass && b.cfg.Check == "" {
			if msg := newPassphraseProblem(p, again.Text); msg != "" {
				b.u.showDialog(dialog.NewError(errors.New(msg), b.u.win))
				next("", dests, false)
				return
			}
		}
		ready := append([]backup.Destination(nil), dests...)
		for i, e := range pwEntries {
			ready[i].Password = e.Text
		}
		b.acceptSecrets(p, ready, pass, remember.Checked, next)
	}, b.u.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	b.u.showDialog(d)
	if pass {
		b.u.win.Canvas().Focus(passEntry)
	}
}

// acceptSecrets checks or sets the passphrase off the UI goroutine (scrypt
// takes a second), remembers what was typed, and calls next.
func (b *backupPanel) acceptSecrets(p string, ready []backup.Destination, typedPass, remember bool,
	next func(string, []backup.Destination, bool)) {
	check, logN, keyring, session := b.cfg.Check, b.logN, b.keyring, b.session
	go func() {
		var err error
		newCheck := ""
		switch {
		case !typedPass:
		case check == "":
			newCheck, err = backup.NewCheck(p, logN)
		default:
			err = backup.VerifyCheck(check, p)
		}
		if err == nil {
			keep := map[string]string{}
			if typedPass {
				keep[backup.PassphraseKey] = p
			}
			for _, d := range ready {
				if d.Kind == backup.KindWebDAV {
					keep[d.Key()] = d.Password
				}
			}
			for k, v := range keep {
				_ = session.Set(k, v)
				if remember {
					if kerr := keyring.Set(k, v); kerr != nil {
						log.Printf("copias: almacén de contraseñas: %v", kerr)
					}
				}
			}
		}
		fyne.Do(func() {
			switch {
			case errors.Is(err, backup.ErrWrongPassphrase):
				b.u.showDialog(dialog.NewError(errors.New(T("No es la contraseña de las copias anteriores. Si la ha olvidado, póngale una nueva en Ajustes: las copias ya hechas seguirán necesitando la anterior.")), b.u.win))
				next("", ready, false)
			case err != nil:
				b.u.showError(err)
				next("", ready, false)
			default:
				if newCheck != "" {
					b.cfg.Check = newCheck
					b.saveConfig()
				}
				next(p, ready, true)
			}
		})
	}()
}

// rememberCheck is the "keep it in the system's store" tick box.
func (b *backupPanel) rememberCheck() *widget.Check {
	c := widget.NewCheck(T("Recordarla en el almacén de contraseñas del sistema"), nil)
	c.SetChecked(b.hasKeyring)
	if !b.hasKeyring {
		c.SetText(T("Este equipo no tiene almacén de contraseñas: se recordará solo hasta cerrar Enlace"))
		c.Disable()
	}
	return c
}

// newPassphraseProblem is what is wrong with a new passphrase, "" if nothing.
func newPassphraseProblem(p, again string) string {
	switch {
	case len([]rune(p)) < backup.MinPassphrase:
		return T("La contraseña de las copias necesita al menos 10 caracteres.")
	case p != again:
		return T("Las dos contraseñas no coinciden.")
	}
	return ""
}

// onSetPassphrase sets a new passphrase for the backups from now on.
func (b *backupPanel) onSetPassphrase() {
	p, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	remember := b.rememberCheck()
	text := T("Las copias nuevas se cifrarán con esta contraseña (al menos 10 caracteres). Guárdela en un lugar seguro: sin ella las copias no se pueden abrir.")
	if b.cfg.Check != "" {
		text += " " + T("Las copias ya hechas siguen abriéndose con la contraseña anterior.")
	}
	form := widget.NewForm(widget.NewFormItem(T("Nueva contraseña"), p), widget.NewFormItem(T("Repítala"), again))
	d := dialog.NewCustomConfirm(T("Contraseña de las copias"), T("Guardar"), T("Cancelar"),
		container.NewVBox(wrapped(text), form, remember), func(ok bool) {
			if !ok {
				return
			}
			if msg := newPassphraseProblem(p.Text, again.Text); msg != "" {
				b.u.showDialog(dialog.NewError(errors.New(msg), b.u.win))
				return
			}
			b.cfg.Check = "" // a new one: acceptSecrets sets the check
			b.acceptSecrets(p.Text, nil, true, remember.Checked, func(string, []backup.Destination, bool) {
				b.result.SetText(T("Contraseña de las copias cambiada."))
			})
		}, b.u.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	b.u.showDialog(d)
}

// onAddWebDAV adds a Nextcloud or WebDAV folder once the server accepts
// the user and app password.
func (b *backupPanel) onAddWebDAV() {
	url, user, pw := widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	url.SetPlaceHolder("https://nube.example.org/remote.php/dav/files/USUARIO/Enlace/")
	remember := b.rememberCheck()
	form := widget.NewForm(
		widget.NewFormItem(T("Dirección"), withNote(url, smallNote(T("En Nextcloud: Archivos → Ajustes de archivos → WebDAV, y añada al final la carpeta de las copias, por ejemplo Enlace/.")))),
		widget.NewFormItem(T("Usuario"), user),
		widget.NewFormItem(T("Contraseña de aplicación"), withNote(pw, smallNote(T("Créela en Nextcloud: Ajustes personales → Seguridad → Crear contraseña de aplicación.")))),
	)
	d := dialog.NewCustomConfirm(T("Añadir Nextcloud / WebDAV"), T("Comprobar y añadir"), T("Cancelar"),
		container.NewVBox(form, remember), func(ok bool) {
			if !ok {
				return
			}
			dest, err := backup.ParseDestination(url.Text)
			if err == nil && dest.Kind != backup.KindWebDAV {
				err = backup.ErrInsecure
			}
			if err != nil {
				b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
				return
			}
			if u := strings.TrimSpace(user.Text); u != "" {
				dest.User = u
			}
			dest.Password = pw.Text
			b.checkWebDAV(dest, remember.Checked)
		}, b.u.win)
	d.Resize(fyne.NewSize(720, d.MinSize().Height))
	b.u.showDialog(d)
}

// checkWebDAV lists dest off the UI goroutine and adds it if the server
// answers (a missing folder is created by the first backup).
func (b *backupPanel) checkWebDAV(dest backup.Destination, remember bool) {
	b.result.SetText(T("Comprobando la conexión…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := backup.List(ctx, dest)
		if errors.Is(err, backup.ErrNoDestination) {
			err = nil
		}
		fyne.Do(func() {
			b.result.SetText("")
			if err != nil {
				log.Printf("copias: comprobar %s: %v", dest, err)
				b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
				return
			}
			b.acceptSecrets("", []backup.Destination{dest}, false, remember, func(string, []backup.Destination, bool) {
				b.addDestination(dest)
			})
		})
	}()
}
