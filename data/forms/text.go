package forms

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/enlace-madrid/enlace/data"
)

// SplitName splits question 1, a full name in one cell, into first name
// and surnames as Spanish names go: the last two words are the surnames
// (one when there are only two words), a particle ("de", "del", "de la")
// staying with the word after it; "Apellidos, Nombre" is read as such. A
// name in ALL CAPS becomes proper case (data.ProperCase).
func SplitName(s string) (first, last string) {
	s = data.ProperCase(s)
	if a, b, ok := strings.Cut(s, ","); ok {
		return data.ProperCase(b), data.ProperCase(a)
	}
	words := strings.Fields(s)
	// Group each particle with what follows: "de la Peña" is one unit.
	var units [][]string
	for i := 0; i < len(words); i++ {
		u := []string{words[i]}
		for i > 0 && isParticle(words[i]) && i+1 < len(words) {
			i++
			u = append(u, words[i])
		}
		units = append(units, u)
	}
	if len(units) == 0 {
		return "", ""
	}
	n := 1 // units in the first name: one, or all but the two surnames
	if len(units) > 3 {
		n = len(units) - 2
	}
	join := func(us [][]string) string {
		var out []string
		for _, u := range us {
			out = append(out, u...)
		}
		return strings.Join(out, " ")
	}
	return join(units[:n]), join(units[n:])
}

func isParticle(w string) bool {
	switch strings.ToLower(w) {
	case "de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "van", "von":
		return true
	}
	return false
}

// ParseNationality reads question 16, "Nacionalidad-procedencia": a
// country name or a Spanish demonym in any case and accent ("venezolana",
// "PERU", "Peruano", "hondureña"), alone or with more words ("Venezuela
// (Caracas)", "colombiana / llegó de Perú"). It returns the ISO code of the
// first country found; origin is the text as typed when it holds more than
// that country. review is a Spanish sentence when no country is found, and
// origin then holds the text.
func ParseNationality(s string) (code, origin, review string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", ""
	}
	if c, ok := data.LookupCountry(s); ok {
		return c, "", ""
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(",;:/()[]-–—|+", r) || r == '\n'
	})
	for _, p := range parts {
		if c, ok := data.LookupCountry(p); ok {
			return c, s, ""
		}
	}
	// Word by word, then pairs ("el salvador", "costa rica").
	words := strings.Fields(data.Fold(s))
	for size := 3; size >= 1; size-- {
		for i := 0; i+size <= len(words); i++ {
			if c, ok := data.LookupCountry(strings.Join(words[i:i+size], " ")); ok && !countryNoise[words[i]] {
				return c, s, ""
			}
		}
	}
	return "", s, "La nacionalidad «" + userText(s) + "» no es un país conocido: se guarda como procedencia."
}

// countryNoise are short words LookupCountry would take for a country code.
var countryNoise = map[string]bool{"de": true, "el": true, "la": true, "y": true, "es": true, "no": true, "en": true, "a": true}

// ParsePhones reads question 10, "Teléfono (dos teléfonos para poder
// contactar)": one or two numbers however separated ("612 345 678 /
// 913456789", "612345678 - 913456789 (casa)", "+58 412 1234567"). It returns
// them as data.NormalizePhone stores them; review is a sentence when a
// number cannot be read or there are more than two, and the caller keeps
// the text as typed.
func ParsePhones(s string) (p1, p2, review string) {
	var found []string
	bad := false
	for _, m := range phoneRe.FindAllString(s, -1) {
		digits := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, m)
		// Two Spanish numbers typed with only spaces between them.
		// Each half must be a Spanish number in its own right.
		if len(digits) == 18 && !strings.HasPrefix(strings.TrimSpace(m), "+") && digits[0] >= '6' && digits[9] >= '6' {
			a, errA := data.NormalizePhone(digits[:9])
			b, errB := data.NormalizePhone(digits[9:])
			if errA == nil && errB == nil {
				found = append(found, a, b)
				continue
			}
		}
		n, err := data.NormalizePhone(m)
		if err != nil {
			bad = true
			continue
		}
		found = append(found, n)
	}
	found = dedupe(found)
	if len(found) > 0 {
		p1 = found[0]
	}
	if len(found) > 1 {
		p2 = found[1]
	}
	switch {
	case bad:
		review = "Algún teléfono no se ha podido leer: se guarda el texto tal como se escribió."
	case len(found) > 2:
		review = "Hay más de dos teléfonos: se guardan los dos primeros y el texto tal como se escribió."
	case len(found) == 0 && strings.TrimSpace(s) != "" && !noneAnswers[data.Fold(s)]:
		review = "No se ha encontrado ningún teléfono: se guarda el texto tal como se escribió."
	}
	return p1, p2, review
}

// phoneRe matches a run of digits with the separators people put in a
// phone number.
var phoneRe = regexp.MustCompile(`\+?\(?\d[\d .()\-]{1,22}\d`)

func dedupe(in []string) []string {
	var out []string
	for _, s := range in {
		seen := false
		for _, o := range out {
			seen = seen || o == s
		}
		if !seen {
			out = append(out, s)
		}
	}
	return out
}

// ParseGender reads the optional "Género" column: mujer/femenino/F,
// hombre/masculino/varón/M, no binario. ok is false for other text.
func ParseGender(s string) (g data.Gender, ok bool) {
	if _, hasNumber, word := optionLabel(s); hasNumber && word != "" {
		s = word // "1 - Mujer"
	}
	switch data.Fold(s) {
	case "":
		return "", true
	case "mujer", "femenino", "f", "m mujer", "female", "woman", "fem":
		return data.GenderWoman, true
	case "hombre", "masculino", "varon", "h", "male", "man", "masc", "v":
		return data.GenderMan, true
	case "no binario", "no binaria", "nobinario", "no binarie", "non binary", "otro", "otra":
		return data.GenderNonBinary, true
	case "no consta", "prefiero no decirlo", "no contesta", "ns nc", "nsnc":
		return data.GenderUnknown, true
	}
	return "", false
}

// ParseITLevel reads question 20, "Informática": a level word (ninguno,
// básico, medio, avanzado) or a number 0–3. ok is false when neither is
// there.
func ParseITLevel(s string) (level int, ok bool) {
	n, hasNumber, word := optionLabel(s)
	f := data.Fold(word)
	if f == "" && !hasNumber {
		return 0, false
	}
	if hasNumber && f == "" && n <= data.ITLevelMax {
		return n, true
	}
	if level, ok := itLevelWord(f); ok {
		return level, true
	}
	if hasNumber && n <= data.ITLevelMax {
		return n, true // "2 - Regular": the option's number says it
	}
	return 0, false
}

// itLevelWord reads a folded level word.
func itLevelWord(f string) (level int, ok bool) {
	for _, l := range itWords {
		for _, w := range l.words {
			if f == w || strings.HasPrefix(f, w+" ") {
				return l.level, true
			}
		}
	}
	return 0, false
}

// optionLabel splits an answer written the way form option lists number
// their options, a level number, a dash and a word ("2 - Medio", "0 –
// Ninguno", "3. Avanzado", "1) Básico", "2"), into the number and the
// word. hasNumber is false, and word is s, when s does not start so.
func optionLabel(s string) (n int, hasNumber bool, word string) {
	s = strings.TrimSpace(data.CleanPasted(s))
	m := optionRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false, s
	}
	n, _ = strconv.Atoi(m[1])
	return n, true, strings.TrimSpace(m[2])
}

// optionRe is a number of one or two digits alone or followed by a dash,
// full stop, bracket or colon and the option's words.
var optionRe = regexp.MustCompile(`^(\d{1,2})(?:\s*[-.):]\s*(.*))?$`)

var itWords = []struct {
	level int
	words []string
}{
	{0, []string{"ninguno", "ninguna", "nada", "no", "sin conocimientos", "nulo", "nula", "0"}},
	{1, []string{"basico", "basica", "bajo", "baja", "elemental", "usuario basico", "nivel basico", "poco"}},
	{2, []string{"medio", "media", "intermedio", "intermedia", "nivel medio", "usuario medio", "bien", "bueno", "buena"}},
	{3, []string{"avanzado", "avanzada", "alto", "alta", "experto", "experta", "nivel alto", "nivel avanzado", "muy bien", "muy bueno"}},
}

// ParseEducationLevel reads question 8, "Nivel de estudios homologados",
// into one of data.EducationLevels, and whether the studies are said to be
// homologated. ok is false when no level is recognised.
func ParseEducationLevel(s string) (level string, homologated, ok bool) {
	if _, hasNumber, word := optionLabel(s); hasNumber && word != "" {
		s = word // "4 - Bachillerato"
	}
	f := data.Fold(s)
	if noneAnswers[f] || strings.HasPrefix(f, "no ") {
		return "", false, true // no homologated studies: says nothing of the level
	}
	homologated = strings.Contains(f, "homolog") && !strings.Contains(f, "no homolog") &&
		!strings.Contains(f, "sin homolog") && !strings.Contains(f, "tramite") && !strings.Contains(f, "pendiente")
	words := " " + f + " "
	for _, l := range levelWords {
		for _, w := range l.words {
			if strings.Contains(words, " "+w) {
				return l.level, homologated, true
			}
		}
	}
	return "", homologated, false
}

var levelWords = []struct {
	level string
	words []string
}{
	{"Máster o doctorado", []string{"master", "doctor", "posgrado", "postgrado"}},
	{"FP Grado Superior", []string{"grado superior", "fp superior", "ciclo superior", "fp ii", "fp 2", "tecnico superior"}},
	{"FP Grado Medio", []string{"grado medio", "fp medio", "ciclo medio", "fp i ", "fp 1", "formacion profesional"}},
	{"Universitarios", []string{"universi", "licencia", "grado", "diplomad", "ingenier", "carrera", "titulo superior"}},
	{"Bachillerato", []string{"bachiller"}},
	{"Secundaria obligatoria (ESO)", []string{"eso ", "secundaria", "graduado escolar", "educacion secundaria"}},
	{"Primaria", []string{"primaria", "basicos", "estudios basicos", "egb"}},
	{"Sin estudios", []string{"sin estudios", "sin titulacion"}},
}

// ParseDrivingLicence reads question 6, "¿Tiene carnet de conducir? (Si la
// respuesta es afirmativa indicar tipos)": "No" gives "", "Sí, B y C1"
// gives "B, C1"; a "Sí" without types gives "Sí"; anything else is kept
// as typed.
func ParseDrivingLicence(s string) string {
	s = strings.TrimSpace(s)
	f := data.Fold(s)
	if f == "" || f == "no" || strings.HasPrefix(f, "no ") || f == "ninguno" || f == "nada" {
		return ""
	}
	words := strings.Fields(strings.NewReplacer(",", " ", ";", " ", "/", " ", "-", " ", ".", " ", "+", "").Replace(s))
	var classes []string
	other := false
	for i, w := range words {
		u := strings.ToUpper(w)
		fw := data.Fold(w)
		switch {
		case licenceClasses[u]:
			classes = append(classes, u)
		case i == 0 && (fw == "si" || fw == "yes"):
		case fw == "y" || fw == "e" || fw == "tipo" || fw == "tipos" || fw == "carnet" || fw == "permiso":
		default:
			other = true
		}
	}
	switch {
	case other:
		return s
	case len(classes) == 0:
		return "Sí"
	}
	return strings.Join(classes, ", ")
}

var licenceClasses = map[string]bool{
	"AM": true, "A1": true, "A2": true, "A": true, "B": true, "BE": true, "C1": true, "C1E": true,
	"C": true, "CE": true, "D1": true, "D1E": true, "D": true, "DE": true, "BTP": true,
}

// ParseTimestamp reads the "Marca temporal" column as the files people
// really have write it:
//   - Google Forms' sheet and Excel: dd/mm/aaaa hh:mm:ss, also without
//     seconds or without time, with one-digit day, month or hour;
//   - Google Forms' own "Descargar respuestas (.csv)":
//     "2022/09/15 10:23:45 a. m. GMT+2" (year first, 12-hour clock, the
//     offset of the form owner's zone);
//   - LibreOffice in a Spanish locale: "15/09/22 10:23" (two-digit year);
//   - ISO 8601 / RFC 3339, as Nextcloud Forms exports it:
//     "2022-09-15T10:23:45+02:00", and "2022-09-15 10:23:45".
//
// The result is wall-clock time in Madrid, returned in UTC's clothing (only
// its calendar day is stored): a time with an offset is moved to Madrid
// first, one without is taken as Madrid's already.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ") // NBSP and U+202F too
	if s == "" {
		return time.Time{}, errors.New("Falta la marca temporal: sin ella no se sabe la fecha de la derivación.")
	}
	if t, ok := isoTimestamp(s); ok {
		return t, nil
	}
	rest, offset, hasOffset, err := cutOffset(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("La marca temporal «%s» tiene una zona horaria que no se entiende.", userText(s))
	}
	rest, meridiem := cutMeridiem(rest)
	datePart, timePart, _ := strings.Cut(rest, " ")
	d, err := timestampDate(datePart)
	if err != nil {
		if strings.Count(datePart, "/") == 2 && !errors.Is(err, errTimestampFormat) {
			return time.Time{}, err // says which part of the date does not exist
		}
		return time.Time{}, fmt.Errorf("La marca temporal «%s» no tiene el formato dd/mm/aaaa hh:mm:ss.", userText(s))
	}
	var h, m, sec int
	if timePart = strings.TrimSpace(timePart); timePart != "" {
		parts := strings.Split(timePart, ":")
		vals := []*int{&h, &m, &sec}
		if len(parts) < 2 || len(parts) > 3 {
			return time.Time{}, fmt.Errorf("La marca temporal «%s» no tiene el formato dd/mm/aaaa hh:mm:ss.", userText(s))
		}
		limits := []int{23, 59, 59}
		for i, p := range parts {
			v, err := strconv.Atoi(p)
			if err != nil || v < 0 || v > limits[i] || len(p) > 2 {
				return time.Time{}, fmt.Errorf("La marca temporal «%s» no tiene una hora válida.", userText(s))
			}
			*vals[i] = v
		}
	} else if meridiem != 0 {
		return time.Time{}, fmt.Errorf("La marca temporal «%s» no tiene una hora válida.", userText(s))
	}
	switch {
	case meridiem != 0 && (h < 1 || h > 12):
		return time.Time{}, fmt.Errorf("La marca temporal «%s» no tiene una hora válida.", userText(s))
	case meridiem == 'a' && h == 12:
		h = 0
	case meridiem == 'p' && h != 12:
		h += 12
	}
	if hasOffset {
		at := time.Date(d.Year, d.Month, d.Day, h, m, sec, 0, time.FixedZone("", offset))
		return madridWall(at), nil
	}
	return time.Date(d.Year, d.Month, d.Day, h, m, sec, 0, time.UTC), nil
}

// errTimestampFormat marks a date part that is not a date at all (as
// opposed to one naming a day that does not exist).
var errTimestampFormat = errors.New("formato")

// timestampDate reads the date of a timestamp: dd/mm/aaaa (also with - or
// .), aaaa/mm/dd, and dd/mm/aa read as 20aa.
func timestampDate(s string) (data.Date, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 {
		return data.Date{}, errTimestampFormat
	}
	for _, p := range parts {
		if p == "" || !data.AllDigits(p) {
			return data.Date{}, errTimestampFormat
		}
	}
	sep := s[len(parts[0]) : len(parts[0])+1]
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		parts[0], parts[2] = parts[2], parts[0] // year first
	case len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 2:
		parts[2] = "20" + parts[2]
	}
	return data.ParseDate(strings.Join(parts, sep))
}

// isoTimestamp reads ISO 8601 / RFC 3339 forms, the offset optional.
func isoTimestamp(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return madridWall(t), true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// madridWall is t's wall-clock time in Madrid in UTC's clothing.
func madridWall(t time.Time) time.Time {
	m := t.In(data.Madrid())
	return time.Date(m.Year(), m.Month(), m.Day(), m.Hour(), m.Minute(), m.Second(), 0, time.UTC)
}

// zoneSuffix is a trailing "GMT+2", "GMT+02:00", "UTC-3", "GMT", "UTC" or
// "Z"-less "+0200".
var zoneSuffix = regexp.MustCompile(`(?i)(?:\s*(?:GMT|UTC)(?:([+-])(\d{1,2})(?::?(\d{2}))?)?|\s+([+-])(\d{2}):?(\d{2}))$`)

// cutOffset takes a zone off the end of s and returns its offset in
// seconds east of UTC.
func cutOffset(s string) (rest string, offset int, ok bool, err error) {
	m := zoneSuffix.FindStringSubmatchIndex(s)
	if m == nil || m[0] == 0 {
		return s, 0, false, nil
	}
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	sign, hh, mm := group(1), group(2), group(3)
	if group(4) != "" {
		sign, hh, mm = group(4), group(5), group(6)
	}
	rest = strings.TrimSpace(s[:m[0]])
	if sign == "" {
		return rest, 0, true, nil // GMT, UTC
	}
	h, _ := strconv.Atoi(hh)
	mins := 0
	if mm != "" {
		mins, _ = strconv.Atoi(mm)
	}
	if h > 14 || mins > 59 {
		return s, 0, false, errors.New("offset")
	}
	offset = (h*60 + mins) * 60
	if sign == "-" {
		offset = -offset
	}
	return rest, offset, true, nil
}

// meridiems are the 12-hour clock's marks as Spanish and English locales
// write them, folded without spaces and dots.
var meridiems = map[string]byte{"am": 'a', "pm": 'p'}

// cutMeridiem takes "a. m.", "p. m.", "a.m.", "AM", "pm"… off the end of s.
func cutMeridiem(s string) (string, byte) {
	fields := strings.Fields(s)
	for n := 1; n <= 2 && n < len(fields); n++ {
		tail := strings.ToLower(strings.ReplaceAll(strings.Join(fields[len(fields)-n:], ""), ".", ""))
		if m, ok := meridiems[tail]; ok {
			return strings.Join(fields[:len(fields)-n], " "), m
		}
	}
	return s, 0
}

// userText returns s for quoting in a message, cut short if it is long.
func userText(s string) string {
	const max = 40
	s = strings.ToValidUTF8(strings.Join(strings.Fields(s), " "), "?")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
