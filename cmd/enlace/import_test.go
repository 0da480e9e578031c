package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// formsFile copies data/forms/testdata/name into a new folder and returns
// its path (the rejected rows are written beside it).
func formsFile(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "data", "forms", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(name))
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newDB(t *testing.T) string {
	t.Helper()
	t.Setenv("ENLACE_DB", filepath.Join(t.TempDir(), "no-usar.db"))
	return filepath.Join(t.TempDir(), "enlace.db")
}

func TestImportFormsTwice(t *testing.T) {
	db, csv := newDB(t), formsFile(t, "google.csv")
	code, out, errs := runCmd(t, "import", "forms", "--db", db, csv)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := "Importadas 7 filas: 7 personas nuevas, 0 ya existentes, 7 derivaciones propuestas, 2 propuestas de exclusión (DNI)."
	if !strings.HasPrefix(out, want) {
		t.Errorf("stdout %q, want it to start with %q", out, want)
	}
	if !strings.Contains(out, "revisar: línea 9, columna «Nacionalidad-procedencia»: La nacionalidad «Centroamérica» no es un país conocido") {
		t.Errorf("stdout %q does not list what to review", out)
	}

	// Flags after the file name work too.
	code, out, errs = runCmd(t, "import", "forms", csv, "--db", db)
	if code != 0 || !strings.HasPrefix(out, "Importadas 0 filas") || !strings.Contains(out, "7 filas ya estaban importadas") {
		t.Errorf("second import: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "info", "--db", db)
	if code != 0 || !strings.Contains(out, "Personas: 7\n") {
		t.Errorf("info after importing twice: %q", out)
	}
	importedBy(t, db, enlaceUser(t, db))
}

// importedBy checks that every person in the database at path was
// created by author.
func importedBy(t *testing.T, path, author string) {
	t.Helper()
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	err = s.EachPerson(func(p *data.Person) error {
		n++
		if p.CreatedBy != author {
			t.Errorf("%s was created by %q, want the Enlace user %q", p.ID, p.CreatedBy, author)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("%d people: %v", n, err)
	}
}

func TestImportFormsInvalid(t *testing.T) {
	db, csv := newDB(t), formsFile(t, "invalid.csv")
	wantLines := []string{
		"línea 2, columna «Tipo de Documento…»: La letra del NIE no es correcta: debería ser L.",
		"línea 3, columna «Nombre»: Falta el nombre.",
		"línea 4, columna «Persona que rellena este formulario…»: No se sabe si quien rellena el formulario es de la AE o de una oficina de inmigración (OMIOPI)",
		"línea 5, columna «Marca temporal»: La fecha «31/02/2022» tiene un día que no existe en ese mes.",
	}
	rejected := strings.TrimSuffix(csv, ".csv") + "-rechazadas.csv"

	t.Run("all or nothing", func(t *testing.T) {
		code, out, errs := runCmd(t, "import", "forms", "--db", db, csv)
		if code != 1 || out != "" {
			t.Fatalf("exit %d, stdout %q; want 1 and nothing", code, out)
		}
		for _, l := range wantLines {
			if !strings.Contains(errs, l) {
				t.Errorf("stderr lacks %q:\n%s", l, errs)
			}
		}
		if !strings.Contains(errs, "enlace: no se ha importado nada: 4 filas no son válidas.") {
			t.Errorf("stderr %q", errs)
		}
		if _, err := os.Stat(rejected); err == nil {
			t.Error("rejected rows written although nothing was imported")
		}
		_, info, _ := runCmd(t, "info", "--db", db)
		if !strings.Contains(info, "Personas: 0\n") {
			t.Errorf("info: %q", info)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		code, out, _ := runCmd(t, "import", "forms", "--db", db, "--dry-run", "--skip-invalid", csv)
		if code != 0 || !strings.HasPrefix(out, "Prueba, no se ha escrito nada. Se importaría 1 fila:") {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		_, info, _ := runCmd(t, "info", "--db", db)
		if !strings.Contains(info, "Personas: 0\n") {
			t.Errorf("dry run wrote: %q", info)
		}
	})
	t.Run("skip invalid", func(t *testing.T) {
		code, out, errs := runCmd(t, "import", "forms", "--db", db, "--skip-invalid", csv)
		if code != 0 || !strings.HasPrefix(out, "Importada 1 fila: 1 persona nueva,") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
		if !strings.Contains(errs, wantLines[0]) || !strings.Contains(errs, rejected) {
			t.Errorf("stderr %q", errs)
		}
		raw, err := os.ReadFile(rejected)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(rejected); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("rejected rows (names, documents, phones) written with mode %v, want 0600 like every export", fi.Mode().Perm())
		}
		lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
		if len(lines) != 5 || !strings.HasPrefix(lines[0], "Marca temporal,1. Nombre,") || strings.Contains(string(raw), "Mario Silva") {
			t.Errorf("rejected file:\n%s", raw)
		}
	})
}

func TestImportFormsUsage(t *testing.T) {
	db := newDB(t)
	for _, args := range [][]string{
		{"import"},
		{"import", "people", "x.csv"},
		{"import", "forms", "--db", db},
		{"import", "forms", "--db", db, "a.csv", "b.csv"},
	} {
		if code, _, errs := runCmd(t, args...); code != 2 || !strings.Contains(errs, "enlace import forms") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the usage", args, code, errs)
		}
	}
	code, _, errs := runCmd(t, "import", "forms", "--db", db, filepath.Join(t.TempDir(), "no-existe.csv"))
	if code != 1 || !strings.Contains(errs, "no-existe.csv") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

// The Forms app of Nextcloud's XLSX export imports like its CSV.
func TestImportNextcloudXLSX(t *testing.T) {
	db, xlsx := newDB(t), formsFile(t, "nextcloud/formularios.xlsx")
	code, out, errs := runCmd(t, "import", "forms", "--db", db, xlsx)
	if code != 0 || !strings.HasPrefix(out, "Importadas 2 filas: 2 personas nuevas") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "import", "forms", "--db", db, formsFile(t, "nextcloud/formularios_de.csv"))
	// María's answer is the same row; Jorge's phone is a number cell in the
	// workbook (987654321) and "+51 987 654 321" in the CSV: another answer,
	// matched to the person already there by his passport.
	if code != 0 || !strings.HasPrefix(out, "Importada 1 fila: 0 personas nuevas, 1 ya existente") ||
		!strings.Contains(out, "1 fila ya estaba") {
		t.Errorf("the German CSV of the same answers: exit %d, stdout %q", code, out)
	}
}
