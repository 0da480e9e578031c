package forms

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// The files in testdata hold the same seven answers (every free-text form
// of the issue: NIE, passport, DNI, TIE with month/year expiry, a name in
// capitals, demonyms in any case, referrers of both organisations):
//
//	google.csv      Google Forms: UTF-8, commas, CRLF, numbered headers
//	excel_bom.csv   Excel "CSV UTF-8": BOM, semicolons, headers without
//	                numbers in mixed case, plus Género, Fecha de nacimiento
//	                and a column Enlace does not know
//	excel_1252.csv  Excel "CSV" on a Spanish Windows: the same in Windows-1252
//	invalid.csv     four invalid rows and a valid one
//
// Quoted cells hold commas, doubled quotes and line breaks (CRLF in one,
// LF in another).

func readFile(t testing.TB, name string) *File {
	t.Helper()
	in, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	f, err := Read(in)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return f
}

func TestReadEncodingsAndDelimiters(t *testing.T) {
	cases := []struct {
		file  string
		enc   Encoding
		delim rune
		extra bool // has Género, Fecha de nacimiento and an unknown column
	}{
		{"google.csv", UTF8, ',', false},
		{"excel_bom.csv", UTF8BOM, ';', true},
		{"excel_1252.csv", Windows1252, ';', true},
	}
	google := readFile(t, "google.csv")
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f := readFile(t, tc.file)
			if f.Encoding != tc.enc || f.Delimiter != tc.delim {
				t.Errorf("encoding %q delimiter %q, want %q %q", f.Encoding, f.Delimiter, tc.enc, tc.delim)
			}
			var lines []int
			for _, r := range f.Rows {
				lines = append(lines, r.Line)
			}
			if want := []int{2, 4, 5, 6, 8, 9, 10}; !equalInts(lines, want) {
				t.Fatalf("row lines = %v, want %v (rows 1 and 4 span two lines)", lines, want)
			}
			m := f.Rows[0].Person
			if m.FirstName != "María José" || m.LastName != "Pérez García" || m.DocNumber != "X1234567L" ||
				m.Nationality != "VE" || m.Phone2 != "913456789" {
				t.Errorf("first row = %+v", m)
			}
			if want := "Busca trabajo \"de lo suyo\", con urgencia;\nprefiere mañanas."; !strings.HasPrefix(m.Observations, want) {
				t.Errorf("observations = %q, want them to start with %q", m.Observations, want)
			}
			if m.Education != "Licenciada en Administración de Empresas, Universidad Central de Venezuela" {
				t.Errorf("education = %q: the quoted comma was lost", m.Education)
			}
			for i := range f.Rows {
				g, p := google.Rows[i].Person, f.Rows[i].Person
				g.Gender, g.BirthDate, g.Observations, p.Gender, p.BirthDate, p.Observations = "", data.Date{}, "", "", data.Date{}, ""
				if !reflect.DeepEqual(g, p) {
					t.Errorf("row %d differs from google.csv:\n%+v\n%+v", i, p, g)
				}
			}
			if !tc.extra {
				return
			}
			jorge := f.Rows[1].Person
			if jorge.Gender != data.GenderMan || jorge.BirthDate != (data.Date{Year: 1985, Month: 7, Day: 2}) {
				t.Errorf("Jorge's gender and birth date = %q %v", jorge.Gender, jorge.BirthDate)
			}
			if !strings.Contains(jorge.Observations, "Comentario interno: Viene de Cáritas") {
				t.Errorf("unknown column lost: observations %q", jorge.Observations)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// csvText renders rows (the header first) with delim and line ending nl.
func csvText(rows [][]string, delim rune, nl string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = delim, nl == "\r\n"
	_ = w.WriteAll(rows)
	return b.String()
}

// minimalHeader is the three columns an export cannot do without.
var minimalHeader = []string{"Marca temporal", "Nombre", "Persona que rellena este formulario", "Nacionalidad-procedencia"}

func TestReadVariants(t *testing.T) {
	rows := [][]string{
		minimalHeader,
		{"15/09/2022 10:00:00", "ANA LÓPEZ", "Pedro Sanz, OMIOPI, psanz@oficinainmigracion.info", "PERU"},
		{"", "", "", ""},
		{"16/09/2022 10:00:00", "Luis Gil", "Laura Martín, AE, AZ Tetuán, laura@madrid.es", "venezolano", "extra"},
	}
	for _, tc := range []struct {
		name, nl string
		delim    rune
	}{{"LF commas", "\n", ','}, {"CRLF semicolons", "\r\n", ';'}, {"tabs", "\n", '\t'}} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(csvText(rows, tc.delim, tc.nl)))
			if err != nil {
				t.Fatal(err)
			}
			if f.Delimiter != tc.delim || len(f.Rows) != 2 {
				t.Fatalf("delimiter %q, %d rows; want %q and 2 (the blank row skipped)", f.Delimiter, len(f.Rows), tc.delim)
			}
			if p := f.Rows[0].Person; p.FirstName != "Ana" || p.LastName != "López" || p.Nationality != "PE" {
				t.Errorf("row 1 = %+v", p)
			}
			if r := f.Rows[1]; r.Line != 4 || !strings.Contains(r.Person.Observations, "Columna 5: extra") {
				t.Errorf("row 2: line %d, observations %q", r.Line, r.Person.Observations)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "vacío"},
		{"no referrer column", "Marca temporal,Nombre\r\n15/09/2022,Ana\r\n", "Falta la columna «18. Persona que rellena este formulario…»"},
		{"not the form", "a,b,c\n1,2,3\n", "Falta la columna «Marca temporal»"},
		{"UTF-16", "\xff\xfeM\x00", "UTF-16"},
		{"broken quotes", "Marca temporal,Nombre,Persona que rellena este formulario\n15/09/2022,\"Ana\"x,AE\n", "Línea 2: hay unas comillas"},
		{"same question twice", "Marca temporal,1. Nombre,Nombre,18\n", "son la misma pregunta"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in))
			var ve *data.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v, want a *data.ValidationError containing %q", err, tc.want)
			}
		})
	}
}

// TestWriteRejectedUntouched: the rejected rows' file holds the header and
// rows byte for byte as in the input, in its encoding.
func TestWriteRejectedUntouched(t *testing.T) {
	for _, name := range []string{"google.csv", "excel_bom.csv", "excel_1252.csv", "invalid.csv"} {
		t.Run(name, func(t *testing.T) {
			orig, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			f := readFile(t, name)
			all := make([]int, len(f.Rows))
			for i := range all {
				all[i] = i
			}
			var out bytes.Buffer
			if err := f.WriteRejected(&out, all); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), orig) {
				t.Fatalf("all rows written back differ from the file:\n%q\n%q", out.Bytes(), orig)
			}
			out.Reset()
			if err := f.WriteRejected(&out, []int{1, 3}); err != nil {
				t.Fatal(err)
			}
			back, err := Read(&out)
			if err != nil {
				t.Fatal(err)
			}
			if back.Encoding != f.Encoding || len(back.Rows) != 2 || back.Rows[0].Hash != f.Rows[1].Hash || back.Rows[1].Hash != f.Rows[3].Hash {
				t.Errorf("rows 1 and 3 read back: encoding %q, %d rows", back.Encoding, len(back.Rows))
			}
		})
	}
}

// TestSummaryOneRow: a summary of one row speaks in the singular,
// «Se importaría 1 fila», «1 fila ya estaba importada», as a
// coordinator reads it (it said «Se importarían 1 fila … ya estaba
// importadas»).
func TestSummaryOneRow(t *testing.T) {
	r := Result{Rows: 1, NewPeople: 1, Referrals: 1, Skipped: 1}
	for got, want := range map[string][]string{
		r.DrySummary(): {"Se importaría 1 fila: 1 persona nueva", "1 fila ya estaba importada antes"},
		r.Summary():    {"Importada 1 fila: 1 persona nueva", "1 fila ya estaba importada antes"},
	} {
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("summary %q, want %q in it", got, w)
			}
		}
	}
	if got := (Result{Rows: 2, Skipped: 2}).Summary(); !strings.Contains(got, "Importadas 2 filas") || !strings.Contains(got, "2 filas ya estaban importadas antes") {
		t.Errorf("summary of two rows %q", got)
	}
}
