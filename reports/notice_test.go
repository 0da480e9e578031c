package reports_test

import (
	"errors"
	"io"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

func isInvalid(err error) bool  { return errors.Is(err, data.ErrInvalid) }
func isNotFound(err error) bool { return errors.Is(err, data.ErrNotFound) }

func TestNotice(t *testing.T) {
	s := docStore(t)
	tests := []struct {
		office, title string
		want, not     []string
	}{
		{"AZ Tetuán", "Información para profesionales de la Agencia para el Empleo", []string{
			"Fin del programa: fase de evaluación", "comienza la fase de evaluación",
			"han sido gestionadas y han recibido la atención correspondiente",
			"Oficina Norte", "917 581 437", "Oficina Sur", "664 595 902",
			"https://oficinamunicipalinmigracion.es/", "Madrid, 25 de noviembre de 2026",
		}, []string{"Para pedir cita en la Agencia para el Empleo"}},
		{"Oficina Sur", "Información para profesionales de las OMIOPI", []string{
			"Para pedir cita en la Agencia para el Empleo:", "Agencia para el Empleo — cita previa",
			"010 · 915 298 210", "https://www.madrid.es",
		}, []string{"917 581 437"}},
	}
	for _, tt := range tests {
		t.Run(tt.office, func(t *testing.T) {
			o := docOffice(t, s, tt.office)
			text := render(t, "", func(w io.Writer) error {
				return reports.Notice(w, s, o.ID, docOptions(t, s, reports.Spanish))
			})
			mustContain(t, text, append(tt.want, tt.title)...)
			mustNotContain(t, text, tt.not...)
		})
	}
}
