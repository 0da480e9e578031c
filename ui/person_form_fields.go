package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// This file holds what moves data between the person form's widgets and a
// data.Person: the sections and their fields, filling and reading them,
// and the options of the pick lists.

// sections lists the form's fields in the order of the ficha común,
// grouped as the coordinators read it.
func (f *personForm) sections() []formSection {
	return []formSection{
		{T("Datos personales"), []formRow{
			{"FirstName", T("Nombre"), f.firstName},
			{"LastName", T("Apellidos"), f.lastName},
			{"Gender", T("Género"), f.gender},
			{"BirthDate", T("Fecha de nacimiento"), f.birth},
			{"Nationality", T("Nacionalidad"), container.NewVBox(f.nationality, f.natHints.root)},
			{"Origin", T("Procedencia"), f.origin},
			{"ArrivalDate", T("Llegada a España"), f.arrival},
		}},
		{T("Documento y situación"), []formRow{
			{"DocKind", T("Tipo de documento"), f.docKind},
			{"DocNumber", T("Número"), f.docNumber},
			{"DocExpiry", T("Caducidad"), f.docExpiry},
			{"Regular", "", f.regular},
			{"Atlas", T("Expediente ATLAS"), f.atlas},
		}},
		{T("Contacto"), []formRow{
			{"Address", T("Dirección"), f.address},
			{"PostalCode", T("Código postal"), f.postalCode},
			{"City", T("Municipio"), f.city},
			{"Phone1", T("Teléfono 1"), f.phone1},
			{"Phone2", T("Teléfono 2"), f.phone2},
			{"Email", T("Correo electrónico"), f.email},
		}},
		{T("Formación y empleo"), []formRow{
			{"Benefit", T("Prestación por desempleo"), f.benefit},
			{"BenefitPrograms", T("Programas especializados"), f.programs},
			{"Education", T("Formación académica"), f.education},
			{"EducationLevel", T("Nivel de estudios"), f.eduLevel},
			{"Homologated", "", f.homologated},
			{"Training", T("Formación complementaria"), f.training},
			{"Experience", T("Experiencia laboral"), f.experience},
			{"Languages", T("Idiomas"), f.languages},
			{"Employment", T("Situación laboral"), f.employment},
			{"ITLevel", T("Informática"), f.itLevel},
			{"DrivingLicence", T("Carnet de conducir"), f.driving},
			{"OtherLicences", T("Otros carnés"), f.otherLicences},
			{"Interests", T("Intereses"), f.interests},
		}},
		{T("Otros"), []formRow{
			{"Disability", T("Discapacidad"), f.disability},
			{"Observations", T("Observaciones"), f.observations},
			{"FilledBy", T("Rellenado por"), f.filledBy},
		}},
		{T("Consentimiento"), []formRow{
			{"ConsentDate", T("Fecha del consentimiento"), f.consentDate},
			{"ConsentAE", "", f.consentAE},
			{"ConsentOMIOPI", "", f.consentOMIOPI},
			{"ConsentHow", T("Cómo se dio"), f.consentHow},
		}},
	}
}

// fill writes p into the form, to edit it.
func (f *personForm) fill(p *data.Person) {
	f.firstName.SetText(p.FirstName)
	f.lastName.SetText(p.LastName)
	selectIndex(f.gender, indexOf(data.Genders, p.Gender))
	f.birth.SetText(p.BirthDate.String())
	f.nationality.SetText(f.u.countryName(p.Nationality))
	f.origin.SetText(p.Origin)
	f.arrival.SetText(p.ArrivalDate.String())
	selectIndex(f.docKind, indexOf(data.DocKinds, p.DocKind))
	f.docNumber.SetText(p.DocNumber)
	f.docExpiry.SetText(p.DocExpiry.String())
	f.regular.SetChecked(p.Regular)
	f.atlas.SetText(p.Atlas)
	f.address.SetText(p.Address)
	f.postalCode.SetText(p.PostalCode)
	f.city.SetText(p.City)
	f.phone1.SetText(formatPhoneOrEmpty(p.Phone1))
	f.phone2.SetText(formatPhoneOrEmpty(p.Phone2))
	f.email.SetText(p.Email)
	f.benefit.SetText(p.Benefit)
	f.programs.SetText(p.BenefitPrograms)
	f.education.SetText(p.Education)
	selectIndex(f.eduLevel, indexOf(data.EducationLevels, p.EducationLevel))
	f.homologated.SetChecked(p.Homologated)
	f.training.SetText(p.Training)
	f.experience.SetText(p.Experience)
	f.languages.SetText(p.Languages)
	f.employment.SetText(p.Employment)
	if p.ITLevel >= 0 && p.ITLevel <= data.ITLevelMax {
		f.itLevel.SetSelectedIndex(p.ITLevel)
	}
	f.driving.SetText(p.DrivingLicence)
	f.otherLicences.SetText(p.OtherLicences)
	f.interests.SetText(p.Interests)
	f.disability.SetText(p.Disability)
	f.observations.SetText(p.Observations)
	f.filledByShown = f.u.filledByName(p)
	f.filledBy.SetText(f.filledByShown)
	f.consentDate.SetText(p.ConsentDate.String())
	f.consentAE.SetChecked(p.ConsentAE)
	f.consentOMIOPI.SetChecked(p.ConsentOMIOPI)
	f.consentHow.SetText(p.ConsentHow)
	f.clearErrors()
}

func selectIndex(s *widget.Select, i int) {
	if i >= 0 {
		s.SetSelectedIndex(i + 1)
	}
}

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// read returns the person the form describes, and the problems that stop
// it being read at all: dates that are not dates, unknown countries.
func (f *personForm) read() (data.Person, []data.FieldError) {
	var p data.Person
	if f.orig != nil {
		p = *f.orig
	}
	var bad []data.FieldError
	date := func(field string, e *entry) data.Date {
		d, err := data.ParseDate(e.Text)
		if err != nil {
			bad = append(bad, data.FieldError{Field: field, Message: err.Error()})
		}
		return d
	}
	p.FirstName, p.LastName = f.firstName.Text, f.lastName.Text
	p.Gender = pick(data.Genders, selected(f.gender))
	p.BirthDate = date("BirthDate", f.birth)
	p.Nationality = ""
	if name := strings.TrimSpace(f.nationality.Text); name != "" {
		code, ok := f.u.countryCode(name)
		if !ok {
			bad = append(bad, data.FieldError{Field: "Nationality", Message: T(
				"«{{.Name}}» no es un país de la lista: elija uno o escriba el lugar en «Procedencia».",
				map[string]any{"Name": name})})
		}
		p.Nationality = code
	}
	p.Origin = strings.TrimSpace(f.origin.Text)
	p.ArrivalDate = date("ArrivalDate", f.arrival)
	p.DocKind = pick(data.DocKinds, selected(f.docKind))
	p.DocNumber = f.docNumber.Text
	p.DocExpiry = date("DocExpiry", f.docExpiry)
	p.Regular = f.regular.Checked
	p.Atlas = f.atlas.Text
	p.Address, p.PostalCode, p.City = trim(f.address), trim(f.postalCode), trim(f.city)
	p.Phone1, p.Phone2, p.Email = f.phone1.Text, f.phone2.Text, f.email.Text
	p.Benefit, p.BenefitPrograms = trim(f.benefit), trim(f.programs)
	p.Education = trim(f.education)
	p.EducationLevel = pick(data.EducationLevels, selected(f.eduLevel))
	p.Homologated = f.homologated.Checked
	p.Training, p.Experience = trim(f.training), trim(f.experience)
	p.Languages, p.Employment = trim(f.languages), trim(f.employment)
	p.ITLevel = max(f.itLevel.SelectedIndex(), 0)
	p.DrivingLicence, p.OtherLicences = trim(f.driving), trim(f.otherLicences)
	p.Interests, p.Disability = trim(f.interests), trim(f.disability)
	p.Observations = trim(f.observations)
	f.readFilledBy(&p)
	p.ConsentDate = date("ConsentDate", f.consentDate)
	p.ConsentAE, p.ConsentOMIOPI = f.consentAE.Checked, f.consentOMIOPI.Checked
	p.ConsentHow = trim(f.consentHow)
	return p, bad
}

func trim(e *entry) string { return strings.TrimSpace(e.Text) }

func pick[T any](list []T, i int) T {
	var zero T
	if i < 0 || i >= len(list) {
		return zero
	}
	return list[i]
}

// readFilledBy links "rellenado por" to the staff member of that name, or
// keeps the text as written when nobody on the staff list has it.
func (f *personForm) readFilledBy(p *data.Person) {
	name := strings.TrimSpace(f.filledBy.Text)
	if f.orig != nil && name == f.filledByShown {
		return // unchanged: keep the link as it was
	}
	p.FilledBy, p.FilledByText = "", name
	for _, st := range f.staff {
		if name != "" && data.Fold(st.Name) == data.Fold(name) {
			p.FilledBy, p.FilledByText = st.ID, ""
			return
		}
	}
}

func genderOptions() []string {
	out := make([]string, len(data.Genders))
	for i, g := range data.Genders {
		out[i] = genderLabel(g)
	}
	return out
}

func docKindOptions() []string {
	out := make([]string, len(data.DocKinds))
	for i, k := range data.DocKinds {
		out[i] = T(k.Label())
	}
	return out
}

func eduLevelOptions() []string {
	out := make([]string, len(data.EducationLevels))
	for i, l := range data.EducationLevels {
		out[i] = T(l)
	}
	return out
}

func itLevelOptions() []string {
	out := make([]string, data.ITLevelMax+1)
	for i := range out {
		out[i] = itLevelText(i)
	}
	return out
}

func (f *personForm) staffOptions() []string {
	out := make([]string, 0, len(f.staff))
	for _, st := range f.staff {
		if st.Active || st.Name == f.filledByShown {
			out = append(out, st.Name)
		}
	}
	return out
}

func (f *personForm) countryOptions() []string {
	cs := data.Countries()
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = f.u.countryLabel(c)
	}
	return out
}

// filterOptions keeps the options containing what was typed, ignoring
// case and accents; everything when nothing was typed or it matches one.
func filterOptions(options []string, typed string) []string {
	matches, exact := matchOptions(options, typed)
	if exact || data.Fold(typed) == "" {
		return options
	}
	return matches
}

// matchOptions returns the options containing typed (accents and case
// aside), and whether typed is one of them exactly.
func matchOptions(options []string, typed string) (matches []string, exact bool) {
	q := data.Fold(typed)
	if q == "" {
		return nil, false
	}
	for _, o := range options {
		fo := data.Fold(o)
		if fo == q {
			return nil, true
		}
		if strings.Contains(fo, q) {
			matches = append(matches, o)
		}
	}
	return matches, false
}

// countryLabel is how a country is named in the interface's language.
func (u *App) countryLabel(c data.Country) string {
	if english() && c.NameEN != "" {
		return c.NameEN
	}
	return c.Name
}

// countryName is the name of the country with an ISO code, or "".
func (u *App) countryName(code string) string {
	if code == "" {
		return ""
	}
	for _, c := range data.Countries() {
		if c.Code == code {
			return u.countryLabel(c)
		}
	}
	return data.CountryName(code)
}

// countryCode finds the country typed as name: its name in either
// language as the list shows it, or anything data.LookupCountry knows
// (code, other names, demonyms such as "venezolana").
func (u *App) countryCode(name string) (string, bool) {
	q := data.Fold(name)
	for _, c := range data.Countries() {
		if q == data.Fold(c.Name) || q == data.Fold(c.NameEN) {
			return c.Code, true
		}
	}
	return data.LookupCountry(name)
}

// minWidth lays its one object out at least w wide: the form's labels
// share one column width across sections.
type minWidth struct{ w float32 }

func (m *minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(max(s.Width, m.w), s.Height)
}

func (m *minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}

// selectEntry is a widget.SelectEntry that closes the open dialog on Esc.
type selectEntry struct {
	widget.SelectEntry
	onEscape func()
}

func (u *App) newSelectEntry(options []string) *selectEntry {
	e := &selectEntry{onEscape: u.dismissTop}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

// TypedKey closes the dialog on Esc and passes other keys on.
func (e *selectEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.SelectEntry.TypedKey(ev)
}

// suggestions are the choices matching what is being typed in a box,
// shown under it as buttons while typing: the list of a SelectEntry opens
// only from its arrow, so typing "colo" showed nothing until then.
type suggestions struct {
	pick func(string)
	root *fyne.Container
}

// maxSuggestions is how many matches are offered as buttons.
const maxSuggestions = 4

func newSuggestions(pick func(string)) *suggestions {
	return &suggestions{pick: pick, root: container.NewHBox()}
}

// show offers the options matching typed; none when typed is empty or is
// already one of them.
func (s *suggestions) show(options []string, typed string) {
	s.root.RemoveAll()
	defer s.root.Refresh()
	matches, exact := matchOptions(options, typed)
	if exact || data.Fold(typed) == "" {
		return
	}
	if len(matches) == 0 {
		s.root.Add(greyText(T("Ningún país coincide: escríbalo en «Procedencia».")))
	}
	for i, m := range matches {
		if i == maxSuggestions {
			s.root.Add(greyText(T("y {{.N}} más", map[string]any{"N": len(matches) - maxSuggestions})))
			break
		}
		b := widget.NewButton(m, func() { s.pick(m) })
		b.Importance = widget.LowImportance
		s.root.Add(b)
	}
}
