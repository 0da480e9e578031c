package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// A state change is written by Enlace: its row and its detail offer no
// Corregir, and the quick-add row does not offer the kind.
func TestTimelineSystemEntriesHaveNoCorrect(t *testing.T) {
	u, store := peopleTestApp(t, ana())
	hits, _ := store.Search("", 1)
	id := hits[0].ID
	st := data.Event{PersonID: id, At: peopleNow.Add(-time.Hour), Kind: data.EventStatus, Text: "Derivación: Recibida → Incluida"}
	note := data.Event{PersonID: id, At: peopleNow.Add(-2 * time.Hour), Kind: data.EventNote, Text: "Nota a mano"}
	for _, e := range []*data.Event{&st, &note} {
		if err := store.AddEvent(e, "Técnico"); err != nil {
			t.Fatal(err)
		}
	}
	u.people.openPerson(id)
	tl := u.people.page.tl
	rows := listRows(tl.list)
	if len(rows) != 2 {
		t.Fatalf("rows = %q", rows)
	}
	if !strings.Contains(rows[0], "Cambio de estado") || strings.Contains(rows[0], "[Corregir]") {
		t.Errorf("state-change row = %q, want no [Corregir]", rows[0])
	}
	if !strings.Contains(rows[1], "[Corregir]") {
		t.Errorf("note row = %q, want [Corregir]", rows[1])
	}
	tl.showDetail(tl.events[0])
	if top := u.win.Canvas().Overlays().Top(); top == nil || !slices.Contains(shownTexts(top), "[Cerrar]") || slices.Contains(shownTexts(top), "[Corregir]") {
		t.Errorf("state-change detail = %q, want no [Corregir]", shownTexts(top))
	}
	if slices.Contains(tl.kind.Options, "Cambio de estado") {
		t.Errorf("quick-add kinds %q offer Cambio de estado", tl.kind.Options)
	}
}
