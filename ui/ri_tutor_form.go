package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// riTutorForm is the dialog that adds a tutor to the shown project or
// edits one: identity and score from the candidate list, the degree and
// experience art. 8.2 asks for, the contract with its suspensions and
// leave, and whom the tutor replaces.
type riTutorForm struct {
	tt    *riTutorsTab
	index int // in the project's tutors; -1 for a new one
	t     data.RITutor
	dlg   *dialog.CustomDialog
	marks *validationMarks

	name, dni, score, degreeOther, experience *entry
	start, end, leave, reported               *entry
	degree, replaces                          *widget.Select
	market                                    *widget.Check
	susp                                      *suspensionEditor
	replaceIDs                                []string // parallel to replaces' options after the first
	saveBtn                                   *widget.Button
}

func (tt *riTutorsTab) openForm(index int) *riTutorForm {
	u := tt.s.u
	f := &riTutorForm{tt: tt, index: index, marks: newValidationMarks()}
	if index >= 0 {
		f.t = tt.s.cur.Tutors[index]
	}
	t := &f.t
	f.name, f.dni, f.score = u.newEntry(), u.newEntry(), u.newEntry()
	f.name.SetPlaceHolder(T("Apellidos y nombre"))
	f.dni.SetPlaceHolder(T("p. ej. 12345678Z"))
	f.score.SetPlaceHolder(T("p. ej. 8,75"))
	f.name.SetText(t.Name)
	f.dni.SetText(t.DNI)
	f.score.SetText(t.Score)
	f.degree = widget.NewSelect(riDegreeLabels(), func(string) { f.onDegree() })
	f.degree.PlaceHolder = T("Elija la titulación")
	if i := slices.Index(data.RIDegrees, t.Degree); i >= 0 {
		f.degree.SetSelectedIndex(i)
	}
	f.degreeOther = u.newEntry()
	f.degreeOther.SetPlaceHolder(T("Título universitario"))
	f.degreeOther.SetText(t.DegreeOther)
	f.experience = u.newEntry()
	f.experience.SetText(strconv.Itoa(t.ExperienceYears))
	f.market = widget.NewCheck(T("Conoce el mercado de trabajo de la Comunidad de Madrid (art. 8.2)"), nil)
	f.market.SetChecked(t.MarketKnowledge)
	f.start, f.end, f.leave, f.reported = u.newDateEntry(), u.newDateEntry(), u.newDateEntry(), u.newDateEntry()
	for e, d := range map[*entry]data.Date{f.start: t.ContractStart, f.end: t.ContractEnd, f.leave: t.Leave, f.reported: t.Reported} {
		e.SetText(riDate(d))
	}
	f.replaces = f.replacesSelect()
	f.susp = newSuspensionEditor(u, t.Suspensions, f.grow)
	f.onDegree()
	f.build()
	return f
}

func riDegreeLabels() []string {
	out := make([]string, len(data.RIDegrees))
	for i, d := range data.RIDegrees {
		out[i] = T(d.Label())
	}
	return out
}

// replacesSelect offers the project's other tutors to replace.
func (f *riTutorForm) replacesSelect() *widget.Select {
	options := []string{T("— Nadie —")}
	for _, o := range f.tt.s.cur.Tutors {
		if o.ID != "" && o.ID != f.t.ID {
			options = append(options, o.Name)
			f.replaceIDs = append(f.replaceIDs, o.ID)
		}
	}
	sel := widget.NewSelect(options, nil)
	sel.SetSelectedIndex(slices.Index(f.replaceIDs, f.t.Replaces) + 1)
	return sel
}

func (f *riTutorForm) build() {
	u := f.tt.s.u
	dates := func(a, b *entry) fyne.CanvasObject {
		return container.NewHBox(fixedWidthBox(140, a), widget.NewLabel(T("al")), fixedWidthBox(140, b))
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Nombre"), f.marks.wrap("Name", f.name)),
		widget.NewFormItem(T("DNI/NIE"), f.marks.wrap("DNI", fixedWidthBox(180, f.dni))),
		widget.NewFormItem(T("Puntuación"), withNote(fixedWidthBox(120, f.score), smallNote(T("La del baremo de la lista única de candidatos (art. 17.2).")))),
		widget.NewFormItem(T("Titulación"), container.NewVBox(f.degree, f.degreeOther)),
		widget.NewFormItem(T("Años de experiencia"), withNote(fixedWidthBox(80, f.experience), smallNote(T("En orientación laboral; el art. 8.2 pide al menos 1.")))),
		widget.NewFormItem("", f.market),
		widget.NewFormItem(T("Contrato"), f.marks.wrap("ContractStart", dates(f.start, f.end))),
		widget.NewFormItem(T("Suspensiones"), f.susp.root),
		widget.NewFormItem(T("Baja definitiva"), f.marks.wrap("Leave", fixedWidthBox(140, f.leave))),
		widget.NewFormItem(T("Sustituye a"), f.replaces),
		widget.NewFormItem(T("Comunicado (Anexo II-bis)"), f.marks.wrap("Reported", fixedWidthBox(140, f.reported))),
	)
	title := T("Nuevo tutor de inserción")
	if f.index >= 0 {
		title = T("Editar tutor de inserción")
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, container.NewVScroll(f.marks.body(form)), f.onSave)
	f.dlg.SetOnClosed(func() { f.tt.form = nil })
	f.dlg.Resize(fyne.NewSize(760, 680))
	f.tt.form = f
	u.showDialog(f.dlg)
	u.win.Canvas().Focus(f.name)
}

// onDegree shows the title entry only for "another degree".
func (f *riTutorForm) onDegree() {
	if f.degreeOther == nil {
		return
	}
	f.degreeOther.Hidden = f.degree.SelectedIndex() != slices.Index(data.RIDegrees, data.RIDegreeOther)
	f.grow()
}

// grow lets the dialog take new rows in.
func (f *riTutorForm) grow() {
	if f.dlg != nil {
		f.dlg.Refresh()
	}
}

// onSave reads the form into a copy of the project and saves it; what is
// wrong is said in red in the dialog and nothing is saved.
func (f *riTutorForm) onSave() {
	t := f.t
	t.Name, t.DNI, t.Score, t.DegreeOther = f.name.Text, f.dni.Text, f.score.Text, f.degreeOther.Text
	t.Degree = ""
	if i := f.degree.SelectedIndex(); i >= 0 {
		t.Degree = data.RIDegrees[i]
	}
	t.MarketKnowledge = f.market.Checked
	t.Replaces = ""
	if i := f.replaces.SelectedIndex(); i > 0 {
		t.Replaces = f.replaceIDs[i-1]
	}
	err := riDates(riDateField{"ContractStart", f.start, &t.ContractStart}, riDateField{"ContractStart", f.end, &t.ContractEnd},
		riDateField{"Leave", f.leave, &t.Leave}, riDateField{"Reported", f.reported, &t.Reported})
	years, yerr := strconv.Atoi(strings.TrimSpace(f.experience.Text))
	t.ExperienceYears = years
	if err == nil && yerr != nil {
		err = riFieldError("Tutors", T("Escriba los años de experiencia en cifras, como 2."))
	}
	if err == nil {
		t.Suspensions, err = f.susp.read()
	}
	if err == nil {
		p := riClone(f.tt.s.cur)
		if f.index >= 0 {
			p.Tutors[f.index] = t
		} else {
			p.Tutors = append(p.Tutors, t)
		}
		err = f.tt.s.save(&p)
	}
	if f.marks.handle(f.tt.s.u, f.dlg, err) {
		f.dlg.Hide()
	}
}

// riFieldError is a validation error with one message.
func riFieldError(field, msg string) error {
	return &data.ValidationError{Fields: []data.FieldError{{Field: field, Message: msg}}}
}
