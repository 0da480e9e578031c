package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// attachmentsPage opens Ana's page on its Documentos tab.
func attachmentsPage(t *testing.T) (*App, *data.Store, *personAttachments) {
	t.Helper()
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("", 1)
	u.people.openPerson(hits[0].ID)
	pg := u.people.page
	for _, it := range pg.tabs.Items {
		if it.Content == pg.docs.root {
			pg.tabs.Select(it)
		}
	}
	t.Cleanup(pg.docs.removeTemp)
	return u, store, pg.docs
}

// docsTabText is the label of the person page's Documentos tab.
func docsTabText(u *App) string {
	pg := u.people.page
	for _, it := range pg.tabs.Items {
		if it.Content == pg.docs.root {
			return it.Text
		}
	}
	return ""
}

// topDialogText is what the newest dialog says.
func topDialogText(u *App) string {
	return strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " | ")
}

func TestAttachmentTabAddShowsFileAndDeleteAsks(t *testing.T) {
	u, store, pa := attachmentsPage(t)
	if !pa.empty.Visible() || len(listRows(pa.list)) != 0 || docsTabText(u) != "Documentos" {
		t.Fatalf("before adding: empty note visible %v, rows %q, tab %q", pa.empty.Visible(), listRows(pa.list), docsTabText(u))
	}
	pa.addFrom("/home/ana/cv-ana.pdf", strings.NewReader("Currículum de Ana"))
	rows := listRows(pa.list)
	if len(rows) != 1 {
		t.Fatalf("after adding: rows %q", rows)
	}
	for _, want := range []string{"cv-ana.pdf", "18 bytes · añadido el 25/11/2026 10:00 por ", datatest.Name, "[Abrir]", "[Guardar como…]", "[Borrar]"} {
		if !strings.Contains(rows[0], want) {
			t.Errorf("row %q lacks %q", rows[0], want)
		}
	}
	if pa.empty.Visible() || docsTabText(u) != "Documentos (1)" {
		t.Errorf("empty note visible %v, tab %q", pa.empty.Visible(), docsTabText(u))
	}
	if tl := listRows(u.people.page.tl.list); len(tl) == 0 || !strings.Contains(tl[0], "Documento adjunto: cv-ana.pdf (18 bytes)") {
		t.Errorf("timeline does not show the new document: %q", tl)
	}

	row := pa.list.CreateItem().(*attachmentRow)
	pa.list.UpdateItem(0, row)
	test.Tap(row.del)
	if msg := topDialogText(u); !strings.Contains(msg, "¿Borrar «cv-ana.pdf» de la ficha?") {
		t.Fatalf("delete confirmation says %q", msg)
	}
	b := remButton(u.win.Canvas().Overlays().Top(), "Borrar")
	if b == nil {
		t.Fatal("no Borrar button in the confirmation")
	}
	test.Tap(b)
	if rows := listRows(pa.list); len(rows) != 0 || !pa.empty.Visible() {
		t.Errorf("after deleting: rows %q, empty note visible %v", rows, pa.empty.Visible())
	}
	if list, _ := store.Attachments(pa.personID); len(list) != 0 {
		t.Errorf("still stored: %+v", list)
	}
}

func TestAttachmentTooLargeShowsMessage(t *testing.T) {
	tests := []struct {
		name    string
		content func(t *testing.T) *os.File
		want    string
	}{
		{"23.4 MB", func(t *testing.T) *os.File { return bigFile(t, 234*data.MaxAttachment/200) },
			"El archivo «grande.pdf» ocupa 23,4 MB: el máximo es 20 MB."},
		{"one byte over", func(t *testing.T) *os.File { return bigFile(t, data.MaxAttachment+1) },
			"El archivo «grande.pdf» ocupa más de 20 MB: el máximo es 20 MB."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, _, pa := attachmentsPage(t)
			pa.addFrom("grande.pdf", tc.content(t))
			if msg := topDialogText(u); !strings.Contains(msg, tc.want) {
				t.Errorf("dialog says %q, want %q", msg, tc.want)
			}
			if rows := listRows(pa.list); len(rows) != 0 {
				t.Errorf("refused file listed: %q", rows)
			}
		})
	}
}

// bigFile is a file of size bytes that takes no room on disk.
func bigFile(t *testing.T, size int64) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "grande.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAttachmentOpenAndSaveAreLogged(t *testing.T) {
	_, store, pa := attachmentsPage(t)
	const body = "Currículum de Ana, 7c1e"
	pa.addFrom("cv.pdf", strings.NewReader(body))
	a := pa.items[0]

	pa.onOpen(a)
	copies, _ := filepath.Glob(filepath.Join(pa.tempDir, "*", "cv.pdf"))
	if len(copies) != 1 {
		t.Fatalf("opened copies in %s: %q", pa.tempDir, copies)
	}
	if raw, err := os.ReadFile(copies[0]); err != nil || string(raw) != body {
		t.Errorf("opened copy = %q, %v", raw, err)
	}
	if fi, err := os.Stat(copies[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("opened copy mode = %v, %v; want 0600", fi.Mode(), err)
	}

	dest := filepath.Join(t.TempDir(), "copia.pdf")
	w, err := storage.Writer(storage.NewFileURI(dest))
	if err != nil {
		t.Fatal(err)
	}
	pa.saveTo(a, w)
	if raw, err := os.ReadFile(dest); err != nil || !bytes.Equal(raw, []byte(body)) {
		t.Errorf("saved copy = %q, %v", raw, err)
	}

	entries, err := store.Audit(data.AuditFilter{Subject: a.PersonID})
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, e := range entries {
		if e.Op == data.AuditExport && e.Kind == "documento adjunto" {
			exports = append(exports, e.Detail)
		}
	}
	if len(exports) != 2 || !strings.Contains(exports[0], dest) || !strings.HasPrefix(exports[1], "cv.pdf") {
		t.Errorf("exports logged: %q; want the save to %s, then the open", exports, dest)
	}

	dir := pa.tempDir
	pa.removeTemp()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary folder %s left after quitting: %v", dir, err)
	}
}
