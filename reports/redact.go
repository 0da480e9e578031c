package reports

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// redactor blanks sensitive values wherever they appear in free text, for
// the version of a case summary that goes to the other service: the
// person's own document number, phones and address, and anything that
// looks like an identity document (NIE, DNI, passport), a phone, an
// e-mail address or an IBAN, which staff type in notes about relatives,
// employers or other cases. Dates are kept. A nil redactor leaves text as
// it is.
type redactor struct {
	re   *regexp.Regexp // the person's own values; nil when they have none
	mark string
}

// newRedactor returns a redactor for p's values, writing mark instead.
// Digits may be typed with spaces, dots or dashes between them, and
// letters in any case.
func newRedactor(p *data.Person, mark string) *redactor {
	var pats []string
	for _, v := range []string{p.DocNumber, p.Phone1, p.Phone2, p.Email, p.Address} {
		v = strings.TrimSpace(v)
		if len(v) < 3 {
			continue
		}
		var b strings.Builder
		for i, r := range v {
			if i > 0 && r >= '0' && r <= '9' {
				b.WriteString(`[\s.\-]?`)
			}
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
		pats = append(pats, b.String())
	}
	r := &redactor{mark: mark}
	if len(pats) > 0 {
		r.re = regexp.MustCompile(`(?i)` + strings.Join(pats, "|"))
	}
	return r
}

// clean returns s with the sensitive values replaced.
func (r *redactor) clean(s string) string {
	if r == nil {
		return s
	}
	if r.re != nil {
		s = r.re.ReplaceAllString(s, r.mark)
	}
	// Dates are cut out first, so that a date and the number beside it
	// never read as one phone ("el 15.09.2022 3 hijos").
	var b strings.Builder
	last := 0
	for _, d := range dates(s) {
		b.WriteString(r.blank(s[last:d[0]]))
		b.WriteString(s[d[0]:d[1]])
		last = d[1]
	}
	b.WriteString(r.blank(s[last:]))
	return b.String()
}

// blank replaces what sensitive finds in s, which has no dates. A NIE
// whose letter follows a space in lower case (x 1234567 l) keeps that
// letter out of the mark when it is a Spanish word (y, e, o, u, a) and
// not the NIE's own check letter: "x 1234567 y 612345678" is a NIE and a
// phone.
func (r *redactor) blank(s string) string {
	return sensitive.ReplaceAllStringFunc(s, func(m string) string {
		n := len(m)
		if n > 2 && m[n-2] == ' ' && strings.IndexByte("yeoua", m[n-1]) >= 0 && !nieChecks(m) {
			return r.mark + m[n-2:]
		}
		return r.mark
	})
}

// nieChecks reports whether m, a NIE as niePat found it, has the check
// letter its number gives.
func nieChecks(m string) bool {
	var n int
	for i, c := range []byte(m) {
		switch {
		case i == 0:
			n = strings.IndexByte("XYZ", c&^0x20)
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
		}
	}
	last := m[len(m)-1] &^ 0x20
	return n >= 0 && "TRWAGMYFPDXBNJZSQVHLCKE"[n%23] == last
}

// Parts of sensitive. A letter after the digits may follow a dot, a dash
// or nothing, or a space when it is a capital, so that "612345678 y" does
// not swallow the "y". After a NIE's digits a space and a small letter is
// its letter too (x 1234567 l); blank then keeps a "y" that is a word.
const (
	docLetter = `(?:[.\-]?[A-Za-z]|[ ][A-Z])\b`
	// An e-mail address.
	emailPat = `[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`
	// An IBAN: country, check digits, then groups of four, as printed or
	// written together (ES91 2100 0418 4502 0005 1332).
	ibanPat = `\b[A-Za-z]{2}\d{2}[ \-]?[A-Za-z0-9]{4}(?:[ \-]?\d{4}){2,7}(?:[ \-]?\d{1,3})?\b`
	// A NIE: X, Y or Z, seven digits, a letter (Y-7227117-W, x1234567l).
	niePat = `\b[XYZxyz][ .\-]?\d(?:[ .]?\d){6}(?:[.\-]?[A-Za-z]|[ ][A-Za-z])\b`
	// A DNI: eight digits (seven in old ones) and a letter, maybe with
	// the country before (12345678Z, 12.345.678-Z, ES-12.345.678-Z).
	dniPat = `\b(?:[Ee][Ss][ .\-]?)?\d(?:[ .]?\d){6,7}` + docLetter
	// A passport: letters then digits, 6 to 9 in all with at least five
	// digits (PAB123456, AB1234567).
	passportPat = `\b(?:[A-Za-z]\d{5,8}|[A-Za-z]{2}\d{5,7}|[A-Za-z]{3}\d{5,6}|[A-Za-z]{4}\d{5})\b`
	// A phone: seven digits or more, with spaces, dots, dashes or
	// parentheses between them and maybe a + before (+34 612 34 56 78,
	// (91) 123 45 67, 612-34-56-78).
	phonePat = `(?:\+[ ]?|\()?\d(?:(?:[ .\-]|\)[ ]?|[ ]?\(\+?)?\d){6,}\)?`
	// An amount of seven digits or more, which would say too much of a
	// person's money: whole with its cents (1.234.567,89; 1234567,50),
	// and in groups of three with commas or apostrophes (1,234,567;
	// 1'234'567), which phonePat does not read as one number.
	amountPat = `\b(?:(?:\d{1,3}(?:[.,' ’]\d{3}){2,}|\d{7,})[.,]\d{1,2}|\d{1,3}(?:[,'’]\d{3}){2,})\b`
)

// sensitive finds, in text with no dates, what clean blanks besides the
// person's own values. Where two could start at the same place, the
// first listed wins: an e-mail address whole rather than its digits.
var sensitive = regexp.MustCompile(strings.Join([]string{emailPat, ibanPat, niePat, dniPat, passportPat, amountPat, phonePat}, "|"))

// datePat finds what may be a date: 15/09/2022, 15/9/22, 15.09.2022,
// 15-09-2022 or 2022-09-15. dates checks each one.
var datePat = regexp.MustCompile(`\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}[.\-]\d{1,2}[.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2}`)

// dates returns the start and end of each date in s: a match of datePat
// with a real day and month that is not part of a longer run of digits
// (612.12.05.2022 is a phone, not a date).
func dates(s string) [][2]int {
	var out [][2]int
	for _, m := range datePat.FindAllStringIndex(s, -1) {
		if !isDate(s[m[0]:m[1]]) || joined(s, m[0], -1) || joined(s, m[1], +1) {
			continue
		}
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

// isDate reports whether v, as datePat matched it, has a day from 1 to
// 31 and a month from 1 to 12.
func isDate(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 {
		return false
	}
	day, month := parts[0], parts[1]
	if len(parts[0]) == 4 { // 2022-09-15
		day, month = parts[2], parts[1]
	}
	d, _ := strconv.Atoi(day)
	m, _ := strconv.Atoi(month)
	return d >= 1 && d <= 31 && m >= 1 && m <= 12
}

// joined reports whether the text at i, going in direction dir (-1
// before, +1 after), carries on the number: a letter or digit, or a
// separator and a digit.
func joined(s string, i, dir int) bool {
	at := func(j int) byte {
		if j < 0 || j >= len(s) {
			return ' '
		}
		return s[j]
	}
	first := i
	if dir < 0 {
		first = i - 1
	}
	c := at(first)
	if isAlnum(c) {
		return true
	}
	return strings.IndexByte("./-", c) >= 0 && isAlnum(at(first+dir))
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
