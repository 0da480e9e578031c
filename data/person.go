package data

import (
	"fmt"
	"strings"
	"time"
)

// Person is the ficha común: the 21 questions of the pilot's referral form
// plus what the evaluation and the reports need (gender, birth and arrival
// dates, ATLAS expediente, consent). Question numbers refer to the form.
type Person struct {
	ID string `json:"id"`

	FirstName string `json:"first_name"` // 1. Nombre
	LastName  string `json:"last_name"`  // 1. Apellidos
	Gender    Gender `json:"gender,omitempty"`
	BirthDate Date   `json:"birth_date"`

	Nationality string `json:"nationality,omitempty"` // 16. ISO 3166-1 alpha-2
	Origin      string `json:"origin,omitempty"`      // 16. procedencia, as typed when it is not a country
	ArrivalDate Date   `json:"arrival_date"`          // date of arrival in Spain

	DocKind   DocKind `json:"doc_kind,omitempty"` // 7. Tipo de documento
	DocNumber string  `json:"doc_number,omitempty"`
	DocExpiry Date    `json:"doc_expiry"`
	Regular   bool    `json:"regular"` // in a regular administrative situation

	Address    string `json:"address,omitempty"` // 4. Dirección completa
	PostalCode string `json:"postal_code,omitempty"`
	City       string `json:"city,omitempty"`
	Phone1     string `json:"phone1,omitempty"` // 10. two phones to reach the person
	Phone2     string `json:"phone2,omitempty"`
	Email      string `json:"email,omitempty"` // 13.

	Benefit         string `json:"benefit,omitempty"`          // 2. prestación por desempleo
	BenefitPrograms string `json:"benefit_programs,omitempty"` // 3. programas especializados y nivel
	Education       string `json:"education,omitempty"`        // 5. formación académica y certificados
	EducationLevel  string `json:"education_level,omitempty"`  // 8. nivel de estudios (EducationLevels)
	Homologated     bool   `json:"homologated,omitempty"`      // 8. ¿homologados?
	Training        string `json:"training,omitempty"`         // 11. formación complementaria (nombre, horas)
	Experience      string `json:"experience,omitempty"`       // 14. experiencia laboral (puesto, empresa)
	ExperienceYears int    `json:"experience_years,omitempty"` // 14. years of work experience in all
	SpainYears      int    `json:"spain_years,omitempty"`      // 14. of which, years of work experience in Spain
	Languages       string `json:"languages,omitempty"`        // 17. idiomas y nivel
	Employment      string `json:"employment,omitempty"`       // 19. situación laboral
	ITLevel         int    `json:"it_level"`                   // 20. informática 0–3, 0 ninguno
	DrivingLicence  string `json:"driving_licence,omitempty"`  // 6. tipos de carnet; "" none
	OtherLicences   string `json:"other_licences,omitempty"`   // 9. manipulador de alimentos, carretillero, PRL…
	Interests       string `json:"interests,omitempty"`        // 12. intereses formativos y laborales
	Disability      string `json:"disability,omitempty"`       // 21. discapacidad
	Observations    string `json:"observations,omitempty"`     // 15.
	FilledBy        string `json:"filled_by,omitempty"`        // 18. staff ID of who filled the form
	FilledByText    string `json:"filled_by_text,omitempty"`   // 18. as written, when not a known staff member

	Atlas string `json:"atlas,omitempty"` // ATLAS expediente number (AE)

	ConsentDate   Date   `json:"consent_date"`
	ConsentAE     bool   `json:"consent_ae,omitempty"`     // may share with the AE
	ConsentOMIOPI bool   `json:"consent_omiopi,omitempty"` // may share with the OMIOPI
	ConsentHow    string `json:"consent_how,omitempty"`    // signed form, verbal…

	// Indicators holds the employment indicators achieved (see Indicators),
	// each with the date it was achieved. Only SetIndicator changes it.
	Indicators map[string]Date `json:"indicators,omitempty"`
	Stamp
}

// Gender is recorded as the person states it.
type Gender string

// Genders, as the pilot's report counted them.
const (
	GenderWoman     Gender = "mujer"
	GenderMan       Gender = "hombre"
	GenderNonBinary Gender = "no binario"
	GenderUnknown   Gender = "no consta"
)

// Genders lists the choices in display order.
var Genders = []Gender{GenderWoman, GenderMan, GenderNonBinary, GenderUnknown}

// EducationLevels lists the levels of studies (question 8) in order.
var EducationLevels = []string{
	"Sin estudios",
	"Primaria",
	"Secundaria obligatoria (ESO)",
	"Bachillerato",
	"FP Grado Medio",
	"FP Grado Superior",
	"Universitarios",
	"Máster o doctorado",
}

// FullName returns first and last name, as written on a letter.
func (p *Person) FullName() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// Age returns the person's age in whole years on day, or -1 when the birth
// date is not known.
func (p *Person) Age(on Date) int {
	if p.BirthDate.IsZero() {
		return -1
	}
	return p.BirthDate.YearsAt(on)
}

// Normalize tidies what a person typed: names in ALL CAPS to proper case,
// document numbers in upper case without spaces, phones to digits, e-mail
// in lower case. It never loses information: a phone it cannot read stays
// as typed for Validate to report.
func (p *Person) Normalize() {
	p.FirstName = ProperCase(p.FirstName)
	p.LastName = ProperCase(p.LastName)
	p.DocNumber = NormalizeDocNumber(p.DocNumber)
	if p.DocNumber == "" && p.DocKind != "" && p.DocExpiry.IsZero() {
		p.DocKind = ""
	}
	for _, ph := range []*string{&p.Phone1, &p.Phone2} {
		*ph = strings.TrimSpace(*ph)
		if n, err := NormalizePhone(*ph); err == nil {
			*ph = n
		}
	}
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Nationality = strings.ToUpper(strings.TrimSpace(p.Nationality))
	p.Atlas = strings.TrimSpace(p.Atlas)
	p.PostalCode = strings.TrimSpace(p.PostalCode)
}

// Validate checks p and returns a *ValidationError listing every problem
// in Spanish, or nil. today bounds the dates that cannot be in the future.
func (p *Person) Validate(today Date) error {
	var pr problems
	if strings.TrimSpace(p.FirstName) == "" {
		pr.add("FirstName", "Falta el nombre.")
	}
	if p.DocNumber != "" || p.DocKind != "" {
		pr.check("DocNumber", CheckDocument(p.DocKind, p.DocNumber))
	}
	for _, f := range []struct{ name, v string }{{"Phone1", p.Phone1}, {"Phone2", p.Phone2}} {
		if f.v != "" {
			_, err := NormalizePhone(f.v)
			pr.check(f.name, err)
		}
	}
	if p.Email != "" {
		pr.check("Email", CheckEmail(p.Email))
	}
	pr.check("ITLevel", CheckITLevel(p.ITLevel))
	if p.ExperienceYears < 0 || p.SpainYears < 0 || p.ExperienceYears > 60 {
		pr.add("ExperienceYears", "Los años de experiencia deben estar entre 0 y 60.")
	} else if p.SpainYears > p.ExperienceYears {
		pr.add("SpainYears", "Los años de experiencia en España no pueden ser más que los años de experiencia en total.")
	}
	if p.Gender != "" && !oneOf(p.Gender, Genders) {
		pr.add("Gender", fmt.Sprintf("El género «%s» no es una de las opciones.", p.Gender))
	}
	if p.Nationality != "" && CountryName(p.Nationality) == "" {
		pr.add("Nationality", fmt.Sprintf("El país «%s» no se reconoce.", p.Nationality))
	}
	if !p.BirthDate.IsZero() {
		switch {
		case p.BirthDate.After(today):
			pr.add("BirthDate", "La fecha de nacimiento no puede ser futura.")
		case p.BirthDate.YearsAt(today) > 110:
			pr.add("BirthDate", "La fecha de nacimiento da más de 110 años: revísela.")
		}
	}
	if !p.ArrivalDate.IsZero() {
		switch {
		case p.ArrivalDate.After(today):
			pr.add("ArrivalDate", "La fecha de llegada a España no puede ser futura.")
		case !p.BirthDate.IsZero() && p.ArrivalDate.Before(p.BirthDate):
			pr.add("ArrivalDate", "La fecha de llegada es anterior a la de nacimiento.")
		}
	}
	if !p.ConsentDate.IsZero() && p.ConsentDate.After(today) {
		pr.add("ConsentDate", "La fecha del consentimiento no puede ser futura.")
	}
	if p.EducationLevel != "" && !oneOf(p.EducationLevel, EducationLevels) {
		pr.add("EducationLevel", fmt.Sprintf("El nivel de estudios «%s» no es una de las opciones.", p.EducationLevel))
	}
	return pr.err()
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// PersonCard is the short, searchable summary of a person: what a list
// row shows. The store keeps one per person, in step with the record.
type PersonCard struct {
	ID          string    `json:"i"`
	FirstName   string    `json:"f"`
	LastName    string    `json:"l"`
	DocKind     DocKind   `json:"k,omitempty"`
	DocNumber   string    `json:"d,omitempty"`
	BirthDate   Date      `json:"b"`
	Phone1      string    `json:"p,omitempty"`
	Phone2      string    `json:"q,omitempty"`
	Email       string    `json:"e,omitempty"`
	Nationality string    `json:"n,omitempty"`
	UpdatedAt   time.Time `json:"u"`
}

// FullName returns first and last name.
func (c *PersonCard) FullName() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// Card returns p's searchable summary.
func (p *Person) Card() PersonCard {
	return PersonCard{
		ID: p.ID, FirstName: p.FirstName, LastName: p.LastName,
		DocKind: p.DocKind, DocNumber: p.DocNumber, BirthDate: p.BirthDate,
		Phone1: p.Phone1, Phone2: p.Phone2, Email: p.Email,
		Nationality: p.Nationality, UpdatedAt: p.UpdatedAt,
	}
}
