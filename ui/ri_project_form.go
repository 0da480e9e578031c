package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// riProjectForm is the dialog that creates a project or edits its
// expediente, entity, call year and notes.
type riProjectForm struct {
	s     *riScreen
	p     data.RIProject
	dlg   *dialog.CustomDialog
	marks *validationMarks

	number, year, entity, callYear, notes *entry
	saveBtn                               *widget.Button
}

func (s *riScreen) openProjectForm(p data.RIProject) *riProjectForm {
	u := s.u
	f := &riProjectForm{s: s, p: p, marks: newValidationMarks()}
	f.number, f.year, f.callYear = u.newEntry(), u.newEntry(), u.newEntry()
	f.number.SetPlaceHolder(T("p. ej. 12"))
	f.year.SetPlaceHolder(T("aaaa"))
	f.callYear.SetPlaceHolder(T("aaaa"))
	if p.Number > 0 {
		f.number.SetText(strconv.Itoa(p.Number))
	}
	f.year.SetText(riYearText(p.Year))
	f.callYear.SetText(riYearText(p.CallYear))
	f.entity = u.newEntry()
	f.entity.SetPlaceHolder(T("p. ej. Ayuntamiento de Getafe"))
	f.entity.SetText(p.Entity)
	f.notes = u.newMultiLineEntry()
	f.notes.SetMinRowsVisible(3)
	f.notes.SetText(p.Notes)
	for _, e := range []*entry{f.number, f.year, f.entity, f.callYear} {
		e.OnSubmitted = func(string) { f.onSave() }
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Número (RI/número/año)"), f.marks.wrap("Number", fixedWidthBox(140, f.number))),
		widget.NewFormItem(T("Año del expediente"), f.marks.wrap("Year", fixedWidthBox(140, f.year))),
		widget.NewFormItem(T("Entidad beneficiaria"), f.marks.wrap("Entity", f.entity)),
		widget.NewFormItem(T("Año de la convocatoria"), withNote(f.marks.wrap("CallYear", fixedWidthBox(140, f.callYear)),
			smallNote(T("Su SMI calcula la subvención (art. 7.2.a).")))),
		widget.NewFormItem(T("Notas"), f.notes),
	)
	title := T("Nuevo proyecto RI")
	if p.ID != "" {
		title = T("Editar proyecto {{.Exp}}", map[string]any{"Exp": p.Expediente()})
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, f.marks.body(form), f.onSave)
	f.dlg.SetOnClosed(func() { s.projectForm = nil })
	s.projectForm = f
	u.showDialog(f.dlg)
	u.win.Canvas().Focus(f.number)
	return f
}

func riYearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// onSave reads the fields into the project and saves it; numbers that are
// not numbers are said under their field and nothing is saved.
func (f *riProjectForm) onSave() {
	p := riClone(f.p)
	var bad []data.FieldError
	num := func(field string, e *entry, msg string) int {
		t := strings.TrimSpace(e.Text)
		if t == "" {
			return 0
		}
		n, err := strconv.Atoi(t)
		if err != nil {
			bad = append(bad, data.FieldError{Field: field, Message: msg})
		}
		return n
	}
	p.Number = num("Number", f.number, T("Escriba el número del expediente en cifras, como 12."))
	p.Year = num("Year", f.year, T("Escriba el año con cuatro cifras, como 2024."))
	p.CallYear = num("CallYear", f.callYear, T("Escriba el año con cuatro cifras, como 2024."))
	p.Entity, p.Notes = f.entity.Text, f.notes.Text
	var err error
	if len(bad) > 0 {
		err = &data.ValidationError{Fields: bad}
	} else {
		err = f.s.save(&p)
	}
	if f.marks.handle(f.s.u, f.dlg, err) {
		f.dlg.Hide()
	}
}
