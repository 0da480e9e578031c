package reports_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// accented is a person whose fields carry what a careless export breaks:
// accents and ñ, a ';' and quotes inside a field, a line break, and
// text a spreadsheet would run as a formula.
var accented = data.Person{
	FirstName: "José Ángel", LastName: "Núñez Peña", Gender: data.GenderMan,
	BirthDate: data.Date{Year: 1990, Month: time.March, Day: 7}, Nationality: "PE",
	DocKind: data.DocPassport, DocNumber: "PE998877", Regular: true,
	Phone1: "+51 987 654 321", Email: "jose@example.org", EducationLevel: "Secundaria obligatoria (ESO)",
	Observations: "Habla quechua; dice \"vendrá\" el martes\nsegunda línea",
	Interests:    "=HYPERLINK(\"http://example.com\")",
}

func pilotWithAccented(t *testing.T) *data.Store {
	t.Helper()
	s := newPilotStore(t)
	p := accented
	if err := s.CreatePerson(&p, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	return s
}

// readCSV checks the byte-order mark and parses what ExportX wrote.
func readCSV(t *testing.T, raw []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("the CSV does not start with the UTF-8 byte-order mark: %q", raw[:min(len(raw), 16)])
	}
	r := csv.NewReader(bytes.NewReader(raw[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read back: %v", err)
	}
	return rows
}

// byHeader returns row's value in the column titled name.
func byHeader(t *testing.T, header, row []string, name string) string {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, header)
	}
	return row[i]
}

// findRow returns the first row whose column col is value.
func findRow(t *testing.T, rows [][]string, col, value string) []string {
	t.Helper()
	for _, r := range rows[1:] {
		if byHeader(t, rows[0], r, col) == value {
			return r
		}
	}
	t.Fatalf("no row with %s = %q", col, value)
	return nil
}

func TestExportPeopleCSV(t *testing.T) {
	s := pilotWithAccented(t)
	var buf bytes.Buffer
	n, err := reports.ExportPeople(&buf, s, reports.CSV)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if n != 37 || len(rows) != 38 {
		t.Fatalf("wrote %d people, %d rows with the header; want 37 and 38", n, len(rows))
	}
	h := rows[0]
	row := findRow(t, rows, "Apellidos", "Núñez Peña")
	tests := []struct{ col, want string }{
		{"Nombre", "José Ángel"},
		{"Género", "hombre"},
		{"Fecha de nacimiento", "07/03/1990"},
		{"Nacionalidad", "Perú"},
		{"Código de país", "PE"},
		{"Tipo de documento", data.DocPassport.Label()},
		{"Situación regular", "Sí"},
		{"Estudios homologados", "No"},
		{"Nivel de estudios", "Secundaria obligatoria (ESO)"},
		{"Observaciones", "Habla quechua; dice \"vendrá\" el martes\nsegunda línea"},
		{"Intereses", "'=HYPERLINK(\"http://example.com\")"},
		{"Teléfono 1", "+51 987654321"},
	}
	for _, tc := range tests {
		t.Run(tc.col, func(t *testing.T) {
			if got := byHeader(t, h, row, tc.col); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.col, got, tc.want)
			}
		})
	}
	if got := byHeader(t, h, row, "Teléfono 1"); strings.HasPrefix(got, "'") {
		t.Errorf("a phone number was taken for a formula: %q", got)
	}
}

func TestExportReferralsCSV(t *testing.T) {
	s := newPilotStore(t)
	var buf bytes.Buffer
	n, err := reports.ExportReferrals(&buf, s, reports.Period{}, reports.CSV)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if n != 36 || len(rows) != 37 {
		t.Fatalf("wrote %d referrals, %d rows; want 36 and 37", n, len(rows))
	}
	h := rows[0]
	// Rows are in date order: row i+1 is referral i of the pilot fixture.
	first, third := rows[1], rows[3]
	tests := []struct {
		name string
		row  []string
		col  string
		want string
	}{
		{"date", first, "Fecha de derivación", "19/09/2022"},
		{"direction", first, "Sentido", "AE → OMIOPI"},
		{"state", first, "Estado", "Excluida"},
		{"reason", first, "Motivo de exclusión", "Tiene DNI español"},
		{"decision", first, "Fecha de decisión", "21/09/2022"},
		{"nationality", first, "Nacionalidad", "Venezuela"},
		{"age", first, "Edad", "22"},
		{"first contact", first, "Primer contacto", "19/09/2022"},
		{"profile", first, "Perfil", "1–2 años de experiencia en España con estudios superiores"},
		{"closed", third, "Estado", "Cerrada"},
		{"areas", third, "Áreas", "Empleo"},
		{"outcome", third, "Resultado", "Inserción laboral"},
		{"closing date", third, "Fecha de cierre", "23/09/2022"},
		{"no exclusion", third, "Motivo de exclusión", ""},
		{"criterion", third, "Situación habilitante", mustCriterion(t, s, "ae-arraigo")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := byHeader(t, h, tc.row, tc.col); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.col, got, tc.want)
			}
		})
	}
	var peru int
	for _, r := range rows[1:] {
		if byHeader(t, h, r, "Nacionalidad") == "Perú" {
			peru++
		}
	}
	if peru != 10 {
		t.Errorf("%d rows of Perú, want 10", peru)
	}
}

func mustCriterion(t *testing.T, s *data.Store, id string) string {
	t.Helper()
	c, err := s.Criterion(id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Text
}

func TestExportXLSX(t *testing.T) {
	s := pilotWithAccented(t)
	tests := []struct {
		name    string
		export  func(*bytes.Buffer) (int, error)
		sheet   string
		rows    int
		checks  map[string]string // cell → formatted value
		numeric []string          // cells that must be numbers (dates), not text
	}{
		{"people", func(b *bytes.Buffer) (int, error) { return reports.ExportPeople(b, s, reports.XLSX) },
			"Personas", 37, map[string]string{"A1": "Nombre", "C1": "Género", "A38": "José Ángel", "B38": "Núñez Peña",
				"D38": "07/03/1990", "E38": "Perú", "L38": "Sí", "AG38": "=HYPERLINK(\"http://example.com\")"},
			[]string{"D38"}},
		{"referrals", func(b *bytes.Buffer) (int, error) {
			return reports.ExportReferrals(b, s, reports.Period{}, reports.XLSX)
		},
			"Derivaciones", 36, map[string]string{"A1": "Fecha de derivación", "A2": "19/09/2022", "B2": "AE → OMIOPI",
				"G2": "Venezuela", "P2": "Excluida", "R2": "Tiene DNI español", "S4": "Empleo", "T4": "Inserción laboral",
				"G14": "Perú", "I2": "22"},
			[]string{"A2", "Q2", "I2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := tc.export(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.rows {
				t.Errorf("wrote %d rows, want %d", n, tc.rows)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatalf("excelize cannot open the workbook: %v", err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, []string{tc.sheet}) {
				t.Errorf("sheets = %q, want [%q]", got, tc.sheet)
			}
			rows, err := f.GetRows(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows+1 {
				t.Errorf("%d rows in the sheet, want %d", len(rows), tc.rows+1)
			}
			for cell, want := range tc.checks {
				got, err := f.GetCellValue(tc.sheet, cell)
				if err != nil || got != want {
					t.Errorf("%s = %q (%v), want %q", cell, got, err, want)
				}
			}
			for _, cell := range tc.numeric {
				if typ, err := f.GetCellType(tc.sheet, cell); err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
					t.Errorf("%s is of type %v (%v), want a number", cell, typ, err)
				}
				if formula, _ := f.GetCellFormula(tc.sheet, cell); formula != "" {
					t.Errorf("%s holds a formula %q", cell, formula)
				}
			}
			if formula, _ := f.GetCellFormula(tc.sheet, "AG38"); formula != "" {
				t.Errorf("text typed in a form became the formula %q", formula)
			}
			tables, err := f.GetTables(tc.sheet)
			if err != nil || len(tables) != 1 {
				t.Errorf("tables = %+v (%v), want one table with filters", tables, err)
			}
		})
	}
}

func TestExportReferralsPeriod(t *testing.T) {
	s := newPilotStore(t)
	var buf bytes.Buffer
	oct := func(d int) data.Date { return data.Date{Year: 2022, Month: time.October, Day: d} }
	n, err := reports.ExportReferrals(&buf, s, reports.Period{From: oct(1), To: oct(10)}, reports.CSV)
	if err != nil || n != 10 {
		t.Fatalf("exported %d referrals (%v), want 10", n, err)
	}
	rows := readCSV(t, buf.Bytes())
	if got := byHeader(t, rows[0], rows[1], "Fecha de derivación"); got != "01/10/2022" {
		t.Errorf("first row dated %s, want 01/10/2022", got)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want reports.Format
		ok   bool
	}{
		{"csv", reports.CSV, true}, {"XLSX", reports.XLSX, true}, {".xlsx", reports.XLSX, true},
		{" csv ", reports.CSV, true}, {"xls", "", false}, {"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := reports.ParseFormat(tc.in)
			if got != tc.want || (err == nil) != tc.ok {
				t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
			}
		})
	}
}
