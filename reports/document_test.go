package reports_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/reports"
)

// docLogo draws a w×h logo as PNG (with transparency) or JPEG.
func docLogo(t *testing.T, w, h int, asJPEG bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.NRGBA{uint8(200 * x / w), 0x30, 0x60, uint8(255 - 100*y/h)})
		}
	}
	var buf bytes.Buffer
	var err error
	if asJPEG {
		err = jpeg.Encode(&buf, img, nil)
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDocumentBlocks builds a document the way the statistics report
// does (figures, a table with totals, bar charts with targets) in a style
// with three logos, a light primary colour and a footer.
func TestDocumentBlocks(t *testing.T) {
	style := reports.Style{
		Programme: "CONNECTION – Comunidad de Aprendizaje 3",
		Logos: []reports.Logo{
			{Name: "madrid.png", Data: docLogo(t, 240, 80, false)},
			{Name: "agencia.jpg", Data: docLogo(t, 120, 120, true)},
			{Name: "ue.png", Data: docLogo(t, 300, 60, false)},
		},
		Primary: reports.Color{R: 0xFF, G: 0xC0, B: 0x20},
		Footer:  "Cofinanciado por el Fondo de Asilo, Migración e Integración (FAMI) de la Unión Europea",
	}
	if err := style.Validate(); err != nil {
		t.Fatal(err)
	}
	opt := reports.Options{Style: style, Author: "Elena Robles Fuentes", Now: docNow}
	nationalities := []reports.Bar{{Label: "Venezuela", Value: 11}, {Label: "Perú", Value: 10}, {Label: "Colombia", Value: 4},
		{Label: "Honduras", Value: 3}, {Label: "Bolivia", Value: 2}, {Label: "Ucrania", Value: 1}, {Label: "Marruecos", Value: 1}}
	text := render(t, "", func(w io.Writer) error {
		doc := reports.NewDocument(opt, reports.Info{Title: "Estadísticas del programa", Subtitle: "Del 19/09/2022 al 30/11/2022"})
		doc.Figures([]reports.Figure{{Value: "36", Label: "derivaciones"}, {Value: "31", Label: "en el programa"}, {Value: "72 %", Label: "del objetivo (50)"}})
		doc.Heading("Derivaciones por sentido")
		doc.Table(reports.Table{
			Columns: []reports.Column{{Title: "Sentido", Width: 3}, {Title: "Derivaciones", Width: 1, Align: reports.AlignRight}},
			Rows:    [][]string{{"OMIOPI → AE", "22"}, {"AE → OMIOPI", "14"}, {"Excluidas (tienen DNI)", "−5"}},
			Total:   []string{"En el programa", "31"},
		})
		doc.Heading("Por nacionalidad")
		doc.BarChart(reports.BarChart{Title: "Personas derivadas por nacionalidad", Bars: nationalities})
		doc.Heading("Objetivo y resultado por perfil")
		doc.BarChart(reports.BarChart{Bars: []reports.Bar{
			{Label: "1–2 años de experiencia en España con estudios superiores", Value: 9, Target: 7},
			{Label: "Acceso al primer empleo", Value: 3, Target: 7},
			{Label: "Otros", Value: 5, Target: 5},
		}, Format: func(v float64) string { return fmt.Sprintf("%.0f", v) }})
		doc.Paragraph("Texto con ¿signos? ¡de apertura!, 5 € por hora, 1.º y 2.ª, «comillas» y un emoji 🙂 que no rompe nada.")
		return doc.Write(w)
	})
	mustContain(t, text, "Estadísticas del programa", "CONNECTION – Comunidad de Aprendizaje 3", "OMIOPI → AE", "En el programa 31",
		"Venezuela", "Perú", "Objetivo", "Resultado", "Cofinanciado por el Fondo de Asilo, Migración e Integración (FAMI)",
		"¿signos? ¡de apertura!, 5 € por hora, 1.º y 2.ª, «comillas»", "Página 1 de")
	mustNotContain(t, text, "Documento con datos personales")
}

// TestDocumentIsDeterministic: with a fixed clock, the same data gives
// the same bytes.
func TestDocumentIsDeterministic(t *testing.T) {
	s := docStore(t)
	o := docOffice(t, s, "Oficina Sur")
	var a, b bytes.Buffer
	opt := docOptions(t, s, reports.Spanish)
	if err := reports.Leaflet(&a, s, o.ID, opt); err != nil {
		t.Fatal(err)
	}
	if err := reports.Leaflet(&b, s, o.ID, opt); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two leaflets made at the same time from the same data differ")
	}
	if !strings.HasPrefix(a.String(), "%PDF-") {
		t.Error("not a PDF")
	}
}

// TestStyleIsStored: the style saved in Ajustes is the one documents
// load, with the programme's name from the programme.
func TestStyleIsStored(t *testing.T) {
	s := docStore(t)
	prog, err := s.Programme()
	if err != nil {
		t.Fatal(err)
	}
	prog.Name = "Programa Enlace Madrid 2026"
	if err := s.SaveProgramme(prog, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	st := reports.Style{Primary: reports.Color{R: 0xA6, G: 0x19, B: 0x2E}, Footer: "  Ayuntamiento de Madrid  ",
		Logos: []reports.Logo{{Name: "ue.png", Data: docLogo(t, 90, 30, false)}}}
	if err := reports.SaveStyle(s, st); err != nil {
		t.Fatal(err)
	}
	got, err := reports.LoadStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	if got.Programme != prog.Name || got.Primary != st.Primary || got.Footer != "Ayuntamiento de Madrid" ||
		len(got.Logos) != 1 || !bytes.Equal(got.Logos[0].Data, st.Logos[0].Data) {
		t.Errorf("LoadStyle = %+v", got)
	}
	bad := st
	bad.Logos = append(bad.Logos, reports.Logo{Name: "x.gif", Data: []byte("GIF89a")})
	if err := reports.SaveStyle(s, bad); !isInvalid(err) {
		t.Errorf("SaveStyle with a GIF: %v, want a validation error", err)
	}
	o := docOffice(t, s, "Oficina Norte")
	text := render(t, "", func(w io.Writer) error {
		return reports.Notice(w, s, o.ID, docOptions(t, s, reports.Spanish))
	})
	mustContain(t, text, "Programa Enlace Madrid 2026 comienza la fase de evaluación.", "Ayuntamiento de Madrid")
}
