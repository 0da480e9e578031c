package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// TestRefusedBatchShownAndSkipped: the south office's computer is a
// technician's in the space, but its user may include locally (its own
// database gives it every role). It sends a proposal, then an inclusion,
// then a note, each in a batch of its own. The administrator's install
// applies the proposal and refuses the inclusion: Sincronización lists
// the refused batch (computer, user, when, why) and the strip counts it,
// while the note waits behind it. "Omitir este lote", confirmed, applies
// the note and never the inclusion, empties the list and is in the
// change log.
func TestRefusedBatchShownAndSkipped(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	south, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleTechnician)

	person := data.Person{FirstName: "Amina", LastName: "Benali", Nationality: "MA", DocKind: data.DocNIE,
		DocNumber: "X1234567L", Regular: true, Phone1: "612345678", ArrivalDate: data.Date{Year: 2023, Month: time.June, Day: 1}}
	if err := south.store.CreatePerson(&person, datatest.Name); err != nil {
		t.Fatal(err)
	}
	r := data.Referral{PersonID: person.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-6m-1a",
		Date: data.DateOf(time.Now()), Profile: "otros"}
	if err := south.store.Propose(&r, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(sp.nowBtn) // batch 1: the person and the proposal
	waitSync(t, sdone)
	if _, err := south.store.Apply(r.ID, data.Change{Action: data.ActInclude}, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(sp.nowBtn) // batch 2: the inclusion, the coordinator's
	waitSync(t, sdone)
	note := data.Event{PersonID: person.ID, At: time.Now().Add(-time.Hour), Kind: data.EventNote, Text: "Llamada de seguimiento"}
	if err := south.store.AddEvent(&note, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(sp.nowBtn) // batch 3: a note
	waitSync(t, sdone)

	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	hasNote := func() bool {
		tl, _ := north.store.Timeline(person.ID)
		for _, e := range tl {
			if e.Text == note.Text {
				return true
			}
		}
		return false
	}
	got, err := north.store.Referral(r.ID)
	if err != nil || got.Status != data.StatusProposed || hasNote() {
		t.Errorf("north holds the referral %v (%v), the note %v; want the proposal alone", got.Status, err, hasNote())
	}
	shown := strings.Join(shownTexts(np.refused), " | ")
	for _, want := range []string{"Lotes rechazados", "Lote 2 de «sur» (Oficina Sur), rechazado el ",
		"el usuario Oficina Sur (técnico/a) no puede incluir en el programa.", "[Omitir este lote]"} {
		if !strings.Contains(shown, want) {
			t.Errorf("Sincronización shows %q, want %q in it", shown, want)
		}
	}
	if !strings.Contains(np.strip.Text, "Lotes rechazados: 1") {
		t.Errorf("the strip says %q, want the refused batch counted", np.strip.Text)
	}

	test.Tap(findButton(t, np.refused, "Omitir este lote"))
	confirmTop(t, north, "Omitir")
	waitSync(t, ndone) // the skip is taken at once
	got, _ = north.store.Referral(r.ID)
	if !hasNote() || got.Status != data.StatusProposed {
		t.Errorf("after the skip north holds the note %v and the referral %v; want the note, never the inclusion", hasNote(), got.Status)
	}
	if np.refused.Visible() || strings.Contains(np.strip.Text, "Lotes rechazados") {
		t.Errorf("after the skip: list %q, strip %q", strings.Join(shownTexts(np.refused), " | "), np.strip.Text)
	}
	log, err := north.store.Audit(data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		found = found || (e.Op == data.AuditSync && strings.Contains(e.Detail, "Lote 2 del equipo «sur» omitido"))
	}
	if !found {
		t.Error("the change log does not record the skip")
	}
}

// TestBrokenBatchShown: a batch of the south office's computer is
// altered on the server (its first batch copied over its second). The
// north office's sync does not fail: it applies the first batch, lists
// the second with its cause in Spanish and without «Omitir este lote»,
// and the strip counts it. Once the file is put back, the next sync
// applies it and the list is gone.
func TestBrokenBatchShown(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	south, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleCoordinator)
	person := data.Person{FirstName: "Amina", LastName: "Benali", Phone1: "612345678"}
	if err := south.store.CreatePerson(&person, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(sp.nowBtn) // batch 1: the person
	waitSync(t, sdone)
	note := data.Event{PersonID: person.ID, At: time.Now().Add(-time.Hour), Kind: data.EventNote, Text: "Llamada de seguimiento"}
	if err := south.store.AddEvent(&note, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(sp.nowBtn) // batch 2: the note
	waitSync(t, sdone)
	ops := filepath.Join(dav.Dir, "Enlace", "devices", "sur", "ops")
	first, err := os.ReadFile(filepath.Join(ops, fmt.Sprintf("%016x.age", 1)))
	if err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(ops, fmt.Sprintf("%016x.age", 2))
	saved, err := os.ReadFile(second)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(second, first, 0o644); err != nil {
		t.Fatal(err)
	}

	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	hasNote := func() bool {
		tl, _ := north.store.Timeline(person.ID)
		return slices.ContainsFunc(tl, func(e data.Event) bool { return e.Text == note.Text })
	}
	if _, err := north.store.Person(person.ID); err != nil || hasNote() {
		t.Errorf("north holds the person (%v) and the note %v; want the person alone", err, hasNote())
	}
	shown := strings.Join(shownTexts(np.refused), " | ")
	for _, want := range []string{"Lotes rechazados", "Cambios de un equipo que no se pueden leer",
		"Lote 2 de «sur» (Oficina Sur), sin aplicar desde el ",
		"no se puede aplicar: el fichero está alterado o no lo firmó ese equipo.", "No se puede omitir."} {
		if !strings.Contains(shown, want) {
			t.Errorf("Sincronización shows %q, want %q in it", shown, want)
		}
	}
	if strings.Contains(shown, "Omitir este lote") {
		t.Errorf("a batch that does not open can be skipped: %q", shown)
	}
	if !strings.Contains(np.strip.Text, "Lotes rechazados: 1") || strings.Contains(np.state.Text, "No se pudo sincronizar") {
		t.Errorf("the strip says %q, the panel %q; want the batch counted and no failed sync", np.strip.Text, np.state.Text)
	}

	if err := os.WriteFile(second, saved, 0o644); err != nil { // repaired on the server
		t.Fatal(err)
	}
	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	if !hasNote() || np.refused.Visible() || strings.Contains(np.strip.Text, "Lotes rechazados") {
		t.Errorf("after the repair: note %v, list %q, strip %q", hasNote(), strings.Join(shownTexts(np.refused), " | "), np.strip.Text)
	}
}

// TestRefusalPhrasesHaveEnglish: the phrases of a refusal, and the causes
// of a batch that does not open, reach T as variables, which the check of
// literals cannot see.
func TestRefusalPhrasesHaveEnglish(t *testing.T) {
	english := allEnglish(t)
	for _, s := range append(esync.RefusalPhrases(), esync.HoldCauses()...) {
		if _, ok := english[s]; !ok {
			t.Errorf("%q has no English translation", s)
		}
	}
}

// TestMassDeletionShown: a sync that would remove most of the records
// (here, erasures of seven of the twelve people at another office) is
// refused, and the window says so in Spanish even when it ran in the
// background: a dialog, a line in Sincronización and the strip; nothing
// was removed.
func TestMassDeletionShown(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	var ids []string
	for i := range 12 {
		p := data.Person{FirstName: "Persona", LastName: "Número " + string(rune('A'+i)), Phone1: "6123456" + string(rune('0'+i%10)) + "0"}
		if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	south, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleCoordinator)
	if n := south.store.PersonCount(); n != 12 {
		t.Fatalf("south holds %d people after joining, want 12", n)
	}
	for _, id := range ids[:7] {
		if err := north.store.ErasePerson(id, "Lo pide por escrito"); err != nil {
			t.Fatal(err)
		}
	}
	test.Tap(np.nowBtn)
	waitSync(t, ndone)

	sp.syncNow(false) // the background timer's sync
	waitSync(t, sdone)
	if n := south.store.PersonCount(); n != 12 {
		t.Errorf("south holds %d people after the refused sync, want 12", n)
	}
	if len(south.dialogs) != 1 {
		t.Fatalf("%d dialogs after a background sync refused as a mass deletion, want its message", len(south.dialogs))
	}
	msg := strings.Join(shownTexts(south.win.Canvas().Overlays().Top()), " | ")
	if !strings.Contains(msg, "La sincronización se ha detenido: borraría 7 de las 12 fichas y registros de este equipo. No se ha aplicado nada.") {
		t.Errorf("the dialog says %q", msg)
	}
	if !sp.halted.Visible() || !strings.Contains(sp.halted.Text, "Avise a la administración del espacio") ||
		!strings.HasPrefix(sp.strip.Text, "Sincronización detenida: borraría la mayoría de las fichas") {
		t.Errorf("panel %q (shown %v), strip %q", sp.halted.Text, sp.halted.Visible(), sp.strip.Text)
	}
	south.dismissTop()
	sp.syncNow(false) // refused again: told once, not every five minutes
	waitSync(t, sdone)
	if len(south.dialogs) != 0 {
		t.Errorf("the second background sync opened %d dialogs", len(south.dialogs))
	}
}

// TestRepairShown: the south office's batch is missing from the server
// and north holds it back. South's «Comprobar mis lotes» publishes it
// again and says so; its panel lists it (in Spanish, and in English),
// and north's next sync applies it, the list of refused batches gone.
func TestRepairShown(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	south, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleCoordinator)
	person := data.Person{FirstName: "Amina", LastName: "Benali", Phone1: "612345678"}
	if err := south.store.CreatePerson(&person, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(sp.nowBtn) // batch 1: the person
	waitSync(t, sdone)
	if err := os.Remove(filepath.Join(dav.Dir, "Enlace", "devices", "sur", "ops", fmt.Sprintf("%016x.age", 1))); err != nil {
		t.Fatal(err)
	}
	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	if !np.refused.Visible() {
		t.Fatal("north does not list south's missing batch")
	}
	if sp.repairs.Visible() {
		t.Error("south lists repairs before any")
	}
	test.Tap(sp.checkBtn)
	waitSync(t, sdone)
	if !strings.Contains(sp.checked, "Lotes de este equipo comprobados en el servidor: 1.\nEl lote 1 no se podía leer (falta en el servidor): se ha publicado de nuevo como el lote 2, con ") {
		t.Errorf("south's check says %q", sp.checked)
	}
	shown := strings.Join(shownTexts(sp.repairs), " | ")
	if !strings.Contains(shown, "El lote 1 de este equipo no se podía leer (falta en el servidor): se publicó de nuevo el ") ||
		!strings.Contains(shown, " como el lote 2, con ") {
		t.Errorf("south's panel shows %q", shown)
	}
	inEnglish(t)
	sp.show()
	if shown := strings.Join(shownTexts(sp.repairs), " | "); !strings.Contains(shown, "Batch 1 of this computer could not be read (it is missing from the server): it was published again on ") {
		t.Errorf("south's panel in English shows %q", shown)
	}
	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	if _, err := north.store.Person(person.ID); err != nil || np.refused.Visible() || strings.Contains(np.strip.Text, "Refused batches") {
		t.Errorf("north after the repair: person %v, list %q, strip %q", err, strings.Join(shownTexts(np.refused), " | "), np.strip.Text)
	}
}
