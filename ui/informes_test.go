package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/xuri/excelize/v2"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
	"github.com/enlace-madrid/enlace/reports"
)

// reportsNow is the Informes tests' clock: 25 November 2026, 10:00 in
// Madrid, one second later at each reading.
var reportsNow = time.Date(2026, 11, 25, 10, 0, 0, 0, madrid())

// reportsTestApp builds the main window over a new store and shows the
// Informes tab.
func reportsTestApp(t *testing.T) (*App, *data.Store) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	now := reportsNow
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
	u := New(a, store, "test")
	u.win.Resize(fyne.NewSize(1280, 800))
	u.tabs.SelectIndex(3)
	u.reports.working.Wait()
	return u, store
}

// seedReferrals adds six people from Venezuela and Perú and refers them:
// two from the AE (one excluded for holding a DNI, one included) and four
// from an OMIOPI (three included, one pending). All dated 2 November 2026
// but the last, dated 20 November.
func seedReferrals(t *testing.T, store *data.Store) {
	t.Helper()
	people := []data.Person{
		{FirstName: "Carmen", LastName: "Ruiz Díaz", DocKind: data.DocDNI, DocNumber: "12345678Z", Nationality: "VE", Gender: data.GenderWoman},
		{FirstName: "Ana María", LastName: "Pérez López", DocKind: data.DocNIE, DocNumber: "X1234567L", Regular: true, Nationality: "VE", Gender: data.GenderWoman},
		{FirstName: "Jorge", LastName: "Castillo Ramos", DocKind: data.DocPassport, DocNumber: "PE1234567", Regular: true, Nationality: "PE", Gender: data.GenderMan},
		{FirstName: "Lucía", LastName: "Quispe Huamán", DocKind: data.DocPassport, DocNumber: "PE7654321", Regular: true, Nationality: "PE", Gender: data.GenderWoman},
		{FirstName: "Andrés", LastName: "Núñez", DocKind: data.DocPassport, DocNumber: "VE1112223", Regular: true, Nationality: "VE", Gender: data.GenderMan},
		{FirstName: "Rosa", LastName: "Mamani", DocKind: data.DocPassport, DocNumber: "BO5556667", Regular: true, Nationality: "BO", Gender: data.GenderWoman},
	}
	nov := func(d int) data.Date { return data.Date{Year: 2026, Month: time.November, Day: d} }
	for i := range people {
		if err := store.CreatePerson(&people[i], "semilla"); err != nil {
			t.Fatalf("person %d: %v", i, err)
		}
		dir, crit := data.FromOMIOPI, "omiopi-itinerario"
		if i < 2 {
			dir, crit = data.FromAE, "ae-arraigo"
		}
		r := data.Referral{PersonID: people[i].ID, Direction: dir, CriterionID: crit, Date: nov(2), Profile: "exp_estudios"}
		if i == 5 {
			r.Date = nov(20)
		}
		if err := store.Propose(&r, "Laura Martín"); err != nil {
			t.Fatal(err)
		}
		var changes []data.Change
		switch {
		case i == 0:
			changes = []data.Change{{Action: data.ActVerifyYes}, {Action: data.ActExclude, Exclusion: data.ExclusionDNI}}
		case i == 1:
			changes = []data.Change{{Action: data.ActVerifyYes}, {Action: data.ActInclude}}
		case i < 5:
			changes = []data.Change{{Action: data.ActInclude}, {Action: data.ActRoute, Areas: []data.Area{data.AreaEmployment}}}
		}
		for _, c := range changes {
			if _, err := store.Apply(r.ID, c, "Coordinadora"); err != nil {
				t.Fatalf("%s: %v", c.Action, err)
			}
		}
	}
}

// figures returns the key figures on show.
func figures(s *reportsScreen) map[string]string {
	return map[string]string{"recibidas": s.total.Title, "AE": s.fromAE.Title, "OMIOPI": s.fromOMIOPI.Title,
		"excluidas": s.excluded.Title, "programa": s.inProgramme.Title, "objetivo": s.target.Title}
}

// bars returns a chart's rows as "label: text".
func bars(c *barChart) []string {
	var out []string
	for _, it := range c.items {
		out = append(out, it.label+": "+itemText(it))
	}
	return out
}

func TestReportsTotalsAfterUpdate(t *testing.T) {
	u, store := reportsTestApp(t)
	s := u.reports
	if got := s.total.Title; got != "0" {
		t.Fatalf("an empty database shows %s referrals", got)
	}
	seedReferrals(t, store)
	test.Tap(s.update)
	s.working.Wait()

	want := map[string]string{"recibidas": "6", "AE": "2", "OMIOPI": "4", "excluidas": "1", "programa": "5", "objetivo": "12 %"}
	if got := figures(s); !equalStrings(got, want) {
		t.Errorf("figures after Actualizar = %v, want %v", got, want)
	}
	if got := s.target.Subtitle; got != "del objetivo (6 de 50)" {
		t.Errorf("target caption = %q", got)
	}
	// The figures and the profiles' note fit the window at 1280 wide (a
	// longer caption on one of six equal cards once pushed the screen
	// past the right edge).
	u.tabs.SelectIndex(3)
	if w := u.win.Content().MinSize().Width; w > 1280 {
		t.Errorf("Informes needs %.0f px wide, more than a 1280 px window", w)
	}
	sum := 0
	for _, p := range data.DefaultProgramme().Profiles {
		sum += p.Target
	}
	note := fmt.Sprintf("Los objetivos de los perfiles suman %d derivaciones; el objetivo del programa, arriba, es 50 en total.", sum)
	if sum == 50 {
		note = "El objetivo del programa (50 derivaciones) es la suma de los objetivos de los perfiles."
	}
	if !strings.HasPrefix(s.profilesNote.Text, note) {
		t.Errorf("profiles note = %q, want it to start %q", s.profilesNote.Text, note)
	}
	checks := []struct {
		chart string
		want  []string
	}{
		{"nationality", []string{"Venezuela: 3 (50 %)", "Perú: 2 (33 %)", "Bolivia: 1 (17 %)"}},
		{"gender", []string{"Mujer: 4 (67 %)", "Hombre: 2 (33 %)"}},
		{"reasons", []string{"Tiene DNI español: 1 (100 %)", "Situación irregular: 0 (0 %)",
			"Sin situación habilitante: 0 (0 %)", "Derivación duplicada: 0 (0 %)", "No desea participar: 0 (0 %)", "Otro motivo: 0 (0 %)"}},
		{"states", []string{"Incluidas por la coordinación: 4 (67 %)", "Pendientes de decisión: 1 (17 %)",
			"No verificadas por la jefatura: 0 (0 %)", "Excluidas: 1 (17 %)", "Bajas voluntarias: 0 (0 %)"}},
		{"area", []string{"Jurídico: 0 (0 %)", "Formación: 0 (0 %)", "Empleo: 3 (50 %)"}},
	}
	for _, c := range checks {
		if got := bars(s.charts[c.chart]); !slices.Equal(got, c.want) {
			t.Errorf("chart %s = %q, want %q", c.chart, got, c.want)
		}
	}
	shown := shownTexts(s.profiles)
	row := slices.Index(shown, "1–2 años de experiencia en España con estudios superiores")
	if row < 0 || !slices.Equal(shown[row+1:row+4], []string{"7", "6", "5"}) {
		t.Errorf("profile table shows %q: want target 7, 6 referrals, 5 in the programme (received minus excluded and withdrawn)", shown)
	}
	if got := s.counts.Text; !strings.HasPrefix(got, "6 fichas de personas · ") {
		t.Errorf("database counts = %q", got)
	}
}

func TestReportsDateRange(t *testing.T) {
	u, store := reportsTestApp(t)
	seedReferrals(t, store)
	s := u.reports
	tests := []struct {
		name, from, to string
		total, problem string
	}{
		{"default range, programme start to today", "", "25/11/2026", "6", ""},
		{"only the 20th", "20/11/2026", "20/11/2026", "1", ""},
		{"before", "", "01/11/2026", "0", ""},
		{"open both ends", "", "", "6", ""},
		{"bad date keeps the figures", "31/02/2026", "", "6", "La fecha «31/02/2026» tiene un día que no existe en ese mes."},
		{"reversed", "21/11/2026", "20/11/2026", "6", "La fecha «hasta» es anterior a la fecha «desde»."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.from.SetText(tc.from)
			s.to.SetText(tc.to)
			test.Tap(s.update)
			s.working.Wait()
			if s.total.Title != tc.total {
				t.Errorf("total = %s, want %s", s.total.Title, tc.total)
			}
			if got := s.problem.Text; s.problem.Visible() != (tc.problem != "") || (tc.problem != "" && got != tc.problem) {
				t.Errorf("problem = %q (visible %v), want %q", got, s.problem.Visible(), tc.problem)
			}
		})
	}
}

func TestReportsExport(t *testing.T) {
	u, store := reportsTestApp(t)
	seedReferrals(t, store)
	s := u.reports
	dir := t.TempDir()
	s.from.SetText("")
	s.to.SetText("")

	xlsx := filepath.Join(dir, "derivaciones.xlsx")
	out, err := os.Create(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	s.export(out, "derivaciones.xlsx", exportReferrals, reports.Period{}, reports.XLSX)
	s.working.Wait()
	if said := strings.Join(laidOutLabelTexts(u.win.Canvas().Overlays().Top()), " "); !strings.Contains(said, "6 derivaciones") {
		t.Errorf("after exporting, the dialog says %q", said)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Derivaciones")
	if err != nil || len(rows) != 7 {
		t.Fatalf("%d rows (%v), want a header and 6 referrals", len(rows), err)
	}
	if rows[1][3] != "Ruiz Díaz" || rows[1][15] != "Excluida" || rows[6][3] != "Mamani" {
		t.Errorf("rows = %q", rows)
	}

	csvPath := filepath.Join(dir, "personas.csv")
	out, err = os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	s.export(out, "personas.csv", exportPeople, reports.Period{}, reports.CSV)
	s.working.Wait()
	raw, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 7 || !slices.Contains(recs[4], "Quispe Huamán") {
		t.Errorf("people CSV = %q (%v)", recs, err)
	}
}

func TestReportsExportName(t *testing.T) {
	today := data.Date{Year: 2026, Month: time.November, Day: 25}
	sep := data.Date{Year: 2022, Month: time.September, Day: 1}
	tests := []struct {
		kind exportKind
		p    reports.Period
		f    reports.Format
		want string
	}{
		{exportPeople, reports.Period{From: sep}, reports.XLSX, "personas-2026-11-25.xlsx"},
		{exportReferrals, reports.Period{From: sep, To: today}, reports.CSV, "derivaciones-2022-09-01-a-2026-11-25.csv"},
		{exportReferrals, reports.Period{}, reports.XLSX, "derivaciones-a-2026-11-25.xlsx"},
	}
	for _, tc := range tests {
		if got := exportName(tc.kind, tc.p, tc.f, today); got != tc.want {
			t.Errorf("exportName(%v, %v, %s) = %q, want %q", tc.kind, tc.p, tc.f, got, tc.want)
		}
	}
}

// TestReportsScreenshots writes PNGs of the Informes screen over a demo
// database to the folder named by ENLACE_SHOTS; it is skipped otherwise.
func TestReportsScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u, store := reportsTestApp(t)
	u.app.Settings().SetTheme(theme.LightTheme())
	if _, err := demo.Populate(store, demo.Options{People: 400, Seed: 2022, Referrals: 120}); err != nil {
		t.Fatal(err)
	}
	s := u.reports
	s.from.SetText("")
	test.Tap(s.update)
	s.working.Wait()
	sc := s.root.(interface{ ScrollToOffset(fyne.Position) })
	for i, y := range []float32{0, 560, 1120, 1680} {
		sc.ScrollToOffset(fyne.NewPos(0, y))
		settle(u.win.Canvas())
		shot(t, u, filepath.Join(dir, fmt.Sprintf("informes-%d.png", i+1)))
	}
	u.app.Settings().SetTheme(theme.DarkTheme())
	sc.ScrollToOffset(fyne.NewPos(0, 560))
	settle(u.win.Canvas())
	shot(t, u, filepath.Join(dir, "informes-dark.png"))
}

func equalStrings(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
