package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

func auditTexts(a *auditList) []string {
	var out []string
	for _, e := range a.entries {
		head, body := a.lines(e)
		out = append(out, head+" | "+body)
	}
	return out
}

func TestPersonAuditTabShowsWhoChangedWhat(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("ana", 1)
	p, _ := store.Person(hits[0].ID)
	p.Phone1 = "699112233"
	if err := store.UpdatePerson(&p, "x"); err != nil {
		t.Fatal(err)
	}
	u.win.Show()
	u.showPerson(p.ID)
	a := u.people.page.audit
	rows := auditTexts(a)
	if len(rows) != 2 || !strings.Contains(rows[0], "Cambio · Persona") || !strings.Contains(rows[0], datatest.Name) ||
		!strings.Contains(rows[0], "| Teléfono 1: 612345678 → 699112233") || !strings.Contains(rows[1], "Alta · Persona | Datos: Nombre, Apellidos") {
		t.Errorf("Registro tab rows = %q", rows)
	}
	if !a.export.Visible() || !strings.Contains(a.status.Text, "2 entradas") {
		t.Errorf("status %q, export visible %v", a.status.Text, a.export.Visible())
	}
}

// TestPersonAuditTabIsReadAgainWhenOpened: an entry written on the
// Historial tab is in the Registro tab the moment it is opened, without
// leaving the person.
func TestPersonAuditTabIsReadAgainWhenOpened(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("ana", 1)
	u.win.Show()
	u.showPerson(hits[0].ID)
	pg := u.people.page
	e := data.Event{PersonID: hits[0].ID, At: store.Now(), Kind: data.EventCall, Text: "Llamada de bienvenida"}
	if err := store.AddEvent(&e, "x"); err != nil {
		t.Fatal(err)
	}
	for _, tab := range pg.tabs.Items {
		if tab.Content == pg.audit.root {
			pg.tabs.Select(tab)
		}
	}
	rows := auditTexts(pg.audit)
	if len(rows) == 0 || !strings.Contains(rows[0], "Alta · Historial | Datos: Fecha, Tipo, Texto") {
		t.Errorf("Registro tab after a call was written: %q", rows)
	}
}

func TestTechnicianCannotReadTheLog(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	tec := data.User{Login: "tec", Name: "Técnica", Roles: []data.Role{data.RoleTechnician}}
	if err := store.CreateUser(&tec, "frase de la técnica"); err != nil {
		t.Fatal(err)
	}
	if err := store.Reauth("tec", "frase de la técnica"); err != nil {
		t.Fatal(err)
	}
	p := newAuditPanel(u)
	w := test.NewWindow(p.content())
	defer w.Close()
	p.list.show()
	if len(p.list.entries) != 0 || p.list.export.Visible() || !strings.Contains(p.list.status.Text, "Solo la jefatura de sección") {
		t.Errorf("a técnico sees %d entries, status %q", len(p.list.entries), p.list.status.Text)
	}
}
