package reports_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
	"github.com/enlace-madrid/enlace/reports"
)

// docNow is the documents' fixed clock: 25 November 2026, 10:00 in
// Madrid's winter time (a fixed zone: no tz database needed).
var docNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// docStore opens a store under t.TempDir() on docNow and fills it with the
// demo data (200 people, 50 referrals, seed 7).
func docStore(t testing.TB) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "docs.db"), datatest.Options(&data.Options{
		NoSync: true, Now: func() time.Time { return docNow },
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	if _, err := demo.Populate(s, demo.Options{Seed: 7, Referrals: 50}); err != nil {
		t.Fatal(err)
	}
	return s
}

// docOptions are the options every test document is made with.
func docOptions(t testing.TB, s *data.Store, lang reports.Lang) reports.Options {
	t.Helper()
	st, err := reports.LoadStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	return reports.Options{Style: st, Lang: lang, Author: "Elena Robles Fuentes", Now: docNow}
}

// docOffice returns the ID of the stored office called name.
func docOffice(t testing.TB, s *data.Store, name string) data.Office {
	t.Helper()
	offices, err := s.Offices()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offices {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("no office %q", name)
	return data.Office{}
}

// needPoppler skips the test when poppler-utils is missing, except in CI
// (CI=true), where it fails: `make test-deps` installs it.
func needPoppler(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found: install poppler-utils (make test-deps)", tool)
			}
			t.Skipf("%s not found: install poppler-utils (make test-deps)", tool)
		}
	}
}

// render makes a document with write, checks that pdftoppm renders it (its
// first four pages and its last, at 50 dpi) and returns its text as
// pdftotext reads it; mode is "" (reading order), "-layout" or "-raw"
// (content order). With ENLACE_PDF_DIR set, the PDF is kept there.
func render(t *testing.T, mode string, write func(w io.Writer) error) string {
	t.Helper()
	needPoppler(t)
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatalf("writing the PDF: %v", err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-enc", "UTF-8", path, "-"}
	if mode != "" {
		args = append([]string{mode}, args...)
	}
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Rasterise the first pages and the last: enough to smoke out a page
	// the renderer chokes on, without drawing all of a 150-page timeline.
	n := strings.Count(string(out), "\f")
	ranges := [][2]int{{1, min(n, 4)}}
	if n > 4 {
		ranges = append(ranges, [2]int{n, n})
	}
	for _, r := range ranges {
		cmd := exec.Command("pdftoppm", "-r", "50", "-f", strconv.Itoa(r[0]), "-l", strconv.Itoa(r[1]), "-png", path, filepath.Join(dir, "page"))
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, msg)
		}
	}
	want := ranges[0][1] - ranges[0][0] + len(ranges)
	if pngs, _ := filepath.Glob(filepath.Join(dir, "page*.png")); n == 0 || len(pngs) != want {
		t.Fatalf("pdftoppm rendered %d of the %d pages it was asked for", len(pngs), want)
	}
	if dst := os.Getenv("ENLACE_PDF_DIR"); dst != "" { // keep the PDFs to look at them
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".pdf"
		_ = os.WriteFile(filepath.Join(dst, name), buf.Bytes(), 0o644)
	}
	return string(out)
}

// oneLine joins pdftotext's lines and spaces so that a phrase wrapped
// across lines still matches.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mustContain fails for each of want not in text (compared on one line).
func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	flat := oneLine(text)
	for _, w := range want {
		if !strings.Contains(flat, oneLine(w)) {
			t.Errorf("the document does not contain %q", w)
		}
	}
}

func mustNotContain(t *testing.T, text string, unwanted ...string) {
	t.Helper()
	flat := oneLine(text)
	for _, w := range unwanted {
		if w != "" && strings.Contains(flat, oneLine(w)) {
			t.Errorf("the document contains %q, which it must not", w)
		}
	}
}
