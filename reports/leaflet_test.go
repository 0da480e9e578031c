package reports_test

import (
	"io"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

func TestLeaflet(t *testing.T) {
	s := docStore(t)
	tests := []struct {
		office string
		lang   reports.Lang
		want   []string
	}{
		{"Oficina Norte", reports.Spanish, []string{
			"Folleto informativo para profesionales", "Oficina Norte", "Situaciones habilitantes",
			"Personas que estén en itinerario y hayan cumplido las 5 intervenciones en las Oficinas.",
			"Personas con menos de 6 meses en España, para facilitar su acceso a un primer empleo.",
			"Todas las personas tienen que estar en situación administrativa regular.",
			"Cómo derivar", "Para pedir cita en la Agencia para el Empleo:",
			"Agencia para el Empleo — cita previa", "915 298 210",
			"Elena Robles Fuentes", "Técnico/a de enlace de Oficina Norte", "Lucía Herrero Campos",
			"Página 1 de", "Generado el 25/11/2026 a las 10:00 por Elena Robles Fuentes",
		}},
		{"AZ Tetuán", reports.Spanish, []string{
			"AZ Tetuán", "Derivaciones AE → OMIOPI", "Situaciones habilitantes",
			"«carta blanca» con NIE", "reagrupación familiar", "ATLAS", "jefe/a de sección", "«Sí» o «No»",
			"Oficina Norte", "917 581 437 · 664 594 921", "Oficina Sur", "914 625 480",
			"oficinainmigracion@madrid.es", "Raúl Iglesias Marín",
		}},
		{"Oficina Sur", reports.English, []string{
			"Information leaflet for professionals", "Enabling situations", "How to refer",
			"Everyone must be in a regular administrative situation.",
			// Criteria are data: their wording prints as stored.
			"Personas con menos de 6 meses en España",
			"Page 1 of", "Generated on 25/11/2026 at 10:00 by Elena Robles Fuentes",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.office+"/"+string(tt.lang), func(t *testing.T) {
			o := docOffice(t, s, tt.office)
			text := render(t, "", func(w io.Writer) error {
				return reports.Leaflet(w, s, o.ID, docOptions(t, s, tt.lang))
			})
			mustContain(t, text, tt.want...)
			if n := pages(text); n > 2 {
				t.Errorf("the leaflet has %d pages, want one or two", n)
			}
		})
	}
	t.Run("direction", func(t *testing.T) {
		o := docOffice(t, s, "Oficina Norte")
		text := render(t, "", func(w io.Writer) error {
			return reports.Leaflet(w, s, o.ID, docOptions(t, s, reports.Spanish))
		})
		// An OMIOPI leaflet lists the OMIOPI → AE situations only.
		mustNotContain(t, text, "reagrupación familiar", "arraigo")
	})
}

// pages counts the pages pdftotext found (it ends each with a form feed).
func pages(text string) int {
	n := 0
	for _, r := range text {
		if r == '\f' {
			n++
		}
	}
	return n
}

// TestLeafletFollowsCriteria: the leaflet reads the stored criteria, so a
// change made for the referral form shows in the next leaflet, and a
// retired criterion disappears.
func TestLeafletFollowsCriteria(t *testing.T) {
	s := docStore(t)
	o := docOffice(t, s, "AZ Tetuán")
	c, err := s.Criterion("ae-reagrupacion")
	if err != nil {
		t.Fatal(err)
	}
	c.Text = "Personas interesadas en la reagrupación familiar de su cónyuge o de sus hijos e hijas menores de 18 años."
	if err := s.SaveCriterion(&c, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	retired, err := s.Criterion("ae-certificado-ue")
	if err != nil {
		t.Fatal(err)
	}
	retired.Active = false
	if err := s.SaveCriterion(&retired, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	added := data.Criterion{Direction: data.FromAE, Active: true, Text: "Personas solicitantes de protección internacional con autorización para trabajar (más de 6 meses)."}
	if err := s.SaveCriterion(&added, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	text := render(t, "", func(w io.Writer) error {
		return reports.Leaflet(w, s, o.ID, docOptions(t, s, reports.Spanish))
	})
	mustContain(t, text, c.Text, added.Text)
	mustNotContain(t, text, "buscan mayores ingresos", "certificado de registro de ciudadano de la UE")
}

func TestLeafletErrors(t *testing.T) {
	s := docStore(t)
	other := data.Office{Name: "Servicios Sociales Tetuán", Org: data.OrgOther}
	if err := s.SaveOffice(&other, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	opt := docOptions(t, s, reports.Spanish)
	for _, f := range []func(io.Writer, *data.Store, string, reports.Options) error{reports.Leaflet, reports.Notice} {
		if err := f(io.Discard, s, other.ID, opt); !isInvalid(err) {
			t.Errorf("a document for an office of another organisation: err = %v, want a validation error", err)
		}
		if err := f(io.Discard, s, "no-existe", opt); !isNotFound(err) {
			t.Errorf("a document for an unknown office: err = %v, want ErrNotFound", err)
		}
	}
}
