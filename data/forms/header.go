package forms

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/enlace-madrid/enlace/data"
)

// Questions are the 21 questions of the pilot's referral form, worded as in
// seed 000 ("Preguntas del formulario de derivaciones"); Questions[0] is
// question 1. Headers are matched to them tolerantly (see matchHeader).
var Questions = [21]string{
	"Nombre",
	"¿Está cobrando actualmente alguna prestación por desempleo?",
	"Si has marcado \"Programas especializados\" en la pregunta anterior desarrolla cuáles y el nivel (formato columna separados por guiones).",
	"Dirección completa",
	"Formación académica, incluidos Certificados de Profesionalidad (si son varios separar con guiones formato columna).",
	"¿Tiene carnet de conducir? (Si la respuesta es afirmativa indicar tipos)",
	"Tipo de Documento, número y fecha de caducidad",
	"Nivel de estudios homologados",
	"Otra información de interés, carnets de manipulación de alimentos, carretillero, PRL...",
	"Teléfono (dos teléfonos para poder contactar).",
	"Formación Complementaria con diploma acreditativo, nombre de la formación y número de horas.",
	"Intereses formativos y/o laborales.",
	"Dirección de correo electrónico",
	"Experiencia laboral (funciones). Indicar: nombre del puesto, nombre de la empresa (formato columna separado por guiones).",
	"Observaciones.",
	"Nacionalidad-procedencia",
	"Idiomas. Indicar: Idioma y nivel, si son varios formato columna separados con guiones.",
	"Persona que rellena este formulario. Nombre, organismo y correo electrónico. [Si eres de la AE indica de qué oficina].",
	"Situación laboral",
	"Informática.",
	"Discapacidad",
}

// Question numbers the import reads into fields of their own.
const (
	qName        = 1
	qBenefit     = 2
	qPrograms    = 3
	qAddress     = 4
	qEducation   = 5
	qDriving     = 6
	qDocument    = 7
	qLevel       = 8
	qLicences    = 9
	qPhones      = 10
	qTraining    = 11
	qInterests   = 12
	qEmail       = 13
	qExperience  = 14
	qObservation = 15
	qNationality = 16
	qLanguages   = 17
	qReferrer    = 18
	qEmployment  = 19
	qIT          = 20
	qDisability  = 21
)

// Kind is what a column holds.
type Kind int

// The kinds of column. Unknown columns are kept in the person's
// observations, never dropped.
const (
	Unknown   Kind = iota
	Timestamp      // "Marca temporal", dd/mm/aaaa hh:mm:ss
	Question       // one of the 21 questions
	Gender         // optional "Género"
	BirthDate      // optional "Fecha de nacimiento"
	// RespondentEmail is the address Google Forms collects from whoever
	// answers ("Recopilar direcciones de correo electrónico"): a column
	// right after the timestamp with the same title as question 13. It is
	// the referrer's address, used when question 18 lacks one.
	RespondentEmail
	// Account is a column the Forms app of Nextcloud adds to its export:
	// the account and display name of whoever filled the form in. It is
	// the referrer's, not the person's, and question 18 already names
	// them: the import ignores it.
	Account
)

// Column is one header cell and what the import makes of it.
type Column struct {
	Header   string // as in the file
	Kind     Kind
	Question int // 1–21 when Kind is Question
}

// Label is the header for messages: without its number, cut at the first
// comma, full stop or bracket ("Tipo de Documento…").
func (c Column) Label() string {
	return shortLabel(c.Header)
}

// shortLabel shortens a question for a message.
func shortLabel(h string) string {
	_, rest := splitNumber(strings.TrimSpace(h))
	if rest == "" {
		rest = strings.TrimSpace(h)
	}
	rest = strings.TrimRight(rest, ".:")
	cut := strings.IndexAny(rest, ",.([:")
	if cut > 0 && cut < len(rest)-1 {
		return strings.TrimSpace(rest[:cut]) + "…"
	}
	const max = 45
	if utf8.RuneCountInString(rest) > max {
		r := []rune(rest)[:max]
		if sp := strings.LastIndexByte(string(r), ' '); sp > 0 {
			return string(r)[:sp] + "…"
		}
		return string(r) + "…"
	}
	return rest
}

// splitNumber separates a leading question number ("7.", "7)", "7 -",
// "P7") from the rest of a header.
func splitNumber(h string) (int, string) {
	s := strings.TrimSpace(h)
	t := s
	if len(t) > 1 && (t[0] == 'P' || t[0] == 'p') && isDigit(t[1]) {
		t = t[1:]
	}
	i := 0
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	if i == 0 || i > 2 {
		return 0, s
	}
	rest := t[i:]
	trimmed := strings.TrimLeft(rest, " .)-–:º")
	if rest != "" && trimmed == rest {
		return 0, s // "7Tipo…", "2020": digits glued to the text
	}
	n, _ := strconv.Atoi(t[:i])
	return n, strings.TrimSpace(trimmed)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

var foldedQuestions = func() [21]string {
	var out [21]string
	for i, q := range Questions {
		out[i] = headerKey(q)
	}
	return out
}()

// headerKey folds a header for matching: data.Fold, with the dots and
// other marks Fold keeps turned into spaces.
func headerKey(h string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '.' || r == '@' || r == '+' {
			return ' '
		}
		return r
	}, data.Fold(h))), " ")
}

// matchColumn says what header h is: the timestamp, one of the questions
// (with or without its number, ignoring case, accents and punctuation, and
// accepting a header cut short or carrying extra words after the
// question), gender, birth date or unknown.
func matchColumn(h string) Column {
	c := Column{Header: h}
	n, rest := splitNumber(h)
	f := headerKey(rest)
	switch f {
	case "marca temporal", "timestamp", "fecha y hora", "marca de tiempo", "zeitstempel", "horodatage":
		c.Kind = Timestamp
		return c
	case "genero", "sexo", "genero sexo", "sexo genero":
		c.Kind = Gender
		return c
	case "fecha de nacimiento", "fecha nacimiento", "f nacimiento", "nacimiento":
		c.Kind = BirthDate
		return c
	case "user id", "id de usuario", "id de usuaria", "benutzer id", "benutzer-id", "account", "cuenta", "konto",
		"user display name", "nombre para mostrar", "nombre para mostrar del usuario", "nombre visible",
		"anzeigename", "benutzer anzeigename", "benutzer-anzeigename", "account display name", "nombre de la cuenta":
		c.Kind = Account
		return c
	case "email address", "direccion de correo electronico del encuestado":
		c.Kind = RespondentEmail
		return c
	}
	if f == "" {
		if n >= 1 && n <= 21 && rest == "" && strings.TrimSpace(h) != "" {
			c.Kind, c.Question = Question, n
		}
		return c
	}
	if q := questionFor(n, f); q > 0 {
		c.Kind, c.Question = Question, q
	}
	return c
}

// questionFor finds the question whose folded text is f, or which f starts
// or is the start of (on a word boundary). A number n that names one of
// several candidates settles it; a number that names none is overruled by
// a unique match of the words.
func questionFor(n int, f string) int {
	var cands []int
	for i, q := range foldedQuestions {
		if q == f {
			return i + 1
		}
		if wordPrefix(q, f) || wordPrefix(f, q) {
			cands = append(cands, i+1)
		}
	}
	for _, c := range cands {
		if c == n {
			return c
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return 0
}

// wordPrefix reports whether p is s or starts s at a word boundary.
func wordPrefix(s, p string) bool {
	return strings.HasPrefix(s, p) && (len(s) == len(p) || s[len(p)] == ' ')
}

// matchHeader matches every header cell. It returns a file error when the
// columns without which no row can be imported are missing or repeated.
func matchHeader(cells []string) ([]Column, error) {
	cols := make([]Column, len(cells))
	seen := map[Column]int{} // Kind+Question → index, Header left empty
	for i, h := range cells {
		c := matchColumn(h)
		if c.Kind == Question && c.Question == qEmail && i > 0 && cols[i-1].Kind == Timestamp &&
			respondentEmailTitle(h) && laterEmailQuestion(cells[i+1:]) {
			c.Kind, c.Question = RespondentEmail, 0
		}
		if c.Kind != Unknown && c.Kind != Account {
			key := Column{Kind: c.Kind, Question: c.Question}
			if j, dup := seen[key]; dup {
				return nil, fileError("Las columnas %d («%s») y %d («%s») son la misma pregunta: deje solo una.",
					j+1, shortLabel(cells[j]), i+1, shortLabel(h))
			}
			seen[key] = i
		}
		cols[i] = c
	}
	for _, need := range []struct {
		key  Column
		name string
	}{
		{Column{Kind: Timestamp}, "Marca temporal"},
		{Column{Kind: Question, Question: qName}, "1. " + Questions[qName-1]},
		{Column{Kind: Question, Question: qReferrer}, "18. " + shortLabel(Questions[qReferrer-1])},
	} {
		if _, ok := seen[need.key]; !ok {
			return nil, fileError("Falta la columna «%s»: ¿es la exportación del formulario de derivaciones? La primera fila tiene que ser la de los títulos de las preguntas.", need.name)
		}
	}
	return cols, nil
}

// respondentEmailTitle reports whether h is the title Google Forms gives
// the e-mail it collects, in Spanish or English, without a question number.
func respondentEmailTitle(h string) bool {
	n, rest := splitNumber(h)
	switch headerKey(rest) {
	case "direccion de correo electronico", "correo electronico", "email address", "email":
		return n == 0
	}
	return false
}

// laterEmailQuestion reports whether question 13 comes again in cells, so
// that an e-mail column right after the timestamp is Google's collected
// address and not the question itself.
func laterEmailQuestion(cells []string) bool {
	for _, h := range cells {
		if c := matchColumn(h); c.Kind == Question && c.Question == qEmail {
			return true
		}
	}
	return false
}
