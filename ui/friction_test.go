package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
)

// A state change is written by Enlace: its row and its detail offer no
// Corregir, and the quick-add row does not offer the kind.
func TestTimelineSystemEntriesHaveNoCorrect(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("", 1)
	id := hits[0].ID
	st := data.Event{PersonID: id, At: peopleNow.Add(-time.Hour), Kind: data.EventStatus, Text: "Derivación: Recibida → Incluida"}
	note := data.Event{PersonID: id, At: peopleNow.Add(-2 * time.Hour), Kind: data.EventNote, Text: "Nota a mano"}
	for _, e := range []*data.Event{&st, &note} {
		if err := store.AddEvent(e, "Técnico"); err != nil {
			t.Fatal(err)
		}
	}
	u.people.openPerson(id)
	tl := u.people.page.tl
	rows := listRows(tl.list)
	if len(rows) != 2 {
		t.Fatalf("rows = %q", rows)
	}
	if !strings.Contains(rows[0], "Cambio de estado") || strings.Contains(rows[0], "[Corregir]") {
		t.Errorf("state-change row = %q, want no [Corregir]", rows[0])
	}
	if !strings.Contains(rows[1], "[Corregir]") {
		t.Errorf("note row = %q, want [Corregir]", rows[1])
	}
	tl.showDetail(tl.events[0])
	if top := u.win.Canvas().Overlays().Top(); top == nil || !slices.Contains(shownTexts(top), "[Cerrar]") || slices.Contains(shownTexts(top), "[Corregir]") {
		t.Errorf("state-change detail = %q, want no [Corregir]", shownTexts(top))
	}
	if slices.Contains(tl.kind.Options, "Cambio de estado") {
		t.Errorf("quick-add kinds %q offer Cambio de estado", tl.kind.Options)
	}
}

// After a PDF is saved the window says where it went, with a button to its
// folder, and the file on disk is the PDF; the export is on record.
func TestSavedPDFSaysWhere(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	if u.saved.shown() {
		t.Fatal("the saved strip shows before anything was saved")
	}
	path := filepath.Join(t.TempDir(), "folleto.pdf")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	u.writeSavedPDF(w, []byte("%PDF-1.4 test"), "Folleto - Oficina Norte", "")
	if !u.saved.shown() {
		t.Fatal("no strip after saving")
	}
	texts := shownTexts(u.saved.root)
	if !slices.Contains(texts, "PDF guardado en "+path) || !slices.Contains(texts, "[Abrir carpeta]") {
		t.Errorf("strip = %q, want where the PDF went and Abrir carpeta", texts)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "%PDF-1.4 test" {
		t.Errorf("file = %q, %v", b, err)
	}
	if u.saved.dir == nil || strings.TrimSuffix(u.saved.dir.Path(), "/") != filepath.Dir(path) {
		t.Errorf("folder = %v, want %s", u.saved.dir, filepath.Dir(path))
	}
	recs, err := store.Audit(data.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Op != data.AuditExport || !strings.Contains(recs[0].Detail, path) {
		t.Errorf("last audit entry = %+v, want the export to %s", recs, path)
	}
}

// TestPersonFormChecksTheNIELetterAsTyped: a complete NIE with the wrong
// control letter is marked while typing, as dates are, not only on
// Guardar; the right letter clears it, and so does a kind without one.
func TestPersonFormChecksTheNIELetterAsTyped(t *testing.T) {
	u, _ := peopleTestApp(t)
	u.win.Show()
	u.people.onNew()
	f := u.people.form
	f.docKind.SetSelectedIndex(1 + slices.Index(data.DocKinds, data.DocNIE))
	test.Type(f.docNumber, "X1234567")
	if err := f.docNumber.Validate(); err != nil {
		t.Errorf("an NIE still being typed is already wrong: %v", err)
	}
	test.Type(f.docNumber, "A")
	err := f.docNumber.Validate()
	if err == nil || !strings.Contains(err.Error(), "letra") {
		t.Fatalf("X1234567A (the letter is L): %v", err)
	}
	f.docKind.SetSelectedIndex(1 + slices.Index(data.DocKinds, data.DocPassport))
	if err := f.docNumber.Validate(); err != nil {
		t.Errorf("as a passport number: %v", err)
	}
	f.docKind.SetSelectedIndex(1 + slices.Index(data.DocKinds, data.DocNIE))
	f.docNumber.SetText("X1234567L")
	if err := f.docNumber.Validate(); err != nil {
		t.Errorf("X1234567L: %v", err)
	}
}

// TestPersonFormNationalityOffersMatchesAsTyped: typing part of a country
// offers the matching ones under the box; a tap fills it in.
func TestPersonFormNationalityOffersMatchesAsTyped(t *testing.T) {
	u, _ := peopleTestApp(t)
	u.win.Show()
	u.people.onNew()
	f := u.people.form
	test.Type(f.nationality, "venez")
	got := shownTexts(f.natHints.root)
	if !slices.Equal(got, []string{"[Venezuela]"}) {
		t.Fatalf("typing «venez» offers %q", got)
	}
	test.Tap(findButton(t, f.natHints.root, "Venezuela"))
	if f.nationality.Text != "Venezuela" || len(shownTexts(f.natHints.root)) != 0 {
		t.Errorf("after the tap: %q, still offering %q", f.nationality.Text, shownTexts(f.natHints.root))
	}
	f.nationality.SetText("gu")
	if got := shownTexts(f.natHints.root); len(got) != maxSuggestions+1 || got[maxSuggestions] == "" {
		t.Errorf("«gu» offers %q: want %d buttons and how many more", got, maxSuggestions)
	}
	f.nationality.SetText("Narnia")
	if got := shownTexts(f.natHints.root); len(got) != 1 || !strings.Contains(got[0], "Procedencia") {
		t.Errorf("no country: %q", got)
	}
}

// TestAsYouTypeChecksSpeakEnglish: the live checks of a date and of the
// NIE letter give their message in the interface's language.
func TestAsYouTypeChecksSpeakEnglish(t *testing.T) {
	inEnglish(t)
	u, _ := peopleTestApp(t)
	u.win.Show()
	u.people.onNew()
	f := u.people.form
	f.docKind.SetSelectedIndex(1 + slices.Index(data.DocKinds, data.DocNIE))
	test.Type(f.docNumber, "X1234567A")
	test.Type(f.birth, "31/02/1990")
	for name, err := range map[string]error{"NIE": f.docNumber.Validate(), "date": f.birth.Validate()} {
		if err == nil || strings.ContainsAny(err.Error(), "áéíóúñ") || strings.Contains(err.Error(), " es ") {
			t.Errorf("%s check in English: %v", name, err)
		}
	}
}
