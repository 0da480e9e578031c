package data

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// RIFinding is one way a project falls short of the order's requirements,
// in Spanish, citing the article: for the coordinator to act on, not a
// reason to refuse the record.
type RIFinding struct {
	Ref     string `json:"ref,omitempty"` // tutor ID or person ID; "" for the whole project
	Message string `json:"message"`
}

// Check returns the requirements p does not meet on today: tutors needed
// (art. 4.1.a), tutors' degree, experience and market knowledge (art.
// 8.2), 15-month tutor contracts (art. 4.1.a), replacements of tutors
// (art. 17.5); participants' 15 months of orientation (art. 4.1.a), 12-month
// contracts (art. 4.1.b), 90–120 hours of training (art. 4.1.c), leaves,
// replacements and the deadlines to report them (art. 18.6). hol gives
// the working days; names the participants' names (Store.RINames).
func (p *RIProject) Check(today Date, hol Holidays, names map[string]string) []RIFinding {
	var out []RIFinding
	add := func(ref, format string, args ...any) {
		out = append(out, RIFinding{Ref: ref, Message: fmt.Sprintf(format, args...)})
	}
	n, k := p.Referred(), RITutorsRequired(p.Referred())
	places := 0
	for _, t := range p.Tutors {
		if t.Replaces == "" {
			places++
		}
	}
	if places < k {
		add("", "Con %d participantes derivados a formación en alternancia hacen falta %d tutores de inserción (art. 4.1.a); hay %d.", n, k, places)
	} else if places > max(k, 1) {
		add("", "Hay %d tutores para %d participantes derivados: la ratio del art. 4.1.a cubre %d.", places, n, max(k, 1))
	}
	for i := range p.Tutors {
		p.checkTutor(&p.Tutors[i], today, hol, add)
	}
	for i := range p.Participants {
		p.checkParticipant(&p.Participants[i], today, hol, names, add)
	}
	return out
}

type riAdd func(ref, format string, args ...any)

func (p *RIProject) checkTutor(t *RITutor, today Date, hol Holidays, add riAdd) {
	switch t.Degree {
	case "":
		add(t.ID, "Falta la titulación de %s: el art. 8.2 pide Psicología, Trabajo Social, Sociología, Ciencias de la Educación, "+
			"Educación Social u otro título universitario adecuado.", t.Name)
	case RIDegreeOther:
		add(t.ID, "El título de %s («%s») no está en la lista del art. 8.2: compruebe que la convocatoria lo admite.", t.Name, t.DegreeOther)
	}
	if t.ExperienceYears < 1 {
		add(t.ID, "%s tiene %d años de experiencia en orientación laboral; el art. 8.2 pide al menos 1 año.", t.Name, t.ExperienceYears)
	}
	if !t.MarketKnowledge {
		add(t.ID, "Falta acreditar que %s conoce el mercado de trabajo de la Comunidad de Madrid (art. 8.2).", t.Name)
	}
	substituted := slices.ContainsFunc(p.Tutors, func(o RITutor) bool { return o.Replaces == t.ID })
	if t.Replaces == "" && !t.ContractStart.IsZero() && !t.ContractEnd.IsZero() && t.Leave.IsZero() {
		if m, d := riSpan(t.ContractStart, t.ContractEnd); m < riTutorMonths {
			add(t.ID, "El contrato de %s dura %s; el tutor de inserción se contrata por 15 meses (art. 4.1.a).", t.Name, riMonthsText(m, d))
		}
	}
	if !t.Leave.IsZero() && !substituted {
		add(t.ID, "%s causó baja definitiva el %s: hay que sustituirlo por el tiempo que reste hasta los 15 meses (art. 17.5).", t.Name, t.Leave)
	}
	for _, s := range t.Suspensions {
		if s.To.IsZero() || substituted {
			continue
		}
		if m, d := riSpan(s.From, s.To); m > 1 || (m == 1 && d > 0) {
			add(t.ID, "La suspensión de %s del %s al %s supera un mes: hay que sustituirlo mientras dure (art. 17.5).", t.Name, s.From, s.To)
		}
	}
	if t.Replaces != "" && !t.ContractStart.IsZero() {
		due, _ := RIReplacementDeadline(t.ContractStart, true, hol)
		riCheckReported(t.ID, "la contratación de "+t.Name+" (Anexo II-bis, art. 17.5)", t.Reported, due, today, add)
	}
}

func (p *RIProject) checkParticipant(x *RIParticipant, today Date, hol Holidays, names map[string]string, add riAdd) {
	who := riName(names, x.PersonID)
	left := !x.Leave.IsZero()
	switch {
	case left:
	case x.OrientationStart.IsZero() || x.OrientationEnd.IsZero():
		add(x.PersonID, "Faltan las fechas de orientación de %s: al menos 15 meses con el tutor de inserción (art. 4.1.a).", who)
	default:
		if m, d := riSpan(x.OrientationStart, x.OrientationEnd); m < riMinOrientationMon {
			add(x.PersonID, "La orientación de %s dura %s; el art. 4.1.a pide al menos 15 meses.", who, riMonthsText(m, d))
		}
	}
	if x.Alternance {
		p.checkAlternance(x, who, add)
	}
	if left {
		due, _ := RILeaveDeadline(x.Leave, hol)
		riCheckReported(x.PersonID, "la baja definitiva de "+who+" a la Oficina de Empleo (art. 18.6)", x.LeaveReported, due, today, add)
		substituted := slices.ContainsFunc(p.Participants, func(o RIParticipant) bool { return o.Replaces == x.PersonID })
		firstMonth := !x.ContractStart.IsZero() && !x.Leave.After(riAddDays(riAddMonths(x.ContractStart, 1), -1))
		switch {
		case substituted:
		case !x.Alternance:
			add(x.PersonID, "%s causó baja: hay que sustituirlo para mantener el número de personas atendidas (art. 18.6).", who)
		case firstMonth:
			add(x.PersonID, "%s causó baja en su primer mes de contrato: puede sustituirse con las mismas condiciones y la plaza suma 12 meses (art. 18.6).", who)
		}
	}
	if x.Replaces != "" {
		p.checkSubstitute(x, who, today, hol, names, add)
	}
}

func (p *RIProject) checkAlternance(x *RIParticipant, who string, add riAdd) {
	if x.Group == 0 {
		add(x.PersonID, "Falta el grupo de cotización de %s (1 a 9), que fija la subvención del contrato (art. 7.2.a).", who)
	}
	if x.Leave.IsZero() {
		switch {
		case x.ContractStart.IsZero() || x.ContractEnd.IsZero():
			add(x.PersonID, "Faltan las fechas del contrato de %s: al menos 12 meses a jornada completa (art. 4.1.b).", who)
		default:
			if m, d := riSpan(x.ContractStart, x.ContractEnd); m < riContractMonths {
				add(x.PersonID, "El contrato de %s dura %s; el art. 4.1.b pide al menos 12 meses.", who, riMonthsText(m, d))
			}
		}
		if h, _ := x.TrainingHours(); h < riMinTrainingHours || h > riMaxTrainingHours {
			add(x.PersonID, "%s tiene %d horas de formación presencial; el art. 4.1.c pide entre 90 y 120.", who, h)
		}
	}
}

func (p *RIProject) checkSubstitute(x *RIParticipant, who string, today Date, hol Holidays, names map[string]string, add riAdd) {
	prev, ok := p.Participant(x.Replaces)
	if !ok {
		return
	}
	prevName := riName(names, prev.PersonID)
	if prev.Alternance {
		if allowed, why := riReplacementAllowed(p, x, names); !allowed {
			add(x.PersonID, "La plaza de %s no se subvenciona: %s", who, why)
		}
	}
	if x.Alternance != prev.Alternance {
		add(x.PersonID, "%s sustituye a %s pero no en la misma modalidad (formación en alternancia o solo orientación); el art. 18.6 pide las mismas condiciones.", who, prevName)
	}
	if prev.Alternance && x.Group != 0 && prev.Group != 0 && x.Group != prev.Group {
		add(x.PersonID, "%s sustituye a %s con otro grupo de cotización (%d en vez de %d); el art. 18.6 pide las mismas condiciones.", who, prevName, x.Group, prev.Group)
	}
	if prev.Alternance && !x.ContractStart.IsZero() && !x.ContractEnd.IsZero() && !prev.ContractStart.IsZero() && !prev.ContractEnd.IsZero() {
		pm, pd := riSpan(prev.ContractStart, prev.ContractEnd)
		if m, d := riSpan(x.ContractStart, x.ContractEnd); m*30+d < pm*30+pd {
			add(x.PersonID, "El contrato de %s (%s) es más corto que el inicial de %s (%s); el art. 18.6 pide la misma duración.",
				who, riMonthsText(m, d), prevName, riMonthsText(pm, pd))
		}
	}
	if !x.ContractStart.IsZero() {
		due, _ := RIReplacementDeadline(x.ContractStart, false, hol)
		riCheckReported(x.PersonID, "la contratación de "+who+" como sustituto (Anexo III-bis, art. 18.6)", x.Reported, due, today, add)
	}
}

// riCheckReported adds a finding when what was reported late, or is not
// reported and its deadline has passed.
func riCheckReported(ref, what string, reported, due, today Date, add riAdd) {
	switch {
	case !reported.IsZero() && reported.After(due):
		add(ref, "Se comunicó %s el %s, pasado el plazo, que acababa el %s.", what, reported, due)
	case reported.IsZero() && today.After(due):
		add(ref, "Falta comunicar %s: el plazo acabó el %s.", what, due)
	}
}

var scoreRE = regexp.MustCompile(`^[0-9]{1,4}([.,][0-9]{1,4})?$`)

// Validate checks the record itself and returns a *ValidationError listing
// every problem in Spanish, or nil: what cannot be stored (a missing
// entity, a wrong DNI, dates in the wrong order, a group outside 1–9, a
// replacement of nobody). Whether the project meets the order's
// requirements (tutors' experience, 12-month contracts, 90–120 hours…) is
// Check's business: a project that does not is still recorded as it is.
func (p *RIProject) Validate() error {
	var pr problems
	if p.Number < 1 {
		pr.add("Number", "Falta el número del expediente (RI/número/año).")
	}
	if p.Year < 2017 || p.Year > 2100 {
		pr.add("Year", "El año del expediente debe estar entre 2017 y 2100.")
	}
	if p.CallYear != 0 && (p.CallYear < 2017 || p.CallYear > 2100) {
		pr.add("CallYear", "El año de la convocatoria debe estar entre 2017 y 2100.")
	}
	if p.Entity == "" {
		pr.add("Entity", "Falta la entidad beneficiaria.")
	}
	p.validateTutors(&pr)
	p.validateParticipants(&pr)
	return pr.err()
}

func (p *RIProject) validateTutors(pr *problems) {
	ids := map[string]bool{}
	for _, t := range p.Tutors {
		ids[t.ID] = true
	}
	for i, t := range p.Tutors {
		who := t.Name
		if who == "" {
			who = fmt.Sprintf("el tutor n.º %d", i+1)
			pr.add("Tutors", fmt.Sprintf("Falta el nombre del tutor n.º %d.", i+1))
		}
		if err := riCheckDNI(t.DNI); err != nil {
			pr.add("Tutors", fmt.Sprintf("%s (%s).", strings.TrimSuffix(err.Error(), "."), who))
		}
		if t.Score != "" && !scoreRE.MatchString(t.Score) {
			pr.add("Tutors", fmt.Sprintf("La puntuación de %s debe ser un número, como 7,25.", who))
		}
		if t.Degree != "" && !slices.Contains(RIDegrees, t.Degree) {
			pr.add("Tutors", fmt.Sprintf("La titulación «%s» de %s no es una de las opciones.", userText(string(t.Degree)), who))
		}
		if t.Degree == RIDegreeOther && t.DegreeOther == "" {
			pr.add("Tutors", fmt.Sprintf("Escriba qué título universitario tiene %s.", who))
		}
		if t.ExperienceYears < 0 || t.ExperienceYears > 60 {
			pr.add("Tutors", fmt.Sprintf("Los años de experiencia de %s deben estar entre 0 y 60.", who))
		}
		riCheckContract(pr, "Tutors", who, t.ContractStart, t.ContractEnd, t.Leave, t.Suspensions)
		switch {
		case t.Replaces == "":
		case t.Replaces == t.ID:
			pr.add("Tutors", fmt.Sprintf("%s no puede sustituirse a sí mismo.", who))
		case !ids[t.Replaces]:
			pr.add("Tutors", fmt.Sprintf("%s sustituye a un tutor que no está en el proyecto.", who))
		}
	}
	if riHasCycle(len(p.Tutors), func(i int) string { return p.Tutors[i].ID }, func(i int) string { return p.Tutors[i].Replaces }) {
		pr.add("Tutors", "Las sustituciones de tutores forman un círculo: alguien tiene que ser el primero.")
	}
}

func (p *RIProject) validateParticipants(pr *problems) {
	seen := map[string]bool{}
	for _, x := range p.Participants {
		seen[x.PersonID] = true
	}
	dup := map[string]bool{}
	for i, x := range p.Participants {
		who := fmt.Sprintf("el participante n.º %d", i+1)
		switch {
		case x.PersonID == "":
			pr.add("Participants", fmt.Sprintf("Falta la persona del participante n.º %d.", i+1))
		case dup[x.PersonID]:
			pr.add("Participants", fmt.Sprintf("La persona de %s ya está en el proyecto.", who))
		}
		dup[x.PersonID] = true
		if x.Group < 0 || x.Group > 9 {
			pr.add("Participants", fmt.Sprintf("El grupo de cotización de %s debe estar entre 1 y 9.", who))
		}
		if !x.OrientationStart.IsZero() && !x.OrientationEnd.IsZero() && x.OrientationEnd.Before(x.OrientationStart) {
			pr.add("Participants", fmt.Sprintf("La orientación de %s acaba antes de empezar.", who))
		}
		riCheckContract(pr, "Participants", who, x.ContractStart, x.ContractEnd, x.Leave, x.Suspensions)
		for _, c := range x.Courses {
			if c.Name == "" {
				pr.add("Participants", fmt.Sprintf("Falta el nombre de un curso de %s.", who))
			}
			if c.Hours < 1 || c.Hours > 1000 {
				pr.add("Participants", fmt.Sprintf("Las horas del curso «%s» de %s deben estar entre 1 y 1000.", userText(c.Name), who))
			}
		}
		if !x.LeaveReported.IsZero() && x.Leave.IsZero() {
			pr.add("Participants", fmt.Sprintf("%s tiene fecha de comunicación de la baja pero no fecha de baja.", riCapitalise(who)))
		}
		switch {
		case x.Replaces == "":
		case x.Replaces == x.PersonID:
			pr.add("Participants", fmt.Sprintf("%s no puede sustituirse a sí mismo.", riCapitalise(who)))
		case !seen[x.Replaces]:
			pr.add("Participants", fmt.Sprintf("%s sustituye a alguien que no está en el proyecto.", riCapitalise(who)))
		}
	}
	if riHasCycle(len(p.Participants), func(i int) string { return p.Participants[i].PersonID },
		func(i int) string { return p.Participants[i].Replaces }) {
		pr.add("Participants", "Las sustituciones de participantes forman un círculo: alguien tiene que ser el primero.")
	}
}

// riCheckContract checks the dates of a contract, its leave and suspensions.
func riCheckContract(pr *problems, field, who string, start, end, leave Date, susp []RISuspension) {
	if start.IsZero() && (!end.IsZero() || !leave.IsZero() || len(susp) > 0) {
		pr.add(field, fmt.Sprintf("Falta la fecha de inicio del contrato de %s.", who))
		return
	}
	if !end.IsZero() && end.Before(start) {
		pr.add(field, fmt.Sprintf("El contrato de %s acaba antes de empezar.", who))
	}
	if !leave.IsZero() && leave.Before(start) {
		pr.add(field, fmt.Sprintf("La baja de %s es anterior al inicio de su contrato.", who))
	}
	for _, s := range susp {
		switch {
		case !slices.Contains(RISuspensionCauses, s.Cause):
			pr.add(field, fmt.Sprintf("Indique la causa de la suspensión de %s.", who))
		case s.From.IsZero():
			pr.add(field, fmt.Sprintf("Falta la fecha de inicio de una suspensión de %s.", who))
		case s.From.Before(start):
			pr.add(field, fmt.Sprintf("Una suspensión de %s empieza antes que su contrato.", who))
		case !s.To.IsZero() && s.To.Before(s.From):
			pr.add(field, fmt.Sprintf("Una suspensión de %s acaba antes de empezar.", who))
		}
	}
}

// riHasCycle reports whether following "replaces" links from any of n
// records comes back to where it started.
func riHasCycle(n int, id, replaces func(int) string) bool {
	next := make(map[string]string, n)
	for i := range n {
		next[id(i)] = replaces(i)
	}
	for i := range n {
		cur := id(i)
		for steps := 0; cur != ""; steps++ {
			if steps > n {
				return true
			}
			cur = next[cur]
		}
	}
	return false
}

// riCheckDNI checks a tutor's identity number: a DNI, or an NIE when it
// starts with X, Y or Z (a foreign national on the candidate list).
func riCheckDNI(s string) error {
	n := NormalizeDocNumber(s)
	if n != "" && strings.IndexByte("XYZ", n[0]) >= 0 {
		return CheckNIE(n)
	}
	return CheckDNI(n)
}

func riCapitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
