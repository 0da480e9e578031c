package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// referralNow is the referral tests' clock: Wednesday 25 November 2026,
// 10:00 in Madrid, one second later at each reading.
var referralNow = time.Date(2026, 11, 25, 10, 0, 0, 0, madrid())

// referralFixture is an inbox over a fresh store with two offices, two
// technicians and three people: Ana (NIE, regular), Jorge (passport,
// regular) and Carmen (Spanish DNI: the DNI rule fires on her).
type referralFixture struct {
	u               *App
	s               *referralsScreen
	store           *data.Store
	ae, omiopi      data.Office
	aeTech, omTech  data.Staff
	ana, jorge, dni string    // person IDs
	now             time.Time // the store's clock
}

func newReferralFixture(t *testing.T) *referralFixture {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	fx := &referralFixture{now: referralNow}
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{
		Now: func() time.Time { fx.now = fx.now.Add(time.Second); return fx.now },
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	fx.store = store
	fx.ae = data.Office{Name: "Agencia de Zona Tetuán", Org: data.OrgAE}
	fx.omiopi = data.Office{Name: "OMIOPI Centro", Org: data.OrgOMIOPI}
	for _, o := range []*data.Office{&fx.ae, &fx.omiopi} {
		if err := store.SaveOffice(o, "semilla"); err != nil {
			t.Fatal(err)
		}
	}
	fx.aeTech = data.Staff{Name: "Laura Martín", Role: data.RoleTechnician, Email: "laura@madrid.es", OfficeID: fx.ae.ID, Active: true}
	fx.omTech = data.Staff{Name: "Pedro Sanz", Role: data.RoleTechnician, Email: "pedro@madrid.es", OfficeID: fx.omiopi.ID, Active: true}
	for _, st := range []*data.Staff{&fx.aeTech, &fx.omTech} {
		if err := store.SaveStaff(st, "semilla"); err != nil {
			t.Fatal(err)
		}
	}
	people := []data.Person{
		{FirstName: "Ana María", LastName: "Pérez López", DocKind: data.DocNIE, DocNumber: "X1234567L", Regular: true},
		{FirstName: "Jorge", LastName: "Castillo Ramos", DocKind: data.DocPassport, DocNumber: "PE1234567", Regular: true},
		{FirstName: "Carmen", LastName: "Ruiz Díaz", DocKind: data.DocDNI, DocNumber: "12345678Z"},
	}
	for i := range people {
		if err := store.CreatePerson(&people[i], "semilla"); err != nil {
			t.Fatalf("person %d: %v", i, err)
		}
	}
	fx.ana, fx.jorge, fx.dni = people[0].ID, people[1].ID, people[2].ID

	fx.u = &App{app: a, store: store, version: "0.0.0-test"}
	fx.u.win = a.NewWindow("Enlace")
	fx.u.win.Resize(fyne.NewSize(1280, 800))
	return fx
}

// open builds the screen, after the referrals are seeded.
func (fx *referralFixture) open() *referralsScreen {
	fx.s = newReferralsScreen(fx.u)
	fx.u.referrals = fx.s
	fx.u.win.SetContent(fx.s.content())
	return fx.s
}

// propose records a referral of person the way the form would.
func (fx *referralFixture) propose(t *testing.T, person string, dir data.Direction) string {
	t.Helper()
	r := data.Referral{PersonID: person, Direction: dir, Date: data.DateOf(referralNow),
		StaffID: fx.aeTech.ID, OfficeID: fx.ae.ID, CriterionID: "ae-arraigo", Atlas: "2026/AE/000123",
		Note: "Busca contrato para el arraigo", Profile: "exp_estudios"}
	if dir == data.FromOMIOPI {
		r.StaffID, r.OfficeID, r.CriterionID, r.Atlas = fx.omTech.ID, fx.omiopi.ID, "omiopi-itinerario", ""
	}
	if err := fx.store.Propose(&r, "Laura Martín"); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// apply moves a seeded referral on without the GUI.
func (fx *referralFixture) apply(t *testing.T, id string, changes ...data.Change) {
	t.Helper()
	for _, c := range changes {
		if _, err := fx.store.Apply(id, c, "semilla"); err != nil {
			t.Fatalf("%s: %v", c.Action, err)
		}
	}
}

// tabs returns the tray tabs' texts.
func (fx *referralFixture) tabs() []string {
	var out []string
	for _, it := range fx.s.trays.Items {
		out = append(out, it.Text)
	}
	return out
}

func (fx *referralFixture) wantTabs(t *testing.T, want ...string) {
	t.Helper()
	got := fx.tabs()
	for _, w := range want {
		if !textAmong(got, w) {
			t.Errorf("tray tabs = %q, want %q among them", got, w)
		}
	}
}

// detail is what the detail panel shows, one string.
func (fx *referralFixture) detail() string {
	return strings.Join(shownTexts(fx.s.detail.box), "\n")
}

// act taps the action button in the detail panel and returns the dialog.
func (fx *referralFixture) act(t *testing.T, label string) *actionForm {
	t.Helper()
	test.Tap(findButton(t, fx.s.detail.actions, label))
	if fx.s.form == nil {
		t.Fatalf("%q opened no dialog", label)
	}
	return fx.s.form
}

// confirm taps the dialog's button and fails unless it closed.
func (fx *referralFixture) confirm(t *testing.T, f *actionForm) {
	t.Helper()
	test.Tap(f.confirm)
	if fx.s.form != nil {
		t.Fatalf("dialog still open: %q", f.marks.general.Text+" "+fieldMarks(f))
	}
}

func fieldMarks(f *actionForm) string {
	var out []string
	for k, l := range f.marks.fields {
		if l.Visible() {
			out = append(out, k+": "+l.Text)
		}
	}
	return strings.Join(out, "; ")
}

// buttons returns the action buttons' labels on show.
func (fx *referralFixture) buttons() []string {
	var out []string
	for _, o := range fx.s.detail.actions.Objects {
		if b, ok := o.(*widget.Button); ok {
			out = append(out, b.Text)
		}
	}
	return out
}

func shotWindow(t *testing.T, w fyne.Window, path string) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
