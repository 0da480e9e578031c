package data

import (
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Org is the organisation an office belongs to.
type Org string

// Organisations.
const (
	OrgAE     Org = "AE"     // Agencia para el Empleo
	OrgOMIOPI Org = "OMIOPI" // Oficinas municipales de información a la población inmigrante
	OrgOther  Org = "otra"
)

// Orgs lists the organisations in display order.
var Orgs = []Org{OrgAE, OrgOMIOPI, OrgOther}

// Label returns the organisation's name for people.
func (o Org) Label() string {
	switch o {
	case OrgAE:
		return "Agencia para el Empleo (AE)"
	case OrgOMIOPI:
		return "Oficina municipal de inmigración (OMIOPI)"
	case OrgOther:
		return "Otra entidad"
	}
	return string(o)
}

// Office is an AE zone agency, an OMIOPI office or another service. Its
// contacts feed leaflets and notices.
type Office struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Org     Org      `json:"org"`
	Address string   `json:"address,omitempty"`
	Phones  []string `json:"phones,omitempty"`
	Emails  []string `json:"emails,omitempty"`
	Web     string   `json:"web,omitempty"`
	Hours   string   `json:"hours,omitempty"`   // opening hours, as written
	Liaison string   `json:"liaison,omitempty"` // staff ID of the técnico de enlace
	Stamp
}

// Normalize trims fields, drops empty contacts and stores phones as digits.
func (o *Office) Normalize() {
	o.Name = strings.TrimSpace(o.Name)
	o.Address = strings.TrimSpace(o.Address)
	o.Web = strings.TrimSpace(o.Web)
	o.Hours = strings.TrimSpace(o.Hours)
	o.Phones = cleanList(o.Phones, func(s string) string {
		if n, err := NormalizePhone(s); err == nil {
			return n
		}
		return s
	})
	o.Emails = cleanList(o.Emails, strings.ToLower)
}

func cleanList(in []string, f func(string) string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, f(s))
		}
	}
	return out
}

// Validate checks o and returns a *ValidationError or nil.
func (o *Office) Validate() error {
	var pr problems
	if o.Name == "" {
		pr.add("Name", "Falta el nombre de la oficina.")
	}
	if !oneOf(o.Org, Orgs) {
		pr.add("Org", "Elija a qué organización pertenece la oficina.")
	}
	for _, ph := range o.Phones {
		if _, err := NormalizePhone(ph); err != nil {
			pr.add("Phones", err.Error())
		}
	}
	for _, e := range o.Emails {
		pr.check("Emails", CheckEmail(e))
	}
	return pr.err()
}

// SaveOffice validates and stores o, giving it an ID when it has none.
func (s *Store) SaveOffice(o *Office, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.SaveOffice(o) })
}

// Office returns the office with id, or ErrNotFound.
func (s *Store) Office(id string) (Office, error) {
	var o Office
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketOffices, id, &o) })
	if err != nil {
		return Office{}, fmt.Errorf("oficina %s: %w", id, err)
	}
	return o, nil
}

// Offices returns every office, by organisation and then name.
func (s *Store) Offices() ([]Office, error) {
	out, err := listAll[Office](s, bucketOffices)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Org != out[j].Org {
			return orgRank(out[i].Org) < orgRank(out[j].Org)
		}
		return Fold(out[i].Name) < Fold(out[j].Name)
	})
	return out, err
}

func orgRank(o Org) int {
	for i, x := range Orgs {
		if x == o {
			return i
		}
	}
	return len(Orgs)
}

// listAll decodes every value of bucket b.
func listAll[T any](s *Store, b []byte) ([]T, error) {
	var out []T
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(b).ForEach(func(k, v []byte) error {
			var x T
			if err := decodeValue(tx, b, k, v, &x); err != nil {
				return fmt.Errorf("%s %s: %w", b, k, err)
			}
			out = append(out, x)
			return nil
		})
	})
	return out, err
}
