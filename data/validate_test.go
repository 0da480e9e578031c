package data

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// docCases are shared by TestCheckDocument and FuzzCheckDocument. wantErr is
// a piece of the expected message, "" when the number is valid. Check
// letters: 12345678 mod 23 = 14 → Z; 87654321 → 10 → X; X1234567 → 1234567
// → 19 → L; Y1234567 → 11234567 → 10 → X; Z1234567 → 21234567 → 1 → R.
var docCases = []struct {
	name    string
	kind    DocKind
	number  string
	wantErr string
}{
	{"dni valid", DocDNI, "12345678Z", ""},
	{"dni valid with dots and dash", DocDNI, "12.345.678-z", ""},
	{"dni valid with spaces", DocDNI, " 12345678 Z ", ""},
	{"dni all zeros", DocDNI, "00000000T", ""},
	{"dni other valid", DocDNI, "87654321X", ""},
	{"dni wrong letter", DocDNI, "12345678A", "debería ser Z."},
	{"dni missing letter", DocDNI, "12345678", "Falta la letra del DNI 12345678: debería ser Z."},
	{"dni leading zero dropped", DocDNI, "1234567L", "si empieza por 0"},
	{"dni that is a nie", DocDNI, "X1234567L", "parece un NIE"},
	{"dni too long", DocDNI, "1234567890Z", "8 cifras y una letra"},
	{"dni letters", DocDNI, "ABCDEFGHZ", "8 cifras y una letra"},
	{"dni with ñ", DocDNI, "12345678ñ", "8 cifras y una letra"},
	{"nie X valid", DocNIE, "X1234567L", ""},
	{"nie Y valid", DocNIE, "Y1234567X", ""},
	{"nie Z valid", DocNIE, "Z1234567R", ""},
	{"nie lower case with dashes", DocNIE, "x-1234567-l", ""},
	{"nie wrong letter", DocNIE, "X1234567A", "La letra del NIE no es correcta: debería ser L."},
	{"nie missing letter", DocNIE, "X1234567", "debería ser L."},
	{"nie bad prefix", DocNIE, "W1234567L", "empieza por X, Y o Z"},
	{"nie that is a dni", DocNIE, "12345678Z", "parece un DNI"},
	{"nie six digits", DocNIE, "X123456L", "empieza por X, Y o Z"},
	{"nie eight digits", DocNIE, "X12345678L", "empieza por X, Y o Z"},
	{"nie ends in digit", DocNIE, "X12345679", "acabar en una letra"},
	{"tie carries nie", DocTIE, "Y1234567X", ""},
	{"tie wrong letter", DocTIE, "Y1234567L", "debería ser X."},
	{"student card", DocStudent, "Z1234567R", ""},
	{"student card with dni", DocStudent, "12345678Z", "parece un DNI"},
	{"passport", DocPassport, "PA998877", ""},
	{"passport digits only", DocPassport, "123456789", ""},
	{"passport with separators", DocPassport, "ab-123 456", ""},
	{"passport without digit", DocPassport, "ABCDEF", "alguna cifra"},
	{"passport too short", DocPassport, "A123", "entre 5 y 15"},
	{"passport too long", DocPassport, "A1234567890123456", "entre 5 y 15"},
	{"passport accented", DocPassport, "ÑA12345", "sin tilde"},
	{"asylum with nie", DocAsylum, "X1234567L", ""},
	{"asylum with wrong nie letter", DocAsylum, "X1234567A", "debería ser L."},
	{"asylum other number", DocAsylum, "AS12345", ""},
	{"asylum letters only", DocAsylum, "ABCDE", ""},
	{"asylum too short", DocAsylum, "AB1", "NIE o entre 5 y 15"},
	{"other short", DocOther, "AB1", ""},
	{"other too short", DocOther, "A1", "entre 3 y 20"},
	{"other too long", DocOther, "A12345678901234567890", "entre 3 y 20"},
	{"other symbols", DocOther, "AB#12", "entre 3 y 20"},
	{"nothing entered", "", "", ""},
	{"number without kind", "", "X1234567L", "Indique el tipo de documento"},
	{"kind without number", DocNIE, "", "Falta el número del documento (NIE)."},
	{"unknown kind", "carnet", "123", "no existe"},
}

func TestCheckDocument(t *testing.T) {
	for _, tc := range docCases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDocument(tc.kind, tc.number)
			wantErr(t, err, tc.wantErr)
		})
	}
}

func TestCheckDNINIEPassport(t *testing.T) {
	for _, tc := range docCases {
		var check func(string) error
		switch tc.kind {
		case DocDNI:
			check = CheckDNI
		case DocNIE:
			check = CheckNIE
		case DocPassport:
			check = CheckPassport
		}
		if check == nil || tc.number == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) { wantErr(t, check(tc.number), tc.wantErr) })
	}
	for name, check := range map[string]func(string) error{"dni": CheckDNI, "nie": CheckNIE, "pasaporte": CheckPassport} {
		t.Run(name+" empty", func(t *testing.T) { wantErr(t, check("  "), "Falta el número") })
	}
}

func TestNormalizeDocNumber(t *testing.T) {
	for in, want := range map[string]string{
		"x-1234567-l": "X1234567L", " 12.345.678 z ": "12345678Z", "pa\t998877": "PA998877", "": "",
	} {
		if got := NormalizeDocNumber(in); got != want {
			t.Errorf("NormalizeDocNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocKindLabel(t *testing.T) {
	want := []string{"DNI", "NIE", "TIE (tarjeta de identidad de extranjero)", "Pasaporte",
		"Tarjeta de estudiante", "Documento de solicitante de asilo", "Otro"}
	if len(DocKinds) != len(want) {
		t.Fatalf("DocKinds has %d kinds, want %d", len(DocKinds), len(want))
	}
	for i, k := range DocKinds {
		if got := k.Label(); got != want[i] {
			t.Errorf("DocKinds[%d].Label() = %q, want %q", i, got, want[i])
		}
	}
	if got := DocKind("raro").Label(); got != "raro" {
		t.Errorf("unknown Label() = %q", got)
	}
}

// phoneCases are shared by TestNormalizePhone and FuzzNormalizePhone.
var phoneCases = []struct {
	name, in, want, wantErr string
}{
	{"landline", "917581437", "917581437", ""},
	{"landline grouped", "917 58 14 37", "917581437", ""},
	{"dots", "91.758.14.37", "917581437", ""},
	{"parentheses and dash", "(91) 758-1437", "917581437", ""},
	{"plus 34", "+34 917 581 437", "917581437", ""},
	{"0034 mobile", "0034 664 594 921", "664594921", ""},
	{"plus 34 in parentheses", "(+34) 664594921", "664594921", ""},
	{"non-breaking space", "664\u00a0595\u00a0902", "664595902", ""},
	{"free phone", "900 123 456", "900123456", ""},
	{"municipal 010", "010", "010", ""},
	{"short spaced", "0 1 6", "016", ""},
	{"french mobile", "+33 6 12 34 56 78", "+33612345678", ""},
	{"french with 00", "0033612345678", "+33612345678", ""},
	{"usa", "+1 (212) 555-0100", "+12125550100", ""},
	{"ecuador", "+593 99 123 4567", "+593991234567", ""},
	{"morocco", "00212 612 345 678", "+212612345678", ""},
	{"empty", "", "", ""},
	{"blank", "   ", "", ""},
	{"too short", "12345", "", "El teléfono 12345 no es válido: un número español tiene 9 cifras y empieza por 6, 7, 8 o 9."},
	{"starts with 5", "512345678", "", "empieza por 6, 7, 8 o 9."},
	{"eight digits", "91758143", "", "9 cifras"},
	{"spanish prefix without plus", "34917581437", "", "9 cifras"},
	{"bad number after 34", "+34 12345678", "", "prefijo 34"},
	{"international too short", "+33 1234", "", "de 8 a 15 cifras"},
	{"international too long", "+1234567890123456", "", "demasiadas cifras para un número de Estados Unidos"},
	{"international far too long", "+12345678901234567", "", "de 8 a 15 cifras"},
	// The trunk 0 British, French or Italian numbers are written with.
	{"uk trunk zero in parentheses", "+44 (0)20 7946 0958", "+442079460958", ""},
	{"uk trunk zero", "0044 020 7946 0958", "+442079460958", ""},
	{"uk without trunk zero", "+44 20 7946 0958", "+442079460958", ""},
	// Lengths per country, ranges for Spain (libphonenumber's metadata).
	{"french too short", "+33 6 12 34 5", "", "faltan cifras para un número de Francia"},
	{"uk too short", "+44 20 7946", "", "faltan cifras para un número de Reino Unido"},
	{"no such country code", "+999 12345678", "", "no es el prefijo de ningún país"},
	{"spanish range not assigned", "890 12 34 56", "", "numeración asignada en España"},
	{"spanish 75 not assigned", "+34 750 123 456", "", "numeración asignada en España"},
	// Pasted from Word or a PDF: full-width digits, Unicode dashes.
	{"full-width digits", "６６４５９４９２１", "664594921", ""},
	{"en dashes", "917–58–14–37", "917581437", ""},
	{"non-breaking hyphens", "+44\u201120\u20117946\u20110958", "+442079460958", ""},
	{"country code zero", "+0 123456789", "", "no empieza por 0"},
	{"extension", "917 58 14 37 ext 2", "", "solo puede tener cifras"},
	{"plus inside", "91+7581437", "", "solo puede ir al principio"},
	{"two pluses", "++34917581437", "", "solo puede ir al principio"},
	{"emergency 112", "112", "", "9 cifras"},
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range phoneCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizePhone(tc.in)
			wantErr(t, err, tc.wantErr)
			if got != tc.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatPhone(t *testing.T) {
	for _, tc := range []struct{ name, stored, want string }{
		{"landline", "917581437", "917 581 437"},
		{"mobile", "664594921", "664 594 921"},
		{"france", "+33612345678", "+33 612345678"},
		{"usa", "+12125550100", "+1 2125550100"},
		{"ecuador", "+593991234567", "+593 991234567"},
		{"morocco", "+212612345678", "+212 612345678"},
		{"unknown code", "+99912345678", "+99912345678"},
		{"short", "010", "010"},
		{"empty", "", ""},
		{"not normalised", "91 758", "91 758"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FormatPhone(tc.stored)
			if got != tc.want {
				t.Errorf("FormatPhone(%q) = %q, want %q", tc.stored, got, tc.want)
			}
			if back, err := NormalizePhone(got); err == nil && tc.stored != "" && back != tc.stored {
				t.Errorf("NormalizePhone(%q) = %q, want %q", got, back, tc.stored)
			}
		})
	}
}

func TestCheckEmail(t *testing.T) {
	for _, tc := range []struct{ name, in, wantErr string }{
		{"plain", "ana.lopez@madrid.es", ""},
		{"subdomain and tag", "a+tag@sub.example.com", ""},
		{"hyphen in domain", "info@omiopi-norte.org", ""},
		{"empty", "", "Falta la dirección"},
		{"space", "ana lopez@madrid.es", "espacios"},
		{"display name", "Ana <ana@madrid.es>", "espacios"},
		{"angle brackets", "<ana@madrid.es>", "nombre@dominio.es"},
		{"no at", "ana.madrid.es", "le falta la @"},
		{"two ats", "ana@@madrid.es", "no es válida"},
		{"no dot in domain", "ana@madrid", "dominio como gmail.com"},
		{"empty label", "ana@madrid..es", "no es válida"},
		{"trailing dot", "ana@madrid.es.", "no es válida"},
		{"one-letter tld", "ana@madrid.e", "dominio como gmail.com"},
		{"ip literal", "ana@[10.0.0.1]", "no es válida"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, CheckEmail(tc.in), tc.wantErr) })
	}
}

func TestITLevel(t *testing.T) {
	for n, want := range map[int]string{-1: "", 0: "Ninguno", 1: "Básico", 2: "Medio", 3: "Avanzado", 4: ""} {
		if got := ITLevelLabel(n); got != want {
			t.Errorf("ITLevelLabel(%d) = %q, want %q", n, got, want)
		}
		if err := CheckITLevel(n); (err == nil) != (want != "") {
			t.Errorf("CheckITLevel(%d) = %v", n, err)
		}
	}
}

// wantErr fails t unless err is nil and want is "", or err's message
// contains want and reads as a sentence.
func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case err == nil && want == "":
	case err == nil:
		t.Errorf("no error, want one containing %q", want)
	case want == "":
		t.Errorf("unexpected error: %v", err)
	case !strings.Contains(err.Error(), want):
		t.Errorf("error %q does not contain %q", err, want)
	default:
		checkSentence(t, err)
	}
}

// checkSentence fails t unless err's message starts with a capital letter
// and ends with a period, as the UI shows it as it is.
func checkSentence(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	first, _ := utf8.DecodeRuneInString(msg)
	if !unicode.IsUpper(first) || !strings.HasSuffix(msg, ".") {
		t.Errorf("message %q is not a sentence", msg)
	}
}

func FuzzCheckDocument(f *testing.F) {
	for _, tc := range docCases {
		f.Add(string(tc.kind), tc.number)
	}
	f.Fuzz(func(t *testing.T, kind, number string) {
		norm := NormalizeDocNumber(number)
		if again := NormalizeDocNumber(norm); again != norm {
			t.Fatalf("NormalizeDocNumber not idempotent: %q → %q → %q", number, norm, again)
		}
		for _, k := range append([]DocKind{DocKind(kind), ""}, DocKinds...) {
			err := CheckDocument(k, number)
			if err != nil {
				checkSentence(t, err)
				continue
			}
			if err := CheckDocument(k, norm); err != nil {
				t.Fatalf("CheckDocument(%q, %q) ok but normalised %q: %v", k, number, norm, err)
			}
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, tc := range phoneCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizePhone(in)
		if err != nil {
			checkSentence(t, err)
			return
		}
		if again, err := NormalizePhone(got); err != nil || again != got {
			t.Fatalf("NormalizePhone(%q) = %q, again = %q, %v", in, got, again, err)
		}
		shown := FormatPhone(got)
		if back, err := NormalizePhone(shown); err != nil || back != got {
			t.Fatalf("NormalizePhone(FormatPhone(%q)) = %q, %v", got, back, err)
		}
		if got == "" && strings.TrimSpace(in) != "" {
			t.Fatalf("NormalizePhone(%q) = \"\" without error", in)
		}
	})
}

// TestLocalHost: plain http:// is allowed to this computer only, by the
// names a URL's Hostname gives for it.
func TestLocalHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "::1": true,
		"nube.example.org": false, "192.168.1.10": false, "localhost.example.org": false, "": false,
	} {
		if got := LocalHost(host); got != want {
			t.Errorf("LocalHost(%q) = %v, want %v", host, got, want)
		}
	}
}
