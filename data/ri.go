package data

// The RI programme (Programa de reactivación e inserción laboral para
// personas desempleadas de larga duración): Orden de 30 de agosto de 2017
// of the Comunidad de Madrid, as amended by the Orden de 27 de junio de
// 2018 (seed 004). Article numbers in comments and messages are those of
// the 2017 order in its amended wording.

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// RIProject is one subsidised project of the RI programme: its expediente
// RI/<Number>/<Year>, the beneficiary entity, its insertion tutors and its
// participants.
type RIProject struct {
	ID     string `json:"id"`
	Number int    `json:"number"` // the n of RI/n/year
	Year   int    `json:"year"`   // the year of RI/n/year
	Entity string `json:"entity"` // entidad beneficiaria

	// CallYear is the year of the call the application was filed under.
	// Its SMI prices the subsidy (art. 7.2.a: "el correspondiente a la
	// anualidad en la que se formule la solicitud"). Zero means Year.
	CallYear int `json:"call_year"`

	Tutors       []RITutor       `json:"tutors"`
	Participants []RIParticipant `json:"participants"`
	Notes        string          `json:"notes,omitempty"`
	Stamp
}

// RITutor is an insertion tutor hired for the project (arts. 4.1.a, 8.2
// and 17). Tutors are selected from the Comunidad's single candidate
// list, not from Enlace's people, so the record carries what the
// selection record (Anexo II) prints: name, DNI and score.
type RITutor struct {
	ID    string `json:"id"`   // opaque, given by the store
	Name  string `json:"name"` // apellidos y nombre
	DNI   string `json:"dni"`  // a DNI, or an NIE for a foreign national
	Score string `json:"score,omitempty"`

	Degree          RIDegree `json:"degree"`
	DegreeOther     string   `json:"degree_other,omitempty"` // the title, when Degree is RIDegreeOther
	ExperienceYears int      `json:"experience_years"`       // years of experience in orientación laboral
	MarketKnowledge bool     `json:"market_knowledge"`       // knows the Comunidad de Madrid labour market (art. 8.2)

	ContractStart Date           `json:"contract_start"`
	ContractEnd   Date           `json:"contract_end"` // last day; zero while not known
	Suspensions   []RISuspension `json:"suspensions,omitempty"`
	Leave         Date           `json:"leave"` // baja definitiva: last day of the contract

	// Replaces is the ID of the tutor this one substitutes after a
	// definitive leave or a suspension expected to last over a month
	// (art. 17.5); Reported is when the hiring was communicated with the
	// Anexo II-bis.
	Replaces string `json:"replaces,omitempty"`
	Reported Date   `json:"reported"`
}

// RIParticipant is a long-term unemployed person of the project, already
// in Enlace as a Person.
type RIParticipant struct {
	PersonID string `json:"person_id"`

	// Alternance is true for a participant referred to training in
	// alternation with work ("derivado a la realización de acciones de
	// formación en alternancia con la actividad laboral"): hired for at
	// least 12 months and trained 90–120 hours. The others receive
	// orientation only (art. 4.1.a.ii). Tutor ratios and subsidies count
	// the referred ones.
	Alternance bool `json:"alternance"`

	OrientationStart Date `json:"orientation_start"`
	OrientationEnd   Date `json:"orientation_end"`

	ContractStart Date           `json:"contract_start"`
	ContractEnd   Date           `json:"contract_end"` // last day; zero while not known
	Group         int            `json:"group"`        // Social Security contribution group 1–9; 0 not yet known
	Courses       []RICourse     `json:"courses,omitempty"`
	Suspensions   []RISuspension `json:"suspensions,omitempty"`

	Leave         Date `json:"leave"`          // baja definitiva: last day of the contract
	LeaveReported Date `json:"leave_reported"` // when the Oficina de Empleo was told

	// Replaces is the person ID of the participant this one substitutes
	// (art. 18.6); Reported is when the hiring was communicated with the
	// Anexo III-bis.
	Replaces string `json:"replaces,omitempty"`
	Reported Date   `json:"reported"`
}

// RICourse is a course of cross-cutting training (art. 4.1.c).
type RICourse struct {
	Name  string `json:"name"`
	Hours int    `json:"hours"`
	// Remote marks training not given in person: art. 7.2.b subsidises
	// "hora de formación presencial", so these hours are neither paid nor
	// counted in the 90–120 subsidised hours.
	Remote bool `json:"remote,omitempty"`
}

// RISuspension is a period in which a contract was suspended. It never
// extends the subsidised period (art. 7.4).
type RISuspension struct {
	Cause RISuspensionCause `json:"cause"`
	From  Date              `json:"from"`
	To    Date              `json:"to"` // last day; zero while it lasts
}

// RISuspensionCause is why a contract was suspended.
type RISuspensionCause string

// The causes art. 7.4 lists, and any other.
const (
	RISuspensionSickLeave     RISuspensionCause = "it"
	RISuspensionPregnancy     RISuspensionCause = "riesgo_embarazo"
	RISuspensionBirth         RISuspensionCause = "nacimiento"
	RISuspensionAdoption      RISuspensionCause = "adopcion"
	RISuspensionBreastfeeding RISuspensionCause = "riesgo_lactancia"
	RISuspensionOther         RISuspensionCause = "otra"
)

// RISuspensionCauses lists the causes in display order.
var RISuspensionCauses = []RISuspensionCause{RISuspensionSickLeave, RISuspensionPregnancy, RISuspensionBirth,
	RISuspensionAdoption, RISuspensionBreastfeeding, RISuspensionOther}

// Label returns the cause's Spanish name.
func (c RISuspensionCause) Label() string {
	switch c {
	case RISuspensionSickLeave:
		return "Incapacidad temporal"
	case RISuspensionPregnancy:
		return "Riesgo durante el embarazo"
	case RISuspensionBirth:
		return "Maternidad, paternidad o nacimiento"
	case RISuspensionAdoption:
		return "Adopción o acogimiento"
	case RISuspensionBreastfeeding:
		return "Riesgo durante la lactancia"
	case RISuspensionOther:
		return "Otra causa"
	}
	return string(c)
}

// RIDegree is a tutor's university degree, among those art. 8.2 lists.
type RIDegree string

// The degrees of art. 8.2, and "another degree suited to the call's
// participants", which the call must accept.
const (
	RIDegreePsychology     RIDegree = "psicologia"
	RIDegreeSocialWork     RIDegree = "trabajo_social"
	RIDegreeSociology      RIDegree = "sociologia"
	RIDegreeEducation      RIDegree = "ciencias_educacion"
	RIDegreeSocialEducator RIDegree = "educacion_social"
	RIDegreeOther          RIDegree = "otro"
)

// RIDegrees lists the degrees in the order of art. 8.2.
var RIDegrees = []RIDegree{RIDegreePsychology, RIDegreeSocialWork, RIDegreeSociology, RIDegreeEducation,
	RIDegreeSocialEducator, RIDegreeOther}

// Label returns the degree as art. 8.2 names it.
func (d RIDegree) Label() string {
	switch d {
	case RIDegreePsychology:
		return "Licenciatura o Grado en Psicología"
	case RIDegreeSocialWork:
		return "Grado o Diplomatura en Trabajo Social"
	case RIDegreeSociology:
		return "Licenciatura o Grado en Sociología"
	case RIDegreeEducation:
		return "Licenciatura o Grado en Ciencias de la Educación"
	case RIDegreeSocialEducator:
		return "Diplomatura o Grado en Educación Social"
	case RIDegreeOther:
		return "Otro título universitario adecuado"
	}
	return string(d)
}

// Expediente returns the file number as the Comunidad writes it,
// "RI/12/2024".
func (p *RIProject) Expediente() string { return fmt.Sprintf("RI/%d/%d", p.Number, p.Year) }

// SMIYear returns the year whose SMI prices the subsidy (art. 7.2.a).
func (p *RIProject) SMIYear() int {
	if p.CallYear != 0 {
		return p.CallYear
	}
	return p.Year
}

var expedienteRE = regexp.MustCompile(`^(?i:RI)\s*[/ -]\s*([0-9]{1,6})\s*[/ -]\s*([0-9]{4})$`)

// ParseExpediente reads "RI/12/2024" (also lower case, with spaces or
// dashes) into its number and year. ok is false for anything else.
func ParseExpediente(s string) (number, year int, ok bool) {
	m := expedienteRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0, false
	}
	number, _ = strconv.Atoi(m[1])
	year, _ = strconv.Atoi(m[2])
	return number, year, number > 0
}

// Tutor returns the tutor with id.
func (p *RIProject) Tutor(id string) (*RITutor, bool) {
	for i := range p.Tutors {
		if p.Tutors[i].ID == id {
			return &p.Tutors[i], true
		}
	}
	return nil, false
}

// Participant returns the participant who is the person with personID.
func (p *RIProject) Participant(personID string) (*RIParticipant, bool) {
	for i := range p.Participants {
		if p.Participants[i].PersonID == personID {
			return &p.Participants[i], true
		}
	}
	return nil, false
}

// Referred returns how many participants referred to training in
// alternation the project holds places for: each referred participant
// who replaces nobody. A substitute takes the place of the one replaced.
func (p *RIProject) Referred() int {
	n := 0
	for _, x := range p.Participants {
		if x.Alternance && x.Replaces == "" {
			n++
		}
	}
	return n
}

// RITutorsRequired returns how many insertion tutors n referred
// participants need (art. 4.1.a): one for up to 60, and one more for each
// further 60 or part of it, so 60 → 1, 61 → 2, 120 → 2, 121 → 3.
// "Un tutor ... por hasta 60 desempleados" caps each tutor at 60, which
// settles how to read "un tutor más por cada múltiplo de 60".
func RITutorsRequired(n int) int {
	if n <= 0 {
		return 0
	}
	return (n + 59) / 60
}

// TrainingHours returns the participant's hours of training in person
// (counted and subsidised) and at a distance (neither).
func (x *RIParticipant) TrainingHours() (inPerson, remote int) {
	for _, c := range x.Courses {
		if c.Remote {
			remote += c.Hours
		} else {
			inPerson += c.Hours
		}
	}
	return inPerson, remote
}

// ContractLength returns how long the tutor's contract runs, to its end
// or its definitive leave, in whole months and days; zero when a date is
// missing.
func (t *RITutor) ContractLength() (months, days int) {
	return riLength(t.ContractStart, t.ContractEnd, t.Leave)
}

// ContractLength returns how long the participant's contract runs, to its
// end or the definitive leave, in whole months and days; zero when a date
// is missing.
func (x *RIParticipant) ContractLength() (months, days int) {
	return riLength(x.ContractStart, x.ContractEnd, x.Leave)
}

// OrientationLength returns how long the participant's orientation runs
// (at least 15 months, art. 4.1.a); zero when a date is missing.
func (x *RIParticipant) OrientationLength() (months, days int) {
	return riLength(x.OrientationStart, x.OrientationEnd, Date{})
}

func riLength(start, end, leave Date) (months, days int) {
	if !leave.IsZero() && (end.IsZero() || leave.Before(end)) {
		end = leave
	}
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return 0, 0
	}
	return riSpan(start, end)
}

// RIDurationText writes a length in months and days as Spanish text:
// "15 meses", "1 mes y 1 día", "20 días".
func RIDurationText(months, days int) string { return riMonthsText(months, days) }

// RISelectionRow is one row of the tutors' selection record (Anexo II,
// art. 17.4).
type RISelectionRow struct {
	Name       string // apellidos y nombre
	DNI        string
	Score      string // puntuación baremo, as typed
	Expediente string // RI/n/año
	Entity     string // entidad beneficiaria
}

// SelectionRows returns the rows of the Anexo II record: the tutors first
// selected for the project, by score, highest first (the single list's
// order, art. 17.2). Substitutes are communicated with the Anexo II-bis
// instead (art. 17.5) and are not listed.
func (p *RIProject) SelectionRows() []RISelectionRow {
	var out []RISelectionRow
	for _, t := range p.Tutors {
		if t.Replaces == "" {
			out = append(out, RISelectionRow{Name: t.Name, DNI: t.DNI, Score: t.Score, Expediente: p.Expediente(), Entity: p.Entity})
		}
	}
	score := func(s string) float64 {
		f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil {
			return -1
		}
		return f
	}
	sort.SliceStable(out, func(i, j int) bool { return score(out[i].Score) > score(out[j].Score) })
	return out
}

// Normalize tidies what was typed: trimmed texts, tutor names in proper
// case, DNI without spaces or dots, CallYear defaulting to Year.
func (p *RIProject) Normalize() {
	p.Entity = strings.TrimSpace(p.Entity)
	p.Notes = strings.TrimSpace(p.Notes)
	if p.CallYear == 0 {
		p.CallYear = p.Year
	}
	for i := range p.Tutors {
		t := &p.Tutors[i]
		t.Name = ProperCase(strings.TrimSpace(t.Name))
		t.DNI = NormalizeDocNumber(t.DNI)
		t.Score = strings.TrimSpace(t.Score)
		t.DegreeOther = strings.TrimSpace(t.DegreeOther)
		if t.Degree != RIDegreeOther {
			t.DegreeOther = ""
		}
	}
	for i := range p.Participants {
		x := &p.Participants[i]
		x.PersonID = strings.TrimSpace(x.PersonID)
		x.Replaces = strings.TrimSpace(x.Replaces)
		for j := range x.Courses {
			x.Courses[j].Name = strings.TrimSpace(x.Courses[j].Name)
		}
	}
}
