package sync

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Changes of roles. The administration changes a user's roles in the
// member list (all their devices at once); the member keeps the roles it
// held before, with the last batch it had on the server at the change
// (RoleSpan), as a removal keeps Member.Until. A batch is judged by the
// roles its device held from when it was written on: the batch seq is
// allowed what its member's current roles allow, and what the roles of
// every change made after it was on the server (seq ≤ Until) allowed.
// So a change takes nothing back from a batch written before it (an
// install that applied it then, and one that reads it now, agree), and an
// added role also covers an earlier batch refused for lack of it, which
// every install then reads again (refused.go). The rule depends on the
// signed member list alone, so every install judges every batch the same
// way whatever order it syncs in.

// RoleSpan is roles a member held until a change: its device's last
// batch on the server then, and when the change was made (the
// administrator's clock, for the operations of a snapshot, which name no
// batch).
type RoleSpan struct {
	Roles []data.Role `json:"roles"`
	Until uint64      `json:"until"`
	At    time.Time   `json:"at"`
}

// rolesFor is the roles that judge the member's batch seq: its current
// ones and those it held until a change made after that batch was on
// the server.
func (m Member) rolesFor(seq uint64) []data.Role {
	return m.rolesWhere(func(s RoleSpan) bool { return seq <= s.Until })
}

// rolesAt is the roles that judge an operation of the member's written at
// wall (Unix milliseconds), in a snapshot: as rolesFor, by the time of
// each change.
func (m Member) rolesAt(wall int64) []data.Role {
	return m.rolesWhere(func(s RoleSpan) bool { return wall <= s.At.UnixMilli() })
}

func (m Member) rolesWhere(before func(RoleSpan) bool) []data.Role {
	roles := slices.Clone(m.Roles)
	for _, s := range m.Earlier {
		if before(s) {
			roles = append(roles, s.Roles...)
		}
	}
	slices.Sort(roles)
	return slices.Compact(roles)
}

// RoleChange is what ChangeRoles did.
type RoleChange struct {
	Login   string
	Name    string
	Roles   []data.Role // the new roles, in data.UserRoles order
	Devices []string    // the devices whose roles changed (none: they had these already)
	// Local says the user of this install's store with that login was
	// given the same roles (their record then syncs to every install).
	Local bool
}

// Errors of ChangeRoles, besides those of reading the member list.
var (
	ErrNotAdmin  = errors.New("cambiar las funciones de un usuario del espacio es tarea de la administración, desde el equipo que creó el espacio")
	ErrLastAdmin = errors.New("tiene que quedar al menos un administrador en el espacio")
)

// usersStore is what ChangeRoles needs of a data.Store to keep its users
// in line with the member list.
type usersStore interface {
	Users() ([]data.User, error)
	UpdateUser(*data.User) error
}

// ChangeRoles gives every active device of the user login the roles, in
// a new version of the member list signed by the administrator, which
// every install reads at its next sync. A batch those devices had on the
// server before is still judged by the roles they had then, plus the new
// ones (see RoleSpan). The user of this install's store with that login,
// if any, is given the same roles. Only the administrator's install can,
// unlocked by an administrator (ErrNotAdmin); the space keeps an
// administrator (ErrLastAdmin), and the administrator's own install keeps
// its role. Roles must be known ones, at least one.
func ChangeRoles(s Store, password, login string, roles []data.Role, now time.Time) (RoleChange, error) {
	st, err := LoadSettings(s)
	if err != nil {
		return RoleChange{}, err
	}
	if u := s.User(); st.AdminKey == nil || !u.Has(data.RoleAdmin) {
		return RoleChange{}, ErrNotAdmin
	}
	roles, err = checkRoles(roles)
	if err != nil {
		return RoleChange{}, err
	}
	remote := NewRemote(st.URL, st.User, password)
	m, err := fetchMembership(remote, st.AdminPub, nil)
	if err != nil {
		return RoleChange{}, err
	}
	if err := learnKeys(&st, m); err != nil { // refuses an older list put back
		return RoleChange{}, err
	}
	rc := RoleChange{Login: login, Roles: roles}
	if err := rc.apply(&m, st.Device, remote.keptListing(), now); err != nil {
		return RoleChange{}, err
	}
	if len(rc.Devices) > 0 {
		if err := publish(remote, m, st.AdminKey); err != nil {
			return RoleChange{}, err
		}
		st.MembersRaw, st.MembersSig = nil, "" // read the new list at the next session
		if err := saveSettings(s, st); err != nil {
			return rc, err
		}
	}
	if err := rc.followLocal(s); err != nil {
		return rc, fmt.Errorf("las funciones han cambiado en el espacio, pero no las del usuario «%s» en este equipo (cámbielas en Ajustes → Usuarios): %w", login, err)
	}
	return rc, nil
}

// checkRoles refuses unknown roles and none, and puts them in
// data.UserRoles order.
func checkRoles(roles []data.Role) ([]data.Role, error) {
	for _, r := range roles {
		if !slices.Contains(data.UserRoles, r) {
			return nil, fmt.Errorf("función desconocida: «%s» (son %s)", r, roleNames())
		}
	}
	if len(roles) == 0 {
		return nil, fmt.Errorf("indique al menos una función (%s)", roleNames())
	}
	var out []data.Role
	for _, r := range data.UserRoles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func roleNames() string {
	var s string
	for i, r := range data.UserRoles {
		if i > 0 {
			s += ", "
		}
		s += string(r)
	}
	return s
}

// apply changes rc.Login's active devices in m to rc.Roles, keeping the
// roles they had with their last batch in listing, and records in rc
// which it changed.
func (rc *RoleChange) apply(m *Membership, self string, listing *Listing, now time.Time) error {
	found, otherAdmin := false, false
	for _, x := range m.Members {
		if x.Removed {
			continue
		}
		if x.User == rc.Login {
			found = true
			if x.Device == self && slices.Contains(x.Roles, data.RoleAdmin) && !slices.Contains(rc.Roles, data.RoleAdmin) {
				return fmt.Errorf("%w: el equipo de la administración («%s») no puede quitarse esa función", ErrLastAdmin, self)
			}
		} else if slices.Contains(x.Roles, data.RoleAdmin) {
			otherAdmin = true
		}
	}
	if !found {
		return fmt.Errorf("el usuario «%s» no tiene ningún equipo en el espacio", rc.Login)
	}
	if !otherAdmin && !slices.Contains(rc.Roles, data.RoleAdmin) {
		return fmt.Errorf("%w: «%s» es el único", ErrLastAdmin, rc.Login)
	}
	for i, x := range m.Members {
		if x.Removed || x.User != rc.Login {
			continue
		}
		rc.Name = x.Name
		if sameRoles(x.Roles, rc.Roles) {
			continue
		}
		var until uint64
		if listing != nil {
			until = listing.Heads[x.Device]
		}
		m.Members[i].Earlier = append(slices.Clone(x.Earlier), RoleSpan{Roles: x.Roles, Until: until, At: now.UTC()})
		m.Members[i].Roles = slices.Clone(rc.Roles)
		rc.Devices = append(rc.Devices, x.Device)
	}
	return nil
}

// followLocal gives the store's user with rc.Login, if any, rc.Roles.
func (rc *RoleChange) followLocal(s Store) error {
	us, ok := s.(usersStore)
	if !ok {
		return nil
	}
	users, err := us.Users()
	if err != nil {
		return err
	}
	i := slices.IndexFunc(users, func(u data.User) bool { return u.Login == rc.Login })
	if i < 0 {
		return nil
	}
	u := users[i]
	if sameRoles(u.Roles, rc.Roles) {
		rc.Local = true
		return nil
	}
	u.Roles = slices.Clone(rc.Roles)
	if err := us.UpdateUser(&u); err != nil {
		return err
	}
	rc.Local = true
	return nil
}

// sameRoles reports whether a and b hold the same roles, in any order.
func sameRoles(a, b []data.Role) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
