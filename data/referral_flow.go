package data

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Action is a step a user takes on a referral.
type Action string

// The actions of the procedure.
const (
	ActPropose   Action = "proponer"
	ActVerifyYes Action = "verificar_si" // AE section head: Sí
	ActVerifyNo  Action = "verificar_no" // AE section head: No
	ActInclude   Action = "incluir"
	ActExclude   Action = "excluir"
	ActRoute     Action = "derivar_area"
	ActFollowUp  Action = "seguimiento"
	ActClose     Action = "cerrar"
	ActReopen    Action = "reabrir"
)

// Label returns the action as a button would say it.
func (a Action) Label() string {
	switch a {
	case ActPropose:
		return "Proponer"
	case ActVerifyYes:
		return "Verificar: Sí"
	case ActVerifyNo:
		return "Verificar: No"
	case ActInclude:
		return "Incluir"
	case ActExclude:
		return "Excluir"
	case ActRoute:
		return "Derivar a área"
	case ActFollowUp:
		return "Pasar a seguimiento"
	case ActClose:
		return "Cerrar"
	case ActReopen:
		return "Reabrir"
	}
	return string(a)
}

// moves is the transition table: for each action, the states it may be
// taken from and the state it leads to. Reopen's target is computed (the
// state before the referral was closed or refused).
var moves = map[Action]map[Status]Status{
	ActVerifyYes: {StatusProposed: StatusVerified},
	ActVerifyNo:  {StatusProposed: StatusNotVerified},
	ActInclude:   {StatusProposed: StatusIncluded, StatusVerified: StatusIncluded},
	ActExclude:   {StatusProposed: StatusExcluded, StatusVerified: StatusExcluded},
	ActRoute:     {StatusIncluded: StatusRouted, StatusRouted: StatusRouted, StatusFollowUp: StatusRouted},
	ActFollowUp:  {StatusRouted: StatusFollowUp},
	ActClose:     {StatusIncluded: StatusClosed, StatusRouted: StatusClosed, StatusFollowUp: StatusClosed},
	ActReopen:    {StatusClosed: "", StatusExcluded: "", StatusNotVerified: ""},
}

// Change is an action on a referral with what it needs.
type Change struct {
	Action    Action
	Reason    string  // required to exclude with "otro", to reopen, to close with "otro"
	Areas     []Area  // for ActRoute: at least one
	Outcome   Outcome // for ActClose
	Exclusion string  // for ActExclude: a reason code

	// At is when the step was taken, for one written down afterwards (a
	// past case brought in, the demo); zero is now. It may not be in the
	// future nor before the referral's previous step.
	At time.Time
}

// Allowed returns the actions r's state and direction allow, in
// procedure order. The GUI shows exactly these.
func (r *Referral) Allowed() []Action {
	var out []Action
	for _, a := range []Action{ActVerifyYes, ActVerifyNo, ActInclude, ActExclude, ActRoute, ActFollowUp, ActClose, ActReopen} {
		if r.refuse(a) == "" {
			out = append(out, a)
		}
	}
	return out
}

// refuse returns why action a cannot be taken on r now, in Spanish, or "".
func (r *Referral) refuse(a Action) string {
	from, ok := moves[a]
	if !ok {
		return fmt.Sprintf("La acción «%s» no existe.", a)
	}
	if _, ok := from[r.Status]; !ok {
		return fmt.Sprintf("No se puede «%s» una derivación en estado «%s».", strings.ToLower(a.Label()), r.Status.Label())
	}
	switch {
	case (a == ActVerifyYes || a == ActVerifyNo) && r.Direction != FromAE:
		return "Solo las derivaciones que hace la AE pasan por la verificación de la jefatura de sección."
	case (a == ActInclude || a == ActExclude) && r.Direction == FromAE && r.Status == StatusProposed:
		return "Antes de decidir, la jefatura de sección de la AE tiene que verificar la derivación."
	}
	return ""
}

// check validates c against r: the action is allowed and has what it needs.
func (r *Referral) check(c Change) error {
	if msg := r.refuse(c.Action); msg != "" {
		return &ValidationError{Fields: []FieldError{{"Action", msg}}}
	}
	var pr problems
	reason := strings.TrimSpace(c.Reason)
	switch c.Action {
	case ActExclude:
		if !oneOf(c.Exclusion, ExclusionReasons) {
			pr.add("Exclusion", "Elija el motivo de la exclusión.")
		} else if c.Exclusion == ExclusionOther && reason == "" {
			pr.add("Reason", "Explique el motivo de la exclusión.")
		}
	case ActRoute:
		if len(c.Areas) == 0 {
			pr.add("Areas", "Elija al menos un área: Jurídico, Formación o Empleo.")
		}
		for _, a := range c.Areas {
			if !oneOf(a, Areas) {
				pr.add("Areas", fmt.Sprintf("El área «%s» no existe.", a))
			}
		}
	case ActClose:
		if !oneOf(c.Outcome, Outcomes) {
			pr.add("Outcome", "Elija el resultado con el que se cierra.")
		} else if c.Outcome == OutcomeOther && reason == "" {
			pr.add("Reason", "Explique el resultado.")
		}
	case ActReopen:
		if reason == "" {
			pr.add("Reason", "Explique por qué se reabre.")
		}
	}
	return pr.err()
}

// target returns the state c leads r to.
func (r *Referral) target(a Action) Status {
	if a != ActReopen {
		return moves[a][r.Status]
	}
	// Back to where it was before it was closed or refused.
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].To == r.Status && r.History[i].From != "" {
			return r.History[i].From
		}
	}
	return StatusProposed
}

// Propose records a new referral in state Propuesta: it checks the person,
// the criterion (whose current wording it keeps) and the profile, runs the
// automatic exclusion rules, and writes a timeline event on the person.
func (s *Store) Propose(r *Referral, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.Propose(r) })
}

// ProposeAt is Propose for a referral written down after it was made: at
// is when it was proposed, on the referral's date and not in the future.
func (s *Store) ProposeAt(r *Referral, at time.Time, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.propose(r, at) })
}

// Propose is Store.Propose inside a batch.
func (b *Batch) Propose(r *Referral) error { return b.propose(r, time.Time{}) }

func (b *Batch) propose(r *Referral, at time.Time) error {
	if err := b.allow(PermPropose); err != nil {
		return err
	}
	if at.IsZero() {
		at = b.now
	} else if at.After(b.now) || MadridDate(at) != r.Date {
		return &ValidationError{Fields: []FieldError{{Field: "Date", Message: "La propuesta se registra en la fecha de la derivación y no en el futuro."}}}
	}
	q := *r
	q.Note, q.Atlas = strings.TrimSpace(q.Note), strings.TrimSpace(q.Atlas)
	if err := q.validateNew(); err != nil {
		return err
	}
	var p Person
	if err := getJSON(b.tx, bucketPeople, q.PersonID, &p); err != nil {
		return fmt.Errorf("persona %s: %w", q.PersonID, err)
	}
	var c Criterion
	if err := getJSON(b.tx, bucketCriteria, q.CriterionID, &c); err != nil {
		return fmt.Errorf("situación habilitante %s: %w", q.CriterionID, err)
	}
	var pr problems
	switch {
	case c.Direction != q.Direction:
		pr.add("CriterionID", "Esa situación habilitante es de la otra dirección.")
	case !c.Active:
		pr.add("CriterionID", "Esa situación habilitante ya no está en vigor.")
	}
	prog := DefaultProgramme()
	if err := getJSON(b.tx, bucketConfig, keyProgramme, &prog); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if _, ok := prog.Profile(q.Profile); q.Profile != "" && !ok {
		pr.add("Profile", "Ese perfil no existe en el programa.")
	}
	if q.StaffID != "" && b.tx.Bucket(bucketStaff).Get([]byte(q.StaffID)) == nil {
		pr.add("StaffID", "El técnico o técnica que deriva no está en la lista de personal.")
	}
	if q.OfficeID != "" && b.tx.Bucket(bucketOffices).Get([]byte(q.OfficeID)) == nil {
		pr.add("OfficeID", "La oficina que deriva no está en la lista.")
	}
	if err := pr.err(); err != nil {
		return err
	}
	rules := DefaultRules()
	if err := getJSON(b.tx, bucketConfig, keyRules, &rules); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	q.ID, q.Stamp = b.s.newID(), Stamp{}
	q.CriterionText = c.TextAt(b.now)
	q.Status, q.Areas, q.Outcome, q.Exclusion = StatusProposed, nil, "", ""
	q.Suggested = rules.Check(&p)
	q.History = []Transition{{Action: ActPropose, To: StatusProposed, At: at, By: b.author, Reason: q.Note}}
	q.touch(b.author, b.now)
	text := fmt.Sprintf("Derivación propuesta (%s): %s", q.Direction.Label(), q.CriterionText)
	for _, f := range q.Suggested {
		text += " Se propone excluir: " + f.Text
	}
	if err := b.putReferral(&q, text, at); err != nil {
		return err
	}
	*r = q
	return nil
}

// Apply takes action c on the referral with id, written by author. An
// action the state or direction does not allow, or one missing what it
// needs, is refused with a *ValidationError and changes nothing.
func (s *Store) Apply(id string, c Change, author string) (Referral, error) {
	var out Referral
	err := s.Batch(author, func(b *Batch) error {
		var err error
		out, err = b.Apply(id, c)
		return err
	})
	return out, err
}

// Apply is Store.Apply inside a batch.
func (b *Batch) Apply(id string, c Change) (Referral, error) {
	if err := b.allow(c.Action.Perm()); err != nil {
		return Referral{}, err
	}
	var r Referral
	if err := getJSON(b.tx, bucketReferrals, id, &r); err != nil {
		return Referral{}, fmt.Errorf("derivación %s: %w", id, err)
	}
	if err := r.check(c); err != nil {
		return Referral{}, err
	}
	at := c.At
	if at.IsZero() {
		at = b.now
	} else if last := r.History[len(r.History)-1].At; at.After(b.now) || at.Before(last) {
		return Referral{}, &ValidationError{Fields: []FieldError{{Field: "At", Message: "La fecha del paso no puede ser futura ni anterior al paso previo de la derivación."}}}
	}
	t := Transition{Action: c.Action, From: r.Status, To: r.target(c.Action), At: at, By: b.author,
		Reason: strings.TrimSpace(c.Reason)}
	switch c.Action {
	case ActInclude:
		t.Override = len(r.Suggested) > 0
	case ActExclude:
		t.Exclusion, r.Exclusion = c.Exclusion, c.Exclusion
	case ActRoute:
		t.Areas, r.Areas = sortedAreas(c.Areas), sortedAreas(c.Areas)
	case ActClose:
		t.Outcome, r.Outcome = c.Outcome, c.Outcome
	case ActReopen:
		r.Outcome = ""
		if r.Status == StatusExcluded {
			r.Exclusion = ""
		}
	}
	r.Status = t.To
	r.History = append(r.History, t)
	r.touch(b.author, b.now)
	if err := b.putReferral(&r, transitionText(&r, t), at); err != nil {
		return Referral{}, err
	}
	return r, nil
}

// Perm is the permission action a needs: the section head verifies, the
// coordinator takes every other step.
func (a Action) Perm() Perm {
	switch a {
	case ActVerifyYes, ActVerifyNo:
		return PermVerify
	case ActPropose:
		return PermPropose
	}
	return PermDecide
}

func sortedAreas(in []Area) []Area {
	out := append([]Area(nil), in...)
	sort.Slice(out, func(i, j int) bool { return areaRank(out[i]) < areaRank(out[j]) })
	return dedupe(out)
}

func dedupe(a []Area) []Area {
	out := a[:0]
	for i, x := range a {
		if i == 0 || x != a[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func areaRank(a Area) int {
	for i, x := range Areas {
		if x == a {
			return i
		}
	}
	return len(Areas)
}

// transitionText is the timeline entry for t.
func transitionText(r *Referral, t Transition) string {
	var s string
	switch t.Action {
	case ActVerifyYes:
		s = "La jefatura de sección verifica la derivación: Sí."
	case ActVerifyNo:
		s = "La jefatura de sección no verifica la derivación."
	case ActInclude:
		s = "Incluida en el programa."
		if t.Override {
			s = "Incluida en el programa, pese a la exclusión propuesta automáticamente."
		}
	case ActExclude:
		s = "Excluida: " + ExclusionLabel(t.Exclusion) + "."
	case ActRoute:
		s = "Derivada a " + AreasLabel(t.Areas) + "."
	case ActFollowUp:
		s = "Pasa a seguimiento semanal."
	case ActClose:
		s = "Cerrada: " + t.Outcome.Label() + "."
	case ActReopen:
		s = "Reabierta (vuelve a «" + t.To.Label() + "»)."
	}
	if t.Reason != "" {
		s += " " + t.Reason
	}
	return fmt.Sprintf("Derivación %s. %s", r.Direction.Label(), s)
}

// putReferral stores r, its per-person index entry and a status event on
// the person's timeline at the step's time, all in b's transaction.
func (b *Batch) putReferral(r *Referral, text string, at time.Time) error {
	if err := putJSON(b.tx, bucketReferrals, r.ID, r); err != nil {
		return err
	}
	if err := b.tx.Bucket(bucketPersonRefs).Put([]byte(r.PersonID+r.ID), nil); err != nil {
		return err
	}
	e := Event{PersonID: r.PersonID, At: at, Kind: EventStatus, Text: text}
	return b.AddEvent(&e)
}

// Referral returns the referral with id, or ErrNotFound.
func (s *Store) Referral(id string) (Referral, error) {
	var r Referral
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketReferrals, id, &r) })
	if err != nil {
		return Referral{}, fmt.Errorf("derivación %s: %w", id, err)
	}
	return r, nil
}

// PersonReferrals returns the referrals of personID, newest first.
func (s *Store) PersonReferrals(personID string) ([]Referral, error) {
	var out []Referral
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPersonRefs).Cursor()
		prefix := []byte(personID)
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var r Referral
			raw := tx.Bucket(bucketReferrals).Get(k[len(prefix):])
			if raw == nil {
				continue
			}
			if err := decodeValue(tx, bucketReferrals, k[len(prefix):], raw, &r); err != nil {
				return fmt.Errorf("derivación %s: %w", k[len(prefix):], err)
			}
			out = append(out, r)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Proposed().After(out[j].Proposed()) })
	return out, err
}

// ReferralFilter selects referrals; zero fields match everything.
type ReferralFilter struct {
	Statuses  []Status
	Direction Direction
	OfficeID  string
	StaffID   string
	Area      Area
	From, To  Date // proposal date, inclusive
}

func (f *ReferralFilter) match(r *Referral) bool {
	switch {
	case len(f.Statuses) > 0 && !oneOf(r.Status, f.Statuses):
	case f.Direction != "" && r.Direction != f.Direction:
	case f.OfficeID != "" && r.OfficeID != f.OfficeID:
	case f.StaffID != "" && r.StaffID != f.StaffID:
	case f.Area != "" && !r.HasArea(f.Area):
	case !f.From.IsZero() && r.Date.Before(f.From):
	case !f.To.IsZero() && r.Date.After(f.To):
	default:
		return true
	}
	return false
}

// Referrals returns the referrals matching f, newest proposal first.
func (s *Store) Referrals(f ReferralFilter) ([]Referral, error) {
	all, err := listAll[Referral](s, bucketReferrals)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for i := range all {
		if f.match(&all[i]) {
			out = append(out, all[i])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Proposed().After(out[j].Proposed()) })
	return out, nil
}
