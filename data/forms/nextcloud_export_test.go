package forms

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// The exports of the Forms app of Nextcloud, written as
// lib/Service/SubmissionService.php writes them (PhpSpreadsheet: a UTF-8
// byte-order mark, every value quoted, the header translated to the
// exporter's language, ISO 8601 timestamps in the exporter's time zone,
// a leading ' before a value starting with =, +, - or @ in the CSV, typed
// cells in the XLSX) for the same two answers.
func TestNextcloudExports(t *testing.T) {
	for _, name := range []string{"formularios_es.csv", "formularios_de.csv", "formularios_en.csv", "formularios.xlsx"} {
		t.Run(name, func(t *testing.T) {
			in, err := os.Open(filepath.Join("testdata", "nextcloud", name))
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var f *File
			if filepath.Ext(name) == ".xlsx" {
				f, err = ReadXLSX(in)
			} else {
				f, err = Read(in)
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Rows) != 2 {
				t.Fatalf("%d rows", len(f.Rows))
			}
			for _, c := range f.Columns[:3] {
				if c.Kind != Account && c.Kind != Timestamp {
					t.Errorf("column «%s» read as %v", c.Header, c.Kind)
				}
			}
			s := openStore(t)
			plan, err := Check(s, f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := plan.Import(s, "Coordinadora de prueba", false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 2 || res.NewPeople != 2 {
				t.Fatalf("%s", res.Summary())
			}
			maria, jorge := f.Rows[0], f.Rows[1]
			// 10:23:45 in Madrid whether exported from Madrid, Berlin or New York.
			if want := time.Date(2025, 12, 4, 10, 23, 45, 0, time.UTC); !maria.When.Equal(want) {
				t.Errorf("timestamp %v, want %v", maria.When, want)
			}
			p := maria.Person
			if p.Phone1 != "+34612345678" && p.Phone1 != "612345678" {
				t.Errorf("phone %q: the leading ' was not removed", p.Phone1)
			}
			if p.Languages != "- Inglés B2\n- Francés A1" {
				t.Errorf("languages %q", p.Languages)
			}
			if p.DocKind != data.DocNIE || p.DocNumber != "X1234567L" {
				t.Errorf("person %+v", p)
			}
			for _, r := range f.Rows {
				if r.Person.Observations != "" {
					t.Errorf("the account columns went into the observations: %q", r.Person.Observations)
				}
			}
			if jorge.Person.Phone1 == "" || jorge.Person.Phone1[0] == '\'' {
				t.Errorf("phone %q", jorge.Person.Phone1)
			}
		})
	}
}

// The same answers exported as CSV in two languages and as XLSX are the
// same rows: importing one after the other creates nobody twice.
func TestNextcloudExportsAreTheSameRows(t *testing.T) {
	s := openStore(t)
	if _, res, err := importFile(t, s, "nextcloud/formularios_es.csv", false); err != nil || res.Rows != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	if _, res, err := importFile(t, s, "nextcloud/formularios_en.csv", false); err != nil || res.Rows != 0 || res.Skipped != 2 {
		t.Fatalf("English export after the Spanish one: %v %s", err, res.Summary())
	}
}
