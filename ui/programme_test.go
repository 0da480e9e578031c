package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// programmeNow is the programme tests' clock: 25 November 2026, 10:00 UTC.
var programmeNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// programmeTestApp returns an App over a fresh store with a fixed clock,
// showing only the Programa screen in a 1280×800 test window.
func programmeTestApp(t *testing.T) (*App, *programmeScreen) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{Now: func() time.Time { return programmeNow }}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	u := &App{app: a, store: store, version: "0.0.0-test"}
	u.win = a.NewWindow("Enlace")
	u.win.Resize(fyne.NewSize(1280, 800))
	u.programme = newProgrammeScreen(u)
	u.win.SetContent(u.programme.content())
	return u, u.programme
}

// confirmTop presses the button labelled text in the newest dialog.
func confirmTop(t *testing.T, u *App, text string) {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open to press %q", text)
	}
	test.Tap(findButton(t, top, text))
}

// columnTexts returns the criterion texts shown in direction d's list.
func columnTexts(s *programmeScreen, d data.Direction) []string {
	var out []string
	for _, r := range s.criteria.cols[d].rows {
		out = append(out, r.text.String())
	}
	return out
}

func TestProgrammeTargetSaved(t *testing.T) {
	u, s := programmeTestApp(t)
	f := s.form
	if f.target.Text != "50" {
		t.Fatalf("target shown = %q, want the default 50", f.target.Text)
	}
	f.target.SetText("")
	test.Type(f.target, "60")
	test.Tap(f.save)

	p, err := u.store.Programme()
	if err != nil {
		t.Fatal(err)
	}
	if p.Target != 60 {
		t.Errorf("stored target = %d, want 60", p.Target)
	}
	if def := data.DefaultProgramme(); len(p.Profiles) != len(def.Profiles) || p.Profiles[2] != def.Profiles[2] {
		t.Errorf("profiles changed by saving the target: %+v", p.Profiles)
	}
	if f.dirty || !strings.HasPrefix(f.saved.Text, "Guardado a las") {
		t.Errorf("after saving: dirty %v, note %q", f.dirty, f.saved.Text)
	}
}

func TestProgrammeInvalidEmailMarkedInlineStoresNothing(t *testing.T) {
	u, s := programmeTestApp(t)
	f := s.form
	f.name.SetText("Programa piloto CONNECTION")
	test.Type(f.email, "coordinacion@madrid")
	test.Tap(f.save)

	mark := f.marks.fields["Email"]
	want := "La dirección de correo «coordinacion@madrid» no es válida: después de la @ va un dominio como gmail.com."
	if !mark.Visible() || mark.Text != want {
		t.Errorf("e-mail mark = %q (visible %v), want %q", mark.Text, mark.Visible(), want)
	}
	if p, _ := u.store.Programme(); p.Name != data.DefaultProgramme().Name || p.Email != "" {
		t.Errorf("stored from an invalid form: %+v", p)
	}
	if !f.dirty {
		t.Error("the form forgot the unsaved edits")
	}
}

func TestProgrammeUnparsableFieldsMarked(t *testing.T) {
	u, s := programmeTestApp(t)
	f := s.form
	f.target.SetText("cincuenta")
	f.start.SetText("01/10/2026")
	f.end.SetText("31/09/2026")
	f.name.SetText("")
	test.Tap(f.save)

	for field, want := range map[string]string{
		"Target": "Escriba el objetivo de casos con cifras",
		"End":    "tiene un día que no existe",
		"Name":   "Falta el nombre del programa.",
	} {
		if l := f.marks.fields[field]; !l.Visible() || !strings.Contains(l.Text, want) {
			t.Errorf("%s mark = %q, want it to contain %q", field, l.Text, want)
		}
	}
	if l := f.marks.fields["Start"]; l.Visible() {
		t.Errorf("a good start date is marked: %q", l.Text)
	}
	if p, _ := u.store.Programme(); p.Target != 50 {
		t.Errorf("stored target %d from an invalid form", p.Target)
	}
}

func TestProgrammeProfilesAddAndRemove(t *testing.T) {
	u, s := programmeTestApp(t)
	f := s.form
	test.Tap(f.addProfile)
	r := f.profiles[len(f.profiles)-1]
	test.Type(r.name, "Mujeres víctimas de violencia de género")
	test.Type(r.target, "4")

	first := f.profiles[0]
	test.Tap(first.remove)
	if len(f.profiles) != 7 {
		t.Fatalf("a profile went without confirmation: %d rows", len(f.profiles))
	}
	confirmTop(t, u, "Quitar")
	test.Tap(f.save)

	p, err := u.store.Programme()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, pr := range p.Profiles {
		codes = append(codes, pr.Code)
	}
	want := "exp_sin_estudios exp_5 reciente_estudios primer_empleo otros mujeres_victimas_de"
	if got := strings.Join(codes, " "); got != want {
		t.Errorf("stored codes = %q, want %q", got, want)
	}
	if last := p.Profiles[len(p.Profiles)-1]; last.Name != "Mujeres víctimas de violencia de género" || last.Target != 4 {
		t.Errorf("new profile stored as %+v", last)
	}
	if got := f.profiles[len(f.profiles)-1].codeLabel.String(); got != "mujeres_victimas_de" {
		t.Errorf("after saving, the new row shows code %q", got)
	}
}

func TestProgrammeProfileCode(t *testing.T) {
	taken := map[string]bool{"otros": true, "primer_empleo": true}
	for _, tc := range []struct{ name, want string }{
		{"Otros", "otros_2"},
		{"Acceso al primer empleo", "acceso_al_primer_empleo"},
		{"Más de 5 años de experiencia laboral", "mas_de_5_anos_de"},
		{"  ", ""},
		{"«Jóvenes» – 16/30", "jovenes_16_30"},
		{"Supercalifragilisticoespialidoso", "supercalifragilisticoesp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := profileCode(tc.name, taken); got != tc.want {
				t.Errorf("profileCode(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestProgrammeCriterionEditKeepsOldTextInHistory(t *testing.T) {
	u, s := programmeTestApp(t)
	row := s.criteria.cols[data.FromAE].rows[0]
	id, old := row.c.ID, row.c.Text
	test.Tap(row.edit)
	f := s.criteria.form
	if f == nil {
		t.Fatal("Editar texto opened no dialog")
	}
	if !textAmong(laidOutLabelTexts(u.win.Canvas().Overlays().Top()),
		"Las derivaciones ya hechas conservan el texto con el que se hicieron; los folletos usarán el nuevo.") {
		t.Error("the edit dialog does not explain what happens to referrals and leaflets")
	}
	const text = "Personas que preparan la solicitud de arraigo (2 años en España) y buscan un contrato en la AE."
	f.text.SetText(text)
	test.Tap(f.saveBtn)
	if s.criteria.form != nil {
		t.Fatalf("dialog still open: %q", f.marks.general.Text)
	}

	c, err := u.store.Criterion(id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != text || len(c.History) != 2 || c.History[0].Text != old {
		t.Fatalf("stored %q with %d versions", c.Text, len(c.History))
	}
	row = s.criteria.cols[data.FromAE].rows[0]
	if row.text.String() != text {
		t.Errorf("list shows %q", row.text.String())
	}
	test.Tap(row.history)
	shown := laidOutLabelTexts(s.criteria.historyBody)
	for _, want := range []string{
		text, old,
		c.History[1].From.In(data.Madrid()).Format("02/01/2006 15:04") + " · " + datatest.Name + " · texto nuevo (actual)",
		"desde el principio · Enlace · texto original",
	} {
		if !textAmong(shown, want) {
			t.Errorf("history shows %q, want %q among them", shown, want)
		}
	}
}

func TestProgrammeNewCriterionInOMIOPIList(t *testing.T) {
	u, s := programmeTestApp(t)
	test.Tap(s.criteria.cols[data.FromOMIOPI].newBtn)
	f := s.criteria.form
	test.Tap(f.saveBtn)
	if l := f.marks.fields["Text"]; !l.Visible() || l.Text != "Escriba la situación habilitante." {
		t.Errorf("empty text mark = %q", l.Text)
	}
	const text = "Personas que han terminado un curso de español de nivel A2 en las Oficinas."
	test.Type(f.text, text)
	test.Tap(f.saveBtn)

	if !textAmong(columnTexts(s, data.FromOMIOPI), text) {
		t.Errorf("OMIOPI → AE list = %q, want the new situation", columnTexts(s, data.FromOMIOPI))
	}
	if textAmong(columnTexts(s, data.FromAE), text) {
		t.Error("the new situation shows under AE → OMIOPI too")
	}
	list, _ := u.store.Criteria(data.FromOMIOPI)
	if last := list[len(list)-1]; last.Text != text || !last.Active || last.History[0].By != datatest.Name {
		t.Errorf("stored %+v", last)
	}
}

func TestProgrammeRetiredCriterionGoesLastDimmed(t *testing.T) {
	u, s := programmeTestApp(t)
	col := s.criteria.cols[data.FromOMIOPI]
	first := col.rows[0].c
	test.Tap(col.rows[0].toggle)
	if c, _ := u.store.Criterion(first.ID); !c.Active {
		t.Fatal("retired without confirmation")
	}
	confirmTop(t, u, "Retirar")

	last := col.rows[len(col.rows)-1]
	if last.c.ID != first.ID || last.c.Active {
		t.Fatalf("last row = %q (active %v), want the retired one", last.c.Text, last.c.Active)
	}
	if last.text.String() != "(retirada) "+first.Text {
		t.Errorf("retired row = %q", last.text.String())
	}
	for _, seg := range last.text.Segments {
		if st := seg.(*widget.TextSegment).Style; st.ColorName != theme.ColorNamePlaceHolder {
			t.Errorf("retired text %q is not dimmed: colour %q", seg.Textual(), st.ColorName)
		}
	}
	if last.toggle.Text != "Reactivar" {
		t.Errorf("retired row's button = %q", last.toggle.Text)
	}
	if col.rows[0].c.ID == first.ID {
		t.Error("the retired situation is still first")
	}

	test.Tap(last.toggle)
	confirmTop(t, u, "Reactivar")
	if col.rows[0].c.ID != first.ID || !col.rows[0].c.Active {
		t.Errorf("reactivated situation not back in place: first row %q", col.rows[0].c.Text)
	}
}

func TestProgrammeDNIRuleStored(t *testing.T) {
	u, s := programmeTestApp(t)
	if !s.rules.dni.Checked || !s.rules.irregular.Checked {
		t.Fatal("both rules should start on, as in the pilot")
	}
	test.Tap(s.rules.dni)
	r, err := u.store.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if r.DNI || !r.Irregular {
		t.Errorf("stored rules = %+v, want DNI off and Irregular on", r)
	}
	if !strings.HasPrefix(s.rules.saved.Text, "Guardado a las") {
		t.Errorf("no sign of the save: %q", s.rules.saved.Text)
	}
	test.Tap(s.rules.dni)
	if r, _ := u.store.Rules(); !r.DNI {
		t.Error("ticking the DNI rule again was not stored")
	}
}

// TestProgrammeScreenshots writes PNGs of the three sections, inside the
// whole main window, to the folder named by ENLACE_SHOTS; it is skipped
// otherwise.
func TestProgrammeScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t0, _ := programmeTestApp(t)
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Preferences().SetString(prefTheme, "light")
	u := New(a, t0.store, "test")
	u.tabs.SelectIndex(5)
	s := u.programme
	snap := func(name string) {
		t.Helper()
		settle(u.win.Canvas())
		shot(t, u, filepath.Join(dir, name))
	}
	snap("programme-settings.png")

	f := s.form
	test.Tap(f.addProfile)
	f.email.SetText("coordinacion@madrid")
	f.end.SetText("31/09/2026")
	test.Tap(f.save)
	snap("programme-settings-errors.png")
	test.Tap(f.profiles[0].remove)
	snap("programme-remove-profile.png")
	u.dismissTop()

	s.tabs.SelectIndex(1)
	col := s.criteria.cols[data.FromOMIOPI]
	test.Tap(col.rows[1].toggle)
	confirmTop(t, u, "Retirar")
	snap("programme-criteria.png")
	test.Tap(s.criteria.cols[data.FromAE].rows[0].edit)
	snap("programme-criterion-edit.png")
	s.criteria.form.text.SetText("Personas que preparan la solicitud de arraigo (2 años en España) y buscan un contrato en la AE.")
	test.Tap(s.criteria.form.saveBtn)
	test.Tap(s.criteria.cols[data.FromAE].rows[0].history)
	snap("programme-criterion-history.png")
	u.dismissTop()
	test.Tap(col.rows[len(col.rows)-1].toggle)
	snap("programme-criterion-reactivate.png")
	u.dismissTop()

	s.tabs.SelectIndex(2)
	snap("programme-rules.png")
}

// settle lays out c's content and overlays a few times over, as the
// desktop driver does frame by frame (the test driver does not): a
// wrapping label learns its height only once it has a width.
func settle(c fyne.Canvas) {
	objs := append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
	for range 3 {
		for _, o := range objs {
			relayout(o)
		}
	}
}

func relayout(o fyne.CanvasObject) {
	if !o.Visible() {
		return
	}
	var children []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		children = x.Objects
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		r.Layout(x.Size())
		children = r.Objects()
	}
	for _, c := range children {
		relayout(c)
	}
}
