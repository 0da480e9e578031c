package data

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Direction says which service refers the person to which.
type Direction string

// The two directions of the procedure.
const (
	FromAE     Direction = "ae_omiopi" // the AE refers to the OMIOPI
	FromOMIOPI Direction = "omiopi_ae" // the OMIOPI refers to the AE
)

// Directions lists both, AE first as in the seed.
var Directions = []Direction{FromAE, FromOMIOPI}

// Label returns the direction as coordinators write it.
func (d Direction) Label() string {
	switch d {
	case FromAE:
		return "AE → OMIOPI"
	case FromOMIOPI:
		return "OMIOPI → AE"
	}
	return string(d)
}

// DirectionFrom returns the direction of a referral made by an office of
// org, and false for organisations that do not refer.
func DirectionFrom(org Org) (Direction, bool) {
	switch org {
	case OrgAE:
		return FromAE, true
	case OrgOMIOPI:
		return FromOMIOPI, true
	}
	return "", false
}

// Profile is a profile category of the programme with its target.
type Profile struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Target int    `json:"target"`
}

// Programme holds the programme's settings.
type Programme struct {
	Name     string    `json:"name"`
	Target   int       `json:"target"` // overall number of referrals sought
	Profiles []Profile `json:"profiles"`
	Start    Date      `json:"start"`
	End      Date      `json:"end"`
	Email    string    `json:"email,omitempty"` // the programme's contact address
}

// DefaultProgramme is the pilot's set-up: 50 cases, six profiles.
func DefaultProgramme() Programme {
	return Programme{
		Name:   "Programa de derivaciones AE – OMIOPI",
		Target: 50,
		Profiles: []Profile{
			{"exp_estudios", "1–2 años de experiencia en España con estudios superiores", 7},
			{"exp_sin_estudios", "1–2 años de experiencia en España sin estudios superiores", 7},
			{"exp_5", "Más de 5 años de experiencia laboral", 5},
			{"reciente_estudios", "De 6 meses a 1 año en España con estudios", 7},
			{"primer_empleo", "Acceso al primer empleo", 7},
			{"otros", "Otros", 5},
		},
	}
}

// Profile returns the profile with code, if the programme has it.
func (p *Programme) Profile(code string) (Profile, bool) {
	for _, pr := range p.Profiles {
		if pr.Code == code {
			return pr, true
		}
	}
	return Profile{}, false
}

// Validate checks p and returns a *ValidationError or nil.
func (p *Programme) Validate() error {
	var pr problems
	if strings.TrimSpace(p.Name) == "" {
		pr.add("Name", "Falta el nombre del programa.")
	}
	if p.Target < 1 {
		pr.add("Target", "El objetivo de casos debe ser al menos 1.")
	}
	seen := map[string]bool{}
	for _, prof := range p.Profiles {
		switch {
		case strings.TrimSpace(prof.Code) == "" || strings.TrimSpace(prof.Name) == "":
			pr.add("Profiles", "Cada perfil necesita código y nombre.")
		case seen[prof.Code]:
			pr.add("Profiles", fmt.Sprintf("El perfil «%s» está repetido.", prof.Code))
		case prof.Target < 0:
			pr.add("Profiles", fmt.Sprintf("El objetivo del perfil «%s» no puede ser negativo.", prof.Name))
		}
		seen[prof.Code] = true
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		pr.add("End", "La fecha de fin es anterior a la de inicio.")
	}
	if p.Email != "" {
		pr.check("Email", CheckEmail(p.Email))
	}
	return pr.err()
}

const keyProgramme = "programme"

// Programme returns the stored programme settings, or the pilot's
// defaults when none were saved.
func (s *Store) Programme() (Programme, error) {
	p := DefaultProgramme()
	if err := s.Setting(keyProgramme, &p); err != nil && !errors.Is(err, ErrNotFound) {
		return Programme{}, err
	}
	return p, nil
}

// SaveProgramme validates and stores the programme settings.
func (s *Store) SaveProgramme(p Programme, author string) error {
	if err := s.checkWrite(PermSettings, author); err != nil {
		return err
	}
	p.Name = strings.TrimSpace(p.Name)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	if err := p.Validate(); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx, bucketConfig, keyProgramme, p) })
}

// Criterion is an enabling situation: a reason a person may be referred
// in one direction. Criteria are data, edited in Enlace, and the same
// records feed the referral form and the leaflets. Every change of
// wording is kept in History, so a referral keeps the text it was made
// under (see Referral.CriterionText).
type Criterion struct {
	ID        string             `json:"id"`
	Direction Direction          `json:"direction"`
	Text      string             `json:"text"`
	Active    bool               `json:"active"` // retired criteria stay for old referrals
	Order     int                `json:"order"`
	History   []CriterionVersion `json:"history"` // oldest first; the last is the current text
}

// CriterionVersion is one wording of a criterion and when it took effect.
type CriterionVersion struct {
	Text   string    `json:"text"`
	Active bool      `json:"active"`
	From   time.Time `json:"from"`
	By     string    `json:"by"`
}

// TextAt returns the wording in force at t.
func (c *Criterion) TextAt(t time.Time) string {
	text := c.Text
	for i := len(c.History) - 1; i >= 0; i-- {
		text = c.History[i].Text
		if !c.History[i].From.After(t) {
			break
		}
	}
	return text
}
