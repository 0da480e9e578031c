package data

import "errors"

// Rules are the automatic exclusion rules. A rule that fires proposes an
// exclusion; the coordinator confirms or overrides it, and both are
// recorded in the referral's history.
type Rules struct {
	DNI       bool `json:"dni"`       // a Spanish DNI holder can go to the AE directly
	Irregular bool `json:"irregular"` // everyone must be in a regular administrative situation
}

// DefaultRules has both rules on, as in the pilot.
func DefaultRules() Rules { return Rules{DNI: true, Irregular: true} }

// RuleFinding is one rule that fired on a person.
type RuleFinding struct {
	Reason string `json:"reason"` // an exclusion reason code
	Text   string `json:"text"`   // why, in Spanish
}

// Check returns the findings of r on p.
func (r Rules) Check(p *Person) []RuleFinding {
	var out []RuleFinding
	if r.DNI && p.DocKind == DocDNI {
		out = append(out, RuleFinding{ExclusionDNI, "Tiene DNI español: puede acudir directamente a la Agencia para el Empleo."})
	}
	if r.Irregular && p.DocKind != DocDNI && !p.Regular {
		out = append(out, RuleFinding{ExclusionIrregular, "No consta que esté en situación administrativa regular, requisito para participar."})
	}
	return out
}

const keyRules = "rules"

// Rules returns the stored exclusion rules, or DefaultRules.
func (s *Store) Rules() (Rules, error) {
	r := DefaultRules()
	if err := s.Setting(keyRules, &r); err != nil && !errors.Is(err, ErrNotFound) {
		return Rules{}, err
	}
	return r, nil
}

// SaveRules stores the exclusion rules.
func (s *Store) SaveRules(r Rules, author string) error {
	if err := s.checkWrite(PermSettings, author); err != nil {
		return err
	}
	return s.SetSetting(keyRules, r)
}
