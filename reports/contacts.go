package reports

import (
	"fmt"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// directory is what leaflets and notices need from the store: the offices
// and staff, looked up by ID, and the programme.
type directory struct {
	offices []data.Office
	staff   map[string]data.Staff
	list    []data.Staff
	prog    data.Programme
}

func loadDirectory(s *data.Store) (*directory, error) {
	offices, err := s.Offices()
	if err != nil {
		return nil, err
	}
	list, err := s.StaffList()
	if err != nil {
		return nil, err
	}
	prog, err := s.Programme()
	if err != nil {
		return nil, err
	}
	d := &directory{offices: offices, list: list, prog: prog, staff: make(map[string]data.Staff, len(list))}
	for _, st := range list {
		d.staff[st.ID] = st
	}
	return d, nil
}

// referringOffice loads the office with id and the direction its referrals
// go in. An office of another organisation refers no one: that is a
// *data.ValidationError.
func referringOffice(s *data.Store, id string) (data.Office, data.Direction, error) {
	o, err := s.Office(id)
	if err != nil {
		return data.Office{}, "", err
	}
	dir, ok := data.DirectionFrom(o.Org)
	if !ok {
		return data.Office{}, "", &data.ValidationError{Fields: []data.FieldError{{Field: "Office",
			Message: fmt.Sprintf("La oficina «%s» no es de la Agencia para el Empleo ni una OMIOPI: no deriva personas, así que no tiene folleto ni aviso.", o.Name)}}}
	}
	return o, dir, nil
}

// criteriaInForce loads what the leaflet and the referral form of the
// office with id start from: the office, its direction (referringOffice)
// and that direction's enabling situations in force, in stored order.
func criteriaInForce(s *data.Store, id string) (data.Office, data.Direction, []data.Criterion, error) {
	o, dir, err := referringOffice(s, id)
	if err != nil {
		return data.Office{}, "", nil, err
	}
	all, err := s.Criteria(dir)
	if err != nil {
		return data.Office{}, "", nil, err
	}
	var active []data.Criterion
	for _, c := range all {
		if c.Active {
			active = append(active, c)
		}
	}
	return o, dir, active, nil
}

// officeSubtitle is the subtitle of an office's leaflet and referral
// form: the office and the direction of its referrals.
func (l Lang) officeSubtitle(o data.Office, dir data.Direction) string {
	return o.Name + " · " + l.tf("Derivaciones %s", dir.Label())
}

// otherOrg is the service an office's referrals go to.
func otherOrg(o data.Org) data.Org {
	if o == data.OrgAE {
		return data.OrgOMIOPI
	}
	return data.OrgAE
}

// officeCard is an office's contacts as a card. An office with nothing to
// contact it by gives false.
func (l Lang) officeCard(o data.Office) (Card, bool) {
	var lines []string
	if o.Address != "" {
		lines = append(lines, o.Address)
	}
	if len(o.Phones) > 0 {
		phones := make([]string, len(o.Phones))
		for i, p := range o.Phones {
			phones[i] = data.FormatPhone(p)
		}
		lines = append(lines, l.t("Teléfono:")+" "+strings.Join(phones, " · "))
	}
	for _, e := range o.Emails {
		lines = append(lines, l.t("Correo:")+" "+e)
	}
	if o.Web != "" {
		lines = append(lines, l.t("Web:")+" "+o.Web)
	}
	if o.Hours != "" {
		lines = append(lines, l.t("Horario:")+" "+o.Hours)
	}
	return Card{Title: o.Name, Lines: lines}, len(lines) > 0
}

// staffCard is a staff member's contacts under a heading such as
// "Coordinación del programa".
func (l Lang) staffCard(title string, st data.Staff, office string) Card {
	lines := []string{st.Name}
	if office != "" {
		lines[0] += " · " + office
	}
	lines = append(lines, l.t("Correo:")+" "+st.Email)
	if st.Phone != "" {
		lines = append(lines, l.t("Teléfono:")+" "+data.FormatPhone(st.Phone))
	}
	return Card{Title: title, Lines: lines}
}

// serviceCards are the cards of every office of org that can be contacted.
func (dir *directory) serviceCards(l Lang, org data.Org) []Card {
	var cards []Card
	for _, o := range dir.offices {
		if o.Org != org {
			continue
		}
		if c, ok := l.officeCard(o); ok {
			cards = append(cards, c)
		}
	}
	return cards
}

// programmeCards are the programme's contacts: its e-mail, its
// coordinators, and the liaison of office o.
func (dir *directory) programmeCards(l Lang, o data.Office) []Card {
	var cards []Card
	if dir.prog.Email != "" {
		cards = append(cards, Card{Title: dir.prog.Name, Lines: []string{
			l.t("Para dudas sobre el programa:"), l.t("Correo:") + " " + dir.prog.Email}})
	}
	for _, st := range dir.list {
		if st.Role == data.RoleCoordinator && st.Active {
			cards = append(cards, l.staffCard(l.t("Coordinación del programa"), st, ""))
		}
	}
	if st, ok := dir.staff[o.Liaison]; ok && st.Active {
		cards = append(cards, l.staffCard(l.tf("Técnico/a de enlace de %s", o.Name), st, ""))
	}
	return cards
}
