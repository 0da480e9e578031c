package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// personReferrals is the Derivaciones tab of a person's page: each of the
// person's referrals, newest first, with what was decided and the history
// of its states. The work on referrals is done in Derivaciones.
type personReferrals struct {
	u        *App
	personID string

	count  *widget.Label
	list   *fyne.Container
	scroll *container.Scroll
	root   fyne.CanvasObject

	form *referralForm // the last referral form opened from the page
}

func newPersonReferrals(u *App) *personReferrals {
	pr := &personReferrals{u: u}
	pr.count = widget.NewLabel("")
	open := widget.NewButtonWithIcon(T("Ir a Derivaciones"), theme.MailForwardIcon(), u.showReferrals)
	pr.list = container.NewVBox()
	pr.scroll = container.NewVScroll(container.NewPadded(pr.list))
	top := container.NewVBox(container.NewBorder(nil, nil, nil, open, pr.count), widget.NewSeparator())
	pr.root = container.NewBorder(top, nil, nil, nil, pr.scroll)
	return pr
}

// show loads the referrals of personID.
func (pr *personReferrals) show(personID string) error {
	refs, err := pr.u.store.PersonReferrals(personID)
	if err != nil {
		return err
	}
	if personID != pr.personID {
		pr.scroll.ScrollToTop()
	}
	pr.personID = personID
	switch len(refs) {
	case 0:
		pr.count.SetText(T("Sin derivaciones"))
	case 1:
		pr.count.SetText(T("1 derivación"))
	default:
		pr.count.SetText(T("{{.Count}} derivaciones", map[string]any{"Count": len(refs)}))
	}
	pr.list.RemoveAll()
	if len(refs) == 0 {
		pr.list.Add(greyText(T("Todavía no hay derivaciones de esta persona. Para proponer una, use «Nueva derivación».")))
	}
	names := pr.loadNames()
	for i := range refs {
		pr.list.Add(pr.card(&refs[i], names))
	}
	pr.list.Refresh()
	return nil
}

// personRefNames turns the IDs and codes a referral holds into names.
type personRefNames struct {
	staff, offices, profiles map[string]string
	width                    float32 // of the label column
}

func (pr *personReferrals) loadNames() personRefNames {
	n := personRefNames{staff: map[string]string{}, offices: map[string]string{}, profiles: map[string]string{}}
	if list, err := pr.u.store.StaffList(); err == nil {
		for _, st := range list {
			n.staff[st.ID] = st.Name
		}
	}
	if list, err := pr.u.store.Offices(); err == nil {
		for _, o := range list {
			n.offices[o.ID] = o.Name
		}
	}
	if prog, err := pr.u.store.Programme(); err == nil {
		for _, p := range prog.Profiles {
			n.profiles[p.Code] = p.Name
		}
	}
	for _, l := range []string{T("Situación habilitante"), T("Perfil"), T("Deriva"), T("Expediente ATLAS"),
		T("Áreas"), T("Resultado"), T("Motivo de exclusión"), T("Exclusión propuesta"), T("Observaciones"),
		"00/00/0000 00:00"} {
		n.width = max(n.width, widget.NewLabel(l).MinSize().Width)
	}
	return n
}

// card shows one referral on a tinted panel.
func (pr *personReferrals) card(r *data.Referral, n personRefNames) fyne.CanvasObject {
	head := widget.NewRichText(
		&widget.TextSegment{Text: T(r.Direction.Label()), Style: widget.RichTextStyle{Inline: true,
			TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}},
		&widget.TextSegment{Text: "   " + T("propuesta el {{.Date}}", map[string]any{"Date": r.Date.String()}),
			Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}},
	)
	status := container.NewHBox(
		widget.NewIcon(theme.NewColoredResource(theme.RadioButtonCheckedIcon(), personRefStatusColor(r.Status))),
		widget.NewLabelWithStyle(T(r.Status.Label()), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))

	who := n.staff[r.StaffID]
	if o := n.offices[r.OfficeID]; o != "" {
		who = strings.TrimPrefix(who+" · "+o, " · ")
	}
	var suggested []string
	if r.Status == data.StatusProposed || r.Status == data.StatusVerified {
		for _, f := range r.Suggested {
			suggested = append(suggested, T(f.Text))
		}
	}
	exclusion := ""
	if r.Exclusion != "" {
		exclusion = T(data.ExclusionLabel(r.Exclusion))
	}
	outcome := ""
	if r.Outcome != "" {
		outcome = T(r.Outcome.Label())
	}
	grid := container.New(layout.NewFormLayout())
	row := func(label, value string, imp widget.Importance) {
		if strings.TrimSpace(value) == "" {
			return
		}
		name := greyText(label)
		name.Wrapping = fyne.TextWrapOff
		name.Segments[0].(*widget.TextSegment).Style.Alignment = fyne.TextAlignTrailing
		v := wrappedText(value)
		v.Importance = imp
		grid.Add(container.NewVBox(container.New(&minWidth{n.width}, name)))
		grid.Add(v)
	}
	row(T("Situación habilitante"), r.CriterionText, widget.MediumImportance)
	row(T("Perfil"), n.profiles[r.Profile], widget.MediumImportance)
	row(T("Deriva"), who, widget.MediumImportance)
	row(T("Expediente ATLAS"), r.Atlas, widget.MediumImportance)
	row(T("Áreas"), refAreaNames(r.Areas), widget.MediumImportance)
	row(T("Resultado"), outcome, widget.MediumImportance)
	row(T("Motivo de exclusión"), exclusion, widget.DangerImportance)
	row(T("Exclusión propuesta"), strings.Join(suggested, " "), widget.WarningImportance)
	row(T("Observaciones"), r.Note, widget.MediumImportance)

	history := container.New(layout.NewFormLayout())
	for _, t := range r.History {
		when := greyText(formatWhen(t.At))
		when.Wrapping = fyne.TextWrapOff
		when.Segments[0].(*widget.TextSegment).Style.Alignment = fyne.TextAlignTrailing
		history.Add(container.NewVBox(container.New(&minWidth{n.width}, when)))
		history.Add(personTransitionText(t))
	}
	histTitle := widget.NewLabelWithStyle(T("Cambios de estado"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	body := container.NewVBox(container.NewBorder(nil, nil, nil, status, head), grid, histTitle, history)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(body))
}

// personTransitionText is one step of a referral's history: "Propuesta →
// Incluida · who", and under it the reason and what was decided.
func personTransitionText(t data.Transition) fyne.CanvasObject {
	from := "—"
	if t.From != "" {
		from = T(t.From.Label())
	}
	var detail []string
	if t.Exclusion != "" {
		detail = append(detail, T(data.ExclusionLabel(t.Exclusion))+".")
	}
	if len(t.Areas) > 0 {
		detail = append(detail, T("Áreas: {{.Areas}}.", map[string]any{"Areas": refAreaNames(t.Areas)}))
	}
	if t.Outcome != "" {
		detail = append(detail, T("Resultado: {{.Outcome}}.", map[string]any{"Outcome": T(t.Outcome.Label())}))
	}
	if t.Override {
		detail = append(detail, T("Incluida pese a la exclusión propuesta automáticamente."))
	}
	if t.Reason != "" {
		detail = append(detail, t.Reason)
	}
	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: from + " → " + T(t.To.Label()), Style: widget.RichTextStyle{Inline: true,
			TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: "  ·  " + t.By, Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder}},
	}
	if len(detail) > 0 {
		segs = append(segs, &widget.TextSegment{Text: strings.Join(detail, " "), Style: widget.RichTextStyleParagraph})
	}
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// refAreaNames joins the areas' names in the interface's language.
func refAreaNames(areas []data.Area) string {
	names := make([]string, len(areas))
	for i, a := range areas {
		names[i] = T(a.Label())
	}
	return strings.Join(names, ", ")
}

// personRefStatusColor is the colour of a state's dot: waiting for a
// decision, going on, refused, or finished.
func personRefStatusColor(s data.Status) fyne.ThemeColorName {
	switch s {
	case data.StatusProposed, data.StatusVerified:
		return theme.ColorNamePrimary
	case data.StatusIncluded, data.StatusRouted, data.StatusFollowUp:
		return theme.ColorNameSuccess
	case data.StatusExcluded, data.StatusNotVerified:
		return theme.ColorNameError
	}
	return theme.ColorNameDisabled
}

// onNewReferral opens the referral form for the person shown.
func (pg *personPage) onNewReferral() {
	if pg.p.ID == "" {
		return
	}
	pg.refs.form = showReferralForm(pg.u, pg.p, pg.u.afterReferral)
}

// showReferralTabs fills the Derivaciones and Indicadores tabs for the
// person loaded.
func (pg *personPage) showReferralTabs() error {
	if err := pg.refs.show(pg.p.ID); err != nil {
		return err
	}
	pg.inds.changed = pg.reload // the timeline shows the change too
	return pg.inds.show(&pg.p)
}

// afterReferral shows personID's page on its Derivaciones tab, after a
// referral was made for them.
func (u *App) afterReferral(personID string) {
	u.tabs.SelectIndex(0)
	u.people.openPerson(personID)
	pg := u.people.page
	for _, it := range pg.tabs.Items {
		if it.Content == pg.refs.root {
			pg.tabs.Select(it)
		}
	}
}
