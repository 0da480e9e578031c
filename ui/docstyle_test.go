package ui

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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
		"Informe: AE/OMIOPI? \"2026\"":             "Informe- AE-OMIOPI- -2026-.pdf",
		" Aviso de fin de programa - AZ Tetuán   ": "Aviso de fin de programa - AZ Tetuán.pdf",
	} {
		if got := pdfFileName(in); got != want {
			t.Errorf("pdfFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPersonPDFName: a document about a person is offered under its kind,
// the person's initials (or the end of their ID) and the date, never
// their name.
func TestPersonPDFName(t *testing.T) {
	day := data.Date{Year: 2026, Month: time.December, Day: 7}
	for _, c := range []struct {
		name string
		p    data.Person
		want string
	}{
		{"initials", data.Person{ID: "01JX", FirstName: "María", LastName: "Rodríguez López"}, "resumen-caso-MR-2026-12-07.pdf"},
		{"accents", data.Person{FirstName: "Ñusta", LastName: "Álvarez"}, "resumen-caso-NA-2026-12-07.pdf"},
		{"first name only", data.Person{FirstName: "Begoña"}, "resumen-caso-B-2026-12-07.pdf"},
		{"no name", data.Person{ID: "01JXK3M9Q7R2ZB8WF4TEHX5N6D"}, "resumen-caso-HX5N6D-2026-12-07.pdf"},
		{"nothing", data.Person{}, "resumen-caso-2026-12-07.pdf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := personPDFName("resumen-caso", c.p, day); got != c.want {
				t.Errorf("personPDFName = %q, want %q", got, c.want)
			}
		})
	}
}

// TestCaseSummaryOffersNamelessFile saves a case summary from its dialog
// and reads the file name the save dialog offers: initials and date.
func TestCaseSummaryOffersNamelessFile(t *testing.T) {
	for _, c := range []struct {
		name     string
		redacted bool
		want     string
	}{
		{"complete", false, "resumen-caso-AP-2026-11-25.pdf"},
		{"other service", true, "resumen-caso-otro-servicio-AP-2026-11-25.pdf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			seed := []data.Person{ana()}
			u, _ := peopleTestApp(t, seed...) // gives seed[0] its ID
			u.askCaseSummary(seed[0])
			top := u.win.Canvas().Overlays().Top()
			if c.redacted {
				for _, o := range test.LaidOutObjects(top) {
					if ch, ok := o.(*widget.Check); ok {
						test.Tap(ch)
					}
				}
			}
			test.Tap(findButton(t, top, "Guardar PDF…"))
			var offered []string
			for _, o := range test.LaidOutObjects(u.win.Canvas().Overlays().Top()) {
				if e, ok := o.(*widget.Entry); ok && strings.HasSuffix(e.Text, ".pdf") {
					offered = append(offered, e.Text)
				}
			}
			if len(offered) != 1 || offered[0] != c.want {
				t.Fatalf("the save dialog offers %q, want %q", offered, c.want)
			}
			for _, part := range []string{"Ana", "Pérez", "Perez", "López"} {
				if strings.Contains(offered[0], part) {
					t.Errorf("the file name %q carries %q", offered[0], part)
				}
			}
		})
	}
}
