package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// memberRoles are the roles of device in the panel's list of devices.
func memberRoles(p *syncPanel, device string) []data.Role {
	i := slices.IndexFunc(p.members, func(m esync.Member) bool { return m.Device == device })
	if i < 0 {
		return nil
	}
	return p.members[i].Roles
}

// TestSyncChangeRoles: the administrator picks a technician in
// «Cambiar funciones…», the dialog ticks her roles, she is made a section
// head, and the panel says so and lists her new roles after the sync
// that follows. Taking the administrator's own role is refused with the
// reason; an install that joined has no such button.
func TestSyncChangeRoles(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	_, sp, _ := joinSouth(t, dav, np, ndone, data.RoleTechnician)
	if _, err := esync.Invite(north.store, dav.Password, "oeste", "laura", "Laura Oeste", []data.Role{data.RoleTechnician}); err != nil {
		t.Fatal(err)
	}
	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	if !np.roles.Visible() || np.roles.Disabled() || !np.compactBtn.Visible() {
		t.Fatal("the administrator's install shows no «Cambiar funciones…» or «Compactar ahora»")
	}
	if sp.roles.Visible() || sp.compactBtn.Visible() {
		t.Error("a joined install offers the administrator's tools")
	}

	test.Tap(np.roles)
	if np.rolesPick == nil || !slices.Equal(np.rolesPick.Options, []string{"Persona de Pruebas (prueba)", "Laura Oeste (laura)"}) {
		t.Fatalf("Cambiar funciones offers %v", np.rolesPick.Options)
	}
	np.rolesPick.SetSelectedIndex(1)
	if !slices.Equal(np.rolesCheck.Selected, []string{"Técnico/a"}) {
		t.Errorf("picking Laura ticks %v, want her role", np.rolesCheck.Selected)
	}
	np.rolesCheck.SetSelected([]string{"Jefe/a de sección"})
	confirmTop(t, north, "Cambiar")
	waitSync(t, ndone) // the change, then the sync that shows the new list
	if np.rolesResult != "Funciones de Laura Oeste (laura): Jefe/a de sección. Equipos: oeste. Las demás oficinas lo aplican al sincronizar." {
		t.Errorf("after the change the panel said %q", np.rolesResult)
	}
	if got := memberRoles(np, "oeste"); !slices.Equal(got, []data.Role{data.RoleSectionHead}) {
		t.Errorf("oeste has %v after the change", got)
	}
	if !strings.Contains(np.devices.Text, "oeste — Laura Oeste (Jefe/a de sección)") {
		t.Errorf("the list of devices: %q", np.devices.Text)
	}
	north.dismissTop()

	test.Tap(np.roles)
	np.rolesPick.SetSelectedIndex(0)
	np.rolesCheck.SetSelected([]string{"Coordinador/a"})
	confirmTop(t, north, "Cambiar")
	waitSync(t, ndone)
	if !strings.HasPrefix(np.rolesResult, "No se pudieron cambiar las funciones: ") || !strings.Contains(np.rolesResult, "no puede quitarse esa función") {
		t.Errorf("taking the administrator's role: %q", np.rolesResult)
	}
	if got := memberRoles(np, "norte"); !slices.Contains(got, data.RoleAdmin) {
		t.Errorf("norte lost the role: %v", got)
	}
}

// TestUsersRolesFollowToSpace: at the administrator's install, changing
// a user's roles in Ajustes → Usuarios changes her devices' roles in the
// space too; at an install that joined, the panel says the
// administration must.
func TestUsersRolesFollowToSpace(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	_, sp, _ := joinSouth(t, dav, np, ndone, data.RoleTechnician)
	laura := data.User{Login: "laura", Name: "Laura Oeste", Roles: []data.Role{data.RoleTechnician}}
	if err := north.store.CreateUser(&laura, "una contraseña larga"); err != nil {
		t.Fatal(err)
	}
	if _, err := esync.Invite(north.store, dav.Password, "oeste", "laura", "Laura Oeste", laura.Roles); err != nil {
		t.Fatal(err)
	}
	test.Tap(np.nowBtn)
	waitSync(t, ndone)

	north.users = newUsersPanel(north)
	f := north.users.openUserForm(laura)
	f.roles.SetSelected([]string{"Coordinador/a"})
	f.onSave()
	waitSync(t, ndone)
	if got := memberRoles(np, "oeste"); !slices.Equal(got, []data.Role{data.RoleCoordinator}) {
		t.Errorf("oeste has %v in the space after Usuarios made Laura a coordinator (panel said %q)", got, np.rolesResult)
	}

	sp.followUser(data.User{Login: datatest.Login, Roles: []data.Role{data.RoleTechnician}})
	if !strings.Contains(sp.rolesResult, "no cambian desde este equipo") || !strings.Contains(sp.rolesResult, "Cambiar funciones") {
		t.Errorf("at a joined install: %q", sp.rolesResult)
	}
}

// TestSyncCompactNow: «Compactar ahora» says what it does, and confirmed,
// writes a snapshot and takes this install's batches the other has read
// off the server (Apache), saying so.
func TestSyncCompactNow(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	p := data.Person{FirstName: "Maica", LastName: "Chenichero", Phone1: "612345678"}
	if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	joinSouth(t, dav, np, ndone, data.RoleTechnician) // norte ships Maica at its first sync; sur reads her
	batches := filepath.Join(dav.Dir, "Enlace", "devices", "norte", "ops")
	if before, _ := os.ReadDir(batches); len(before) == 0 {
		t.Fatal("norte has no batch on the server")
	}

	test.Tap(np.compactBtn)
	if len(north.dialogs) != 1 {
		t.Fatalf("Compactar ahora opened %d dialogs, want its confirmation", len(north.dialogs))
	}
	confirmTop(t, north, "Compactar")
	waitSync(t, ndone)
	if !strings.HasPrefix(np.compacted, "Instantánea n.º 1 escrita (") || !strings.HasSuffix(np.compacted, "retirados del servidor: 1.") {
		t.Errorf("after compacting the panel said %q", np.compacted)
	}
	if after, _ := os.ReadDir(batches); len(after) != 0 {
		t.Errorf("%d of norte's batches are still on the server", len(after))
	}
	if len(north.dialogs) != 1 || np.nowBtn.Disabled() || np.compactBtn.Disabled() {
		t.Errorf("%d dialogs open after compacting (want the result only); buttons disabled: %v, %v",
			len(north.dialogs), np.nowBtn.Disabled(), np.compactBtn.Disabled())
	}
}
