package ui

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
	"github.com/enlace-madrid/enlace/reports"
)

// pdfFixture is the import fixture with an office and its blank form,
// for filling forms as another program (pdftk) would.
type pdfFixture struct {
	*importFixture
	blank string
}

func newPDFFixture(t *testing.T) *pdfFixture {
	t.Helper()
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
	return &pdfFixture{importFixture: fx, blank: fx.export(t, "blanco.pdf.tmp", blank.Bytes())}
}

// fill writes into the folder, as name, the form filled in for a person
// with the document number doc.
func (fx *pdfFixture) fill(t *testing.T, name, first, last, doc string) string {
	t.Helper()
	xfdf := fx.export(t, name+".xfdf", []byte(`<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>`+
		`<field name="tecnico_nombre"><value>Laura Martín</value></field>`+
		`<field name="tecnico_correo"><value>laura.martin@madrid.es</value></field>`+
		`<field name="nombre"><value>`+first+`</value></field><field name="apellidos"><value>`+last+`</value></field>`+
		`<field name="documento_numero"><value>`+doc+`</value></field>`+
		`<field name="consentimiento"><value>Yes</value></field>`+
		`<field name="`+acroform.CriterionField("ae-arraigo")+`"><value>Yes</value></field></fields></xfdf>`))
	filled := filepath.Join(fx.dir, name)
	if b, err := exec.Command("pdftk", fx.blank, "fill_form", xfdf, "output", filled).CombinedOutput(); err != nil {
		t.Fatalf("pdftk: %v\n%s", err, b)
	}
	if err := os.Remove(xfdf); err != nil {
		t.Fatal(err)
	}
	return filled
}

// privateTemp points the temporary folder at one of the test's own and
// returns it, so that what an import leaves there can be seen.
func privateTemp(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// leftBehind lists the import's temporary folders in tmp.
func leftBehind(t *testing.T, tmp string) []string {
	t.Helper()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "enlace-pdf-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// waitClosed waits for ch to close, a few seconds at the most.
func waitClosed(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// people is how many people the store holds.
func (fx *pdfFixture) people(t *testing.T) int {
	t.Helper()
	c, err := fx.store.Count()
	if err != nil {
		t.Fatal(err)
	}
	return c.People
}

// TestImportPDF: «Importar PDF» previews a form filled in another program
// (pdftk) without writing or deleting anything, imports it on «Importar»,
// deletes the file and says so; a file that is not a PDF is named with
// why.
func TestImportPDF(t *testing.T) {
	fx := newPDFFixture(t)
	filled := fx.fill(t, "rosa.pdf", "Rosa", "Mamani Flores", "Y2345678Z")
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
	waitClosed(t, "the preview", p.previewed)
	for _, want := range []string{"Se importaría: 1 formulario(s).", "Personas nuevas: 1", "se borra de su carpeta",
		"No se puede importar foto.pdf: «foto.pdf» no es un PDF."} {
		if !strings.Contains(p.summary.Text, want) {
			t.Errorf("preview %q does not say %q", p.summary.Text, want)
		}
	}
	if n := fx.people(t); n != 0 {
		t.Errorf("the preview wrote %d people", n)
	}
	if _, err := os.Stat(filled); err != nil {
		t.Errorf("the preview touched the file: %v", err)
	}
	test.Tap(p.importBtn)
	waitClosed(t, "the import", p.ended)
	if !strings.Contains(p.result, "Personas nuevas: 1") || !strings.Contains(p.result, "se han borrado de su carpeta") {
		t.Errorf("result %q", p.result)
	}
	if n := fx.people(t); n != 1 {
		t.Errorf("after the import: %d people, want 1", n)
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

// TestImportPDFFolderProgress: a folder of several forms is read behind a
// progress dialog that counts the files and closes before the preview;
// the forms import as read, and nothing is left in the temporary folder.
func TestImportPDFFolderProgress(t *testing.T) {
	fx := newPDFFixture(t)
	fx.fill(t, "a.pdf", "Rosa", "Mamani Flores", "Y2345678Z")
	fx.fill(t, "b.pdf", "Ana", "Quispe Ñáñez", "X1234567L")
	fx.fill(t, "c.pdf", "Luz", "Huamán Soto", "Z7654321H")
	tmp := privateTemp(t)
	var shown []string
	p := fx.u.newPDFImport([]string{filepath.Join(fx.dir, "a.pdf"), filepath.Join(fx.dir, "b.pdf"), filepath.Join(fx.dir, "c.pdf")}, nil)
	p.progressed = func(int) {
		for _, s := range strings.Split(windowTexts(fx.u), " | ") {
			if strings.HasPrefix(s, "Leyendo los formularios PDF") {
				shown = append(shown, s)
			}
		}
	}
	p.start()
	waitClosed(t, "the preview", p.previewed)
	if got := strings.Join(shown, "|"); got != "Leyendo los formularios PDF: 1 de 3…|Leyendo los formularios PDF: 2 de 3…|Leyendo los formularios PDF: 3 de 3…" {
		t.Errorf("the progress dialog said %q, want the files read of 3", got)
	}
	if texts := windowTexts(fx.u); strings.Contains(texts, "Leyendo") || !strings.Contains(texts, "Se importaría: 3 formulario(s).") ||
		!strings.Contains(texts, "Personas añadidas al personal: 1. Oficinas nuevas: 0.") {
		t.Errorf("after reading the window shows %q: want the preview, without the progress", texts)
	}
	test.Tap(p.importBtn)
	waitClosed(t, "the import", p.ended)
	if !strings.Contains(p.result, "Personas nuevas: 3") {
		t.Errorf("result %q", p.result)
	}
	if n := fx.people(t); n != 3 {
		t.Errorf("%d people, want 3", n)
	}
	if left := leftBehind(t, tmp); len(left) != 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
}

// TestImportPDFCopy: a chosen form that is not a local file is imported
// from a temporary copy, whose folder is gone once the import ends.
func TestImportPDFCopy(t *testing.T) {
	fx := newPDFFixture(t)
	raw, err := os.ReadFile(fx.fill(t, "rosa.pdf", "Rosa", "Mamani Flores", "Y2345678Z"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := privateTemp(t)
	p := fx.u.previewPDFCopy(io.NopCloser(bytes.NewReader(raw)))
	waitClosed(t, "the preview", p.previewed)
	if !strings.Contains(p.summary.Text, "Personas nuevas: 1") {
		t.Fatalf("preview %q", p.summary.Text)
	}
	if left := leftBehind(t, tmp); len(left) != 1 {
		t.Errorf("during the preview the temporary folder holds %v, want the copy's folder", left)
	}
	test.Tap(p.importBtn)
	waitClosed(t, "the import", p.ended)
	if n := fx.people(t); n != 1 || !strings.Contains(p.result, "Personas nuevas: 1") {
		t.Errorf("%d people, result %q", n, p.result)
	}
	if left := leftBehind(t, tmp); len(left) != 0 {
		t.Errorf("after the import the temporary folder holds %v", left)
	}
}

// failingReader fails after a few bytes, as a lost connection would.
type failingReader struct{ n int }

func (r *failingReader) Read(b []byte) (int, error) {
	if r.n > 0 {
		r.n--
		return copy(b, "%PDF-"), nil
	}
	return 0, errors.New("conexión perdida")
}

// TestImportPDFCancelledOrFailed: an import cancelled while reading, or
// at the preview, or failing (the copy cannot be read; the file is gone
// bad before the commit) writes nothing, deletes no form and leaves no
// temporary folder.
func TestImportPDFCancelledOrFailed(t *testing.T) {
	for _, c := range []struct {
		name  string
		run   func(t *testing.T, fx *pdfFixture, raw []byte) *pdfImport
		error bool // a failure is told; a cancel is not
	}{
		{"cancelled while reading", func(t *testing.T, fx *pdfFixture, raw []byte) *pdfImport {
			p := fx.u.newPDFImport(nil, io.NopCloser(bytes.NewReader(raw)))
			p.progressed = func(int) { test.Tap(p.stop) }
			p.start()
			waitClosed(t, "the reading", p.previewed)
			return p
		}, false},
		{"cancelled at the preview", func(t *testing.T, fx *pdfFixture, raw []byte) *pdfImport {
			p := fx.u.previewPDFCopy(io.NopCloser(bytes.NewReader(raw)))
			waitClosed(t, "the preview", p.previewed)
			test.Tap(findButton(t, fx.u.win.Canvas().Overlays().Top(), "Cancelar"))
			return p
		}, false},
		{"Esc at the preview", func(t *testing.T, fx *pdfFixture, raw []byte) *pdfImport {
			p := fx.u.previewPDFCopy(io.NopCloser(bytes.NewReader(raw)))
			waitClosed(t, "the preview", p.previewed)
			fx.u.dismissTop()
			return p
		}, false},
		{"the copy fails", func(t *testing.T, fx *pdfFixture, raw []byte) *pdfImport {
			return fx.u.previewPDFCopy(io.NopCloser(&failingReader{n: 3}))
		}, true},
		{"the file goes bad before the commit", func(t *testing.T, fx *pdfFixture, raw []byte) *pdfImport {
			p := fx.u.previewPDFCopy(io.NopCloser(bytes.NewReader(raw)))
			waitClosed(t, "the preview", p.previewed)
			// Something unreadable where the copy was: the commit fails.
			if err := os.Remove(p.paths[0]); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(p.paths[0], 0o700); err != nil {
				t.Fatal(err)
			}
			test.Tap(p.importBtn)
			return p
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fx := newPDFFixture(t)
			form := fx.fill(t, "rosa.pdf", "Rosa", "Mamani Flores", "Y2345678Z")
			raw, err := os.ReadFile(form)
			if err != nil {
				t.Fatal(err)
			}
			tmp := privateTemp(t)
			p := c.run(t, fx, raw)
			waitClosed(t, "the end", p.ended)
			if n := fx.people(t); n != 0 {
				t.Errorf("%d people written", n)
			}
			if left := leftBehind(t, tmp); len(left) != 0 {
				t.Errorf("left in the temporary folder: %v", left)
			}
			if _, err := os.Stat(form); err != nil {
				t.Errorf("the form is gone: %v", err)
			}
			texts := windowTexts(fx.u)
			if told := strings.Contains(texts, "Error"); told != c.error {
				t.Errorf("the window shows %q; want an error: %v", texts, c.error)
			}
			if strings.Contains(texts, "Leyendo") || strings.Contains(texts, "Importando") || strings.Contains(texts, "Se importaría") {
				t.Errorf("a dialog of the import stays open: %q", texts)
			}
		})
	}
}

// TestImportPDFInEnglish: the preview says in English why a file cannot
// be imported.
func TestImportPDFInEnglish(t *testing.T) {
	fx := newImportFixture(t)
	inEnglish(t)
	bad := fx.export(t, "foto.pdf", []byte("JFIF"))
	p := fx.u.previewPDF([]string{bad})
	waitClosed(t, "the preview", p.previewed)
	if want := "foto.pdf cannot be imported: “foto.pdf” is not a PDF."; !strings.Contains(p.summary.Text, want) {
		t.Errorf("preview %q does not say %q", p.summary.Text, want)
	}
	if !p.importBtn.Disabled() {
		t.Error("nothing to import, yet «Import» is enabled")
	}
}
