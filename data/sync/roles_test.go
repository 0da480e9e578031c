package sync

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// joinAs invites device for a user login with roles at admin, and joins
// it from a new store whose user is that login with those roles.
func joinAs(t *testing.T, admin office, dav *datatest.DAV, device, login string, roles ...data.Role) office {
	t.Helper()
	inv, err := Invite(admin.s, dav.Password, device, login, "Usuaria "+login, roles)
	if err != nil {
		t.Fatal(err)
	}
	o := datatest.Options(nil)
	o.Login, o.Name, o.Roles = login, "Usuaria "+login, roles
	s, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := Join(s, inv, dav.User, dav.Password); err != nil {
		t.Fatalf("%s joins: %v", device, err)
	}
	return office{name: device, s: s}
}

// step records a referral step at o's install (as its member, whatever
// its store's user may do) and syncs.
func (o office) step(t *testing.T, pw, referral string, a data.Action) data.Op {
	t.Helper()
	ss, err := OpenSession(o.s, pw)
	if err != nil {
		t.Fatalf("%s: %v", o.name, err)
	}
	defer ss.Close()
	op := record(t, ss.install, data.OpReferralStep, referral, "p-"+referral, stepData(a))
	if _, err := ss.Sync(time.Now()); err != nil {
		t.Fatalf("%s: sync: %v", o.name, err)
	}
	return op
}

// holds syncs o and says which of ops it applied, and the batches it
// holds back ("device/seq").
func (o office) holds(t *testing.T, pw string, ops ...data.Op) (applied []bool, refused []string) {
	t.Helper()
	o.sync(t, pw)
	ss, err := OpenSession(o.s, pw)
	if err != nil {
		t.Fatalf("%s: %v", o.name, err)
	}
	defer ss.Close()
	for _, op := range ops {
		applied = append(applied, ss.install.Journal().Has(op.ID))
	}
	for _, r := range ss.install.Refused() {
		refused = append(refused, r.key())
	}
	return applied, refused
}

// TestChangeRolesAcrossInstalls: a technician's install sends a
// verification, which the others refuse; the administrator makes her a
// section head. Her next batch, which verifies again, is accepted at
// another install at its next sync, and so is the one refused before
// (an added role covers it). A coordinator made a technician keeps the
// inclusion written before the change, at an install that reads it only
// after, while his inclusion written after is refused; the two installs
// agree.
func TestChangeRolesAcrossInstalls(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	north := office{name: "norte", s: datatest.Open(t, nil)}
	if _, err := Create(north.s, dav.URL("Enlace"), dav.User, pw, "norte"); err != nil {
		t.Fatal(err)
	}
	south := join(t, north, dav, "sur")
	tech := joinAs(t, north, dav, "tecnica", "tecnica", data.RoleTechnician)
	coord := joinAs(t, north, dav, "coordi", "coordi", data.RoleCoordinator)
	for _, o := range []office{north, south, tech, coord} {
		o.sync(t, pw)
	}

	before := tech.step(t, pw, "r1", data.ActVerifyYes)
	included := coord.step(t, pw, "r2", data.ActInclude)
	if applied, refused := south.holds(t, pw, before, included); applied[0] || !applied[1] || !slices.Equal(refused, []string{"tecnica/1"}) {
		t.Fatalf("before the change south applied %v and holds back %v, want the inclusion only and tecnica/1 refused", applied, refused)
	}

	rc, err := ChangeRoles(north.s, pw, "tecnica", []data.Role{data.RoleSectionHead}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rc.Devices, []string{"tecnica"}) || !slices.Equal(rc.Roles, []data.Role{data.RoleSectionHead}) {
		t.Errorf("the change: %+v", rc)
	}
	if _, err := ChangeRoles(north.s, pw, "coordi", []data.Role{data.RoleTechnician}, time.Now()); err != nil {
		t.Fatal(err)
	}
	tech.sync(t, pw) // reads the new member list
	after := tech.step(t, pw, "r3", data.ActVerifyYes)
	coord.sync(t, pw)
	late := coord.step(t, pw, "r4", data.ActInclude)

	applied, refused := south.holds(t, pw, before, after, included, late)
	if !slices.Equal(applied, []bool{true, true, true, false}) || !slices.Equal(refused, []string{"coordi/2"}) {
		t.Errorf("after the change south applied %v (verify before, verify after, include before, include after) and holds back %v, want all but the last and coordi/2",
			applied, refused)
	}
	// An install that reads everything only now judges it the same way.
	east := join(t, north, dav, "este")
	if a, r := east.holds(t, pw, before, after, included, late); !slices.Equal(a, applied) || !slices.Equal(r, refused) {
		t.Errorf("a new install applied %v and holds back %v, unlike south (%v, %v)", a, r, applied, refused)
	}
	if h, e := south.hash(t, pw), east.hash(t, pw); h != e {
		t.Errorf("south and east differ after the change: %s / %s", h, e)
	}
	ss, err := OpenSession(south.s, pw)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	if r := ss.install.Refused(); len(r) != 1 || r[0].Reason() != "el usuario Usuaria coordi (técnico/a) no puede incluir en el programa" {
		t.Errorf("south's refusal after the change: %+v", r)
	}
}

// TestChangeRolesRefused: what ChangeRoles refuses, each with the reason
// a user reads, and the local user that follows a change.
func TestChangeRolesRefused(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	north := office{name: "norte", s: datatest.Open(t, nil)}
	if _, err := Create(north.s, dav.URL("Enlace"), dav.User, pw, "norte"); err != nil {
		t.Fatal(err)
	}
	tech := joinAs(t, north, dav, "tecnica", "tecnica", data.RoleTechnician)
	for _, c := range []struct {
		name  string
		at    office
		login string
		roles []data.Role
		want  string
		is    error
	}{
		{"not the administrator's install", tech, "tecnica", []data.Role{data.RoleCoordinator}, "tarea de la administración", ErrNotAdmin},
		{"unknown login", north, "nadie", []data.Role{data.RoleTechnician}, "«nadie» no tiene ningún equipo", nil},
		{"unknown role", north, "tecnica", []data.Role{"jefa"}, "función desconocida: «jefa»", nil},
		{"no role", north, "tecnica", nil, "al menos una función", nil},
		{"the last administrator", north, datatest.Login, []data.Role{data.RoleCoordinator}, "no puede quitarse esa función", ErrLastAdmin},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ChangeRoles(c.at.s, pw, c.login, c.roles, time.Now())
			if err == nil || !strings.Contains(err.Error(), c.want) || c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}

	// North's store has a user tecnica too: the change gives her the roles
	// there as well (her record then syncs to every install).
	u := data.User{Login: "tecnica", Name: "Usuaria tecnica", Roles: []data.Role{data.RoleTechnician}}
	if err := north.s.CreateUser(&u, "otra contraseña larga"); err != nil {
		t.Fatal(err)
	}
	rc, err := ChangeRoles(north.s, pw, "tecnica", []data.Role{data.RoleCoordinator, data.RoleSectionHead}, time.Now())
	if err != nil || !rc.Local || !slices.Equal(rc.Roles, []data.Role{data.RoleSectionHead, data.RoleCoordinator}) {
		t.Fatalf("change: %+v, %v", rc, err)
	}
	users, _ := north.s.Users()
	for _, x := range users {
		if x.Login == "tecnica" && !sameRoles(x.Roles, rc.Roles) {
			t.Errorf("the local user tecnica has %v, want %v", x.Roles, rc.Roles)
		}
	}
	if rc, err := ChangeRoles(north.s, pw, "tecnica", rc.Roles, time.Now()); err != nil || len(rc.Devices) != 0 {
		t.Errorf("the same roles again: %+v, %v; want nothing changed", rc, err)
	}
}

// TestMemberRolesFor: the roles that judge a batch and a snapshot's
// operation, after two changes.
func TestMemberRolesFor(t *testing.T) {
	t1, t2 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	m := Member{Roles: []data.Role{data.RoleTechnician}, Earlier: []RoleSpan{
		{Roles: []data.Role{data.RoleTechnician}, Until: 3, At: t1},
		{Roles: []data.Role{data.RoleCoordinator}, Until: 7, At: t2},
	}}
	for _, c := range []struct {
		seq  uint64
		at   time.Time
		want []data.Role
	}{
		{1, t1.Add(-time.Hour), []data.Role{data.RoleCoordinator, data.RoleTechnician}},
		{7, t2, []data.Role{data.RoleCoordinator, data.RoleTechnician}},
		{8, t2.Add(time.Millisecond), []data.Role{data.RoleTechnician}},
	} {
		if got := m.rolesFor(c.seq); !slices.Equal(got, c.want) {
			t.Errorf("batch %d: %v, want %v", c.seq, got, c.want)
		}
		if got := m.rolesAt(c.at.UnixMilli()); !slices.Equal(got, c.want) {
			t.Errorf("operation at %v: %v, want %v", c.at, got, c.want)
		}
	}
}

// TestInviteRemoveNeedAnAdministrator: at the administrator's install,
// unlocked by a technician, Invite and Remove refuse, naming who may:
// the install's keys are not enough to let anyone in or out of the space.
func TestInviteRemoveNeedAnAdministrator(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	north := office{name: "norte", s: datatest.Open(t, nil)}
	if _, err := Create(north.s, dav.URL("Enlace"), dav.User, pw, "norte"); err != nil {
		t.Fatal(err)
	}
	joinAs(t, north, dav, "sur", "tecnica", data.RoleTechnician)
	u := data.User{Login: "tecnica", Name: "Usuaria tecnica", Roles: []data.Role{data.RoleTechnician}}
	if err := north.s.CreateUser(&u, "otra contraseña larga"); err != nil {
		t.Fatal(err)
	}
	path := north.s.Path()
	if err := north.s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(path, &data.Options{Login: "tecnica", Passphrase: "otra contraseña larga", KDF: datatest.KDF})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Invite(s, pw, "este", "tecnica", "Usuaria tecnica", []data.Role{data.RoleAdmin}); err == nil ||
		err.Error() != "invitar un equipo al espacio es tarea de la administración; Usuaria tecnica no lo es" {
		t.Errorf("a technician at the administrator's install invites: %v", err)
	}
	if _, err := Remove(s, pw, "sur"); err == nil ||
		err.Error() != "retirar equipos del espacio es tarea de la administración; Usuaria tecnica no lo es" {
		t.Errorf("a technician at the administrator's install removes: %v", err)
	}
}
