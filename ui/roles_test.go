package ui

import (
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// asTechnician unlocks store as a técnico (who may edit people and
// propose, and nothing else) and tells u.
func asTechnician(t *testing.T, u *App, store *data.Store) {
	t.Helper()
	tec := data.User{Login: "tec", Name: "Técnica", Roles: []data.Role{data.RoleTechnician}}
	if err := store.CreateUser(&tec, "frase de la técnica"); err != nil {
		t.Fatal(err)
	}
	if err := store.Reauth("tec", "frase de la técnica"); err != nil {
		t.Fatal(err)
	}
	u.refreshUser()
}

// TestButtonsFollowTheRoles: a técnico sees the coordinator's and the
// administrator's buttons disabled, not offered and then refused; their
// own stay enabled. Unlocking again as the coordinator brings them back.
func TestButtonsFollowTheRoles(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	u.win.Show()
	enabled := map[string]bool{
		"Exportar personas": !u.reports.exportPeople.Disabled(),
		"Nueva oficina":     !u.offices.newOfficeBtn.Disabled(),
		"Nuevo proyecto RI": !u.ri.newBtn.Disabled(),
		"Guardar programa":  !u.programme.form.save.Disabled(),
		"Nueva persona":     !findButton(t, u.people.content(), "Nueva persona").Disabled(),
	}
	for name, on := range enabled {
		if !on {
			t.Errorf("the coordinator-administrator sees %q disabled", name)
		}
	}
	asTechnician(t, u, store)
	for name, b := range map[string]bool{
		"Exportar personas": u.reports.exportPeople.Disabled(),
		"Nueva oficina":     u.offices.newOfficeBtn.Disabled(),
		"Nuevo proyecto RI": u.ri.newBtn.Disabled(),
		"Guardar programa":  u.programme.form.save.Disabled(),
	} {
		if !b {
			t.Errorf("a técnico is offered %q", name)
		}
	}
	if findButton(t, u.people.content(), "Nueva persona").Disabled() || findButton(t, u.people.content(), "Nueva derivación").Disabled() {
		t.Error("a técnico cannot add people or propose")
	}
	if err := store.Reauth(datatest.Login, datatest.Passphrase); err != nil {
		t.Fatal(err)
	}
	u.refreshUser()
	if u.offices.newOfficeBtn.Disabled() || u.reports.exportPeople.Disabled() {
		t.Error("back as the coordinator, the buttons stay disabled")
	}
}

// TestReferralStepsDisabledForATechnician: the referral's steps are the
// coordinator's; a técnico sees them disabled and why.
func TestReferralStepsDisabledForATechnician(t *testing.T) {
	fx := newReferralFixture(t)
	fx.propose(t, fx.jorge, data.FromOMIOPI)
	tec := data.User{Login: "tec", Name: "Técnica", Roles: []data.Role{data.RoleTechnician}}
	if err := fx.store.CreateUser(&tec, "frase de la técnica"); err != nil {
		t.Fatal(err)
	}
	if err := fx.store.Reauth("tec", "frase de la técnica"); err != nil {
		t.Fatal(err)
	}
	fx.open()
	fx.s.trays.SelectIndex(int(trayDecide))
	fx.s.list.Select(0)
	b := findButton(t, fx.s.detail.actions, "Incluir")
	if !b.Disabled() {
		t.Error("a técnico is offered Incluir")
	}
	if got := strings.Join(shownTexts(fx.s.detail.actions), " "); !strings.Contains(got, "la coordinación decide") {
		t.Errorf("the detail does not say why: %q", got)
	}
}
