package forms

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// importNow is the tests' clock: 25 November 2026, 10:00, one second
// later at each reading.
var importNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// openStore opens a new store under t.TempDir and closes it at the end.
func openStore(t testing.TB) *data.Store {
	t.Helper()
	now := importNow
	s, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{
		Now: func() time.Time { now = now.Add(time.Second); return now },
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// importFile reads testdata/name and imports it into s.
func importFile(t testing.TB, s *data.Store, name string, skipInvalid bool) (*Plan, Result, error) {
	t.Helper()
	plan, err := Check(s, readFile(t, name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Import(s, "Coordinadora de prueba", skipInvalid)
	return plan, res, err
}

// counts is what the store holds, for before/after comparisons.
type counts struct{ people, referrals, staff, offices int }

func countAll(t testing.TB, s *data.Store) counts {
	t.Helper()
	refs, err := s.Referrals(data.ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	return counts{s.PersonCount(), len(refs), c.Staff, c.Offices}
}

// referralOf returns the only referral of the person named name.
func referralOf(t *testing.T, s *data.Store, name string) (data.Person, data.Referral) {
	t.Helper()
	hits, _ := s.Search(name, 2)
	if len(hits) != 1 {
		t.Fatalf("search %q: %d people, want 1", name, len(hits))
	}
	p, err := s.Person(hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := s.PersonReferrals(p.ID)
	if err != nil || len(refs) != 1 {
		t.Fatalf("%s has %d referrals (%v), want 1", name, len(refs), err)
	}
	return p, refs[0]
}

func TestImportGoogleForm(t *testing.T) {
	s := openStore(t)
	_, res, err := importFile(t, s, "google.csv", false)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Rows: 7, NewPeople: 7, Referrals: 7, DNI: 2, DNIExcluded: 1, Review: 1, NewOffices: 4, NewStaff: 4}
	if res != want {
		t.Errorf("result = %+v, want %+v", res, want)
	}
	if got := countAll(t, s); got != (counts{7, 7, 4, 4}) {
		t.Errorf("store holds %+v, want 7 people, 7 referrals, 4 staff, 4 offices", got)
	}

	t.Run("AE referral, NIE", func(t *testing.T) {
		p, r := referralOf(t, s, "María José Pérez")
		if r.Direction != data.FromAE || r.Status != data.StatusProposed || r.Date != (data.Date{Year: 2022, Month: 9, Day: 15}) {
			t.Errorf("referral = %s dated %v", r.String(), r.Date)
		}
		if r.CriterionID != "ae-arraigo" || !strings.Contains(r.Note, "por defecto") || !strings.Contains(r.Note, "línea 2") {
			t.Errorf("criterion %s, note %q: want the default criterion, flagged", r.CriterionID, r.Note)
		}
		if p.DocKind != data.DocNIE || p.DocExpiry != (data.Date{Year: 2024, Month: 5, Day: 12}) || !p.Regular {
			t.Errorf("document %s %s %v, regular %v", p.DocKind, p.DocNumber, p.DocExpiry, p.Regular)
		}
		st, err := s.StaffMember(r.StaffID)
		if err != nil || st.Name != "Laura Martín" || st.Email != "laura.martin@madrid.es" || p.FilledBy != st.ID {
			t.Errorf("referrer = %+v (%v), person filled by %q", st, err, p.FilledBy)
		}
		o, err := s.Office(r.OfficeID)
		if err != nil || o.Name != "AZ Tetuán" || o.Org != data.OrgAE || st.OfficeID != o.ID {
			t.Errorf("office = %+v (%v)", o, err)
		}
		if !strings.HasPrefix(p.FilledByText, "Laura Martín, AE") {
			t.Errorf("question 18 as typed = %q", p.FilledByText)
		}
	})
	t.Run("OMIOPI referral, DNI: excluded", func(t *testing.T) {
		_, r := referralOf(t, s, "Carmen Ruiz")
		if r.Direction != data.FromOMIOPI || r.Status != data.StatusExcluded || r.Exclusion != data.ExclusionDNI {
			t.Errorf("referral = %s, exclusion %q; want excluded for a DNI", r.String(), r.Exclusion)
		}
		if last := r.History[len(r.History)-1]; !strings.Contains(last.Reason, "importar") {
			t.Errorf("exclusion reason %q does not say it came from the import", last.Reason)
		}
	})
	t.Run("AE referral, DNI: proposed, awaiting verification", func(t *testing.T) {
		_, r := referralOf(t, s, "Luis Gómez")
		if r.Status != data.StatusProposed || len(r.Suggested) == 0 || r.Suggested[0].Reason != data.ExclusionDNI {
			t.Errorf("referral = %s, suggested %v; want proposed with the DNI exclusion suggested", r.String(), r.Suggested)
		}
		if !strings.Contains(r.Note, "jefatura de sección") {
			t.Errorf("note %q does not say why it is not excluded", r.Note)
		}
	})
	t.Run("kept as typed and flagged", func(t *testing.T) {
		p, r := referralOf(t, s, "Fatima Zahra")
		if p.Origin != "Centroamérica" || p.Nationality != "" {
			t.Errorf("nationality %q origin %q", p.Nationality, p.Origin)
		}
		for _, want := range []string{"Tipo de Documento, número y fecha de caducidad: Solicitante de asilo", "Informática.: sabe usar el móvil"} {
			if !strings.Contains(p.Observations, want) {
				t.Errorf("observations %q lack %q", p.Observations, want)
			}
		}
		if !strings.Contains(r.Note, "Revisar:") || !strings.Contains(r.Note, "Centroamérica") {
			t.Errorf("note %q does not list what to review", r.Note)
		}
	})
	t.Run("TIE with month and year", func(t *testing.T) {
		p, r := referralOf(t, s, "Ana Lucía Flores")
		if p.DocKind != data.DocTIE || p.DocExpiry != (data.Date{Year: 2025, Month: 3, Day: 31}) || p.Nationality != "HN" {
			t.Errorf("person = %s %v %s", p.DocKind, p.DocExpiry, p.Nationality)
		}
		o, _ := s.Office(r.OfficeID)
		if o.Name != "AZ Latina" {
			t.Errorf("office %q, want AZ Latina", o.Name)
		}
	})
}

// TestImportTwice: importing the same file again, or the same answers
// saved in another encoding and delimiter, creates nothing.
func TestImportTwice(t *testing.T) {
	s := openStore(t)
	if _, _, err := importFile(t, s, "excel_bom.csv", false); err != nil {
		t.Fatal(err)
	}
	before := countAll(t, s)
	for _, name := range []string{"excel_bom.csv", "excel_1252.csv"} {
		plan, res, err := importFile(t, s, name, false)
		if err != nil {
			t.Fatal(err)
		}
		if res != (Result{Skipped: 7}) {
			t.Errorf("%s again: %+v, want every row skipped", name, res)
		}
		for _, r := range plan.File.Rows {
			if r.Status != Imported {
				t.Errorf("%s line %d: status %d, want Imported", name, r.Line, r.Status)
			}
		}
		if after := countAll(t, s); after != before {
			t.Errorf("%s again: store went from %+v to %+v", name, before, after)
		}
	}
}

// TestImportAllOrNothing: one invalid row and nothing is written; every
// problem is listed with its line and column.
func TestImportAllOrNothing(t *testing.T) {
	s := openStore(t)
	_, res, err := importFile(t, s, "invalid.csv", false)
	var re *RowsError
	if !errors.As(err, &re) || !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("Import = %v, want a *RowsError wrapping data.ErrInvalid", err)
	}
	want := []string{
		"línea 2, columna «Tipo de Documento…»: La letra del NIE no es correcta: debería ser L.",
		"línea 3, columna «Nombre»: Falta el nombre.",
		"línea 4, columna «Persona que rellena este formulario…»: No se sabe si quien rellena el formulario es de la AE o de una oficina de inmigración (OMIOPI): escriba «AE» u «OMIOPI», o el nombre de la oficina.",
		"línea 5, columna «Marca temporal»: La fecha «31/02/2022» tiene un día que no existe en ese mes.",
	}
	var got []string
	for _, p := range re.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if re.Rows != 4 || res.Rejected != 4 {
		t.Errorf("rows %d, rejected %d; want 4", re.Rows, res.Rejected)
	}
	if c := countAll(t, s); c != (counts{}) {
		t.Errorf("store holds %+v after a refused import, want nothing", c)
	}
}

// TestImportSkipInvalid: the valid rows go in; the rejected ones are
// written untouched, and once fixed they import.
func TestImportSkipInvalid(t *testing.T) {
	s := openStore(t)
	plan, res, err := importFile(t, s, "invalid.csv", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 1 || res.Rejected != 4 || res.NewPeople != 1 {
		t.Errorf("result = %+v, want 1 row imported, 4 rejected", res)
	}
	var out bytes.Buffer
	if err := plan.File.WriteRejected(&out, plan.Rejected()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\r\n"), "\r\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], "22/09/2022 10:00:00,Ana Pérez,") || strings.Contains(out.String(), "Mario Silva") {
		t.Fatalf("rejected file:\n%s", out.String())
	}
	fixed := strings.Replace(out.String(), "X1234567A", "X1234567L", 1)
	f, err := Read(strings.NewReader(fixed))
	if err != nil {
		t.Fatal(err)
	}
	plan, err = Check(s, f)
	if err != nil {
		t.Fatal(err)
	}
	res, err = plan.Import(s, "Coordinadora de prueba", true)
	if err != nil || res.Rows != 1 || res.Existing != 1 || res.Rejected != 3 {
		t.Errorf("fixed file: %+v, %v; want the fixed row in (its NIE is Mario's), 3 still rejected", res, err)
	}
}

// TestImportMatchesStored: a person, office and staff member already in
// Enlace are used, not duplicated; what the stored person lacks is filled
// in and nothing typed before is overwritten.
func TestImportMatchesStored(t *testing.T) {
	s := openStore(t)
	office := data.Office{Name: "Agencia de Zona Tetuán", Org: data.OrgAE}
	if err := s.SaveOffice(&office, "semilla"); err != nil {
		t.Fatal(err)
	}
	laura := data.Staff{Name: "Laura Martín Gil", Email: "laura.martin@madrid.es", Role: data.RoleLiaison, OfficeID: office.ID, Active: true}
	if err := s.SaveStaff(&laura, "semilla"); err != nil {
		t.Fatal(err)
	}
	maria := data.Person{FirstName: "María José", LastName: "Pérez García", DocKind: data.DocNIE, DocNumber: "X1234567L", Phone1: "699000111"}
	if err := s.CreatePerson(&maria, "semilla"); err != nil {
		t.Fatal(err)
	}
	plan, res, err := importFile(t, s, "google.csv", false)
	if err != nil {
		t.Fatal(err)
	}
	if plan.File.Rows[0].Status != Existing || res.Existing != 1 || res.NewPeople != 6 {
		t.Errorf("row 1 status %d, result %+v: want María matched", plan.File.Rows[0].Status, res)
	}
	p, r := referralOf(t, s, "María José Pérez")
	if p.ID != maria.ID || p.Phone1 != "699000111" || p.Phone2 != "612345678" || p.DocExpiry.IsZero() || p.Email != "maria.perez@gmail.com" || p.Nationality != "VE" {
		t.Errorf("stored person after import: %+v", p)
	}
	if r.StaffID != laura.ID || r.OfficeID != office.ID {
		t.Errorf("referral by %s from %s, want the stored Laura and office", r.StaffID, r.OfficeID)
	}
	if got := countAll(t, s); got.offices != 4 || got.staff != 4 {
		t.Errorf("store holds %+v: Tetuán and Laura were created again", got)
	}
}

// TestImportSamePersonTwiceInFile: two answers for one person (same NIE)
// give one person with two referrals.
func TestImportSamePersonTwiceInFile(t *testing.T) {
	rows := [][]string{
		{"Marca temporal", "Nombre", "Persona que rellena este formulario", "Tipo de documento"},
		{"15/09/2022 10:00:00", "Ana López", "Pedro Sanz, OMIOPI, Oficina Norte, psanz@oficinainmigracion.info", "NIE Y1234567X"},
		{"20/10/2022 10:00:00", "ANA LÓPEZ", "Laura Martín, AE, AZ Tetuán, laura@madrid.es", "y1234567x"},
	}
	s := openStore(t)
	f, err := Read(strings.NewReader(csvText(rows, ',', "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Check(s, f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Import(s, "Coordinadora de prueba", false)
	if err != nil || res.NewPeople != 1 || res.Existing != 1 || res.Referrals != 2 {
		t.Fatalf("result %+v, %v; want one person, two referrals", res, err)
	}
	hits, _ := s.Search("Ana López", 5)
	refs, _ := s.PersonReferrals(hits[0].ID)
	if len(hits) != 1 || len(refs) != 2 || refs[0].Direction == refs[1].Direction {
		t.Errorf("%d people, %d referrals", len(hits), len(refs))
	}
}

func ExampleResult_Summary() {
	r := Result{Rows: 31, NewPeople: 28, Existing: 3, Referrals: 31, DNI: 5, DNIExcluded: 3}
	fmt.Println(r.Summary())
	// Output:
	// Importadas 31 filas: 28 personas nuevas, 3 ya existentes, 31 derivaciones propuestas, 5 propuestas de exclusión (DNI). Excluidas por tener DNI: 3; a la espera de la verificación de la jefatura de sección de la AE: 2.
}

// TestImportFilesPeopleHave: the same seven answers as google.csv, as
// Google Forms' own "Descargar respuestas (.csv)" writes them (year-first
// 12-hour timestamps with the owner's offset, the collected e-mail right
// after the timestamp under question 13's title, titles without numbers)
// and as LibreOffice Calc saves them in a Spanish locale (';', two-digit
// years), import exactly as the sheet's own export does.
func TestImportFilesPeopleHave(t *testing.T) {
	want := Result{Rows: 7, NewPeople: 7, Referrals: 7, DNI: 2, DNIExcluded: 1, Review: 1, NewOffices: 4, NewStaff: 4}
	for _, name := range []string{"google_download.csv", "libreoffice.csv"} {
		t.Run(name, func(t *testing.T) {
			s := openStore(t)
			plan, res, err := importFile(t, s, name, false)
			if err != nil {
				for _, p := range plan.Problems() {
					t.Log(p)
				}
				t.Fatal(err)
			}
			if res != want {
				t.Errorf("result = %+v, want %+v", res, want)
			}
			_, r := referralOf(t, s, "María José Pérez")
			if r.Date != (data.Date{Year: 2022, Month: 9, Day: 15}) {
				t.Errorf("referral dated %v, want 15/09/2022", r.Date)
			}
			p, r := referralOf(t, s, "Ana Lucía Flores")
			st, err := s.StaffMember(r.StaffID)
			if err != nil || st.Name != "Marta Cabrera" || st.Email != "cabreragm@madrid.es" {
				t.Errorf("referrer of Ana Lucía = %+v (%v), want Marta Cabrera <cabreragm@madrid.es>", st, err)
			}
			if p.Email != "" {
				t.Errorf("Ana Lucía's own e-mail = %q: the collected address is the referrer's, not hers", p.Email)
			}
			p, r = referralOf(t, s, "Jorge Castillo")
			if st, _ := s.StaffMember(r.StaffID); st.Email != "psanz@oficinainmigracion.info" || p.Email != "jorge.castillo@correo.es" {
				t.Errorf("Jorge: referrer %q, own e-mail %q", st.Email, p.Email)
			}
			if strings.Contains(r.Note, "Falta el correo") {
				t.Errorf("note %q asks for an e-mail the form collected", r.Note)
			}
		})
	}
}
