package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Holiday is a public holiday in the city of Madrid: a day that is not a
// working day (día hábil) for the RI programme's deadlines.
type Holiday struct {
	Date  Date   `json:"date"`
	Name  string `json:"name"`
	Scope string `json:"scope,omitempty"` // "nacional", "Comunidad de Madrid", "ciudad de Madrid"
}

// Holidays is the editable list of Madrid holidays, in any order.
type Holidays []Holiday

// The scopes of MadridHolidays.
const (
	ScopeNational = "nacional"
	ScopeRegion   = "Comunidad de Madrid"
	ScopeCity     = "ciudad de Madrid"
)

// MadridHolidays returns the holidays of the city of Madrid for 2024–2026
// as published: the national and Comunidad de Madrid calendar (Decrees of
// the Consejo de Gobierno) plus the city's two local days. The
// Comunidad moves a national holiday falling on a Sunday only in some
// years, so each year is listed as it was decreed: 2024 keeps 8 December
// on its Sunday and adds 25 July; 2025 keeps 12 October on its Sunday,
// adds 25 July and the city moves the Almudena to Monday 10 November;
// 2026 moves 1 November and 6 December to the Mondays after. Holidays on
// a Saturday are listed too (they change nothing, weekends are not
// working days anyway). Later years are added in Ajustes.
func MadridHolidays() Holidays {
	n, r, c := ScopeNational, ScopeRegion, ScopeCity
	d := func(y int, m time.Month, day int) Date { return Date{y, m, day} }
	return Holidays{
		{d(2024, 1, 1), "Año Nuevo", n},
		{d(2024, 1, 6), "Epifanía del Señor", n},
		{d(2024, 3, 28), "Jueves Santo", r},
		{d(2024, 3, 29), "Viernes Santo", n},
		{d(2024, 5, 1), "Fiesta del Trabajo", n},
		{d(2024, 5, 2), "Fiesta de la Comunidad de Madrid", r},
		{d(2024, 5, 15), "San Isidro Labrador", c},
		{d(2024, 7, 25), "Santiago Apóstol", r},
		{d(2024, 8, 15), "Asunción de la Virgen", n},
		{d(2024, 10, 12), "Fiesta Nacional de España", n},
		{d(2024, 11, 1), "Todos los Santos", n},
		{d(2024, 11, 9), "Nuestra Señora de la Almudena", c},
		{d(2024, 12, 6), "Día de la Constitución Española", n},
		{d(2024, 12, 25), "Natividad del Señor", n},

		{d(2025, 1, 1), "Año Nuevo", n},
		{d(2025, 1, 6), "Epifanía del Señor", n},
		{d(2025, 4, 17), "Jueves Santo", r},
		{d(2025, 4, 18), "Viernes Santo", n},
		{d(2025, 5, 1), "Fiesta del Trabajo", n},
		{d(2025, 5, 2), "Fiesta de la Comunidad de Madrid", r},
		{d(2025, 5, 15), "San Isidro Labrador", c},
		{d(2025, 7, 25), "Santiago Apóstol", r},
		{d(2025, 8, 15), "Asunción de la Virgen", n},
		{d(2025, 11, 1), "Todos los Santos", n},
		{d(2025, 11, 10), "Nuestra Señora de la Almudena (trasladada del domingo 9)", c},
		{d(2025, 12, 6), "Día de la Constitución Española", n},
		{d(2025, 12, 8), "Inmaculada Concepción", n},
		{d(2025, 12, 25), "Natividad del Señor", n},

		{d(2026, 1, 1), "Año Nuevo", n},
		{d(2026, 1, 6), "Epifanía del Señor", n},
		{d(2026, 4, 2), "Jueves Santo", r},
		{d(2026, 4, 3), "Viernes Santo", n},
		{d(2026, 5, 1), "Fiesta del Trabajo", n},
		{d(2026, 5, 2), "Fiesta de la Comunidad de Madrid", r},
		{d(2026, 5, 15), "San Isidro Labrador", c},
		{d(2026, 8, 15), "Asunción de la Virgen", n},
		{d(2026, 10, 12), "Fiesta Nacional de España", n},
		{d(2026, 11, 2), "Todos los Santos (trasladada del domingo 1)", r},
		{d(2026, 11, 9), "Nuestra Señora de la Almudena", c},
		{d(2026, 12, 7), "Día de la Constitución Española (trasladada del domingo 6)", r},
		{d(2026, 12, 8), "Inmaculada Concepción", n},
		{d(2026, 12, 25), "Natividad del Señor", n},
	}
}

// Lookup returns the holiday on d, if d is one.
func (h Holidays) Lookup(d Date) (Holiday, bool) {
	for _, x := range h {
		if x.Date == d {
			return x, true
		}
	}
	return Holiday{}, false
}

// Covers reports whether the list has any holiday in year: a year with
// none was probably never entered, and working days in it are counted
// with weekends only.
func (h Holidays) Covers(year int) bool {
	return slices.ContainsFunc(h, func(x Holiday) bool { return x.Date.Year == year })
}

// IsWorkingDay reports whether d is a día hábil in Madrid: not a Saturday,
// not a Sunday and not in h (Ley 39/2015, art. 30.2, excludes Saturdays).
func (h Holidays) IsWorkingDay(d Date) bool {
	switch riWeekday(d) {
	case time.Saturday, time.Sunday:
		return false
	}
	_, holiday := h.Lookup(d)
	return !holiday
}

// AddWorkingDays returns the n-th working day after d: counting starts the
// day after d, as "en los cinco días hábiles siguientes" does. n < 1
// returns d.
func (h Holidays) AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = riAddDays(d, 1)
		if h.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Validate checks the list and returns a *ValidationError or nil: every
// holiday needs a date and a name, and no date may appear twice.
func (h Holidays) Validate() error {
	var pr problems
	seen := map[Date]bool{}
	for _, x := range h {
		switch {
		case x.Date.IsZero():
			pr.add("Holidays", fmt.Sprintf("Falta la fecha del festivo «%s».", userText(x.Name)))
		case strings.TrimSpace(x.Name) == "":
			pr.add("Holidays", fmt.Sprintf("Falta el nombre del festivo del %s.", x.Date))
		case seen[x.Date]:
			pr.add("Holidays", fmt.Sprintf("El %s está dos veces en la lista de festivos.", x.Date))
		}
		seen[x.Date] = true
	}
	return pr.err()
}

const keyHolidays = "ri.holidays"

// Holidays returns the stored Madrid holidays, or MadridHolidays when
// none were saved.
func (s *Store) Holidays() (Holidays, error) {
	h := MadridHolidays()
	if err := s.Setting(keyHolidays, &h); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return h, nil
}

// SaveHolidays validates h and stores it, sorted by date, as the holiday
// list for working-day deadlines, and moves the reminders of those
// deadlines. It returns a *ValidationError when h is not valid.
func (s *Store) SaveHolidays(h Holidays, author string) error {
	if err := s.checkWrite(PermSettings, author); err != nil {
		return err
	}
	h = slices.Clone(h)
	for i := range h {
		h[i].Name = strings.TrimSpace(h[i].Name)
	}
	if err := h.Validate(); err != nil {
		return err
	}
	slices.SortFunc(h, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	if err := s.update(func(tx *bolt.Tx) error { return putJSON(tx, bucketConfig, keyHolidays, h) }); err != nil {
		return err
	}
	return s.afterRIWrite("Los festivos se han guardado") // working-day deadlines move with them
}

// The order's article on definitive leaves of participants and their
// replacements, and on tutors' replacements (Orden de 30 de agosto de
// 2017 as amended by the Orden de 27 de junio de 2018).
const (
	riLeaveDays       = 5 // art. 18.6: "en el plazo de cinco días desde el día siguiente"
	riReplacementDays = 5 // arts. 17.5 and 18.6: "en los cinco días hábiles siguientes"
)

// RILeaveDeadline returns the last day to report a participant's
// definitive leave on leave to the Oficina de Empleo, and why, in Spanish.
//
// Art. 18.6 gives "cinco días desde el día siguiente" and, unlike the
// replacement rules next to it, does not say hábiles: Enlace counts
// calendar days, the earlier (safe) reading, even though Ley 39/2015
// art. 30.2 would count days without qualifier as working days. When the
// last day is not a working day the explanation says so and names the
// previous working day.
func RILeaveDeadline(leave Date, h Holidays) (Date, string) {
	due := riAddDays(leave, riLeaveDays)
	why := fmt.Sprintf("La baja definitiva del %s se comunica a la Oficina de Empleo en el plazo de %d días "+
		"naturales contados desde el día siguiente (art. 18.6 de la Orden): hasta el %s.", leave, riLeaveDays, due)
	if !h.IsWorkingDay(due) {
		prev := due
		for !h.IsWorkingDay(prev) {
			prev = riAddDays(prev, -1)
		}
		why += fmt.Sprintf(" Ese día es %s: mejor comunicarla el día hábil anterior, el %s.", riDayName(due, h), prev)
	}
	return due, why + riCoverWarning(h, leave, due)
}

// RIReplacementDeadline returns the last day to communicate the contract
// of a substitute hired on hired to the Dirección General del Servicio
// Público de Empleo, and why, in Spanish: the fifth working day after the
// hiring, without Saturdays, Sundays or Madrid holidays (art. 18.6 with
// Anexo III-bis for participants, art. 17.5 with Anexo II-bis for tutors).
func RIReplacementDeadline(hired Date, tutor bool, h Holidays) (Date, string) {
	due := h.AddWorkingDays(hired, riReplacementDays)
	rule, annex, who := "art. 18.6", "Anexo III-bis", "del participante sustituto"
	if tutor {
		rule, annex, who = "art. 17.5", "Anexo II-bis", "del tutor de inserción sustituto"
	}
	why := fmt.Sprintf("La contratación %s (%s) se comunica a la Dirección General del Servicio Público de Empleo "+
		"con el %s en los %d días hábiles siguientes (%s de la Orden): hasta el %s, sin contar sábados, domingos",
		who, hired, annex, riReplacementDays, rule, due)
	var skipped []string
	for d := riAddDays(hired, 1); !d.After(due); d = riAddDays(d, 1) {
		if x, ok := h.Lookup(d); ok && riWeekday(d) != time.Saturday && riWeekday(d) != time.Sunday {
			skipped = append(skipped, fmt.Sprintf("%s %s", x.Date, x.Name))
		}
	}
	if len(skipped) == 0 {
		why += " ni festivos de Madrid."
	} else {
		why += " ni los festivos de Madrid " + strings.Join(skipped, ", ") + "."
	}
	return due, why + riCoverWarning(h, hired, due)
}

// riCoverWarning warns when the days from..to fall in a year without
// holidays in the list.
func riCoverWarning(h Holidays, from, to Date) string {
	var missing []string
	for y := from.Year; y <= to.Year; y++ {
		if !h.Covers(y) {
			missing = append(missing, fmt.Sprint(y))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf(" Aviso: no hay festivos de %s en Ajustes; revise la fecha.", strings.Join(missing, " ni de "))
}

// riDayName says why d is not a working day: "sábado", "domingo" or
// "festivo (name)".
func riDayName(d Date, h Holidays) string {
	switch riWeekday(d) {
	case time.Saturday:
		return "sábado"
	case time.Sunday:
		return "domingo"
	}
	if x, ok := h.Lookup(d); ok {
		return "festivo (" + x.Name + ")"
	}
	return "día hábil"
}

// Date arithmetic for the RI rules. Months are counted as the Código
// Civil counts them (see MonthsAt): a month after 31 January is 28 (or
// 29) February.

func riAddDays(d Date, n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

func riAddMonths(d Date, n int) Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	month := time.Month(m + 1)
	return Date{y, month, min(d.Day, daysIn(month, y))}
}

func riWeekday(d Date) time.Weekday { return d.Time(time.UTC).Weekday() }

func riMinDate(a, b Date) Date {
	if b.Before(a) {
		return b
	}
	return a
}

// riSpan returns the length of the days from..to, both included, as whole
// months and the days left over.
func riSpan(from, to Date) (months, days int) {
	next := riAddDays(to, 1)
	months = from.MonthsAt(next)
	return months, riAddMonths(from, months).daysUntil(next)
}

// RIDeadlineKind says what an RI deadline is for.
type RIDeadlineKind string

// The deadlines of arts. 17.5 and 18.6.
const (
	RIDeadlineLeave            RIDeadlineKind = "baja"              // report a participant's definitive leave
	RIDeadlineReplacement      RIDeadlineKind = "sustitucion"       // communicate a substitute participant's contract
	RIDeadlineTutorReplacement RIDeadlineKind = "sustitucion_tutor" // communicate a substitute tutor's contract
)

// RIDeadline is a communication the entity still owes, with its due date.
// Key and Basis follow the generated reminders' scheme: Key names what it
// is about with opaque IDs only, Basis the date it was computed from.
type RIDeadline struct {
	ProjectID   string         `json:"project_id"`
	Expediente  string         `json:"expediente"`
	Kind        RIDeadlineKind `json:"kind"`
	Ref         string         `json:"ref"` // person ID (participants) or tutor ID
	PersonID    string         `json:"person_id,omitempty"`
	Who         string         `json:"who"`
	From        Date           `json:"from"` // the leave, or the substitute's hiring
	Due         Date           `json:"due"`
	Overdue     bool           `json:"overdue"`
	Text        string         `json:"text"`        // what to do, in Spanish
	Explanation string         `json:"explanation"` // how the date was counted, citing the article
	Key         string         `json:"key"`         // "ri:<project>:<kind>:<ref>"
	Basis       string         `json:"basis"`       // From as aaaa-mm-dd
}

// Deadlines returns the communications p still owes on today: each
// definitive leave of a participant not yet reported (art. 18.6), and each
// substitute's contract not yet communicated (arts. 17.5 and 18.6), by due
// date.
func (p *RIProject) Deadlines(today Date, hol Holidays, names map[string]string) []RIDeadline {
	var out []RIDeadline
	add := func(kind RIDeadlineKind, ref, person, who string, from Date, text string, due Date, why string) {
		out = append(out, RIDeadline{ProjectID: p.ID, Expediente: p.Expediente(), Kind: kind, Ref: ref, PersonID: person,
			Who: who, From: from, Due: due, Overdue: today.After(due), Text: text + " (" + p.Expediente() + ").",
			Explanation: why, Key: fmt.Sprintf("ri:%s:%s:%s", p.ID, kind, ref), Basis: from.ISO()})
	}
	for _, x := range p.Participants {
		who := riName(names, x.PersonID)
		if !x.Leave.IsZero() && x.LeaveReported.IsZero() {
			due, why := RILeaveDeadline(x.Leave, hol)
			add(RIDeadlineLeave, x.PersonID, x.PersonID, who, x.Leave, "Comunicar a la Oficina de Empleo la baja definitiva de "+who, due, why)
		}
		if x.Replaces != "" && !x.ContractStart.IsZero() && x.Reported.IsZero() {
			due, why := RIReplacementDeadline(x.ContractStart, false, hol)
			add(RIDeadlineReplacement, x.PersonID, x.PersonID, who, x.ContractStart,
				"Comunicar a la Dirección General del Servicio Público de Empleo el contrato de "+who+", sustituto (Anexo III-bis)", due, why)
		}
	}
	for _, t := range p.Tutors {
		if t.Replaces != "" && !t.ContractStart.IsZero() && t.Reported.IsZero() {
			due, why := RIReplacementDeadline(t.ContractStart, true, hol)
			add(RIDeadlineTutorReplacement, t.ID, "", t.Name, t.ContractStart,
				"Comunicar a la Dirección General del Servicio Público de Empleo el contrato de "+t.Name+", tutor sustituto (Anexo II-bis)", due, why)
		}
	}
	slices.SortStableFunc(out, func(a, b RIDeadline) int { return a.Due.Compare(b.Due) })
	return out
}

// RIDeadlines returns the communications every project still owes at now
// (see RIProject.Deadlines), by due date, with the stored holidays.
// Generated reminders can be made from them by Key.
func (s *Store) RIDeadlines(now time.Time) ([]RIDeadline, error) {
	hol, err := s.Holidays()
	if err != nil {
		return nil, err
	}
	projects, err := s.RIProjects()
	if err != nil {
		return nil, err
	}
	today := MadridDate(now)
	var out []RIDeadline
	for i := range projects {
		out = append(out, projects[i].Deadlines(today, hol, s.RINames(&projects[i]))...)
	}
	slices.SortStableFunc(out, func(a, b RIDeadline) int { return a.Due.Compare(b.Due) })
	return out, nil
}
