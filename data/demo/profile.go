package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// levelWeights weighs data.EducationLevels, in the same order.
var levelWeights = []int{3, 8, 15, 25, 12, 12, 20, 5}

// profile draws the rest of the ficha común: benefit, studies, training,
// experience, languages, licences, interests. Experience fits the person's
// age and time in Spain.
func (g *gen) profile(p *data.Person, nat nationality, arrival time.Time) {
	r := g.r
	country := data.CountryName(nat.code)

	switch n := r.IntN(100); {
	case n < 74:
		p.Benefit = "No"
	case n < 82:
		p.Benefit = "Subsidio por desempleo"
	case n < 86:
		p.Benefit = "Prestación contributiva por desempleo"
	case n < 94:
		p.Benefit = "Ingreso Mínimo Vital"
	default:
		p.Benefit = "Programas especializados"
		p.BenefitPrograms = pick(r, []string{
			"Garantía Juvenil - nivel inicial",
			"Programa de inserción para personas migrantes - nivel 2",
			"Itinerario de inserción sociolaboral - nivel 1",
		})
	}

	level := g.weighted(levelWeights)
	p.EducationLevel = data.EducationLevels[level]
	switch {
	case level == 0:
		p.Education = "Sin estudios reglados"
	case level <= 2:
		p.Education = fmt.Sprintf("%s (%s)", data.EducationLevels[level], country)
	default:
		p.Education = fmt.Sprintf("%s (%s)", pick(r, studies[level]), country)
		p.Homologated = g.chance(22)
	}

	var training []string
	for range r.IntN(3) {
		c := pick(r, courses)
		training = append(training, fmt.Sprintf("%s (%d h)", c.name, c.hours))
	}
	p.Training = strings.Join(training, " - ")

	var exp []string
	monthsHere := int(g.now.Sub(arrival).Hours() / 24 / 30)
	yearsThere := arrival.Year() - p.BirthDate.Year - 16
	for range r.IntN(4) {
		if monthsHere >= 3 && g.chance(45) {
			exp = append(exp, fmt.Sprintf("%s - %s - %d meses", pick(r, jobs), pick(r, companies), 1+r.IntN(min(monthsHere-1, 36))))
		} else if yearsThere >= 1 {
			exp = append(exp, fmt.Sprintf("%s - empresa en %s - %s", pick(r, jobs), country, years(1+r.IntN(min(yearsThere, 15)))))
		}
	}
	p.Experience = strings.Join(exp, " - ")

	p.Languages = nat.language
	switch {
	case nat.origin != hispanic:
		p.Languages += " - Español " + pick(r, []string{"A1", "A2", "A2", "B1", "B2"})
		if g.chance(40) {
			p.Languages += " - Inglés " + pick(r, []string{"A2", "B1", "B2"})
		}
	case g.chance(30):
		p.Languages += " - Inglés " + pick(r, []string{"A1", "A2", "B1", "B2", "C1"})
	}

	p.Employment = pick(r, []string{
		"En desempleo, con inscripción como demandante de empleo",
		"En desempleo, con inscripción como demandante de empleo",
		"En desempleo, sin inscripción",
		"Trabajo temporal a tiempo parcial",
		"Trabajo por horas en el servicio doméstico",
		"Busca su primer empleo en España",
	})
	p.ITLevel = g.weighted([]int{15, 40, 30, 15})
	switch n := r.IntN(100); {
	case n < 65:
	case n < 88:
		p.DrivingLicence = "B"
	case n < 95:
		p.DrivingLicence = "B (pendiente de canje)"
	default:
		p.DrivingLicence = "B - C"
	}
	if g.chance(30) {
		p.OtherLicences = pick(r, []string{
			"Manipulador de alimentos", "Carretillero", "PRL 20 h",
			"Manipulador de alimentos - PRL 20 h", "Certificado de delitos sexuales negativo",
		})
	}
	p.Interests = fmt.Sprintf("Formación en %s - Trabajo en %s", pick(r, sectors), pick(r, sectors))
	if g.chance(3) {
		p.Disability = pick(r, []string{"Discapacidad reconocida del 33 %", "Discapacidad auditiva leve, sin certificado"})
	}
}

// observations notes the enabling situation the record suggests, as a
// técnico would write it.
func (g *gen) observations(p *data.Person, arrival time.Time) string {
	r := g.r
	soon := g.today.Time(g.loc).AddDate(0, 0, 90)
	years := p.ArrivalDate.YearsAt(g.today)
	switch {
	case !p.DocExpiry.IsZero() && p.DocExpiry.Before(g.today) && p.DocKind != data.DocPassport:
		return fmt.Sprintf("Documento (%s) caducado el %s: en trámite de renovación.", docShort(p.DocKind), p.DocExpiry)
	case !p.DocExpiry.IsZero() && p.DocExpiry.Before(data.DateOf(soon)) && p.DocKind != data.DocPassport:
		return fmt.Sprintf("Su documento (%s) caduca el %s: necesita orientación para renovarlo.", docShort(p.DocKind), p.DocExpiry)
	case p.DocKind == data.DocPassport && years >= 2:
		return "Más de dos años en España: prepara la solicitud de arraigo y busca un contrato."
	case g.now.Sub(arrival) < 183*24*time.Hour:
		return "Menos de seis meses en España: busca su primer empleo."
	case p.EducationLevel == "Universitarios" && !p.Homologated:
		return "Quiere homologar su título universitario."
	case r.IntN(4) == 0:
		return pick(r, []string{
			"Prefiere horario de mañana por el cuidado de sus hijos.",
			"Interés en la reagrupación familiar: busca estabilidad laboral.",
			"Disponibilidad inmediata.",
			"Solo puede por las tardes a partir de las 16:00.",
		})
	}
	return ""
}

// weighted returns an index drawn with the given weights.
func (g *gen) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// docShort names a document kind briefly, as notes do.
func docShort(k data.DocKind) string {
	switch k {
	case data.DocAsylum:
		return "tarjeta de solicitante de asilo"
	case data.DocStudent:
		return "tarjeta de estudiante"
	case data.DocPassport:
		return "pasaporte"
	}
	return strings.ToUpper(string(k))
}

func years(n int) string {
	if n == 1 {
		return "1 año"
	}
	return fmt.Sprintf("%d años", n)
}
