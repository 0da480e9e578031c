package data

import (
	"fmt"
	"strings"
	"time"
)

// Status is where a referral stands in the procedure.
type Status string

// The states of the procedure (DOMAIN.md, "The referral procedure").
const (
	StatusProposed    Status = "propuesta"     // made by a technician; awaits verification (AE) or decision
	StatusVerified    Status = "verificada"    // the AE section head said Sí; awaits the coordinator
	StatusNotVerified Status = "no_verificada" // the AE section head said No
	StatusIncluded    Status = "incluida"      // the coordinator included the person
	StatusExcluded    Status = "excluida"      // the coordinator excluded the person, with a reason
	StatusRouted      Status = "derivada"      // routed to one or more areas
	StatusFollowUp    Status = "seguimiento"   // in weekly follow-up
	StatusClosed      Status = "cerrada"       // closed with an outcome
)

// Statuses lists the states in procedure order.
var Statuses = []Status{StatusProposed, StatusVerified, StatusNotVerified, StatusIncluded,
	StatusExcluded, StatusRouted, StatusFollowUp, StatusClosed}

// Label returns the state's Spanish name.
func (s Status) Label() string {
	switch s {
	case StatusProposed:
		return "Propuesta"
	case StatusVerified:
		return "Verificada por jefatura"
	case StatusNotVerified:
		return "No verificada por jefatura"
	case StatusIncluded:
		return "Incluida"
	case StatusExcluded:
		return "Excluida"
	case StatusRouted:
		return "Derivada a área"
	case StatusFollowUp:
		return "En seguimiento"
	case StatusClosed:
		return "Cerrada"
	}
	return string(s)
}

// Open reports whether the referral still needs work (not excluded, not
// refused by the section head, not closed).
func (s Status) Open() bool {
	return s != StatusExcluded && s != StatusNotVerified && s != StatusClosed
}

// InProgramme reports whether the person is in the programme: included
// and not (yet) closed, or closed after being included.
func (s Status) InProgramme() bool {
	return s == StatusIncluded || s == StatusRouted || s == StatusFollowUp || s == StatusClosed
}

// Area is a line of work a person is routed to.
type Area string

// The three areas.
const (
	AreaLegal      Area = "juridico"  // extranjería, the OMIOPI's exclusive area
	AreaTraining   Area = "formacion" // training
	AreaEmployment Area = "empleo"    // job intermediation
)

// Areas lists the areas in display order.
var Areas = []Area{AreaLegal, AreaTraining, AreaEmployment}

// Label returns the area's Spanish name.
func (a Area) Label() string {
	switch a {
	case AreaLegal:
		return "Jurídico"
	case AreaTraining:
		return "Formación"
	case AreaEmployment:
		return "Empleo"
	}
	return string(a)
}

// Outcome is how a referral ended.
type Outcome string

// Outcomes of a closed referral.
const (
	OutcomeJob       Outcome = "insercion"
	OutcomeTrained   Outcome = "formacion_completada"
	OutcomeResolved  Outcome = "tramite_resuelto"
	OutcomeLeft      Outcome = "baja_voluntaria"
	OutcomeUnreached Outcome = "ilocalizable"
	OutcomeOther     Outcome = "otro"
)

// Outcomes lists them in display order.
var Outcomes = []Outcome{OutcomeJob, OutcomeTrained, OutcomeResolved, OutcomeLeft, OutcomeUnreached, OutcomeOther}

// Label returns the outcome's Spanish name.
func (o Outcome) Label() string {
	switch o {
	case OutcomeJob:
		return "Inserción laboral"
	case OutcomeTrained:
		return "Formación completada"
	case OutcomeResolved:
		return "Trámite resuelto"
	case OutcomeLeft:
		return "Baja voluntaria"
	case OutcomeUnreached:
		return "No localizable"
	case OutcomeOther:
		return "Otro"
	}
	return string(o)
}

// Exclusion reasons. "dni" is the pilot's only one: people with a Spanish
// DNI can go to the AE directly.
const (
	ExclusionDNI       = "dni"
	ExclusionIrregular = "irregular"
	ExclusionCriteria  = "sin_criterio"
	ExclusionDuplicate = "duplicada"
	ExclusionDeclined  = "renuncia"
	ExclusionOther     = "otro"
)

// ExclusionReasons lists the reason codes in display order.
var ExclusionReasons = []string{ExclusionDNI, ExclusionIrregular, ExclusionCriteria, ExclusionDuplicate, ExclusionDeclined, ExclusionOther}

// ExclusionLabel returns the Spanish wording of an exclusion reason code.
func ExclusionLabel(code string) string {
	switch code {
	case ExclusionDNI:
		return "Tiene DNI español: puede acudir directamente a la Agencia para el Empleo"
	case ExclusionIrregular:
		return "No está en situación administrativa regular"
	case ExclusionCriteria:
		return "No cumple ninguna situación habilitante"
	case ExclusionDuplicate:
		return "Derivación duplicada"
	case ExclusionDeclined:
		return "La persona no desea participar"
	case ExclusionOther:
		return "Otro motivo"
	}
	return code
}

// Referral is a derivación: one person referred from one service to the
// other, and everything that happened to that referral.
type Referral struct {
	ID            string    `json:"id"`
	PersonID      string    `json:"person_id"`
	Direction     Direction `json:"direction"`
	StaffID       string    `json:"staff_id,omitempty"`  // the referring technician
	OfficeID      string    `json:"office_id,omitempty"` // the referring office
	CriterionID   string    `json:"criterion_id"`
	CriterionText string    `json:"criterion_text"` // the wording in force when it was made
	Profile       string    `json:"profile,omitempty"`
	Atlas         string    `json:"atlas,omitempty"` // ATLAS expediente (AE)
	Date          Date      `json:"date"`            // when it was proposed
	Note          string    `json:"note,omitempty"`  // what the referring technician wrote

	Status    Status        `json:"status"`
	Areas     []Area        `json:"areas,omitempty"`
	Outcome   Outcome       `json:"outcome,omitempty"`
	Exclusion string        `json:"exclusion,omitempty"` // reason code when excluded
	Suggested []RuleFinding `json:"suggested,omitempty"` // automatic exclusion proposals
	History   []Transition  `json:"history"`
	Stamp
}

// Transition is one recorded step of a referral.
type Transition struct {
	Action    Action    `json:"action"`
	From      Status    `json:"from,omitempty"`
	To        Status    `json:"to"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Reason    string    `json:"reason,omitempty"`
	Areas     []Area    `json:"areas,omitempty"`
	Outcome   Outcome   `json:"outcome,omitempty"`
	Exclusion string    `json:"exclusion,omitempty"`
	Override  bool      `json:"override,omitempty"` // the coordinator included despite a proposed exclusion
}

// HasArea reports whether r is routed to a.
func (r *Referral) HasArea(a Area) bool { return oneOf(a, r.Areas) }

// Proposed returns when the referral entered the procedure.
func (r *Referral) Proposed() time.Time {
	if len(r.History) > 0 {
		return r.History[0].At
	}
	return r.CreatedAt
}

// Decided returns when the coordinator included or excluded it (zero if
// not yet).
func (r *Referral) Decided() time.Time {
	for _, t := range r.History {
		if t.Action == ActInclude || t.Action == ActExclude {
			return t.At
		}
	}
	return time.Time{}
}

// AreasLabel returns the areas joined for display ("Jurídico y Empleo").
func AreasLabel(areas []Area) string {
	names := make([]string, len(areas))
	for i, a := range areas {
		names[i] = a.Label()
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " y " + names[len(names)-1]
}

// validateNew checks a referral about to be proposed.
func (r *Referral) validateNew() error {
	var pr problems
	if r.PersonID == "" {
		pr.add("PersonID", "Elija la persona que se deriva.")
	}
	if !oneOf(r.Direction, Directions) {
		pr.add("Direction", "Elija la dirección de la derivación (AE → OMIOPI u OMIOPI → AE).")
	}
	if r.CriterionID == "" {
		pr.add("CriterionID", "Elija la situación habilitante.")
	}
	if r.Date.IsZero() {
		pr.add("Date", "Falta la fecha de la derivación.")
	}
	return pr.err()
}

func (r *Referral) String() string {
	return fmt.Sprintf("derivación %s (%s, %s)", r.ID, r.Direction.Label(), r.Status.Label())
}
