package acroform_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
	"github.com/enlace-madrid/enlace/reports"
)

var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// fixture is a store with an AE office and the form made for it.
type fixture struct {
	s      *data.Store
	office data.Office
	blank  string // the blank form's path
	dir    string // the folder filled forms are dropped into
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	needPdftk(t)
	now := testNow
	s := datatest.Open(t, &data.Options{Now: func() time.Time { now = now.Add(time.Second); return now }})
	o := data.Office{Name: "AZ Tetuán", Org: data.OrgAE}
	if err := s.SaveOffice(&o, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s, office: o, blank: filepath.Join(t.TempDir(), "formulario.pdf"), dir: t.TempDir()}
	var buf bytes.Buffer
	if err := reports.ReferralForm(&buf, s, o.ID, reports.Options{Now: testNow, Author: "Coordinadora"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.blank, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// needPdftk skips the test when pdftk (pdftk-java, the tool that fills
// the form: not the one that made it) is missing, except in CI, where
// scripts/install-deps.sh test installs it.
func needPdftk(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("pdftk"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftk not found: install pdftk-java (scripts/install-deps.sh test)")
		}
		t.Skip("pdftk not found: install pdftk-java (apt-get install pdftk-java) to fill the PDF form as a technician's reader would")
	}
}

// fill fills the blank form with values by pdftk and an XFDF file (UTF-8),
// writing it into the drop folder as name.
func (f *fixture) fill(t testing.TB, name string, values map[string]string) string {
	t.Helper()
	var x bytes.Buffer
	x.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><fields>`)
	for k, v := range values {
		x.WriteString(`<field name="`)
		_ = xml.EscapeText(&x, []byte(k))
		x.WriteString(`"><value>`)
		_ = xml.EscapeText(&x, []byte(v))
		x.WriteString(`</value></field>`)
	}
	x.WriteString(`</fields></xfdf>`)
	tmp := t.TempDir()
	xfdf := filepath.Join(tmp, "data.xfdf")
	if err := os.WriteFile(xfdf, x.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(f.dir, name)
	if b, err := exec.Command("pdftk", f.blank, "fill_form", xfdf, "output", out).CombinedOutput(); err != nil {
		t.Fatalf("pdftk fill_form: %v\n%s", err, b)
	}
	return out
}

func (f *fixture) criterion(t testing.TB, id string) string {
	t.Helper()
	c, err := f.s.Criterion(id)
	if err != nil {
		t.Fatal(err)
	}
	return acroform.CriterionField(c.ID)
}

// good are the answers of a complete form.
func (f *fixture) good(t testing.TB) map[string]string {
	return map[string]string{
		acroform.FieldReferrerName:        "Laura Martín Gil",
		acroform.FieldReferrerEmail:       "laura.martin@madrid.es",
		acroform.FieldDate:                "20/11/2026",
		acroform.FieldFirstName:           "María José",
		acroform.FieldLastName:            "Quispe Ñáñez",
		acroform.FieldDocKind:             "NIE",
		acroform.FieldDocNumber:           "X1234567L",
		acroform.FieldDocExpiry:           "15/03/2027",
		acroform.FieldBirthDate:           "04/05/1991",
		acroform.FieldGender:              "Mujer",
		acroform.FieldNationality:         "Perú",
		acroform.FieldPhone:               "612 345 678",
		acroform.FieldEmail:               "MJ.Quispe@Example.org",
		acroform.FieldAddress:             "Calle de Bravo Murillo 300, 28020 Madrid",
		acroform.FieldDistrict:            "Tetuán",
		acroform.FieldObservations:        "Busca contrato para el arraigo.",
		acroform.FieldConsent:             "Yes",
		f.criterion(t, "ae-reagrupacion"): "Yes",
	}
}

func countPeople(t *testing.T, s *data.Store) (people, referrals int) {
	t.Helper()
	c, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	refs, err := s.Referrals(data.ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return c.People, len(refs)
}

// TestImportFilledForm: a form made by Enlace (pdfcpu) and filled by
// another tool (pdftk) imports as the person and referral a coordinator
// sees; the file is deleted after the commit; the same file again adds
// nothing.
func TestImportFilledForm(t *testing.T) {
	f := newFixture(t)
	path := f.fill(t, "derivacion-quispe.pdf", f.good(t))
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := acroform.Paths([]string{f.dir})
	if err != nil || len(paths) != 1 {
		t.Fatalf("Paths = %v, %v", paths, err)
	}
	im, err := acroform.Import(f.s, paths, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Result.NewPeople != 1 || im.Result.Referrals != 1 || len(im.Problems) != 0 {
		t.Fatalf("import: %s; problems %v", im.Summary(), im.Problems)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the imported file is still in the folder (%v)", err)
	}
	if len(im.Deleted) != 1 || !strings.Contains(im.Summary(), "borrados de la carpeta: 1") {
		t.Errorf("summary %q, deleted %v", im.Summary(), im.Deleted)
	}
	dups := f.s.FindDuplicates(&data.Person{DocNumber: "X1234567L"})
	if len(dups) != 1 {
		t.Fatalf("people with the NIE: %v", dups)
	}
	p, err := f.s.Person(dups[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, got, want string }{
		{"first name", p.FirstName, "María José"},
		{"last name", p.LastName, "Quispe Ñáñez"},
		{"document", string(p.DocKind) + " " + p.DocNumber, "nie X1234567L"},
		{"expiry", p.DocExpiry.ISO(), "2027-03-15"},
		{"birth date", p.BirthDate.ISO(), "1991-05-04"},
		{"gender", string(p.Gender), "mujer"},
		{"nationality", p.Nationality, "PE"},
		{"phone", p.Phone1, "612345678"},
		{"e-mail", p.Email, "mj.quispe@example.org"},
		{"postal code", p.PostalCode, "28020"},
		{"consent date", p.ConsentDate.ISO(), "2026-11-20"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if !strings.Contains(p.Address, "Bravo Murillo 300") || !strings.Contains(p.Address, "distrito Tetuán") {
		t.Errorf("address = %q", p.Address)
	}
	if !p.ConsentAE || !p.ConsentOMIOPI || p.Observations != "Busca contrato para el arraigo." {
		t.Errorf("consent %v/%v, observations %q", p.ConsentAE, p.ConsentOMIOPI, p.Observations)
	}
	refs, err := f.s.PersonReferrals(p.ID)
	if err != nil || len(refs) != 1 {
		t.Fatalf("referrals %v, %v", refs, err)
	}
	r := refs[0]
	if r.Direction != data.FromAE || r.OfficeID != f.office.ID || r.CriterionID != "ae-reagrupacion" || r.Date.ISO() != "2026-11-20" {
		t.Errorf("referral %s from office %s, criterion %s, on %s", r.Direction, r.OfficeID, r.CriterionID, r.Date.ISO())
	}
	if !strings.Contains(r.Note, "formulario PDF «derivacion-quispe.pdf»") || !strings.Contains(r.Note, "marcada en el formulario") {
		t.Errorf("note = %q", r.Note)
	}
	st, err := f.s.StaffMember(r.StaffID)
	if err != nil || st.Email != "laura.martin@madrid.es" || st.OfficeID != f.office.ID {
		t.Errorf("referrer %+v, %v", st, err)
	}

	// The same file dropped again: nothing new, and it goes too.
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := acroform.Import(f.s, []string{path}, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Result.NewPeople != 0 || again.Result.Referrals != 0 || again.Result.Skipped != 1 {
		t.Errorf("re-import: %s", again.Summary())
	}
	if people, refs := countPeople(t, f.s); people != 1 || refs != 1 {
		t.Errorf("after re-import: %d people, %d referrals; want 1, 1", people, refs)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file imported before is still in the folder (%v)", err)
	}
}

// TestImportBadForms: files that cannot be imported come back as Spanish
// problems, stay where they are, and write nothing; a good form beside
// them is imported.
func TestImportBadForms(t *testing.T) {
	f := newFixture(t)
	missing := f.good(t)
	delete(missing, acroform.FieldLastName)
	wrongNIE := f.good(t)
	wrongNIE[acroform.FieldDocNumber] = "X1234567A"
	noCriterion := f.good(t)
	delete(noCriterion, f.criterion(t, "ae-reagrupacion"))
	badDate := f.good(t)
	badDate[acroform.FieldDate] = "31/02/2026"
	future := f.good(t)
	future[acroform.FieldDate] = "01/01/2030"
	text := filepath.Join(f.dir, "nota.pdf")
	if err := os.WriteFile(text, []byte("esto no es un PDF"), 0o600); err != nil {
		t.Fatal(err)
	}
	flat := filepath.Join(f.dir, "impreso.pdf")
	if b, err := exec.Command("pdftk", f.fill(t, "tmp.pdf", f.good(t)), "output", flat, "flatten").CombinedOutput(); err != nil {
		t.Fatalf("pdftk flatten: %v\n%s", err, b)
	}
	_ = os.Remove(filepath.Join(f.dir, "tmp.pdf"))
	cases := []struct{ file, want string }{
		{"nota.pdf", "no es un PDF"},
		{"impreso.pdf", "no tiene campos de formulario"},
		{f.fill(t, "sin-apellidos.pdf", missing), "Falta «Apellidos», que es obligatorio."},
		{f.fill(t, "nie.pdf", wrongNIE), "La letra del NIE no es correcta"},
		{f.fill(t, "sin-criterio.pdf", noCriterion), "No hay ninguna situación habilitante marcada"},
		{f.fill(t, "fecha.pdf", badDate), "«Fecha de la derivación»: La fecha de la derivación «31/02/2026» no es una fecha: escríbala como dd/mm/aaaa."},
		{f.fill(t, "futura.pdf", future), "no puede ser posterior a hoy"},
	}
	paths, err := acroform.Paths([]string{f.dir})
	if err != nil || len(paths) != len(cases) {
		t.Fatalf("Paths = %v, %v", paths, err)
	}
	im, err := acroform.Import(f.s, paths, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Result.Rows != 0 || len(im.Deleted) != 0 {
		t.Errorf("bad forms imported: %s", im.Summary())
	}
	if people, refs := countPeople(t, f.s); people != 0 || refs != 0 {
		t.Errorf("bad forms wrote %d people, %d referrals", people, refs)
	}
	got := map[string]string{}
	for _, p := range im.Problems {
		got[filepath.Base(p.Path)] = p.String()
	}
	for _, c := range cases {
		name := filepath.Base(c.file)
		if !strings.Contains(got[name], c.want) {
			t.Errorf("%s: problem %q, want it to say %q", name, got[name], c.want)
		}
		if _, err := os.Stat(filepath.Join(f.dir, name)); err != nil {
			t.Errorf("%s is gone: %v", name, err)
		}
	}

	// A good form dropped beside them goes in; they stay for review.
	f.fill(t, "buena.pdf", f.good(t))
	paths, _ = acroform.Paths([]string{f.dir})
	var preview forms.Result
	im, err = acroform.Import(f.s, paths, "Coordinadora", func(p *forms.Plan) bool {
		preview = p.Preview(true)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if preview.NewPeople != 1 || im.Result.NewPeople != 1 || len(im.Problems) != len(cases) || len(im.Deleted) != 1 {
		t.Errorf("good beside bad: preview %+v, %s, problems %d, deleted %v", preview, im.Summary(), len(im.Problems), im.Deleted)
	}
}

// TestImportEnglishFormForStoredPerson: the form made in English has
// English choices, which import as the same document type and gender; a
// person already stored (same passport) gets the referral and, having
// none, the consent, without a second record.
func TestImportEnglishFormForStoredPerson(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	if err := reports.ReferralForm(&buf, f.s, f.office.ID, reports.Options{Now: testNow, Lang: reports.English}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.blank, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	stored := data.Person{FirstName: "Oksana", LastName: "Melnyk", DocKind: data.DocPassport, DocNumber: "FE123456", Nationality: "UA"}
	if err := f.s.Batch("Coordinadora", func(b *data.Batch) error { return b.CreatePerson(&stored) }); err != nil {
		t.Fatal(err)
	}
	v := f.good(t)
	v[acroform.FieldFirstName], v[acroform.FieldLastName] = "Oksana", "Melnyk"
	v[acroform.FieldDocKind], v[acroform.FieldDocNumber], v[acroform.FieldDocExpiry] = "Passport", "FE123456", ""
	v[acroform.FieldGender], v[acroform.FieldNationality] = "Woman", "Ucrania"
	path := f.fill(t, "oksana.pdf", v)
	im, err := acroform.Import(f.s, []string{path}, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Result.Existing != 1 || im.Result.NewPeople != 0 || im.Result.Referrals != 1 {
		t.Fatalf("import: %s; problems %v", im.Summary(), im.Problems)
	}
	p, err := f.s.Person(stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Gender != data.GenderWoman || p.DocKind != data.DocPassport || p.ConsentDate.ISO() != "2026-11-20" || !p.ConsentOMIOPI {
		t.Errorf("stored person: gender %q, document %q, consent %s/%v", p.Gender, p.DocKind, p.ConsentDate.ISO(), p.ConsentOMIOPI)
	}
	if people, refs := countPeople(t, f.s); people != 1 || refs != 1 {
		t.Errorf("%d people, %d referrals; want 1, 1", people, refs)
	}
}

// TestReadRejects: what Read refuses, file by file, in Spanish.
func TestReadRejects(t *testing.T) {
	f := newFixture(t)
	blank, err := os.ReadFile(f.blank)
	if err != nil {
		t.Fatal(err)
	}
	cut := blank[:len(blank)/3]
	page := fpdf.New("P", "mm", "A4", "")
	page.AddPage()
	var plain, other bytes.Buffer
	if err := page.Output(&plain); err != nil {
		t.Fatal(err)
	}
	if err := acroform.AddFields(plain.Bytes(), []acroform.Placed{{Name: "firstName", Kind: acroform.Text, Page: 1, X: 100, Y: 700, W: 200}}, &other); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"empty", nil, "no es un PDF"},
		{"text", []byte("Nombre: Ana\n"), "no es un PDF"},
		{"cut short", cut, "no se puede leer como PDF"},
		{"no fields", plain.Bytes(), "no tiene campos de formulario"},
		{"another form", other.Bytes(), "no es el formulario de derivación de Enlace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := acroform.Read(tt.raw, "x.pdf", testNow)
			var ve *data.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read = %v, want a ValidationError saying %q", err, tt.want)
			}
		})
	}
}
