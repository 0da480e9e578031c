package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// plannedEvent is an event waiting for its person's ID.
type plannedEvent struct {
	person int // index in the chunk
	author int // staff index
	e      data.Event
}

// kindWeights weighs data.EventKinds, in the same order: calls and
// follow-ups are the bulk of a coordinator's week.
var kindWeights = []int{25, 10, 12, 12, 8, 7, 7, 10, 4, 5}

// timeline appends to out about avg events for person (index in the chunk):
// a first visit when the ficha was filled, then calls, notes, documents…
// between that visit and now, written by the referrer, the coordinator or
// the other side's liaison.
func (g *gen) timeline(p *data.Person, pl plan, avg, person int, out []plannedEvent) []plannedEvent {
	if avg <= 0 {
		return out
	}
	r := g.r
	n := avg - avg/2 + r.IntN(2*(avg/2)+1) // avg/2 … 3avg/2, mean avg
	other := g.team.liaison[officeTetuan]
	if !pl.omiopi {
		other = g.team.liaison[officeNorte+r.IntN(2)]
	}
	times := make([]time.Time, n)
	times[0] = pl.start
	span := int64(g.now.Sub(pl.start))
	for i := 1; i < n; i++ {
		t := g.officeHours(pl.start.Add(time.Duration(r.Int64N(span + 1))))
		if !t.After(pl.start) {
			t = pl.start.Add(time.Duration(5+5*r.IntN(24)) * time.Minute)
		}
		times[i] = t
	}
	slices.SortFunc(times[1:], time.Time.Compare)

	office := "la oficina"
	if o := g.team.office[pl.referrer]; o != noOffice {
		office = g.team.offices[o].Name
	}
	for i, at := range times {
		author := pl.referrer
		switch x := r.IntN(100); {
		case i == 0:
		case x < 30:
			author = g.team.coordinator
		case x < 45 && other >= 0:
			author = other
		}
		kind := data.EventVisit
		text := fmt.Sprintf("Primera cita en %s: se rellena la ficha común y firma el consentimiento.", office)
		if i > 0 {
			kind = data.EventKinds[g.weighted(kindWeights)]
			text = g.eventText(kind, p, at, office)
		}
		out = append(out, plannedEvent{person: person, author: author,
			e: data.Event{At: at, Kind: kind, Text: text}})
	}
	return out
}

// officeHours moves t to a working day, between 9:00 and 14:55 or 16:00
// and 17:55, and never after now.
func (g *gen) officeHours(t time.Time) time.Time {
	t = t.In(g.loc)
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, -1)
	case time.Sunday:
		t = t.AddDate(0, 0, -2)
	}
	y, m, d := t.Date()
	h := 9 + g.r.IntN(6)
	if g.r.IntN(5) == 0 {
		h = 16 + g.r.IntN(2)
	}
	at := time.Date(y, m, d, h, 5*g.r.IntN(12), 0, 0, g.loc)
	if at.After(g.now) {
		at = g.now.Add(-time.Duration(1+g.r.IntN(120)) * time.Minute)
	}
	return at
}

// eventText writes what a técnico would note for an event of kind on at.
func (g *gen) eventText(kind data.EventKind, p *data.Person, at time.Time, office string) string {
	r := g.r
	switch kind {
	case data.EventCall:
		switch r.IntN(6) {
		case 0, 1:
			day, hour := g.appointment(at)
			return fmt.Sprintf("Llamada: confirma cita el %s a las %s", day, hour)
		case 2:
			return "Llamada sin respuesta; se deja mensaje en el buzón de voz"
		case 3:
			return "Llamada de seguimiento semanal: sin novedades"
		case 4:
			return "Llamada: pregunta por el estado de la renovación de su documentación"
		}
		return fmt.Sprintf("Llamada: ha empezado a trabajar en %s", pick(r, sectors))
	case data.EventEmail:
		switch r.IntN(4) {
		case 0:
			return fmt.Sprintf("Correo: se le envía la oferta de %s", pick(r, jobs))
		case 1:
			return "Correo a la coordinación con la ficha de derivación"
		case 2:
			return "Correo con el enlace de cita previa de la Agencia para el Empleo"
		}
		return "Correo al técnico que derivó el caso informando del resultado"
	case data.EventVisit:
		switch r.IntN(4) {
		case 0:
			return fmt.Sprintf("Cita presencial en %s: revisión del CV", office)
		case 1:
			return "Acude a la oficina para actualizar sus datos de contacto"
		case 2:
			return "Cita con la abogada de extranjería para preparar el arraigo"
		}
		return "Cita en la Agencia para el Empleo: inscripción como demandante de empleo"
	case data.EventNote:
		switch r.IntN(5) {
		case 0:
			d := at.AddDate(0, 0, 7+r.IntN(30))
			return fmt.Sprintf("Tiene cita en extranjería el %d de %s", d.Day(), months[d.Month()])
		case 1:
			return "Prefiere horario de mañana por el cuidado de sus hijos"
		case 2:
			return "Se le explica el procedimiento de homologación del título"
		case 3:
			return fmt.Sprintf("Se orienta hacia el área de %s", pick(r, []string{"Jurídico", "Formación", "Empleo"}))
		}
		return "Pendiente de traer el certificado de empadronamiento"
	case data.EventInterview:
		if r.IntN(3) == 0 {
			return fmt.Sprintf("Entrevista de orientación laboral: objetivo profesional en %s", pick(r, sectors))
		}
		return fmt.Sprintf("Entrevista con empresa de %s", pick(r, sectors))
	case data.EventTraining:
		c := pick(r, courses)
		switch r.IntN(3) {
		case 0:
			return fmt.Sprintf("Se inscribe en el curso «%s» (%d h)", c.name, c.hours)
		case 1:
			return fmt.Sprintf("Termina el curso «%s» con aprovechamiento", c.name)
		}
		return fmt.Sprintf("Deja el curso «%s» por incompatibilidad de horario", c.name)
	case data.EventJobOffer:
		if r.IntN(4) == 0 {
			return fmt.Sprintf("Oferta de %s: no cumple el requisito de carné de conducir", pick(r, jobs))
		}
		return fmt.Sprintf("Se le envía la oferta de %s en %s", pick(r, jobs), pick(r, companies))
	case data.EventDocument:
		if r.IntN(3) == 0 && p.DocKind != "" {
			return fmt.Sprintf("Entrega copia de su documento (%s)", docShort(p.DocKind))
		}
		return pick(r, []string{
			"Entrega copia del pasaporte", "Entrega copia de la TIE",
			"Aporta el certificado de empadronamiento", "Entrega el CV actualizado",
			"Aporta la resolución favorable de arraigo", "Entrega la solicitud de homologación",
			"Aporta el número de la Seguridad Social", "Entrega el certificado del curso",
		})
	case data.EventStatus:
		switch r.IntN(4) {
		case 0:
			return "Coordinación: se incluye en el programa"
		case 1:
			return fmt.Sprintf("Se deriva al área de %s", pick(r, []string{"Jurídico", "Formación", "Empleo"}))
		case 2:
			return "Situación laboral: trabajando"
		}
		return fmt.Sprintf("Caso cerrado: inserción laboral en %s", pick(r, companies))
	case data.EventReminderDone:
		switch r.IntN(3) {
		case 0:
			return "Seguimiento semanal hecho"
		case 1:
			return "Recordatorio hecho: documento a punto de caducar, se avisa a la persona"
		}
		return "Recordatorio hecho: se comprueba la cita de renovación"
	}
	return "Nota de seguimiento"
}

// appointment returns a working day a few days after at, by name, and an
// hour: ("martes", "10:00").
func (g *gen) appointment(at time.Time) (string, string) {
	d := at.AddDate(0, 0, 1+g.r.IntN(6))
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return weekdays[d.Weekday()], fmt.Sprintf("%d:%02d", 9+g.r.IntN(5), 30*g.r.IntN(2))
}
