package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// This file holds who may be referred: the enabling situations of each
// direction and the automatic exclusion rules.

// criteriaSection is "Situaciones habilitantes": the criteria of each
// direction side by side, active first, each with its text in full. The
// referral form and the leaflets read the same records.
type criteriaSection struct {
	u    *App
	root fyne.CanvasObject
	cols map[data.Direction]*criteriaColumn

	form        *criterionForm    // the open edit dialog, if any
	historyBody fyne.CanvasObject // the open history dialog's content, if any
}

// criteriaColumn lists the criteria of one direction.
type criteriaColumn struct {
	dir    data.Direction
	newBtn *widget.Button
	box    *fyne.Container
	scroll *container.Scroll
	rows   []*criterionRow
}

// criterionRow shows one criterion and the buttons that act on it.
type criterionRow struct {
	c                     data.Criterion
	text                  *widget.RichText
	edit, toggle, history *widget.Button
	obj                   fyne.CanvasObject
}

func newCriteriaSection(u *App) *criteriaSection {
	s := &criteriaSection{u: u, cols: map[data.Direction]*criteriaColumn{}}
	intro := smallNote(T("Son las razones por las que se puede derivar a una persona. El formulario de derivación y los folletos de cada oficina se hacen con estos mismos textos."))
	var columns []fyne.CanvasObject
	for _, d := range data.Directions {
		col := &criteriaColumn{dir: d, box: container.NewVBox()}
		col.newBtn = u.gate(widget.NewButtonWithIcon(T("Nueva situación"), theme.ContentAddIcon(), func() { s.onNew(d) }), data.PermSettings)
		col.scroll = container.NewVScroll(col.box)
		title := widget.NewLabelWithStyle(d.Label(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.SizeName = theme.SizeNameSubHeadingText
		head := container.NewBorder(nil, nil, nil, container.NewVBox(col.newBtn),
			container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), title, smallNote(directionNote(d))))
		columns = append(columns, container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil, col.scroll))
		s.cols[d] = col
	}
	s.root = container.NewPadded(container.NewBorder(intro, nil, nil, nil, container.NewGridWithColumns(2, columns...)))
	return s
}

// directionNote says in words who refers whom.
func directionNote(d data.Direction) string {
	if d == data.FromAE {
		return T("La Agencia para el Empleo deriva a las oficinas OMIOPI")
	}
	return T("Las oficinas OMIOPI derivan a la Agencia para el Empleo")
}

// refresh reloads both lists from the store.
func (s *criteriaSection) refresh() {
	for _, col := range s.cols {
		list, err := s.u.store.Criteria(col.dir)
		if err != nil {
			s.u.showError(err)
			return
		}
		col.rows = col.rows[:0]
		objs := make([]fyne.CanvasObject, 0, 2*len(list))
		for i, c := range list {
			r := s.newRow(c)
			col.rows = append(col.rows, r)
			if i > 0 {
				objs = append(objs, widget.NewSeparator())
			}
			objs = append(objs, r.obj)
		}
		if len(list) == 0 {
			objs = append(objs, smallNote(T("No hay ninguna situación en este sentido. Pulse «Nueva situación» para añadir la primera.")))
		}
		col.box.Objects = objs
		col.box.Refresh()
	}
}

func (s *criteriaSection) newRow(c data.Criterion) *criterionRow {
	r := &criterionRow{c: c}
	r.text = criterionText(c)
	r.edit = widget.NewButtonWithIcon(T("Editar texto"), theme.DocumentCreateIcon(), func() { s.onEdit(r.c) })
	r.history = widget.NewButtonWithIcon(T("Ver historial"), theme.HistoryIcon(), func() { s.onHistory(r.c) })
	if c.Active {
		r.toggle = widget.NewButtonWithIcon(T("Retirar"), theme.VisibilityOffIcon(), func() { s.onToggle(r.c) })
	} else {
		r.toggle = widget.NewButtonWithIcon(T("Reactivar"), theme.VisibilityIcon(), func() { s.onToggle(r.c) })
	}
	s.u.enableFor(r.edit, data.PermSettings, true)
	s.u.enableFor(r.toggle, data.PermSettings, true)
	for _, b := range []*widget.Button{r.edit, r.toggle, r.history} {
		b.Importance = widget.LowImportance
	}
	r.obj = container.New(layout.NewCustomPaddedVBoxLayout(0), r.text,
		container.NewHBox(r.edit, r.toggle, r.history))
	return r
}

// criterionText is c's wording, wrapped; a retired criterion is dimmed
// and says so first.
func criterionText(c data.Criterion) *widget.RichText {
	if c.Active {
		t := widget.NewRichTextWithText(c.Text)
		t.Wrapping = fyne.TextWrapWord
		return t
	}
	dim := widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, Inline: true, TextStyle: fyne.TextStyle{Italic: true}}
	tag := dim
	tag.TextStyle.Bold = true
	t := widget.NewRichText(
		&widget.TextSegment{Text: T("(retirada)") + " ", Style: tag},
		&widget.TextSegment{Text: c.Text, Style: dim})
	t.Wrapping = fyne.TextWrapWord
	return t
}

func (s *criteriaSection) onNew(d data.Direction) {
	s.openForm(data.Criterion{Direction: d, Active: true})
}

func (s *criteriaSection) onEdit(c data.Criterion) { s.openForm(c) }

// onToggle retires an active criterion or brings a retired one back,
// after asking.
func (s *criteriaSection) onToggle(c data.Criterion) {
	title, confirm := T("Retirar situación habilitante"), T("Retirar")
	msg := T("Dejará de ofrecerse en el formulario de derivación y en los folletos. Las derivaciones ya hechas la conservan, y puede reactivarla cuando quiera.")
	if !c.Active {
		title, confirm = T("Reactivar situación habilitante"), T("Reactivar")
		msg = T("Volverá a ofrecerse en el formulario de derivación y en los folletos.")
	}
	body := container.NewVBox(wrappedDialogText("«"+c.Text+"»"), wrappedDialogText(msg))
	d := dialog.NewCustomConfirm(title, confirm, T("Cancelar"), body, func(ok bool) {
		if !ok {
			return
		}
		c.Active = !c.Active
		if err := s.u.store.SaveCriterion(&c, s.u.Author()); err != nil {
			s.u.showError(err)
		}
		s.refresh()
	}, s.u.win)
	s.u.showWrapped(d)
}

// criterionForm is the dialog that writes a new criterion or a new
// wording of one.
type criterionForm struct {
	s       *criteriaSection
	c       data.Criterion
	dlg     *dialog.CustomDialog
	text    *entry
	marks   *validationMarks
	saveBtn *widget.Button
}

func (s *criteriaSection) openForm(c data.Criterion) *criterionForm {
	f := &criterionForm{s: s, c: c, marks: newValidationMarks()}
	f.text = s.u.newMultiLineEntry()
	f.text.SetMinRowsVisible(5)
	f.text.SetText(c.Text)
	f.text.SetPlaceHolder(T("Personas que…"))

	title := T("Nueva situación habilitante")
	note := T("Se ofrecerá en el formulario de derivación y en los folletos de este sentido.")
	if c.ID != "" {
		title = T("Editar situación habilitante")
		note = T("Las derivaciones ya hechas conservan el texto con el que se hicieron; los folletos usarán el nuevo.")
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Sentido"), widget.NewLabel(c.Direction.Label()+" · "+directionNote(c.Direction))),
		widget.NewFormItem(T("Texto"), withNote(f.marks.wrap("Text", f.text), smallNote(note))),
	)
	f.dlg, f.saveBtn = newSaveDialog(s.u, title, f.marks.body(form), f.onSave)
	f.dlg.SetOnClosed(func() { s.form = nil })
	s.form = f
	s.u.showDialog(f.dlg)
	s.u.win.Canvas().Focus(f.text)
	return f
}

func (f *criterionForm) onSave() {
	c := f.c
	c.Text = f.text.Text
	if !f.marks.handle(f.s.u, f.dlg, f.s.u.store.SaveCriterion(&c, f.s.u.Author())) {
		return
	}
	f.dlg.Hide()
	f.s.refresh()
}

// onHistory shows every wording of c, newest first, with when it took
// effect and who wrote it.
func (s *criteriaSection) onHistory(c data.Criterion) {
	box := container.NewVBox()
	for i := len(c.History) - 1; i >= 0; i-- {
		v := c.History[i]
		head := versionDate(v) + " · " + v.By + " · " + versionKind(c.History, i)
		text := widget.NewLabel(v.Text)
		text.Wrapping = fyne.TextWrapWord
		if !v.Active {
			text.Importance = widget.LowImportance
		}
		if box.Objects != nil {
			box.Add(widget.NewSeparator())
		}
		box.Add(container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), columnHeading(head), text))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(640, 320))
	s.historyBody = box
	d := dialog.NewCustom(T("Historial de la situación habilitante"), T("Cerrar"), scroll, s.u.win)
	d.SetOnClosed(func() { s.historyBody = nil })
	s.u.showDialog(d)
}

// versionDate is when a version took effect: dd/mm/aaaa hh:mm, or "since
// the beginning" for the seed's wording.
func versionDate(v data.CriterionVersion) string {
	if v.From.IsZero() {
		return T("desde el principio")
	}
	return v.From.In(data.Madrid()).Format("02/01/2006 15:04")
}

// versionKind says what version i changed from the one before it.
func versionKind(h []data.CriterionVersion, i int) string {
	v := h[i]
	var kind string
	switch {
	case i == 0:
		kind = T("texto original")
	case v.Active && !h[i-1].Active:
		kind = T("reactivada")
	case !v.Active && h[i-1].Active:
		kind = T("retirada")
	default:
		kind = T("texto nuevo")
	}
	if i == len(h)-1 {
		kind += " " + T("(actual)")
	}
	return kind
}

// rulesSection is "Reglas de exclusión": the automatic proposals, saved
// as soon as a box is ticked or cleared.
type rulesSection struct {
	u              *App
	root           fyne.CanvasObject
	dni, irregular *widget.Check
	saved          *widget.Label
	loading        bool
}

func newRulesSection(u *App) *rulesSection {
	s := &rulesSection{u: u}
	s.dni = widget.NewCheck(T("Proponer excluir a quien tiene DNI español (puede acudir directamente a la Agencia para el Empleo)"), func(bool) { s.onChanged() })
	s.irregular = widget.NewCheck(T("Proponer excluir a quien no está en situación administrativa regular"), func(bool) { s.onChanged() })
	s.saved = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	title := widget.NewLabelWithStyle(T("Reglas de exclusión"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := widget.NewLabel(T("Al proponer una derivación, Enlace comprueba estas reglas con la ficha de la persona y, si alguna se cumple, propone excluirla y dice por qué."))
	intro.Wrapping = fyne.TextWrapWord
	note := smallNote(T("Es solo una propuesta: la coordinación siempre confirma la exclusión o incluye a la persona igualmente, y su decisión queda en el historial de la derivación. Los cambios se guardan al marcar o desmarcar y valen para las derivaciones que se propongan desde ahora."))
	s.root = container.NewVScroll(container.NewPadded(container.New(&maxWidthLayout{width: 900},
		container.NewVBox(title, intro, s.dni, s.irregular, note, s.saved))))
	return s
}

// load shows the stored rules.
func (s *rulesSection) load() {
	r, err := s.u.store.Rules()
	if err != nil {
		s.u.showError(err)
		return
	}
	s.loading = true
	s.dni.SetChecked(r.DNI)
	s.irregular.SetChecked(r.Irregular)
	s.loading = false
}

func (s *rulesSection) onChanged() {
	if s.loading {
		return
	}
	r := data.Rules{DNI: s.dni.Checked, Irregular: s.irregular.Checked}
	if err := s.u.store.SaveRules(r, s.u.Author()); err != nil {
		s.u.showError(err)
		s.load()
		return
	}
	s.saved.SetText(T("Guardado a las {{.Time}}.", map[string]any{"Time": s.u.store.Now().In(data.Madrid()).Format("15:04")}))
}
