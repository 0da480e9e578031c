package ui

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// peopleNow is the people tests' clock: 25 November 2026, 10:00 in Madrid,
// one second later at each reading.
var peopleNow = time.Date(2026, 11, 25, 10, 0, 0, 0, madrid())

// peopleTestApp builds the whole main window over a new store under
// t.TempDir, with a fixed clock and an author.
func peopleTestApp(t *testing.T, seed ...data.Person) (*App, *data.Store) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	now := peopleNow
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
	for i := range seed {
		if err := store.CreatePerson(&seed[i], "semilla"); err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	u := New(a, store, "test")
	u.win.Resize(fyne.NewSize(1280, 800))
	return u, store
}

func ana() data.Person {
	return data.Person{
		FirstName: "Ana María", LastName: "Pérez López", Gender: data.GenderWoman,
		BirthDate: data.Date{Year: 1990, Month: time.March, Day: 14}, Nationality: "VE",
		DocKind: data.DocNIE, DocNumber: "X1234567L", DocExpiry: data.Date{Year: 2026, Month: time.December, Day: 20},
		Phone1: "612345678", Email: "ana.perez@example.org",
	}
}

func jorge() data.Person {
	return data.Person{
		FirstName: "Jorge", LastName: "Castillo Ramos", Nationality: "PE",
		DocKind: data.DocPassport, DocNumber: "PE1234567", Phone1: "+51 987654321",
	}
}

// listRows returns what each row of list shows: its labels' texts joined
// with " | ", drawn by the list's own callbacks.
func listRows(l *widget.List) []string {
	var out []string
	for i := 0; i < l.Length(); i++ {
		o := l.CreateItem()
		l.UpdateItem(i, o)
		out = append(out, strings.Join(shownTexts(o), " | "))
	}
	return out
}

// shownTexts returns the visible text of every label, rich text and
// button in o, in layout order.
func shownTexts(o fyne.CanvasObject) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Label:
		return []string{w.Text}
	case *widget.RichText:
		return []string{w.String()}
	case *widget.Button:
		return []string{"[" + w.Text + "]"}
	case *fyne.Container:
		var out []string
		for _, c := range w.Objects {
			out = append(out, shownTexts(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, shownTexts(c)...)
		}
		return out
	}
	return nil
}

func anyContains(rows []string, want string) bool {
	for _, r := range rows {
		if strings.Contains(r, want) {
			return true
		}
	}
	return false
}

func TestPeopleSearchAsYouType(t *testing.T) {
	u, _ := peopleTestApp(t, ana(), jorge())
	s := u.people
	if rows := listRows(s.list); len(rows) != 2 {
		t.Fatalf("empty search lists %d rows, want everyone (2): %q", len(rows), rows)
	}
	if s.status.Text != "2 personas" {
		t.Errorf("status = %q, want %q", s.status.Text, "2 personas")
	}
	tests := []struct {
		name, query, want, notWant string
	}{
		{"surname without accent", "perez", "Ana María Pérez López", "Jorge"},
		{"upper case with accent", "PÉREZ lóp", "Ana María Pérez López", "Jorge"},
		{"document", "x1234567l", "Ana María Pérez López", "Jorge"},
		{"phone as typed", "612 34 56 78", "Ana María Pérez López", "Jorge"},
		{"e-mail", "ana.perez@example.org", "Ana María Pérez López", "Jorge"},
		{"other person", "castillo", "Jorge Castillo Ramos", "Ana"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.search.SetText("")
			test.Type(s.search, tc.query)
			rows := listRows(s.list)
			if !anyContains(rows, tc.want) {
				t.Errorf("search %q: rows %q lack %q", tc.query, rows, tc.want)
			}
			if anyContains(rows, tc.notWant) {
				t.Errorf("search %q: rows %q still show %q", tc.query, rows, tc.notWant)
			}
		})
	}

	s.search.SetText("")
	test.Type(s.search, "zzz")
	if rows := listRows(s.list); len(rows) != 0 {
		t.Errorf("search zzz shows %q", rows)
	}
	if want := "Nadie coincide con «zzz»."; s.status.Text != want {
		t.Errorf("status = %q, want %q", s.status.Text, want)
	}
}

func TestPeopleRowShowsNoIDs(t *testing.T) {
	a := ana()
	u, store := peopleTestApp(t, a)
	hits, _ := store.Search("", 10)
	row := listRows(u.people.list)[0]
	for _, want := range []string{"Ana María Pérez López", "NIE X1234567L", "14/03/1990", "612 345 678"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	if strings.Contains(row, hits[0].ID) {
		t.Errorf("row %q shows the internal ID", row)
	}
}

func TestPeopleListIsCapped(t *testing.T) {
	u, store := peopleTestApp(t)
	err := store.Batch("semilla", func(b *data.Batch) error {
		for i := range maxHits + 1 {
			p := data.Person{FirstName: fmt.Sprintf("Persona %d", i), LastName: "Prueba"}
			if err := b.CreatePerson(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	u.people.refresh()
	if n := u.people.list.Length(); n != maxHits {
		t.Errorf("list has %d rows, want %d", n, maxHits)
	}
	if want := "Mostrando 500 de 501 — escriba más para afinar"; u.people.status.Text != want {
		t.Errorf("status = %q, want %q", u.people.status.Text, want)
	}
}

func TestPeopleNewPersonFormValidatesInline(t *testing.T) {
	u, store := peopleTestApp(t)
	s := u.people
	s.onNew()
	f := s.form
	if f == nil {
		t.Fatal("onNew opened no form")
	}
	test.Type(f.firstName, "LUCÍA")
	test.Type(f.lastName, "GÓMEZ")
	f.docKind.SetSelected("NIE")
	test.Type(f.docNumber, "X1234567A")
	test.Type(f.birth, "31/02/1990")
	test.Tap(f.save)

	if n := store.PersonCount(); n != 0 {
		t.Fatalf("invalid form saved: %d people", n)
	}
	if s.form == nil || len(u.dialogs) != 1 {
		t.Fatalf("the form closed on an invalid save (dialogs open: %d)", len(u.dialogs))
	}
	if l := f.errs["DocNumber"]; !l.Visible() || !strings.Contains(l.Text, "debería ser L") {
		t.Errorf("NIE error = %q (visible %v), want the right letter L", l.Text, l.Visible())
	}
	if l := f.errs["BirthDate"]; !l.Visible() || !strings.Contains(l.Text, "31/02/1990") {
		t.Errorf("birth date error = %q (visible %v), want the bad date reported", l.Text, l.Visible())
	}
	if !f.summary.Visible() || !strings.Contains(f.summary.Text, "Número") {
		t.Errorf("summary = %q (visible %v), want it to name the field", f.summary.Text, f.summary.Visible())
	}

	f.docNumber.SetText("")
	test.Type(f.docNumber, "X1234567L")
	if f.errs["DocNumber"].Visible() {
		t.Error("the NIE error stays after the field was changed")
	}
	f.birth.SetText("")
	test.Type(f.birth, "28/02/1990")
	test.Tap(f.save)

	if n := store.PersonCount(); n != 1 {
		t.Fatalf("after fixing: %d people, want 1 (summary %q)", n, f.summary.Text)
	}
	if s.form != nil || len(u.dialogs) != 0 {
		t.Error("the form stayed open after a good save")
	}
	rows := listRows(s.list)
	if !anyContains(rows, "Lucía Gómez") || !anyContains(rows, "NIE X1234567L") {
		t.Errorf("list rows %q lack the new person", rows)
	}
	if s.page.name.Text != "Lucía Gómez" || !s.page.content().Visible() {
		t.Errorf("page shows %q (visible %v), want the new person", s.page.name.Text, s.page.content().Visible())
	}
}

func TestPeopleDuplicateOffersExisting(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	s := u.people
	s.onNew()
	f := s.form
	test.Type(f.firstName, "Ana")
	f.docKind.SetSelected("NIE")
	test.Type(f.docNumber, "x-1234567-l")
	test.Tap(f.save)

	if len(u.dialogs) != 2 {
		t.Fatalf("want the duplicate question over the form, have %d dialogs", len(u.dialogs))
	}
	texts := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " | ")
	if !strings.Contains(texts, "Ya existe una persona") || !strings.Contains(texts, "Ana María Pérez López") {
		t.Errorf("duplicate question shows %q", texts)
	}
	var open *widget.Button
	for _, o := range test.LaidOutObjects(u.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Abrir la existente" {
			open = b
		}
	}
	if open == nil {
		t.Fatal("no «Abrir la existente» button")
	}
	test.Tap(open)
	if n := store.PersonCount(); n != 1 {
		t.Errorf("%d people, want still 1", n)
	}
	if len(u.dialogs) != 0 || s.page.name.Text != "Ana María Pérez López" {
		t.Errorf("dialogs %d, page %q: want the existing person's page", len(u.dialogs), s.page.name.Text)
	}
}

func TestPeoplePageHeader(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("", 1)
	u.people.openPerson(hits[0].ID)
	pg := u.people.page
	if pg.facts.Text != "36 años · Venezuela · Mujer" {
		t.Errorf("facts = %q", pg.facts.Text)
	}
	if want := "NIE X1234567L · caduca el 20/12/2026, dentro de 25 días"; pg.doc.Text != want || pg.doc.Importance != widget.WarningImportance {
		t.Errorf("doc = %q (importance %v), want %q as a warning", pg.doc.Text, pg.doc.Importance, want)
	}
	if !strings.Contains(pg.contact.Text, "Tel. 612 345 678") || !strings.Contains(pg.contact.Text, "ana.perez@example.org") {
		t.Errorf("contact = %q", pg.contact.Text)
	}
}

func TestPeopleTimelineQuickAddAndCorrect(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("", 1)
	id := hits[0].ID
	old := data.Event{PersonID: id, At: peopleNow.Add(-48 * time.Hour), Kind: data.EventVisit, Text: "Primera cita en la oficina"}
	if err := store.AddEvent(&old, "Técnico"); err != nil {
		t.Fatal(err)
	}
	u.people.openPerson(id)
	tl := u.people.page.tl
	if rows := listRows(tl.list); len(rows) != 1 || !strings.Contains(rows[0], "Primera cita") {
		t.Fatalf("timeline rows = %q", rows)
	}

	tl.kind.SetSelected("Llamada")
	test.Type(tl.text, "Llama para pedir cita")
	tl.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter adds
	rows := listRows(tl.list)
	if len(rows) != 2 {
		t.Fatalf("after quick-add: rows %q", rows)
	}
	for _, want := range []string{"Llama para pedir cita", "Llamada", "25/11/2026 10:00", datatest.Name} {
		if !strings.Contains(rows[0], want) {
			t.Errorf("first row %q lacks %q", rows[0], want)
		}
	}
	if tl.text.Text != "" {
		t.Errorf("quick-add text not cleared: %q", tl.text.Text)
	}

	row := tl.list.CreateItem().(*eventRow)
	tl.list.UpdateItem(0, row)
	test.Tap(row.correct)
	f := tl.correcting
	if f == nil || f.text.Text != "Llama para pedir cita" {
		t.Fatalf("correction dialog not open with the text (form %v)", f)
	}
	f.text.SetText("Llama para pedir cita el lunes")
	test.Tap(f.save)
	if tl.correcting != nil {
		t.Error("correction dialog stays open after saving")
	}

	rows = listRows(tl.list)
	if len(rows) != 3 {
		t.Fatalf("after the correction: rows %q", rows)
	}
	if !strings.Contains(rows[0], "Llama para pedir cita el lunes") || !strings.Contains(rows[0], "Corrige la entrada del 25/11/2026 10:00") {
		t.Errorf("correction row = %q", rows[0])
	}
	if !strings.Contains(rows[1], "Llama para pedir cita") || !strings.Contains(rows[1], "Corregido por la entrada del 25/11/2026 10:00") ||
		strings.Contains(rows[1], "[Corregir]") {
		t.Errorf("corrected row = %q", rows[1])
	}
	tl.list.UpdateItem(1, row)
	if !row.strike.Visible() || row.text.Importance != widget.LowImportance {
		t.Error("the corrected entry is not struck through and dimmed")
	}

	tl.filter.SetSelected("Visita o cita")
	if rows := listRows(tl.list); len(rows) != 1 || !strings.Contains(rows[0], "Primera cita") {
		t.Errorf("filtered to visits: rows %q", rows)
	}
}

func TestPeopleQuickAddReportsBadInput(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("", 1)
	u.people.openPerson(hits[0].ID)
	tl := u.people.page.tl

	tl.at.SetText("32/11/2026 10:00")
	test.Type(tl.text, "Nota")
	test.Tap(findButton(t, tl.content(), "Añadir"))
	if !tl.addErr.Visible() || !strings.Contains(tl.addErr.Text, "32/11/2026") {
		t.Errorf("bad date: error %q (visible %v)", tl.addErr.Text, tl.addErr.Visible())
	}
	tl.resetAt()
	tl.text.SetText("")
	test.Tap(findButton(t, tl.content(), "Añadir"))
	if !tl.addErr.Visible() || !strings.Contains(tl.addErr.Text, "Escriba qué ha pasado") {
		t.Errorf("empty text: error %q (visible %v)", tl.addErr.Text, tl.addErr.Visible())
	}
	if ev, _ := store.Timeline(hits[0].ID); len(ev) != 0 {
		t.Errorf("bad input saved %d events", len(ev))
	}
}

func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// TestPeopleScreenshots writes PNGs of the people screen to the folder
// named by ENLACE_SHOTS, to look at the layout; it is skipped otherwise.
func TestPeopleScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	j, m := jorge(), ana()
	m.FirstName, m.LastName, m.DocNumber, m.Phone1, m.Email = "Mariana", "Quispe Huamán", "Y2345678Z", "699112233", ""
	m.DocExpiry = data.Date{Year: 2026, Month: time.October, Day: 1}
	full := ana()
	full.Address, full.PostalCode, full.City = "Calle de Bravo Murillo 123, 4º B", "28020", "Madrid"
	full.Phone2 = "915298210"
	full.ArrivalDate = data.Date{Year: 2023, Month: time.June, Day: 1}
	full.Regular, full.Atlas = true, "2024/AE/001234"
	full.Education = "Licenciada en Administración de Empresas (Universidad Central de Venezuela)"
	full.EducationLevel, full.ITLevel = "Universitarios", 2
	full.Experience = "Administrativa contable, 6 años en Caracas; camarera de pisos en Madrid, 8 meses"
	full.Languages, full.Interests = "Español nativo, inglés B1", "Contabilidad, atención al cliente; curso de SAGE"
	full.ConsentDate, full.ConsentAE, full.ConsentOMIOPI, full.ConsentHow = data.Date{Year: 2026, Month: time.November, Day: 3}, true, true, "Firma en papel"
	u, store := peopleTestApp(t, full, j, m)
	u.app.Settings().SetTheme(theme.LightTheme())
	for i := range 40 {
		p := data.Person{FirstName: fmt.Sprintf("Persona %02d", i), LastName: "De Prueba", Phone1: fmt.Sprintf("6%08d", i)}
		if err := store.CreatePerson(&p, "semilla"); err != nil {
			t.Fatal(err)
		}
	}
	hits, _ := store.Search("ana maria perez", 1)
	id := hits[0].ID
	for i, e := range []data.Event{
		{Kind: data.EventVisit, Text: "Primera cita en la Oficina Norte: trae pasaporte y empadronamiento"},
		{Kind: data.EventCall, Text: "Llama para preguntar por la renovación de la TIE"},
		{Kind: data.EventDocument, Text: "Entrega copia del título universitario para homologar"},
		{Kind: data.EventNote, Text: "Derivada al área de Formación: curso de contabilidad con SAGE\nSegunda línea"},
	} {
		e.PersonID, e.At = id, peopleNow.Add(-time.Duration(100-i*20)*time.Hour)
		if err := store.AddEvent(&e, "Laura Martín"); err != nil {
			t.Fatal(err)
		}
	}
	u.people.refresh()
	shot(t, u, filepath.Join(dir, "people-empty.png"))
	u.people.openPerson(id)
	tl := u.people.page.tl
	test.Type(tl.text, "Cita con la técnica de empleo el jueves")
	tl.onAdd()
	row := tl.list.CreateItem().(*eventRow)
	tl.list.UpdateItem(2, row)
	test.Tap(row.correct)
	tl.correcting.text.SetText("Entrega copia del título de bachillerato para homologar")
	test.Tap(tl.correcting.save)
	u.people.search.SetText("")
	u.people.list.Select(u.people.indexOf(id))
	shot(t, u, filepath.Join(dir, "people-timeline.png"))

	u.people.page.tabs.SelectIndex(1)
	shot(t, u, filepath.Join(dir, "people-ficha.png"))
	u.people.page.fichaSc.ScrollToBottom()
	shot(t, u, filepath.Join(dir, "people-ficha-end.png"))
	u.people.page.tabs.SelectIndex(0)

	// Ready to note a call, and the strip after a PDF was saved.
	u.showPersonForCall(id)
	w, err := storage.Writer(storage.NewFileURI(filepath.Join(t.TempDir(), "resumen-caso-AP-2026-11-25.pdf")))
	if err != nil {
		t.Fatal(err)
	}
	u.writeSavedPDF(w, []byte("%PDF-1.4"), "Resumen del caso", id)
	u.win.Resize(fyne.NewSize(1280, 801)) // the test canvas lays out again only on a resize
	u.win.Resize(fyne.NewSize(1280, 800))
	shot(t, u, filepath.Join(dir, "people-call-saved.png"))
	u.saved.hide()

	tl.list.UpdateItem(0, row)
	test.Tap(row.correct)
	shot(t, u, filepath.Join(dir, "people-correct.png"))
	u.dismissTop()

	u.people.onNew()
	f := u.people.form
	test.Type(f.firstName, "Lucía")
	test.Type(f.lastName, "Gómez")
	f.docKind.SetSelected("NIE")
	test.Type(f.docNumber, "X1234567A")
	test.Type(f.birth, "31/02/1990")
	test.Type(f.email, "lucia@")
	test.Type(f.nationality, "ecu")
	u.win.Canvas().Focus(f.docNumber) // the letter is marked once the box is left
	u.win.Canvas().Focus(f.email)
	u.win.Resize(fyne.NewSize(1281, 800)) // the test canvas lays out only on a resize
	u.win.Resize(fyne.NewSize(1280, 800))
	shot(t, u, filepath.Join(dir, "people-form-typing.png"))
	test.Tap(f.save)
	f.scroll.ScrollToTop()
	shot(t, u, filepath.Join(dir, "people-form-errors.png"))
	f.scroll.ScrollToOffset(fyne.NewPos(0, 700))
	shot(t, u, filepath.Join(dir, "people-form-lower.png"))
	u.dismissTop()

	u.people.onNew()
	f = u.people.form
	test.Type(f.firstName, "Ana")
	f.docKind.SetSelected("NIE")
	test.Type(f.docNumber, "X1234567L")
	test.Tap(f.save)
	shot(t, u, filepath.Join(dir, "people-duplicate.png"))
}

func shot(t *testing.T, u *App, path string) {
	t.Helper()
	img := u.win.Canvas().Capture()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, img); err != nil {
		t.Fatal(err)
	}
}
