package ui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// remClock is the reminder tests' clock: it starts on Wednesday 25
// November 2026 at 10:00 in Madrid, adds a second at each reading, and
// the test can move it.
type remClock struct{ t time.Time }

func (c *remClock) now() time.Time { c.t = c.t.Add(time.Second); return c.t }

// remFixture is the whole main window over a fresh store holding Ana
// (NIE expiring on 20 December: an expiry reminder is overdue) and a
// manual reminder for her due today at 09:00.
type remFixture struct {
	u      *App
	store  *data.Store
	clock  *remClock
	ana    data.Person
	manual data.Reminder
	sent   []*fyne.Notification
}

func newRemFixture(t *testing.T) *remFixture {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	fx := &remFixture{clock: &remClock{t: time.Date(2026, 11, 24, 8, 0, 0, 0, madrid())}}
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{Now: fx.clock.now}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	fx.store = store
	fx.ana = ana()
	if err := store.CreatePerson(&fx.ana, "semilla"); err != nil {
		t.Fatal(err)
	}
	fx.manual = data.Reminder{PersonID: fx.ana.ID, At: data.At(remDay(0), 9, 0), Text: "Llamar para confirmar la cita de huellas"}
	if err := store.CreateReminder(&fx.manual, "semilla"); err != nil {
		t.Fatal(err)
	}
	fx.clock.t = time.Date(2026, 11, 25, 10, 0, 0, 0, madrid())
	fx.u = New(a, store, "test")
	fx.u.win.Resize(fyne.NewSize(1280, 800))
	fx.u.reminders.watch.send = func(n *fyne.Notification) { fx.sent = append(fx.sent, n) }
	return fx
}

// remDay is 25 November 2026 plus n days.
func remDay(n int) data.Date { return data.Date{Year: 2026, Month: time.November, Day: 25}.AddDays(n) }

// open shows the Recordatorios tab, brought up to date.
func (fx *remFixture) open() *remindersScreen {
	fx.u.tabs.SelectIndex(remindersTab)
	fx.u.reminders.refresh()
	return fx.u.reminders
}

// row returns the row drawn for the reminder whose text contains text.
func (fx *remFixture) row(t *testing.T, l *reminderList, text string) *reminderRow {
	t.Helper()
	for i, it := range l.items {
		if strings.Contains(it.Text, text) {
			o := l.list.CreateItem()
			l.list.UpdateItem(i, o)
			return o.(*reminderRowWidget).parts
		}
	}
	t.Fatalf("no row with %q in %q", text, listRows(l.list))
	return nil
}

// remButton returns the visible button labelled text in o's tree.
func remButton(o fyne.CanvasObject, text string) *widget.Button {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Button:
		if w.Text == text {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := remButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			if b := remButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// tapInDialog taps the button labelled text in the top dialog.
func (fx *remFixture) tapInDialog(t *testing.T, text string) {
	t.Helper()
	b := remButton(fx.u.win.Canvas().Overlays().Top(), text)
	if b == nil {
		t.Fatalf("no %q button in the open dialog", text)
	}
	test.Tap(b)
}

func TestReminderDueAppearsAndCompletingAddsTimelineEvent(t *testing.T) {
	fx := newRemFixture(t)
	s := fx.open()
	if got := s.views.Items[0].Text; got != "Vencidos (2)" {
		t.Errorf("view tab %q, want Vencidos (2): the manual one and Ana's NIE (30 days)", got)
	}
	if got := fx.u.tabs.Items[remindersTab].Text; got != "Recordatorios (2)" {
		t.Errorf("navigation %q", got)
	}
	rows := listRows(s.list.list)
	if !anyContains(rows, "Ana María Pérez López | Hoy, 09:00 | Llamar para confirmar la cita de huellas") {
		t.Fatalf("rows %q", rows)
	}
	if !anyContains(rows, "NIE caduca el 20/12/2026 (aviso de 30 días)") {
		t.Errorf("no expiry reminder in %q", rows)
	}

	r := fx.row(t, s.list, "cita de huellas")
	test.Tap(r.done)
	note, ok := fx.u.win.Canvas().Focused().(*entry)
	if !ok {
		t.Fatalf("focus on %T, want the note", fx.u.win.Canvas().Focused())
	}
	test.Type(note, "Cita confirmada para el jueves")
	fx.tapInDialog(t, "Marcar como hecho")

	tl, err := fx.store.Timeline(fx.ana.ID, data.EventReminderDone)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 1 || tl[0].Author != datatest.Name ||
		tl[0].Text != "Recordatorio hecho: Llamar para confirmar la cita de huellas\nNota: Cita confirmada para el jueves" {
		t.Fatalf("timeline %+v", tl)
	}
	if got := s.views.Items[0].Text; got != "Vencidos (1)" {
		t.Errorf("after done: %q", got)
	}
	if got := fx.u.tabs.Items[remindersTab].Text; got != "Recordatorios (1)" {
		t.Errorf("navigation after done: %q", got)
	}
	if anyContains(listRows(s.list.list), "cita de huellas") {
		t.Error("the done reminder is still listed")
	}

	// The ficha shows it on the timeline and under Recordatorios.
	fx.u.showPerson(fx.ana.ID)
	pg := fx.u.people.page
	if !anyContains(listRows(pg.tl.list), "Recordatorio hecho: Llamar para confirmar") {
		t.Errorf("timeline rows %q", listRows(pg.tl.list))
	}
	if got := pg.tabs.Items[4].Text; got != "Recordatorios (2)" {
		t.Errorf("person tab %q, want the two expiry reminders pending", got)
	}
	if rows := listRows(pg.rems.list.list); !anyContains(rows, "Hecho | Llamar para confirmar") {
		t.Errorf("person reminders %q", rows)
	}
}

func TestReminderViewsAndSnooze(t *testing.T) {
	fx := newRemFixture(t)
	s := fx.open()
	r := fx.row(t, s.list, "cita de huellas")
	test.Tap(r.snooze) // the menu; its "1 día" does this:
	fx.u.dismissTop()
	s.list.snoozeDays(fx.manual.ID, 1)
	got, _ := fx.store.Reminder(fx.manual.ID)
	if got.Due() != data.At(remDay(1), 9, 0) || len(got.Snoozes) != 1 || got.Snoozes[0].By != datatest.Name {
		t.Errorf("snoozed %+v", got)
	}
	if anyContains(listRows(s.list.list), "cita de huellas") {
		t.Error("a snoozed reminder is still in Vencidos")
	}
	s.views.SelectIndex(2) // Resto de la semana
	rows := listRows(s.list.list)
	if !anyContains(rows, "Ana María Pérez López | Mañana, 09:00 | Llamar para confirmar") ||
		!anyContains(rows, "Pospuesto; era el 25/11/2026 09:00") {
		t.Errorf("this week %q", rows)
	}
	// each reminder in one view: the overdue one is not counted again in Hoy or the week
	want := []string{"Vencidos (1)", "Hoy", "Resto de la semana (1)", "Todos (3)"}
	for i, w := range want {
		if s.views.Items[i].Text != w {
			t.Errorf("view %d is %q, want %q", i, s.views.Items[i].Text, w)
		}
	}

	// A date picked in the dialog; a past one is refused in place.
	s.views.SelectIndex(3)
	test.Tap(fx.row(t, s.list, "cita de huellas").snooze)
	fx.u.dismissTop()
	s.list.onSnoozeDate(fx.manual.ID)
	day := fx.u.win.Canvas().Focused().(*entry)
	day.SetText("20/11/2026")
	fx.tapInDialog(t, "Posponer")
	if len(fx.u.dialogs) != 1 {
		t.Fatal("a past date closed the dialog")
	}
	day.SetText("01/12/2026")
	fx.tapInDialog(t, "Posponer")
	if got, _ := fx.store.Reminder(fx.manual.ID); got.Due() != data.At(data.Date{Year: 2026, Month: time.December, Day: 1}, 9, 0) {
		t.Errorf("picked date: due %v", got.Due())
	}
}

func TestReminderAssigneeFilter(t *testing.T) {
	fx := newRemFixture(t)
	st := data.Staff{Name: "Laura Martín", Role: data.RoleTechnician, Email: "laura@madrid.es", Active: true}
	if err := fx.store.SaveStaff(&st, "semilla"); err != nil {
		t.Fatal(err)
	}
	r := data.Reminder{PersonID: fx.ana.ID, At: data.At(remDay(0), 9, 30), Text: "Revisar el CV", Assignee: st.ID}
	if err := fx.store.CreateReminder(&r, "semilla"); err != nil {
		t.Fatal(err)
	}
	s := fx.open()
	if got := s.assignee.Options; len(got) != 3 || got[2] != "Laura Martín" {
		t.Fatalf("assignee options %q", got)
	}
	s.assignee.SetSelected("Laura Martín")
	rows := listRows(s.list.list)
	if len(rows) != 1 || !strings.Contains(rows[0], "Revisar el CV") || !strings.Contains(rows[0], "Responsable: Laura Martín") {
		t.Errorf("Laura's %q", rows)
	}
	if s.views.Items[0].Text != "Vencidos (1)" {
		t.Errorf("counts follow the filter: %q", s.views.Items[0].Text)
	}
	s.assignee.SetSelected("Sin responsable")
	if rows := listRows(s.list.list); len(rows) != 2 || anyContains(rows, "Revisar el CV") {
		t.Errorf("unassigned %q", rows)
	}
}

func TestReminderFormCreates(t *testing.T) {
	fx := newRemFixture(t)
	s := fx.open()
	f := showReminderForm(fx.u, "", nil)
	f.onSaved = func(data.Reminder) { fx.u.reminderChanged() }
	f.text.SetText("Revisar la oferta de empleo")
	fx.tapInDialog(t, "Guardar")
	if !f.err.Visible() || f.err.Text != "Elija la persona: búsquela y púlsela en la lista." {
		t.Fatalf("no person: %q", f.err.Text)
	}
	test.Type(f.search, "pérez")
	if len(f.hits) != 1 {
		t.Fatalf("hits %+v", f.hits)
	}
	f.results.Select(0)
	if f.chosen.Text != "Ana María Pérez López · NIE X1234567L" {
		t.Errorf("chosen %q", f.chosen.Text)
	}
	f.clock.SetText("16.30")
	f.who.SetText("Pedro Sanz")
	f.repeat.SetSelected("Cada semana")
	fx.tapInDialog(t, "Guardar")
	if len(fx.u.dialogs) != 0 {
		t.Fatalf("dialog still open: %q", f.err.Text)
	}
	rs, _ := fx.store.Reminders(data.ReminderFilter{PersonID: fx.ana.ID})
	var got *data.Reminder
	for i := range rs {
		if rs[i].Text == "Revisar la oferta de empleo" {
			got = &rs[i]
		}
	}
	if got == nil || got.At != data.At(remDay(1), 16, 30) || got.Repeat != data.RepeatWeekly ||
		got.AssigneeText != "Pedro Sanz" || got.CreatedBy != datatest.Name {
		t.Fatalf("stored %+v", got)
	}
	s.views.SelectIndex(3)
	if !anyContains(listRows(s.list.list), "Ana María Pérez López | Mañana, 16:30 | Revisar la oferta de empleo") {
		t.Errorf("rows %q", listRows(s.list.list))
	}

	// From the ficha the person is fixed.
	fx.u.showPerson(fx.ana.ID)
	f = showReminderForm(fx.u, fx.ana.ID, nil)
	if !f.fixed || f.person.ID != fx.ana.ID || f.chosen.Text != "Ana María Pérez López · NIE X1234567L" {
		t.Errorf("from the ficha: fixed %v person %q", f.fixed, f.person.ID)
	}
	f.clock.SetText("25:00")
	f.text.SetText("x")
	fx.tapInDialog(t, "Guardar")
	if !strings.Contains(f.err.Text, "La hora «25:00» no es válida") {
		t.Errorf("bad time: %q", f.err.Text)
	}
}

func TestReminderNotifications(t *testing.T) {
	fx := newRemFixture(t)
	later := data.Reminder{PersonID: fx.ana.ID, At: data.At(remDay(0), 16, 0), Text: "Enviar el CV a la empresa"}
	if err := fx.store.CreateReminder(&later, "semilla"); err != nil {
		t.Fatal(err)
	}
	n := fx.u.reminders.watch
	n.check()
	if len(fx.sent) != 1 || fx.sent[0].Title != "Enlace: 2 recordatorios vencidos" ||
		!strings.Contains(fx.sent[0].Content, "Llamar para confirmar la cita de huellas") ||
		strings.Contains(fx.sent[0].Content, "Ana") {
		t.Fatalf("at start: %+v", fx.sent)
	}
	if got := fx.u.tabs.Items[remindersTab].Text; got != "Recordatorios (2)" {
		t.Errorf("navigation %q", got)
	}
	n.check()
	if len(fx.sent) != 1 {
		t.Errorf("told twice: %+v", fx.sent[1:])
	}
	fx.clock.t = time.Date(2026, 11, 25, 16, 0, 30, 0, madrid())
	n.check()
	if len(fx.sent) != 2 || fx.sent[1].Title != "Recordatorio de las 16:00" || fx.sent[1].Content != "Enviar el CV a la empresa" {
		t.Fatalf("falling due: %+v", fx.sent[1:])
	}
	if got := fx.u.tabs.Items[remindersTab].Text; got != "Recordatorios (3)" {
		t.Errorf("navigation %q", got)
	}
}

func TestReminderTrayIconBadge(t *testing.T) {
	for _, n := range []int{0, 3, 12} {
		res := trayIcon(n)
		img, err := png.Decode(bytes.NewReader(res.Content()))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != 64 {
			t.Errorf("%d: %v", n, img.Bounds())
		}
		r, g, _, _ := img.At(64-18+14, 18).RGBA() // inside the badge, right of the digits
		red := r>>8 > 0xC0 && g>>8 < 0x60
		if red != (n > 0) {
			t.Errorf("%d: badge red %v", n, red)
		}
	}
}

// TestReminderScreenshots writes PNGs of the Recordatorios screen and the
// new-reminder dialog to the folder named by ENLACE_SHOTS.
func TestReminderScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fx := newRemFixture(t)
	fx.u.applyTheme("light")
	st := data.Staff{Name: "Laura Martín", Role: data.RoleTechnician, Email: "laura@madrid.es", Active: true}
	if err := fx.store.SaveStaff(&st, "semilla"); err != nil {
		t.Fatal(err)
	}
	j := jorge()
	if err := fx.store.CreatePerson(&j, "semilla"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []data.Reminder{
		{PersonID: j.ID, At: data.At(remDay(0), 16, 30), Text: "Enviar el CV actualizado a la empresa de logística", Assignee: st.ID},
		{PersonID: j.ID, At: data.At(remDay(2), 11, 0), Text: "Acompañar a la entrevista en la Agencia de Zona Tetuán", Repeat: data.RepeatWeekly},
		{PersonID: fx.ana.ID, At: data.At(remDay(8), 9, 0), Text: "Preguntar por el curso de contabilidad", AssigneeText: "Pedro Sanz"},
	} {
		if err := fx.store.CreateReminder(&r, "semilla"); err != nil {
			t.Fatal(err)
		}
	}
	ref := data.Referral{PersonID: j.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-itinerario", Date: remDay(-10)}
	if err := fx.store.Propose(&ref, "semilla"); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.Apply(ref.ID, data.Change{Action: data.ActInclude}, "semilla"); err != nil {
		t.Fatal(err)
	}
	s := fx.open()
	shot(t, fx.u, filepath.Join(dir, "reminders-overdue.png"))
	s.views.SelectIndex(3)
	shot(t, fx.u, filepath.Join(dir, "reminders-all.png"))
	f := showReminderForm(fx.u, "", nil)
	test.Type(f.search, "a")
	f.results.Select(0)
	f.text.SetText("Llamar para saber si le han dado cita para la huella")
	shot(t, fx.u, filepath.Join(dir, "reminders-new.png"))
	fx.u.dismissTop()
	test.Tap(fx.row(t, s.list, "cita de huellas").done)
	shot(t, fx.u, filepath.Join(dir, "reminders-complete.png"))
	fx.u.dismissTop()
	fx.u.showPerson(fx.ana.ID)
	pg := fx.u.people.page
	pg.tabs.SelectIndex(len(pg.tabs.Items) - 1)
	shot(t, fx.u, filepath.Join(dir, "reminders-person.png"))
}

// TestReminderSnoozeSaysWhereAndUndoes: Posponer → 1 día says where the
// reminder went, and Deshacer on the strip brings it back among the overdue.
func TestReminderSnoozeSaysWhereAndUndoes(t *testing.T) {
	fx := newRemFixture(t)
	s := fx.open()
	fx.row(t, s.list, "huellas")
	s.list.snoozeDays(fx.manual.ID, 1)
	got := strings.Join(shownTexts(fx.u.saved.root), " ")
	if want := "«Llamar para confirmar la cita de huellas» de Ana María Pérez López pospuesto hasta el 26/11/2026 09:00."; !strings.Contains(got, want) {
		t.Fatalf("the strip says %q, want %q", got, want)
	}
	if slices.ContainsFunc(s.list.items, func(it reminderItem) bool { return it.ID == fx.manual.ID }) {
		t.Errorf("the snoozed reminder is still in Vencidos")
	}
	undo := remButton(fx.u.saved.root, "Deshacer")
	if undo == nil {
		t.Fatal("no Deshacer on the strip")
	}
	test.Tap(undo)
	if got := strings.Join(shownTexts(fx.u.saved.root), " "); !strings.Contains(got, "de Ana María Pérez López vuelve a estar para el 25/11/2026 09:00") {
		t.Errorf("after Deshacer the strip says %q", got)
	}
	if !slices.ContainsFunc(s.list.items, func(it reminderItem) bool { return it.ID == fx.manual.ID }) {
		t.Errorf("after Deshacer the reminder is not back in Vencidos: %q", listRows(s.list.list))
	}
	if r, _ := fx.store.Reminder(fx.manual.ID); !r.Snoozed.IsZero() || len(r.Snoozes) != 0 {
		t.Errorf("stored after undo: snoozed %v, %d snoozes", r.Snoozed, len(r.Snoozes))
	}
}

// TestReminderCallDoneInOneClick: the weekly follow-up row has "Llamada
// hecha"; one click writes the call in Ana's timeline, takes the row off
// the list and says so.
func TestReminderCallDoneInOneClick(t *testing.T) {
	fx := newRemFixture(t)
	r := data.Referral{PersonID: fx.ana.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-itinerario", Date: remDay(-1)}
	if err := fx.store.Propose(&r, "Laura"); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.Apply(r.ID, data.Change{Action: data.ActInclude}, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	s := fx.open()
	row := fx.row(t, s.list, "Seguimiento")
	if row.call.Hidden {
		t.Fatal("the follow-up row has no 'Llamada hecha'")
	}
	if manual := fx.row(t, s.list, "huellas"); !manual.call.Hidden {
		t.Error("a manual reminder offers 'Llamada hecha'")
	}
	test.Tap(fx.row(t, s.list, "Seguimiento").call)
	calls, err := fx.store.Timeline(fx.ana.ID, data.EventCall)
	if err != nil || len(calls) != 1 {
		t.Fatalf("calls in the timeline: %d, %v", len(calls), err)
	}
	if got := strings.Join(shownTexts(fx.u.saved.root), " "); !strings.Contains(got, "Llamada anotada en el historial de Ana") {
		t.Errorf("the strip says %q", got)
	}
	for _, it := range s.list.items {
		if it.Source == data.SourceFollowUp && it.IsDue(fx.clock.t) {
			t.Errorf("the follow-up is still due: %q", listRows(s.list.list))
		}
	}
	if items, _ := fx.store.FollowUpDue(fx.clock.t); len(items) != 0 {
		t.Errorf("Seguimiento semanal still lists Ana")
	}
}
