package reports_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// auditLog is every entry of the log as the reader says it, one string
// an entry: the kind, then the fields.
func auditLog(t *testing.T, s *data.Store) []string {
	t.Helper()
	entries, err := s.Audit(data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	r := reports.NewAuditReader(s, nil)
	var out []string
	for _, e := range entries {
		out = append(out, r.Kind(e)+" | "+strings.Join(r.Fields(e), " | "))
	}
	return out
}

func TestAuditReaderSaysChangesAsPeopleReadThem(t *testing.T) {
	s := pilotWithAccented(t)
	staff := data.Staff{Name: "Laura Gil Pardo", Role: data.RoleLiaison, Email: "laura@example.org", Active: true}
	if err := s.SaveStaff(&staff, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	office := data.Office{Name: "OMIOPI Usera", Org: data.OrgOMIOPI}
	if err := s.SaveOffice(&office, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	office.Liaison = staff.ID
	if err := s.SaveOffice(&office, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	hits, _ := s.Search("Núñez", 1)
	if len(hits) != 1 {
		t.Fatalf("search: %v", hits)
	}
	p, err := s.Person(hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Phone1, p.Regular = "699112233", false
	p.DocExpiry = data.Date{Year: 2027, Month: time.March, Day: 1}
	p.Nationality = "CO"
	if err := s.UpdatePerson(&p, "Coordinadora"); err != nil {
		t.Fatal(err)
	}
	r := data.Referral{PersonID: p.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-itinerario",
		Date: s.Today(), StaffID: staff.ID}
	if err := s.Propose(&r, "Técnica"); err != nil {
		t.Fatal(err)
	}
	apply(t, s, r.ID, data.Change{Action: data.ActInclude})

	log := auditLog(t, s)
	all := strings.Join(log, "\n")
	for _, want := range []string{
		"Teléfono 1: +51987654321 → 699112233",
		"Caducidad del documento: (vacío) → 01/03/2027",
		"En situación administrativa regular: Sí → No",
		"Nacionalidad: Perú → Colombia",
		"Oficina | Técnico/a de enlace: (vacío) → Laura Gil Pardo",
		"Derivación | Estado: Propuesta → Incluida",
		"Derivación | Estado: Propuesta → Incluida\n",
		"Derivación | Datos: Técnico/a que deriva, Dirección de la derivación",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the log does not say %q; it says:\n%s", want, all)
		}
	}
	// What people do not read: JSON names, IDs, ISO dates and times, JSON.
	raw := regexp.MustCompile(`phone1|doc_expiry|liaison|status|[0-9A-HJKMNP-TV-Z]{26}|\d{4}-\d{2}-\d{2}|[{}\[\]"]`)
	for _, line := range log {
		if m := raw.FindString(line); m != "" {
			t.Errorf("%q shows %q", line, m)
		}
	}
}

func TestAuditReaderTranslates(t *testing.T) {
	s := pilotWithAccented(t)
	en := map[string]string{"Persona": "Person", "Teléfono 1": "Phone 1", "Datos: {{.Fields}}": "Fields: {{.Fields}}"}
	r := reports.NewAuditReader(s, func(k string, args ...any) string {
		v, ok := en[k]
		if !ok {
			v = "[" + k + "]"
		}
		if len(args) == 1 {
			for name, x := range args[0].(map[string]any) {
				v = strings.ReplaceAll(v, "{{."+name+"}}", x.(string))
			}
		}
		return v
	})
	e := data.AuditEntry{Op: data.AuditUpdate, Kind: "persona",
		Fields: []data.AuditField{{Name: "phone1", Old: `"1"`, New: `"2"`}, {Name: "phone2"}}}
	got := r.Kind(e) + " | " + strings.Join(r.Fields(e), " | ")
	if want := "Person | Fields: [Teléfono 2] | Phone 1: 1 → 2"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestAuditReaderKnowsEveryField walks the records the log covers: a
// field added to one of them without a label would show by its JSON name.
func TestAuditReaderKnowsEveryField(t *testing.T) {
	kinds := map[string]any{
		"persona": data.Person{}, "historial": data.Event{}, "oficina": data.Office{}, "personal": data.Staff{},
		"derivación": data.Referral{}, "recordatorio": data.Reminder{}, "proyecto RI": data.RIProject{},
		"usuario": data.User{}, "documento adjunto": data.Attachment{}, "situación habilitante": data.Criterion{},
		"ajuste": data.Programme{}, "ajuste ": data.Rules{},
	}
	r := reports.NewAuditReader(openStore(t, &clock{time.Now()}), nil)
	for kind, v := range kinds {
		kind = strings.TrimSpace(kind)
		for _, name := range jsonNames(reflect.TypeOf(v)) {
			e := data.AuditEntry{Kind: kind, Fields: []data.AuditField{{Name: name, New: `"x"`}}}
			for _, line := range r.Fields(e) {
				if strings.HasPrefix(line, name+":") {
					t.Errorf("%s.%s has no label: %q", kind, name, line)
				}
			}
		}
	}
}

// jsonNames are the top-level JSON field names of struct type t,
// embedded structs' included.
func jsonNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, jsonNames(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "", "-", "created_at", "created_by", "updated_at", "updated_by": // stamps: not logged
			continue
		}
		out = append(out, name)
	}
	return out
}
