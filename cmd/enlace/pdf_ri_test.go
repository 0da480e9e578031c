package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPDFRIDocuments(t *testing.T) {
	path, id := riDB(t)
	dir := t.TempDir()
	tests := []struct {
		kind, ref, file, stdout string
		want                    []string
	}{
		{"acta", "RI/12/2024", "acta.pdf", "acta de selección de tutores (Anexo II) del expediente RI/12/2024",
			[]string{"Acta de selección de tutores de inserción", "Anexo II · Expediente RI/12/2024 · Ayuntamiento de Getafe",
				"Lucía Martín Gil", "12345678Z", "Por la entidad beneficiaria", "Firma:"}},
		{"estimate", id, "estimacion.pdf", "estimación de la subvención del expediente RI/12/2024",
			[]string{"Estimación de la subvención", "Expediente RI/12/2024 · Ayuntamiento de Getafe", "2024: 1.134,00 € al mes",
				"Lucía Martín Gil", "2.551,50 €/mes", "38.272,50 €", "816.480,00 €", "24.000,00 €",
				"Total estimado: 878.752,50 €", "Participante 1", "Regla aplicada", "Avisos"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			out := filepath.Join(dir, tt.file)
			code, stdout, stderr := runCmd(t, "pdf", tt.kind, "--db", path, "--project", tt.ref, "--author", "Elena Robles", "-o", out)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if want := "PDF guardado en " + out + ": " + tt.stdout + ".\n"; stdout != want {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
			text := pdfText(t, out)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the %s does not contain %q", tt.kind, w)
				}
			}
		})
	}
}

func TestPDFRIErrors(t *testing.T) {
	path, _ := riDB(t)
	out := filepath.Join(t.TempDir(), "x.pdf")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"pdf", "acta", "--db", path, "-o", out}, 2, "falta --project"},
		{[]string{"pdf", "estimate", "--db", path, "--project", "RI/99/2024", "-o", out}, 1, "RI/99/2024: no encontrado"},
		{[]string{"pdf", "acta", "--db", path, "--project", "RI/12/2024"}, 2, "falta -o ARCHIVO: enlace pdf acta --project"},
	} {
		t.Run(strings.Join(tc.args[:2], " ")+" "+tc.want, func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	code, stdout, _ := runCmd(t, "help")
	if code != 0 || !strings.Contains(stdout, "stats|acta|estimate") || !strings.Contains(stdout, "Anexo II") {
		t.Errorf("help does not list the RI documents:\n%s", stdout)
	}
}
