package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
	"github.com/enlace-madrid/enlace/reports"
)

// TestImportPDF: «Importar PDF» previews a form filled in another program
// (pdftk) without writing or deleting anything, imports it on «Importar»,
// deletes the file and says so; a file that is not a PDF is named with
// why.
func TestImportPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftk"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftk not found: install pdftk-java (scripts/install-deps.sh test)")
		}
		t.Skip("pdftk not found: install pdftk-java to fill the form as another reader would")
	}
	fx := newImportFixture(t)
	fx.u.people = newPeopleScreen(fx.u) // the import refreshes Personas too
	o := data.Office{Name: "AZ Tetuán", Org: data.OrgAE}
	if err := fx.store.SaveOffice(&o, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	var blank bytes.Buffer
	if err := reports.ReferralForm(&blank, fx.store, o.ID, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	blankPath := fx.export(t, "blanco.pdf.tmp", blank.Bytes())
	xfdf := fx.export(t, "d.xfdf", []byte(`<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>`+
		`<field name="tecnico_nombre"><value>Laura Martín</value></field>`+
		`<field name="tecnico_correo"><value>laura.martin@madrid.es</value></field>`+
		`<field name="nombre"><value>Rosa</value></field><field name="apellidos"><value>Mamani Flores</value></field>`+
		`<field name="documento_numero"><value>Y2345678Z</value></field>`+
		`<field name="consentimiento"><value>Yes</value></field>`+
		`<field name="`+acroform.CriterionField("ae-arraigo")+`"><value>Yes</value></field></fields></xfdf>`))
	filled := filepath.Join(fx.dir, "rosa.pdf")
	if b, err := exec.Command("pdftk", blankPath, "fill_form", xfdf, "output", filled).CombinedOutput(); err != nil {
		t.Fatalf("pdftk: %v\n%s", err, b)
	}
	bad := fx.export(t, "foto.pdf", []byte("JFIF"))

	// The button is on the Derivaciones toolbar and offers a file or a folder.
	b := findButton(t, fx.u.win.Content(), "Importar PDF")
	if b.Disabled() {
		t.Error("«Importar PDF» is disabled for the coordinator")
	}
	test.Tap(b)
	var items []string
	for _, o := range test.LaidOutObjects(fx.u.win.Canvas().Overlays().Top()) {
		if tx, ok := o.(*canvas.Text); ok && tx.Text != "" {
			items = append(items, tx.Text)
		}
	}
	if strings.Join(items, "|") != "Un formulario PDF…|Una carpeta de formularios PDF…" {
		t.Fatalf("tapping «Importar PDF» shows %q, want a file or a folder", items)
	}
	fx.u.win.Canvas().Overlays().Top().Hide()
	p := fx.u.previewPDFFolder(fx.dir) // rosa.pdf and foto.pdf
	if p == nil {
		t.Fatal("no preview")
	}
	for _, want := range []string{"Se importaría: 1 formulario(s).", "Personas nuevas: 1", "se borra de su carpeta",
		"No se puede importar foto.pdf: «foto.pdf» no es un PDF."} {
		if !strings.Contains(p.summary.Text, want) {
			t.Errorf("preview %q does not say %q", p.summary.Text, want)
		}
	}
	if c, _ := fx.store.Count(); c.People != 0 {
		t.Errorf("the preview wrote %d people", c.People)
	}
	if _, err := os.Stat(filled); err != nil {
		t.Errorf("the preview touched the file: %v", err)
	}
	test.Tap(p.importBtn)
	if !strings.Contains(p.result, "Personas nuevas: 1") || !strings.Contains(p.result, "se han borrado de su carpeta") {
		t.Errorf("result %q", p.result)
	}
	if c, _ := fx.store.Count(); c.People != 1 {
		t.Errorf("after the import: %d people, want 1", c.People)
	}
	if names := personNames(fx.u); len(names) != 1 || names[0] != "Rosa Mamani Flores" {
		t.Errorf("after the import Personas lists %q, want the person of the form", names)
	}
	if _, err := os.Stat(filled); !os.IsNotExist(err) {
		t.Errorf("the imported file is still there: %v", err)
	}
	if _, err := os.Stat(bad); err != nil {
		t.Errorf("the bad file is gone: %v", err)
	}
}

// TestImportPDFInEnglish: the preview says in English why a file cannot
// be imported.
func TestImportPDFInEnglish(t *testing.T) {
	fx := newImportFixture(t)
	inEnglish(t)
	bad := fx.export(t, "foto.pdf", []byte("JFIF"))
	p := fx.u.previewPDF([]string{bad})
	if p == nil {
		t.Fatal("no preview")
	}
	if want := "foto.pdf cannot be imported: “foto.pdf” is not a PDF."; !strings.Contains(p.summary.Text, want) {
		t.Errorf("preview %q does not say %q", p.summary.Text, want)
	}
	if !p.importBtn.Disabled() {
		t.Error("nothing to import, yet «Import» is enabled")
	}
}
