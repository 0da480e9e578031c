package forms

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/enlace-madrid/enlace/data"
)

// Document is question 7 read into its parts.
type Document struct {
	Kind   data.DocKind
	Number string // as data.NormalizeDocNumber leaves it
	Expiry data.Date
}

// ParseDocument reads question 7, "Tipo de Documento, número y fecha de
// caducidad", as people type it: "NIE X1234567L caducidad 12/05/2024",
// "Pasaporte AB123456, caduca 01/01/2027", "DNI 12345678Z", "TIE
// Y-1234567-X hasta 3/2025", "Solicitante de asilo Z1234567R". The type
// comes from its words or, when none is written, from the shape of the
// number (8 digits and a letter is a DNI, X/Y/Z, 7 digits and a letter an
// NIE); the number is checked with data.CheckDocument; the expiry is the
// date after "caduca", "vence", "hasta"… or else the last date written.
//
// err, a Spanish sentence, means the row cannot be imported as it is: the
// number fails its check or a date does not exist. review, also a sentence,
// means part of the text could not be read (no number, no type, words it
// does not know): the caller keeps the text as typed and flags the row.
func ParseDocument(s string) (d Document, review string, err error) {
	typed := data.Fold(s)
	s = strings.TrimSpace(data.CleanPasted(s)) // full-width digits, Unicode dashes from Word or a PDF
	folded := data.Fold(s)
	switch {
	case folded == "" && typed != "":
		// Something was written that cleans to nothing (a lone mark
		// pasted from another script): not an empty answer.
		return Document{}, "No se entiende qué documento es.", nil
	case folded == "":
		return Document{}, "", nil
	case noneAnswers[folded]:
		return Document{}, "No consta ningún documento.", nil
	}
	rest, expiry, err := takeExpiry(s)
	if err != nil {
		return Document{}, "", err
	}
	d.Expiry = expiry
	toks := docTokens(rest)
	kinds, unknown := docWords(toks)
	number, others := docNumber(toks)
	d.Kind = chooseKind(kinds, number)
	switch {
	case number == "" && d.Kind == "":
		return Document{}, "No se entiende qué documento es.", nil
	case number == "":
		return Document{Expiry: d.Expiry}, fmt.Sprintf("Indica «%s» pero no el número.", d.Kind.Label()), nil
	case d.Kind == "":
		return Document{}, fmt.Sprintf("No indica de qué documento es el número %s.", number), nil
	}
	d.Number = number
	if err := data.CheckDocument(d.Kind, d.Number); err != nil {
		return Document{}, "", err
	}
	switch {
	case others > 0:
		review = "Hay más de un número de documento: se ha tomado " + number + "."
	case unknown:
		review = "Parte del texto no se ha entendido."
	}
	return d, review, nil
}

// noneAnswers are folded answers that say there is no document.
var noneAnswers = map[string]bool{
	"no": true, "no tiene": true, "ninguno": true, "ninguna": true, "sin documento": true,
	"sin documentacion": true, "no aporta": true, "no consta": true, "en tramite": true, "nada": true,
	"indocumentado": true, "indocumentada": true,
}

var (
	// dateDMY matches dd/mm/aaaa, d-m-aa, dd.mm.aaaa (digit boundaries are checked apart).
	dateDMY = regexp.MustCompile(`(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})`)
	// dateISO matches aaaa-mm-dd.
	dateISO = regexp.MustCompile(`(\d{4})-(\d{1,2})-(\d{1,2})`)
	// dateMY matches mm/aaaa: the document is taken to expire on the month's last day.
	dateMY = regexp.MustCompile(`(\d{1,2})\s?[/.\-]\s?(\d{4})`)
)

// expiryWords introduce an expiry date; a date after one of them wins.
var expiryWords = []string{"cad", "venc", "vence", "valid", "hasta", "expira", "fin", "vigencia", "vto"}

// takeExpiry finds the dates in s and returns s without them and the
// expiry date. An impossible date is an error.
func takeExpiry(s string) (string, data.Date, error) {
	type found struct {
		start, end int
		d          data.Date
		marked     bool
	}
	var dates []found
	taken := make([]bool, len(s))
	for _, re := range []*regexp.Regexp{dateISO, dateDMY, dateMY} {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			if !digitBoundary(s, m[0], m[1]) || overlaps(taken, m[0], m[1]) {
				continue
			}
			d, err := dateFrom(re, s, m)
			if err != nil {
				return "", data.Date{}, fmt.Errorf("Fecha de caducidad: %w", err)
			}
			for i := m[0]; i < m[1]; i++ {
				taken[i] = true
			}
			before := data.Fold(s[max(0, m[0]-25):m[0]])
			dates = append(dates, found{m[0], m[1], d, containsAny(before, expiryWords)})
		}
	}
	if len(dates) == 0 {
		return s, data.Date{}, nil
	}
	best := dates[0]
	for _, f := range dates[1:] {
		if (f.marked && !best.marked) || (f.marked == best.marked && f.start > best.start) {
			best = f
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if taken[i] {
			if i == 0 || !taken[i-1] {
				b.WriteByte(' ')
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), best.d, nil
}

// digitBoundary reports whether s[start:end] is not part of a longer run of
// digits, letters or separators (so "12.345.678" is not a date).
func digitBoundary(s string, start, end int) bool {
	if start > 0 {
		c := s[start-1]
		if isDigit(c) || ((c == '.' || c == '-' || c == '/') && start > 1 && isDigit(s[start-2])) {
			return false
		}
	}
	if end < len(s) {
		c := s[end]
		if isDigit(c) || ((c == '.' || c == '-' || c == '/') && end+1 < len(s) && isDigit(s[end+1])) {
			return false
		}
	}
	return true
}

func overlaps(taken []bool, start, end int) bool {
	for i := start; i < end; i++ {
		if taken[i] {
			return true
		}
	}
	return false
}

// dateFrom reads the date regexp re matched at m in s.
func dateFrom(re *regexp.Regexp, s string, m []int) (data.Date, error) {
	g := func(i int) string { return s[m[2*i]:m[2*i+1]] }
	var day, month, year string
	switch re {
	case dateISO:
		year, month, day = g(1), g(2), g(3)
	case dateDMY:
		day, month, year = g(1), g(2), g(3)
		if len(year) == 2 {
			year = "20" + year
		}
	default: // dateMY
		month, year = g(1), g(2)
		d, err := data.ParseDate("1/" + month + "/" + year)
		if err != nil {
			return data.Date{}, err
		}
		last := time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC)
		return data.DateOf(last), nil
	}
	return data.ParseDate(day + "/" + month + "/" + year)
}

func containsAny(s string, words []string) bool {
	for _, w := range strings.Fields(s) {
		for _, p := range words {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// docToken is one word of question 7 with its folded form.
type docToken struct {
	text, fold string
}

func docTokens(s string) []docToken {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:()[]{}/|\"'«»ºª°#", r)
	})
	out := make([]docToken, 0, len(parts))
	for _, p := range parts {
		p = strings.Trim(p, ".-_")
		if p != "" {
			out = append(out, docToken{p, data.Fold(p)})
		}
	}
	return out
}

// kindWords map folded words of question 7 to a document type.
var kindWords = map[string]data.DocKind{
	"dni": data.DocDNI, "nie": data.DocNIE, "tie": data.DocTIE,
	"residencia": data.DocTIE, "comunitaria": data.DocTIE, "comunitario": data.DocTIE,
	"pasaporte": data.DocPassport, "pasaport": data.DocPassport, "passport": data.DocPassport, "pas": data.DocPassport,
	"asilo": data.DocAsylum, "roja": data.DocAsylum, "blanca": data.DocAsylum, "solicitante": data.DocAsylum,
	"proteccion": data.DocAsylum, "refugiado": data.DocAsylum, "refugiada": data.DocAsylum,
	"estudiante": data.DocStudent, "estudios": data.DocStudent, "estancia": data.DocStudent,
}

// docFiller are folded words that carry nothing the import needs.
var docFiller = map[string]bool{
	"n": true, "no": true, "num": true, "numero": true, "nro": true, "de": true, "del": true,
	"la": true, "el": true, "y": true, "e": true, "con": true, "en": true, "por": true, "a": true,
	"caducidad": true, "caduca": true, "cad": true, "vence": true, "vencimiento": true, "vto": true,
	"valido": true, "valida": true, "hasta": true, "fecha": true, "expira": true, "expiracion": true,
	"fin": true, "vigencia": true, "vigente": true, "vigor": true, "tarjeta": true, "permiso": true,
	"autorizacion": true, "documento": true, "doc": true, "identidad": true, "extranjero": true,
	"extranjera": true, "internacional": true, "trabajo": true, "carta": true, "tipo": true,
	"nacional": true, "espanol": true, "espanola": true, "actual": true, "original": true,
	"familiar": true, "ue": true, "ciudadano": true, "expedida": true, "expedido": true,
	"expedicion": true, "emitida": true, "emision": true,
}

// docWords returns the document types named in toks and whether some word
// is neither a type, a filler, a country nor part of a number.
func docWords(toks []docToken) (kinds []data.DocKind, unknown bool) {
	for _, t := range toks {
		if k, ok := kindWords[t.fold]; ok {
			kinds = append(kinds, k)
			continue
		}
		if hasDigit(t.text) || docFiller[t.fold] || shortAlpha(t.text) {
			continue
		}
		if _, ok := data.LookupCountry(t.text); ok {
			continue
		}
		unknown = true
	}
	return kinds, unknown
}

// docNumber finds the document number in toks: a word with digits, joined
// with the short letter groups and digit groups typed apart around it
// ("X 1234567 L", "AB 123456"). With several, an NIE wins over a DNI, and a
// DNI over anything else; others counts the numbers left out.
func docNumber(toks []docToken) (number string, others int) {
	var cands []string
	used := 0 // tokens before this index belong to a number already
	for i := 0; i < len(toks); i++ {
		if !hasDigit(toks[i].text) {
			continue
		}
		var b strings.Builder
		if i > used && numberPrefix(toks[i-1]) {
			b.WriteString(toks[i-1].text)
		}
		j := i
		for ; j < len(toks) && hasDigit(toks[j].text); j++ {
			b.WriteString(toks[j].text)
		}
		if j < len(toks) && len(toks[j].text) == 1 && isLetterASCII(toks[j].text[0]) && !docFiller[toks[j].text] {
			b.WriteString(toks[j].text)
			j++
		}
		cands = append(cands, data.NormalizeDocNumber(b.String()))
		used, i = j, j-1
	}
	if len(cands) == 0 {
		return "", 0
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if shapeRank(c) > shapeRank(best) {
			best = c
		}
	}
	return best, len(cands) - 1
}

// numberPrefix reports whether t can be the letters opening a number typed
// apart: 1 to 3 letters that are not a type or a filler word, or an
// upper-case X, Y or Z.
func numberPrefix(t docToken) bool {
	if len(t.text) == 1 && strings.IndexByte("XYZ", t.text[0]) >= 0 {
		return true
	}
	_, isKind := kindWords[t.fold]
	return shortAlpha(t.text) && !isKind && !docFiller[t.fold]
}

// shapeRank orders numbers by how surely they are a document: NIE, DNI, other.
func shapeRank(n string) int {
	switch {
	case nieShaped(n):
		return 2
	case dniShaped(n):
		return 1
	}
	return 0
}

func nieShaped(n string) bool {
	return len(n) >= 8 && len(n) <= 9 && strings.IndexByte("XYZ", n[0]) >= 0 && data.AllDigits(n[1:8])
}

func dniShaped(n string) bool {
	return (len(n) == 8 || len(n) == 9) && data.AllDigits(n[:8])
}

// chooseKind settles the document type from the types named and the shape
// of the number: with an NIE-shaped number, an NIE-bearing type (asylum
// document, student card, TIE, NIE) wins; otherwise the most specific type
// named; with none named, the shape decides (DNI or NIE) or nothing does.
func chooseKind(kinds []data.DocKind, number string) data.DocKind {
	has := func(k data.DocKind) bool {
		for _, x := range kinds {
			if x == k {
				return true
			}
		}
		return false
	}
	order := []data.DocKind{data.DocAsylum, data.DocStudent, data.DocTIE, data.DocNIE, data.DocDNI, data.DocPassport}
	if nieShaped(number) {
		for _, k := range order[:4] {
			if has(k) {
				return k
			}
		}
	}
	for _, k := range order {
		if has(k) {
			return k
		}
	}
	switch {
	case nieShaped(number):
		return data.DocNIE
	case dniShaped(number):
		return data.DocDNI
	}
	return ""
}

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

func isLetterASCII(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// shortAlpha reports whether s is 1 to 3 ASCII letters.
func shortAlpha(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLetterASCII(s[i]) {
			return false
		}
	}
	return true
}
