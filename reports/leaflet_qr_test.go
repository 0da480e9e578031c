package reports_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
	"github.com/enlace-madrid/enlace/reports"
)

// TestLeafletFormQR: with the form's link configured, the leaflet prints
// it and a QR code that a reader decodes to the same link: the page is
// rendered with pdftoppm and read with zbarimg (zbar-tools), as a phone
// would read the printed sheet.
func TestLeafletFormQR(t *testing.T) {
	needPoppler(t)
	if _, err := exec.LookPath("zbarimg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("zbarimg not found: install zbar-tools (make test-deps)")
		}
		t.Skip("zbarimg not found: install zbar-tools (make test-deps)")
	}
	s := docStore(t)
	const link = "https://nube.enlace-madrid.org/apps/forms/s/dYcTWjrSsxjMFFQzFAywzq5J"
	if err := nextcloud.SetLink(s, link); err != nil {
		t.Fatal(err)
	}
	o := docOffice(t, s, "Oficina Norte")
	var buf bytes.Buffer
	if err := reports.Leaflet(&buf, s, o.ID, docOptions(t, s, reports.Spanish)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "folleto.pdf")
	if err := os.WriteFile(pdf, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), link) || !strings.Contains(string(text), "escanee el código") {
		t.Errorf("the leaflet does not print the link:\n%s", text)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-gray", "-png", pdf, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	var codes []string
	for _, png := range pngs {
		out, _ := exec.Command("zbarimg", "-q", "--raw", png).Output() // exit 4: no code on that page
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				codes = append(codes, l)
			}
		}
	}
	if len(codes) != 1 || codes[0] != link {
		t.Fatalf("zbarimg read %q on %d pages, want one code: %q", codes, len(pngs), link)
	}

	// Without a link there is no code.
	if err := nextcloud.SetLink(s, ""); err != nil {
		t.Fatal(err)
	}
	if err := nextcloud.SetLink(s, "nube/forms"); err == nil {
		t.Error("a link that is not an address was accepted")
	}
	text2 := render(t, "", func(w io.Writer) error { return reports.Leaflet(w, s, o.ID, docOptions(t, s, reports.Spanish)) })
	mustNotContain(t, text2, "escanee el código", link)
}
