package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// referralFixture stores a person (NIE, regular) and returns a proposal
// in direction d, not yet saved.
func referralFixture(t *testing.T, s *Store, d Direction) Referral {
	t.Helper()
	p := samplePerson()
	p.Regular = true
	if err := s.CreatePerson(&p, "Ana"); err != nil {
		t.Fatal(err)
	}
	crit := "ae-documentacion"
	if d == FromOMIOPI {
		crit = "omiopi-6m-1a"
	}
	return Referral{PersonID: p.ID, Direction: d, CriterionID: crit, Date: DateOf(fixedNow), Profile: "otros"}
}

// walk proposes a referral and applies actions, failing on any refusal.
func walk(t *testing.T, s *Store, d Direction, acts ...Change) Referral {
	t.Helper()
	r := referralFixture(t, s, d)
	if err := s.Propose(&r, "Técnica AE"); err != nil {
		t.Fatalf("Propose: %v", err)
	}
	for _, c := range acts {
		var err error
		if r, err = s.Apply(r.ID, c, "Coordinación"); err != nil {
			t.Fatalf("%s from %s: %v", c.Action, r.Status, err)
		}
	}
	return r
}

var (
	yes     = Change{Action: ActVerifyYes}
	no      = Change{Action: ActVerifyNo}
	include = Change{Action: ActInclude}
	exclude = Change{Action: ActExclude, Exclusion: ExclusionDNI}
	route   = Change{Action: ActRoute, Areas: []Area{AreaEmployment, AreaLegal}}
	follow  = Change{Action: ActFollowUp}
	closeJ  = Change{Action: ActClose, Outcome: OutcomeJob}
	reopen  = Change{Action: ActReopen, Reason: "Vuelve a solicitar apoyo"}
)

// TestTransitionTable tries every action from every reachable state in
// both directions, and checks it is allowed exactly when the procedure
// says so; a refused move changes nothing.
func TestTransitionTable(t *testing.T) {
	// Paths that reach each state, per direction.
	paths := map[Direction]map[Status][]Change{
		FromAE: {
			StatusProposed:    nil,
			StatusVerified:    {yes},
			StatusNotVerified: {no},
			StatusIncluded:    {yes, include},
			StatusExcluded:    {yes, exclude},
			StatusRouted:      {yes, include, route},
			StatusFollowUp:    {yes, include, route, follow},
			StatusClosed:      {yes, include, route, follow, closeJ},
		},
		FromOMIOPI: {
			StatusProposed: nil,
			StatusIncluded: {include},
			StatusExcluded: {exclude},
			StatusRouted:   {include, route},
			StatusFollowUp: {include, route, follow},
			StatusClosed:   {include, closeJ},
		},
	}
	allowed := map[Direction]map[Status][]Action{
		FromAE: {
			StatusProposed:    {ActVerifyYes, ActVerifyNo},
			StatusVerified:    {ActInclude, ActExclude},
			StatusNotVerified: {ActReopen},
			StatusIncluded:    {ActRoute, ActClose},
			StatusExcluded:    {ActReopen},
			StatusRouted:      {ActRoute, ActFollowUp, ActClose},
			StatusFollowUp:    {ActRoute, ActClose},
			StatusClosed:      {ActReopen},
		},
		FromOMIOPI: {
			StatusProposed: {ActInclude, ActExclude},
			StatusIncluded: {ActRoute, ActClose},
			StatusExcluded: {ActReopen},
			StatusRouted:   {ActRoute, ActFollowUp, ActClose},
			StatusFollowUp: {ActRoute, ActClose},
			StatusClosed:   {ActReopen},
		},
	}
	full := map[Action]Change{ActVerifyYes: yes, ActVerifyNo: no, ActInclude: include, ActExclude: exclude,
		ActRoute: route, ActFollowUp: follow, ActClose: closeJ, ActReopen: reopen}
	for dir, states := range paths {
		for st, path := range states {
			for act, ch := range full {
				name := dir.Label() + "/" + string(st) + "/" + string(act)
				t.Run(name, func(t *testing.T) {
					s, _ := openTest(t)
					r := walk(t, s, dir, path...)
					if r.Status != st {
						t.Fatalf("path reached %s, want %s", r.Status, st)
					}
					want := oneOf(act, allowed[dir][st])
					if got := oneOf(act, r.Allowed()); got != want {
						t.Errorf("Allowed() has %s = %v, want %v", act, got, want)
					}
					before, _ := s.Timeline(r.PersonID)
					after, err := s.Apply(r.ID, ch, "Coordinación")
					if want {
						if err != nil {
							t.Fatalf("allowed move refused: %v", err)
						}
						if tl, _ := s.Timeline(r.PersonID); len(tl) != len(before)+1 || tl[0].Kind != EventStatus || tl[0].Author != testName {
							t.Errorf("no status event written: %+v", tl[0])
						}
						if last := after.History[len(after.History)-1]; last.By != testName || last.From != st || last.To != after.Status {
							t.Errorf("history entry = %+v", last)
						}
						return
					}
					var ve *ValidationError
					if !errors.As(err, &ve) || ve.For("Action") == "" {
						t.Fatalf("refused move error = %v, want a Spanish ValidationError", err)
					}
					stored, _ := s.Referral(r.ID)
					if stored.Status != st || len(stored.History) != len(r.History) {
						t.Errorf("refused move changed the referral: %s, %d steps", stored.Status, len(stored.History))
					}
					if tl, _ := s.Timeline(r.PersonID); len(tl) != len(before) {
						t.Errorf("refused move wrote a timeline event")
					}
				})
			}
		}
	}
}

func TestReopenReturnsToPreviousState(t *testing.T) {
	cases := []struct {
		name string
		dir  Direction
		path []Change
		want Status
	}{
		{"closed after follow-up", FromOMIOPI, []Change{include, route, follow, closeJ}, StatusFollowUp},
		{"closed from included", FromOMIOPI, []Change{include, closeJ}, StatusIncluded},
		{"excluded after verification", FromAE, []Change{yes, exclude}, StatusVerified},
		{"excluded before decision", FromOMIOPI, []Change{exclude}, StatusProposed},
		{"not verified", FromAE, []Change{no}, StatusProposed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t)
			r := walk(t, s, tc.dir, append(tc.path, reopen)...)
			if r.Status != tc.want {
				t.Errorf("reopened to %s, want %s", r.Status, tc.want)
			}
			if r.Outcome != "" || r.Exclusion != "" {
				t.Errorf("reopened referral keeps outcome %q / exclusion %q", r.Outcome, r.Exclusion)
			}
		})
	}
}

func TestActionsNeedTheirDetails(t *testing.T) {
	cases := []struct {
		name  string
		path  []Change
		c     Change
		field string
	}{
		{"exclude without reason", nil, Change{Action: ActExclude}, "Exclusion"},
		{"exclude other without text", nil, Change{Action: ActExclude, Exclusion: ExclusionOther}, "Reason"},
		{"route without area", []Change{include}, Change{Action: ActRoute}, "Areas"},
		{"route to unknown area", []Change{include}, Change{Action: ActRoute, Areas: []Area{"cocina"}}, "Areas"},
		{"close without outcome", []Change{include}, Change{Action: ActClose}, "Outcome"},
		{"close other without text", []Change{include}, Change{Action: ActClose, Outcome: OutcomeOther}, "Reason"},
		{"reopen without reason", []Change{exclude}, Change{Action: ActReopen}, "Reason"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t)
			r := walk(t, s, FromOMIOPI, tc.path...)
			_, err := s.Apply(r.ID, tc.c, "Coordinación")
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.For(tc.field) == "" {
				t.Fatalf("Apply = %v, want a message on %s", err, tc.field)
			}
		})
	}
}

func TestProposeChecksAndKeepsCriterionWording(t *testing.T) {
	s, _ := openTest(t)
	r := referralFixture(t, s, FromAE)
	wrongDir := r
	wrongDir.CriterionID = "omiopi-menos-6m"
	var ve *ValidationError
	if err := s.Propose(&wrongDir, "Ana"); !errors.As(err, &ve) || ve.For("CriterionID") == "" {
		t.Errorf("criterion of the other direction: %v", err)
	}
	badProfile := r
	badProfile.Profile = "astronauta"
	if err := s.Propose(&badProfile, "Ana"); !errors.As(err, &ve) || ve.For("Profile") == "" {
		t.Errorf("unknown profile: %v", err)
	}
	if refs, _ := s.PersonReferrals(r.PersonID); len(refs) != 0 {
		t.Fatalf("refused proposals were stored: %d", len(refs))
	}

	if err := s.Propose(&r, "Ana"); err != nil {
		t.Fatal(err)
	}
	old := r.CriterionText
	c, _ := s.Criterion("ae-documentacion")
	c.Text = "Personas con la documentación caducada o a punto de caducar."
	if err := s.SaveCriterion(&c, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	if len(c.History) != 2 || c.History[0].Text != old {
		t.Errorf("criterion history = %+v", c.History)
	}
	got, _ := s.Referral(r.ID)
	if got.CriterionText != old {
		t.Errorf("old referral's wording changed to %q", got.CriterionText)
	}
	r2 := referralFixture(t, s, FromAE)
	if err := s.Propose(&r2, "Ana"); err != nil {
		t.Fatal(err)
	}
	if r2.CriterionText != c.Text {
		t.Errorf("new referral's wording = %q, want the new text", r2.CriterionText)
	}
	c.Active = false
	_ = s.SaveCriterion(&c, "Coordinación")
	r3 := referralFixture(t, s, FromAE)
	if err := s.Propose(&r3, "Ana"); !errors.As(err, &ve) || !strings.Contains(ve.For("CriterionID"), "en vigor") {
		t.Errorf("retired criterion accepted: %v", err)
	}
}

func TestExclusionRulesProposeAndCoordinatorDecides(t *testing.T) {
	s, _ := openTest(t)
	dni := Person{FirstName: "Lucía", LastName: "Martín", DocKind: DocDNI, DocNumber: "12345678Z"}
	irregular := Person{FirstName: "Omar", LastName: "Benali", DocKind: DocPassport, DocNumber: "AB123456"}
	regular := Person{FirstName: "Rosa", LastName: "Quispe", DocKind: DocNIE, DocNumber: "X1234567L", Regular: true}
	for _, p := range []*Person{&dni, &irregular, &regular} {
		if err := s.CreatePerson(p, "Ana"); err != nil {
			t.Fatal(err)
		}
	}
	propose := func(p Person) Referral {
		r := Referral{PersonID: p.ID, Direction: FromOMIOPI, CriterionID: "omiopi-menos-6m", Date: DateOf(fixedNow)}
		if err := s.Propose(&r, "Técnico OMIOPI"); err != nil {
			t.Fatal(err)
		}
		return r
	}
	rd, ri, rr := propose(dni), propose(irregular), propose(regular)
	if len(rd.Suggested) != 1 || rd.Suggested[0].Reason != ExclusionDNI ||
		!strings.Contains(rd.Suggested[0].Text, "puede acudir directamente a la Agencia para el Empleo") {
		t.Errorf("DNI holder: %+v", rd.Suggested)
	}
	if len(ri.Suggested) != 1 || ri.Suggested[0].Reason != ExclusionIrregular {
		t.Errorf("irregular: %+v", ri.Suggested)
	}
	if len(rr.Suggested) != 0 {
		t.Errorf("regular NIE holder: %+v", rr.Suggested)
	}
	tl, _ := s.Timeline(dni.ID)
	if !strings.Contains(tl[0].Text, "Se propone excluir") {
		t.Errorf("timeline does not record the proposal: %q", tl[0].Text)
	}
	// The coordinator confirms one and overrides the other.
	conf, err := s.Apply(rd.ID, Change{Action: ActExclude, Exclusion: ExclusionDNI}, "Coordinación")
	if err != nil || conf.Exclusion != ExclusionDNI {
		t.Fatalf("confirm: %v %+v", err, conf)
	}
	over, err := s.Apply(ri.ID, Change{Action: ActInclude, Reason: "Tiene cita para la renovación"}, "Coordinación")
	if err != nil || !over.History[len(over.History)-1].Override {
		t.Fatalf("override not recorded: %v %+v", err, over.History)
	}
	// Rules can be switched off.
	if err := s.SaveRules(Rules{DNI: false, Irregular: true}, "Admin"); err != nil {
		t.Fatal(err)
	}
	if r := propose(dni); len(r.Suggested) != 0 {
		t.Errorf("DNI rule off, still proposed: %+v", r.Suggested)
	}
}

func TestFollowUpDue(t *testing.T) {
	s, _ := openTest(t)
	stale := walk(t, s, FromOMIOPI, include, route)
	fresh := walk(t, s, FromOMIOPI, include)
	walk(t, s, FromOMIOPI) // only proposed: not in the programme yet
	walk(t, s, FromOMIOPI, include, closeJ)
	old := Event{PersonID: stale.PersonID, Kind: EventCall, At: fixedNow.Add(-10 * 24 * time.Hour), Text: "Llamada"}
	if err := s.AddEvent(&old, "Ana"); err != nil {
		t.Fatal(err)
	}
	recent := Event{PersonID: fresh.PersonID, Kind: EventVisit, At: fixedNow.Add(-2 * 24 * time.Hour), Text: "Visita"}
	if err := s.AddEvent(&recent, "Ana"); err != nil {
		t.Fatal(err)
	}
	due, err := s.FollowUpDue(fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Referral.ID != stale.ID || !due[0].LastContact.Equal(old.At) {
		t.Fatalf("due = %+v", due)
	}
	if due[0].Person.FirstName == "" {
		t.Errorf("person card missing")
	}
}

// TestReferralStepsWrittenAfterTheFact: a past referral keeps the times
// its steps were taken, in order and never in the future; its timeline
// entries are on those days.
func TestReferralStepsWrittenAfterTheFact(t *testing.T) {
	s, _ := openTest(t)
	r := referralFixture(t, s, FromOMIOPI)
	r.Date = DateOf(fixedNow).AddDays(-20)
	proposed := At(r.Date, 10, 0).Time()
	if err := s.ProposeAt(&r, At(r.Date.AddDays(1), 10, 0).Time(), "Técnica"); !errors.Is(err, ErrInvalid) {
		t.Errorf("proposed on another day than its date: %v", err)
	}
	if err := s.ProposeAt(&r, proposed, "Técnica"); err != nil {
		t.Fatal(err)
	}
	decided := proposed.Add(5 * 24 * time.Hour)
	if _, err := s.Apply(r.ID, Change{Action: ActInclude, At: proposed.Add(-time.Hour)}, "Coordinación"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a step before the proposal: %v", err)
	}
	if _, err := s.Apply(r.ID, Change{Action: ActInclude, At: fixedNow.Add(time.Hour)}, "Coordinación"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a step in the future: %v", err)
	}
	got, err := s.Apply(r.ID, Change{Action: ActInclude, At: decided}, "Coordinación")
	if err != nil {
		t.Fatal(err)
	}
	if !got.History[0].At.Equal(proposed) || !got.History[1].At.Equal(decided) {
		t.Errorf("history at %v and %v", got.History[0].At, got.History[1].At)
	}
	tl, err := s.Timeline(r.PersonID, EventStatus)
	if err != nil || len(tl) != 2 || !tl[0].At.Equal(decided) || !tl[1].At.Equal(proposed) {
		t.Errorf("status entries %+v, %v", tl, err)
	}
	now, err := s.Apply(r.ID, Change{Action: ActRoute, Areas: []Area{AreaLegal}}, "Coordinación")
	if err != nil || now.History[2].At.Before(fixedNow) {
		t.Errorf("a step without At is now: %v, %v", now.History[2].At, err)
	}
}
