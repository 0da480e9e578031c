package data

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/unicode/norm"
)

// CleanPasted undoes what copying from Word, a PDF or a phone keyboard does
// to a number: full-width and other compatibility forms become their plain
// letters and digits (NFKC: "Ｙ７２２" → "Y722"), every Unicode dash and
// minus becomes "-", every Unicode space a plain space, and zero-width
// characters and soft hyphens go.
func CleanPasted(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
			return -1
		case unicode.Is(unicode.Pd, r) || r == '\u2212' || r == '\u2043':
			return '-'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, norm.NFKC.String(s))
}

// NormalizeDocNumber returns a document number as it is stored and
// compared: upper case, without the spaces, dots and dashes people type
// ("x-1234567 l" → "X1234567L").
func NormalizeDocNumber(s string) string {
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '.' || r == '-' {
				return -1
			}
			return unicode.ToUpper(r)
		}, CleanPasted(s))
	}
	// Dropping a separator can join a letter and a combining mark that
	// compose on the next pass ("C¸" is C, space, combining cedilla), so
	// repeat until nothing changes: normalising twice must give the same.
	out := strip(s)
	for i := 0; i < 4; i++ {
		again := strip(out)
		if again == out {
			break
		}
		out = again
	}
	return out
}

// dniLetters maps a DNI or NIE number modulo 23 to its check letter.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// checkLetter returns the check letter of an all-digit number.
func checkLetter(digits string) byte {
	n := 0
	for i := 0; i < len(digits); i++ {
		n = (n*10 + int(digits[i]-'0')) % 23
	}
	return dniLetters[n]
}

// CheckDNI returns nil when s is a Spanish DNI, 8 digits and the check
// letter, and otherwise a Spanish sentence saying what is wrong; on a wrong
// or missing letter, which letter it should be. s may carry spaces, dots and
// dashes.
func CheckDNI(s string) error {
	n := NormalizeDocNumber(s)
	switch {
	case n == "":
		return errors.New("Falta el número de DNI.")
	case len(n) == 8 && AllDigits(n):
		return fmt.Errorf("Falta la letra del DNI %s: debería ser %c.", n, checkLetter(n))
	case len(n) == 9 && strings.IndexByte("XYZ", n[0]) >= 0 && AllDigits(n[1:8]):
		return fmt.Errorf("El número %s parece un NIE, no un DNI.", userText(n))
	case len(n) == 8 && AllDigits(n[:7]) && isUpperASCII(n[7]):
		return fmt.Errorf("El DNI %s no es válido: tiene 8 cifras y una letra; si empieza por 0, escriba el 0.", userText(n))
	case len(n) != 9 || !AllDigits(n[:8]) || !isUpperASCII(n[8]):
		return fmt.Errorf("El DNI %s no es válido: tiene 8 cifras y una letra, como 12345678Z.", userText(n))
	}
	if want := checkLetter(n[:8]); n[8] != want {
		return fmt.Errorf("La letra del DNI no es correcta: debería ser %c.", want)
	}
	return nil
}

// CheckNIE returns nil when s is a foreigner's identity number (NIE): X, Y
// or Z, 7 digits and the check letter, computed as for a DNI with X, Y, Z
// read as 0, 1, 2. Otherwise it returns a Spanish sentence saying what is
// wrong. s may carry spaces, dots and dashes.
func CheckNIE(s string) error {
	n := NormalizeDocNumber(s)
	switch {
	case n == "":
		return errors.New("Falta el número de NIE.")
	case len(n) == 9 && AllDigits(n[:8]):
		return fmt.Errorf("El número %s parece un DNI, no un NIE.", userText(n))
	case len(n) < 8 || len(n) > 9 || strings.IndexByte("XYZ", n[0]) < 0 || !AllDigits(n[1:8]):
		return fmt.Errorf("El NIE %s no es válido: empieza por X, Y o Z, sigue con 7 cifras y acaba en una letra, como X1234567L.", userText(n))
	}
	want := checkLetter(string("012"[strings.IndexByte("XYZ", n[0])]) + n[1:8])
	switch {
	case len(n) == 8:
		return fmt.Errorf("Falta la letra del NIE %s: debería ser %c.", n, want)
	case !isUpperASCII(n[8]):
		return fmt.Errorf("El NIE %s no es válido: tiene que acabar en una letra.", userText(n))
	case n[8] != want:
		return fmt.Errorf("La letra del NIE no es correcta: debería ser %c.", want)
	}
	return nil
}

// CheckPassport returns nil when s can be a passport number, otherwise a
// Spanish sentence. Foreign passports vary too much to check a letter, so
// it asks only for 5 to 15 letters and digits with at least one digit.
func CheckPassport(s string) error {
	n := NormalizeDocNumber(s)
	switch {
	case n == "":
		return errors.New("Falta el número de pasaporte.")
	case !alnumASCII(n):
		return fmt.Errorf("El pasaporte %s no es válido: solo puede tener letras sin tilde y cifras.", userText(n))
	case len(n) < 5 || len(n) > 15:
		return fmt.Errorf("El pasaporte %s no es válido: tiene entre 5 y 15 letras y cifras.", userText(n))
	case strings.IndexFunc(n, unicode.IsDigit) < 0:
		return fmt.Errorf("El pasaporte %s no es válido: tiene que llevar alguna cifra.", userText(n))
	}
	return nil
}

// DocKind is the type of identity document a person holds.
type DocKind string

// The document types of the referral form, stored by these values.
const (
	DocDNI      DocKind = "dni"
	DocNIE      DocKind = "nie"
	DocTIE      DocKind = "tie"        // the card carries the NIE number
	DocPassport DocKind = "pasaporte"  // any country's
	DocStudent  DocKind = "estudiante" // student card, NIE number
	DocAsylum   DocKind = "asilo"      // applicant's document ("carta blanca", "tarjeta roja")
	DocOther    DocKind = "otro"
)

// DocKinds lists the document types in the order a form offers them.
var DocKinds = []DocKind{DocDNI, DocNIE, DocTIE, DocPassport, DocStudent, DocAsylum, DocOther}

// Label returns the Spanish name of k for forms and reports; an unknown
// kind is returned as stored.
func (k DocKind) Label() string {
	switch k {
	case DocDNI:
		return "DNI"
	case DocNIE:
		return "NIE"
	case DocTIE:
		return "TIE (tarjeta de identidad de extranjero)"
	case DocPassport:
		return "Pasaporte"
	case DocStudent:
		return "Tarjeta de estudiante"
	case DocAsylum:
		return "Documento de solicitante de asilo"
	case DocOther:
		return "Otro"
	}
	return string(k)
}

// CheckDocument checks number as a document of the given kind and returns
// nil or a Spanish sentence. TIE and student cards carry an NIE; an asylum
// applicant's document an NIE or 5 to 15 letters and digits; "otro" 3 to 20.
// Both empty is fine (nothing was entered); a number without a kind, a kind
// without a number, or an unknown kind is an error.
func CheckDocument(kind DocKind, number string) error {
	n := NormalizeDocNumber(number)
	switch {
	case kind == "" && n == "":
		return nil
	case kind == "":
		return fmt.Errorf("Indique el tipo de documento del número %s.", userText(n))
	case !kind.known():
		return fmt.Errorf("El tipo de documento «%s» no existe.", userText(string(kind)))
	case n == "":
		return fmt.Errorf("Falta el número del documento (%s).", kind.Label())
	}
	switch kind {
	case DocDNI:
		return CheckDNI(n)
	case DocNIE, DocTIE, DocStudent:
		return CheckNIE(n)
	case DocPassport:
		return CheckPassport(n)
	case DocAsylum:
		if len(n) == 9 && strings.IndexByte("XYZ", n[0]) >= 0 && AllDigits(n[1:8]) {
			return CheckNIE(n)
		}
		if !alnumASCII(n) || len(n) < 5 || len(n) > 15 {
			return fmt.Errorf("El documento %s no es válido: lleva un NIE o entre 5 y 15 letras y cifras.", userText(n))
		}
	default: // DocOther
		if !alnumASCII(n) || len(n) < 3 || len(n) > 20 {
			return fmt.Errorf("El documento %s no es válido: tiene entre 3 y 20 letras y cifras.", userText(n))
		}
	}
	return nil
}

func (k DocKind) known() bool { return slices.Contains(DocKinds, k) }

// NormalizePhone returns a phone number as it is stored, or an error in
// Spanish saying what is wrong. Spaces, dots, dashes and parentheses are
// dropped. A Spanish number (9 digits starting with 6, 7, 8 or 9, with or
// without +34 or 0034) is stored as its 9 digits; a foreign one, written
// with + or 00 and the country code, as "+" and 8 to 15 digits; a short
// number starting with 0 such as 010 as it is. Empty input gives "".
func NormalizePhone(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	s = strings.TrimSpace(CleanPasted(s))
	if s == "" {
		return "", errors.New("El teléfono no es válido: no tiene cifras.")
	}
	digits, plus, err := phoneDigits(s)
	if err != nil {
		return "", err
	}
	intl := plus || strings.HasPrefix(digits, "00")
	if !plus && intl {
		digits = digits[2:]
	}
	switch {
	case intl && digits == "":
		return "", fmt.Errorf("El teléfono %s no es válido: faltan las cifras.", userText(s))
	case intl && digits[0] == '0':
		return "", fmt.Errorf("El teléfono %s no es válido: después del + o del 00 va el prefijo del país, que no empieza por 0.", userText(s))
	case intl && strings.HasPrefix(digits, "34"):
		if !spanishPhone(digits[2:]) {
			return "", fmt.Errorf("El teléfono %s no es válido: después del prefijo 34 van 9 cifras que empiezan por 6, 7, 8 o 9.", userText(s))
		}
		digits = digits[2:]
		intl = false
	case intl && (len(digits) < 8 || len(digits) > 15+1): // +1: a trunk 0 written after the code
		return "", fmt.Errorf("El teléfono %s no es válido: un número extranjero tiene de 8 a 15 cifras contando el prefijo del país.", userText(s))
	case !intl && len(digits) == 3 && digits[0] == '0':
		return digits, nil // 010, 016: short municipal and public numbers
	case !intl && !spanishPhone(digits):
		return "", fmt.Errorf("El teléfono %s no es válido: un número español tiene 9 cifras y empieza por 6, 7, 8 o 9.", userText(s))
	}
	if !intl {
		num, err := phonenumbers.Parse(digits, "ES")
		if err != nil || !phonenumbers.IsValidNumberForRegion(num, "ES") {
			return "", fmt.Errorf("El teléfono %s no es válido: no es de ninguna numeración asignada en España.", userText(s))
		}
		return digits, nil
	}
	// libphonenumber drops the trunk 0 written after the country code,
	// "+44 (0)20 7946 0958" → +442079460958, and knows each country's lengths.
	num, err := phonenumbers.Parse("+"+digits, "ES")
	if err != nil {
		return "", fmt.Errorf("El teléfono %s no es válido: +%s no es el prefijo de ningún país.", userText(s), callingCode(digits))
	}
	cc := strconv.Itoa(int(num.GetCountryCode()))
	national := strings.TrimPrefix(digits, cc)
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	switch e164[1:] {
	case digits:
	case cc + strings.TrimPrefix(national, "0"):
		if strings.HasPrefix(national, "00") {
			return "+" + digits, nil // not a trunk 0: kept as written
		}
	default:
		// libphonenumber dropped some other national prefix: keep the
		// number as written rather than guess.
		return "+" + digits, nil
	}
	country := CountryName(phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode())))
	if country == "" {
		country = fmt.Sprintf("prefijo +%d", num.GetCountryCode())
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.IS_POSSIBLE:
	case phonenumbers.TOO_LONG:
		return "", fmt.Errorf("El teléfono %s no es válido: tiene demasiadas cifras para un número de %s.", userText(s), country)
	default:
		return "", fmt.Errorf("El teléfono %s no es válido: faltan cifras para un número de %s.", userText(s), country)
	}
	if len(e164) < 9 || len(e164) > 16 {
		return "", fmt.Errorf("El teléfono %s no es válido: un número extranjero tiene de 8 a 15 cifras contando el prefijo del país.", userText(s))
	}
	return e164, nil
}

// callingCode is the country code digits seem to start with, for a message.
func callingCode(digits string) string {
	if len(digits) > 3 {
		return digits[:3]
	}
	return digits
}

// phoneDigits returns the digits of s and whether it starts with '+'.
func phoneDigits(s string) (digits string, plus bool, err error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			b.WriteRune(r)
		case r == '+' && !plus && b.Len() == 0:
			plus = true
		case r == '+':
			return "", false, fmt.Errorf("El teléfono %s no es válido: el + solo puede ir al principio.", userText(s))
		case unicode.IsSpace(r) || strings.ContainsRune(".-()", r):
			// a separator: dropped
		default:
			return "", false, fmt.Errorf("El teléfono %s no es válido: solo puede tener cifras, espacios, puntos, guiones, paréntesis y un + al principio.", userText(s))
		}
	}
	return b.String(), plus, nil
}

func spanishPhone(d string) bool {
	return len(d) == 9 && AllDigits(d) && d[0] >= '6'
}

// callingCodes are the country codes FormatPhone sets apart: Spain's
// neighbours and the usual countries of origin. E.164 codes are prefix-free,
// so at most one matches.
var callingCodes = map[string]bool{
	"1": true, "7": true, "20": true, "30": true, "31": true, "32": true, "33": true,
	"34": true, "39": true, "40": true, "41": true, "43": true, "44": true, "48": true,
	"49": true, "51": true, "52": true, "53": true, "54": true, "55": true, "56": true,
	"57": true, "58": true, "63": true, "86": true, "90": true, "91": true, "92": true,
	"212": true, "213": true, "216": true, "220": true, "221": true, "222": true,
	"223": true, "224": true, "225": true, "233": true, "234": true, "237": true,
	"240": true, "245": true, "249": true, "351": true, "353": true, "359": true,
	"373": true, "375": true, "380": true, "502": true, "503": true, "504": true,
	"505": true, "506": true, "507": true, "591": true, "593": true, "595": true,
	"598": true, "880": true, "963": true, "995": true,
}

// FormatPhone returns a stored phone number for display: "917 581 437",
// "+33 612345678" (the country code set apart when it is a common one), or
// anything else unchanged. NormalizePhone reads the result back.
func FormatPhone(stored string) string {
	switch {
	case spanishPhone(stored):
		return stored[:3] + " " + stored[3:6] + " " + stored[6:]
	case len(stored) > 1 && stored[0] == '+' && AllDigits(stored[1:]):
		d := stored[1:]
		for n := 1; n <= 3 && n < len(d); n++ {
			if callingCodes[d[:n]] {
				return "+" + d[:n] + " " + d[n:]
			}
		}
	}
	return stored
}

// CheckEmail returns nil when s is a bare e-mail address such as
// "ana.lopez@madrid.es" (no display name, no spaces, a domain with a dot),
// otherwise a Spanish sentence. An empty s is an error: callers skip the
// check for optional addresses.
func CheckEmail(s string) error {
	switch {
	case s == "":
		return errors.New("Falta la dirección de correo.")
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return fmt.Errorf("La dirección de correo «%s» no es válida: no puede tener espacios.", userText(s))
	case !strings.Contains(s, "@"):
		return fmt.Errorf("A la dirección de correo «%s» le falta la @.", userText(s))
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return fmt.Errorf("La dirección de correo «%s» no es válida: escríbala como nombre@dominio.es.", userText(s))
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	labels := strings.Split(domain, ".")
	tld := labels[len(labels)-1]
	if len(labels) < 2 || slices.Contains(labels, "") || strings.IndexFunc(domain, notDomainRune) >= 0 || len(tld) < 2 || AllDigits(tld) {
		return fmt.Errorf("La dirección de correo «%s» no es válida: después de la @ va un dominio como gmail.com.", userText(s))
	}
	return nil
}

// ITLevelMax is the highest IT skills level.
const ITLevelMax = 3

// CheckITLevel returns nil when n is an IT skills level, 0 (none) to 3
// (advanced), otherwise a Spanish sentence.
func CheckITLevel(n int) error {
	if n < 0 || n > ITLevelMax {
		return errors.New("El nivel de informática va de 0 (ninguno) a 3 (avanzado).")
	}
	return nil
}

// ITLevelLabel returns the Spanish name of IT skills level n, or "" when n
// is not a level.
func ITLevelLabel(n int) string {
	switch n {
	case 0:
		return "Ninguno"
	case 1:
		return "Básico"
	case 2:
		return "Medio"
	case 3:
		return "Avanzado"
	}
	return ""
}

// AllDigits reports whether s is made of the ASCII digits 0 to 9 only
// (true for "").
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LocalHost reports whether host (a URL's Hostname) is this computer
// named as usual: localhost, 127.0.0.1 or ::1. Plain http:// goes only
// there (tests, a local proxy), so that a password never travels in
// clear.
func LocalHost(host string) bool { return host == "localhost" || host == "127.0.0.1" || host == "::1" }

// notDomainRune reports whether r cannot appear in a domain name.
func notDomainRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '.'
}

func isUpperASCII(c byte) bool { return 'A' <= c && c <= 'Z' }

func alnumASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpperASCII(s[i]) && !('a' <= s[i] && s[i] <= 'z') && !('0' <= s[i] && s[i] <= '9') {
			return false
		}
	}
	return true
}

// userText returns s for quoting in a message, cut short if it is long.
func userText(s string) string {
	const max = 30
	s = strings.ToValidUTF8(s, "?")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
