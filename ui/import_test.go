package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// importFixture is a window over a fresh store, for the import dialog.
type importFixture struct {
	u     *App
	store *data.Store
	dir   string // where the exports are copied
}

func newImportFixture(t *testing.T) *importFixture {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{
		Now: func() time.Time { now = now.Add(time.Second); return now },
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	fx := &importFixture{store: store, dir: t.TempDir()}
	fx.u = &App{app: a, store: store, version: "0.0.0-test"}
	fx.u.win = a.NewWindow("Enlace")
	fx.u.win.Resize(fyne.NewSize(1280, 800))
	fx.u.referrals = newReferralsScreen(fx.u)
	fx.u.win.SetContent(fx.u.referrals.content())
	return fx
}

// export copies data/forms/testdata/name (or raw, when given) into the
// fixture's folder and returns its path.
func (fx *importFixture) export(t *testing.T, name string, raw []byte) string {
	t.Helper()
	if raw == nil {
		var err error
		if raw, err = os.ReadFile(filepath.Join("..", "data", "forms", "testdata", name)); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(fx.dir, name)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// preview opens the preview of the export at path.
func (fx *importFixture) preview(t *testing.T, path string) *importPreview {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := fx.u.previewImport(bytes.NewReader(raw), path)
	if p == nil {
		t.Fatal("no preview")
	}
	return p
}

// column returns the texts of column col of the preview's table.
func (p *importPreview) column(col int) []string {
	var out []string
	l := widget.NewLabel("")
	for r := range p.rows {
		p.fillCell(widget.TableCellID{Row: r, Col: col}, l)
		out = append(out, l.Text)
	}
	return out
}

func TestImportPreviewThenImportAll(t *testing.T) {
	fx := newImportFixture(t)
	path := fx.export(t, "google.csv", nil)
	p := fx.preview(t, path)

	names := p.column(colName)
	if len(names) != 7 || names[0] != "María José Pérez García" || names[2] != "Carmen Ruiz Díaz" {
		t.Fatalf("names = %q", names)
	}
	status := p.column(colStatus)
	if status[0] != "OK" || !strings.HasPrefix(status[5], "revisar: ") {
		t.Errorf("statuses = %q", status)
	}
	if got := p.column(colDocument)[1]; got != "Pasaporte AB123456" {
		t.Errorf("document = %q", got)
	}
	if got := p.column(colReferrer)[1]; got != "Pedro Sanz (OMIOPI)" {
		t.Errorf("referrer = %q", got)
	}
	if p.all.Disabled() || !p.valid.Disabled() {
		t.Errorf("buttons: all disabled %v, valid disabled %v; want all enabled, valid disabled", p.all.Disabled(), p.valid.Disabled())
	}
	p.table.Select(widget.TableCellID{Row: 5, Col: 0})
	if !strings.Contains(p.detail.Text, "Centroamérica") || !strings.Contains(p.detail.Text, "«Tipo de Documento…»") {
		t.Errorf("detail of row 6 = %q", p.detail.Text)
	}
	if fx.store.PersonCount() != 0 {
		t.Fatal("the preview wrote to the store")
	}

	test.Tap(p.all)
	if fx.store.PersonCount() != 7 {
		t.Errorf("%d people after importing, want 7", fx.store.PersonCount())
	}
	if !strings.HasPrefix(p.result, "Filas importadas: 7. Personas nuevas: 7") {
		t.Errorf("result = %q", p.result)
	}
	if n := len(fx.u.dialogs); n != 1 {
		t.Errorf("%d dialogs open, want only the result", n)
	}
	if got := fx.u.referrals.count(trayAll); got != 7 {
		t.Errorf("the inbox shows %d referrals, want 7", got)
	}
	fx.u.dismissTop()

	again := fx.preview(t, path)
	for i, s := range again.column(colStatus) {
		if s != "ya importada" {
			t.Errorf("second preview, row %d: %q, want «ya importada»", i, s)
		}
	}
	if !again.all.Disabled() || !again.valid.Disabled() {
		t.Error("nothing left to import, but a button is enabled")
	}
}

func TestImportPreviewInvalidRows(t *testing.T) {
	fx := newImportFixture(t)
	path := fx.export(t, "respuestas.csv", mustRead(t, filepath.Join("..", "data", "forms", "testdata", "invalid.csv")))
	p := fx.preview(t, path)
	status := p.column(colStatus)
	if status[0] != "Error: La letra del NIE no es correcta: debería ser L." {
		t.Errorf("status of line 2 = %q", status[0])
	}
	if !p.all.Disabled() || p.valid.Disabled() {
		t.Fatalf("buttons: all disabled %v, valid disabled %v; want only «Importar solo las válidas»", p.all.Disabled(), p.valid.Disabled())
	}
	if !strings.Contains(p.summary.Text, "Con errores: 4") {
		t.Errorf("summary = %q", p.summary.Text)
	}
	test.Tap(p.valid)
	rejected := filepath.Join(fx.dir, "respuestas-rechazadas.csv")
	raw, err := os.ReadFile(rejected)
	if err != nil {
		t.Fatalf("rejected rows: %v", err)
	}
	if n := strings.Count(string(raw), "\r\n"); n != 5 {
		t.Errorf("rejected file has %d lines, want the header and 4 rows", n)
	}
	if fx.store.PersonCount() != 1 || !strings.Contains(p.result, rejected) {
		t.Errorf("%d people; result %q", fx.store.PersonCount(), p.result)
	}
}

func TestImportButtonOpensFilePicker(t *testing.T) {
	fx := newImportFixture(t)
	test.Tap(findButton(t, fx.u.referrals.content(), "Importar formularios (CSV)"))
	if n := len(fx.u.dialogs); n != 1 {
		t.Fatalf("%d dialogs open, want the file picker", n)
	}
	if _, ok := fx.u.dialogs[0].(*dialog.FileDialog); !ok {
		t.Errorf("dialog is %T, want a file picker", fx.u.dialogs[0])
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestImportScreenshots writes the preview, with rows of every state, and
// the result to ENLACE_SHOTS; it is skipped otherwise.
func TestImportScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fx := newImportFixture(t)
	google := mustRead(t, filepath.Join("..", "data", "forms", "testdata", "google.csv"))
	invalid := mustRead(t, filepath.Join("..", "data", "forms", "testdata", "invalid.csv"))
	// The first two answers were imported last week.
	first := fx.preview(t, fx.export(t, "semana1.csv", google[:bytes.Index(google, []byte("17/09/2022"))]))
	test.Tap(first.all)
	fx.u.dismissTop()
	// This week's export: everything, plus four answers with errors.
	body := invalid[bytes.IndexByte(invalid, '\n')+1:]
	p := fx.preview(t, fx.export(t, "respuestas-formulario.csv", append(append([]byte{}, google...), body...)))
	p.table.Select(widget.TableCellID{Row: 7, Col: colStatus})
	shotWindow(t, fx.u.win, filepath.Join(dir, "import-preview.png"))
	test.Tap(p.valid)
	shotWindow(t, fx.u.win, filepath.Join(dir, "import-result.png"))
	fx.u.dismissTop()
	// An AE referral of a DNI holder: proposed, its note says why.
	hits, _ := fx.store.Search("Luis Gómez", 1)
	refs, err := fx.store.PersonReferrals(hits[0].ID)
	if err != nil || len(refs) != 1 {
		t.Fatalf("Luis's referrals: %d, %v", len(refs), err)
	}
	fx.u.referrals.open(refs[0].ID)
	shotWindow(t, fx.u.win, filepath.Join(dir, "import-referral.png"))
}
