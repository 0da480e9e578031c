package demo

import (
	"fmt"

	"github.com/enlace-madrid/enlace/data"
)

// demoOffices returns the real offices of the pilot with the contacts its
// leaflets published (DOMAIN.md, seed 000): Oficina Norte and AZ Tetuán
// share the building at Juan Pantoja, 2; no address is given for Oficina
// Sur. Only their staff are fictional.
func demoOffices() []data.Office {
	const (
		web    = "https://oficinamunicipalinmigracion.es/"
		email1 = "oficinainmigracion@oficinainmigracion.info"
		email2 = "oficinainmigracion@madrid.es"
	)
	return []data.Office{
		officeNorte: {
			Name: "Oficina Norte", Org: data.OrgOMIOPI,
			Address: "Calle de Juan Pantoja, 2, Madrid",
			Phones:  []string{"917581437", "664594921"},
			Emails:  []string{email1, email2}, Web: web,
		},
		officeSur: {
			Name: "Oficina Sur", Org: data.OrgOMIOPI,
			Phones: []string{"914625480", "664595902"},
			Emails: []string{email1, email2}, Web: web,
		},
		officeTetuan: {
			Name: "AZ Tetuán", Org: data.OrgAE,
			Address: "Calle de Juan Pantoja, 2, Madrid",
		},
		officeCita: {
			Name: "Agencia para el Empleo — cita previa", Org: data.OrgAE,
			Phones: []string{"010", "915298210"},
			Web:    "https://www.madrid.es",
		},
	}
}

// Office indexes in demoOffices.
const (
	officeNorte = iota
	officeSur
	officeTetuan
	officeCita
	noOffice = -1
)

// staffSpec is one fictional staff member: which office, what role, and
// whether they are their office's técnico de enlace.
type staffSpec struct {
	name, email string
	office      int
	role        data.Role
}

var demoStaff = []staffSpec{
	{"Lucía Herrero Campos", "lherrero@oficinainmigracion.info", officeNorte, data.RoleLiaison},
	{"Andrés Molina Ruiz", "amolina@oficinainmigracion.info", officeNorte, data.RoleTechnician},
	{"Nuria Calvo Méndez", "ncalvo@oficinainmigracion.info", officeSur, data.RoleLiaison},
	{"Javier Ortega Sanz", "jortega@oficinainmigracion.info", officeSur, data.RoleTechnician},
	{"Pilar Domínguez Vega", "dominguezvp@madrid.es", officeTetuan, data.RoleSectionHead},
	{"Raúl Iglesias Marín", "iglesiasmr@madrid.es", officeTetuan, data.RoleLiaison},
	{"Marta Cabrera Gil", "cabreragm@madrid.es", officeTetuan, data.RoleTechnician},
	{"Sergio Navas Prieto", "navasps@madrid.es", officeTetuan, data.RoleTechnician},
	{"Elena Robles Fuentes", "coordinacion.enlace@oficinainmigracion.info", noOffice, data.RoleCoordinator},
}

// team is the offices and staff as stored, with the roles the generator
// needs: who refers from each side, who coordinates, who is liaison.
type team struct {
	offices []data.Office
	staff   []data.Staff
	office  []int // office index of each staff member, or noOffice

	omiopi, ae  []int // staff who fill referral forms, by side
	coordinator int
	sectionHead int
	liaison     []int // staff index of each office's liaison, or -1
}

// setUpTeam stores the demo offices and staff in one transaction, reusing
// those already stored under the same office name or staff e-mail (so a
// forced second run does not duplicate them). It returns how many it
// created.
func setUpTeam(s *data.Store, author string) (*team, int, int, error) {
	oldOffices, err := s.Offices()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("leer las oficinas: %w", err)
	}
	oldStaff, err := s.StaffList()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("leer el personal: %w", err)
	}
	t := &team{offices: demoOffices(), coordinator: -1}
	t.liaison = []int{-1, -1, -1, -1}
	newOffices, newStaff := 0, 0
	err = s.Batch(author, func(b *data.Batch) error {
		newOffices, newStaff = 0, 0
		created := make([]bool, len(t.offices))
		for i := range t.offices {
			if old, ok := findOffice(oldOffices, t.offices[i].Name); ok {
				t.offices[i] = old
				continue
			}
			if err := b.SaveOffice(&t.offices[i]); err != nil {
				return fmt.Errorf("oficina %s: %w", t.offices[i].Name, err)
			}
			created[i] = true
			newOffices++
		}
		t.staff, t.office = t.staff[:0], t.office[:0]
		for _, sp := range demoStaff {
			st := data.Staff{Name: sp.name, Role: sp.role, Email: sp.email, Active: true}
			if sp.office != noOffice {
				st.OfficeID = t.offices[sp.office].ID
			}
			if old, ok := findStaff(oldStaff, sp.email); ok {
				st = old
			} else if err := b.SaveStaff(&st); err != nil {
				return fmt.Errorf("personal %s: %w", sp.name, err)
			} else {
				newStaff++
			}
			t.staff = append(t.staff, st)
			t.office = append(t.office, sp.office)
		}
		for i, sp := range demoStaff {
			t.classify(i, sp)
			if sp.role == data.RoleLiaison && created[sp.office] {
				t.offices[sp.office].Liaison = t.staff[i].ID
				if err := b.SaveOffice(&t.offices[sp.office]); err != nil {
					return fmt.Errorf("oficina %s: %w", t.offices[sp.office].Name, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, 0, err
	}
	return t, newOffices, newStaff, nil
}

// classify records what staff member i does for the generator.
func (t *team) classify(i int, sp staffSpec) {
	switch {
	case sp.role == data.RoleCoordinator:
		t.coordinator = i
	case sp.role == data.RoleSectionHead:
		t.sectionHead = i // verifies referrals; fills no forms
	case sp.office == officeNorte || sp.office == officeSur:
		t.omiopi = append(t.omiopi, i)
	default:
		t.ae = append(t.ae, i)
	}
	if sp.role == data.RoleLiaison {
		t.liaison[sp.office] = i
	}
}

func findOffice(list []data.Office, name string) (data.Office, bool) {
	for _, o := range list {
		if o.Name == name {
			return o, true
		}
	}
	return data.Office{}, false
}

func findStaff(list []data.Staff, email string) (data.Staff, bool) {
	for _, st := range list {
		if st.Email == email {
			return st, true
		}
	}
	return data.Staff{}, false
}
