package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/studio-b12/gowebdav"

	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

// TestFormsPDFAndImport: the coordinator makes an office's form, a
// technician fills it in another program (pdftk), and `enlace import
// pdf` takes the folder: a dry run writes and deletes nothing, the import
// creates the person and deletes the file, a bad file stays and is named.
func TestFormsPDFAndImport(t *testing.T) {
	needPdftk(t)
	db := newDemo(t, "10")
	blank := filepath.Join(t.TempDir(), "formulario.pdf")
	code, out, errs := runCmd(t, "forms", "pdf", "--db", db, "--office", "Oficina Norte", "-o", blank)
	if code != 0 || !strings.Contains(out, "formulario de derivación de Oficina Norte") {
		t.Fatalf("forms pdf: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	text := pdfText(t, blank)
	for _, want := range []string{"Formulario de derivación", "Oficina Norte", "Nombre *", "Apellidos *",
		"Número de documento *", "Personas con menos de 6 meses en España", "Consentimiento"} {
		if !strings.Contains(text, want) {
			t.Errorf("the blank form does not show %q", want)
		}
	}

	inbox := t.TempDir()
	fields := `<field name="` + acroform.FieldReferrerName + `"><value>Pedro Sanz</value></field>` +
		`<field name="` + acroform.FieldReferrerEmail + `"><value>psanz@oficinainmigracion.info</value></field>` +
		`<field name="` + acroform.FieldFirstName + `"><value>Ana</value></field>` +
		`<field name="` + acroform.FieldLastName + `"><value>Benítez Ruiz</value></field>` +
		`<field name="` + acroform.FieldDocKind + `"><value>DNI</value></field>` +
		`<field name="` + acroform.FieldDocNumber + `"><value>12345678Z</value></field>` +
		`<field name="` + acroform.FieldConsent + `"><value>Yes</value></field>` +
		`<field name="` + acroform.CriterionField("omiopi-menos-6m") + `"><value>Yes</value></field>`
	filled := fillForm(t, blank, filepath.Join(inbox, "ana.pdf"), fields)
	bad := filepath.Join(inbox, "escaneado.pdf")
	if err := os.WriteFile(bad, []byte("no soy un PDF"), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errs = runCmd(t, "import", "pdf", "--db", db, "--dry-run", inbox)
	if code != 0 || !strings.Contains(out, "Prueba, no se ha escrito ni borrado nada. Se importaría 1 fila: 1 persona nueva") {
		t.Errorf("dry run: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(filled); err != nil {
		t.Errorf("the dry run touched the form: %v", err)
	}
	code, out, errs = runCmd(t, "import", "pdf", inbox, "--db", db)
	if code != 0 || !strings.Contains(out, "1 persona nueva") || !strings.Contains(out, "Excluidas por tener DNI: 1") ||
		!strings.Contains(out, "se han borrado de su carpeta") {
		t.Errorf("import: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if !strings.Contains(errs, "para revisar: escaneado.pdf: «escaneado.pdf» no es un PDF.") {
		t.Errorf("stderr %q does not name the bad file", errs)
	}
	if _, err := os.Stat(filled); !os.IsNotExist(err) {
		t.Errorf("the imported form is still in the folder: %v", err)
	}
	if _, err := os.Stat(bad); err != nil {
		t.Errorf("the bad file was removed: %v", err)
	}
	code, out, _ = runCmd(t, "search", "--db", db, "Benítez")
	if code != 0 || !strings.Contains(out, "Ana Benítez Ruiz") {
		t.Errorf("search after import: exit %d, %q", code, out)
	}
	code, _, errs = runCmd(t, "import", "pdf", "--db", db, bad)
	if code != 1 || !strings.Contains(errs, "no se ha importado nada: 1 formulario no es válido") {
		t.Errorf("only a bad file: exit %d, stderr %q", code, errs)
	}
}

// TestImportPDFFromDAV: `enlace import pdf --url … --user …` takes the
// forms dropped into a WebDAV folder (real Apache mod_dav) and deletes
// them on the server once imported.
func TestImportPDFFromDAV(t *testing.T) {
	needPdftk(t)
	db := newDemo(t, "10")
	blank := filepath.Join(t.TempDir(), "formulario.pdf")
	if code, _, errs := runCmd(t, "pdf", "form", "--db", db, "--office", "AZ Tetuán", "-o", blank); code != 0 {
		t.Fatalf("pdf form: %s", errs)
	}
	fields := `<field name="tecnico_nombre"><value>Laura Martín</value></field>` +
		`<field name="tecnico_correo"><value>laura.martin@madrid.es</value></field>` +
		`<field name="nombre"><value>Wilmer</value></field><field name="apellidos"><value>Quiroga Paz</value></field>` +
		`<field name="documento_numero"><value>Y7654321G</value></field>` +
		`<field name="` + acroform.CriterionField("ae-arraigo") + `"><value>Yes</value></field>`
	filled := fillForm(t, blank, filepath.Join(t.TempDir(), "wilmer.pdf"), fields)
	raw, err := os.ReadFile(filled)
	if err != nil {
		t.Fatal(err)
	}
	dav := datatest.StartApache(t, "")
	up := gowebdav.NewClient(dav.URL(""), dav.User, dav.Password)
	if err := up.MkdirAll("Derivaciones", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := up.Write("Derivaciones/wilmer.pdf", raw, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envFormsPass, dav.Password)
	code, out, errs := runCmd(t, "import", "pdf", "--db", db, "--url", dav.URL("Derivaciones"), "--user", dav.User)
	if code != 0 || !strings.Contains(out, "1 persona nueva") || !strings.Contains(out, "borrados de la carpeta: 1") {
		t.Errorf("import from WebDAV: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if left, err := up.ReadDir("Derivaciones"); err != nil || len(left) != 0 {
		t.Errorf("left on the server: %v, %v", left, err)
	}
	if code, out, _ = runCmd(t, "search", "--db", db, "Quiroga"); !strings.Contains(out, "Wilmer Quiroga Paz") {
		t.Errorf("search: %q", out)
	}
}

// fillForm fills the blank form at blank with fields (XFDF <field>
// elements) by pdftk, as a technician's reader would, into out.
func fillForm(t *testing.T, blank, out, fields string) string {
	t.Helper()
	xfdf := filepath.Join(t.TempDir(), "d.xfdf")
	if err := os.WriteFile(xfdf, []byte(`<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>`+fields+`</fields></xfdf>`), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("pdftk", blank, "fill_form", xfdf, "output", out).CombinedOutput(); err != nil {
		t.Fatalf("pdftk: %v\n%s", err, b)
	}
	return out
}

// needPdftk skips the test when pdftk (pdftk-java: a tool other than the
// one that makes the form) is missing, except in CI, where it fails.
func needPdftk(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftk"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftk not found: install pdftk-java (scripts/install-deps.sh test)")
		}
		t.Skip("pdftk not found: install pdftk-java to fill the form as another reader would")
	}
}

// TestFormsPDFDefaultName: without -o the form is saved in the current
// folder under the office's name.
func TestFormsPDFDefaultName(t *testing.T) {
	db := newDemo(t, "10")
	t.Chdir(t.TempDir())
	code, out, errs := runCmd(t, "forms", "pdf", "--db", db, "--office", "AZ Tetuán")
	if code != 0 || !strings.HasPrefix(out, "PDF guardado en formulario-derivacion-az-tetuan.pdf") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if text := pdfText(t, "formulario-derivacion-az-tetuan.pdf"); !strings.Contains(text, "AZ Tetuán") {
		t.Errorf("the form does not name its office: %q", text)
	}
	code, _, errs = runCmd(t, "forms", "pdf", "--db", db, "--office", "Oficina Este")
	if code != 1 || !strings.Contains(errs, "no hay ninguna oficina «Oficina Este»") {
		t.Errorf("unknown office: exit %d, stderr %q", code, errs)
	}
}
