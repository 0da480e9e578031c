package reports_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

func TestSubjectReport(t *testing.T) {
	s := docStore(t)
	p, r, rem := docCase(t, s)
	if _, err := s.AddAttachment(p.ID, "curriculum-2026.pdf", strings.NewReader("%PDF-1.4 cv"), "CV actualizado"); err != nil {
		t.Fatal(err)
	}
	if err := s.LogExport("datos de la persona", p.ID, "Prueba de exportación"); err != nil {
		t.Fatal(err)
	}
	d, err := s.SubjectData(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("spanish", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error { return reports.SubjectReport(w, d, docOptions(t, s, reports.Spanish)) })
		mustContain(t, text, "Datos personales (derecho de acceso)", p.FullName()+" · Todo lo que Enlace guarda sobre esta persona el",
			"Datos personales", p.DocNumber, data.FormatPhone(p.Phone1), p.Address, p.Observations, p.Disability,
			"Consentimiento", "Historial", "Derivaciones", r.CriterionText, "Recordatorios", rem.Text,
			"Documentos adjuntos", "curriculum-2026.pdf", "CV actualizado", "Programa RI",
			"Registro de cambios", "Prueba de exportación", "Exportación", "Página 1 de")
	})
	t.Run("english", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error { return reports.SubjectReport(w, d, docOptions(t, s, reports.English)) })
		mustContain(t, text, "Personal data (right of access)", p.FullName()+" · Everything Enlace holds on this person", "Consent", "Timeline",
			"Referrals", "Reminders", "Attachments", "RI programme", "Audit trail", "Page 1 of")
		mustNotContain(t, text, "Registro de cambios", "Documentos adjuntos")
	})
	t.Run("metadata", func(t *testing.T) {
		info := pdfInfo(t, func(w io.Writer) error { return reports.SubjectReport(w, d, docOptions(t, s, reports.Spanish)) })
		if info["Title"] != "Datos personales (derecho de acceso)" || info["Author"] != "Elena Robles Fuentes" {
			t.Errorf("Title %q, Author %q; want the kind of document and who made it", info["Title"], info["Author"])
		}
		for _, part := range append(strings.Fields(p.FirstName), strings.Fields(p.LastName)...) {
			if len([]rune(part)) < 4 { // "de", "del", "la" are in any title
				continue
			}
			if strings.Contains(info["Title"], part) || strings.Contains(info["Subject"], part) {
				t.Errorf("the PDF's Title %q or Subject %q names the person (%q)", info["Title"], info["Subject"], part)
			}
		}
	})
}

// pdfInfo makes a document with write and returns its metadata as
// pdfinfo reads it: "Title", "Author"…
func pdfInfo(t *testing.T, write func(w io.Writer) error) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdfinfo not found: install poppler-utils (make test-deps)")
		}
		t.Skip("pdfinfo not found: install poppler-utils (make test-deps)")
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}
