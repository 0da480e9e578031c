package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// ncForms serves form 7 from the Forms API fixtures of data/forms/nextcloud
// (recorded from the Forms app's documentation and source; no Nextcloud
// runs here) and answers DELETEs, counting them.
func ncForms(t *testing.T) (url string, deletes func() []string) {
	t.Helper()
	dir := filepath.Join("..", "..", "data", "forms", "nextcloud", "testdata")
	var mu sync.Mutex
	var dels []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		u, p, _ := r.BasicAuth()
		name, status := "", 200
		const base = "/ocs/v2.php/apps/forms/api/v3/forms/7"
		switch {
		case u != "coordinacion" || p != "app-pass" || r.Header.Get("OCS-APIRequest") != "true":
			name, status = "401.json", 401
		case r.Method == "GET" && r.URL.Path == base:
			name = "form.json"
		case r.Method == "GET" && r.URL.Path == base+"/submissions":
			name = "submissions.json" // always all three, as if a delete were lost
		case r.Method == "DELETE" && strings.HasPrefix(r.URL.Path, base+"/submissions/"):
			dels = append(dels, strings.TrimPrefix(r.URL.Path, base+"/submissions/"))
			name = "delete.json"
		default:
			name, status = "404.json", 404
		}
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
		}
		w.WriteHeader(status)
		w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), dels...) }
}

func TestFormsPull(t *testing.T) {
	noTerminalForTest(t)
	url, deletes := ncForms(t)
	db := newDB(t)

	t.Setenv(envFormsPass, "")
	code, _, errs := runCmd(t, "forms", "pull", "--db", db, "--url", url, "--user", "coordinacion", "--form", "7")
	if code != 1 || !strings.Contains(errs, "ENLACE_FORMS_PASSWORD") {
		t.Fatalf("without a password and a terminal: exit %d, stderr %q", code, errs)
	}

	t.Setenv(envFormsPass, "mala")
	code, _, errs = runCmd(t, "forms", "pull", "--db", db, "--url", url, "--user", "coordinacion", "--form", "7")
	if code != 1 || !strings.Contains(errs, "contraseña de aplicación (HTTP 401)") {
		t.Fatalf("wrong password: exit %d, stderr %q", code, errs)
	}

	t.Setenv(envFormsPass, "app-pass")
	code, out, errs := runCmd(t, "forms", "pull", "--db", db, "--url", url, "--user", "coordinacion", "--form", "7", "--dry-run")
	if code != 0 || !strings.HasPrefix(out, "Se importaría 1 fila") || len(deletes()) != 0 {
		t.Fatalf("dry run: exit %d, stdout %q, stderr %q, deletes %v", code, out, errs, deletes())
	}

	code, out, errs = runCmd(t, "forms", "pull", "--db", db, "--url", url, "--user", "coordinacion", "--form", "7")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"Importada 1 fila: 1 persona nueva", "Borradas del servidor: 1.",
		"Sin importar y en el servidor para revisar: 2.", "para revisar en Nextcloud: respuesta 32 ", "para revisar en Nextcloud: respuesta 33 ", "Enlace público del formulario guardado para el folleto: " + url + "/apps/forms/s/"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout %q lacks %q", out, want)
		}
	}
	if d := deletes(); len(d) != 1 || d[0] != "31" {
		t.Errorf("deleted %v, want [31]", d)
	}

	// The server still lists 31 (as if the delete had been lost): it is
	// not imported again, and its delete is sent again.
	code, out, _ = runCmd(t, "forms", "pull", "--db", db, "--url", url, "--user", "coordinacion", "--form", "7")
	if code != 0 || !strings.HasPrefix(out, "Importadas 0 filas") || len(deletes()) != 2 {
		t.Errorf("second pull: exit %d, stdout %q, deletes %v", code, out, deletes())
	}
	// The form's public share became the leaflet's link.
	code, out, _ = runCmd(t, "forms", "link", "--db", db)
	if code != 0 || strings.TrimSpace(out) != url+"/apps/forms/s/dYcTWjrSsxjMFFQzFAywzq5J" {
		t.Errorf("forms link: exit %d, %q", code, out)
	}
	code, _, errs = runCmd(t, "forms", "link", "--db", db, "no es una dirección")
	if code != 1 || !strings.Contains(errs, "no es una dirección web") {
		t.Errorf("a bad link: exit %d, %q", code, errs)
	}
	code, out, _ = runCmd(t, "search", "--db", db, "Pérez")
	if code != 0 || strings.Count(out, "PÉREZ")+strings.Count(out, "Pérez") != 1 {
		t.Errorf("search: %q", out)
	}
}

func TestFormsDescribe(t *testing.T) {
	db := newDB(t)
	code, out, errs := runCmd(t, "forms", "describe", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"Título: Formulario de derivaciones", "Situaciones habilitantes AE → OMIOPI:",
		"7. Tipo de Documento, número y fecha de caducidad", "nombre técnico: p7", "validación: correo electrónico",
		"opciones: Ninguno | Básico | Medio | Avanzado"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(t, "forms", "describe", "--db", db, "--json")
	if code != 0 || !strings.Contains(out, `"name": "p18"`) || !strings.Contains(out, `"validationType": "email"`) {
		t.Errorf("json: exit %d, %s", code, out)
	}
}
