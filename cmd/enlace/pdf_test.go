package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// pdfText returns the text of the PDF at path, as pdftotext reads it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not found: install poppler-utils (make test-deps)")
		}
		t.Skip("pdftotext not found: install poppler-utils (make test-deps)")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pdfInfo returns the metadata of the PDF at path as pdfinfo reads it:
// "Title", "Author"…
func pdfInfo(t *testing.T, path string) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdfinfo not found: install poppler-utils (make test-deps)")
		}
		t.Skip("pdfinfo not found: install poppler-utils (make test-deps)")
	}
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

func TestPDFLeaflet(t *testing.T) {
	path := newDemo(t, "60")
	out := filepath.Join(t.TempDir(), "folleto.pdf")
	code, stdout, stderr := runCmd(t, "pdf", "leaflet", "--db", path, "--office", "oficina norte", "--author", "Elena Robles", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if want := "PDF guardado en " + out + ": folleto de Oficina Norte.\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	text := pdfText(t, out)
	for _, want := range []string{"Folleto informativo para profesionales", "Oficina Norte", "Situaciones habilitantes",
		"Personas con menos de 6 meses en España", "Agencia para el Empleo — cita previa", "por Elena Robles"} {
		if !strings.Contains(text, want) {
			t.Errorf("the leaflet does not contain %q", want)
		}
	}
}

func TestPDFCaseRedacted(t *testing.T) {
	path := newDemo(t, "60")
	p := personWithDocument(t, path)
	dir := t.TempDir()
	full, redacted := filepath.Join(dir, "caso.pdf"), filepath.Join(dir, "caso-otro-servicio.pdf")
	if code, _, stderr := runCmd(t, "pdf", "case", "--db", path, "--person", p.ID, "-o", full); code != 0 {
		t.Fatalf("pdf case: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "pdf", "case", "--db", path, "--person", p.ID, "--redacted", "-o", redacted)
	if code != 0 || !strings.Contains(stdout, "versión para el otro servicio") {
		t.Fatalf("pdf case --redacted: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	sensitive := []string{p.DocNumber, data.FormatPhone(p.Phone1), p.Address}
	fullText, redText := pdfText(t, full), pdfText(t, redacted)
	for _, text := range []string{fullText, redText} {
		if !strings.Contains(text, "Resumen del caso") || !strings.Contains(text, p.FullName()) {
			t.Errorf("a case summary lacks its title or %q", p.FullName())
		}
	}
	if me := enlaceUser(t, path); pdfInfo(t, redacted)["Author"] != me || !strings.Contains(redText, " por "+me) {
		t.Errorf("without --author the summary is not signed by the Enlace user %q (Author %q)", me, pdfInfo(t, redacted)["Author"])
	}
	for _, v := range sensitive {
		if !strings.Contains(fullText, v) {
			t.Errorf("the complete summary lacks %q", v)
		}
		if strings.Contains(redText, v) {
			t.Errorf("the redacted summary shows %q", v)
		}
	}
}

// personWithDocument returns a demo person with a document number, a
// phone and an address.
func personWithDocument(t *testing.T, path string) data.Person {
	t.Helper()
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, _ := s.Search("", 1000)
	for _, h := range hits {
		p, err := s.Person(h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.DocNumber != "" && p.Phone1 != "" && p.Address != "" {
			return p
		}
	}
	t.Fatal("no demo person with a document, a phone and an address")
	return data.Person{}
}

func TestPDFErrors(t *testing.T) {
	path := newDemo(t, "20")
	out := filepath.Join(t.TempDir(), "x.pdf")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"pdf"}, 2, "diga qué documento"},
		{[]string{"pdf", "poster", "-o", out}, 2, "no existe el documento «poster»"},
		{[]string{"pdf", "leaflet", "--db", path, "--office", "Oficina Norte"}, 2, "falta -o ARCHIVO"},
		{[]string{"pdf", "leaflet", "--db", path, "--office", "Oficina Este", "-o", out}, 1, "no hay ninguna oficina «Oficina Este»"},
		{[]string{"pdf", "case", "--db", path, "-o", out}, 2, "falta --person"},
		{[]string{"pdf", "case", "--db", path, "--person", "nadie", "-o", out}, 1, "no encontrado"},
		{[]string{"pdf", "followup", "--db", path, "--office", "AZ Tetuán", "--staff", "Nadie", "-o", out}, 1, "no hay nadie en el personal"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:min(2, len(tt.args))], " ")+" "+tt.msg, func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.msg)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed command left a file behind")
	}
}

func TestPDFFollowUpAndNotice(t *testing.T) {
	path := newDemo(t, "60")
	dir := t.TempDir()
	for _, args := range [][]string{
		{"followup", "--office", "AZ Tetuán", "-o", filepath.Join(dir, "seguimiento.pdf")},
		{"followup", "--office", "Oficina Sur", "--staff", "ncalvo@oficinainmigracion.info", "-o", filepath.Join(dir, "seguimiento-nuria.pdf")},
		{"notice", "--office", "Oficina Sur", "--lang", "en", "-o", filepath.Join(dir, "aviso.pdf")},
	} {
		code, _, stderr := runCmd(t, append([]string{"pdf", args[0], "--db", path}, args[1:]...)...)
		if code != 0 {
			t.Fatalf("pdf %v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if text := pdfText(t, filepath.Join(dir, "aviso.pdf")); !strings.Contains(text, "Information for OMIOPI professionals") {
		t.Errorf("the English notice reads %q", text)
	}
	if text := pdfText(t, filepath.Join(dir, "seguimiento-nuria.pdf")); !strings.Contains(text, "Nuria Calvo Méndez · Oficina Sur") {
		t.Errorf("the follow-up report reads %q", text)
	}
}
