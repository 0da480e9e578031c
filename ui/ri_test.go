package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// showRI builds the Programa RI screen in a test app's window.
func showRI(t *testing.T) (*App, *riScreen) {
	t.Helper()
	u := officesTestApp(t)
	s := newRIScreen(u)
	u.ri = s
	u.win.SetContent(s.content())
	return u, s
}

// riShown is everything the RI screen shows, joined.
func riShown(s *riScreen) string {
	return strings.Join(laidOutLabelTexts(s.content()), " | ")
}

// addRIProject creates a project through its dialog, as a user would.
func addRIProject(t *testing.T, s *riScreen, number, year, entity string) {
	t.Helper()
	test.Tap(s.newBtn)
	f := s.projectForm
	if f == nil {
		t.Fatal("Nuevo proyecto opened no dialog")
	}
	test.Type(f.number, number)
	f.year.SetText("")
	test.Type(f.year, year)
	f.callYear.SetText("")
	test.Type(f.callYear, year)
	test.Type(f.entity, entity)
	test.Tap(f.saveBtn)
	if s.projectForm != nil {
		t.Fatalf("project dialog still open after Guardar: %q", f.marks.general.Text)
	}
}

func TestRIProjectCreateShowsInListAndStore(t *testing.T) {
	u, s := showRI(t)
	if !strings.Contains(riShown(s), "Todavía no hay proyectos RI") {
		t.Errorf("an empty database does not say how to start: %s", riShown(s))
	}
	addRIProject(t, s, "12", "2024", "Ayuntamiento de Getafe")
	p, err := u.store.FindRIProject("RI/12/2024")
	if err != nil || p.Entity != "Ayuntamiento de Getafe" || p.CallYear != 2024 || p.CreatedBy != datatest.Name {
		t.Fatalf("stored project %+v, %v", p, err)
	}
	shown := riShown(s)
	for _, want := range []string{"RI/12/2024", "Ayuntamiento de Getafe", "Expediente RI/12/2024",
		"participantes: 0 · tutores 0 de 0", "0,00 €", "Ayuntamiento de Getafe · convocatoria 2024"} {
		if !strings.Contains(shown, want) {
			t.Errorf("after saving, the screen does not show %q:\n%s", want, shown)
		}
	}

	// A number that is not one, no entity, the same expediente again.
	test.Tap(s.newBtn)
	f := s.projectForm
	test.Type(f.number, "doce")
	test.Tap(f.saveBtn)
	if got := f.marks.fields["Number"].Text; got != "Escriba el número del expediente en cifras, como 12." {
		t.Errorf("a number in letters says %q", got)
	}
	f.number.SetText("12")
	f.year.SetText("2024")
	test.Tap(f.saveBtn)
	if got := f.marks.fields["Entity"].Text; got != "Falta la entidad beneficiaria." {
		t.Errorf("no entity says %q", got)
	}
	test.Type(f.entity, "Ayuntamiento de Leganés")
	test.Tap(f.saveBtn)
	if got := f.marks.fields["Number"].Text; got != "Ya hay un proyecto con el expediente RI/12/2024." {
		t.Errorf("a repeated expediente says %q", got)
	}
	f.dlg.Hide()
	if ps, _ := u.store.RIProjects(); len(ps) != 1 {
		t.Errorf("%d projects stored after the refused saves, want 1", len(ps))
	}
}

func TestRITutorValidationAndSave(t *testing.T) {
	u, s := showRI(t)
	addRIProject(t, s, "3", "2025", "Ayuntamiento de Parla")
	test.Tap(s.tutors.addBtn)
	f := s.tutors.form
	if f == nil {
		t.Fatal("Añadir tutor opened no dialog")
	}
	test.Type(f.name, "LUCÍA MARTÍN GIL")
	test.Type(f.dni, "12345678A")
	test.Type(f.score, "8,75")
	f.degree.SetSelectedIndex(0)
	test.Type(f.start, "01/03/2025")
	test.Type(f.end, "31/05/2026")
	test.Tap(f.saveBtn)
	if got := f.marks.general.Text; !strings.Contains(got, "debería ser Z (Lucía Martín Gil)") || !f.marks.general.Visible() {
		t.Errorf("a wrong DNI says %q", got)
	}
	if p, _ := u.store.FindRIProject("RI/3/2025"); len(p.Tutors) != 0 {
		t.Fatal("a tutor with a wrong DNI was saved")
	}
	f.dni.SetText("12345678Z")
	f.end.SetText("31/02/2026")
	test.Tap(f.saveBtn)
	if got := f.marks.fields["ContractStart"].Text; !strings.Contains(got, "31/02/2026") {
		t.Errorf("an impossible date says %q", got)
	}
	f.end.SetText("31/05/2026")
	test.Tap(f.susp.add)
	f.susp.rows[0].cause.SetSelectedIndex(0)
	test.Type(f.susp.rows[0].from, "02/06/2025")
	test.Type(f.susp.rows[0].to, "20/06/2025")
	test.Tap(f.saveBtn)
	if s.tutors.form != nil {
		t.Fatalf("tutor dialog still open: %q", f.marks.general.Text)
	}
	p, _ := u.store.FindRIProject("RI/3/2025")
	if len(p.Tutors) != 1 || p.Tutors[0].Name != "Lucía Martín Gil" || p.Tutors[0].Degree != data.RIDegreePsychology {
		t.Fatalf("stored tutors %+v", p.Tutors)
	}
	if susp := p.Tutors[0].Suspensions; len(susp) != 1 || susp[0].Cause != data.RISuspensionSickLeave ||
		susp[0].From.String() != "02/06/2025" || susp[0].To.String() != "20/06/2025" {
		t.Errorf("stored suspensions %+v", susp)
	}
	shown := riShown(s)
	for _, want := range []string{"Lucía Martín Gil", "12345678Z", "8,75", "Licenciatura o Grado en Psicología",
		"01/03/2025 – 31/05/2026", "Tutores necesarios (art. 4.1.a): 0; en el proyecto: 1."} {
		if !strings.Contains(shown, want) {
			t.Errorf("the tutors tab does not show %q:\n%s", want, shown)
		}
	}
}

// riPerson creates a person in u's store.
func riPerson(t *testing.T, u *App, first, last string) data.Person {
	t.Helper()
	p := data.Person{FirstName: first, LastName: last}
	if err := u.store.CreatePerson(&p, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRIParticipantLeaveMakesReminder(t *testing.T) {
	u, s := showRI(t)
	rosa := riPerson(t, u, "Rosa", "Quispe Mamani")
	addRIProject(t, s, "5", "2025", "Ayuntamiento de Móstoles")
	test.Tap(s.participants.addBtn)
	f := s.participants.form
	test.Type(f.search, "quispe")
	if len(f.hits) != 1 {
		t.Fatalf("searching «quispe» found %d people", len(f.hits))
	}
	f.results.Select(0)
	f.group.SetSelected("5")
	test.Type(f.cStart, "01/04/2025")
	test.Type(f.cEnd, "31/03/2026")
	test.Tap(f.courses.add)
	test.Type(f.courses.rows[0].name, "Competencias digitales")
	test.Type(f.courses.rows[0].hours, "100")
	if got := f.courses.total.Text; !strings.HasPrefix(got, "100 horas presenciales") {
		t.Errorf("the course total reads %q", got)
	}
	leave := data.Date{Year: 2025, Month: 11, Day: 14} // a Friday: 5 days later is Wednesday 19
	test.Type(f.leave, leave.String())
	test.Tap(f.saveBtn)
	if s.participants.form != nil {
		t.Fatalf("participant dialog still open: %q", f.marks.general.Text)
	}
	p, _ := u.store.FindRIProject("RI/5/2025")
	if len(p.Participants) != 1 || p.Participants[0].PersonID != rosa.ID || p.Participants[0].Leave != leave {
		t.Fatalf("stored participants %+v", p.Participants)
	}
	s.tabs.SelectIndex(1) // Participantes
	shown := riShown(s)
	s.tabs.SelectIndex(2) // Avisos y estimación
	shown += riShown(s)
	for _, want := range []string{"1. Rosa Quispe Mamani", "Alternancia", "01/04/2025 – 31/03/2026", "100 h",
		"Baja el " + leave.String() + ", sin comunicar", "Total estimado:",
		"hacen falta 1 tutores de inserción (art. 4.1.a); hay 0.", "01/04/2025 – 14/11/2025", "2 × SMI 2025 por mes", "Subtotal: 800,00 €"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the project does not show %q:\n%s", want, shown)
		}
	}
	rs, err := u.store.Reminders(data.ReminderFilter{PersonID: rosa.ID})
	if err != nil || len(rs) != 1 || rs[0].Source != data.SourceRI {
		t.Fatalf("reminders of the participant: %+v, %v", rs, err)
	}
	if !strings.HasPrefix(rs[0].Text, "Expediente RI/5/2025: comunicar a la Oficina de Empleo la baja definitiva") ||
		strings.Contains(rs[0].Text, "Rosa") || rs[0].Due().String() != "19/11/2025 09:00" {
		t.Errorf("the leave's reminder: %q due %s", rs[0].Text, rs[0].Due())
	}

	// Reporting the leave removes the reminder.
	s.participants.openForm(0)
	f = s.participants.form
	test.Type(f.leaveReported, leave.AddDays(1).String())
	test.Tap(f.saveBtn)
	if rs, _ := u.store.Reminders(data.ReminderFilter{PersonID: rosa.ID}); len(rs) != 0 {
		t.Errorf("after reporting the leave %d reminders remain", len(rs))
	}
}

func TestRIRemoveAsksFirst(t *testing.T) {
	u, s := showRI(t)
	omar := riPerson(t, u, "Omar", "El Idrissi")
	addRIProject(t, s, "9", "2025", "Ayuntamiento de Alcorcón")
	p := s.cur
	p.Participants = []data.RIParticipant{{PersonID: omar.ID, Alternance: true, Group: 4}}
	if err := s.save(&p); err != nil {
		t.Fatal(err)
	}
	s.participants.onRemove(0)
	test.Tap(remButton(u.win.Canvas().Overlays().Top(), "Cancelar"))
	if got, _ := u.store.RIProject(p.ID); len(got.Participants) != 1 {
		t.Fatal("Cancelar removed the participant")
	}
	s.participants.onRemove(0)
	if said := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " "); !strings.Contains(said, "¿Quitar a Omar El Idrissi") {
		t.Errorf("the confirmation says %q", said)
	}
	test.Tap(remButton(u.win.Canvas().Overlays().Top(), "Quitar"))
	if got, _ := u.store.RIProject(p.ID); len(got.Participants) != 0 {
		t.Fatal("Quitar kept the participant")
	}

	test.Tap(s.deleteBtn)
	test.Tap(remButton(u.win.Canvas().Overlays().Top(), "Borrar"))
	if _, err := u.store.RIProject(p.ID); err == nil {
		t.Error("the project is still stored after Borrar")
	}
	if !strings.Contains(riShown(s), "Todavía no hay proyectos RI") {
		t.Errorf("after deleting the only project the screen shows %s", riShown(s))
	}
}

func TestRISettingsSMI(t *testing.T) {
	u, s := showRI(t)
	st := s.settings
	var row *smiRow
	for _, r := range st.smiRows {
		if r.year.Text == "2025" {
			row = r
		}
	}
	if row == nil || row.amount.Text != "1.184,00" {
		t.Fatalf("the SMI of 2025 is not shown as 1.184,00")
	}
	row.amount.SetText("mil")
	test.Tap(st.smiSave)
	if st.smiMsg.Importance != widget.DangerImportance || !strings.Contains(st.smiMsg.Text, "«mil» no es válido") {
		t.Errorf("a wrong amount says %q", st.smiMsg.Text)
	}
	if smi, _ := u.store.SMITable(); smi[2025] != 118400 {
		t.Error("a wrong amount changed the stored table")
	}
	for _, r := range st.smiRows {
		if r.year.Text == "2025" {
			r.amount.SetText("1.200,50")
		}
	}
	test.Tap(st.smiSave)
	if smi, _ := u.store.SMITable(); smi[2025] != 120050 || !strings.HasPrefix(st.smiMsg.Text, "SMI guardado") {
		t.Errorf("after saving: SMI 2025 = %d, message %q", smi[2025], st.smiMsg.Text)
	}
}

func TestRIEstimatePDFWithoutSMISaysWhy(t *testing.T) {
	u, s := showRI(t)
	addRIProject(t, s, "1", "2031", "Ayuntamiento de Pinto")
	test.Tap(s.estimBtn)
	said := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " ")
	if !strings.Contains(said, "No hay SMI de 2031: añádalo en la pestaña «SMI y festivos»") {
		t.Errorf("the estimate without the SMI of its year says %q", said)
	}
}
