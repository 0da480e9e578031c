package reports

import (
	"regexp"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// redactCases are notes as staff type them and what the version for the
// other service shows of them. They seed FuzzRedact too.
var redactCases = []struct {
	name, in, want string
}{
	{"NIE with dashes", "La madre tiene NIE Y-7227117-W.", "La madre tiene NIE [omitido]."},
	{"NIE together", "NIE del hermano X1234567L, caducado", "NIE del hermano [omitido], caducado"},
	{"NIE lower case", "nie z-1234567-r y x1234567l", "nie [omitido] y [omitido]"},
	{"NIE with a space before the letter", "NIE Y 7227117 W hoy", "NIE [omitido] hoy"},
	{"NIE lower case with spaces", "nie x 1234567 l de la tía", "nie [omitido] de la tía"},
	{"NIE with a dash and a space", "y-1234567 z caducado", "[omitido] caducado"},
	{"NIE in groups in lower case", "z 123 45 67 r.", "[omitido]."},
	{"NIE then the word y", "NIE x 1234567 y el pasaporte", "NIE [omitido] y el pasaporte"},
	{"NIE then y and a phone", "x 1234567 y 612345678", "[omitido] y [omitido]"},
	{"NIE whose letter is Y", "nie x 1234577 y", "nie [omitido]"},
	{"DNI", "DNI de la empleadora: 12345678Z", "DNI de la empleadora: [omitido]"},
	{"DNI lower case", "dni 12345678z.", "dni [omitido]."},
	{"DNI with country and dots", "Aporta ES-12.345.678-Z del cónyuge", "Aporta [omitido] del cónyuge"},
	{"DNI with dots", "su pareja, 12.345.678-Z, firma", "su pareja, [omitido], firma"},
	{"passport", "Pasaporte PAB123456 en vigor", "Pasaporte [omitido] en vigor"},
	{"passport two letters", "pasaporte ab1234567", "pasaporte [omitido]"},
	{"mobile with prefix", "Llamar al +34 612 34 56 78 por la tarde", "Llamar al [omitido] por la tarde"},
	{"mobile together", "móvil 612345678 y fijo", "móvil [omitido] y fijo"},
	{"landline in groups", "Oficina: 91 123 45 67.", "Oficina: [omitido]."},
	{"phone with dashes", "Tel. 612-34-56-78", "Tel. [omitido]"},
	{"phone with dots", "tel 612.34.56.78", "tel [omitido]"},
	{"phone with parentheses", "Llamó desde el (91) 123 45 67", "Llamó desde el [omitido]"},
	{"international with parentheses", "su hijo: +34 (91) 123-45-67", "su hijo: [omitido]"},
	{"foreign phone", "En Colombia: +57 300 123 4567", "En Colombia: [omitido]"},
	{"seven digits", "extensión 1234567", "extensión [omitido]"},
	{"e-mail", "Escribir a Juan.Perez-2@correo.example.es para la cita", "Escribir a [omitido] para la cita"},
	{"e-mail with digits", "empresa: rrhh123456@obra.com.", "empresa: [omitido]."},
	{"IBAN in groups", "Cuenta ES91 2100 0418 4502 0005 1332 para la ayuda", "Cuenta [omitido] para la ayuda"},
	{"IBAN together", "IBAN ES9121000418450200051332.", "IBAN [omitido]."},
	{"IBAN lower case", "iban es91 2100 0418 4502 0005 1332", "iban [omitido]"},
	{"amount with cents", "Debe 1.234.567,89 € a la empresa", "Debe [omitido] € a la empresa"},
	{"amount together with cents", "herencia de 1234567,50€", "herencia de [omitido]€"},
	{"amount with commas", "Deuda: 1,234,567 €", "Deuda: [omitido] €"},
	{"amount with commas and cents", "12,345,678.00 USD", "[omitido] USD"},
	{"amount with apostrophes", "CHF 1'234'567", "CHF [omitido]"},
	{"amount in spaced groups with cents", "1 234 567,5 €", "[omitido] €"},
	{"several", "NIE X1234567L, tel 612345678, correo a@b.es", "NIE [omitido], tel [omitido], correo [omitido]"},

	{"date with slashes", "Cita el 15/09/2022 a las 10:30", "Cita el 15/09/2022 a las 10:30"},
	{"ISO date", "Desde 2022-09-15 hasta 2023-01-31", "Desde 2022-09-15 hasta 2023-01-31"},
	{"date with dots then a number", "el 15.09.2022 3 hijos", "el 15.09.2022 3 hijos"},
	{"date with dashes", "renovación 15-09-2022", "renovación 15-09-2022"},
	{"short year", "cita 1/2/23 y 10:00-11:30", "cita 1/2/23 y 10:00-11:30"},
	{"date beside a phone", "el 15/09/2022 612345678", "el 15/09/2022 [omitido]"},
	{"ordinary numbers", "Tiene 3 hijos y 2 años en España; cobra 480 euros", "Tiene 3 hijos y 2 años en España; cobra 480 euros"},
	{"postal code and street number", "C/ Alcalá 123, 28009 Madrid, 2º B", "C/ Alcalá 123, 28009 Madrid, 2º B"},
	{"six digits", "ATLAS 123456", "ATLAS 123456"},
	{"ordinary amounts", "Cobra 1.234,56 € y debe 12,50 €; 950.000 € de hipoteca", "Cobra 1.234,56 € y debe 12,50 €; 950.000 € de hipoteca"},
	{"times and counters", "Sesión 3 de 12, op 123456, 10:30:45 a 11:15; lote 12/345", "Sesión 3 de 12, op 123456, 10:30:45 a 11:15; lote 12/345"},
	{"list of numbers and years", "hijos de 3, 5 y 7 años; 2019,2020,2021; 3,4,5,6,7,8,9", "hijos de 3, 5 y 7 años; 2019,2020,2021; 3,4,5,6,7,8,9"},
	{"date and time", "2022-09-15 10:30:00 y 15/09/2022, 9:05", "2022-09-15 10:30:00 y 15/09/2022, 9:05"},
	{"short word with digits", "Curso B2, nivel A1, entrada E0000", "Curso B2, nivel A1, entrada E0000"},
	{"not a date: phone in dots", "612.12.05.2022", "[omitido]"},
}

func TestRedactorCleansNotes(t *testing.T) {
	r := newRedactor(&data.Person{}, "[omitido]")
	for _, c := range redactCases {
		t.Run(c.name, func(t *testing.T) {
			if got := r.clean(c.in); got != c.want {
				t.Errorf("clean(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestRedactorCleansThePersonsValues(t *testing.T) {
	p := &data.Person{DocNumber: "X9876543R", Phone1: "600111222", Address: "Calle Mayor 5"}
	r := newRedactor(p, "[omitido]")
	in := "Vive en calle mayor 5; teléfono 600 11 12 22; NIE x-9876543-r"
	if got, want := r.clean(in), "Vive en [omitido]; teléfono [omitido]; NIE [omitido]"; got != want {
		t.Errorf("clean(%q) = %q, want %q", in, got, want)
	}
	var none *redactor
	if got := none.clean(in); got != in {
		t.Errorf("a nil redactor changed %q to %q", in, got)
	}
}

// FuzzRedact checks that whatever staff type, the cleaned text keeps no
// run of seven digits (a phone or a document number).
func FuzzRedact(f *testing.F) {
	for _, c := range redactCases {
		f.Add(c.in)
	}
	r := newRedactor(&data.Person{}, "[omitido]")
	seven := regexp.MustCompile(`\d{7}`)
	f.Fuzz(func(t *testing.T, s string) {
		out := r.clean(s)
		if seven.MatchString(out) {
			t.Errorf("clean(%q) = %q keeps seven digits in a row", s, out)
		}
	})
}
