package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// expiryWarningDays is how close to its expiry a document is flagged.
const expiryWarningDays = 60

// personPage shows one person: a header with who they are and how to reach
// them, then their timeline and the rest of the ficha in tabs.
type personPage struct {
	u      *App
	p      data.Person
	onSave func(id string) // after an edit is saved

	name    *widget.Label
	facts   *widget.Label
	doc     *widget.Label
	contact *widget.Label
	ficha   *fyne.Container
	fichaSc *container.Scroll
	docIcon *widget.Icon // shown when the document has expired or is about to
	tabs    *container.AppTabs
	tl      *timeline
	refs    *personReferrals  // the Derivaciones tab
	inds    *personIndicators // the Indicadores tab
	rems    *personReminders  // the Recordatorios tab
	audit   *auditList        // the Registro tab
	root    fyne.CanvasObject
	docs    *personAttachments // the Documentos tab
	clash   *conflictStrip     // "Cambios simultáneos en esta ficha — revisar"
}

func newPersonPage(u *App, onSave func(id string)) *personPage {
	pg := &personPage{u: u, onSave: onSave}
	pg.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	pg.name.SizeName = theme.SizeNameSubHeadingText
	pg.name.Truncation = fyne.TextTruncateEllipsis
	pg.facts = wrappedLabel()
	pg.doc = wrappedLabel()
	pg.contact = wrappedLabel()

	edit := u.gate(widget.NewButtonWithIcon(T("Editar"), theme.DocumentCreateIcon(), pg.onEdit), data.PermEditPeople)
	refer := u.gate(widget.NewButtonWithIcon(T("Nueva derivación"), theme.MailForwardIcon(), pg.onNewReferral), data.PermPropose)
	pg.docIcon = widget.NewIcon(theme.WarningIcon())
	pg.docIcon.Hide()
	doc := container.NewBorder(nil, nil, container.NewCenter(pg.docIcon), nil, pg.doc)
	pdf := widget.NewButtonWithIcon(T("PDF"), theme.DocumentPrintIcon(), func() { u.askCaseSummary(pg.p) })
	var gdpr *widget.Button // its menu opens under it (gdpr.go)
	gdpr = widget.NewButtonWithIcon(T("Protección de datos"), theme.VisibilityOffIcon(), func() { u.showGdprMenu(pg.p, gdpr) })
	header := container.NewBorder(nil, nil, nil, container.NewVBox(edit, refer, pdf, gdpr),
		container.New(&tightVBox{}, pg.name, pg.facts, doc, pg.contact))

	pg.tl = newTimeline(u)
	pg.ficha = container.NewVBox()
	pg.fichaSc = container.NewVScroll(container.NewPadded(pg.ficha))
	pg.refs, pg.inds = newPersonReferrals(u), newPersonIndicators(u)
	pg.rems = newPersonReminders(u)
	pg.docs = newPersonAttachments(u, pg.reload)
	pg.audit = newAuditList(u, "")
	pg.tabs = container.NewAppTabs(
		container.NewTabItem(T("Historial"), pg.tl.content()),
		container.NewTabItem(T("Ficha"), pg.fichaSc),
		container.NewTabItem(T("Derivaciones"), pg.refs.root),
		container.NewTabItem(T("Indicadores"), pg.inds.root),
		container.NewTabItem(T("Recordatorios"), pg.rems.root),
		container.NewTabItem(T("Documentos"), pg.docs.root),
		container.NewTabItem(T("Registro"), pg.audit.root),
	)
	// The log is read again whenever its tab is opened: an entry added
	// to the timeline, a reminder done or a document attached since the
	// page was shown is in it at once.
	pg.tabs.OnSelected = func(t *container.TabItem) {
		if t.Content == pg.audit.root && pg.p.ID != "" {
			pg.audit.show()
		}
	}
	pg.clash = newConflictStrip(u)
	pg.root = container.NewBorder(container.NewVBox(pg.clash.root, header), nil, nil, nil, pg.tabs)
	return pg
}

func wrappedLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// content returns the page's root object; always the same one.
func (pg *personPage) content() fyne.CanvasObject { return pg.root }

// show loads the person with id and their timeline. It returns
// data.ErrNotFound when they no longer exist.
func (pg *personPage) show(id string) error {
	p, err := pg.u.store.Person(id)
	if err != nil {
		return err
	}
	if err := pg.tl.show(id); err != nil {
		return err
	}
	if pg.p.ID != id {
		pg.tabs.SelectIndex(0)
		pg.fichaSc.ScrollToTop()
	}
	pg.p = p
	pg.fill()
	pg.audit.subject = id
	pg.audit.show()
	if err := pg.showReferralTabs(); err != nil {
		return err
	}
	if err := pg.showDocuments(); err != nil {
		return err
	}
	return pg.showReminders()
}

// reload shows the current person again, after a change.
func (pg *personPage) reload() {
	if pg.p.ID == "" {
		return
	}
	if err := pg.show(pg.p.ID); err != nil {
		pg.u.showError(err)
	}
}

func (pg *personPage) onEdit() {
	showPersonForm(pg.u, &pg.p, pg.onSave)
}

// fill writes the loaded person into the header and the ficha.
func (pg *personPage) fill() {
	p := &pg.p
	today := pg.u.store.Today()
	name := p.FullName()
	if name == "" {
		name = T("(sin nombre)")
	}
	pg.name.SetText(name)
	pg.clash.show(p.ID)

	var facts []string
	if age := p.Age(today); age >= 0 {
		facts = append(facts, T("{{.Age}} años", map[string]any{"Age": age}))
	}
	if c := pg.u.countryName(p.Nationality); c != "" {
		facts = append(facts, c)
	} else if p.Origin != "" {
		facts = append(facts, p.Origin)
	}
	if p.Gender != "" {
		facts = append(facts, genderLabel(p.Gender))
	}
	pg.facts.SetText(strings.Join(facts, " · "))
	pg.facts.Hidden = len(facts) == 0

	text, imp := docLine(p, today)
	pg.doc.SetText(text)
	pg.doc.Importance = imp
	pg.doc.Hidden = text == ""
	pg.doc.Refresh()
	switch imp {
	case widget.DangerImportance:
		pg.docIcon.SetResource(theme.NewErrorThemedResource(theme.WarningIcon()))
		pg.docIcon.Show()
	case widget.WarningImportance:
		pg.docIcon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		pg.docIcon.Show()
	default:
		pg.docIcon.Hide()
	}

	var contact []string
	for _, ph := range []string{p.Phone1, p.Phone2} {
		if ph != "" {
			contact = append(contact, T("Tel. {{.Phone}}", map[string]any{"Phone": data.FormatPhone(ph)}))
		}
	}
	if p.Email != "" {
		contact = append(contact, p.Email)
	}
	pg.contact.SetText(strings.Join(contact, " · "))
	pg.contact.Hidden = len(contact) == 0
	pg.root.Refresh()

	pg.fillFicha()
}

// docLine describes the identity document with its expiry, warning when
// it has expired or expires within expiryWarningDays.
func docLine(p *data.Person, today data.Date) (string, widget.Importance) {
	doc := docText(p.DocKind, p.DocNumber)
	if p.DocExpiry.IsZero() {
		return doc, widget.MediumImportance
	}
	if doc == "" {
		doc = T("Documento")
	}
	exp := p.DocExpiry.String()
	days := int(p.DocExpiry.Time(time.UTC).Sub(today.Time(time.UTC)).Hours() / 24)
	switch {
	case days < 0:
		return T("{{.Doc}} · CADUCADO el {{.Date}}", map[string]any{"Doc": doc, "Date": exp}), widget.DangerImportance
	case days == 0:
		return T("{{.Doc}} · caduca hoy, {{.Date}}", map[string]any{"Doc": doc, "Date": exp}), widget.WarningImportance
	case days == 1:
		return T("{{.Doc}} · caduca mañana, {{.Date}}", map[string]any{"Doc": doc, "Date": exp}), widget.WarningImportance
	case days <= expiryWarningDays:
		return T("{{.Doc}} · caduca el {{.Date}}, dentro de {{.Days}} días",
			map[string]any{"Doc": doc, "Date": exp, "Days": days}), widget.WarningImportance
	}
	return T("{{.Doc}} · válido hasta el {{.Date}}", map[string]any{"Doc": doc, "Date": exp}), widget.MediumImportance
}

// fichaRow is one read-only line of the ficha.
type fichaRow struct{ label, value string }

// fillFicha rebuilds the read-only sections, skipping empty fields and
// sections with nothing in them.
func (pg *personPage) fillFicha() {
	pg.ficha.RemoveAll()
	secs := pg.fichaSections()
	var width float32
	for _, sec := range secs {
		for _, r := range sec.rows {
			width = max(width, widget.NewLabel(r.label).MinSize().Width)
		}
	}
	for _, sec := range secs {
		grid := container.New(layout.NewFormLayout())
		for _, r := range sec.rows {
			if strings.TrimSpace(r.value) == "" {
				continue
			}
			name := greyText(r.label)
			name.Wrapping = fyne.TextWrapOff
			name.Segments[0].(*widget.TextSegment).Style.Alignment = fyne.TextAlignTrailing
			grid.Add(container.NewVBox(container.New(&minWidth{width}, name)))
			grid.Add(wrappedText(r.value))
		}
		if len(grid.Objects) == 0 {
			continue
		}
		pg.ficha.Add(sectionHeading(sec.title))
		pg.ficha.Add(grid)
	}
	pg.ficha.Add(widget.NewSeparator())
	pg.ficha.Add(pg.stampLine())
	pg.ficha.Refresh()
}

func wrappedText(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// sectionHeading is the bold title over a group of fields.
func sectionHeading(title string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

type fichaSection struct {
	title string
	rows  []fichaRow
}

func (pg *personPage) fichaSections() []fichaSection {
	p := &pg.p
	today := pg.u.store.Today()
	yes := func(b bool) string {
		if b {
			return T("Sí")
		}
		return ""
	}
	arrival := p.ArrivalDate.String()
	if !p.ArrivalDate.IsZero() {
		if y := p.ArrivalDate.YearsAt(today); y >= 1 {
			arrival = T("{{.Date}} (hace {{.Years}} años)", map[string]any{"Date": arrival, "Years": y})
			if y == 1 {
				arrival = T("{{.Date}} (hace 1 año)", map[string]any{"Date": p.ArrivalDate.String()})
			}
		} else {
			arrival = T("{{.Date}} (hace menos de un año)", map[string]any{"Date": arrival})
		}
	}
	consent := ""
	if !p.ConsentDate.IsZero() || p.ConsentAE || p.ConsentOMIOPI {
		consent = T("No")
		switch {
		case p.ConsentAE && p.ConsentOMIOPI:
			consent = T("Con la AE y con las OMIOPI")
		case p.ConsentAE:
			consent = T("Solo con la AE")
		case p.ConsentOMIOPI:
			consent = T("Solo con las OMIOPI")
		}
	}
	return []fichaSection{
		{T("Datos personales"), []fichaRow{
			{T("Género"), genderLabelOrEmpty(p.Gender)},
			{T("Fecha de nacimiento"), p.BirthDate.String()},
			{T("Nacionalidad"), pg.u.countryName(p.Nationality)},
			{T("Procedencia"), p.Origin},
			{T("Llegada a España"), arrival},
		}},
		{T("Documento y situación"), []fichaRow{
			{T("Documento"), docText(p.DocKind, p.DocNumber)},
			{T("Caducidad"), p.DocExpiry.String()},
			{T("Situación regular"), yes(p.Regular)},
			{T("Expediente ATLAS"), p.Atlas},
		}},
		{T("Contacto"), []fichaRow{
			{T("Dirección"), p.Address},
			{T("Código postal"), p.PostalCode},
			{T("Municipio"), p.City},
			{T("Teléfono 1"), formatPhoneOrEmpty(p.Phone1)},
			{T("Teléfono 2"), formatPhoneOrEmpty(p.Phone2)},
			{T("Correo electrónico"), p.Email},
		}},
		{T("Formación y empleo"), []fichaRow{
			{T("Prestación por desempleo"), p.Benefit},
			{T("Programas especializados"), p.BenefitPrograms},
			{T("Formación académica"), p.Education},
			{T("Nivel de estudios"), tOrEmpty(p.EducationLevel)},
			{T("Estudios homologados"), yes(p.Homologated)},
			{T("Formación complementaria"), p.Training},
			{T("Experiencia laboral"), p.Experience},
			{T("Idiomas"), p.Languages},
			{T("Situación laboral"), p.Employment},
			{T("Informática"), itLevelText(p.ITLevel)},
			{T("Carnet de conducir"), p.DrivingLicence},
			{T("Otros carnés"), p.OtherLicences},
			{T("Intereses"), p.Interests},
		}},
		{T("Otros"), []fichaRow{
			{T("Discapacidad"), p.Disability},
			{T("Observaciones"), p.Observations},
			{T("Rellenado por"), pg.u.filledByName(p)},
		}},
		{T("Consentimiento"), []fichaRow{
			{T("Fecha"), p.ConsentDate.String()},
			{T("Compartir datos"), consent},
			{T("Cómo se dio"), p.ConsentHow},
		}},
	}
}

// stampLine says who created and last changed the record, and when.
func (pg *personPage) stampLine() fyne.CanvasObject {
	st := pg.p.Stamp
	text := T("Creada el {{.Date}} por {{.Author}}.", map[string]any{
		"Date": formatWhen(st.CreatedAt), "Author": st.CreatedBy})
	if !st.UpdatedAt.Equal(st.CreatedAt) {
		text += " " + T("Última modificación el {{.Date}} por {{.Author}}.", map[string]any{
			"Date": formatWhen(st.UpdatedAt), "Author": st.UpdatedBy})
	}
	return greyText(text)
}

func formatPhoneOrEmpty(stored string) string {
	if stored == "" {
		return ""
	}
	return data.FormatPhone(stored)
}

func tOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return T(s)
}

// itLevelText is "2 — Medio"; level 0 ("Ninguno") is shown too, as it is
// an answer.
func itLevelText(n int) string {
	l := data.ITLevelLabel(n)
	if l == "" {
		return ""
	}
	return T("{{.Level}} — {{.Label}}", map[string]any{"Level": n, "Label": T(l)})
}

// genderLabel is the display name of g.
func genderLabel(g data.Gender) string {
	switch g {
	case data.GenderWoman:
		return T("Mujer")
	case data.GenderMan:
		return T("Hombre")
	case data.GenderNonBinary:
		return T("No binario")
	case data.GenderUnknown:
		return T("No consta")
	}
	return string(g)
}

func genderLabelOrEmpty(g data.Gender) string {
	if g == "" {
		return ""
	}
	return genderLabel(g)
}

// filledByName is who filled the form: the staff member's name, or the
// text typed when they were not on the staff list. Never an ID.
func (u *App) filledByName(p *data.Person) string {
	if p.FilledBy != "" {
		if st, err := u.store.StaffMember(p.FilledBy); err == nil {
			return st.Name
		}
	}
	return p.FilledByText
}
