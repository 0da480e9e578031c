package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/enlace-madrid/enlace/data"
)

// step is one action on a referral and who takes it.
type step struct {
	change data.Change
	by     string // "head" (section head) or "coord" (coordinator)
}

var (
	verify  = step{data.Change{Action: data.ActVerifyYes}, "head"}
	include = step{data.Change{Action: data.ActInclude}, "coord"}
	follow  = step{data.Change{Action: data.ActFollowUp}, "coord"}
)

func route(areas ...data.Area) step {
	return step{data.Change{Action: data.ActRoute, Areas: areas}, "coord"}
}

func closeWith(o data.Outcome) step {
	return step{data.Change{Action: data.ActClose, Outcome: o}, "coord"}
}

// referralPaths are the paths demo referrals take after being proposed, so that
// every queue of the inbox has something in it.
var referralPaths = [][]step{
	{},
	{include},
	{include, route(data.AreaLegal)},
	{include, route(data.AreaEmployment), follow},
	{include, route(data.AreaTraining, data.AreaEmployment), follow},
	{include, route(data.AreaLegal, data.AreaEmployment), follow, closeWith(data.OutcomeJob)},
	{include, route(data.AreaTraining), follow, closeWith(data.OutcomeTrained)},
	{include, route(data.AreaLegal), closeWith(data.OutcomeResolved)},
}

// addReferrals proposes n referrals for the first people in name order
// and moves them along the procedure: AE referrals through the section
// head, people the rules propose to exclude excluded for that reason.
func addReferrals(s *data.Store, t *team, n int, seed uint64) (int, error) {
	hits, _ := s.Search("", n)
	prog, err := s.Programme()
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	today := s.Today()
	done := 0
	for i, h := range hits {
		p, err := s.Person(h.ID)
		if err != nil {
			return done, err
		}
		dir, side := data.FromOMIOPI, t.omiopi
		if i%18 < 7 { // the pilot: 14 of 36 referrals came from the AE
			dir, side = data.FromAE, t.ae
		}
		tech := t.staff[side[rng.IntN(len(side))]]
		crits, err := s.Criteria(dir)
		if err != nil {
			return done, err
		}
		r := data.Referral{PersonID: p.ID, Direction: dir, StaffID: tech.ID, OfficeID: tech.OfficeID,
			CriterionID: crits[rng.IntN(4)].ID, Date: today}
		if sug := data.SuggestCriteria(&p, crits, today); len(sug) > 0 {
			r.CriterionID = sug[0].CriterionID
		}
		r.Profile, _ = data.SuggestProfile(&p, prog, today)
		if dir == data.FromAE {
			r.Atlas = fmt.Sprintf("%d", 2200000+rng.IntN(99999))
		}
		if err := s.Propose(&r, tech.Name); err != nil {
			return done, fmt.Errorf("derivación de %s: %w", p.FullName(), err)
		}
		done++
		path := referralPaths[i%len(referralPaths)]
		if len(r.Suggested) > 0 && rng.IntN(3) > 0 {
			path = []step{{data.Change{Action: data.ActExclude, Exclusion: r.Suggested[0].Reason}, "coord"}}
		}
		if dir == data.FromAE && (len(path) > 0 || i%3 == 0) {
			path = append([]step{verify}, path...)
		}
		for _, st := range path {
			by := t.staff[t.coordinator].Name
			if st.by == "head" {
				by = t.staff[t.sectionHead].Name
			}
			if _, err := s.Apply(r.ID, st.change, by); err != nil {
				return done, fmt.Errorf("derivación de %s, %s: %w", p.FullName(), st.change.Action, err)
			}
		}
	}
	return done, nil
}
