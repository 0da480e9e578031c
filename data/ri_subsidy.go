package data

import (
	"fmt"
	"strings"
)

// RIConcept is what an estimate line pays for.
type RIConcept string

// The three subsidised costs of art. 7.1.
const (
	RIConceptTutor    RIConcept = "tutor"     // 7.1.a, tutor's salary
	RIConceptContract RIConcept = "contrato"  // 7.1.b, participant's salary
	RIConceptTraining RIConcept = "formacion" // 7.1.c, training
)

// Label returns the concept's Spanish name.
func (c RIConcept) Label() string {
	switch c {
	case RIConceptTutor:
		return "Tutor de inserción"
	case RIConceptContract:
		return "Contrato de participante"
	case RIConceptTraining:
		return "Formación"
	}
	return string(c)
}

// RIEstimateLine is one line of a subsidy estimate: who, for how long (or
// how many hours), at what rate, how much, and the rule that gave it.
// Amount is Rate × (Months + Days/30) or Rate × Hours, rounded to the
// cent, half up.
type RIEstimateLine struct {
	Concept RIConcept `json:"concept"`
	Who     string    `json:"who"`
	Ref     string    `json:"ref"` // tutor ID or person ID
	Months  int       `json:"months,omitempty"`
	Days    int       `json:"days,omitempty"` // beyond whole months; a day is 1/30 of a month
	Hours   int       `json:"hours,omitempty"`
	From    Date      `json:"from,omitzero"` // the subsidised span's first day; zero when none or unknown
	To      Date      `json:"to,omitzero"`   // its last day
	Rate    int64     `json:"rate_cents"`    // per month, or per hour for training
	Amount  int64     `json:"amount_cents"`
	Rule    string    `json:"rule"` // in Spanish, citing the article
}

// Period describes the line's quantity: "15 meses", "11 meses y 10 días",
// "100 h".
func (l RIEstimateLine) Period() string {
	if l.Concept == RIConceptTraining {
		return fmt.Sprintf("%d h", l.Hours)
	}
	return riMonthsText(l.Months, l.Days)
}

// riMonthsText writes a duration: "15 meses", "1 mes y 1 día", "20 días".
func riMonthsText(m, d int) string {
	months := fmt.Sprintf("%d meses", m)
	if m == 1 {
		months = "1 mes"
	}
	switch {
	case d == 0:
		return months
	case m == 0 && d == 1:
		return "1 día"
	case m == 0:
		return fmt.Sprintf("%d días", d)
	case d == 1:
		return months + " y 1 día"
	}
	return fmt.Sprintf("%s y %d días", months, d)
}

// RIEstimate is the subsidy a project can expect under art. 7, line by
// line, with totals in cents.
type RIEstimate struct {
	ProjectID      string           `json:"project_id"`
	Expediente     string           `json:"expediente"`
	Entity         string           `json:"entity"`
	SMIYear        int              `json:"smi_year"`
	SMI            int64            `json:"smi_cents"` // monthly
	Referred       int              `json:"referred"`  // places for participants referred to training in alternation
	TutorsRequired int              `json:"tutors_required"`
	Lines          []RIEstimateLine `json:"lines"`
	Tutors         int64            `json:"tutors_cents"`
	Contracts      int64            `json:"contracts_cents"`
	Training       int64            `json:"training_cents"`
	Total          int64            `json:"total_cents"`
	Notes          []string         `json:"notes"` // assumptions and suspensions, in Spanish
}

// Subsidy periods and rates of art. 7.
const (
	riTutorMonths       = 15  // art. 7.3: first 15 months of each tutor contract
	riContractMonths    = 12  // art. 7.3: first 12 months of each participant contract
	riTrainingRate      = 800 // art. 7.2.b: 8 € per hour and participant, in cents
	riMaxTrainingHours  = 120 // art. 4.1.c
	riMinTrainingHours  = 90  // art. 4.1.c
	riTutorRatio        = 60  // art. 4.1.a and 7.2.a.i
	riMinOrientationMon = 15  // art. 4.1.a
)

// Estimate computes the subsidy of p (art. 7) with the SMI of its call
// year from smi; names gives participants' display names by person ID
// (Store.RINames). It returns an error wrapping ErrNotFound when smi has
// no amount for that year.
//
// How the order's rules are applied, where it leaves room:
//   - Tutors (art. 7.2.a.i): the referred participants are shared as
//     evenly as possible among the tutor places art. 4.1.a requires, and
//     each place is paid by the band of those it attends: 60 → 3 × SMI a
//     month, 30–59 → 75 %, 5–29 → 50 %, under 5 → nothing. So 61
//     participants are two places of 31 and 30, both at 75 %. Tutors
//     beyond the required number are not paid.
//   - Periods (art. 7.3): the first 15 months of a tutor place and the
//     first 12 of a participant place, counted from the contract start;
//     suspensions do not extend them (art. 7.4), a definitive leave ends
//     them. Part months are paid by days at 1/30 of a month.
//   - Substitutes continue the place of the person they replace: a
//     tutor's for the time left of the 15 months (art. 17.5), days already
//     covered by the place not paid twice; a participant's only when the
//     leave was in the first month of the contract, the place then adding
//     up to 12 months (art. 18.6).
//   - Training (art. 7.2.b): 8 € per hour in person, at most 120 hours a
//     place (art. 4.1.c).
//   - Monthly rates are rounded to the cent (half up) before multiplying,
//     so that a line can be checked by hand.
func (p *RIProject) Estimate(smi SMITable, names map[string]string) (RIEstimate, error) {
	year := p.SMIYear()
	amount, ok := smi[year]
	if !ok {
		return RIEstimate{}, fmt.Errorf("no hay SMI de %d en Ajustes: añádalo para calcular la subvención: %w", year, ErrNotFound)
	}
	e := RIEstimate{
		ProjectID: p.ID, Expediente: p.Expediente(), Entity: p.Entity,
		SMIYear: year, SMI: amount, Referred: p.Referred(), Lines: []RIEstimateLine{}, Notes: []string{},
	}
	e.TutorsRequired = RITutorsRequired(e.Referred)
	p.estimateTutors(&e)
	p.estimateParticipants(&e, names)
	for _, l := range e.Lines {
		switch l.Concept {
		case RIConceptTutor:
			e.Tutors += l.Amount
		case RIConceptContract:
			e.Contracts += l.Amount
		case RIConceptTraining:
			e.Training += l.Amount
		}
	}
	e.Total = e.Tutors + e.Contracts + e.Training
	return e, nil
}

// riTutorBand returns the percentage of 3 × SMI paid for a tutor place
// attending count participants (art. 7.2.a.i), and the band in words.
func riTutorBand(count int) (pct int64, band string) {
	switch {
	case count >= riTutorRatio:
		return 100, "3 × SMI"
	case count >= 30:
		return 75, "75 % de 3 × SMI"
	case count >= 5:
		return 50, "50 % de 3 × SMI"
	}
	return 0, ""
}

func (p *RIProject) estimateTutors(e *RIEstimate) {
	n, k := e.Referred, e.TutorsRequired
	places := riGroup(len(p.Tutors), func(i int) string { return p.Tutors[i].ID },
		func(i int) string { return p.Tutors[i].Replaces }, func(i int) Date { return p.Tutors[i].ContractStart })
	if k > 1 {
		e.Notes = append(e.Notes, fmt.Sprintf("Con %d participantes derivados hacen falta %d tutores (art. 4.1.a): "+
			"se reparten por igual y cada puesto se paga según los que atiende (art. 7.2.a.i).", n, k))
	}
	for i, place := range places {
		count := 0
		if i < k {
			count = n / k
			if i < n%k {
				count++
			}
		}
		pct, band := riTutorBand(count)
		rate := riDivRound(3*e.SMI*pct, 100)
		var why string
		switch {
		case i >= k && k > 0:
			why = fmt.Sprintf("Sin subvención: la ratio de un tutor por hasta 60 participantes derivados da %d para %d (art. 4.1.a) "+
				"y este es el puesto n.º %d.", k, n, i+1)
		case pct == 0:
			why = fmt.Sprintf("Sin subvención: el proyecto tiene %d participantes contratados, menos de 5, y el coste del tutor lo asume la entidad (art. 7.2.a.i).", n)
		default:
			why = fmt.Sprintf("%s %d por mes: el puesto atiende %d participantes (art. 7.2.a.i).", band, e.SMIYear, count)
		}
		cover := riCover{budget: riTutorMonths * 30}
		for j, ti := range place {
			t := &p.Tutors[ti]
			c := cover.take(t.ContractStart, t.ContractEnd, t.Leave, riTutorMonths)
			rule := why
			if rate > 0 {
				rule += " " + c.describe(riTutorMonths, "art. 7.3")
			}
			if j > 0 {
				prev := "otro tutor"
				if pt, ok := p.Tutor(t.Replaces); ok {
					prev = pt.Name
				}
				rule += fmt.Sprintf(" Sustituye a %s por el tiempo que resta hasta los 15 meses del puesto (art. 17.5).", prev)
			}
			e.Lines = append(e.Lines, RIEstimateLine{Concept: RIConceptTutor, Who: t.Name, Ref: t.ID,
				Months: c.units / 30, Days: c.units % 30, From: c.from, To: c.to, Rate: rate, Amount: riDivRound(rate*int64(c.units), 30), Rule: rule})
			e.Notes = append(e.Notes, riSuspensionNotes(t.Name, t.Suspensions)...)
		}
	}
}

func (p *RIProject) estimateParticipants(e *RIEstimate, names map[string]string) {
	places := riGroup(len(p.Participants), func(i int) string { return p.Participants[i].PersonID },
		func(i int) string { return p.Participants[i].Replaces }, func(i int) Date { return p.Participants[i].ContractStart })
	orientationOnly := 0
	for _, place := range places {
		if !p.Participants[place[0]].Alternance {
			orientationOnly += len(place)
			continue
		}
		cover := riCover{budget: riContractMonths * 30}
		hoursLeft := riMaxTrainingHours
		for j, xi := range place {
			x := &p.Participants[xi]
			who := riName(names, x.PersonID)
			var sub string
			if j > 0 {
				ok, why := riReplacementAllowed(p, x, names)
				if !ok {
					e.Lines = append(e.Lines, RIEstimateLine{Concept: RIConceptContract, Who: who, Ref: x.PersonID, Rule: "Sin subvención: " + why})
					continue
				}
				sub = " " + why
			}
			rate, why := riContractRate(x.Group, e.SMI, e.SMIYear)
			c := cover.take(x.ContractStart, x.ContractEnd, x.Leave, riContractMonths)
			e.Lines = append(e.Lines, RIEstimateLine{Concept: RIConceptContract, Who: who, Ref: x.PersonID,
				Months: c.units / 30, Days: c.units % 30, From: c.from, To: c.to, Rate: rate, Amount: riDivRound(rate*int64(c.units), 30),
				Rule: why + " " + c.describe(riContractMonths, "art. 7.3") + sub})
			e.Notes = append(e.Notes, riSuspensionNotes(who, x.Suspensions)...)

			inPerson, remote := x.TrainingHours()
			hours := min(inPerson, hoursLeft)
			hoursLeft -= hours
			if inPerson == 0 && remote == 0 {
				continue
			}
			rule := "8 € por hora de formación presencial y participante (art. 7.2.b), como mucho 120 horas por plaza (art. 4.1.c)."
			if hours < inPerson {
				rule += fmt.Sprintf(" De sus %d horas presenciales se cuentan %d.", inPerson, hours)
			}
			if remote > 0 {
				rule += fmt.Sprintf(" Sus %d horas a distancia no se subvencionan.", remote)
			}
			e.Lines = append(e.Lines, RIEstimateLine{Concept: RIConceptTraining, Who: who, Ref: x.PersonID,
				Hours: hours, Rate: riTrainingRate, Amount: riTrainingRate * int64(hours), Rule: rule})
		}
	}
	if orientationOnly > 0 {
		text := fmt.Sprintf("%d participantes no derivados a formación en alternancia reciben", orientationOnly)
		if orientationOnly == 1 {
			text = "1 participante no derivado a formación en alternancia recibe"
		}
		e.Notes = append(e.Notes, text+" solo orientación: no suma subvención de contrato ni de formación (art. 4.1.a.ii).")
	}
}

// riContractRate returns a participant's monthly rate by contribution
// group (art. 7.2.a.ii and iii) and the rule in words.
func riContractRate(group int, smi int64, year int) (int64, string) {
	switch {
	case group == 1 || group == 2:
		return riDivRound(5*smi, 2), fmt.Sprintf("2,5 × SMI %d por mes, grupos de cotización 1 y 2 (grupo %d; art. 7.2.a.ii).", year, group)
	case group >= 3 && group <= 9:
		return 2 * smi, fmt.Sprintf("2 × SMI %d por mes, grupos de cotización 3 a 9 (grupo %d; art. 7.2.a.iii).", year, group)
	}
	return 0, "Sin importe: falta el grupo de cotización (1 a 9) que fija el SMI por mes (art. 7.2.a.ii y iii)."
}

// riReplacementAllowed says whether substitute x continues the place of
// the participant it replaces (art. 18.6), and why, in Spanish.
func riReplacementAllowed(p *RIProject, x *RIParticipant, names map[string]string) (bool, string) {
	prev, ok := p.Participant(x.Replaces)
	name := riName(names, x.Replaces)
	if !ok || prev.Leave.IsZero() || prev.ContractStart.IsZero() {
		return false, fmt.Sprintf("sustituye a %s, que no tiene contrato con baja definitiva registrada (art. 18.6).", name)
	}
	firstMonth := riAddDays(riAddMonths(prev.ContractStart, 1), -1)
	if prev.Leave.After(firstMonth) {
		return false, fmt.Sprintf("sustituye a %s, que causó baja el %s, pasado su primer mes de contrato (hasta el %s); "+
			"el art. 18.6 solo permite sustituir las bajas del primer mes.", name, prev.Leave, firstMonth)
	}
	return true, fmt.Sprintf("Sustituye a %s, baja el %s en su primer mes de contrato: la plaza suma 12 meses entre los dos contratos (art. 18.6).",
		name, prev.Leave)
}

// riSuspensionNotes says, for each suspension, that it does not extend
// the subsidised period.
func riSuspensionNotes(who string, susp []RISuspension) []string {
	var out []string
	for _, s := range susp {
		to := "en curso"
		if !s.To.IsZero() {
			to = "hasta el " + s.To.String()
		}
		out = append(out, fmt.Sprintf("La suspensión del contrato de %s (%s, desde el %s %s) no amplía el periodo subvencionable (art. 7.4).",
			who, strings.ToLower(s.Cause.Label()), s.From, to))
	}
	return out
}

// riCover tracks one place (a tutor's or a participant's) through its
// holders: the last day already counted and the days left, 30 a month.
type riCover struct {
	covered Date
	budget  int
}

// riTake is what one contract adds to its place.
type riTake struct {
	units    int  // days at 30 a month
	from, to Date // the subsidised span; zero when none
	end      Date // the contract's last day, when later than to
	assumed  string
}

// take counts the contract from start to end (or to leave, if earlier)
// within its first months months, after the days the place already
// counted and up to its budget. Unknown dates are assumed to cover the
// whole period.
func (c *riCover) take(start, end, leave Date, months int) riTake {
	if start.IsZero() {
		u := c.budget
		c.budget = 0
		return riTake{units: u, assumed: fmt.Sprintf("Sin fechas de contrato: se estiman los %d meses del periodo.", u/30)}
	}
	var t riTake
	last := end
	if !leave.IsZero() && (last.IsZero() || leave.Before(last)) {
		last = leave
	}
	window := riAddDays(riAddMonths(start, months), -1)
	if last.IsZero() {
		last = window
		t.assumed = "Sin fecha de fin: se supone que el contrato cubre todo el periodo."
	}
	if last.After(window) {
		t.end = last
	}
	from, to := start, riMinDate(last, window)
	if !c.covered.IsZero() && !from.After(c.covered) {
		from = riAddDays(c.covered, 1)
	}
	if from.After(to) {
		return t
	}
	m, d := riSpan(from, to)
	t.units = min(m*30+d, c.budget)
	if t.units < m*30+d { // the place's budget ends first
		if t.units == 0 {
			return riTake{}
		}
		to = riAddDays(riAddMonths(from, t.units/30), t.units%30-1)
		t.end = last
	}
	t.from, t.to = from, to
	c.budget -= t.units
	c.covered = to
	return t
}

// describe words the subsidised span for a rule.
func (t riTake) describe(months int, article string) string {
	var s string
	switch {
	case t.from.IsZero() && t.assumed == "":
		s = "Sus días ya cuentan en el periodo del puesto: no se pagan dos veces."
	case t.from.IsZero():
		s = t.assumed
	default:
		s = fmt.Sprintf("Periodo subvencionable del %s al %s, dentro de los %d primeros meses del contrato (%s).", t.from, t.to, months, article)
		if !t.end.IsZero() {
			s += fmt.Sprintf(" El contrato sigue hasta el %s, fuera del periodo.", t.end)
		}
		if t.assumed != "" {
			s += " " + t.assumed
		}
	}
	return s
}

// riGroup groups n records into places: each record without a
// predecessor opens a place, in the records' order, and its substitutes
// (following replaces links) join it, ordered by start date, unknown last.
func riGroup(n int, id, replaces func(int) string, start func(int) Date) [][]int {
	index := make(map[string]int, n)
	for i := range n {
		index[id(i)] = i
	}
	root := func(i int) int {
		for steps := 0; replaces(i) != "" && steps < n; steps++ {
			j, ok := index[replaces(i)]
			if !ok {
				break
			}
			i = j
		}
		return i
	}
	var places [][]int
	at := map[int]int{}
	for i := range n {
		if r := root(i); r == i {
			at[i] = len(places)
			places = append(places, []int{i})
		}
	}
	for i := range n {
		r := root(i)
		if r == i {
			continue
		}
		if k, ok := at[r]; ok {
			places[k] = append(places[k], i)
		} else { // a circle of replacements, which Validate refuses
			at[i] = len(places)
			places = append(places, []int{i})
		}
	}
	for _, pl := range places {
		subs := pl[1:]
		for a := 1; a < len(subs); a++ { // insertion sort: a handful of substitutes
			for b := a; b > 0 && riStartsBefore(start(subs[b]), start(subs[b-1])); b-- {
				subs[b], subs[b-1] = subs[b-1], subs[b]
			}
		}
	}
	return places
}

func riStartsBefore(a, b Date) bool {
	switch {
	case a.IsZero():
		return false
	case b.IsZero():
		return true
	}
	return a.Before(b)
}

// riDivRound returns a/b rounded half up, for a ≥ 0 and b > 0.
func riDivRound(a, b int64) int64 { return (2*a + b) / (2 * b) }
