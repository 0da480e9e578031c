package forms

import (
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// documentCases are question 7 as people type it; they also seed
// FuzzParseDocument.
var documentCases = []struct {
	in     string
	want   Document
	err    string // substring of the error; "" for none
	review bool
}{
	{"NIE X1234567L caducidad 12/05/2024", Document{data.DocNIE, "X1234567L", data.Date{Year: 2024, Month: 5, Day: 12}}, "", false},
	{"Pasaporte AB123456, caduca 01/01/2027", Document{data.DocPassport, "AB123456", data.Date{Year: 2027, Month: 1, Day: 1}}, "", false},
	{"DNI 12345678Z", Document{data.DocDNI, "12345678Z", data.Date{}}, "", false},
	{"dni: 12.345.678-z", Document{data.DocDNI, "12345678Z", data.Date{}}, "", false},
	{"NIE: X-1234567-L, cad. 12-05-2024", Document{data.DocNIE, "X1234567L", data.Date{Year: 2024, Month: 5, Day: 12}}, "", false},
	{"nie x 1234567 l vigente hasta 1/2/26", Document{data.DocNIE, "X1234567L", data.Date{Year: 2026, Month: 2, Day: 1}}, "", false},
	{"TIE Y1234567X hasta 03/2025", Document{data.DocTIE, "Y1234567X", data.Date{Year: 2025, Month: 3, Day: 31}}, "", false},
	{"Tarjeta de residencia Z1234567R, expedida 01/02/2020, caduca 01/02/2025", Document{data.DocTIE, "Z1234567R", data.Date{Year: 2025, Month: 2, Day: 1}}, "", false},
	{"Solicitante de asilo (tarjeta roja) Y1234567X 2025-06-30", Document{data.DocAsylum, "Y1234567X", data.Date{Year: 2025, Month: 6, Day: 30}}, "", false},
	{"Tarjeta de estudiante X1234567L", Document{data.DocStudent, "X1234567L", data.Date{}}, "", false},
	{"X1234567L", Document{data.DocNIE, "X1234567L", data.Date{}}, "", false},
	{"12345678Z 01/01/2030", Document{data.DocDNI, "12345678Z", data.Date{Year: 2030, Month: 1, Day: 1}}, "", false},
	{"PASAPORTE VENEZOLANO Nº 123456789 VENCE 15/08/2028", Document{data.DocPassport, "123456789", data.Date{Year: 2028, Month: 8, Day: 15}}, "", false},
	{"Pasaporte AB 123456 y NIE X1234567L", Document{data.DocNIE, "X1234567L", data.Date{}}, "", true},
	{"NIE X1234567A caducidad 12/05/2024", Document{}, "La letra del NIE no es correcta: debería ser L.", false},
	{"DNI 12345678A", Document{}, "La letra del DNI no es correcta: debería ser Z.", false},
	{"DNI X1234567L", Document{}, "parece un NIE", false},
	{"NIE X1234567L caducidad 31/02/2024", Document{}, "tiene un día que no existe", false},
	{"Solicitante de asilo", Document{}, "", true},
	{"Pasaporte", Document{}, "", true},
	{"No tiene", Document{}, "", true},
	{"en trámite", Document{}, "", true},
	{"AB123456", Document{}, "", true},
	{"NIE X1234567L en renovación", Document{data.DocNIE, "X1234567L", data.Date{}}, "", true},
	// Pasted from Word or a PDF: Unicode dashes, full-width letters and digits.
	{"NIE Y\u20117227117\u2011W", Document{data.DocNIE, "Y7227117W", data.Date{}}, "", false},
	{"NIE Y–7227117–W cad. 12–05–2027", Document{data.DocNIE, "Y7227117W", data.Date{Year: 2027, Month: 5, Day: 12}}, "", false},
	{"NIE Ｙ７２２７１１７Ｗ", Document{data.DocNIE, "Y7227117W", data.Date{}}, "", false},
	{"DNI １２３４５６７８Ｚ", Document{data.DocDNI, "12345678Z", data.Date{}}, "", false},
	{"", Document{}, "", false},
}

func TestParseDocument(t *testing.T) {
	for _, tc := range documentCases {
		t.Run(tc.in, func(t *testing.T) {
			got, review, err := ParseDocument(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseDocument(%q) error = %v, want one containing %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDocument(%q) error = %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseDocument(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			if (review != "") != tc.review {
				t.Errorf("ParseDocument(%q) review = %q, want review: %v", tc.in, review, tc.review)
			}
		})
	}
}

// referrerCases are question 18 as people type it; they also seed
// FuzzParseReferrer.
var referrerCases = []struct {
	in     string
	want   Referrer
	review int // how many review messages
}{
	{"Laura Martín, AE, laura.martin@madrid.es, AZ Tetuán",
		Referrer{"Laura Martín", data.OrgAE, "AZ Tetuán", "laura.martin@madrid.es", data.RoleTechnician}, 0},
	{"Pedro Sanz (OMIOPI Oficina Norte) psanz@oficinainmigracion.info",
		Referrer{"Pedro Sanz", data.OrgOMIOPI, "Oficina Norte", "psanz@oficinainmigracion.info", data.RoleTechnician}, 0},
	{"MARTA CABRERA - Agencia para el Empleo - Agencia de Zona Latina - CabreraGM@Madrid.es",
		Referrer{"Marta Cabrera", data.OrgAE, "AZ Latina", "cabreragm@madrid.es", data.RoleTechnician}, 0},
	{"Nuria Calvo; Oficina Sur; ncalvo@oficinainmigracion.info",
		Referrer{"Nuria Calvo", data.OrgOMIOPI, "Oficina Sur", "ncalvo@oficinainmigracion.info", data.RoleTechnician}, 0},
	{"Técnica de empleo Sara Gil, Agencia para el Empleo (AZ Puente de Vallecas) sgil@madrid.es",
		Referrer{"Sara Gil", data.OrgAE, "AZ Puente de Vallecas", "sgil@madrid.es", data.RoleTechnician}, 0},
	{"Nombre: Raúl Iglesias. Organismo: AE. Correo: iglesiasmr@madrid.es. Oficina: AZ Tetuán. Técnico de enlace",
		Referrer{"Raúl Iglesias", data.OrgAE, "AZ Tetuán", "iglesiasmr@madrid.es", data.RoleLiaison}, 0},
	{"Andrés Molina Ruiz amolina@oficinainmigracion.info",
		Referrer{"Andrés Molina Ruiz", data.OrgOMIOPI, "", "amolina@oficinainmigracion.info", data.RoleTechnician}, 0},
	{"Pilar Domínguez, jefa de sección, AE",
		Referrer{"Pilar Domínguez", data.OrgAE, "", "", data.RoleSectionHead}, 2},
	{"José Ramírez, jramirez@gmail.com",
		Referrer{"José Ramírez", "", "", "jramirez@gmail.com", data.RoleTechnician}, 0},
	{"oficina norte", Referrer{"", data.OrgOMIOPI, "Oficina Norte", "", data.RoleTechnician}, 2},
	{"", Referrer{Role: data.RoleTechnician}, 2},
}

func TestParseReferrer(t *testing.T) {
	for _, tc := range referrerCases {
		t.Run(tc.in, func(t *testing.T) {
			got, review := ParseReferrer(tc.in, nil)
			if got != tc.want {
				t.Errorf("ParseReferrer(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			if len(review) != tc.review {
				t.Errorf("ParseReferrer(%q) review = %q, want %d messages", tc.in, review, tc.review)
			}
		})
	}
}

// TestParseReferrerKnownOffices: a stored office's name is found even with
// no separator after it, in either form of an AZ's name.
func TestParseReferrerKnownOffices(t *testing.T) {
	known := []data.Office{
		{Name: "Agencia de Zona Tetuán", Org: data.OrgAE},
		{Name: "Oficina Norte", Org: data.OrgOMIOPI},
	}
	cases := []struct {
		in   string
		want Referrer
	}{
		{"AZ Tetuán Laura Martín laura@madrid.es", Referrer{"Laura Martín", data.OrgAE, "Agencia de Zona Tetuán", "laura@madrid.es", data.RoleTechnician}},
		{"laura@madrid.es Laura Martín agencia de zona tetuan", Referrer{"Laura Martín", data.OrgAE, "Agencia de Zona Tetuán", "laura@madrid.es", data.RoleTechnician}},
		{"Oficina Norte Pedro Sanz psanz@oficinainmigracion.info", Referrer{"Pedro Sanz", data.OrgOMIOPI, "Oficina Norte", "psanz@oficinainmigracion.info", data.RoleTechnician}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, review := ParseReferrer(tc.in, known)
			if got != tc.want || len(review) != 0 {
				t.Errorf("ParseReferrer(%q) = %+v %q, want %+v and no review", tc.in, got, review, tc.want)
			}
		})
	}
}

// nationalityCases seed FuzzFreeText too.
var nationalityCases = []struct {
	in, code, origin string
	review           bool
}{
	{"venezolana", "VE", "", false},
	{"PERU", "PE", "", false},
	{"Peruano", "PE", "", false},
	{"hondureña", "HN", "", false},
	{"HONDUREÑA", "HN", "", false},
	{"Colombia", "CO", "", false},
	{"marroquí", "MA", "", false},
	{"ucraniano", "UA", "", false},
	{"El Salvador", "SV", "", false},
	{"salvadoreña", "SV", "", false},
	{"Venezuela (Caracas)", "VE", "Venezuela (Caracas)", false},
	{"nacionalidad colombiana, procedente de Perú", "CO", "nacionalidad colombiana, procedente de Perú", false},
	{"Centroamérica", "", "Centroamérica", true},
	{"", "", "", false},
}

func TestParseNationality(t *testing.T) {
	for _, tc := range nationalityCases {
		t.Run(tc.in, func(t *testing.T) {
			code, origin, review := ParseNationality(tc.in)
			if code != tc.code || origin != tc.origin || (review != "") != tc.review {
				t.Errorf("ParseNationality(%q) = %q, %q, %q; want %q, %q, review %v", tc.in, code, origin, review, tc.code, tc.origin, tc.review)
			}
		})
	}
}

// nameCases seed FuzzFreeText too.
var nameCases = []struct{ in, first, last string }{
	{"MARÍA JOSÉ PÉREZ GARCÍA", "María José", "Pérez García"},
	{"Juan Pérez García", "Juan", "Pérez García"},
	{"Ana López", "Ana", "López"},
	{"Oleksandr", "Oleksandr", ""},
	{"LUIS GÓMEZ DE LA CRUZ", "Luis", "Gómez de la Cruz"},
	{"MARÍA DE LOS ÁNGELES PÉREZ GARCÍA", "María de los Ángeles", "Pérez García"},
	{"José Luis Martínez de la Rosa", "José Luis", "Martínez de la Rosa"},
	{"PÉREZ GARCÍA, MARÍA JOSÉ", "María José", "Pérez García"},
	{"  ana   lucía  flores ", "ana", "lucía flores"},
	{"", "", ""},
}

func TestSplitName(t *testing.T) {
	for _, tc := range nameCases {
		t.Run(tc.in, func(t *testing.T) {
			first, last := SplitName(tc.in)
			if first != tc.first || last != tc.last {
				t.Errorf("SplitName(%q) = %q, %q; want %q, %q", tc.in, first, last, tc.first, tc.last)
			}
		})
	}
}

// phoneCases seed FuzzFreeText too.
var phoneCases = []struct {
	in, p1, p2 string
	review     bool
}{
	{"612 345 678 / 913456789", "612345678", "913456789", false},
	{"612345678 - 913456789 (casa)", "612345678", "913456789", false},
	{"612345678 913456789", "612345678", "913456789", false},
	{"+58 412 1234567", "+584121234567", "", false},
	{"91 758 14 37", "917581437", "", false},
	{"0034 664 594 921, 664594921", "664594921", "", false},
	{"612345678, 622345678, 632345678", "612345678", "622345678", true},
	{"12345", "", "", true},
	{"no tiene", "", "", false},
	{"", "", "", false},
}

func TestParsePhones(t *testing.T) {
	for _, tc := range phoneCases {
		t.Run(tc.in, func(t *testing.T) {
			p1, p2, review := ParsePhones(tc.in)
			if p1 != tc.p1 || p2 != tc.p2 || (review != "") != tc.review {
				t.Errorf("ParsePhones(%q) = %q, %q, %q; want %q, %q, review %v", tc.in, p1, p2, review, tc.p1, tc.p2, tc.review)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
		err  string
	}{
		{"15/09/2022 10:23:45", time.Date(2022, 9, 15, 10, 23, 45, 0, time.UTC), ""},
		{"5/9/2022 9:05:00", time.Date(2022, 9, 5, 9, 5, 0, 0, time.UTC), ""},
		{"15/09/2022 10:23", time.Date(2022, 9, 15, 10, 23, 0, 0, time.UTC), ""},
		{"15/09/2022", time.Date(2022, 9, 15, 0, 0, 0, 0, time.UTC), ""},
		{"2022-09-15 10:23:45", time.Date(2022, 9, 15, 10, 23, 45, 0, time.UTC), ""},
		// Google Forms' "Descargar respuestas (.csv)": year first, 12-hour
		// clock, the form owner's offset (here Madrid's summer time).
		{"2022/09/15 10:23:45 a. m. GMT+2", time.Date(2022, 9, 15, 10, 23, 45, 0, time.UTC), ""},
		{"2022/09/15 10:23:45\u00a0p.\u00a0m. GMT+2", time.Date(2022, 9, 15, 22, 23, 45, 0, time.UTC), ""},
		{"2022/09/15 12:05:00 a. m. GMT+2", time.Date(2022, 9, 15, 0, 5, 0, 0, time.UTC), ""},
		{"2022/09/15 12:05:00 p. m. GMT+2", time.Date(2022, 9, 15, 12, 5, 0, 0, time.UTC), ""},
		{"2022/01/15 9:00:00 AM GMT+1", time.Date(2022, 1, 15, 9, 0, 0, 0, time.UTC), ""},
		// An owner in another zone: moved to Madrid's wall time.
		{"2022/09/15 10:23:45 a. m. GMT-3", time.Date(2022, 9, 15, 15, 23, 45, 0, time.UTC), ""},
		{"2022/09/15 11:30:00 p. m. GMT", time.Date(2022, 9, 16, 1, 30, 0, 0, time.UTC), ""},
		// LibreOffice in a Spanish locale: two-digit year.
		{"15/09/22 10:23", time.Date(2022, 9, 15, 10, 23, 0, 0, time.UTC), ""},
		{"5/1/23", time.Date(2023, 1, 5, 0, 0, 0, 0, time.UTC), ""},
		// ISO 8601 as Nextcloud Forms exports it, in the exporter's zone.
		{"2022-09-15T10:23:45+02:00", time.Date(2022, 9, 15, 10, 23, 45, 0, time.UTC), ""},
		{"2022-09-15T08:23:45Z", time.Date(2022, 9, 15, 10, 23, 45, 0, time.UTC), ""},
		{"2022-01-15T10:23:45+00:00", time.Date(2022, 1, 15, 11, 23, 45, 0, time.UTC), ""},
		{"2022-09-15T10:23", time.Date(2022, 9, 15, 10, 23, 0, 0, time.UTC), ""},
		{"15-09-2022 10:23", time.Date(2022, 9, 15, 10, 23, 0, 0, time.UTC), ""},
		{"2022/09/15 13:23:45 p. m. GMT+2", time.Time{}, "hora"},
		{"2022/09/15 10:23:45 GMT+25", time.Time{}, "zona horaria"},
		{"31/02/2022 10:00:00", time.Time{}, "no existe"},
		{"15/09/2022 25:00:00", time.Time{}, "hora"},
		{"ayer", time.Time{}, "formato"},
		{"", time.Time{}, "Falta la marca temporal"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTimestamp(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseTimestamp(%q) error = %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseSmallFields(t *testing.T) {
	t.Run("gender", func(t *testing.T) {
		for in, want := range map[string]data.Gender{"Mujer": data.GenderWoman, "FEMENINO": data.GenderWoman,
			"varón": data.GenderMan, "H": data.GenderMan, "No binario": data.GenderNonBinary, "": "",
			"1 - Mujer": data.GenderWoman, "2 – Hombre": data.GenderMan} {
			if got, ok := ParseGender(in); !ok || got != want {
				t.Errorf("ParseGender(%q) = %q, %v; want %q", in, got, ok, want)
			}
		}
		if _, ok := ParseGender("prefiere explicarlo"); ok {
			t.Error("ParseGender(unknown text) ok, want false")
		}
	})
	t.Run("IT", func(t *testing.T) {
		for in, want := range map[string]int{"Ninguno": 0, "básico": 1, "MEDIO": 2, "Intermedio, Word y Excel": 2, "avanzado": 3, "3": 3,
			// as option lists number them (the pilot asked for a level 0)
			"0 - Ninguno": 0, "1 - Básico": 1, "2 – Medio": 2, "3 — Avanzado": 3, "2. Intermedio": 2, "1) básico": 1,
			"0 - Nulo": 0, "２ - Medio": 2, "3 - Experto en ofimática": 3, "2 - Regular": 2} {
			if got, ok := ParseITLevel(in); !ok || got != want {
				t.Errorf("ParseITLevel(%q) = %d, %v; want %d", in, got, ok, want)
			}
		}
		for _, in := range []string{"sabe usar el móvil", "7 - Máximo", "15"} {
			if got, ok := ParseITLevel(in); ok {
				t.Errorf("ParseITLevel(%q) = %d, ok; want not understood", in, got)
			}
		}
	})
	t.Run("education", func(t *testing.T) {
		cases := []struct {
			in, level string
			hom, ok   bool
		}{
			{"Universitarios (homologado)", "Universitarios", true, true},
			{"Licenciatura sin homologar", "Universitarios", false, true},
			{"FP Grado Medio", "FP Grado Medio", false, true},
			{"Bachillerato homologado", "Bachillerato", true, true},
			{"ESO", "Secundaria obligatoria (ESO)", false, true},
			{"No", "", false, true},
			{"Ninguno", "", false, true},
			{"Curso de cocina", "", false, false},
			{"4 - Bachillerato", "Bachillerato", false, true},
			{"6 – Universitarios homologados", "Universitarios", true, true},
		}
		for _, tc := range cases {
			level, hom, ok := ParseEducationLevel(tc.in)
			if level != tc.level || hom != tc.hom || ok != tc.ok {
				t.Errorf("ParseEducationLevel(%q) = %q, %v, %v; want %q, %v, %v", tc.in, level, hom, ok, tc.level, tc.hom, tc.ok)
			}
		}
	})
	t.Run("driving licence", func(t *testing.T) {
		for in, want := range map[string]string{"No": "", "Sí, B": "B", "si B y C1": "B, C1", "Sí": "Sí",
			"B+E": "BE", "Sí, B venezolano sin homologar": "Sí, B venezolano sin homologar", "": ""} {
			if got := ParseDrivingLicence(in); got != want {
				t.Errorf("ParseDrivingLicence(%q) = %q, want %q", in, got, want)
			}
		}
	})
}

func TestColumnLabel(t *testing.T) {
	for in, want := range map[string]string{
		"7. Tipo de Documento, número y fecha de caducidad": "Tipo de Documento…",
		"Informática.":                 "Informática",
		"16. Nacionalidad-procedencia": "Nacionalidad-procedencia",
		"18. Persona que rellena este formulario. Nombre, organismo y correo electrónico. [Si eres de la AE indica de qué oficina].": "Persona que rellena este formulario…",
		"Marca temporal": "Marca temporal",
	} {
		if got := (Column{Header: in}).Label(); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchColumn(t *testing.T) {
	cases := []struct {
		header string
		kind   Kind
		q      int
	}{
		{"Marca temporal", Timestamp, 0},
		{"MARCA TEMPORAL", Timestamp, 0},
		{"1. Nombre", Question, 1},
		{"NOMBRE", Question, 1},
		{"7. Tipo de Documento, número y fecha de caducidad", Question, 7},
		{"tipo de documento numero y fecha de caducidad", Question, 7},
		{"7) Tipo de documento", Question, 7},
		{"Tipo de documento", Question, 7},
		{"10 - Telefono (dos telefonos para poder contactar)", Question, 10},
		{"Teléfono", Question, 10},
		{"13. Dirección", Question, 13},
		{"Dirección", Unknown, 0}, // 4 or 13: ambiguous without its number
		{"16. Nacionalidad - procedencia", Question, 16},
		{"NACIONALIDAD-PROCEDENCIA", Question, 16},
		{"Persona que rellena este formulario", Question, 18},
		{"18. Persona que rellena este formulario. Nombre, organismo y correo electrónico. [Si eres de la AE indica de qué oficina].", Question, 18},
		{"Informática", Question, 20},
		{"21", Question, 21},
		{"Género", Gender, 0},
		{"Fecha de nacimiento", BirthDate, 0},
		{"Comentario interno", Unknown, 0},
		{"2020", Unknown, 0},
		{"", Unknown, 0},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			c := matchColumn(tc.header)
			if c.Kind != tc.kind || c.Question != tc.q {
				t.Errorf("matchColumn(%q) = kind %d question %d, want kind %d question %d", tc.header, c.Kind, c.Question, tc.kind, tc.q)
			}
		})
	}
}
