package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// The person page's data-protection actions (RGPD): the right of access
// (export everything held on the person) and the right to erasure.

// showGdprMenu offers the data-protection actions on p under button btn.
func (u *App) showGdprMenu(p data.Person, btn fyne.CanvasObject) {
	export := fyne.NewMenuItem(T("Exportar sus datos (RGPD)"), func() { u.askSubjectExport(p) })
	erase := fyne.NewMenuItem(T("Suprimir a esta persona…"), func() { u.askErasure(p) })
	export.Disabled = !u.can(data.PermExport)
	erase.Disabled = !u.can(data.PermErase)
	c := fyne.CurrentApp().Driver().CanvasForObject(btn)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", export, erase), c, fyne.NewPos(0, btn.Size().Height), btn)
}

// askSubjectExport asks for a folder and writes p's data there.
func (u *App) askSubjectExport(p data.Person) {
	d := u.folderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if dir == nil {
			return // cancelled
		}
		u.exportSubjectTo(p.ID, dir.Path())
	})
	u.showDialog(d)
}

// exportSubjectTo writes the person's data to dir and says where.
func (u *App) exportSubjectTo(personID, dir string) {
	paths, err := u.exportSubject(personID, dir)
	if err != nil {
		u.showError(err)
		return
	}
	u.showDialog(dialog.NewInformation(T("Datos exportados"),
		T("Se han guardado todos los datos de la persona en:\n{{.JSON}}\n{{.PDF}}\n\nEntréguelos solo a la persona o a quien ella autorice.",
			map[string]any{"JSON": paths[0], "PDF": paths[1]}), u.win))
}

// exportSubject writes everything held on personID to dir as <ID>.json
// (with the attachments) and <ID>.pdf, after recording the export in the
// audit trail, and returns the two paths.
func (u *App) exportSubject(personID, dir string) ([2]string, error) {
	paths := [2]string{filepath.Join(dir, personID+".json"), filepath.Join(dir, personID+".pdf")}
	d, err := u.store.SubjectData(personID)
	if err != nil {
		return paths, err
	}
	opt, err := u.pdfOptions()
	if err != nil {
		return paths, err
	}
	var js, pdf bytes.Buffer
	if err := data.WriteSubjectJSON(&js, d); err != nil {
		return paths, err
	}
	if err := reports.SubjectReport(&pdf, d, opt); err != nil {
		return paths, err
	}
	if err := u.store.LogExport("datos de la persona", personID, "Derecho de acceso: JSON y PDF → "+dir); err != nil {
		return paths, err
	}
	for i, b := range [][]byte{js.Bytes(), pdf.Bytes()} {
		if err := os.WriteFile(paths[i], b, 0o600); err != nil {
			return paths, fmt.Errorf("guardar %s: %w", paths[i], err)
		}
	}
	return paths, nil
}

// erasureDialog asks for the confirmation of an erasure: the person's
// surname typed in full, and the reason.
type erasureDialog struct {
	u       *App
	p       data.Person
	word    string // what must be typed to confirm
	confirm *entry
	reason  *entry
	erase   *widget.Button
	d       *dialog.CustomDialog
}

// askErasure opens the confirmation of p's erasure.
func (u *App) askErasure(p data.Person) *erasureDialog {
	e := &erasureDialog{u: u, p: p, word: p.LastName}
	if strings.TrimSpace(e.word) == "" {
		e.word = p.FirstName
	}
	e.confirm, e.reason = u.newEntry(), u.newEntry()
	e.confirm.SetPlaceHolder(e.word)
	e.reason.SetPlaceHolder(T("Por ejemplo: lo pide por escrito"))
	e.confirm.OnChanged = func(string) { e.check() }
	e.reason.OnChanged = func(string) { e.check() }
	e.erase = widget.NewButtonWithIcon(T("Suprimir para siempre"), theme.DeleteIcon(), e.onErase)
	e.erase.Importance = widget.DangerImportance
	e.erase.Disable()
	warn := wrapped(T("Se borrarán para siempre la ficha de {{.Name}}, sus derivaciones, su historial, sus recordatorios y sus documentos adjuntos. El registro de cambios solo conservará que se suprimió a una persona, sin nombrarla. Si la persona pidió sus datos, expórtelos antes.",
		map[string]any{"Name": p.FullName()}))
	form := widget.NewForm(
		widget.NewFormItem(T("Escriba «{{.Word}}» para confirmar", map[string]any{"Word": e.word}), e.confirm),
		widget.NewFormItem(T("Motivo (sin el nombre)"), e.reason))
	e.d = dialog.NewCustomWithoutButtons(T("Suprimir a {{.Name}}", map[string]any{"Name": p.FullName()}),
		container.NewVBox(warn, form), u.win)
	e.d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), e.d.Hide), e.erase})
	e.d.Resize(fyne.NewSize(620, 0))
	u.showDialog(e.d)
	u.win.Canvas().Focus(e.confirm)
	return e
}

// check enables the erase button once the word is typed and a reason given.
func (e *erasureDialog) check() {
	if data.Fold(strings.TrimSpace(e.confirm.Text)) == data.Fold(e.word) && strings.TrimSpace(e.reason.Text) != "" {
		e.erase.Enable()
	} else {
		e.erase.Disable()
	}
}

// onErase erases the person and compacts the file in the background,
// behind a modal progress dialog (the file is closed while it is
// rewritten), then goes back to the people list.
func (e *erasureDialog) onErase() {
	u, id, reason := e.u, e.p.ID, e.reason.Text
	e.d.Hide()
	bar := widget.NewProgressBarInfinite()
	progress := dialog.NewCustomWithoutButtons(T("Suprimiendo…"),
		container.NewVBox(wrapped(T("Borrando los datos y reescribiendo la base de datos para que no quede rastro. No cierre Enlace.")), bar), u.win)
	progress.Show()
	go func() {
		err := u.store.ErasePerson(id, reason)
		erased := err == nil
		if erased {
			err = u.store.Compact()
		}
		fyne.Do(func() { e.finish(progress, erased, err) })
	}()
}

// finish closes the progress dialog and says how the erasure went.
func (e *erasureDialog) finish(progress dialog.Dialog, erased bool, err error) {
	u := e.u
	progress.Hide()
	if erased {
		u.people.closePerson()
	}
	switch {
	case !erased:
		u.showError(err)
	case err != nil:
		u.showDialog(dialog.NewError(fmt.Errorf("%s %s", T("La persona está suprimida, pero no se ha podido compactar la base de datos: quedan restos cifrados hasta que se compacte. Cierre y abra Enlace y vuelva a intentarlo."), ErrorMessage(err)), u.win))
	case u.backup != nil && len(u.backup.cfg.Destinations) > 0:
		u.showDialog(dialog.NewInformation(T("Persona suprimida"),
			T("Se han suprimido todos sus datos y la base de datos no guarda rastro de ellos.")+"\n\n"+
				T("Las copias de seguridad anteriores se están limpiando de la persona; el resultado se verá en Ajustes → Copias de seguridad."), u.win))
		u.backup.startScrub()
	default:
		u.showDialog(dialog.NewInformation(T("Persona suprimida"),
			T("Se han suprimido todos sus datos y la base de datos no guarda rastro de ellos."), u.win))
	}
}

// closePerson hides the page of the person shown (just erased) and runs
// the search again without them.
func (s *peopleScreen) closePerson() {
	s.selected = ""
	s.list.UnselectAll()
	s.page.p = data.Person{}
	s.page.content().Hide()
	s.empty.Show()
	s.runSearch()
}
