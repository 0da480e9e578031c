package data

import (
	"fmt"
	"strings"
	"time"
)

// MonthsAt returns the whole months from d to on: how long a stay in Spain
// has lasted. It counts as the Código Civil (art. 5) counts periods fixed
// in months, from date to date: a month is complete on the same day of the
// month, or, when that day does not exist, on the last day of the shorter
// month. So a stay that began on 31 August has lasted 6 months on 28
// February (29 in a leap year), and one that began on 29 February lasts 12
// months on 28 February of the next year.
//
// This differs on purpose from YearsAt, which is for ages and makes a
// person born on 29 February a year older on 1 March. The result is
// negative when on is before d.
func (d Date) MonthsAt(on Date) int {
	months := (on.Year-d.Year)*12 + int(on.Month) - int(d.Month)
	if on.Day < min(d.Day, daysIn(on.Month, on.Year)) {
		months--
	}
	return months
}

// daysUntil returns the days from d to e, negative when e is before d.
func (d Date) daysUntil(e Date) int {
	return int(e.Time(time.UTC).Sub(d.Time(time.UTC)).Hours()) / 24
}

// Suggestion is an enabling situation the person's record supports, with
// the reason in Spanish, citing the data, for the coordinator to check.
type Suggestion struct {
	CriterionID string
	Why         string
}

// docExpiryWarning is how close to its expiry date a residence document
// makes a person eligible for the "documentation" situation.
const docExpiryWarning = 90 // days

// SuggestCriteria returns the active criteria among criteria that p's
// record supports on today, in the order given, each with the reason. Only
// the pilot's seed criteria (matched by ID) have rules; criteria created
// in Enlace are never suggested, nor are retired ones.
//
// omiopi-itinerario (five interventions completed) and omiopi-empleable
// (highly employable, homologation and CV solved) rest on the office's own
// assessment of the person, which the record does not hold: they are
// never suggested. The time-based situations (ae-arraigo, omiopi-6m-1a,
// omiopi-menos-6m) need the date of arrival in Spain.
//
// Suggestions are hints for the coordinator, not decisions: the section
// head and the coordinator still verify each situation.
func SuggestCriteria(p *Person, criteria []Criterion, today Date) []Suggestion {
	var out []Suggestion
	for _, c := range criteria {
		if !c.Active {
			continue
		}
		rule, ok := criterionRules[c.ID]
		if !ok || rule == nil {
			continue
		}
		if why, ok := rule(p, today); ok {
			out = append(out, Suggestion{CriterionID: c.ID, Why: why})
		}
	}
	return out
}

// criterionRules maps a seed criterion ID to its rule. A nil rule means
// the situation cannot be read from the record (see SuggestCriteria).
var criterionRules = map[string]func(p *Person, today Date) (string, bool){
	"ae-arraigo":              ruleArraigo,
	"ae-documentacion":        ruleDocumentation,
	"ae-reagrupacion":         ruleReunification,
	"ae-certificado-ue":       ruleEUCertificate,
	"omiopi-itinerario":       nil,
	"omiopi-empleable":        nil,
	"omiopi-exp-estudios":     ruleExperienceStudies,
	"omiopi-exp-sin-estudios": ruleExperienceNoStudies,
	"omiopi-6m-1a":            ruleSixToTwelve,
	"omiopi-menos-6m":         ruleUnderSix,
}

// monthsInSpain returns the whole months p has been in Spain on today, and
// false when the arrival date is unknown or in the future.
func monthsInSpain(p *Person, today Date) (int, bool) {
	if p.ArrivalDate.IsZero() || p.ArrivalDate.After(today) {
		return 0, false
	}
	return p.ArrivalDate.MonthsAt(today), true
}

// stay describes a stay of months as "2 años y 3 meses", "1 año", "5 meses".
func stay(months int) string {
	y, m := months/12, months%12
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case months < 1:
		return "menos de un mes"
	case y == 0:
		return plural(m, "mes", "meses")
	case m == 0:
		return plural(y, "año", "años")
	}
	return plural(y, "año", "años") + " y " + plural(m, "mes", "meses")
}

func ruleArraigo(p *Person, today Date) (string, bool) {
	months, ok := monthsInSpain(p, today)
	if !ok || months < 24 {
		return "", false
	}
	// Arraigo is for nationals of countries outside the EU: Spaniards and
	// EU citizens have no use for it.
	if p.DocKind == DocDNI || isEU(p.Nationality) { // Spain is in the EU
		return "", false
	}
	card := ""
	switch {
	case p.DocKind == "":
		card = "no consta que tenga NIE ni TIE"
	case p.DocKind != DocNIE && p.DocKind != DocTIE:
		card = fmt.Sprintf("su documento es %s, no NIE ni TIE", p.DocKind.Label())
	case p.DocExpiry.IsZero():
		return "", false // a card with no known expiry counts as valid
	case p.DocExpiry.Before(today):
		card = fmt.Sprintf("su %s caducó el %s", p.DocKind.Label(), p.DocExpiry)
	default:
		return "", false
	}
	return fmt.Sprintf("Lleva %s en España (llegó el %s) y %s: cumple el mínimo de 2 años para el arraigo.",
		stay(months), p.ArrivalDate, card), true
}

func ruleDocumentation(p *Person, today Date) (string, bool) {
	switch p.DocKind {
	case DocNIE, DocTIE, DocStudent, DocAsylum:
	default:
		return "", false
	}
	if p.DocExpiry.IsZero() {
		return "", false
	}
	days := today.daysUntil(p.DocExpiry)
	doc := p.DocKind.Label()
	switch {
	case days < 0:
		return fmt.Sprintf("Su documento (%s) caducó el %s.", doc, p.DocExpiry), true
	case days == 0:
		return fmt.Sprintf("Su documento (%s) caduca hoy, %s.", doc, p.DocExpiry), true
	case days == 1:
		return fmt.Sprintf("Su documento (%s) caduca el %s (mañana).", doc, p.DocExpiry), true
	case days <= docExpiryWarning:
		return fmt.Sprintf("Su documento (%s) caduca el %s (dentro de %d días).", doc, p.DocExpiry, days), true
	}
	return "", false
}

func ruleReunification(p *Person, _ Date) (string, bool) {
	if !strings.Contains(Fold(p.Interests), "reagrupa") {
		return "", false
	}
	return fmt.Sprintf("En sus intereses consta la reagrupación familiar («%s»).", userText(strings.TrimSpace(p.Interests))), true
}

func ruleEUCertificate(p *Person, _ Date) (string, bool) {
	if !isEU(p.Nationality) || strings.EqualFold(p.Nationality, "ES") {
		return "", false
	}
	return fmt.Sprintf("Tiene nacionalidad de %s, país de la Unión Europea: puede necesitar el certificado de registro de ciudadano de la UE.",
		CountryName(p.Nationality)), true
}

func ruleExperienceStudies(p *Person, _ Date) (string, bool) {
	if p.SpainYears < 1 || p.SpainYears > 2 || !higherStudies(p.EducationLevel) {
		return "", false
	}
	return fmt.Sprintf("Tiene %s de experiencia laboral en España y estudios superiores (%s).",
		stay(12*p.SpainYears), p.EducationLevel), true
}

func ruleExperienceNoStudies(p *Person, _ Date) (string, bool) {
	if p.SpainYears < 1 || p.SpainYears > 2 {
		return "", false
	}
	var studies string
	switch p.EducationLevel {
	case "":
		studies = "no consta nivel de estudios"
	case "Sin estudios", "Primaria":
		studies = "nivel de estudios: " + p.EducationLevel
	default:
		return "", false
	}
	return fmt.Sprintf("Tiene %s de experiencia laboral en España y %s.", stay(12*p.SpainYears), studies), true
}

func ruleSixToTwelve(p *Person, today Date) (string, bool) {
	months, ok := monthsInSpain(p, today)
	if !ok || months < 6 || months >= 12 {
		return "", false
	}
	return fmt.Sprintf("Lleva %s en España (llegó el %s): entre 6 meses y 1 año.", stay(months), p.ArrivalDate), true
}

func ruleUnderSix(p *Person, today Date) (string, bool) {
	months, ok := monthsInSpain(p, today)
	if !ok || months >= 6 {
		return "", false
	}
	return fmt.Sprintf("Lleva %s en España (llegó el %s): menos de 6 meses.", stay(months), p.ArrivalDate), true
}

// higherStudies reports whether level counts as "estudios superiores".
func higherStudies(level string) bool {
	switch level {
	case "FP Grado Superior", "Universitarios", "Máster o doctorado":
		return true
	}
	return false
}

// beyondCompulsory reports whether level is above compulsory secondary
// education (ESO): the "con estudios" of the recent-arrival profile.
func beyondCompulsory(level string) bool {
	switch level {
	case "Bachillerato", "FP Grado Medio":
		return true
	}
	return higherStudies(level)
}

// euMembers are the 27 member states of the European Union (ISO 3166-1
// alpha-2; Greece is GR, not the EU's own "EL").
var euMembers = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true,
	"DK": true, "EE": true, "FI": true, "FR": true, "DE": true, "GR": true,
	"HU": true, "IE": true, "IT": true, "LV": true, "LT": true, "LU": true,
	"MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true,
	"SI": true, "ES": true, "SE": true,
}

// isEU reports whether the ISO code is a member state of the EU.
func isEU(code string) bool { return euMembers[strings.ToUpper(code)] }

// SuggestProfile returns the code of the programme profile p fits on today,
// and why in Spanish. The rules, in order: 5 or more years of work
// experience (exp_5); 1 to 2 years of work experience in Spain, with higher
// studies (exp_estudios) or without (exp_sin_estudios, which unlike the
// criterion of that name takes any level below higher studies, as the
// profile's name says); 6 months to under a year in Spain with studies
// beyond ESO (reciente_estudios); no work experience (primer_empleo);
// otherwise "otros". A code that prog does not have falls back to "otros",
// and to "" when prog has no "otros" either.
func SuggestProfile(p *Person, prog Programme, today Date) (code, why string) {
	code, why = profileRule(p, today)
	if _, ok := prog.Profile(code); ok {
		return code, why
	}
	if _, ok := prog.Profile("otros"); ok {
		return "otros", why + " El programa no tiene ese perfil: se propone «Otros»."
	}
	return "", ""
}

func profileRule(p *Person, today Date) (code, why string) {
	if p.ExperienceYears >= 5 {
		return "exp_5", fmt.Sprintf("Tiene %s de experiencia laboral.", stay(12*p.ExperienceYears))
	}
	if p.SpainYears >= 1 && p.SpainYears <= 2 {
		if higherStudies(p.EducationLevel) {
			return "exp_estudios", fmt.Sprintf("Tiene %s de experiencia laboral en España y estudios superiores (%s).",
				stay(12*p.SpainYears), p.EducationLevel)
		}
		return "exp_sin_estudios", fmt.Sprintf("Tiene %s de experiencia laboral en España y %s.",
			stay(12*p.SpainYears), studiesPhrase(p.EducationLevel))
	}
	if months, ok := monthsInSpain(p, today); ok && months >= 6 && months < 12 && beyondCompulsory(p.EducationLevel) {
		return "reciente_estudios", fmt.Sprintf("Lleva %s en España (llegó el %s) y tiene estudios (%s).",
			stay(months), p.ArrivalDate, p.EducationLevel)
	}
	if p.ExperienceYears == 0 {
		return "primer_empleo", "No consta experiencia laboral: busca su primer empleo."
	}
	return "otros", fmt.Sprintf("Tiene %s de experiencia laboral y no encaja en los demás perfiles.", stay(12*p.ExperienceYears))
}

// studiesPhrase describes a level below higher studies.
func studiesPhrase(level string) string {
	if level == "" {
		return "no consta nivel de estudios"
	}
	return "no tiene estudios superiores (" + level + ")"
}
