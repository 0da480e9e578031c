package ui

import (
	"context"
	"errors"
	"log"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
)

// restoreForm is the "Restaurar una copia" dialog: where, which backup,
// and its passphrase.
type restoreForm struct {
	b      *backupPanel
	where  *widget.Select
	which  *widget.Select
	status *widget.Label
	pass   *widget.Entry
	dest   backup.Destination // the destination listed, with its password
	found  []backup.Info      // the backups listed there, newest first
}

// onRestore lists the backups at a destination and, once one is picked
// with its passphrase, downloads and checks it (Enlace keeps working
// meanwhile); confirmSwap then asks before anything is replaced.
func (b *backupPanel) onRestore() {
	if len(b.cfg.Destinations) == 0 {
		b.u.showDialog(dialog.NewInformation(T("Restaurar una copia"),
			T("Añada primero el destino donde están las copias: la carpeta o Nextcloud / WebDAV."), b.u.win))
		return
	}
	names := make([]string, len(b.cfg.Destinations))
	for i, d := range b.cfg.Destinations {
		names[i] = d.String()
	}
	f := &restoreForm{b: b, where: widget.NewSelect(names, nil), which: widget.NewSelect(nil, nil),
		status: widget.NewLabel(""), pass: widget.NewPasswordEntry()}
	f.which.PlaceHolder = T("Elija una copia")
	f.status.Wrapping = fyne.TextWrapWord
	f.where.OnChanged = func(string) { f.list(f.where.SelectedIndex()) }
	form := widget.NewForm(
		widget.NewFormItem(T("Destino"), f.where),
		widget.NewFormItem(T("Copia"), withNote(f.which, f.status)),
		widget.NewFormItem(T("Contraseña de la copia"), f.pass),
	)
	note := smallNote(T("La copia se descarga y se comprueba antes de sustituir nada; mientras tanto puede seguir trabajando."))
	d := dialog.NewCustomConfirm(T("Restaurar una copia"), T("Descargar y comprobar"), T("Cancelar"),
		container.NewVBox(form, note), func(ok bool) {
			if i := f.which.SelectedIndex(); ok && i >= 0 && i < len(f.found) {
				b.fetch(f.dest, f.found[i].Name, f.pass.Text)
			}
		}, b.u.win)
	d.Resize(fyne.NewSize(600, d.MinSize().Height))
	b.u.showDialog(d)
	// The session's passphrase first, then the listing: one after the
	// other, so that what runs off the UI goroutine never overlaps.
	b.secretsFor(nil, true, false, "", func(p string, _ []backup.Destination, _ bool) {
		f.pass.SetText(p)
		f.where.SetSelectedIndex(0)
	})
}

// list fills the backups of the i-th destination in, off the UI goroutine.
func (f *restoreForm) list(i int) {
	b := f.b
	f.which.Options, f.found = nil, nil
	f.which.ClearSelected()
	f.status.SetText(T("Buscando copias…"))
	b.secretsFor(b.cfg.Destinations[i:i+1], false, true, T("Cancelar"), func(_ string, ready []backup.Destination, ok bool) {
		if !ok {
			f.status.SetText(T("Sin la contraseña de aplicación no se pueden ver las copias."))
			return
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			list, err := backup.List(ctx, ready[0])
			fyne.Do(func() { f.show(i, ready[0], list, err) })
		}()
	})
}

// show puts the backups found at dest, the i-th destination, in the form.
func (f *restoreForm) show(i int, dest backup.Destination, list []backup.Info, err error) {
	if f.b.settled != nil {
		defer f.b.settled()
	}
	switch {
	case f.where.SelectedIndex() != i:
		return // another destination was picked meanwhile
	case err != nil:
		f.status.SetText(backupMessage(err))
		return
	}
	f.dest, f.found = dest, list
	opts := make([]string, len(list))
	for k, c := range list {
		opts[k] = whenText(c.Time) + " · " + data.FormatSize(c.Size)
	}
	f.which.Options = opts
	f.which.Refresh()
	f.status.SetText(T("Copias encontradas: {{.N}}.", map[string]any{"N": len(list)}))
	if len(list) > 0 {
		f.which.SetSelectedIndex(0)
	}
}

// fetch downloads, decrypts and checks a backup next to the database.
func (b *backupPanel) fetch(d backup.Destination, name, pass string) {
	if b.job != nil {
		return
	}
	ctx, report := b.begin(T("Restauración"))
	store, path, logN := b.u.store, b.u.store.Path(), b.logN
	go func() {
		st, err := backup.Fetch(ctx, d, name, pass, path, &backup.Options{Progress: report, WorkFactor: logN})
		if err == nil {
			// Nobody erased since comes back: cleared before it is offered
			// (Swap would carry the erasures anyway).
			if _, serr := st.Scrub(store); serr != nil {
				log.Printf("restaurar %s: limpiar la copia de las personas suprimidas: %v", name, serr)
			}
		}
		fyne.Do(func() {
			b.end()
			if err != nil {
				log.Printf("restaurar %s de %s: %v", name, d, err)
				if !errors.Is(err, context.Canceled) {
					b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
				}
			} else {
				b.confirmSwap(st)
			}
			if b.settled != nil {
				b.settled()
			}
		})
	}()
}

// confirmSwap says what the checked backup holds and asks before it
// replaces the database.
func (b *backupPanel) confirmSwap(st *backup.Staged) {
	m := st.Manifest
	text := T("La copia del {{.When}} está completa y comprobada: {{.People}} personas, {{.Events}} anotaciones, {{.Offices}} oficinas y {{.Staff}} miembros del personal.",
		map[string]any{"When": whenText(m.Created), "People": m.Counts.People, "Events": m.Counts.Events,
			"Offices": m.Counts.Offices, "Staff": m.Counts.Staff}) + "\n\n" +
		T("La base de datos actual se guardará aparte, como copia «.before-restore», y Enlace se cerrará: ábralo de nuevo para trabajar con la copia restaurada.")
	d := dialog.NewCustomConfirm(T("¿Restaurar esta copia?"), T("Restaurar y cerrar Enlace"), T("Cancelar"), wrapped(text), func(ok bool) {
		if !ok {
			st.Discard()
			return
		}
		b.swap(st)
	}, b.u.win)
	b.u.showDialog(d)
}

// swap closes the store, puts the backup in its place, writes the backup
// settings and results back into it (they are this computer's), and ends
// Enlace: every screen would otherwise show the replaced database. If the
// swap fails, the current database is reopened, untouched.
func (b *backupPanel) swap(st *backup.Staged) {
	path, cfg, stats := b.u.store.Path(), b.cfg, b.st
	b.closing = true
	if err := b.u.store.Close(); err != nil {
		log.Printf("restaurar: cerrar la base de datos: %v", err)
	}
	before, err := st.Swap(time.Now())
	if err != nil {
		st.Discard()
		b.closing = false
		if s, oerr := b.u.openAgain(path); oerr == nil {
			b.u.store = s
		} else {
			log.Printf("restaurar: reabrir la base de datos: %v", oerr)
		}
		log.Printf("restaurar: %v", err)
		b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
		return
	}
	if s, err := b.u.openAgain(path); err == nil {
		if err := backup.SaveConfig(s, cfg); err != nil {
			log.Printf("restaurar: %v", err)
		}
		if err := backup.SaveStatuses(s, stats); err != nil {
			log.Printf("restaurar: %v", err)
		}
		if err := s.Close(); err != nil {
			log.Printf("restaurar: %v", err)
		}
	} else {
		log.Printf("restaurar: abrir la copia restaurada: %v", err)
	}
	d := dialog.NewInformation(T("Copia restaurada"),
		T("Se ha restaurado la copia del {{.When}}. La base de datos anterior queda guardada en {{.Before}}.",
			map[string]any{"When": whenText(st.Manifest.Created), "Before": before})+"\n\n"+
			T("Enlace se cerrará ahora: ábralo de nuevo para seguir trabajando."), b.u.win)
	b.u.showDialog(d)
	d.SetOnClosed(func() { b.u.forgetDialog(d); b.quit() })
}
