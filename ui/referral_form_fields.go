package ui

import (
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// This file holds the referral form's pick lists, its enabling-situation
// list and the first step of a referral made from scratch (who is
// referred).

// personRowsWithout returns the person form's sections without the row
// of field: the referral asks for it elsewhere.
func personRowsWithout(secs []formSection, field string) []formSection {
	for i := range secs {
		rows := secs[i].rows[:0:0]
		for _, r := range secs[i].rows {
			if r.field != field {
				rows = append(rows, r)
			}
		}
		secs[i].rows = rows
	}
	return secs
}

// staffNames names the staff the form offers, each with their office.
func (rf *referralForm) staffNames() []string {
	out := make([]string, len(rf.staff))
	for i, st := range rf.staff {
		out[i] = st.Name
		for _, o := range rf.offices {
			if o.ID == st.OfficeID {
				out[i] += " — " + o.Name
			}
		}
	}
	return out
}

// officeNames names the offices, with the organisation when the name
// does not say it.
func (rf *referralForm) officeNames() []string {
	out := make([]string, len(rf.offices))
	for i, o := range rf.offices {
		out[i] = o.Name
		if _, ok := data.DirectionFrom(o.Org); ok && !strings.Contains(o.Name, string(o.Org)) {
			out[i] += " (" + string(o.Org) + ")"
		}
	}
	return out
}

// profileNames names the programme's profiles in its order.
func (rf *referralForm) profileNames() []string {
	out := make([]string, len(rf.prog.Profiles))
	for i, pr := range rf.prog.Profiles {
		out[i] = pr.Name
	}
	return out
}

// showSituations lists the active enabling situations of the chosen
// direction, marking those the person's record supports. A change of
// direction clears the choice: the other direction's situations differ.
func (rf *referralForm) showSituations() {
	d := rf.dir()
	if d == rf.shownDir && len(rf.situations.Objects) > 0 {
		return
	}
	rf.shownDir, rf.criterionID, rf.options = d, "", nil
	rf.situations.RemoveAll()
	defer func() {
		rf.situations.Refresh()
		if rf.pf.scroll != nil {
			rf.pf.scroll.Content.Refresh()
		}
	}()
	if d == "" {
		rf.situations.Add(greyText(T("Elija quién deriva, o el sentido, para ver sus situaciones habilitantes.")))
		return
	}
	criteria, err := rf.u.store.Criteria(d)
	if err != nil {
		rf.u.showError(err)
		return
	}
	p, _ := rf.pf.read()
	why := map[string]string{}
	for _, s := range data.SuggestCriteria(&p, criteria, rf.today) {
		why[s.CriterionID] = s.Why
	}
	for _, c := range criteria {
		if !c.Active {
			continue
		}
		o := newSituationOption(c, why[c.ID], rf.onSituation, rf.u.dismissTop)
		rf.options = append(rf.options, o)
		rf.situations.Add(o)
	}
	if len(rf.options) == 0 {
		rf.situations.Add(greyText(T("No hay situaciones habilitantes en vigor para {{.Direction}}: se configuran en Programa.",
			map[string]any{"Direction": T(d.Label())})))
	}
}

// onSituation chooses the situation with id.
func (rf *referralForm) onSituation(id string) {
	rf.criterionID = id
	for _, o := range rf.options {
		o.setSelected(o.id == id)
	}
	rf.pf.clearError("CriterionID")
}

// suggestionSegments is a suggestion as rich text: lead in bold in the
// primary colour ("Sugerida."), then why, in grey.
func suggestionSegments(lead, why string) []widget.RichTextSegment {
	return []widget.RichTextSegment{
		&widget.TextSegment{Text: lead + " ", Style: widget.RichTextStyle{Inline: true,
			ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: why, Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}},
	}
}

// situationOption is one enabling situation in the form: a radio mark and
// the full wording, wrapped, and under it why Enlace suggests it, if it
// does. A tap, or Space when it has the focus, chooses it.
type situationOption struct {
	widget.BaseWidget
	id       string
	onTap    func(id string)
	onEscape func()

	selected, hovered, focused bool

	mark *widget.Icon
	bg   *canvas.Rectangle
	box  *fyne.Container
}

func newSituationOption(c data.Criterion, why string, onTap func(id string), onEscape func()) *situationOption {
	o := &situationOption{id: c.ID, onTap: onTap, onEscape: onEscape}
	o.mark = widget.NewIcon(theme.RadioButtonIcon())
	o.bg = canvas.NewRectangle(color.Transparent)
	o.bg.CornerRadius = theme.InputRadiusSize()
	text := wrappedText(c.Text)
	body := container.New(&tightVBox{}, text)
	if why != "" {
		w := greyText("")
		w.Segments = suggestionSegments(T("Sugerida."), why)
		body.Add(w)
	}
	mark := container.New(layout.NewCustomPaddedLayout(theme.InnerPadding(), 0, theme.Padding(), 0), o.mark)
	o.box = container.NewStack(o.bg, container.NewBorder(nil, nil, container.NewVBox(mark), nil, body))
	o.ExtendBaseWidget(o)
	return o
}

func (o *situationOption) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(o.box)
}

func (o *situationOption) setSelected(on bool) {
	if o.selected != on {
		o.selected = on
		o.repaint()
	}
}

// repaint shows the state: a filled mark when chosen, a tint when chosen,
// pointed at or focused.
func (o *situationOption) repaint() {
	res := theme.RadioButtonIcon()
	if o.selected {
		res = theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon())
	}
	o.mark.SetResource(res)
	var fill color.Color = color.Transparent
	switch {
	case o.focused:
		fill = theme.Color(theme.ColorNameFocus)
	case o.hovered:
		fill = theme.Color(theme.ColorNameHover)
	case o.selected:
		fill = theme.Color(theme.ColorNameSelection)
	}
	o.bg.FillColor = fill
	o.bg.Refresh()
}

// Tapped chooses the situation.
func (o *situationOption) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
		c.Focus(o)
	}
	o.onTap(o.id)
}

// Cursor is the hand, as over a button.
func (o *situationOption) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (o *situationOption) MouseIn(*desktop.MouseEvent)    { o.hovered = true; o.repaint() }
func (o *situationOption) MouseMoved(*desktop.MouseEvent) {}
func (o *situationOption) MouseOut()                      { o.hovered = false; o.repaint() }

func (o *situationOption) FocusGained() { o.focused = true; o.repaint() }
func (o *situationOption) FocusLost()   { o.focused = false; o.repaint() }

// TypedRune chooses the situation on Space.
func (o *situationOption) TypedRune(r rune) {
	if r == ' ' {
		o.onTap(o.id)
	}
}

// TypedKey closes the dialog on Esc, as entries do.
func (o *situationOption) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && o.onEscape != nil {
		o.onEscape()
	}
}

// referralStart is the first step of a referral made from scratch: who is
// referred. Before a new ficha is made it looks for the person among
// those registered, and offers them instead.
type referralStart struct {
	u     *App
	pf    *personForm // name, document and birth date, with their error lines
	d     *dialog.CustomDialog
	found *fyne.Container // the people who seem to be the one typed
	next  *widget.Button
	form  *referralForm // the referral form it went on to, if any
}

// showReferralStart opens the first step of a new referral.
func showReferralStart(u *App) *referralStart {
	rs := &referralStart{u: u, pf: newPersonFields(u, data.Person{})}
	pf := rs.pf
	rows := []formRow{
		{"FirstName", T("Nombre"), pf.firstName},
		{"LastName", T("Apellidos"), pf.lastName},
		{"DocKind", T("Tipo de documento"), pf.docKind},
		{"DocNumber", T("Número"), pf.docNumber},
		{"BirthDate", T("Fecha de nacimiento"), pf.birth},
	}
	for _, e := range []*entry{pf.firstName, pf.lastName, pf.docNumber, pf.birth} {
		e.OnSubmitted = func(string) { rs.onContinue() }
	}
	rs.found = container.NewVBox()
	intro := greyText(T("Escriba el nombre, el documento y la fecha de nacimiento. Antes de crear una ficha nueva, Enlace busca si la persona ya está registrada."))
	form := pf.layout([]formSection{{T("¿A quién se deriva?"), rows}})
	pf.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(form, intro, rs.found)))
	pf.body = container.NewBorder(pf.summary, nil, nil, nil, pf.scroll)

	rs.d = dialog.NewCustomWithoutButtons(T("Nueva derivación"), pf.body, u.win)
	rs.next = widget.NewButtonWithIcon(T("Continuar"), theme.NavigateNextIcon(), rs.onContinue)
	rs.next.Importance = widget.HighImportance
	rs.d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), rs.d.Hide), rs.next})
	rs.d.Resize(fitIn(u.win, fyne.NewSize(720, 520)))
	u.showDialog(rs.d)
	u.win.Canvas().Focus(pf.firstName)
	return rs
}

// onContinue checks what was typed, then offers the people who seem to
// be that person or, when there is nobody like them, goes on to the
// referral form with a new person.
func (rs *referralStart) onContinue() {
	pf := rs.pf
	pf.clearErrors()
	rs.next.Importance = widget.HighImportance
	rs.next.Refresh()
	rs.found.RemoveAll()
	rs.found.Refresh()
	p, bad := pf.read()
	p.Normalize()
	var ve *data.ValidationError
	if errors.As(p.Validate(rs.u.store.Today()), &ve) {
		bad = append(bad, ve.Fields...)
	}
	if len(bad) > 0 {
		pf.showProblems(bad)
		return
	}
	if dups := rs.u.store.FindDuplicates(&p); len(dups) > 0 {
		rs.offer(p, dups)
		return
	}
	rs.goOn(p)
}

// offer lists the people who look like p, each with a button to refer
// them; a new ficha is offered too unless one of them has p's document.
func (rs *referralStart) offer(p data.Person, dups []data.PersonCard) {
	head := wrappedText(T("Esta persona ya parece estar registrada. Use su ficha en lugar de crear otra:"))
	head.Importance = widget.WarningImportance
	head.TextStyle.Bold = true
	rs.found.Add(head)
	sameDoc := false
	for i := range dups {
		c := dups[i]
		sameDoc = sameDoc || (p.DocNumber != "" && c.DocNumber == p.DocNumber)
		use := widget.NewButtonWithIcon(T("Usar esta persona"), theme.AccountIcon(), func() { rs.useExisting(c.ID) })
		use.Importance = widget.HighImportance
		text := wrappedText(T("Ya existe: {{.Person}}.", map[string]any{"Person": personLine(&c)}))
		rs.found.Add(container.NewBorder(nil, nil, nil, container.NewVBox(use), text))
	}
	if !sameDoc {
		other := widget.NewButtonWithIcon(T("Es otra persona: crear una ficha nueva"), theme.ContentAddIcon(), func() { rs.goOn(p) })
		rs.found.Add(container.NewHBox(layout.NewSpacer(), other))
	}
	rs.next.Importance = widget.MediumImportance // the way on is now the buttons above
	rs.next.Refresh()
	rs.found.Refresh()
	rs.pf.scroll.Refresh()
	rs.pf.scroll.ScrollToBottom()
}

// personLine names a person with their document and birth date:
// "Ana María Pérez López, NIE X1234567L, nac. 14/03/1990".
func personLine(c *data.PersonCard) string {
	parts := []string{c.FullName()}
	if d := docText(c.DocKind, c.DocNumber); d != "" {
		parts = append(parts, d)
	}
	if !c.BirthDate.IsZero() {
		parts = append(parts, T("nac. {{.Date}}", map[string]any{"Date": c.BirthDate.String()}))
	}
	return strings.Join(parts, ", ")
}

// useExisting goes on to the referral form for the registered person id.
func (rs *referralStart) useExisting(id string) {
	p, err := rs.u.store.Person(id)
	if err != nil {
		rs.u.showError(err)
		return
	}
	rs.goOn(p)
}

// goOn closes this step and opens the referral form for p.
func (rs *referralStart) goOn(p data.Person) {
	rs.d.Hide()
	rs.form = showReferralForm(rs.u, p, rs.u.afterReferral)
}
