package reports_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/enlace-madrid/enlace/reports"
)

// zipEntry reads name from the XLSX in raw, as unzip would.
func zipEntry(t *testing.T, raw []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open(name)
	if err != nil {
		t.Fatalf("the workbook has no %s: %v", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestXLSXDimensionAndProperties: the sheet declares its real used range
// (readers in streaming mode trust it), and the document says Enlace made
// it now, not excelize's author and a 2006 date.
func TestXLSXDimensionAndProperties(t *testing.T) {
	s := pilotWithAccented(t)
	var buf bytes.Buffer
	n, err := reports.ExportPeople(&buf, s, reports.XLSX)
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Personas")
	f.Close()
	if err != nil || len(rows) != n+1 {
		t.Fatalf("%d rows read back (%v), want %d", len(rows), err, n+1)
	}
	last, _ := excelize.CoordinatesToCellName(len(rows[0]), n+1)

	sheet := zipEntry(t, raw, "xl/worksheets/sheet1.xml")
	m := regexp.MustCompile(`<dimension ref="([^"]+)"`).FindStringSubmatch(sheet)
	if m == nil || m[1] != "A1:"+last {
		t.Errorf("sheet dimension = %v, want A1:%s", m, last)
	}

	core := zipEntry(t, raw, "docProps/core.xml")
	for _, want := range []string{"<dc:creator>Enlace</dc:creator>", "lastModifiedBy>Enlace</", "<dc:title>Personas</dc:title>"} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %s:\n%s", want, core)
		}
	}
	for _, tag := range []string{"created", "modified"} {
		m := regexp.MustCompile(`<dcterms:` + tag + `[^>]*>([^<]+)<`).FindStringSubmatch(core)
		if m == nil {
			t.Errorf("core.xml has no %s date:\n%s", tag, core)
			continue
		}
		when, err := time.Parse(time.RFC3339, m[1])
		if err != nil || time.Since(when) > time.Hour || time.Since(when) < -time.Minute {
			t.Errorf("core.xml %s = %q (%v), want now", tag, m[1], err)
		}
	}
	if strings.Contains(core, "xuri") || strings.Contains(core, "2006-") {
		t.Errorf("core.xml keeps excelize's defaults:\n%s", core)
	}
}
