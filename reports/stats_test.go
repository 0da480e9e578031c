package reports_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/reports"
)

// clock is a store clock the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// openStore opens a new store under t.TempDir() on clk.
func openStore(t testing.TB, clk *clock) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(&data.Options{Now: clk.now}))
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

// pilotStart is the date of the first of the pilot fixture's referrals;
// referral i is dated pilotStart + i days (19/09/2022 … 24/10/2022).
var pilotStart = data.Date{Year: 2022, Month: time.September, Day: 19}

func addDays(d data.Date, n int) data.Date { return data.DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// at is 10:00 plus hours on day d, local time.
func at(d data.Date, hours int) time.Time {
	return d.Time(time.Local).Add(time.Duration(10+hours) * time.Hour)
}

// pilotNationalities are the pilot's 36 referrals by nationality (seed 000,
// section 2.2), in the order the fixture's people get them.
var pilotNationalities = []struct {
	code string
	n    int
}{{"VE", 11}, {"PE", 10}, {"CO", 4}, {"HN", 3}, {"BO", 2},
	{"UA", 1}, {"MA", 1}, {"EC", 1}, {"SD", 1}, {"SV", 1}, {"AR", 1}}

// pilotExcluded are the referrals excluded for holding a DNI.
var pilotExcluded = []int{0, 7, 14, 21, 28}

// newPilotStore rebuilds the pilot's 36 referrals, so that its published
// figures can be checked. Referral i (0–35):
//   - is dated pilotStart + i days and proposed that day at 10:00;
//   - comes from the AE when i%18 < 7 (0–6 and 18–24: 14), else from an
//     OMIOPI (22); AE referrals are verified a day later;
//   - is of a person holding a Spanish DNI, excluded two days later for
//     that reason, when i is in pilotExcluded; everyone else is included
//     two days later (31);
//   - has the person's nationality from pilotNationalities in order;
//     gender "hombre" when i%3 == 2 (12), else "mujer" (24); born on
//     1 January of 2000, 1990, 1980, 1970 or 1960 as i%5 is 0…4; education
//     "Universitarios", "Bachillerato", "Primaria" or none as i%4 is 0…3;
//     profile number i%6 of the programme (6 each);
//   - if included, is routed when i%4 is 1 (Jurídico), 2 (Empleo) or 3
//     (Formación and Empleo); 2 is then closed with a job, 3 with the
//     training completed;
//   - has a first phone call i%3 days after its date.
func newPilotStore(t testing.TB) *data.Store {
	t.Helper()
	clk := &clock{at(pilotStart, -24)}
	s := openStore(t, clk)
	prog, err := s.Programme()
	if err != nil {
		t.Fatal(err)
	}
	var nats []string
	for _, n := range pilotNationalities {
		for range n.n {
			nats = append(nats, n.code)
		}
	}
	ids := make([]string, 36)
	err = s.Batch("Coordinadora", func(b *data.Batch) error {
		for i := range 36 {
			p := data.Person{FirstName: "Persona", LastName: fmt.Sprintf("Piloto %02d", i), Nationality: nats[i],
				Gender: data.GenderWoman, BirthDate: data.Date{Year: 2000 - 10*(i%5), Month: 1, Day: 1},
				DocKind: data.DocPassport, DocNumber: fmt.Sprintf("PA%06d", i), Regular: true,
				EducationLevel: []string{"Universitarios", "Bachillerato", "Primaria", ""}[i%4]}
			if i%3 == 2 {
				p.Gender = data.GenderMan
			}
			if slices.Contains(pilotExcluded, i) {
				n := 10000000 + i
				p.DocKind, p.DocNumber = data.DocDNI, fmt.Sprintf("%d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
			}
			if err := b.CreatePerson(&p); err != nil {
				return err
			}
			ids[i] = p.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 36 {
		day := addDays(pilotStart, i)
		dir, crit := data.FromOMIOPI, "omiopi-itinerario"
		if i%18 < 7 {
			dir, crit = data.FromAE, "ae-arraigo"
		}
		r := data.Referral{PersonID: ids[i], Direction: dir, CriterionID: crit, Date: day,
			Profile: prog.Profiles[i%6].Code}
		clk.t = at(day, 0)
		if err := s.Propose(&r, "Técnica"); err != nil {
			t.Fatalf("referral %d: %v", i, err)
		}
		if dir == data.FromAE {
			clk.t = at(day, 24)
			apply(t, s, r.ID, data.Change{Action: data.ActVerifyYes})
		}
		clk.t = at(day, 48)
		if slices.Contains(pilotExcluded, i) {
			apply(t, s, r.ID, data.Change{Action: data.ActExclude, Exclusion: data.ExclusionDNI})
			continue
		}
		apply(t, s, r.ID, data.Change{Action: data.ActInclude})
		switch i % 4 {
		case 1:
			apply(t, s, r.ID, data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaLegal}})
		case 2:
			apply(t, s, r.ID, data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaEmployment}})
		case 3:
			apply(t, s, r.ID, data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaTraining, data.AreaEmployment}})
		}
		switch i {
		case 2:
			apply(t, s, r.ID, data.Change{Action: data.ActClose, Outcome: data.OutcomeJob})
		case 3:
			apply(t, s, r.ID, data.Change{Action: data.ActClose, Outcome: data.OutcomeTrained})
		}
	}
	clk.t = at(addDays(pilotStart, 60), 0)
	for i := range 36 {
		e := data.Event{PersonID: ids[i], At: at(addDays(pilotStart, i), 24*(i%3)+2), Kind: data.EventCall,
			Text: "Primera llamada"}
		if err := s.AddEvent(&e, "Coordinadora"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func apply(t testing.TB, s *data.Store, id string, c data.Change) {
	t.Helper()
	if _, err := s.Apply(id, c, "Coordinadora"); err != nil {
		t.Fatalf("%s: %v", c.Action, err)
	}
}

// counts turns a breakdown into key → n, zeros left out.
func counts(cs []reports.Count) map[string]int {
	out := map[string]int{}
	for _, c := range cs {
		if c.N > 0 {
			out[c.Key] = c.N
		}
	}
	return out
}

func TestStatisticsReproducesThePilot(t *testing.T) {
	s := newPilotStore(t)
	st, err := reports.Statistics(s, reports.Period{})
	if err != nil {
		t.Fatal(err)
	}
	ints := []struct {
		name      string
		got, want int
	}{
		{"received", st.Total, 36},
		{"from AE", st.FromAE, 14},
		{"from OMIOPI", st.FromOMIOPI, 22},
		{"excluded", st.Excluded, 5},
		{"not verified", st.NotVerified, 0},
		{"pending", st.Pending, 0},
		{"withdrawn", st.Withdrawn, 0},
		{"in the programme", st.InProgramme, 31},
		{"included", st.Included, 31},
		{"target", st.Target, 50},
		{"target %", st.TargetPct, 72},
		{"with first contact", st.ToFirstContact.N, 36},
		{"decided", st.ToDecision.N, 36},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	breakdowns := []struct {
		name string
		got  []reports.Count
		want map[string]int
	}{
		{"excluded by reason", st.ExcludedBy, map[string]int{"dni": 5}},
		{"nationality", st.ByNationality, map[string]int{"VE": 11, "PE": 10, "CO": 4, "HN": 3, "BO": 2,
			"UA": 1, "MA": 1, "EC": 1, "SD": 1, "SV": 1, "AR": 1}},
		{"gender", st.ByGender, map[string]int{"mujer": 24, "hombre": 12}},
		{"education", st.ByEducation, map[string]int{"Universitarios": 9, "Bachillerato": 9, "Primaria": 9, "no consta": 9}},
		// Ages on the referral dates (autumn 2022): 22, 32, 42, 52, 62.
		{"age", st.ByAge, map[string]int{"0-24": 8, "25-34": 7, "35-44": 7, "45-54": 7, "55+": 7}},
		{"area", st.ByArea, map[string]int{"juridico": 8, "empleo": 16, "formacion": 8}},
		{"outcome", st.ByOutcome, map[string]int{"insercion": 1, "formacion_completada": 1}},
	}
	for _, c := range breakdowns {
		if got := counts(c.got); !equalMaps(got, c.want) {
			t.Errorf("by %s = %v, want %v", c.name, got, c.want)
		}
	}
	var order []string
	for _, c := range st.ByNationality {
		order = append(order, c.Label)
	}
	wantOrder := []string{"Venezuela", "Perú", "Colombia", "Honduras", "Bolivia",
		"Argentina", "Ecuador", "El Salvador", "Marruecos", "Sudán", "Ucrania"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("nationalities in order %q, want %q", order, wantOrder)
	}
	// Profiles 0–4 each lost one referral to a DNI exclusion (0, 7, 14, 21, 28).
	wantProfiles := []reports.ProfileCount{
		{"exp_estudios", "1–2 años de experiencia en España con estudios superiores", 7, 6, 5, 5},
		{"exp_sin_estudios", "1–2 años de experiencia en España sin estudios superiores", 7, 6, 5, 5},
		{"exp_5", "Más de 5 años de experiencia laboral", 5, 6, 5, 5},
		{"reciente_estudios", "De 6 meses a 1 año en España con estudios", 7, 6, 5, 5},
		{"primer_empleo", "Acceso al primer empleo", 7, 6, 5, 5},
		{"otros", "Otros", 5, 6, 6, 6},
	}
	if !slices.Equal(st.ByProfile, wantProfiles) {
		t.Errorf("by profile = %+v,\nwant %+v", st.ByProfile, wantProfiles)
	}
	// Contacts 0, 1 or 2 days after the referral, 12 of each: median 1.
	// Decisions two days after every referral: median 2.
	if st.ToFirstContact.Days != 1 || st.ToDecision.Days != 2 {
		t.Errorf("medians: first contact %v days, decision %v days; want 1 and 2", st.ToFirstContact.Days, st.ToDecision.Days)
	}
}

func TestStatisticsPeriod(t *testing.T) {
	s := newPilotStore(t)
	oct := func(d int) data.Date { return data.Date{Year: 2022, Month: time.October, Day: d} }
	// Referral i is dated 19/09/2022 + i: 1 October is i = 12, 10 October i = 21.
	tests := []struct {
		name                                     string
		period                                   reports.Period
		total, ae, omiopi, excluded, in, percent int
	}{
		{"whole pilot", reports.Period{}, 36, 14, 22, 5, 31, 72},
		{"1 to 10 October", reports.Period{From: oct(1), To: oct(10)}, 10, 4, 6, 2, 8, 20},
		{"from 20 October", reports.Period{From: oct(20)}, 5, 0, 5, 0, 5, 10},
		{"until 19 September", reports.Period{To: pilotStart}, 1, 1, 0, 1, 0, 2},
		{"before the pilot", reports.Period{To: data.Date{Year: 2022, Month: 9, Day: 1}}, 0, 0, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := reports.Statistics(s, tc.period)
			if err != nil {
				t.Fatal(err)
			}
			got := []int{st.Total, st.FromAE, st.FromOMIOPI, st.Excluded, st.InProgramme, st.TargetPct}
			want := []int{tc.total, tc.ae, tc.omiopi, tc.excluded, tc.in, tc.percent}
			if !slices.Equal(got, want) {
				t.Errorf("total, AE, OMIOPI, excluded, in programme, %% = %v, want %v", got, want)
			}
		})
	}
}

// TestStatisticsStates puts one referral in each state of the procedure and
// checks that each lands in exactly one group.
func TestStatisticsStates(t *testing.T) {
	clk := &clock{at(pilotStart, 0)}
	s := openStore(t, clk)
	var ids []string
	err := s.Batch("Coordinadora", func(b *data.Batch) error {
		for i := range 8 {
			p := data.Person{FirstName: "Persona", LastName: fmt.Sprint(i), DocKind: data.DocPassport,
				DocNumber: fmt.Sprintf("PB%06d", i), Regular: true}
			if err := b.CreatePerson(&p); err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	include := data.Change{Action: data.ActInclude}
	verify := data.Change{Action: data.ActVerifyYes}
	route := func(a ...data.Area) data.Change { return data.Change{Action: data.ActRoute, Areas: a} }
	closeWith := func(o data.Outcome) data.Change { return data.Change{Action: data.ActClose, Outcome: o} }
	steps := []struct {
		want    string // the group it should land in
		dir     data.Direction
		changes []data.Change
	}{
		{"pending", data.FromOMIOPI, nil},
		{"pending", data.FromAE, []data.Change{verify}},
		{"not verified", data.FromAE, []data.Change{{Action: data.ActVerifyNo}}},
		{"excluded", data.FromOMIOPI, []data.Change{{Action: data.ActExclude, Exclusion: data.ExclusionIrregular}}},
		{"in, closed with a job", data.FromOMIOPI, []data.Change{include, route(data.AreaLegal, data.AreaEmployment),
			{Action: data.ActFollowUp}, closeWith(data.OutcomeJob)}},
		{"withdrawn", data.FromOMIOPI, []data.Change{include, route(data.AreaTraining), closeWith(data.OutcomeLeft)}},
		{"in", data.FromAE, []data.Change{verify, include}},
		{"in", data.FromOMIOPI, []data.Change{include, route(data.AreaEmployment)}},
	}
	for i, st := range steps {
		crit := "omiopi-itinerario"
		if st.dir == data.FromAE {
			crit = "ae-arraigo"
		}
		r := data.Referral{PersonID: ids[i], Direction: st.dir, CriterionID: crit, Date: pilotStart}
		if err := s.Propose(&r, "Técnica"); err != nil {
			t.Fatal(err)
		}
		for _, c := range st.changes {
			apply(t, s, r.ID, c)
		}
	}
	got, err := reports.Statistics(s, reports.Period{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"total": 8, "ae": 3, "omiopi": 5, "excluded": 1, "not verified": 1,
		"pending": 2, "withdrawn": 1, "included": 3, "in programme": 6}
	have := map[string]int{"total": got.Total, "ae": got.FromAE, "omiopi": got.FromOMIOPI, "excluded": got.Excluded,
		"not verified": got.NotVerified, "pending": got.Pending, "withdrawn": got.Withdrawn,
		"included": got.Included, "in programme": got.InProgramme}
	if !equalMaps(have, want) {
		t.Errorf("groups = %v, want %v", have, want)
	}
	if sum := got.Excluded + got.NotVerified + got.Pending + got.Withdrawn + got.Included; sum != got.Total {
		t.Errorf("the groups add up to %d, not the %d received", sum, got.Total)
	}
	checks := []struct {
		name string
		got  []reports.Count
		want map[string]int
	}{
		{"reason", got.ExcludedBy, map[string]int{"irregular": 1}},
		{"area", got.ByArea, map[string]int{"juridico": 1, "formacion": 1, "empleo": 2}},
		{"outcome", got.ByOutcome, map[string]int{"insercion": 1, "baja_voluntaria": 1}},
		{"gender", got.ByGender, map[string]int{"no consta": 8}},
		{"nationality", got.ByNationality, map[string]int{"ZZ": 8}},
		{"age", got.ByAge, map[string]int{"no consta": 8}},
	}
	for _, c := range checks {
		if g := counts(c.got); !equalMaps(g, c.want) {
			t.Errorf("by %s = %v, want %v", c.name, g, c.want)
		}
	}
	if n := len(got.ByProfile); n != 7 || got.ByProfile[6].Code != reports.KeyNoProfile || got.ByProfile[6].Result != 8 {
		t.Errorf("profiles = %+v, want the programme's six and 8 without a profile", got.ByProfile)
	}
}

// TestCountStatsMedians feeds CountStats directly: medians over odd and
// even counts, referrals without contact or decision left out.
func TestCountStatsMedians(t *testing.T) {
	day := pilotStart
	decided := func(days int) []data.Transition {
		return []data.Transition{{Action: data.ActPropose, At: at(day, 0)},
			{Action: data.ActInclude, At: at(day, 24*days)}}
	}
	tests := []struct {
		name             string
		contactDays      []int // -1: no contact
		decisionDays     []int // -1: not decided
		contact, decided float64
		nContact, nDec   int
	}{
		{"odd", []int{0, 3, 1}, []int{2, 2, 9}, 1, 2, 3, 3},
		{"even", []int{0, 3, 1, 4}, []int{1, 2, 4, 9}, 2, 3, 4, 4},
		{"some missing", []int{-1, 5, -1, 7}, []int{-1, -1, 4, -1}, 6, 4, 2, 1},
		{"none", []int{-1}, []int{-1}, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refs := make([]data.Referral, len(tc.contactDays))
			contacts := make([]time.Time, len(refs))
			for i := range refs {
				refs[i] = data.Referral{ID: fmt.Sprint(i), PersonID: "p", Date: day, Status: data.StatusProposed,
					History: decided(tc.decisionDays[i])[:1]}
				if tc.decisionDays[i] >= 0 {
					refs[i].Status, refs[i].History = data.StatusIncluded, decided(tc.decisionDays[i])
				}
				if tc.contactDays[i] >= 0 {
					contacts[i] = at(day, 24*tc.contactDays[i])
				}
			}
			st := reports.CountStats(reports.Period{}, data.DefaultProgramme(), refs, nil, contacts)
			if st.ToFirstContact.Days != tc.contact || st.ToFirstContact.N != tc.nContact ||
				st.ToDecision.Days != tc.decided || st.ToDecision.N != tc.nDec {
				t.Errorf("medians = %+v / %+v, want %v days over %d / %v days over %d",
					st.ToFirstContact, st.ToDecision, tc.contact, tc.nContact, tc.decided, tc.nDec)
			}
		})
	}
}

// TestStatsJSON decodes the JSON form and checks the keys other tools
// rely on, with the pilot's values.
func TestStatsJSON(t *testing.T) {
	st, err := reports.Statistics(newPilotStore(t), reports.Period{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"referrals_total", "from_ae", "from_omiopi", "excluded", "excluded_by_reason",
		"in_programme", "target", "target_pct", "by_gender", "by_nationality", "by_profile", "by_area", "by_outcome"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing from %s", k, raw)
		}
	}
	var got struct {
		Total      int            `json:"referrals_total"`
		AE         int            `json:"from_ae"`
		OMIOPI     int            `json:"from_omiopi"`
		Excluded   int            `json:"excluded"`
		ByReason   map[string]int `json:"excluded_by_reason"`
		In         int            `json:"in_programme"`
		Target     int            `json:"target"`
		Pct        float64        `json:"target_pct"`
		ByGender   map[string]int `json:"by_gender"`
		ByCountry  map[string]int `json:"by_nationality"`
		ByProfile  map[string]struct{ Target, Result int }
		ByArea     map[string]int `json:"by_area"`
		ByOutcome  map[string]int `json:"by_outcome"`
		ToDecision *float64       `json:"median_days_to_decision"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(m["by_profile"], &got.ByProfile); err != nil {
		t.Fatal(err)
	}
	if got.Total != 36 || got.AE != 14 || got.OMIOPI != 22 || got.Excluded != 5 || got.ByReason["dni"] != 5 ||
		got.In != 31 || got.Target != 50 || got.Pct != 72 {
		t.Errorf("JSON = %s", raw)
	}
	if got.ByCountry["VE"] != 11 || got.ByCountry["PE"] != 10 || got.ByGender["mujer"] != 24 ||
		got.ByArea["empleo"] != 16 || got.ByOutcome["insercion"] != 1 || got.ToDecision == nil || *got.ToDecision != 2 {
		t.Errorf("JSON breakdowns = %s", raw)
	}
	if p := got.ByProfile["exp_estudios"]; p.Target != 7 || p.Result != 6 || len(got.ByProfile) != 6 {
		t.Errorf("by_profile = %+v", got.ByProfile)
	}
	if _, zero := got.ByOutcome["baja_voluntaria"]; zero {
		t.Errorf("by_outcome lists an outcome no referral has: %v", got.ByOutcome)
	}
}

func equalMaps(a, b map[string]int) bool { return maps.Equal(a, b) }

// TestStatsReportPDF writes the pilot's statistics as a PDF and reads its
// text back with pdftotext (poppler-utils; skipped when it is missing).
func TestStatsReportPDF(t *testing.T) {
	st, err := reports.Statistics(newPilotStore(t), reports.Period{To: data.Date{Year: 2022, Month: time.December, Day: 31}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang reports.Lang
		want []string
	}{
		{reports.Spanish, []string{"Estadísticas del programa", "Derivaciones con fecha hasta el 31/12/2022",
			"derivaciones recibidas", "72 %", "del objetivo del programa (36 de 50 derivaciones)", "Tiene DNI español",
			"Perfiles: objetivo de cada perfil y resultado", "Acceso al primer empleo", "Venezuela", "Perú", "Inserción laboral"}},
		{reports.English, []string{"Programme statistics", "Referrals dated up to 31/12/2022", "referrals received",
			"Profiles: each profile's target and result", "By nationality"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.lang), func(t *testing.T) {
			var buf bytes.Buffer
			opt := reports.Options{Style: reports.DefaultStyle(), Lang: tc.lang, Author: "Coordinadora",
				Now: time.Date(2022, 12, 31, 10, 0, 0, 0, time.UTC)}
			if err := reports.StatsReport(&buf, st, opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", buf.Bytes()[:min(buf.Len(), 8)])
			}
			text := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), " ")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the report does not say %q:\n%s", w, text)
				}
			}
		})
	}
}

// pdfText returns the text of a PDF as pdftotext reads it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found: install poppler-utils (make test-deps)")
	}
	path := filepath.Join(t.TempDir(), "stats.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("ENLACE_PDF_DIR"); dst != "" {
		_ = os.WriteFile(filepath.Join(dst, strings.ReplaceAll(t.Name(), "/", "_")+".pdf"), pdf, 0o644)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
