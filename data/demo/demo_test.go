package demo_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
)

// fixedNow is the tests' clock: 25 November 2026, 10:00 in Madrid's
// winter time (a fixed zone, so the test needs no tz database).
var fixedNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// openTest opens a store under t.TempDir with the fixed clock and closes
// it when the test ends.
func openTest(t *testing.T) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "demo.db"), datatest.Options(&data.Options{
		NoSync: true, Now: func() time.Time { return fixedNow },
	}))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// populated returns a store with the default demo (200 people) and what
// Populate reported.
func populated(t *testing.T) (*data.Store, demo.Summary) {
	t.Helper()
	s := openTest(t)
	var calls []int
	sum, err := demo.Populate(s, demo.Options{Seed: 7, Progress: func(done, total int) {
		if total != 200 {
			t.Errorf("Progress total = %d, want 200", total)
		}
		calls = append(calls, done)
	}})
	if err != nil {
		t.Fatalf("Populate: %v", err)
	}
	if len(calls) == 0 || calls[len(calls)-1] != 200 {
		t.Errorf("Progress calls = %v, want to end at 200", calls)
	}
	return s, sum
}

// allPeople returns every stored person, read back from the store.
func allPeople(t *testing.T, s *data.Store) []data.Person {
	t.Helper()
	hits, total := s.Search("", 1_000_000)
	if len(hits) != total {
		t.Fatalf("Search(\"\") returned %d of %d", len(hits), total)
	}
	out := make([]data.Person, len(hits))
	for i, h := range hits {
		p, err := s.Person(h.ID)
		if err != nil {
			t.Fatalf("Person(%s): %v", h.ID, err)
		}
		out[i] = p
	}
	return out
}

func TestPopulateCounts(t *testing.T) {
	s, sum := populated(t)
	c, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	if want := (demo.Summary{Offices: 4, Staff: 9, People: 200, Events: sum.Events, Referrals: 50}); sum != want {
		t.Errorf("Summary = %+v, want %+v", sum, want)
	}
	// Each referral step also writes a status entry on the timeline.
	if c.Events <= sum.Events+sum.Referrals {
		t.Errorf("%d events stored, %d generated and %d referrals", c.Events, sum.Events, sum.Referrals)
	}
	if c.People != 200 || c.Offices != 4 || c.Staff != 9 {
		t.Errorf("Count = %+v, want 200 people, 4 offices, 9 staff", c)
	}
	// 4 to 12 events each, 8 on average.
	if sum.Events < 200*6 || sum.Events > 200*10 {
		t.Errorf("%d events for 200 people, want about 1,600", sum.Events)
	}
}

func TestPopulatePeopleAreValidAndVaried(t *testing.T) {
	s, _ := populated(t)
	people := allPeople(t, s)
	today := data.DateOf(fixedNow)
	nationality := map[string]int{}
	docs := map[data.DocKind]int{}
	seenDoc := map[string]bool{}
	for _, p := range people {
		if err := p.Validate(today); err != nil {
			t.Errorf("%s does not validate: %v", p.FullName(), err)
		}
		if age := p.Age(today); age < 18 || age > 60 {
			t.Errorf("%s is %d years old, want 18–60", p.FullName(), age)
		}
		if p.ArrivalDate.IsZero() || p.ArrivalDate.Before(p.BirthDate) || p.ArrivalDate.After(today) {
			t.Errorf("%s arrived %s, born %s", p.FullName(), p.ArrivalDate, p.BirthDate)
		}
		if p.DocNumber != "" {
			if seenDoc[p.DocNumber] {
				t.Errorf("document %s appears twice", p.DocNumber)
			}
			seenDoc[p.DocNumber] = true
		}
		if p.FilledBy == "" || p.CreatedBy == "" || p.CreatedBy == "Generador de demostración" {
			t.Errorf("%s: filled by %q, created by %q; want a staff member", p.FullName(), p.FilledBy, p.CreatedBy)
		}
		nationality[p.Nationality]++
		docs[p.DocKind]++
	}
	// Weighted like the pilot: Venezuela and Peru lead.
	if nationality["VE"] < 30 || nationality["PE"] < 30 || nationality["VE"]+nationality["PE"] < 100 {
		t.Errorf("nationalities = %v, want Venezuela and Peru to lead", nationality)
	}
	if docs[data.DocNIE]+docs[data.DocTIE] < 100 || docs[data.DocPassport] == 0 {
		t.Errorf("documents = %v, want mostly NIE/TIE and some passports", docs)
	}
}

func TestPopulateRealOffices(t *testing.T) {
	s, _ := populated(t)
	offices, err := s.Offices()
	if err != nil {
		t.Fatal(err)
	}
	staff, err := s.StaffList()
	if err != nil {
		t.Fatal(err)
	}
	staffByID := map[string]data.Staff{}
	for _, st := range staff {
		staffByID[st.ID] = st
	}
	want := map[string]struct {
		org    data.Org
		phones string // as FormatPhone shows them
	}{
		"Oficina Norte":                        {data.OrgOMIOPI, "917 581 437, 664 594 921"},
		"Oficina Sur":                          {data.OrgOMIOPI, "914 625 480, 664 595 902"},
		"AZ Tetuán":                            {data.OrgAE, ""},
		"Agencia para el Empleo — cita previa": {data.OrgAE, "010, 915 298 210"},
	}
	for _, o := range offices {
		w, ok := want[o.Name]
		if !ok {
			t.Errorf("unexpected office %q", o.Name)
			continue
		}
		delete(want, o.Name)
		var phones []string
		for _, ph := range o.Phones {
			phones = append(phones, data.FormatPhone(ph))
		}
		if got := strings.Join(phones, ", "); o.Org != w.org || got != w.phones {
			t.Errorf("%s: %s, phones %q; want %s, %q", o.Name, o.Org, got, w.org, w.phones)
		}
		if o.Org == data.OrgOMIOPI {
			if !slices.Contains(o.Emails, "oficinainmigracion@madrid.es") || o.Web != "https://oficinamunicipalinmigracion.es/" {
				t.Errorf("%s: e-mails %v, web %q", o.Name, o.Emails, o.Web)
			}
		}
		if o.Name != "Agencia para el Empleo — cita previa" {
			if l, ok := staffByID[o.Liaison]; !ok || l.Role != data.RoleLiaison {
				t.Errorf("%s: liaison %q is not a técnico de enlace", o.Name, o.Liaison)
			}
		}
	}
	for name := range want {
		t.Errorf("office %q missing", name)
	}
}

func TestPopulateSearchAndTimelines(t *testing.T) {
	s, _ := populated(t)
	people := allPeople(t, s)
	surname := strings.Fields(people[len(people)/2].LastName)[0]
	hits, total := s.Search(surname, 50)
	if total == 0 || len(hits) == 0 {
		t.Fatalf("Search(%q) found nobody", surname)
	}
	for _, p := range people[:20] {
		events, err := s.Timeline(p.ID)
		if err != nil {
			t.Fatalf("Timeline(%s): %v", p.FullName(), err)
		}
		generated := 0
		for _, e := range events {
			referral := e.Kind == data.EventStatus && strings.HasPrefix(e.Text, "Derivación") ||
				e.Kind == data.EventCall && (strings.HasPrefix(e.Text, "Llamada de bienvenida al programa") || strings.HasPrefix(e.Text, "Llamada de seguimiento semanal: sigue"))
			if !referral {
				generated++
			}
		}
		if generated < 4 || generated > 12 {
			t.Errorf("%s has %d generated events, want 4–12", p.FullName(), generated)
		}
		for i, e := range events {
			if e.At.After(fixedNow) || data.DateOf(e.At).Before(p.ArrivalDate) {
				t.Errorf("%s: event at %s outside arrival %s – now", p.FullName(), e.At, p.ArrivalDate)
			}
			if i > 0 && e.At.After(events[i-1].At) {
				t.Errorf("%s: timeline not newest first at %d: %s after %s", p.FullName(), i, e.At, events[i-1].At)
			}
			if e.Author == "" || e.Text == "" {
				t.Errorf("%s: event %+v lacks author or text", p.FullName(), e)
			}
		}
	}
}

func TestPopulateIsDeterministic(t *testing.T) {
	names := func(now time.Time) []string {
		s := openTest(t)
		if _, err := demo.Populate(s, demo.Options{People: 1500, EventsPerPerson: 2, Seed: 42, Now: now}); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range allPeople(t, s) {
			out = append(out, p.FullName()+" "+p.DocNumber+" "+p.Phone1)
		}
		slices.Sort(out) // people with the same name come in ID order
		return out
	}
	// Two batches of people, and another day: dates move, people stay.
	a, b := names(fixedNow), names(fixedNow.AddDate(0, -7, -3))
	if !slices.Equal(a, b) {
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("same seed, different people: %q then %q", a[i], b[i])
			}
		}
		t.Errorf("same seed, %d people then %d", len(a), len(b))
	}
}

func TestPopulateTwiceReusesOffices(t *testing.T) {
	s := openTest(t)
	if _, err := demo.Populate(s, demo.Options{People: 5}); err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Populate(s, demo.Options{People: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Offices != 0 || sum.Staff != 0 || c.Offices != 4 || c.Staff != 9 || c.People != 10 {
		t.Errorf("second run: summary %+v, counts %+v; want offices and staff reused", sum, c)
	}
}

// The demo's referrals fill every queue of the coordinator's inbox.
func TestPopulateReferralsCoverTheProcedure(t *testing.T) {
	s, _ := populated(t)
	refs, err := s.Referrals(data.ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byStatus := map[data.Status]int{}
	dirs := map[data.Direction]int{}
	for _, r := range refs {
		byStatus[r.Status]++
		dirs[r.Direction]++
		if r.CriterionText == "" || r.StaffID == "" || r.OfficeID == "" {
			t.Errorf("incomplete referral %+v", r)
		}
	}
	for _, st := range []data.Status{data.StatusProposed, data.StatusVerified, data.StatusExcluded,
		data.StatusRouted, data.StatusFollowUp, data.StatusClosed} {
		if byStatus[st] == 0 {
			t.Errorf("no demo referral in state %s (%v)", st, byStatus)
		}
	}
	awaitingHead := 0
	for _, r := range refs {
		if r.Direction == data.FromAE && r.Status == data.StatusProposed {
			awaitingHead++
		}
	}
	if awaitingHead == 0 {
		t.Errorf("no AE referral awaits the section head's verification")
	}
	if dirs[data.FromAE] == 0 || dirs[data.FromOMIOPI] <= dirs[data.FromAE] {
		t.Errorf("directions %v: want both, more from the OMIOPI as in the pilot", dirs)
	}
}

// The demo is what a new user judges Enlace by: referrals spread over
// months, in several profiles, contacts after the referral with a few
// cases late in the weekly follow-up, and an RI project.
func TestPopulateTellsTheTruth(t *testing.T) {
	s, sum := populated(t)
	refs, err := s.Referrals(data.ReferralFilter{})
	if err != nil || len(refs) != sum.Referrals {
		t.Fatalf("Referrals: %d, %v; want %d", len(refs), err, sum.Referrals)
	}
	today := data.MadridDate(fixedNow)
	months, profiles := map[time.Month]bool{}, map[string]int{}
	for _, r := range refs {
		if r.Date.After(today) {
			t.Errorf("referral dated %s, after today %s", r.Date, today)
		}
		months[r.Date.Month] = true
		profiles[r.Profile]++
	}
	if len(months) < 4 {
		t.Errorf("referrals in %d months, want them spread over at least 4", len(months))
	}
	for code, n := range profiles {
		if n > len(refs)/2 {
			t.Errorf("profile %q has %d of %d referrals", code, n, len(refs))
		}
	}
	if len(profiles) < 3 {
		t.Errorf("referrals in %d profiles: %v", len(profiles), profiles)
	}

	// Each step after the one before, none in the future, the proposal on
	// the referral's date; a decision takes days, not the months since
	// the referral (Informes' "días hasta la decisión").
	var toDecision []int
	for _, r := range refs {
		if got := data.MadridDate(r.History[0].At); got != r.Date {
			t.Errorf("proposed on %s, dated %s", got, r.Date)
		}
		for i, tr := range r.History {
			if tr.At.After(fixedNow) || i > 0 && tr.At.Before(r.History[i-1].At) {
				t.Errorf("step %d (%s) at %v: out of order or in the future", i, tr.Action, tr.At)
			}
			if h := tr.At.In(data.Madrid()).Hour(); (h < 9 || h > 17) && !tr.At.Equal(fixedNow) {
				t.Errorf("step %d (%s) at %v: outside office hours", i, tr.Action, tr.At)
			}
			if tr.Action == data.ActInclude || tr.Action == data.ActExclude {
				toDecision = append(toDecision, int(tr.At.Sub(r.History[0].At).Hours()/24))
			}
		}
	}
	slices.Sort(toDecision)
	if len(toDecision) < 10 {
		t.Fatalf("only %d decisions", len(toDecision))
	}
	if m := toDecision[len(toDecision)/2]; m < 1 || m > 14 {
		t.Errorf("median %d days to a decision, want a programme's 1–14: %v", m, toDecision)
	}

	due, err := s.FollowUpDue(fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	open, err := s.Referrals(data.ReferralFilter{Statuses: []data.Status{data.StatusIncluded, data.StatusRouted, data.StatusFollowUp}})
	if err != nil {
		t.Fatal(err)
	}
	if len(due) == 0 || len(due) > len(open)/2 {
		t.Errorf("%d of %d open cases late in the weekly follow-up, want a few", len(due), len(open))
	}
	for _, it := range due {
		if it.LastContact.IsZero() {
			t.Errorf("%s: included with no contact at all", it.Person.FullName())
			continue
		}
		if days := fixedNow.Sub(it.LastContact).Hours() / 24; days > 160 {
			t.Errorf("%s: last contact %.0f days ago, before any referral", it.Person.FullName(), days)
		}
		if data.MadridDate(it.LastContact).Before(it.Referral.Date) {
			t.Errorf("%s: last contact %s before the referral of %s", it.Person.FullName(), it.LastContact, it.Referral.Date)
		}
	}

	projects, err := s.RIProjects()
	if err != nil || len(projects) != 1 || len(projects[0].Participants) == 0 || len(projects[0].Tutors) == 0 {
		t.Errorf("RI projects = %+v, %v; want one with a tutor and participants", projects, err)
	}
}
