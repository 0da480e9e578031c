package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

func TestReferralVerifyMovesToDecide(t *testing.T) {
	fx := newReferralFixture(t)
	fx.propose(t, fx.ana, data.FromAE)
	s := fx.open()

	fx.wantTabs(t, "Por verificar (1)", "Por decidir (0)", "Todas (1)")
	rows := listRows(s.list)
	if len(rows) != 1 || !strings.Contains(rows[0], "Ana María Pérez López") ||
		!strings.Contains(rows[0], "Propuesta") || !strings.Contains(rows[0], "AE → OMIOPI") ||
		!strings.Contains(rows[0], "25/11/2026") || !strings.Contains(rows[0], "arraigo") {
		t.Fatalf("Por verificar rows = %q", rows)
	}
	s.list.Select(0)
	if got := fx.buttons(); strings.Join(got, ",") != "Verificar: Sí,Verificar: No" {
		t.Errorf("buttons = %q, want exactly what Allowed gives", got)
	}
	for _, want := range []string{"Laura Martín", "Agencia de Zona Tetuán", "2026/AE/000123",
		"1–2 años de experiencia en España con estudios superiores", "Busca contrato para el arraigo"} {
		if !strings.Contains(fx.detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, fx.detail())
		}
	}

	for _, id := range []string{fx.aeTech.ID, fx.ae.ID, fx.ana} {
		if strings.Contains(fx.detail(), id) {
			t.Errorf("detail shows an ID %q:\n%s", id, fx.detail())
		}
	}

	f := fx.act(t, "Verificar: Sí")
	fx.confirm(t, f)

	fx.wantTabs(t, "Por verificar (0)", "Por decidir (1)")
	if s.current() != trayDecide {
		t.Errorf("tray on show = %d, want Por decidir", s.current())
	}
	if rows := listRows(s.list); len(rows) != 1 || !strings.Contains(rows[0], "Verificada por jefatura") {
		t.Errorf("Por decidir rows = %q", rows)
	}
	if s.indexOf(s.selected) != 0 {
		t.Errorf("the verified referral is not selected")
	}
	for _, want := range []string{"Propuesta → Verificada por jefatura", datatest.Name, "25/11/2026 10:00"} {
		if !strings.Contains(fx.detail(), want) {
			t.Errorf("history lacks %q:\n%s", want, fx.detail())
		}
	}
	if got := strings.Join(fx.buttons(), ","); got != "Incluir,Excluir" {
		t.Errorf("buttons after verifying = %q", got)
	}
}

func TestReferralIncludeOverridesProposedExclusion(t *testing.T) {
	fx := newReferralFixture(t)
	fx.propose(t, fx.dni, data.FromOMIOPI)
	s := fx.open()
	s.trays.SelectIndex(int(trayDecide))
	s.list.Select(0)

	row := s.list.CreateItem()
	s.list.UpdateItem(0, row)
	if icon := row.(*fyne.Container).Objects[1].(*fyne.Container).Objects[0].(*widget.Icon); icon.Resource == nil {
		t.Error("no warning icon on a referral with an automatic exclusion proposal")
	}
	if !strings.Contains(fx.detail(), "Se propone excluir: Tiene DNI español") {
		t.Errorf("detail does not show the proposal:\n%s", fx.detail())
	}

	f := fx.act(t, "Incluir")
	body := strings.Join(shownTexts(f.content), "\n")
	if !strings.Contains(body, "Se propuso excluir a esta persona porque:") || !strings.Contains(body, "¿Incluirla igualmente?") {
		t.Errorf("include dialog = %q", body)
	}
	if f.confirm.Text != "Incluir igualmente" {
		t.Errorf("confirm button = %q", f.confirm.Text)
	}
	test.Type(f.reason, "Su DNI es reciente y necesita orientación")
	fx.confirm(t, f)

	fx.wantTabs(t, "Por decidir (0)", "Derivadas (1)")
	for _, want := range []string{"Propuesta → Incluida", "Incluida pese a la exclusión propuesta", "Su DNI es reciente"} {
		if !strings.Contains(fx.detail(), want) {
			t.Errorf("history lacks %q:\n%s", want, fx.detail())
		}
	}
}

func TestReferralExcludeNeedsAReason(t *testing.T) {
	fx := newReferralFixture(t)
	fx.propose(t, fx.jorge, data.FromOMIOPI)
	dniID := fx.propose(t, fx.dni, data.FromOMIOPI)
	s := fx.open()
	s.trays.SelectIndex(int(trayDecide))
	s.selected = dniID
	s.refresh()

	t.Run("the rule's reason is preselected", func(t *testing.T) {
		f := fx.act(t, "Excluir")
		if got := f.exclusion.Selected; got != data.ExclusionLabel(data.ExclusionDNI) {
			t.Errorf("preselected reason = %q", got)
		}
		fx.u.dismissTop()
	})

	i := -1
	for j, r := range s.shown {
		if r.PersonID == fx.jorge {
			i = j
		}
	}
	s.list.Select(i)
	f := fx.act(t, "Excluir")
	if f.exclusion.Selected != "" {
		t.Errorf("a reason is preselected with no rule fired: %q", f.exclusion.Selected)
	}
	test.Tap(f.confirm)
	if fx.s.form == nil {
		t.Fatal("dialog closed without a reason")
	}
	if m := f.marks.fields["Exclusion"]; !m.Visible() || m.Text != "Elija el motivo de la exclusión." {
		t.Errorf("reason mark = %q (visible %v)", m.Text, m.Visible())
	}

	f.exclusion.SetSelected("Otro motivo")
	test.Tap(f.confirm)
	if m := f.marks.fields["Reason"]; fx.s.form == nil || m.Text != "Explique el motivo de la exclusión." {
		t.Fatalf("«otro» without explanation: mark %q, open %v", m.Text, fx.s.form != nil)
	}
	if m := f.marks.fields["Exclusion"]; m.Visible() {
		t.Errorf("stale mark on the reason: %q", m.Text)
	}
	test.Type(f.reason, "Se ha mudado a Valencia")
	fx.confirm(t, f)

	fx.wantTabs(t, "Por decidir (1)", "Cerradas (1)")
	for _, want := range []string{"Excluida", "Motivo de exclusión", "Otro motivo", "Propuesta → Excluida", "Se ha mudado a Valencia"} {
		if !strings.Contains(fx.detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, fx.detail())
		}
	}
	if got := strings.Join(fx.buttons(), ","); got != "Reabrir" {
		t.Errorf("buttons of an excluded referral = %q", got)
	}
}

func TestReferralRouteToTwoAreas(t *testing.T) {
	fx := newReferralFixture(t)
	id := fx.propose(t, fx.jorge, data.FromOMIOPI)
	fx.apply(t, id, data.Change{Action: data.ActInclude})
	s := fx.open()
	s.trays.SelectIndex(int(trayRouted))
	s.list.Select(0)
	if got := strings.Join(fx.buttons(), ","); got != "Derivar a área,Cerrar" {
		t.Errorf("buttons of an included referral = %q", got)
	}

	f := fx.act(t, "Derivar a área")
	test.Tap(f.confirm)
	if m := f.marks.fields["Areas"]; fx.s.form == nil || !strings.HasPrefix(m.Text, "Elija al menos un área") {
		t.Fatalf("no area: mark %q", m.Text)
	}
	f.areas.SetSelected([]string{"Empleo", "Jurídico"})
	fx.confirm(t, f)

	if rows := listRows(s.list); len(rows) != 1 || !strings.Contains(rows[0], "Jurídico, Empleo") ||
		!strings.Contains(rows[0], "Derivada a área") {
		t.Errorf("Derivadas rows = %q", rows)
	}
	if !strings.Contains(fx.detail(), "Incluida → Derivada a área") || !strings.Contains(fx.detail(), "Áreas: Jurídico, Empleo") {
		t.Errorf("history:\n%s", fx.detail())
	}
	f = fx.act(t, "Derivar a área")
	if got := strings.Join(f.areas.Selected, ","); got != "Jurídico,Empleo" {
		t.Errorf("routing again preselects %q", got)
	}
	fx.u.dismissTop()

	test.Tap(findButton(t, s.detail.actions, "Pasar a seguimiento")) // needs nothing more: no dialog
	if fx.s.form != nil {
		t.Error("Pasar a seguimiento opened a dialog")
	}
	fx.wantTabs(t, "Derivadas (0)", "En seguimiento (1)")
	if s.current() != trayFollowUp || s.indexOf(id) != 0 {
		t.Error("the referral is not selected in En seguimiento")
	}
}

func TestReferralCloseWithOutcomeAndReopen(t *testing.T) {
	fx := newReferralFixture(t)
	id := fx.propose(t, fx.jorge, data.FromOMIOPI)
	fx.apply(t, id, data.Change{Action: data.ActInclude},
		data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaEmployment}},
		data.Change{Action: data.ActFollowUp})
	s := fx.open()
	fx.wantTabs(t, "En seguimiento (1)", "Derivadas (0)")
	s.trays.SelectIndex(int(trayFollowUp))
	s.list.Select(0)

	f := fx.act(t, "Cerrar")
	test.Tap(f.confirm)
	if m := f.marks.fields["Outcome"]; fx.s.form == nil || m.Text != "Elija el resultado con el que se cierra." {
		t.Fatalf("no outcome: mark %q", m.Text)
	}
	f.outcome.SetSelected("Inserción laboral")
	test.Type(f.reason, "Contrato de 12 meses en hostelería")
	fx.confirm(t, f)

	fx.wantTabs(t, "En seguimiento (0)", "Cerradas (1)")
	if s.current() != trayClosed {
		t.Errorf("tray on show = %d, want Cerradas", s.current())
	}
	for _, want := range []string{"En seguimiento → Cerrada", "Resultado: Inserción laboral", "Contrato de 12 meses"} {
		if !strings.Contains(fx.detail(), want) {
			t.Errorf("history lacks %q:\n%s", want, fx.detail())
		}
	}

	f = fx.act(t, "Reabrir")
	test.Tap(f.confirm)
	if m := f.marks.fields["Reason"]; fx.s.form == nil || m.Text != "Explique por qué se reabre." {
		t.Fatalf("reopen without reason: mark %q", m.Text)
	}
	test.Type(f.reason, "El contrato no llegó a firmarse")
	fx.confirm(t, f)

	fx.wantTabs(t, "En seguimiento (1)", "Cerradas (0)")
	if s.current() != trayFollowUp || s.indexOf(id) != 0 {
		t.Errorf("the reopened referral is not shown in En seguimiento")
	}
	if !strings.Contains(fx.detail(), "Cerrada → En seguimiento") || !strings.Contains(fx.detail(), "El contrato no llegó a firmarse") {
		t.Errorf("history:\n%s", fx.detail())
	}
}

func TestReferralFiltersNarrowTheCounts(t *testing.T) {
	fx := newReferralFixture(t)
	fx.propose(t, fx.ana, data.FromAE)
	fx.propose(t, fx.jorge, data.FromOMIOPI)
	s := fx.open()
	fx.wantTabs(t, "Por verificar (1)", "Por decidir (1)", "Todas (2)")

	s.office.SetSelected("OMIOPI Centro")
	fx.wantTabs(t, "Por verificar (0)", "Por decidir (1)", "Todas (1)")
	s.office.SetSelected("Todas las oficinas")
	s.direction.SetSelected("AE → OMIOPI")
	fx.wantTabs(t, "Por verificar (1)", "Por decidir (0)", "Todas (1)")
	s.direction.SetSelectedIndex(0)
	s.state.SetSelected("Propuesta")
	fx.wantTabs(t, "Todas (2)")
	s.area.SetSelected("Empleo")
	fx.wantTabs(t, "Todas (0)")
	s.trays.SelectIndex(int(trayAll))
	if !s.listEmpty.Visible() || s.listEmpty.Text != "Ninguna derivación de esta bandeja coincide con los filtros." {
		t.Errorf("empty list says %q", s.listEmpty.Text)
	}
}

func TestReferralWeeklyFollowUpListsStaleCases(t *testing.T) {
	fx := newReferralFixture(t)
	stale := fx.propose(t, fx.ana, data.FromAE)
	fx.apply(t, stale, data.Change{Action: data.ActVerifyYes}, data.Change{Action: data.ActInclude},
		data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaLegal, data.AreaTraining}})
	never := fx.propose(t, fx.jorge, data.FromOMIOPI)
	fx.apply(t, never, data.Change{Action: data.ActInclude})
	fresh := fx.propose(t, fx.dni, data.FromOMIOPI)
	fx.apply(t, fresh, data.Change{Action: data.ActInclude})
	for _, e := range []data.Event{
		{PersonID: fx.ana, Kind: data.EventCall, At: referralNow.Add(-10 * 24 * time.Hour), Text: "Llamada de seguimiento"},
		{PersonID: fx.ana, Kind: data.EventNote, At: referralNow.Add(-2 * 24 * time.Hour), Text: "Una nota no es contacto"},
		{PersonID: fx.dni, Kind: data.EventVisit, At: referralNow.Add(-2 * 24 * time.Hour), Text: "Cita en la oficina"},
	} {
		if err := fx.store.AddEvent(&e, "semilla"); err != nil {
			t.Fatal(err)
		}
	}
	s := fx.open()
	fx.wantTabs(t, "Seguimiento semanal (2)")
	s.trays.SelectIndex(int(trayWeekly))
	if !s.weekly.content().Visible() || s.inbox.Visible() {
		t.Fatal("the weekly follow-up is not on show")
	}
	rows := listRows(s.weekly.list)
	if len(rows) != 2 {
		t.Fatalf("follow-up rows = %q, want the two stale cases", rows)
	}
	for _, want := range []string{"Jorge Castillo Ramos", "Sin contacto registrado", "[Abrir ficha para anotar la llamada]"} {
		if !strings.Contains(rows[0], want) {
			t.Errorf("first row %q lacks %q (longest without contact first)", rows[0], want)
		}
	}
	for _, want := range []string{"Ana María Pérez López", "Jurídico, Formación", "Último contacto: 15/11/2026, hace 10 días"} {
		if !strings.Contains(rows[1], want) {
			t.Errorf("second row %q lacks %q", rows[1], want)
		}
	}
	if anyContains(rows, "Carmen") {
		t.Errorf("a case contacted 2 days ago is listed: %q", rows)
	}
}

func TestReferralFollowUpOpensPersonPage(t *testing.T) {
	fx := newReferralFixture(t)
	id := fx.propose(t, fx.jorge, data.FromOMIOPI)
	fx.apply(t, id, data.Change{Action: data.ActInclude})
	u := New(fx.u.app, fx.store, "test")
	u.showPerson(fx.ana) // someone else is on show, selected in the list
	u.people.page.tabs.SelectIndex(1)
	u.showReferrals()
	s := u.referrals
	s.trays.SelectIndex(int(trayWeekly))
	row := s.weekly.list.CreateItem()
	s.weekly.list.UpdateItem(0, row)
	test.Tap(findButton(t, row, "Abrir ficha para anotar la llamada"))
	if u.tabs.SelectedIndex() != 0 || u.people.selected != fx.jorge {
		t.Fatalf("tab %d, person %q: want Jorge's page", u.tabs.SelectedIndex(), u.people.selected)
	}
	p := u.people
	if h := p.highlighted; h < 0 || h >= len(p.hits) || p.hits[h].ID != fx.jorge {
		t.Errorf("the list highlights row %d, not Jorge's", h)
	}
	pg := p.page
	if got := pg.tabs.Selected().Text; got != "Historial" {
		t.Errorf("tab %q on show, want the Historial to note the call", got)
	}
	if got := pg.tl.kind.Selected; got != "Llamada" {
		t.Errorf("kind %q, want Llamada", got)
	}
	if u.win.Canvas().Focused() != pg.tl.text {
		t.Errorf("focus on %T, want the note's text", u.win.Canvas().Focused())
	}
}

// TestReferralScreenshots writes PNGs of the inbox to the folder named by
// ENLACE_SHOTS, to look at the layout; it is skipped otherwise.
func TestReferralScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fx := newReferralFixture(t)
	r1 := fx.propose(t, fx.ana, data.FromAE)
	fx.apply(t, r1, data.Change{Action: data.ActVerifyYes})
	fx.propose(t, fx.dni, data.FromOMIOPI)
	r3 := fx.propose(t, fx.jorge, data.FromOMIOPI)
	fx.apply(t, r3, data.Change{Action: data.ActInclude}, data.Change{Action: data.ActRoute, Areas: []data.Area{data.AreaLegal, data.AreaEmployment}})
	call := data.Event{PersonID: fx.jorge, Kind: data.EventCall, At: referralNow.Add(-9 * 24 * time.Hour), Text: "Llamada"}
	if err := fx.store.AddEvent(&call, "semilla"); err != nil {
		t.Fatal(err)
	}
	u := New(fx.u.app, fx.store, "test")
	u.win.Resize(fyne.NewSize(1280, 800))
	u.showReferrals()
	s := u.referrals
	s.trays.SelectIndex(int(trayDecide))
	s.list.Select(0)
	shotWindow(t, u.win, filepath.Join(dir, "referrals-inbox.png"))
	s.onAction(data.ActInclude)
	shotWindow(t, u.win, filepath.Join(dir, "referrals-include.png"))
	u.dismissTop()
	for i, r := range s.shown {
		if r.PersonID == fx.ana { // no rule fired: no reason preselected
			s.list.Select(i)
		}
	}
	s.onAction(data.ActExclude)
	test.Tap(s.form.confirm) // no reason chosen: data's message in red
	shotWindow(t, u.win, filepath.Join(dir, "referrals-exclude.png"))
	u.dismissTop()
	s.trays.SelectIndex(int(trayRouted))
	s.list.Select(0)
	s.onAction(data.ActRoute)
	shotWindow(t, u.win, filepath.Join(dir, "referrals-route.png"))
	u.dismissTop()
	s.onAction(data.ActClose)
	shotWindow(t, u.win, filepath.Join(dir, "referrals-close.png"))
	u.dismissTop()
	s.trays.SelectIndex(int(trayWeekly))
	shotWindow(t, u.win, filepath.Join(dir, "referrals-weekly.png"))
}
