package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// Row editors shared by the tutor and participant dialogs: the
// suspensions of a contract and the training courses.

// suspensionEditor edits the suspensions of a contract, one row each:
// cause, from, to (empty while it lasts).
type suspensionEditor struct {
	u       *App
	rows    []*suspensionRow
	box     *fyne.Container
	add     *widget.Button
	root    fyne.CanvasObject
	changed func() // the dialog grows with the rows
}

type suspensionRow struct {
	cause    *widget.Select
	from, to *entry
	obj      fyne.CanvasObject
}

func newSuspensionEditor(u *App, list []data.RISuspension, changed func()) *suspensionEditor {
	e := &suspensionEditor{u: u, box: container.NewVBox(), changed: changed}
	e.add = widget.NewButtonWithIcon(T("Añadir suspensión"), theme.ContentAddIcon(), func() { e.addRow(data.RISuspension{}) })
	for _, s := range list {
		e.addRow(s)
	}
	e.root = container.NewVBox(e.box, container.NewHBox(e.add))
	return e
}

func riCauseLabels() []string {
	out := make([]string, len(data.RISuspensionCauses))
	for i, c := range data.RISuspensionCauses {
		out[i] = T(c.Label())
	}
	return out
}

func (e *suspensionEditor) addRow(s data.RISuspension) {
	r := &suspensionRow{cause: widget.NewSelect(riCauseLabels(), nil), from: e.u.newDateEntry(), to: e.u.newDateEntry()}
	r.cause.PlaceHolder = T("Causa")
	if i := slices.Index(data.RISuspensionCauses, s.Cause); i >= 0 {
		r.cause.SetSelectedIndex(i)
	}
	r.from.SetText(riDate(s.From))
	r.to.SetText(riDate(s.To))
	r.to.SetPlaceHolder(T("en curso"))
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.remove(r) })
	dates := container.NewHBox(widget.NewLabel(T("del")), fixedWidthBox(140, r.from), widget.NewLabel(T("al")), fixedWidthBox(140, r.to))
	r.obj = container.NewBorder(nil, nil, nil, remove, container.NewVBox(r.cause, dates))
	e.rows = append(e.rows, r)
	e.box.Add(r.obj)
	e.changed()
}

func (e *suspensionEditor) remove(r *suspensionRow) {
	e.rows = slices.DeleteFunc(e.rows, func(x *suspensionRow) bool { return x == r })
	e.box.Remove(r.obj)
	e.changed()
}

// read returns the suspensions typed, or the first date that is not one.
func (e *suspensionEditor) read() ([]data.RISuspension, error) {
	var out []data.RISuspension
	for _, r := range e.rows {
		from, err := data.ParseDate(r.from.Text)
		if err != nil {
			return nil, riFieldError("Suspensions", err.Error())
		}
		to, err := data.ParseDate(r.to.Text)
		if err != nil {
			return nil, riFieldError("Suspensions", err.Error())
		}
		var cause data.RISuspensionCause
		if i := r.cause.SelectedIndex(); i >= 0 {
			cause = data.RISuspensionCauses[i]
		}
		out = append(out, data.RISuspension{Cause: cause, From: from, To: to})
	}
	return out, nil
}

// courseEditor edits a participant's training courses, one row each: name,
// hours, and whether it was at a distance; with the total in person
// against the 90–120 hours of art. 4.1.c.
type courseEditor struct {
	u       *App
	rows    []*courseRow
	box     *fyne.Container
	add     *widget.Button
	total   *widget.Label
	root    fyne.CanvasObject
	changed func()
}

type courseRow struct {
	name, hours *entry
	remote      *widget.Check
	obj         fyne.CanvasObject
}

func newCourseEditor(u *App, list []data.RICourse, changed func()) *courseEditor {
	e := &courseEditor{u: u, box: container.NewVBox(), changed: changed, total: widget.NewLabel("")}
	e.total.TextStyle.Italic = true
	e.add = widget.NewButtonWithIcon(T("Añadir curso"), theme.ContentAddIcon(), func() { e.addRow(data.RICourse{}) })
	for _, c := range list {
		e.addRow(c)
	}
	e.root = container.NewVBox(e.box, container.NewHBox(e.add, e.total))
	e.sum()
	return e
}

func (e *courseEditor) addRow(c data.RICourse) {
	r := &courseRow{name: e.u.newEntry(), hours: e.u.newEntry()}
	r.name.SetPlaceHolder(T("Curso, p. ej. Competencias digitales"))
	r.name.SetText(c.Name)
	r.hours.SetPlaceHolder(T("horas"))
	if c.Hours > 0 {
		r.hours.SetText(strconv.Itoa(c.Hours))
	}
	r.hours.OnChanged = func(string) { e.sum() }
	r.remote = widget.NewCheck(T("a distancia"), func(bool) { e.sum() })
	r.remote.SetChecked(c.Remote)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.remove(r) })
	r.obj = container.NewBorder(nil, nil, nil, container.NewHBox(fixedWidthBox(80, r.hours), r.remote, remove), r.name)
	e.rows = append(e.rows, r)
	e.box.Add(r.obj)
	e.sum()
	e.changed()
}

func (e *courseEditor) remove(r *courseRow) {
	e.rows = slices.DeleteFunc(e.rows, func(x *courseRow) bool { return x == r })
	e.box.Remove(r.obj)
	e.sum()
	e.changed()
}

// sum shows the hours in person against the 90–120 of art. 4.1.c.
func (e *courseEditor) sum() {
	inPerson := 0
	for _, r := range e.rows {
		if h, err := strconv.Atoi(strings.TrimSpace(r.hours.Text)); err == nil && !r.remote.Checked {
			inPerson += h
		}
	}
	e.total.SetText(T("{{.H}} horas presenciales (el art. 4.1.c pide de 90 a 120)", map[string]any{"H": inPerson}))
	if inPerson >= 90 && inPerson <= 120 {
		e.total.Importance = widget.SuccessImportance
	} else {
		e.total.Importance = widget.WarningImportance
	}
	e.total.Refresh()
}

// read returns the courses typed, or says which hours are not a number.
func (e *courseEditor) read() ([]data.RICourse, error) {
	var out []data.RICourse
	for _, r := range e.rows {
		h, err := strconv.Atoi(strings.TrimSpace(r.hours.Text))
		if err != nil {
			return nil, riFieldError("Courses", T("Escriba las horas del curso «{{.Name}}» en cifras, como 40.", map[string]any{"Name": r.name.Text}))
		}
		out = append(out, data.RICourse{Name: r.name.Text, Hours: h, Remote: r.remote.Checked})
	}
	return out, nil
}

// riDate writes d as dd/mm/aaaa, or "" when it is not set.
func riDate(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// riDateField is an entry, the data field it is about and where its date
// goes.
type riDateField struct {
	field string
	e     *entry
	dst   *data.Date
}

// riDates reads the dates typed into their destinations; those that are
// not dates come back as one validation error, each on its field.
func riDates(fields ...riDateField) error {
	var bad []data.FieldError
	for _, f := range fields {
		d, err := data.ParseDate(f.e.Text)
		if err != nil {
			bad = append(bad, data.FieldError{Field: f.field, Message: err.Error()})
			continue
		}
		*f.dst = d
	}
	if len(bad) > 0 {
		return &data.ValidationError{Fields: bad}
	}
	return nil
}
