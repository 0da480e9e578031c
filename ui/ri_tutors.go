package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// riTutorsTab is the Tutores tab of a project: how many tutors the
// participants need, and the tutors with their degree, contract and
// leave, to add, edit or take out.
type riTutorsTab struct {
	s      *riScreen
	need   *widget.Label
	list   *widget.List
	addBtn *widget.Button
	root   fyne.CanvasObject
	form   *riTutorForm // the open tutor dialog, if any
}

func newRITutorsTab(s *riScreen) *riTutorsTab {
	tt := &riTutorsTab{s: s, need: wrappedLabel()}
	tt.addBtn = widget.NewButtonWithIcon(T("Añadir tutor"), theme.ContentAddIcon(), func() { tt.openForm(-1) })
	tt.list = widget.NewList(func() int { return len(s.cur.Tutors) },
		func() fyne.CanvasObject { return newRIListRow(riTutorCols) },
		func(i widget.ListItemID, o fyne.CanvasObject) { tt.fill(i, o) })
	head := riHeadRow(riTutorCols, T("Nombre"), T("DNI/NIE"), T("Puntuación"), T("Titulación"), T("Contrato"), T("Situación"))
	top := container.NewVBox(container.NewBorder(nil, nil, tt.addBtn, nil, tt.need), head, widget.NewSeparator())
	tt.root = container.NewBorder(top, nil, nil, nil, tt.list)
	return tt
}

// show fills the tab with the shown project's tutors.
func (tt *riTutorsTab) show() {
	p := &tt.s.cur
	n := p.Referred()
	tt.need.SetText(T("Participantes derivados a formación en alternancia: {{.N}}. Tutores necesarios (art. 4.1.a): {{.K}}; en el proyecto: {{.Have}}.",
		map[string]any{"N": n, "K": data.RITutorsRequired(n), "Have": len(p.Tutors)}))
	tt.list.Refresh()
}

func (tt *riTutorsTab) fill(i int, o fyne.CanvasObject) {
	p := &tt.s.cur
	if i >= len(p.Tutors) {
		return
	}
	t := p.Tutors[i]
	degree := T(t.Degree.Label())
	if t.Degree == data.RIDegreeOther {
		degree = t.DegreeOther
	}
	state := T("En el proyecto")
	if prev, ok := p.Tutor(t.Replaces); ok {
		state = T("Sustituye a {{.Name}}", map[string]any{"Name": prev.Name})
	}
	if !t.Leave.IsZero() {
		state = T("Baja el {{.Date}}", map[string]any{"Date": t.Leave.String()})
	}
	fillRIListRow(o, []string{t.Name, t.DNI, t.Score, degree, riSpanText(t.ContractStart, t.ContractEnd), state},
		func() { tt.openForm(i) }, func() { tt.onRemove(i) })
}

// onRemove asks before taking tutor i out of the project.
func (tt *riTutorsTab) onRemove(i int) {
	t := tt.s.cur.Tutors[i]
	id := t.ID
	tt.s.confirmRemove(T("Quitar tutor"), T("¿Quitar a {{.Name}} de los tutores del proyecto?", map[string]any{"Name": t.Name}),
		func(p *data.RIProject) {
			for j := range p.Tutors {
				if p.Tutors[j].Replaces == id {
					p.Tutors[j].Replaces = "" // whom nobody is left to replace
				}
			}
			p.Tutors = append(p.Tutors[:i:i], p.Tutors[i+1:]...)
		})
}

// riSpanText writes a contract's dates: "01/03/2024 – 31/05/2025",
// "desde el 01/03/2024", or "—".
func riSpanText(from, to data.Date) string {
	switch {
	case from.IsZero():
		return "—"
	case to.IsZero():
		return T("desde el {{.Date}}", map[string]any{"Date": from.String()})
	}
	return from.String() + " – " + to.String()
}

// Column weights of the tutor and participant lists.
var (
	riTutorCols       = []float32{2.4, 1.4, 1.4, 2.2, 2.9, 1.8}
	riParticipantCols = []float32{2.5, 1.5, 1.0, 2.8, 0.9, 2.5}
)

// newRIListRow is a list row of truncated labels, as wide as weights say,
// with Editar and Quitar buttons at the end.
func newRIListRow(weights []float32) fyne.CanvasObject {
	grid := container.New(&weightedColumns{weights: weights})
	for range weights {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		grid.Add(l)
	}
	grid.Objects[0].(*widget.Label).TextStyle.Bold = true
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), nil)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	return container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), grid)
}

// fillRIListRow sets a row's texts and what its buttons do.
func fillRIListRow(o fyne.CanvasObject, texts []string, onEdit, onRemove func()) {
	c := o.(*fyne.Container) // a border: the centre first, then the right
	grid, buttons := c.Objects[0].(*fyne.Container), c.Objects[1].(*fyne.Container)
	for i, t := range texts {
		grid.Objects[i].(*widget.Label).SetText(t)
	}
	buttons.Objects[0].(*widget.Button).OnTapped = onEdit
	buttons.Objects[1].(*widget.Button).OnTapped = onRemove
}

// riHeadRow is the bold heading row over a list of newRIListRow rows; the
// spacer stands for the buttons.
func riHeadRow(weights []float32, titles ...string) fyne.CanvasObject {
	grid := container.New(&weightedColumns{weights: weights})
	for _, t := range titles {
		h := columnHeading(t)
		h.Truncation = fyne.TextTruncateEllipsis
		grid.Add(h)
	}
	buttons := container.NewHBox(widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), nil),
		widget.NewButtonWithIcon("", theme.DeleteIcon(), nil))
	return container.NewBorder(nil, nil, nil, container.New(&fixedWidthLayout{width: buttons.MinSize().Width}), grid)
}

// weightedColumns lays its objects out side by side, each taking its
// weight's share of the width: table columns that line up across rows.
type weightedColumns struct{ weights []float32 }

func (l *weightedColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	sum := float32(0)
	for _, w := range l.weights {
		sum += w
	}
	pad := theme.Padding()
	x := float32(0)
	for i, o := range objs {
		w := size.Width * l.weights[i%len(l.weights)] / sum
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w-pad, size.Height))
		x += w
	}
}

func (l *weightedColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w += m.Width
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}
