package ui

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// gdprTestApp builds the main window over a new store whose clock the
// test sets (one second later at each reading), with Ana in it.
func gdprTestApp(t *testing.T, start time.Time) (*App, *data.Store, *time.Time, data.Person) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	now := start
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{
		Now: func() time.Time { now = now.Add(time.Second); return now },
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	p := ana()
	if err := store.CreatePerson(&p, "semilla"); err != nil {
		t.Fatal(err)
	}
	u := New(a, store, "test")
	u.win.Resize(fyne.NewSize(1280, 800))
	return u, store, &now, p
}

func TestGdprPersonPageOffersDataProtection(t *testing.T) {
	u, _, _, p := gdprTestApp(t, peopleNow)
	u.people.open(p.ID)
	findButton(t, u.people.page.content(), "Protección de datos")
}

func TestGdprExport(t *testing.T) {
	u, store, _, p := gdprTestApp(t, peopleNow)
	dir := t.TempDir()
	u.exportSubjectTo(p.ID, dir)
	jsonPath := filepath.Join(dir, p.ID+".json")
	waitText(t, u, jsonPath)
	raw, err := os.ReadFile(jsonPath)
	if err != nil || !strings.Contains(string(raw), "Pérez López") {
		t.Errorf("JSON export: %v, %.80q", err, raw)
	}
	var d data.SubjectData
	if err := json.Unmarshal(raw, &d); err != nil || d.Person.ID != p.ID {
		t.Errorf("JSON export does not read back: %v", err)
	}
	if pdf, err := os.ReadFile(filepath.Join(dir, p.ID+".pdf")); err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("PDF export: %v", err)
	}
	if info := pdfInfo(t, filepath.Join(dir, p.ID+".pdf")); info["Author"] != store.User().Name ||
		strings.Contains(info["Title"], "Pérez") || strings.Contains(info["Title"], "Ana") {
		t.Errorf("PDF Author %q, Title %q: want the Enlace user %q and no name", info["Author"], info["Title"], store.User().Name)
	}
	entries, _ := store.Audit(data.AuditFilter{Subject: p.ID, Limit: 1})
	if len(entries) != 1 || entries[0].Op != data.AuditExport {
		t.Errorf("the export is not logged against the person: %+v", entries)
	}
}

// pdfInfo returns the metadata of the PDF at path as pdfinfo reads it:
// "Title", "Author"…
func pdfInfo(t *testing.T, path string) map[string]string {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdfinfo not found: install poppler-utils (make test-deps)")
		}
		t.Skip("pdfinfo not found: install poppler-utils (make test-deps)")
	}
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

func TestGdprErasure(t *testing.T) {
	u, store, _, p := gdprTestApp(t, peopleNow)
	other := jorge()
	if err := store.CreatePerson(&other, "semilla"); err != nil {
		t.Fatal(err)
	}
	u.people.open(p.ID)
	e := u.askErasure(p)
	steps := []struct {
		name, confirm, reason string
		enabled               bool
	}{
		{"nothing typed", "", "", false},
		{"wrong surname", "Pérez", "Lo pide por escrito", false},
		{"no reason", "pérez lópez", "", false},
		{"surname and reason", "pérez lópez", "Lo pide por escrito", true},
	}
	for _, s := range steps {
		e.confirm.SetText("")
		e.reason.SetText("")
		test.Type(e.confirm, s.confirm)
		test.Type(e.reason, s.reason)
		if e.erase.Disabled() == s.enabled {
			t.Errorf("%s: erase button enabled = %v, want %v", s.name, !e.erase.Disabled(), s.enabled)
		}
	}
	test.Tap(e.erase)
	waitText(t, u, "Persona suprimida")
	if _, err := store.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the person is still there: %v", err)
	}
	if u.people.page.content().Visible() || u.people.selected != "" {
		t.Error("the erased person's page is still shown")
	}
	rows := listRows(u.people.list)
	if anyContains(rows, "Pérez") || !anyContains(rows, "Castillo Ramos") {
		t.Errorf("people list after erasure: %q", rows)
	}
	raw, _ := os.ReadFile(store.Path())
	if strings.Contains(string(raw), p.ID) {
		t.Error("the database file still holds the person's ID: not compacted")
	}
}

func TestGdprReferralFormWarnsWithoutConsent(t *testing.T) {
	u, _, _, p := gdprTestApp(t, peopleNow)
	rf := showReferralForm(u, p, nil)
	warning := func() string {
		if !rf.consent.root.Visible() {
			return ""
		}
		return rf.consent.text.Text
	}
	if w := warning(); w != "" {
		t.Errorf("warning before a direction is chosen: %q", w)
	}
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"to the OMIOPI, no consent", func() { rf.direction.SetSelected(data.FromAE.Label()) }, "con la OMIOPI: recójalo"},
		{"consent ticked, no date", func() { rf.pf.consentOMIOPI.SetChecked(true) }, "Falta la fecha"},
		{"date typed", func() { test.Type(rf.pf.consentDate, "02/11/2026") }, ""},
		{"the other direction", func() { rf.direction.SetSelected(data.FromOMIOPI.Label()) }, "con la AE: recójalo"},
	}
	for _, s := range steps {
		s.do()
		if w := warning(); s.want == "" && w != "" || !strings.Contains(w, s.want) {
			t.Errorf("%s: warning %q, want %q", s.name, w, s.want)
		}
	}
}

func TestGdprRetentionPanel(t *testing.T) {
	u, store, now, p := gdprTestApp(t, time.Date(2023, 7, 3, 10, 0, 0, 0, madrid()))
	r := data.Referral{PersonID: p.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-6m-1a",
		Date: data.DateOf(*now), Profile: "otros"}
	if err := store.Propose(&r, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Apply(r.ID, data.Change{Action: data.ActExclude, Exclusion: data.ExclusionDNI}, "x"); err != nil {
		t.Fatal(err)
	}
	*now = peopleNow
	panel := newRetention(u)
	if panel.status.Text != "Un caso cerrado supera el plazo de conservación." || panel.years.Selected != "2 años" {
		t.Errorf("status %q, period %q", panel.status.Text, panel.years.Selected)
	}
	rows := listRows(panel.list)
	if len(rows) != 1 || !strings.Contains(rows[0], "Ana María Pérez López") || !strings.Contains(rows[0], "Excluida") ||
		!strings.Contains(rows[0], "03/07/2023") || !strings.Contains(rows[0], "[Revisar]") {
		t.Errorf("rows %q", rows)
	}
	row := panel.list.CreateItem()
	panel.list.UpdateItem(0, row)
	test.Tap(findButton(t, row, "Revisar"))
	if u.people.selected != p.ID || !u.people.page.content().Visible() {
		t.Error("Revisar does not open the person")
	}
	panel.years.SetSelected("5 años")
	if y, _ := store.RetentionYears(); y != 5 || len(listRows(panel.list)) != 0 {
		t.Errorf("after choosing 5 years: setting %d, rows %q", y, listRows(panel.list))
	}
}
