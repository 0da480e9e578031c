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

// riParticipantForm is the dialog that adds a person of Enlace to the
// shown project or edits their participation: modality, contribution
// group, orientation and contract dates, training courses, suspensions,
// definitive leave and replacement, with the dates they were reported.
type riParticipantForm struct {
	pt    *riParticipantsTab
	index int // in the project's participants; -1 for a new one
	x     data.RIParticipant
	dlg   *dialog.CustomDialog
	marks *validationMarks

	search   *entry
	hits     []data.Hit
	results  *widget.List
	resultsH *fixedHeightLayout
	resultsC *fyne.Container
	chosen   *widget.Label

	alternance                     *widget.Check
	group, replaces                *widget.Select
	oStart, oEnd, cStart, cEnd     *entry
	leave, leaveReported, reported *entry
	courses                        *courseEditor
	susp                           *suspensionEditor
	replaceIDs                     []string // parallel to replaces' options after the first
	saveBtn                        *widget.Button
}

func (pt *riParticipantsTab) openForm(index int) *riParticipantForm {
	u := pt.s.u
	f := &riParticipantForm{pt: pt, index: index, marks: newValidationMarks()}
	f.x.Alternance = true
	if index >= 0 {
		f.x = pt.s.cur.Participants[index]
	}
	x := &f.x
	f.buildPerson()
	f.alternance = widget.NewCheck(T("Derivado a formación en alternancia con la actividad laboral (contrato de 12 meses y 90–120 horas)"), nil)
	f.alternance.SetChecked(x.Alternance)
	f.group = widget.NewSelect([]string{"—", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, nil)
	f.group.SetSelectedIndex(max(0, min(x.Group, 9)))
	f.oStart, f.oEnd, f.cStart, f.cEnd = u.newDateEntry(), u.newDateEntry(), u.newDateEntry(), u.newDateEntry()
	f.leave, f.leaveReported, f.reported = u.newDateEntry(), u.newDateEntry(), u.newDateEntry()
	for e, d := range map[*entry]data.Date{f.oStart: x.OrientationStart, f.oEnd: x.OrientationEnd, f.cStart: x.ContractStart,
		f.cEnd: x.ContractEnd, f.leave: x.Leave, f.leaveReported: x.LeaveReported, f.reported: x.Reported} {
		e.SetText(riDate(d))
	}
	f.replaces = f.replacesSelect()
	f.courses = newCourseEditor(u, x.Courses, f.grow)
	f.susp = newSuspensionEditor(u, x.Suspensions, f.grow)
	f.build()
	return f
}

// buildPerson makes the person field: a search for a new participant,
// the name for one already in the project.
func (f *riParticipantForm) buildPerson() {
	u := f.pt.s.u
	f.chosen = widget.NewLabelWithStyle(T("Ninguna persona elegida"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if f.index >= 0 {
		f.chosen.SetText(f.pt.name(f.x.PersonID))
		return
	}
	f.search = u.newEntry()
	f.search.SetPlaceHolder(T("Buscar por nombre, documento o teléfono"))
	f.search.OnChanged = func(string) { f.runSearch() }
	f.search.OnSubmitted = func(string) {
		if len(f.hits) > 0 {
			f.results.Select(0)
		}
	}
	f.results = widget.NewList(func() int { return len(f.hits) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(f.hits) {
				o.(*widget.Label).SetText(hitText(&f.hits[i].PersonCard))
			}
		})
	f.results.OnSelected = func(i widget.ListItemID) {
		if i < len(f.hits) {
			f.x.PersonID = f.hits[i].ID
			f.chosen.SetText(hitText(&f.hits[i].PersonCard))
			f.chosen.Importance = widget.SuccessImportance
			f.chosen.Refresh()
		}
	}
	f.resultsH = &fixedHeightLayout{}
	f.resultsC = container.New(f.resultsH, f.results)
	f.resultsC.Hide()
}

func (f *riParticipantForm) runSearch() {
	q := strings.TrimSpace(f.search.Text)
	f.hits = nil
	if q != "" {
		f.hits, _ = f.pt.s.u.store.Search(q, 20)
	}
	f.results.UnselectAll()
	f.results.Refresh()
	f.resultsH.height = float32(min(len(f.hits), 4)) * (widget.NewLabel("Ag").MinSize().Height + 1)
	f.resultsC.Hidden = len(f.hits) == 0
	f.resultsC.Refresh()
	f.grow()
}

// replacesSelect offers the project's other participants to replace.
func (f *riParticipantForm) replacesSelect() *widget.Select {
	options := []string{T("— Nadie —")}
	for _, o := range f.pt.s.cur.Participants {
		if o.PersonID != f.x.PersonID {
			options = append(options, f.pt.name(o.PersonID))
			f.replaceIDs = append(f.replaceIDs, o.PersonID)
		}
	}
	sel := widget.NewSelect(options, nil)
	sel.SetSelectedIndex(slices.Index(f.replaceIDs, f.x.Replaces) + 1)
	return sel
}

func (f *riParticipantForm) build() {
	u := f.pt.s.u
	dates := func(a, b *entry) fyne.CanvasObject {
		return container.NewHBox(fixedWidthBox(140, a), widget.NewLabel(T("al")), fixedWidthBox(140, b))
	}
	var person fyne.CanvasObject = f.chosen
	if f.search != nil {
		person = container.NewVBox(f.search, f.resultsC, f.chosen)
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Persona"), f.marks.wrap("PersonID", person)),
		widget.NewFormItem(T("Modalidad"), f.alternance),
		widget.NewFormItem(T("Grupo de cotización"), fixedWidthBox(100, f.group)),
		widget.NewFormItem(T("Orientación"), withNote(f.marks.wrap("Orientation", dates(f.oStart, f.oEnd)),
			smallNote(T("Al menos 15 meses con el tutor de inserción (art. 4.1.a).")))),
		widget.NewFormItem(T("Contrato"), f.marks.wrap("Contract", dates(f.cStart, f.cEnd))),
		widget.NewFormItem(T("Formación"), f.marks.wrap("Courses", f.courses.root)),
		widget.NewFormItem(T("Suspensiones"), f.marks.wrap("Suspensions", f.susp.root)),
		widget.NewFormItem(T("Baja definitiva"), withNote(f.marks.wrap("Leave", container.NewHBox(fixedWidthBox(140, f.leave),
			widget.NewLabel(T("comunicada el")), fixedWidthBox(140, f.leaveReported))),
			smallNote(T("Se comunica a la Oficina de Empleo en 5 días (art. 18.6); Enlace crea el recordatorio.")))),
		widget.NewFormItem(T("Sustituye a"), f.replaces),
		widget.NewFormItem(T("Comunicado (Anexo III-bis)"), withNote(f.marks.wrap("Reported", fixedWidthBox(140, f.reported)),
			smallNote(T("El contrato de quien sustituye se comunica en 5 días hábiles (art. 18.6).")))),
	)
	title := T("Nuevo participante")
	if f.index >= 0 {
		title = T("Editar participante")
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, container.NewVScroll(f.marks.body(form)), f.onSave)
	f.dlg.SetOnClosed(func() { f.pt.form = nil })
	f.dlg.Resize(fyne.NewSize(820, 700))
	f.pt.form = f
	u.showDialog(f.dlg)
	if f.search != nil {
		u.win.Canvas().Focus(f.search)
	}
}

func (f *riParticipantForm) grow() {
	if f.dlg != nil {
		f.dlg.Refresh()
	}
}

// onSave reads the form into a copy of the project and saves it; what is
// wrong is said in red in the dialog and nothing is saved.
func (f *riParticipantForm) onSave() {
	x := f.x
	x.Alternance = f.alternance.Checked
	x.Group, _ = strconv.Atoi(f.group.Selected) // "—" is 0, not yet known
	x.Replaces = ""
	if i := f.replaces.SelectedIndex(); i > 0 {
		x.Replaces = f.replaceIDs[i-1]
	}
	err := riDates(riDateField{"Orientation", f.oStart, &x.OrientationStart}, riDateField{"Orientation", f.oEnd, &x.OrientationEnd},
		riDateField{"Contract", f.cStart, &x.ContractStart}, riDateField{"Contract", f.cEnd, &x.ContractEnd},
		riDateField{"Leave", f.leave, &x.Leave}, riDateField{"Leave", f.leaveReported, &x.LeaveReported},
		riDateField{"Reported", f.reported, &x.Reported})
	if err == nil && x.PersonID == "" {
		err = riFieldError("PersonID", T("Busque y elija la persona: tiene que estar ya en Enlace."))
	}
	if err == nil && f.index < 0 {
		if _, dup := f.pt.s.cur.Participant(x.PersonID); dup {
			err = riFieldError("PersonID", T("Esa persona ya está en el proyecto."))
		}
	}
	if err == nil {
		x.Courses, err = f.courses.read()
	}
	if err == nil {
		x.Suspensions, err = f.susp.read()
	}
	if err == nil {
		p := riClone(f.pt.s.cur)
		if f.index >= 0 {
			p.Participants[f.index] = x
		} else {
			p.Participants = append(p.Participants, x)
		}
		err = f.pt.s.save(&p)
	}
	if f.marks.handle(f.pt.s.u, f.dlg, err) {
		f.dlg.Hide()
	}
}
