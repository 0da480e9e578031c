package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// CaseSummary writes the case summary of the person with personID to w:
// personal data, the identity document and its expiry, the indicators
// checklist, the referrals with their state history, pending reminders,
// and the whole timeline (newest first), breaking across pages between
// entries.
//
// With redacted, the summary is the version for the other service: it
// leaves out the document number, the address, the phones, the e-mail, the disability
// and the observations, and blanks those values wherever else they appear
// (timeline entries, notes, reminders), with anything else in them that
// looks like a document number, a phone, an e-mail address or an IBAN
// (see redactor).
//
// It returns data.ErrNotFound for an unknown person.
func CaseSummary(w io.Writer, s *data.Store, personID string, redacted bool, opt Options) error {
	c, err := loadCase(s, personID)
	if err != nil {
		return err
	}
	l := opt.Lang
	if redacted {
		c.scrub = newRedactor(&c.p, l.t("[omitido]"))
	}
	name := c.p.FullName()
	if name == "" {
		name = l.t("(sin nombre)")
	}
	sub := name
	if redacted {
		sub += " · " + l.t("Versión para el otro servicio")
	}
	doc := NewDocument(opt, Info{Title: l.t("Resumen del caso"), Subtitle: sub, Personal: true})
	today := data.MadridDate(doc.opt.Now)
	if redacted {
		doc.Callout(l.t("Versión para el otro servicio: sin número de documento, dirección, teléfonos, correo electrónico, discapacidad ni observaciones."), false)
		doc.Note(l.t("En las notas, los recordatorios y el historial se han omitido los números de documento, teléfonos, correos electrónicos, cuentas bancarias y cantidades de siete cifras o más que se escribieron en ellos."))
	}
	c.personal(doc, today)
	c.document(doc, today)
	c.profile(doc)
	c.indicators(doc, today)
	c.referrals(doc)
	c.reminders(doc)
	c.timeline(doc)
	return doc.Write(w)
}

// caseData is everything a case summary shows, read in one go.
type caseData struct {
	p      data.Person
	refs   []data.Referral
	events []data.Event
	todo   []data.Reminder
	book   *directory
	scrub  *redactor // nil: nothing is left out
}

func loadCase(s *data.Store, personID string) (*caseData, error) {
	p, err := s.Person(personID)
	if err != nil {
		return nil, err
	}
	c := &caseData{p: p}
	if c.refs, err = s.PersonReferrals(personID); err != nil {
		return nil, err
	}
	if c.events, err = s.Timeline(personID); err != nil {
		return nil, err
	}
	if c.todo, err = s.Reminders(data.ReminderFilter{PersonID: personID}); err != nil {
		return nil, err
	}
	if c.book, err = loadDirectory(s); err != nil {
		return nil, err
	}
	return c, nil
}

// keep returns v, or "" when the summary is redacted.
func (c *caseData) keep(v string) string {
	if c.scrub != nil {
		return ""
	}
	return v
}

func (c *caseData) personal(doc *Document, today data.Date) {
	l, p := doc.l, &c.p
	birth := p.BirthDate.String()
	if age := p.Age(today); age >= 0 {
		birth = l.tf("%s (%d años)", birth, age)
	}
	arrival := p.ArrivalDate.String()
	if !p.ArrivalDate.IsZero() {
		arrival = l.tf("%s (hace %s)", arrival, l.span(p.ArrivalDate, today))
	}
	place := strings.Join(nonEmpty(c.keep(p.Address), c.keep(p.PostalCode), p.City), ", ")
	placeLabel := l.t("Dirección")
	if c.scrub != nil {
		placeLabel = l.t("Municipio")
	}
	doc.Heading(l.t("Datos personales"))
	doc.Fields([]Field{
		{l.t("Nombre"), p.FirstName},
		{l.t("Apellidos"), p.LastName},
		{l.t("Fecha de nacimiento"), birth},
		{l.t("Género"), l.gender(p.Gender)},
		{l.t("Nacionalidad"), l.country(p.Nationality)},
		{l.t("Procedencia"), p.Origin},
		{l.t("Llegada a España"), arrival},
		{l.t("Situación administrativa regular"), l.yesNo(p.Regular)},
		{l.t("Teléfono 1"), c.keep(phone(p.Phone1))},
		{l.t("Teléfono 2"), c.keep(phone(p.Phone2))},
		{l.t("Correo electrónico"), c.keep(p.Email)},
		{placeLabel, place},
		{l.t("Expediente ATLAS"), p.Atlas},
		{l.t("Consentimiento"), l.consent(p)},
	}, 2)
}

// span says how long ago from to on is, in years or months.
func (l Lang) span(from, on data.Date) string {
	if y := from.YearsAt(on); y >= 1 {
		if y == 1 {
			return l.t("1 año")
		}
		return l.tf("%d años", y)
	}
	m := (on.Year-from.Year)*12 + int(on.Month) - int(from.Month)
	if on.Day < from.Day {
		m--
	}
	switch {
	case m <= 0:
		return l.t("menos de un mes")
	case m == 1:
		return l.t("1 mes")
	}
	return l.tf("%d meses", m)
}

func (l Lang) consent(p *data.Person) string {
	if p.ConsentDate.IsZero() && !p.ConsentAE && !p.ConsentOMIOPI {
		return ""
	}
	var with string
	switch {
	case p.ConsentAE && p.ConsentOMIOPI:
		with = l.t("compartir con la AE y con las OMIOPI")
	case p.ConsentAE:
		with = l.t("compartir solo con la AE")
	case p.ConsentOMIOPI:
		with = l.t("compartir solo con las OMIOPI")
	default:
		with = l.t("no compartir")
	}
	out := with
	if !p.ConsentDate.IsZero() {
		out = l.tf("%s, el %s", with, p.ConsentDate)
	}
	if p.ConsentHow != "" {
		out += " (" + p.ConsentHow + ")"
	}
	return out
}

func (c *caseData) document(doc *Document, today data.Date) {
	l, p := doc.l, &c.p
	doc.Heading(l.t("Documentos y caducidad"))
	if p.DocKind == "" && p.DocNumber == "" && p.DocExpiry.IsZero() {
		doc.Paragraph(l.t("No consta ningún documento de identidad."))
		return
	}
	number := p.DocNumber
	if c.scrub != nil && number != "" {
		number = l.t("(omitido)")
	}
	doc.Table(Table{
		Columns: []Column{{Title: l.t("Documento"), Width: 3}, {Title: l.t("Número"), Width: 2},
			{Title: l.t("Caducidad"), Width: 1.6}, {Title: l.t("Estado"), Width: 2.6}},
		Rows: [][]string{{l.t(p.DocKind.Label()), number, p.DocExpiry.String(), l.expiry(p.DocExpiry, today)}},
	})
}

// expiry describes a document's expiry seen from today.
func (l Lang) expiry(exp, today data.Date) string {
	if exp.IsZero() {
		return l.t("Sin fecha de caducidad")
	}
	days := int(exp.Time(time.UTC).Sub(today.Time(time.UTC)).Hours() / 24)
	switch {
	case days < 0:
		return l.tf("Caducado hace %d días", -days)
	case days == 0:
		return l.t("Caduca hoy")
	case days <= 60:
		return l.tf("Caduca en %d días", days)
	}
	return l.t("En vigor")
}

func (c *caseData) profile(doc *Document) {
	l, p := doc.l, &c.p
	exp := p.Experience
	if p.ExperienceYears > 0 {
		exp = strings.Join(nonEmpty(exp, l.tf("%d años de experiencia, %d en España", p.ExperienceYears, p.SpainYears)), "\n")
	}
	it := ""
	if lab := data.ITLevelLabel(p.ITLevel); lab != "" {
		it = fmt.Sprintf("%d — %s", p.ITLevel, l.t(lab))
	}
	level := l.t(p.EducationLevel)
	if level != "" && p.Homologated {
		level += " " + l.t("(homologados)")
	}
	doc.Heading(l.t("Formación y empleo"))
	doc.Fields([]Field{
		{l.t("Prestación por desempleo"), p.Benefit},
		{l.t("Programas especializados"), p.BenefitPrograms},
		{l.t("Nivel de estudios"), level},
		{l.t("Formación académica"), p.Education},
		{l.t("Formación complementaria"), p.Training},
		{l.t("Experiencia laboral"), exp},
		{l.t("Idiomas"), p.Languages},
		{l.t("Situación laboral"), p.Employment},
		{l.t("Informática"), it},
		{l.t("Carnet de conducir"), p.DrivingLicence},
		{l.t("Otros carnés"), p.OtherLicences},
		{l.t("Intereses"), p.Interests},
		{l.t("Discapacidad"), c.keep(p.Disability)},
		{l.t("Observaciones"), c.keep(p.Observations)},
		{l.t("Rellenó la ficha"), c.filledBy()},
	}, 1)
}

func (c *caseData) filledBy() string {
	if st, ok := c.book.staff[c.p.FilledBy]; ok {
		return st.Name
	}
	return c.p.FilledByText
}

func (c *caseData) indicators(doc *Document, today data.Date) {
	l, p := doc.l, &c.p
	var items []Check
	done, total := 0, 0
	for _, ind := range data.Indicators {
		at, has := p.Indicators[ind.Code]
		applies, why := data.IndicatorApplies(ind.Code, p, today)
		it := Check{Text: l.t(ind.Label), Sub: ind.Sub, Done: has}
		switch {
		case has:
			it.Detail = l.tf("Conseguido el %s", at)
		case !applies:
			it.Off, it.Detail = true, l.t("No aplica")
		case why != "":
			it.Detail = l.t("Compruebe la edad")
		}
		if has || applies {
			total++
		}
		if has {
			done++
		}
		items = append(items, it)
	}
	doc.Heading(l.t("Indicadores de empleabilidad"))
	doc.Note(l.tf("%d de %d conseguidos, por orden de relevancia para el acceso al empleo.", done, total))
	doc.Checklist(items)
}

func (c *caseData) staffName(id string) string {
	if st, ok := c.book.staff[id]; ok {
		return st.Name
	}
	return ""
}

func (c *caseData) officeName(id string) string {
	for _, o := range c.book.offices {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

func (c *caseData) referrals(doc *Document) {
	l := doc.l
	doc.Heading(l.t("Derivaciones"))
	if len(c.refs) == 0 {
		doc.Paragraph(l.t("No tiene derivaciones."))
		return
	}
	for _, r := range c.refs {
		doc.Subheading(l.tf("%s · %s", r.Direction.Label(), l.t(r.Status.Label())))
		profile := r.Profile
		if pr, ok := c.book.prog.Profile(r.Profile); ok {
			profile = pr.Name
		}
		by := strings.Join(nonEmpty(c.staffName(r.StaffID), c.officeName(r.OfficeID)), " · ")
		exclusion := ""
		if r.Exclusion != "" {
			exclusion = l.t(data.ExclusionLabel(r.Exclusion))
		}
		outcome := ""
		if r.Outcome != "" {
			outcome = l.t(r.Outcome.Label())
		}
		doc.Fields([]Field{
			{l.t("Fecha de derivación"), r.Date.String()},
			{l.t("Derivada por"), by},
			{l.t("Situación habilitante"), r.CriterionText},
			{l.t("Perfil"), l.t(profile)},
			{l.t("Expediente ATLAS"), r.Atlas},
			{l.t("Áreas"), l.areas(r.Areas)},
			{l.t("Resultado"), outcome},
			{l.t("Motivo de exclusión"), exclusion},
			{l.t("Nota de quien derivó"), c.scrub.clean(r.Note)},
		}, 1)
		var rows [][]string
		for _, t := range r.History {
			step := l.t(t.To.Label())
			if t.From != "" {
				step = l.t(t.From.Label()) + " → " + step
			}
			rows = append(rows, []string{dateTime(t.At), step, t.By, c.scrub.clean(l.transitionDetail(t))})
		}
		doc.Table(Table{Columns: []Column{{Title: l.t("Fecha"), Width: 1.6}, {Title: l.t("Cambio de estado"), Width: 3},
			{Title: l.t("Por"), Width: 2}, {Title: l.t("Detalle"), Width: 3.4}}, Rows: rows})
	}
}

// areas joins area names: "Jurídico y Empleo".
func (l Lang) areas(as []data.Area) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = l.t(a.Label())
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + l.t(" y ") + names[len(names)-1]
}

// transitionDetail is what a step of a referral decided, besides the state.
func (l Lang) transitionDetail(t data.Transition) string {
	var parts []string
	if len(t.Areas) > 0 {
		parts = append(parts, l.areas(t.Areas))
	}
	if t.Outcome != "" {
		parts = append(parts, l.t(t.Outcome.Label()))
	}
	if t.Exclusion != "" {
		parts = append(parts, l.t(data.ExclusionLabel(t.Exclusion)))
	}
	if t.Override {
		parts = append(parts, l.t("incluida pese a la exclusión propuesta"))
	}
	if t.Reason != "" {
		parts = append(parts, t.Reason)
	}
	return strings.Join(parts, ". ")
}

func (c *caseData) reminders(doc *Document) {
	l := doc.l
	doc.Heading(l.t("Recordatorios pendientes"))
	var rows [][]string
	for _, r := range c.todo {
		if !r.Pending() {
			continue
		}
		who := r.AssigneeText
		if n := c.staffName(r.Assignee); n != "" {
			who = n
		}
		rows = append(rows, []string{r.Due().Day.String() + " " + r.Due().Clock(), c.scrub.clean(r.Text), who})
	}
	if len(rows) == 0 {
		doc.Paragraph(l.t("No hay recordatorios pendientes."))
		return
	}
	doc.Table(Table{Columns: []Column{{Title: l.t("Para el"), Width: 1.7}, {Title: l.t("Qué hay que hacer"), Width: 5.3},
		{Title: l.t("Quién"), Width: 2}}, Rows: rows})
}

func (c *caseData) timeline(doc *Document) {
	l := doc.l
	doc.Heading(l.t("Historial"))
	if len(c.events) == 0 {
		doc.Paragraph(l.t("El historial está vacío."))
		return
	}
	doc.Note(l.tf("%d anotaciones, de la más reciente a la más antigua.", len(c.events)))
	rows := make([][]string, len(c.events))
	for i, e := range c.events {
		text := c.scrub.clean(e.Text)
		if e.Corrects != "" {
			text = l.t("Corrección:") + " " + text
		}
		if len(e.CorrectedBy) > 0 {
			text += " " + l.t("(corregida más tarde)")
		}
		rows[i] = []string{dateTime(e.At), l.t(e.Kind.Label()), text, e.Author}
	}
	doc.Table(Table{Columns: []Column{{Title: l.t("Fecha"), Width: 1.6}, {Title: l.t("Tipo"), Width: 1.7},
		{Title: l.t("Anotación"), Width: 5}, {Title: l.t("Autor/a"), Width: 1.9}}, Rows: rows})
}

func phone(stored string) string {
	if stored == "" {
		return ""
	}
	return data.FormatPhone(stored)
}

// nonEmpty returns the values that are not blank.
func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}
