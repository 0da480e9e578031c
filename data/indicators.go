package data

import "fmt"

// Indicator is one item of the employment indicators checklist (seed 000,
// "INDICADORES"): something that makes a person easier to employ, recorded
// in Person.Indicators with the date it was achieved.
type Indicator struct {
	Code  string // the key in Person.Indicators
	Label string // Spanish, as the checklist says it
	Sub   bool   // part of the item before it, shown indented
}

// Indicators lists the checklist in the seed's order, most relevant first.
// Garantía Juvenil is part of item 5 (registered as a job seeker).
var Indicators = []Indicator{
	{Code: "autorizacion", Label: "Autorización de residencia y trabajo y número de NIE"},
	{Code: "empadronamiento", Label: "Empadronamiento"},
	{Code: "espanol", Label: "Idioma español"},
	{Code: "seguridad_social", Label: "Número de la Seguridad Social"},
	{Code: "demandante", Label: "Inscripción como demandante de empleo"},
	{Code: IndicatorYouthGuarantee, Label: "Inscripción en Garantía Juvenil (de 16 a 30 años)", Sub: true},
	{Code: "clave", Label: "Acceso al sistema Cl@ve"},
	{Code: "exclusion", Label: "Certificado de riesgo de exclusión social (Servicios Sociales)"},
	{Code: "estudios_homologados", Label: "Estudios homologados"},
	{Code: "carnet_homologado", Label: "Carnet de conducir homologado"},
	{Code: "movil", Label: "Uso básico del teléfono móvil"},
	{Code: "informatica", Label: "Informática básica"},
}

// IndicatorYouthGuarantee is the code of the Garantía Juvenil indicator,
// the only one with a condition (the person's age).
const IndicatorYouthGuarantee = "garantia_juvenil"

// The ages, in whole years, at which a person may register in Garantía
// Juvenil: from the 16th birthday to the day before the 31st. The national
// scheme says "mayores de 16 y menores de 30" (so up to 29); the pilot's
// checklist says "de 16 a 30 años", and some programmes reach 30, so 30 is
// accepted: refusing a registration that did happen would be worse than
// allowing one the coordinator then checks.
const (
	youthMinAge = 16
	youthMaxAge = 30
)

// indicator returns the checklist item with code.
func indicator(code string) (Indicator, bool) {
	for _, ind := range Indicators {
		if ind.Code == code {
			return ind, true
		}
	}
	return Indicator{}, false
}

// IndicatorApplies reports whether the indicator with code can apply to p
// on day on, and a note in Spanish when it does not or when it cannot be
// told. Only Garantía Juvenil has a condition: an age from 16 to 30
// inclusive; with no birth date it applies, with a note to check the age.
// An unknown code does not apply.
func IndicatorApplies(code string, p *Person, on Date) (bool, string) {
	if _, ok := indicator(code); !ok {
		return false, fmt.Sprintf("El indicador «%s» no existe.", userText(code))
	}
	if code != IndicatorYouthGuarantee {
		return true, ""
	}
	switch age := p.Age(on); {
	case age < 0:
		return true, "No consta la fecha de nacimiento: compruebe que tiene de 16 a 30 años."
	case age < youthMinAge:
		return false, fmt.Sprintf("Tiene %d años: la Garantía Juvenil es a partir de los %d.", age, youthMinAge)
	case age > youthMaxAge:
		return false, fmt.Sprintf("Tiene %d años: la Garantía Juvenil es hasta los %d.", age, youthMaxAge)
	}
	return true, ""
}

// SetIndicator records that the person with personID achieved the
// indicator code on achieved, or, with the zero Date, that it no longer
// counts. The change and a timeline event go in one transaction by author.
// It returns ErrNotFound for an unknown person, and a *ValidationError,
// writing nothing, for an unknown code, a date in the future or before
// the birth date, or a Garantía Juvenil registration on a date the person
// was not 16 to 30 years old.
func (s *Store) SetIndicator(personID, code string, achieved Date, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.SetIndicator(personID, code, achieved) })
}

// SetIndicator is Store.SetIndicator inside a batch. Setting the date an
// indicator already has, or clearing one that is not set, writes nothing.
func (b *Batch) SetIndicator(personID, code string, achieved Date) error {
	if err := b.allow(PermEditPeople); err != nil {
		return err
	}
	ind, ok := indicator(code)
	if !ok {
		return indicatorError(fmt.Sprintf("El indicador «%s» no existe.", userText(code)))
	}
	var p Person
	if err := getJSON(b.tx, bucketPeople, personID, &p); err != nil {
		return fmt.Errorf("persona %s: %w", personID, err)
	}
	old, had := p.Indicators[code]
	var text string
	switch {
	case achieved.IsZero() && !had, had && achieved == old:
		return nil
	case achieved.IsZero():
		delete(p.Indicators, code)
		text = fmt.Sprintf("Indicador retirado: %s (constaba conseguido el %s)", ind.Label, old)
	default:
		if err := checkIndicatorDate(code, &p, achieved, MadridDate(b.now)); err != nil {
			return err
		}
		if p.Indicators == nil {
			p.Indicators = make(map[string]Date)
		}
		p.Indicators[code] = achieved
		text = fmt.Sprintf("Indicador conseguido: %s (%s)", ind.Label, achieved)
		if had {
			text = fmt.Sprintf("Indicador conseguido: %s (%s; antes constaba el %s)", ind.Label, achieved, old)
		}
	}
	if err := b.savePerson(&p, false, false); err != nil {
		return err
	}
	return b.AddEvent(&Event{PersonID: p.ID, At: b.now, Kind: EventStatus, Text: text})
}

// checkIndicatorDate checks the date an indicator was achieved. Garantía
// Juvenil is checked against the person's age on that date, not today: a
// registration made at 30 stays true after the 31st birthday.
func checkIndicatorDate(code string, p *Person, achieved, today Date) error {
	switch {
	case achieved.After(today):
		return indicatorError("La fecha en que consiguió el indicador no puede ser futura.")
	case !p.BirthDate.IsZero() && achieved.Before(p.BirthDate):
		return indicatorError("La fecha en que consiguió el indicador es anterior a la de nacimiento.")
	}
	if ok, _ := IndicatorApplies(code, p, achieved); !ok {
		return indicatorError(fmt.Sprintf("El %s tenía %d años: la Garantía Juvenil es de %d a %d años.",
			achieved, p.Age(achieved), youthMinAge, youthMaxAge))
	}
	return nil
}

func indicatorError(msg string) error {
	return &ValidationError{Fields: []FieldError{{Field: "Indicators", Message: msg}}}
}
