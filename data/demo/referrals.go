package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

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
		// Referrals spread over the last five months, the oldest first in
		// name order, so Informes and the follow-up have a history.
		date := today.AddDays(-(span - i*span/max(len(hits), 1)) + rng.IntN(7))
		if tl, err := s.Timeline(p.ID); err == nil && len(tl) > 0 {
			// not before the first visit, where the referral is decided
			if first := data.MadridDate(tl[len(tl)-1].At); date.Before(first) {
				date = first
			}
		}
		if date.After(today) {
			date = today
		}
		r := data.Referral{PersonID: p.ID, Direction: dir, StaffID: tech.ID, OfficeID: tech.OfficeID,
			CriterionID: crits[rng.IntN(4)].ID, Date: date}
		if sug := data.SuggestCriteria(&p, crits, date); len(sug) > 0 {
			r.CriterionID = sug[0].CriterionID
		}
		r.Profile = pickProfile(rng, &p, prog, date)
		if dir == data.FromAE {
			r.Atlas = fmt.Sprintf("%d", 2200000+rng.IntN(99999))
		}
		// Each step on the day it would take: proposed in office hours on
		// the referral's date, then verified, decided, routed… days apart,
		// so Informes' times (to decision, to first contact) are a
		// programme's and not the months since the referral.
		now := s.Now()
		at := data.At(date, 9+rng.IntN(5), 5*rng.IntN(12)).Time()
		if at.After(now) {
			at = now
		}
		if err := s.ProposeAt(&r, at, tech.Name); err != nil {
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
		var included time.Time
		for _, st := range path {
			by := t.staff[t.coordinator].Name
			if st.by == "head" {
				by = t.staff[t.sectionHead].Name
			}
			// Days later, in office hours (09:00–16:55).
			day := data.MadridDate(at.Add(stepDelay(rng, st.change.Action)))
			if at = data.At(day, 9+rng.IntN(8), 5*rng.IntN(12)).Time(); at.After(now) {
				at = now
			}
			c := st.change
			c.At = at
			if _, err := s.Apply(r.ID, c, by); err != nil {
				return done, fmt.Errorf("derivación de %s, %s: %w", p.FullName(), st.change.Action, err)
			}
			if c.Action == data.ActInclude {
				included = at
			}
		}
		if err := addContacts(s, rng, &r, path, tech.Name, today, included); err != nil {
			return done, fmt.Errorf("contactos de %s: %w", p.FullName(), err)
		}
	}
	return done, nil
}

// stepDelay is how long after the step before it a step is taken: the
// section head verifies in a few days, the coordinator decides within two
// weeks, a case is routed soon after, followed up, and closed weeks later.
func stepDelay(rng *rand.Rand, a data.Action) time.Duration {
	days := map[data.Action][2]int{
		data.ActVerifyYes: {1, 3}, data.ActInclude: {2, 10}, data.ActExclude: {2, 10},
		data.ActRoute: {1, 5}, data.ActFollowUp: {3, 10}, data.ActClose: {15, 45},
	}[a]
	d := days[0] + rng.IntN(days[1]-days[0]+1)
	return time.Duration(d) * 24 * time.Hour
}

// span is how many days back the demo's referrals go.
const span = 150

// pickProfile is the profile the rules suggest for a third of the referrals and,
// for the others, one drawn in proportion to the profiles' targets, so the
// profiles table is not one full row and empty others.
func pickProfile(rng *rand.Rand, p *data.Person, prog data.Programme, on data.Date) string {
	sug, _ := data.SuggestProfile(p, prog, on)
	total := 0
	for _, pr := range prog.Profiles {
		total += max(pr.Target, 1)
	}
	if sug != "" && rng.IntN(3) == 0 || total == 0 {
		return sug
	}
	n := rng.IntN(total)
	for _, pr := range prog.Profiles {
		if n -= max(pr.Target, 1); n < 0 {
			return pr.Code
		}
	}
	return sug
}

// addContacts writes the calls a técnico makes after a referral: a
// welcome call a few days after the inclusion for the included ones, and for
// three in four of the open ones a call within the last week, leaving a
// few late so the weekly follow-up shows what it is for.
// included is when the case was included, zero if it was not.
func addContacts(s *data.Store, rng *rand.Rand, r *data.Referral, path []step, author string, today data.Date, included time.Time) error {
	open := false
	for _, st := range path {
		switch st.change.Action {
		case data.ActInclude:
			open = true
		case data.ActClose:
			open = false
		}
	}
	if included.IsZero() {
		return nil
	}
	at := func(d data.Date, hour int) time.Time { return data.At(d, hour, 5*rng.IntN(12)).Time() }
	now := s.Now()
	welcome := at(data.MadridDate(included).AddDays(1+rng.IntN(3)), 9+rng.IntN(5))
	if welcome.After(now) {
		welcome = now.Add(-time.Duration(10+rng.IntN(50)) * time.Minute)
	}
	events := []data.Event{{PersonID: r.PersonID, Kind: data.EventCall, At: welcome,
		Text: "Llamada de bienvenida al programa: se explica el itinerario y se da cita"}}
	if open && rng.IntN(4) > 0 {
		last := at(today.AddDays(-rng.IntN(6)), 9+rng.IntN(5))
		if last.After(now) {
			last = now.Add(-time.Duration(10+rng.IntN(50)) * time.Minute)
		}
		if last.After(welcome) {
			events = append(events, data.Event{PersonID: r.PersonID, Kind: data.EventCall, At: last,
				Text: "Llamada de seguimiento semanal: sigue con la búsqueda activa"})
		}
	}
	for i := range events {
		if err := s.AddEvent(&events[i], author); err != nil {
			return err
		}
	}
	return nil
}

// riParticipants is how many people the demo's RI project has.
const riParticipants = 4

// addRIProject writes one project of the Reactivación e Inserción
// programme, so that its screen is not empty on first contact: a tutor
// hired two months ago and the riParticipants people after the referred
// ones in name order, in orientation, two of them hired in alternation.
func addRIProject(s *data.Store, t *team, referred int) error {
	hits, _ := s.Search("", referred+riParticipants)
	if len(hits) < referred+riParticipants {
		return nil
	}
	today := s.Today()
	if _, err := s.FindRIProject(fmt.Sprintf("RI/1/%d", today.Year)); err == nil {
		return nil // a second demo into the same file: the project is there
	}
	start := today.AddDays(-60)
	p := data.RIProject{Number: 1, Year: today.Year, Entity: "Ayuntamiento de Madrid",
		Tutors: []data.RITutor{{Name: "Lucía Martín Gil", DNI: "12345678Z", Score: "8,75", Degree: data.RIDegreePsychology,
			ExperienceYears: 4, MarketKnowledge: true, ContractStart: start}}}
	for i, h := range hits[referred:] {
		part := data.RIParticipant{PersonID: h.ID, OrientationStart: start}
		if i < 2 {
			part.Alternance, part.Group = true, 7
			part.ContractStart = start.AddDays(14)
			part.Courses = []data.RICourse{{Name: "Competencias digitales", Hours: 40}}
		}
		p.Participants = append(p.Participants, part)
	}
	if err := s.SaveRIProject(&p, t.staff[t.coordinator].Name); err != nil {
		return fmt.Errorf("proyecto RI de demostración: %w", err)
	}
	return nil
}
