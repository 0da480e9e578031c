package reports_test

import (
	"io"
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
		mustContain(t, text, "Datos personales de "+p.FullName()+" (derecho de acceso)",
			"Datos personales", p.DocNumber, data.FormatPhone(p.Phone1), p.Address, p.Observations, p.Disability,
			"Consentimiento", "Historial", "Derivaciones", r.CriterionText, "Recordatorios", rem.Text,
			"Documentos adjuntos", "curriculum-2026.pdf", "CV actualizado", "Programa RI",
			"Registro de cambios", "Prueba de exportación", "Exportación", "Página 1 de")
	})
	t.Run("english", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error { return reports.SubjectReport(w, d, docOptions(t, s, reports.English)) })
		mustContain(t, text, "Personal data of "+p.FullName()+" (right of access)", "Consent", "Timeline",
			"Referrals", "Reminders", "Attachments", "RI programme", "Audit trail", "Page 1 of")
		mustNotContain(t, text, "Registro de cambios", "Documentos adjuntos")
	})
}
