package ui

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// referralTestApp is peopleTestApp with an AE and an OMIOPI office, a
// technician in each, and the people seeded.
func referralTestApp(t *testing.T, seed ...data.Person) (*App, *data.Store) {
	t.Helper()
	u, store := peopleTestApp(t, seed...)
	err := store.Batch("semilla", func(b *data.Batch) error {
		ae := data.Office{Name: "Agencia de Zona Tetuán", Org: data.OrgAE}
		omiopi := data.Office{Name: "Oficina Norte", Org: data.OrgOMIOPI, Phones: []string{"917581437"}}
		for _, o := range []*data.Office{&ae, &omiopi} {
			if err := b.SaveOffice(o); err != nil {
				return err
			}
		}
		for _, st := range []data.Staff{
			{Name: "Laura Martín", OfficeID: ae.ID, Role: data.RoleTechnician, Email: "laura@madrid.es", Active: true},
			{Name: "Carlos Ruiz", OfficeID: omiopi.ID, Role: data.RoleTechnician, Email: "carlos@oficinainmigracion.info", Active: true},
		} {
			if err := b.SaveStaff(&st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u, store
}

// openReferralForm opens the person's page and taps «Nueva derivación».
func openReferralForm(t *testing.T, u *App, personID string) *referralForm {
	t.Helper()
	u.people.openPerson(personID)
	pg := u.people.page
	test.Tap(findButton(t, pg.content(), "Nueva derivación"))
	if pg.refs.form == nil || len(u.dialogs) != 1 {
		t.Fatalf("no referral form open (dialogs %d)", len(u.dialogs))
	}
	return pg.refs.form
}

// chooseStaff picks the staff member whose name starts with name.
func chooseStaff(t *testing.T, rf *referralForm, name string) {
	t.Helper()
	for i, o := range rf.staffSel.Options {
		if strings.HasPrefix(o, name) {
			rf.staffSel.SetSelectedIndex(i)
			return
		}
	}
	t.Fatalf("no staff member %q among %q", name, rf.staffSel.Options)
}

// situation returns the option of the enabling situation id.
func situation(t *testing.T, rf *referralForm, id string) *situationOption {
	t.Helper()
	for _, o := range rf.options {
		if o.id == id {
			return o
		}
	}
	t.Fatalf("no situation %q shown", id)
	return nil
}

func onlyPersonID(t *testing.T, store *data.Store) string {
	t.Helper()
	hits, _ := store.Search("", 10)
	if len(hits) != 1 {
		t.Fatalf("%d people, want 1", len(hits))
	}
	return hits[0].ID
}

func TestReferralFormFromPersonPage(t *testing.T) {
	u, store := referralTestApp(t, ana())
	id := onlyPersonID(t, store)
	rf := openReferralForm(t, u, id)

	if !strings.Contains(rf.pf.firstName.Text, "Ana María") || rf.pf.docNumber.Text != "X1234567L" {
		t.Errorf("the ficha is not prefilled: name %q, document %q", rf.pf.firstName.Text, rf.pf.docNumber.Text)
	}
	chooseStaff(t, rf, "Laura Martín")
	if !strings.HasPrefix(rf.officeSel.Selected, "Agencia de Zona Tetuán") || rf.dir() != data.FromAE {
		t.Errorf("office %q, direction %q: want the technician's AE office and AE → OMIOPI", rf.officeSel.Selected, rf.dir())
	}
	if len(rf.atlasRow) != 2 || !rf.atlasRow[1].Visible() {
		t.Error("the ATLAS number is not asked for an AE referral")
	}
	if rf.date.Text != "25/11/2026" {
		t.Errorf("date = %q, want today", rf.date.Text)
	}
	doc := situation(t, rf, "ae-documentacion")
	if texts := strings.Join(shownTexts(doc), " | "); !strings.Contains(texts, "Sugerida.") || !strings.Contains(texts, "caduca el 20/12/2026") {
		t.Errorf("the expiring NIE does not suggest the documentation situation: %q", texts)
	}
	if texts := strings.Join(shownTexts(situation(t, rf, "ae-arraigo")), " | "); strings.Contains(texts, "Sugerida") {
		t.Errorf("arraigo suggested with no arrival date: %q", texts)
	}
	if rf.profileSel.Selected != "Acceso al primer empleo" || !strings.Contains(rf.profileWhy.String(), "No consta experiencia laboral") {
		t.Errorf("profile %q (%q), want the suggested first-job profile and why", rf.profileSel.Selected, rf.profileWhy.String())
	}

	test.Tap(doc)
	test.Type(rf.pf.atlas, "2026/AE/000123")
	test.Tap(rf.save)

	refs, err := store.PersonReferrals(id)
	if err != nil || len(refs) != 1 {
		t.Fatalf("referrals %v (%v), want 1 (summary %q)", refs, err, rf.pf.summary.Text)
	}
	r := refs[0]
	crit, _ := store.Criterion("ae-documentacion")
	if r.Status != data.StatusProposed || r.CriterionText != crit.Text || r.Direction != data.FromAE ||
		r.Atlas != "2026/AE/000123" || r.Profile != "primer_empleo" || r.StaffID == "" || r.OfficeID == "" {
		t.Errorf("stored referral %+v", r)
	}
	if p, _ := store.Person(id); p.Atlas != "2026/AE/000123" || p.FilledByText != "" || p.FilledBy != r.StaffID {
		t.Errorf("person: ATLAS %q, filled by %q/%q: want the number and the technician kept in the ficha", p.Atlas, p.FilledBy, p.FilledByText)
	}

	pg := u.people.page
	if pg.tabs.Selected().Content != pg.refs.root {
		t.Error("the page does not show the Derivaciones tab after the referral")
	}
	shown := strings.Join(shownTexts(pg.refs.root), " | ")
	for _, want := range []string{"1 derivación", "AE → OMIOPI", "propuesta el 25/11/2026", "Propuesta",
		"tarjeta de estudiante", "Acceso al primer empleo", "Laura Martín · Agencia de Zona Tetuán",
		"— → Propuesta", datatest.Name, "[Ir a Derivaciones]"} {
		if !strings.Contains(shown, want) {
			t.Errorf("Derivaciones tab lacks %q: %q", want, shown)
		}
	}
	if top := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " "); !strings.Contains(top, "Derivación registrada") {
		t.Errorf("no confirmation after saving: %q", top)
	}
}

func TestReferralFormMissingCriterionStoresNothing(t *testing.T) {
	u, store := referralTestApp(t, ana())
	id := onlyPersonID(t, store)
	before, _ := store.Person(id)
	rf := openReferralForm(t, u, id)
	chooseStaff(t, rf, "Carlos Ruiz")
	if rf.dir() != data.FromOMIOPI || rf.atlasRow[1].Visible() {
		t.Errorf("direction %q, ATLAS shown %v: an OMIOPI technician refers to the AE, without ATLAS", rf.dir(), rf.atlasRow[1].Visible())
	}
	rf.pf.email.SetText("")
	test.Type(rf.pf.email, "ana@")
	test.Tap(rf.save)

	if l := rf.pf.errs["CriterionID"]; !l.Visible() || l.Text != "Elija la situación habilitante." {
		t.Errorf("criterion error = %q (visible %v)", l.Text, l.Visible())
	}
	if l := rf.pf.errs["Email"]; !l.Visible() || l.Text == "" {
		t.Errorf("e-mail error = %q (visible %v), want it shown with the criterion's", l.Text, l.Visible())
	}
	if !rf.pf.summary.Visible() || !strings.Contains(rf.pf.summary.Text, "No se ha guardado nada") ||
		!strings.Contains(rf.pf.summary.Text, "Situación habilitante") {
		t.Errorf("summary = %q", rf.pf.summary.Text)
	}
	if refs, _ := store.PersonReferrals(id); len(refs) != 0 {
		t.Errorf("%d referrals stored", len(refs))
	}
	if after, _ := store.Person(id); !reflect.DeepEqual(after, before) {
		t.Error("the person was changed by a refused referral")
	}
	if ev, _ := store.Timeline(id); len(ev) != 0 {
		t.Errorf("%d timeline events written", len(ev))
	}
	if len(u.dialogs) != 1 {
		t.Errorf("dialogs open: %d, want the form still open", len(u.dialogs))
	}

	test.Tap(situation(t, rf, "omiopi-menos-6m"))
	if rf.pf.errs["CriterionID"].Visible() {
		t.Error("the criterion error stays after choosing one")
	}
}

func TestReferralFormFromScratchOffersExisting(t *testing.T) {
	u, store := referralTestApp(t, ana())
	id := onlyPersonID(t, store)
	findButton(t, u.people.content(), "Nueva derivación") // in the Personas toolbar

	rs := showReferralStart(u)
	test.Type(rs.pf.firstName, "Ana")
	rs.pf.docKind.SetSelected("NIE")
	test.Type(rs.pf.docNumber, "x-1234567-l")
	test.Tap(rs.next)

	found := strings.Join(shownTexts(rs.found), " | ")
	if !strings.Contains(found, "Ya existe: Ana María Pérez López, NIE X1234567L, nac. 14/03/1990.") {
		t.Fatalf("the existing person is not offered: %q", found)
	}
	if strings.Contains(found, "crear una ficha nueva") {
		t.Errorf("a second ficha is offered for the same document: %q", found)
	}
	test.Tap(findButton(t, rs.found, "Usar esta persona"))
	rf := rs.form
	if rf == nil || rf.pf.orig == nil || rf.pf.orig.ID != id {
		t.Fatal("the referral form is not open for the existing person")
	}
	chooseStaff(t, rf, "Laura Martín")
	test.Tap(situation(t, rf, "ae-documentacion"))
	test.Tap(rf.save)
	if n := store.PersonCount(); n != 1 {
		t.Errorf("%d people, want still 1", n)
	}
	if refs, _ := store.PersonReferrals(id); len(refs) != 1 {
		t.Errorf("%d referrals for the existing person, want 1", len(refs))
	}
}

func TestReferralFormFromScratchNewPersonOneBatch(t *testing.T) {
	u, store := referralTestApp(t, ana())
	rs := showReferralStart(u)
	test.Tap(rs.next)
	if l := rs.pf.errs["FirstName"]; !l.Visible() || l.Text != "Falta el nombre." {
		t.Errorf("empty name: error %q (visible %v)", l.Text, l.Visible())
	}
	test.Type(rs.pf.firstName, "LUCÍA")
	test.Type(rs.pf.lastName, "GÓMEZ")
	rs.pf.docKind.SetSelected("Pasaporte")
	test.Type(rs.pf.docNumber, "AB123456")
	test.Type(rs.pf.birth, "02/05/2001")
	test.Tap(rs.next)
	rf := rs.form
	if rf == nil || rf.pf.orig != nil || rf.pf.firstName.Text != "Lucía" || rf.pf.birth.Text != "02/05/2001" {
		t.Fatalf("the form is not open for a new person with what was typed (form %v)", rf)
	}
	chooseStaff(t, rf, "Carlos Ruiz")
	test.Tap(situation(t, rf, "omiopi-6m-1a"))
	rf.pf.phone1.SetText("12") // the ficha's own problems stop the referral too
	test.Tap(rf.save)
	if n := store.PersonCount(); n != 1 || !rf.pf.errs["Phone1"].Visible() {
		t.Fatalf("bad phone: %d people (want 1, nothing created), phone error shown %v", n, rf.pf.errs["Phone1"].Visible())
	}
	rf.pf.phone1.SetText("699 11 22 33")
	test.Tap(rf.save)
	hits, _ := store.Search("lucia gomez", 5)
	if len(hits) != 1 {
		t.Fatalf("people named Lucía Gómez: %d, want 1", len(hits))
	}
	refs, _ := store.PersonReferrals(hits[0].ID)
	if len(refs) != 1 || refs[0].Direction != data.FromOMIOPI {
		t.Fatalf("referrals of the new person: %+v", refs)
	}
	if u.people.page.p.ID != hits[0].ID {
		t.Error("the new person's page is not shown")
	}
}

func TestReferralFormDNIProposesExclusion(t *testing.T) {
	p := jorge()
	p.DocKind, p.DocNumber, p.Regular = data.DocDNI, "12345678Z", true
	u, store := referralTestApp(t, p)
	id := onlyPersonID(t, store)
	rf := openReferralForm(t, u, id)
	chooseStaff(t, rf, "Carlos Ruiz")
	test.Tap(situation(t, rf, "omiopi-empleable"))
	test.Tap(rf.save)

	refs, _ := store.PersonReferrals(id)
	if len(refs) != 1 || len(refs[0].Suggested) != 1 || refs[0].Suggested[0].Reason != data.ExclusionDNI {
		t.Fatalf("referrals %+v: want one with the DNI exclusion proposed", refs)
	}
	msg := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " ")
	for _, want := range []string{"Derivación registrada. Se propone excluir: Tiene DNI español", "la coordinación decidirá."} {
		if !strings.Contains(msg, want) {
			t.Errorf("confirmation %q lacks %q", msg, want)
		}
	}
	if shown := strings.Join(shownTexts(u.people.page.refs.root), " | "); !strings.Contains(shown, "Exclusión propuesta") {
		t.Errorf("the Derivaciones tab does not show the proposed exclusion: %q", shown)
	}
}

// indicatorRowOf returns the page's Indicadores row of code.
func indicatorRowOf(t *testing.T, pg *personPage, code string) *indicatorRow {
	t.Helper()
	for _, r := range pg.inds.rows {
		if r.ind.Code == code {
			return r
		}
	}
	t.Fatalf("no indicator %q", code)
	return nil
}

func TestIndicatorTickStoresDateAndTimeline(t *testing.T) {
	u, store := referralTestApp(t, ana())
	id := onlyPersonID(t, store)
	u.people.openPerson(id)
	pg := u.people.page
	var labels []string
	for _, r := range pg.inds.rows {
		labels = append(labels, r.check.Text)
	}
	if len(labels) != len(data.Indicators) || labels[0] != "Autorización de residencia y trabajo y número de NIE" {
		t.Errorf("checklist = %q, want the seed's items in order", labels)
	}

	r := indicatorRowOf(t, pg, "empadronamiento")
	if r.date.Visible() {
		t.Error("the date of an indicator not achieved is shown")
	}
	test.Tap(r.check)
	p, _ := store.Person(id)
	if got := p.Indicators["empadronamiento"]; got != (data.Date{Year: 2026, Month: time.November, Day: 25}) {
		t.Fatalf("stored date = %v, want today", got)
	}
	r = indicatorRowOf(t, pg, "empadronamiento")
	if !r.check.Checked || r.date.Text != "25/11/2026" || !r.date.Visible() {
		t.Errorf("row: checked %v, date %q (shown %v)", r.check.Checked, r.date.Text, r.date.Visible())
	}
	if pg.inds.count.Text != "1 de 12 conseguidos" {
		t.Errorf("count = %q", pg.inds.count.Text)
	}
	rows := listRows(pg.tl.list)
	if len(rows) == 0 || !strings.Contains(rows[0], "Indicador conseguido: Empadronamiento (25/11/2026)") {
		t.Errorf("timeline rows = %q, want the indicator on top", rows)
	}

	r.date.SetText("")
	test.Type(r.date, "01/10/2026")
	r.date.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if p, _ := store.Person(id); p.Indicators["empadronamiento"] != (data.Date{Year: 2026, Month: time.October, Day: 1}) {
		t.Errorf("after typing a date: %v", p.Indicators["empadronamiento"])
	}
	r = indicatorRowOf(t, pg, "empadronamiento")
	r.date.SetText("")
	test.Type(r.date, "01/12/2026")
	r.date.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !r.err.Visible() || !strings.Contains(r.err.Text, "no puede ser futura") {
		t.Errorf("future date: error %q (visible %v)", r.err.Text, r.err.Visible())
	}
	if p, _ := store.Person(id); p.Indicators["empadronamiento"] != (data.Date{Year: 2026, Month: time.October, Day: 1}) {
		t.Errorf("a refused date was stored: %v", p.Indicators["empadronamiento"])
	}

	test.Tap(indicatorRowOf(t, pg, "empadronamiento").check)
	if p, _ := store.Person(id); len(p.Indicators) != 0 {
		t.Errorf("untick left %v", p.Indicators)
	}
}

func TestIndicatorYouthGuaranteeByAge(t *testing.T) {
	tests := []struct {
		name     string
		birth    data.Date
		disabled bool
		note     string
	}{
		{"40 years old", data.Date{Year: 1986, Month: time.March, Day: 2}, true, "No aplica. Tiene 40 años"},
		{"25 years old", data.Date{Year: 2001, Month: time.May, Day: 2}, false, ""},
		{"no birth date", data.Date{}, false, "No consta la fecha de nacimiento"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := jorge()
			p.BirthDate = tc.birth
			u, store := referralTestApp(t, p)
			u.people.openPerson(onlyPersonID(t, store))
			r := indicatorRowOf(t, u.people.page, data.IndicatorYouthGuarantee)
			if r.check.Disabled() != tc.disabled {
				t.Errorf("Garantía Juvenil disabled = %v, want %v", r.check.Disabled(), tc.disabled)
			}
			if note := r.note.String(); !strings.Contains(note, tc.note) || r.note.Visible() != (tc.note != "") {
				t.Errorf("note %q (visible %v), want %q", note, r.note.Visible(), tc.note)
			}
			if other := indicatorRowOf(t, u.people.page, "demandante"); other.check.Disabled() {
				t.Error("registration as a job seeker is disabled")
			}
		})
	}
}

// TestReferralFormScreenshots writes PNGs of the referral form and of the
// person page's Derivaciones and Indicadores tabs to ENLACE_SHOTS.
func TestReferralFormScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := ana()
	p.ArrivalDate = data.Date{Year: 2023, Month: time.June, Day: 1}
	p.DocExpiry = data.Date{Year: 2026, Month: time.October, Day: 1}
	p.Interests = "Reagrupar a sus hijos; curso de contabilidad"
	p.Education, p.EducationLevel = "Licenciada en Administración de Empresas", "Universitarios"
	p.ExperienceYears, p.SpainYears = 6, 1
	u, store := referralTestApp(t, p)
	u.app.Settings().SetTheme(theme.LightTheme())
	id := onlyPersonID(t, store)

	rf := openReferralForm(t, u, id)
	chooseStaff(t, rf, "Laura Martín")
	test.Tap(situation(t, rf, "ae-documentacion"))
	shot(t, u, filepath.Join(dir, "referral-form.png"))
	rf.pf.scroll.ScrollToOffset(fyne.NewPos(0, 330))
	shot(t, u, filepath.Join(dir, "referral-form-situations.png"))
	rf.pf.scroll.ScrollToBottom()
	shot(t, u, filepath.Join(dir, "referral-form-end.png"))
	test.Tap(rf.save)
	shot(t, u, filepath.Join(dir, "referral-saved.png"))
	u.dismissTop()

	rf = openReferralForm(t, u, id)
	test.Tap(rf.save)
	rf.pf.scroll.ScrollToTop()
	shot(t, u, filepath.Join(dir, "referral-form-errors.png"))
	u.dismissTop()

	refs, _ := store.PersonReferrals(id)
	if _, err := store.Apply(refs[0].ID, data.Change{Action: data.ActVerifyYes}, "Jefa de sección"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Apply(refs[0].ID, data.Change{Action: data.ActInclude, Reason: "Cumple: la TIE caducó y busca renovarla"}, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Apply(refs[0].ID, data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaLegal, data.AreaEmployment}}, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	for code, d := range map[string]data.Date{
		"autorizacion":    {Year: 2024, Month: time.February, Day: 12},
		"empadronamiento": {Year: 2023, Month: time.July, Day: 3},
		"espanol":         {Year: 2023, Month: time.June, Day: 1},
	} {
		if err := store.SetIndicator(id, code, d, "Laura Martín"); err != nil {
			t.Fatal(err)
		}
	}
	u.people.page.reload()
	u.afterReferral(id)
	shot(t, u, filepath.Join(dir, "person-referrals.png"))
	pg := u.people.page
	pg.tabs.Select(pg.tabs.Items[3])
	shot(t, u, filepath.Join(dir, "person-indicators.png"))

	rs := showReferralStart(u)
	test.Type(rs.pf.firstName, "Ana María")
	test.Type(rs.pf.lastName, "Pérez")
	rs.pf.docKind.SetSelected("NIE")
	test.Type(rs.pf.docNumber, "X1234567L")
	test.Tap(rs.next)
	shot(t, u, filepath.Join(dir, "referral-start-existing.png"))
}
