package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// referralDetail is the right-hand panel of the inbox: one referral, what
// can be done with it now, and everything that happened to it.
type referralDetail struct {
	s       *referralsScreen
	r       data.Referral
	box     *fyne.Container
	scroll  *container.Scroll
	actions *fyne.Container // the buttons of r.Allowed()
}

func newReferralDetail(s *referralsScreen) *referralDetail {
	d := &referralDetail{s: s, box: container.NewVBox()}
	d.scroll = container.NewVScroll(container.NewPadded(d.box))
	d.clear()
	return d
}

func (d *referralDetail) content() fyne.CanvasObject { return d.scroll }

// clear shows what to do when no referral is selected.
func (d *referralDetail) clear() {
	d.r = data.Referral{}
	d.actions = nil
	hint := greyText(T("Elija una derivación de la lista para ver sus datos, su historial y lo que se puede hacer con ella."))
	d.box.Objects = []fyne.CanvasObject{hint}
	d.scroll.Refresh()
}

// show fills the panel with r.
func (d *referralDetail) show(r *data.Referral) {
	same := d.r.ID == r.ID
	d.r = *r
	name := widget.NewLabelWithStyle(d.s.personName(r.PersonID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameSubHeadingText
	name.Wrapping = fyne.TextWrapWord
	card := widget.NewButtonWithIcon(T("Ver ficha"), theme.AccountIcon(), func() { d.s.u.showPerson(r.PersonID) })
	head := container.NewBorder(nil, nil, nil, container.NewVBox(card), name)

	stateLine := widget.NewRichText(
		&widget.TextSegment{Text: T(r.Status.Label()), Style: widget.RichTextStyle{Inline: true,
			ColorName: referralStatusColor(r.Status), TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: "  ·  " + T(r.Direction.Label()), Style: widget.RichTextStyle{Inline: true,
			ColorName: theme.ColorNamePlaceHolder}},
	)

	objs := []fyne.CanvasObject{head, stateLine}
	for _, f := range r.Suggested {
		objs = append(objs, exclusionProposalBox(T("Se propone excluir: {{.Why}}", map[string]any{"Why": T(f.Text)})))
	}
	d.actions = d.actionButtons()
	objs = append(objs, d.actions, widget.NewSeparator(), d.fields(), widget.NewSeparator())
	objs = append(objs, d.history()...)
	d.box.Objects = objs
	// Twice: wrapped labels learn their height from the first layout, and
	// the scroll must grow to it.
	d.scroll.Refresh()
	d.scroll.Refresh()
	if !same {
		d.scroll.ScrollToTop()
	}
}

// actionButtons has one button for each action r's state and direction
// allow: exactly data's Referral.Allowed.
func (d *referralDetail) actionButtons() *fyne.Container {
	row := container.NewHBox()
	permitted := 0
	for _, a := range d.r.Allowed() {
		if d.s.u.can(a.Perm()) {
			permitted++
		}
		b := widget.NewButtonWithIcon(T(a.Label()), referralActionIcon(a), func() { d.s.onAction(a) })
		b.Importance = referralActionImportance(a)
		d.s.u.enableFor(b, a.Perm(), true)
		row.Add(b)
	}
	switch {
	case len(row.Objects) == 0:
		row.Add(greyText(T("En este estado no se puede hacer nada más con la derivación.")))
	case permitted == 0:
		return container.NewVBox(row, greyText(T("Su función no permite estos pasos: la jefatura de sección de la AE verifica y la coordinación decide.")))
	}
	return row
}

// detailRow is one read-only line of the detail panel.
type detailRow struct{ label, value string }

// fields are the referral's data as the referring technician gave them,
// then what the coordinator decided.
func (d *referralDetail) fields() fyne.CanvasObject {
	r := &d.r
	s := d.s
	rows := []detailRow{
		{T("Deriva"), s.staffName(r.StaffID)},
		{T("Oficina"), s.officeName(r.OfficeID)},
		{T("Fecha"), r.Date.String()},
	}
	if r.Direction == data.FromAE || r.Atlas != "" {
		rows = append(rows, detailRow{T("Expediente ATLAS"), r.Atlas})
	}
	if r.Profile != "" {
		rows = append(rows, detailRow{T("Perfil"), s.profileName(r.Profile)})
	}
	rows = append(rows,
		detailRow{T("Situación habilitante"), r.CriterionText},
		detailRow{T("Nota de quien deriva"), r.Note})
	if len(r.Areas) > 0 {
		rows = append(rows, detailRow{T("Áreas"), refAreasText(r.Areas)})
	}
	if r.Outcome != "" {
		rows = append(rows, detailRow{T("Resultado"), T(r.Outcome.Label())})
	}
	if r.Exclusion != "" {
		rows = append(rows, detailRow{T("Motivo de exclusión"), T(data.ExclusionLabel(r.Exclusion))})
	}
	form := container.New(layout.NewFormLayout())
	for _, row := range rows {
		form.Add(officeKey(row.label))
		form.Add(officeValue(row.value))
	}
	return form
}

// history lists the referral's steps, oldest first, under a heading.
func (d *referralDetail) history() []fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(T("Historial de la derivación"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	out := []fyne.CanvasObject{heading}
	for _, t := range d.r.History {
		out = append(out, transitionView(t))
	}
	return out
}

// transitionView is one step: when and who; from which state to which;
// what came with it; and the override mark.
func transitionView(t data.Transition) fyne.CanvasObject {
	when := widget.NewRichText(
		&widget.TextSegment{Text: formatWhen(t.At), Style: widget.RichTextStyleStrong},
		&widget.TextSegment{Text: "  ·  " + t.By, Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}},
	)
	move := T(t.To.Label())
	if t.From != "" {
		move = T(t.From.Label()) + " → " + T(t.To.Label())
	}
	lines := []fyne.CanvasObject{when, wrappedText(move)}
	var notes []string
	if t.Exclusion != "" {
		notes = append(notes, T("Motivo: {{.Reason}}", map[string]any{"Reason": T(data.ExclusionLabel(t.Exclusion))}))
	}
	if len(t.Areas) > 0 {
		notes = append(notes, T("Áreas: {{.Areas}}", map[string]any{"Areas": refAreasText(t.Areas)}))
	}
	if t.Outcome != "" {
		notes = append(notes, T("Resultado: {{.Outcome}}", map[string]any{"Outcome": T(t.Outcome.Label())}))
	}
	if t.Reason != "" && t.Action != data.ActPropose { // a proposal's reason is its note, shown above
		notes = append(notes, t.Reason)
	}
	if len(notes) > 0 {
		lines = append(lines, greyText(strings.Join(notes, "\n")))
	}
	if t.Override {
		m := widget.NewLabelWithStyle(T("Incluida pese a la exclusión propuesta"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		m.Importance = widget.WarningImportance
		m.Wrapping = fyne.TextWrapWord
		lines = append(lines, m)
	}
	return container.New(&tightVBox{}, lines...)
}

// exclusionProposalBox highlights why an exclusion was proposed.
func exclusionProposalBox(why string) fyne.CanvasObject {
	text := widget.NewLabel(why)
	text.Wrapping = fyne.TextWrapWord
	text.Importance = widget.WarningImportance
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	bg := canvas.NewRectangle(tint(theme.ColorNameWarning, 0x26))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewBorder(nil, nil, container.NewVBox(icon), nil, text))
}

// tint is the theme's colour name made translucent at alpha, for the
// background of a box that stands out (exclusionProposalBox, the ficha's
// conflictStrip).
func tint(name fyne.ThemeColorName, alpha uint8) color.Color {
	r, g, b, _ := theme.Color(name).RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: alpha}
}

// actionIcon and actionImportance dress an action's button.
func referralActionIcon(a data.Action) fyne.Resource {
	switch a {
	case data.ActVerifyYes, data.ActInclude:
		return theme.ConfirmIcon()
	case data.ActVerifyNo, data.ActExclude:
		return theme.CancelIcon()
	case data.ActRoute:
		return theme.MailForwardIcon()
	case data.ActFollowUp:
		return theme.HistoryIcon()
	case data.ActClose:
		return theme.CheckButtonCheckedIcon()
	case data.ActReopen:
		return theme.ViewRefreshIcon()
	}
	return nil
}

// statusColor is the colour of a state written in text.
func referralStatusColor(st data.Status) fyne.ThemeColorName {
	switch referralStatusImportance(st) {
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	}
	return theme.ColorNameForeground
}

func referralActionImportance(a data.Action) widget.Importance {
	switch a {
	case data.ActVerifyYes, data.ActInclude:
		return widget.HighImportance
	case data.ActVerifyNo, data.ActExclude:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}
