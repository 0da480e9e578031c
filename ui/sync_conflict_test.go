package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// personRowFlagged reports whether the people list's row of person
// shows the warning of simultaneous changes.
func personRowFlagged(t *testing.T, s *peopleScreen, person string) bool {
	t.Helper()
	i := s.indexOf(person)
	if i < 0 {
		t.Fatalf("the people list does not show %s", person)
	}
	o := s.list.CreateItem()
	s.list.UpdateItem(i, o)
	return o.(*fyne.Container).Objects[1].(*widget.Icon).Visible()
}

// TestFichaShowsSimultaneousChanges: two offices change the same
// person's address before syncing. At the coordinator's install, after
// the sync and after a restart, the people list marks the person and the
// ficha says "Cambios simultáneos en esta ficha — revisar"; its button
// opens the review of that person only; once reviewed, the strip and the
// mark are gone, and at the other office too after it syncs.
func TestFichaShowsSimultaneousChanges(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	p := data.Person{FirstName: "Maica", LastName: "Chenichero", Phone1: "612345678", Address: "Calle Mayor 1"}
	if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	other := data.Person{FirstName: "Rosa", LastName: "Quiroga", Phone1: "698765432"}
	if err := north.store.CreatePerson(&other, datatest.Name); err != nil {
		t.Fatal(err)
	}
	south, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleTechnician)

	setAddress(t, north, p.ID, "Calle de Alcalá 10")
	time.Sleep(5 * time.Millisecond)
	setAddress(t, south, p.ID, "Paseo del Prado 2")
	test.Tap(sp.nowBtn)
	waitSync(t, sdone)
	test.Tap(np.nowBtn)
	waitSync(t, ndone)

	// Restart north: the whole window over the same file, reopened.
	path := north.store.Path()
	if err := north.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	u := New(fyne.CurrentApp(), store, "test")
	u.sync.keyring = backup.Memory()
	u.sync.password = dav.Password
	synced := make(chan struct{}, 8)
	u.sync.synced = func() { synced <- struct{}{} }

	if !personRowFlagged(t, u.people, p.ID) || personRowFlagged(t, u.people, other.ID) {
		t.Errorf("after the restart the list flags %s: %v, %s: %v; want only the person changed at both offices",
			p.FirstName, personRowFlagged(t, u.people, p.ID), other.FirstName, personRowFlagged(t, u.people, other.ID))
	}
	u.showPerson(other.ID)
	if u.people.page.clash.root.Visible() {
		t.Errorf("%s's ficha shows the strip: %q", other.FirstName, u.people.page.clash.text.Text)
	}
	u.showPerson(p.ID)
	strip := u.people.page.clash
	if !strip.root.Visible() || strip.text.Text != "Cambios simultáneos en esta ficha — revisar" || !strip.review.Visible() {
		t.Fatalf("the ficha's strip: visible %v, %q, button %v", strip.root.Visible(), strip.text.Text, strip.review.Visible())
	}
	if shown := strings.Join(shownTexts(u.people.page.content()), " | "); !strings.Contains(shown, "Cambios simultáneos en esta ficha — revisar | [Revisar]") {
		t.Errorf("the page shows %q", shown)
	}

	test.Tap(strip.review)
	if len(u.dialogs) != 1 || u.sync.reviewList == nil {
		t.Fatalf("Revisar opened %d dialogs", len(u.dialogs))
	}
	review := strings.Join(shownTexts(u.sync.reviewList), " | ")
	for _, want := range []string{"Maica Chenichero", "Dirección: cambiado en dos equipos a la vez",
		"Aplicado: Paseo del Prado 2", "El otro: Calle de Alcalá 10"} {
		if !strings.Contains(review, want) {
			t.Errorf("the person's review shows %q, want %q in it", review, want)
		}
	}
	test.Tap(findButton(t, u.sync.reviewList, "Mantener el aplicado"))
	if strip.root.Visible() || personRowFlagged(t, u.people, p.ID) {
		t.Errorf("after the review: strip visible %v (%q), row flagged %v", strip.root.Visible(), strip.text.Text, personRowFlagged(t, u.people, p.ID))
	}
	waitSync(t, synced) // the review goes out at once
	test.Tap(sp.nowBtn)
	waitSync(t, sdone)
	if south.store.HasSyncConflicts(p.ID) || len(sp.conflicts) != 0 {
		t.Errorf("south still flags the person after the review reached it (%d conflicts)", len(sp.conflicts))
	}
	pg := newPersonPage(south, nil)
	if err := pg.show(p.ID); err != nil {
		t.Fatal(err)
	}
	if pg.clash.root.Visible() {
		t.Errorf("south's ficha still shows %q", pg.clash.text.Text)
	}
}
