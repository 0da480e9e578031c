package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// officesTestApp returns an App over a fresh store in t.TempDir(), with a
// test window and an author set, without building the other screens.
func officesTestApp(t *testing.T) *App {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(nil))
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
	u.backup = newBackupPanel(u)
	u.docStyle = newDocStylePanel(u)
	u.users = newUsersPanel(u)
	u.audit = newAuditPanel(u)
	u.retention = newRetention(u)
	return u
}

// showOffices builds the offices screen in u's window.
func showOffices(u *App) *officesScreen {
	s := newOfficesScreen(u)
	u.offices = s
	u.win.SetContent(s.content())
	return s
}

// laidOutLabelTexts returns the text of every label laid out inside o.
func laidOutLabelTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return out
}

func textAmong(texts []string, want string) bool {
	for _, s := range texts {
		if s == want {
			return true
		}
	}
	return false
}

// addOffice creates an office through the form, as a user would.
func addOffice(t *testing.T, s *officesScreen, name string, org data.Org, phones string) {
	t.Helper()
	test.Tap(s.newOfficeBtn)
	f := s.officeForm
	if f == nil {
		t.Fatal("Nueva oficina opened no dialog")
	}
	test.Type(f.name, name)
	f.org.SetSelected(officeOrgLabel(org))
	test.Type(f.phones, phones)
	test.Tap(f.saveBtn)
	if s.officeForm != nil {
		t.Fatalf("office dialog still open after Guardar: %q", f.marks.general.Text)
	}
}

func TestOfficeCreatedThroughFormShowsInList(t *testing.T) {
	u := officesTestApp(t)
	s := showOffices(u)

	addOffice(t, s, "Oficina Norte", data.OrgOMIOPI, "917581437, 664 59 49 21")

	offices, err := u.store.Offices()
	if err != nil {
		t.Fatal(err)
	}
	if len(offices) != 1 || offices[0].Name != "Oficina Norte" || offices[0].Org != data.OrgOMIOPI {
		t.Fatalf("stored offices = %+v", offices)
	}
	if got := strings.Join(offices[0].Phones, ","); got != "917581437,664594921" {
		t.Errorf("stored phones = %q", got)
	}
	if offices[0].CreatedBy != datatest.Name {
		t.Errorf("author = %q", offices[0].CreatedBy)
	}
	row := laidOutLabelTexts(s.officeList)
	for _, want := range []string{"Oficina Norte", officeOrgLabel(data.OrgOMIOPI), "917 581 437 · 664 594 921"} {
		if !textAmong(row, want) {
			t.Errorf("office list shows %q, want %q among them", row, want)
		}
	}
	if s.selOffice != offices[0].ID || !textAmong(laidOutLabelTexts(s.detail), "Oficina Norte") {
		t.Errorf("the new office is not shown in the detail panel")
	}
}

func TestOfficeFormMarksFieldsAndSavesNothing(t *testing.T) {
	u := officesTestApp(t)
	s := showOffices(u)

	test.Tap(s.newOfficeBtn)
	f := s.officeForm
	test.Type(f.phones, "12345")
	test.Tap(f.saveBtn)

	if s.officeForm == nil {
		t.Fatal("dialog closed on invalid data")
	}
	for _, field := range []string{"Name", "Org", "Phones"} {
		if l := f.marks.fields[field]; !l.Visible() || l.Text == "" {
			t.Errorf("no inline message for %s", field)
		}
	}
	if got := f.marks.fields["Name"].Text; got != "Falta el nombre de la oficina." {
		t.Errorf("name message = %q", got)
	}
	if n, _ := u.store.Count(); n.Offices != 0 {
		t.Errorf("%d offices stored from an invalid form", n.Offices)
	}
}

func TestOfficeStaffEmailRequiredThenSaved(t *testing.T) {
	u := officesTestApp(t)
	s := showOffices(u)
	addOffice(t, s, "Oficina Norte", data.OrgOMIOPI, "917581437")

	s.selOffice = "" // a new member from the staff tab starts without an office
	test.Tap(s.newStaffBtn)
	f := s.staffForm
	if f == nil {
		t.Fatal("Nueva persona de personal opened no dialog")
	}
	test.Type(f.name, "ANA LÓPEZ GARCÍA") // stored as "Ana López García"
	f.role.SetSelected(staffRoleLabel(data.RoleLiaison))
	test.Tap(f.saveBtn)

	if s.staffForm == nil {
		t.Fatal("dialog closed without an e-mail")
	}
	mark := f.marks.fields["Email"]
	if !mark.Visible() || !strings.Contains(mark.Text, "El correo electrónico es obligatorio") {
		t.Errorf("e-mail mark = %q (visible %v)", mark.Text, mark.Visible())
	}
	if list, _ := u.store.StaffList(); len(list) != 0 {
		t.Fatalf("stored without e-mail: %+v", list)
	}

	test.Type(f.email, "Ana.Lopez@madrid.es")
	f.office.SetSelected("Oficina Norte")
	test.Tap(f.saveBtn)
	if s.staffForm != nil {
		t.Fatalf("dialog still open: %q", f.marks.general.Text)
	}
	list, err := u.store.StaffList()
	if err != nil {
		t.Fatal(err)
	}
	offices, _ := u.store.Offices()
	if len(list) != 1 || list[0].OfficeID != offices[0].ID || list[0].Email != "ana.lopez@madrid.es" || !list[0].Active {
		t.Fatalf("stored staff = %+v", list)
	}
	if mark.Visible() || mark.Text != "" {
		t.Errorf("e-mail mark not cleared after a good save: %q", mark.Text)
	}

	s.officeList.Select(0)
	detail := laidOutLabelTexts(s.detail)
	if !textAmong(detail, "Ana López García") {
		t.Errorf("office detail shows %q, want the new member", detail)
	}
	if !textAmong(laidOutLabelTexts(s.staffList), "Oficina Norte") {
		t.Errorf("staff list does not name the office")
	}
}

func TestOfficeLiaisonShownByName(t *testing.T) {
	u := officesTestApp(t)
	s := showOffices(u)
	addOffice(t, s, "AZ Tetuán", data.OrgAE, "")
	st := data.Staff{Name: "Luis Pérez", Role: data.RoleLiaison, Email: "luis@madrid.es", Active: true}
	if err := u.store.SaveStaff(&st, u.Author()); err != nil {
		t.Fatal(err)
	}
	s.refresh()

	s.onEditOffice()
	f := s.officeForm
	f.liaison.SetSelected("Luis Pérez")
	test.Tap(f.saveBtn)

	o, err := u.store.Office(s.selOffice)
	if err != nil || o.Liaison != st.ID {
		t.Fatalf("liaison = %q, err %v; want %q", o.Liaison, err, st.ID)
	}
	detail := laidOutLabelTexts(s.detail)
	if !textAmong(detail, "Luis Pérez") || textAmong(detail, st.ID) {
		t.Errorf("detail shows %q: want the liaison's name, never the ID", detail)
	}
}
