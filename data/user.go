package data

import (
	"fmt"
	"slices"
	"strings"
)

// RoleAdmin manages users and settings. It is a role of Enlace's users,
// not a post in the procedure, so staff records never have it.
const RoleAdmin Role = "administrador"

// UserRoles lists the roles a user can have, in display order.
var UserRoles = []Role{RoleTechnician, RoleSectionHead, RoleCoordinator, RoleAdmin}

// User is a person who unlocks Enlace: a técnico, a jefe de sección, a
// coordinador or an administrador (several roles at once in a small
// office). The record is encrypted like any other; what lets a user
// unlock the file is their keyring entry (keyring.go).
type User struct {
	ID      string `json:"id"`
	Login   string `json:"login"` // what they type to unlock, e.g. "laura"
	Name    string `json:"name"`  // written as author of every change
	Roles   []Role `json:"roles"`
	StaffID string `json:"staff_id,omitempty"` // their staff record, if any
	Stamp
}

// Has reports whether u has role r.
func (u *User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// RoleLabels returns u's roles as the user interface says them.
func (u *User) RoleLabels() string {
	out := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		out[i] = r.Label()
	}
	return strings.Join(out, ", ")
}

// Normalize trims u's fields and folds its login to lower case.
func (u *User) Normalize() {
	u.Login = strings.ToLower(strings.TrimSpace(u.Login))
	u.Name = ProperCase(strings.TrimSpace(u.Name))
	slices.Sort(u.Roles)
	u.Roles = slices.Compact(u.Roles)
}

// Validate checks u, with messages for the user form.
func (u *User) Validate() error {
	var pr problems
	switch {
	case u.Login == "":
		pr.add("Login", "Escriba el nombre de usuario.")
	case strings.ContainsAny(u.Login, " \t\r\n"):
		pr.add("Login", "El nombre de usuario no puede tener espacios.")
	}
	if u.Name == "" {
		pr.add("Name", "Escriba el nombre y apellidos.")
	}
	if len(u.Roles) == 0 {
		pr.add("Roles", "Elija al menos una función.")
	}
	for _, r := range u.Roles {
		if !slices.Contains(UserRoles, r) {
			pr.add("Roles", fmt.Sprintf("Función desconocida: %s.", r))
		}
	}
	return pr.err()
}

// Perm is something a user may or may not do. The roles that may do each
// are in permRoles; the store refuses the rest with ErrForbidden.
type Perm int

// The permissions.
const (
	PermEditPeople Perm = iota // people, timeline, indicators, reminders
	PermPropose                // propose a referral (and import the forms)
	PermVerify                 // the AE section head's Sí / No
	PermDecide                 // include, exclude, route, follow up, close, reopen
	PermOffices                // offices and staff
	PermSettings               // programme, criteria, rules, document style, backups
	PermUsers                  // users and their roles
	PermExport                 // exports by hand, and reading the audit trail
	PermRI                     // RI programme projects
	PermErase                  // erase a person (the right to be forgotten)
)

var permRoles = map[Perm][]Role{
	PermEditPeople: {RoleTechnician, RoleSectionHead, RoleCoordinator},
	PermPropose:    {RoleTechnician, RoleSectionHead, RoleCoordinator},
	PermVerify:     {RoleSectionHead},
	PermDecide:     {RoleCoordinator},
	PermOffices:    {RoleCoordinator, RoleAdmin},
	PermSettings:   {RoleAdmin},
	PermUsers:      {RoleAdmin},
	PermExport:     {RoleSectionHead, RoleCoordinator, RoleAdmin},
	PermRI:         {RoleCoordinator, RoleAdmin},
	PermErase:      {RoleCoordinator, RoleAdmin},
}

// permText says what a permission allows, to finish "no puede …".
var permText = map[Perm]string{
	PermEditPeople: "modificar fichas, historial ni recordatorios",
	PermPropose:    "proponer derivaciones",
	PermVerify:     "verificar derivaciones",
	PermDecide:     "incluir, excluir, derivar ni cerrar derivaciones",
	PermOffices:    "modificar oficinas ni personal",
	PermSettings:   "cambiar los ajustes del programa",
	PermUsers:      "gestionar usuarios",
	PermExport:     "exportar datos ni consultar el registro de cambios",
	PermRI:         "modificar proyectos del programa RI",
	PermErase:      "suprimir los datos de una persona",
}

// Can reports whether u may do p.
func (u *User) Can(p Perm) bool {
	for _, r := range permRoles[p] {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// ForbiddenError is returned when the unlocked user's roles do not allow
// an action. It wraps ErrForbidden; nothing is written.
type ForbiddenError struct {
	Perm Perm
	User string
}

func (e *ForbiddenError) Error() string {
	who := make([]string, 0, 2)
	for _, r := range permRoles[e.Perm] {
		who = append(who, r.Label())
	}
	return fmt.Sprintf("Su usuario (%s) no puede %s: es tarea de %s.", e.User, permText[e.Perm], joinOr(who))
}

// Unwrap lets errors.Is(err, ErrForbidden) match.
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

func joinOr(s []string) string {
	for i := range s {
		s[i] = strings.ToLower(s[i])
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " o " + s[len(s)-1]
}

// User returns the unlocked user.
func (s *Store) User() User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.user == nil {
		return User{}
	}
	u := *s.user
	u.Roles = slices.Clone(u.Roles)
	return u
}

// Allow returns nil when the unlocked user may do p, and a
// *ForbiddenError otherwise. Writes check it themselves; callers use it
// for what happens outside the store (exports, reports) and to grey out
// buttons.
func (s *Store) Allow(p Perm) error {
	u := s.User()
	if u.Can(p) {
		return nil
	}
	return &ForbiddenError{Perm: p, User: u.Login}
}

// allow is Allow for a batch.
func (b *Batch) allow(p Perm) error { return b.s.Allow(p) }
