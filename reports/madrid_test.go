package reports_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// onUTCMachine makes the process's zone UTC, as on many PCs, for the test.
func onUTCMachine(t *testing.T) {
	t.Helper()
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
}

// TestPDFShowsMadridTime: on a PC set to UTC, a PDF's "Generado el … a
// las …" is Madrid's time (and day), not the PC's.
func TestPDFShowsMadridTime(t *testing.T) {
	onUTCMachine(t)
	now := time.Date(2026, 7, 15, 22, 30, 0, 0, time.UTC) // 00:30 on the 16th in Madrid (CEST)
	text := render(t, "", func(w io.Writer) error {
		doc := reports.NewDocument(reports.Options{Author: "Elena Robles Fuentes", Now: now}, reports.Info{Title: "Prueba"})
		doc.Paragraph("Texto.")
		return doc.Write(w)
	})
	if !strings.Contains(text, "Generado el 16/07/2026 a las 00:30") {
		t.Errorf("the PDF does not show Madrid's time (16/07/2026 00:30):\n%s", text)
	}
	if strings.Contains(text, "22:30") {
		t.Errorf("the PDF shows the PC's UTC time:\n%s", text)
	}
}

// TestExportShowsMadridTime: on a PC set to UTC, the people export's
// "Alta" is Madrid's time, in the CSV and in the XLSX.
func TestExportShowsMadridTime(t *testing.T) {
	onUTCMachine(t)
	s := pilotWithAccented(t)
	var created time.Time
	if err := s.EachPerson(func(p *data.Person) error {
		if p.DocNumber == accented.DocNumber {
			created = p.CreatedAt
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if created.IsZero() {
		t.Fatal("the person has no creation time")
	}
	want := created.In(data.Madrid()).Format("02/01/2006 15:04")
	utc := created.UTC().Format("02/01/2006 15:04")
	if want == utc {
		t.Fatal("Madrid and UTC agree: the test cannot tell them apart")
	}

	var buf bytes.Buffer
	if _, err := reports.ExportPeople(&buf, s, reports.CSV); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	row := findRow(t, rows, "Número de documento", accented.DocNumber)
	if got := byHeader(t, rows[0], row, "Alta"); got != want {
		t.Errorf("CSV Alta = %q, want Madrid's %q (UTC would be %q)", got, want, utc)
	}

	buf.Reset()
	if _, err := reports.ExportPeople(&buf, s, reports.XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, err := f.GetRows("Personas")
	if err != nil {
		t.Fatal(err)
	}
	xrow := findRow(t, xrows, "Número de documento", accented.DocNumber)
	if got := byHeader(t, xrows[0], xrow, "Alta"); got != want {
		t.Errorf("XLSX Alta = %q, want Madrid's %q (UTC would be %q)", got, want, utc)
	}
}
