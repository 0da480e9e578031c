package ui

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/reports"
)

func docStylePNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 30, 10))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocStyleSavesWhatIsEdited(t *testing.T) {
	u := officesTestApp(t)
	d := u.docStyle
	w := test.NewWindow(d.content())
	defer w.Close()
	if got, want := d.programme.Text, data.DefaultProgramme().Name; got != want {
		t.Errorf("programme shown = %q, want %q", got, want)
	}
	if d.hex.Text != reports.DefaultPrimary.Hex() || d.preset.Selected != "Azul institucional" {
		t.Errorf("colour shown = %q (%q), want the default", d.hex.Text, d.preset.Selected)
	}

	d.addLogoData(reports.Logo{Name: "ue.png", Data: docStylePNG(t)})
	d.preset.SetSelected("Verde")
	test.Type(d.footer, "Cofinanciado por la Unión Europea")
	if d.status.Text != "Hay cambios sin guardar." {
		t.Errorf("status = %q, want it to say there are unsaved changes", d.status.Text)
	}
	test.Tap(d.save)

	st, err := reports.LoadStyle(u.store)
	if err != nil {
		t.Fatal(err)
	}
	if st.Primary.Hex() != "#2E6B3F" || st.Footer != "Cofinanciado por la Unión Europea" || len(st.Logos) != 1 || st.Logos[0].Name != "ue.png" {
		t.Errorf("stored style = %+v", st)
	}

	d.onRemoveLogo(0)
	d.hex.SetText("#12")
	if !d.save.Disabled() {
		t.Error("Guardar is enabled with an invalid colour")
	}
	d.hex.SetText("#fc0")
	if d.save.Disabled() || d.style.Primary.Hex() != "#FFCC00" {
		t.Errorf("colour #fc0 not taken: %s", d.style.Primary.Hex())
	}
}

func TestDocStyleAtMostThreeLogos(t *testing.T) {
	u := officesTestApp(t)
	d := u.docStyle
	for range 3 {
		d.addLogoData(reports.Logo{Name: "logo.png", Data: docStylePNG(t)})
	}
	if !d.addLogo.Disabled() {
		t.Error("Añadir logotipo is enabled with three logos")
	}
	d.addLogoData(reports.Logo{Name: "cuarto.png", Data: docStylePNG(t)})
	if len(d.style.Logos) != 3 {
		t.Errorf("%d logos, want 3", len(d.style.Logos))
	}
}

func TestPDFOptionsFollowTheInterface(t *testing.T) {
	u := officesTestApp(t)
	opt, err := u.pdfOptions()
	if err != nil {
		t.Fatal(err)
	}
	if opt.Lang != reports.Spanish || opt.Author != datatest.Name {
		t.Errorf("options = %+v, want Spanish by the preferred author", opt)
	}
	u.app.Preferences().SetString(prefLanguage, "en")
	if opt, _ := u.pdfOptions(); opt.Lang != reports.English {
		t.Errorf("with English chosen the documents are %q", opt.Lang)
	}
}

func TestPDFFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Folleto - Oficina Norte":                  "Folleto - Oficina Norte.pdf",
		"Resumen del caso - Begoña Núñez":          "Resumen del caso - Begoña Núñez.pdf",
		"Informe: AE/OMIOPI? \"2026\"":             "Informe- AE-OMIOPI- -2026-.pdf",
		" Aviso de fin de programa - AZ Tetuán   ": "Aviso de fin de programa - AZ Tetuán.pdf",
	} {
		if got := pdfFileName(in); got != want {
			t.Errorf("pdfFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
