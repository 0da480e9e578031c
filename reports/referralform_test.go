package reports_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
	"github.com/enlace-madrid/enlace/reports"
)

// TestReferralForm: the blank form of each office shows its labels, the
// office and the enabling situations of its direction as stored (the
// leaflet's), and nothing of the other direction.
func TestReferralForm(t *testing.T) {
	s := docStore(t)
	tests := []struct {
		office  string
		lang    reports.Lang
		want    []string
		notWant []string
	}{
		{"AZ Tetuán", reports.Spanish, []string{
			"Formulario de derivación", "AZ Tetuán", "Derivaciones AE → OMIOPI", "Quién deriva",
			"Técnico/a que deriva *", "Correo electrónico del técnico/a *", "Persona derivada",
			"Nombre *", "Apellidos *", "Tipo de documento", "Número de documento *", "Fecha de nacimiento",
			"Nacionalidad", "Teléfono", "Correo electrónico", "Dirección completa y código postal", "Distrito",
			"Situación habilitante *", "reagrupación familiar", "«carta blanca» con NIE",
			"Consentimiento", "consiente que sus datos se compartan", "Observaciones", "Página 1 de",
		}, []string{"Personas con menos de 6 meses en España"}},
		{"Oficina Norte", reports.English, []string{
			"Referral form", "Oficina Norte", "Who refers", "Referring staff member *", "First name *",
			"Surnames *", "Document number *", "Enabling situation *", "Consent",
			// Criteria are data: their wording prints as stored.
			"Personas con menos de 6 meses en España",
		}, []string{"reagrupación familiar"}},
	}
	for _, tt := range tests {
		t.Run(tt.office+"/"+string(tt.lang), func(t *testing.T) {
			o := docOffice(t, s, tt.office)
			var pdf bytes.Buffer
			text := render(t, "", func(w io.Writer) error {
				return reports.ReferralForm(io.MultiWriter(w, &pdf), s, o.ID, docOptions(t, s, tt.lang))
			})
			mustContain(t, text, tt.want...)
			mustNotContain(t, text, tt.notWant...)
			if n := pages(text); n > 2 {
				t.Errorf("the form has %d pages, want one or two", n)
			}
			if dir := os.Getenv("ENLACE_KEEP_PDF"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, "form-"+string(tt.lang)+".pdf"), pdf.Bytes(), 0o600)
			}
			// The blank form reads back as Enlace's, with its office.
			f, err := acroform.Read(pdf.Bytes(), "blank.pdf", docNow)
			if err != nil {
				t.Fatal(err)
			}
			if f.Values[acroform.FieldOfficeID] != o.ID || f.Values[acroform.FieldOffice] != o.Name {
				t.Errorf("office fields %q, %q; want %q, %q", f.Values[acroform.FieldOfficeID], f.Values[acroform.FieldOffice], o.ID, o.Name)
			}
			dir, _ := data.DirectionFrom(o.Org)
			crit, err := s.Criteria(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range crit {
				if _, ok := f.Values[acroform.CriterionField(c.ID)]; ok != c.Active {
					t.Errorf("criterion %s (active %v): checkbox present %v", c.ID, c.Active, ok)
				}
			}
		})
	}
}
