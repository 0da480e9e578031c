package data

import (
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Role is what a staff member does in the procedure.
type Role string

// Roles, from DOMAIN.md.
const (
	RoleTechnician  Role = "tecnico"
	RoleSectionHead Role = "jefe_seccion"
	RoleCoordinator Role = "coordinador"
	RoleLiaison     Role = "tecnico_enlace"
)

// Roles lists the roles in display order.
var Roles = []Role{RoleTechnician, RoleSectionHead, RoleCoordinator, RoleLiaison}

// Label returns the role's Spanish name.
func (r Role) Label() string {
	switch r {
	case RoleTechnician:
		return "Técnico/a"
	case RoleSectionHead:
		return "Jefe/a de sección"
	case RoleCoordinator:
		return "Coordinador/a"
	case RoleLiaison:
		return "Técnico/a de enlace"
	case RoleAdmin:
		return "Administrador/a"
	}
	return string(r)
}

// Staff is a person who works in an office: técnicos, section heads,
// coordinators. The e-mail is required: the pilot lost referrals because
// technicians left it blank.
type Staff struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	OfficeID string `json:"office_id,omitempty"`
	Role     Role   `json:"role"`
	Email    string `json:"email"`
	Phone    string `json:"phone,omitempty"`
	Active   bool   `json:"active"`
	Stamp
}

// Normalize tidies what was typed.
func (st *Staff) Normalize() {
	st.Name = ProperCase(st.Name)
	st.Email = strings.ToLower(strings.TrimSpace(st.Email))
	st.Phone = strings.TrimSpace(st.Phone)
	if n, err := NormalizePhone(st.Phone); err == nil {
		st.Phone = n
	}
}

// Validate checks st and returns a *ValidationError or nil.
func (st *Staff) Validate() error {
	var pr problems
	if st.Name == "" {
		pr.add("Name", "Falta el nombre.")
	}
	if !oneOf(st.Role, Roles) {
		pr.add("Role", "Elija el puesto.")
	}
	if st.Email == "" {
		pr.add("Email", "El correo electrónico es obligatorio: sin él no se puede informar del resultado de la derivación.")
	} else {
		pr.check("Email", CheckEmail(st.Email))
	}
	if st.Phone != "" {
		_, err := NormalizePhone(st.Phone)
		pr.check("Phone", err)
	}
	return pr.err()
}

// SaveStaff validates and stores st, giving it an ID when it has none. It
// returns ErrNotFound when st.OfficeID names no office.
func (s *Store) SaveStaff(st *Staff, author string) error {
	return s.Batch(author, func(b *Batch) error { return b.SaveStaff(st) })
}

// StaffMember returns the staff member with id, or ErrNotFound.
func (s *Store) StaffMember(id string) (Staff, error) {
	var st Staff
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketStaff, id, &st) })
	if err != nil {
		return Staff{}, fmt.Errorf("personal %s: %w", id, err)
	}
	return st, nil
}

// StaffList returns every staff member by name.
func (s *Store) StaffList() ([]Staff, error) {
	out, err := listAll[Staff](s, bucketStaff)
	sort.SliceStable(out, func(i, j int) bool { return Fold(out[i].Name) < Fold(out[j].Name) })
	return out, err
}
