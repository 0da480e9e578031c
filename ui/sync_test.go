package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// syncTestApp is a window over a new store with only the sync panel, an
// in-memory credential store, and a channel told after each sync.
func syncTestApp(t *testing.T) (*App, *syncPanel, chan struct{}) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	u := &App{app: a, store: store, version: "0.0.0-test"}
	u.win = a.NewWindow("Enlace")
	u.win.Resize(fyne.NewSize(1280, 800))
	p := newSyncPanel(u)
	p.keyring = backup.Memory()
	done := make(chan struct{}, 8)
	p.synced = func() { done <- struct{}{} }
	u.sync = p
	u.win.SetContent(p.content())
	t.Cleanup(func() {
		if p.stop != nil {
			close(p.stop)
		}
	})
	return u, p, done
}

func waitSync(t *testing.T, done chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("no sync within 30 s")
	}
}

// joinSouth makes np's install the administrator of a space on dav, as
// «norte», and returns a second install that joined it as «sur» (Oficina
// Sur, with role), each after its first sync.
func joinSouth(t *testing.T, dav *datatest.DAV, np *syncPanel, ndone chan struct{}, role data.Role) (*App, *syncPanel, chan struct{}) {
	t.Helper()
	np.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, ndone)
	inv, err := esync.Invite(np.u.store, dav.Password, "sur", datatest.Login, "Oficina Sur", []data.Role{role})
	if err != nil {
		t.Fatal(err)
	}
	south, sp, sdone := syncTestApp(t)
	sp.joinSpace(inv.Code(), dav.User, dav.Password)
	waitSync(t, sdone)
	return south, sp, sdone
}

// setAddress changes person's address at u's install.
func setAddress(t *testing.T, u *App, person, address string) {
	t.Helper()
	got, err := u.store.Person(person)
	if err != nil {
		t.Fatal(err)
	}
	got.Address = address
	if err := u.store.UpdatePerson(&got, datatest.Name); err != nil {
		t.Fatal(err)
	}
}

// deviceLine is the line of device in the panel's list of devices.
func deviceLine(devices, device string) string {
	for _, l := range strings.Split(devices, "\n") {
		if strings.HasPrefix(l, "• "+device+" — ") {
			return l
		}
	}
	return ""
}

// TestSyncPanel: the administrator creates the space from Ajustes, a
// second office joins with the invitation, and what the first typed is
// in the second's window after its first sync; the panel says where each
// stands.
func TestSyncPanel(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	if !strings.Contains(np.state.Text, "no sincroniza con ningún otro") || np.nowBtn.Disabled() == false {
		t.Errorf("before the space: %q, sync button enabled %v", np.state.Text, !np.nowBtn.Disabled())
	}
	p := data.Person{FirstName: "Maica", LastName: "Chenichero", Phone1: "612345678"}
	if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	test.Tap(np.create)
	if len(north.dialogs) != 1 {
		t.Fatalf("Crear el espacio opened %d dialogs", len(north.dialogs))
	}
	north.dismissTop()
	created := time.Now()
	np.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	if len(north.dialogs) != 1 {
		t.Errorf("creating the space shows %d dialogs, want its progress", len(north.dialogs))
	}
	waitSync(t, ndone) // create starts the background sync at once
	if len(north.dialogs) != 0 {
		t.Errorf("the creation's progress is still open after the first sync (%d dialogs)", len(north.dialogs))
	}
	if !strings.Contains(np.state.Text, "Este equipo es «norte»") || !strings.Contains(np.strip.Text, "Sincronizado") {
		t.Errorf("after creating: state %q, strip %q", np.state.Text, np.strip.Text)
	}
	if np.invite.Disabled() || !np.create.Disabled() {
		t.Error("the administrator's install should invite, and not create again")
	}
	// Its first sync shipped Maica: its own line says when, from this
	// install's record of the upload (no listing has seen its head yet).
	sent := time.Now().In(data.Madrid()).Format("02/01/2006")
	if line := deviceLine(np.devices.Text, "norte"); !strings.Contains(line, "último envío: "+sent) &&
		!strings.Contains(line, "último envío: "+created.In(data.Madrid()).Format("02/01/2006")) {
		t.Errorf("after its first upload norte's own line is %q, want «último envío: %s …»", line, sent)
	}
	inv, err := esync.Invite(north.store, dav.Password, "sur", datatest.Login, "Oficina Sur", []data.Role{data.RoleTechnician})
	if err != nil {
		t.Fatal(err)
	}

	south, sp, sdone := syncTestApp(t)
	sp.joinSpace(inv.Code(), dav.User, dav.Password)
	if len(south.dialogs) != 1 {
		t.Errorf("joining shows %d dialogs, want its progress", len(south.dialogs))
	}
	waitSync(t, sdone)
	if len(south.dialogs) != 0 || sp.joinWait != nil {
		t.Errorf("the join's progress is still open after the first sync (%d dialogs)", len(south.dialogs))
	}
	if hits, _ := south.store.Search("chenichero", 5); len(hits) != 1 {
		t.Errorf("south finds %d people named Chenichero after its first sync, want 1", len(hits))
	}
	if line := deviceLine(sp.devices.Text, "norte"); !strings.HasPrefix(line, "• norte — Persona de Pruebas (") || !strings.Contains(line, ") — última sincronización: ") {
		t.Errorf("south's list of devices does not say when norte last synced: %q", sp.devices.Text)
	}
	// South has sent nothing: its own line says when it synced, and no upload.
	if line := deviceLine(sp.devices.Text, "sur"); !strings.HasPrefix(line, "• sur — Oficina Sur (Técnico/a) — este equipo — última sincronización: ") ||
		strings.Contains(line, "último envío") {
		t.Errorf("south's own line is %q, want it marked as this computer with its last sync and no upload", line)
	}
	if !strings.Contains(sp.state.Text, "Este equipo es «sur»") || !strings.Contains(sp.devices.Text, "Oficina Sur") {
		t.Errorf("south's panel: %q / %q", sp.state.Text, sp.devices.Text)
	}
	if !sp.invite.Disabled() || !sp.remove.Disabled() {
		t.Error("a joined install can neither invite nor remove")
	}
	joined := time.Now()
	test.Tap(np.nowBtn)
	waitSync(t, ndone)
	if np.remove.Disabled() || !strings.Contains(np.devices.Text, "sur — Oficina Sur") {
		t.Errorf("the administrator's install, which now lists sur (%q), cannot remove it", np.devices.Text)
	}
	// Sur synced and sent nothing: norte sees that it syncs all the same.
	line := deviceLine(np.devices.Text, "sur")
	const synced = "• sur — Oficina Sur (Técnico/a) — última sincronización: "
	at, err := time.ParseInLocation("02/01/2006 15:04", strings.TrimPrefix(line, synced), data.Madrid())
	if !strings.HasPrefix(line, synced) || err != nil || at.Before(created.Truncate(time.Minute)) || at.After(joined) {
		t.Errorf("norte's line for sur, which synced without sending, is %q, want «%s» and a time from %s to %s",
			line, synced, created.In(data.Madrid()).Format("15:04"), joined.In(data.Madrid()).Format("15:04"))
	}
	// The list of devices grew after the sync: it must not run under the buttons.
	drv := fyne.CurrentApp().Driver()
	if bottom, top := drv.AbsolutePositionForObject(sp.devices).Y+sp.devices.MinSize().Height,
		drv.AbsolutePositionForObject(sp.nowBtn).Y; bottom > top+1 {
		t.Errorf("the devices list ends at %.0f, under the buttons that start at %.0f", bottom, top)
	}

	// A wrong app password: the cause, in the panel and the strip.
	sp.password = "otra"
	test.Tap(sp.nowBtn)
	waitSync(t, sdone)
	south.dismissTop()
	if !strings.Contains(sp.state.Text, "contraseña de aplicación (401)") || !strings.Contains(sp.strip.Text, "Sin sincronizar") {
		t.Errorf("wrong password: state %q, strip %q", sp.state.Text, sp.strip.Text)
	}
}

// TestSyncRemoveDevice: the administrator removes the second office from
// "Retirar un equipo": the panel says what that did and no longer lists
// it, and the removed office's next sync says it was removed.
func TestSyncRemoveDevice(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	_, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleTechnician)
	test.Tap(np.nowBtn)
	waitSync(t, ndone)

	test.Tap(np.remove)
	if np.removePick == nil || len(np.removePick.Options) != 1 || !strings.HasPrefix(np.removePick.Options[0], "sur — Oficina Sur") {
		t.Fatalf("Retirar un equipo offers %v, want sur only", np.removePick.Options)
	}
	np.removePick.SetSelectedIndex(0)
	confirmTop(t, north, "Retirar")
	// Then once more, naming what goes: it cannot be undone.
	if shown := strings.Join(shownTexts(north.win.Canvas().Overlays().Top()), " | "); len(north.dialogs) != 1 ||
		!strings.Contains(shown, "¿Retirar del espacio «sur — Oficina Sur»?") || !strings.Contains(shown, "no se puede deshacer") {
		t.Fatalf("after choosing, %d dialogs; the confirmation says %q", len(north.dialogs), shown)
	}
	if len(np.removable("norte")) != 1 {
		t.Fatal("sur went before the confirmation")
	}
	confirmTop(t, north, "Retirar")
	waitSync(t, ndone) // the removal, then the sync that shows the new list
	if np.removed != "Equipo retirado: a partir de ahora no puede leer los cambios nuevos." {
		t.Errorf("after the removal the panel said %q", np.removed)
	}
	if len(north.dialogs) != 1 {
		t.Errorf("%d dialogs open after the removal, want the one saying what happened", len(north.dialogs))
	}
	if strings.Contains(np.devices.Text, "sur —") || len(np.removable("norte")) != 0 {
		t.Errorf("the removed office is still listed: %q", np.devices.Text)
	}
	test.Tap(sp.nowBtn)
	waitSync(t, sdone)
	if !strings.Contains(sp.state.Text, "ya no envía ni recibe cambios") {
		t.Errorf("the removed office's panel says %q", sp.state.Text)
	}
}

// TestSyncRemoveChoices: "Retirar un equipo" offers each other device,
// and "all the devices" of a user who has several (not the
// administrator's own user, whose computer cannot go).
func TestSyncRemoveChoices(t *testing.T) {
	_, p, _ := syncTestApp(t)
	p.members = []esync.Member{
		{Device: "coordinacion", User: "admin", Name: "Admin"},
		{Device: "admin_casa", User: "admin", Name: "Admin"},
		{Device: "luis_casa", User: "luis", Name: "Luis Gil"},
		{Device: "luis_oficina", User: "luis", Name: "Luis Gil"},
		{Device: "marta", User: "marta", Name: "Marta Ruiz"},
		{Device: "viejo", User: "luis", Name: "Luis Gil", Removed: true},
	}
	var got []string
	for _, c := range p.removable("coordinacion") {
		got = append(got, c.label+" → "+c.device+c.login)
	}
	want := []string{"admin_casa — Admin → admin_casa", "luis_casa — Luis Gil → luis_casa", "luis_oficina — Luis Gil → luis_oficina",
		"marta — Marta Ruiz → marta", "Todos los equipos de Luis Gil (luis): luis_casa, luis_oficina → luis"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("choices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rm := esync.Removal{Devices: []string{"luis_casa", "luis_oficina"}, Epoch: 3, Unkeyed: []string{"marta"}}
	if got := removedText(rm); got != "Equipos retirados (luis_casa, luis_oficina): a partir de ahora no pueden leer los cambios nuevos. "+
		"Estos equipos recibirán la clave nueva cuando sincronicen y este equipo sincronice después: marta." {
		t.Errorf("after removing a user the panel says %q", got)
	}
}

// TestSyncReviewConflicts: two offices change the same person's address
// before syncing; the coordinator sees one conflict to review, takes the
// value that lost, and after the next syncs both offices hold it and
// neither lists the conflict any more.
func TestSyncReviewConflicts(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north, np, ndone := syncTestApp(t)
	p := data.Person{FirstName: "Maica", LastName: "Chenichero", Phone1: "612345678", Address: "Calle Mayor 1"}
	if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
		t.Fatal(err)
	}
	south, sp, sdone := joinSouth(t, dav, np, ndone, data.RoleTechnician)

	setAddress(t, north, p.ID, "Calle de Alcalá 10")
	time.Sleep(5 * time.Millisecond) // south's write is the later one
	setAddress(t, south, p.ID, "Paseo del Prado 2")
	test.Tap(sp.nowBtn)
	waitSync(t, sdone)
	test.Tap(np.nowBtn)
	waitSync(t, ndone)

	if got, _ := north.store.Person(p.ID); got.Address != "Paseo del Prado 2" {
		t.Errorf("north applied %q, want the later write", got.Address)
	}
	if np.review.Disabled() || !strings.Contains(np.strip.Text, "Conflictos por revisar: 1") {
		t.Fatalf("north: review button disabled %v, strip %q", np.review.Disabled(), np.strip.Text)
	}
	test.Tap(np.review)
	if len(north.dialogs) != 1 || np.reviewList == nil {
		t.Fatalf("Revisar conflictos opened %d dialogs", len(north.dialogs))
	}
	text := strings.Join(shownTexts(np.reviewList), " | ")
	for _, want := range []string{"Maica Chenichero", "Dirección: cambiado en dos equipos a la vez",
		"Aplicado: Paseo del Prado 2 — Oficina Sur en «sur»", "El otro: Calle de Alcalá 10 — Persona de Pruebas en «norte»"} {
		if !strings.Contains(text, want) {
			t.Errorf("review shows %q, want %q in it", text, want)
		}
	}
	test.Tap(findButton(t, np.reviewList, "Usar el otro valor"))
	waitSync(t, ndone) // the review goes out at once
	if !strings.Contains(strings.Join(shownTexts(np.reviewList), " | "), "No queda ningún conflicto") || !np.review.Disabled() {
		t.Errorf("after the review: %q, button disabled %v", strings.Join(shownTexts(np.reviewList), " | "), np.review.Disabled())
	}
	test.Tap(sp.nowBtn)
	waitSync(t, sdone)
	for name, u := range map[string]*App{"north": north, "south": south} {
		if got, _ := u.store.Person(p.ID); got.Address != "Calle de Alcalá 10" {
			t.Errorf("%s has %q after the review, want the value the coordinator took", name, got.Address)
		}
	}
	if len(sp.conflicts) != 0 || strings.Contains(sp.strip.Text, "Conflictos") {
		t.Errorf("south still lists %d conflicts (strip %q)", len(sp.conflicts), sp.strip.Text)
	}
}

// TestReviewMergesDuplicates: two fichas with the same document (two
// offices registered the person while offline) are listed in Revisar
// conflictos; Fusionar, confirmed, leaves one ficha with both timelines.
func TestReviewMergesDuplicates(t *testing.T) {
	u, p, _ := syncTestApp(t)
	var ids []string
	for _, last := range []string{"Benali", "Benali El Idrissi"} {
		q := data.Person{FirstName: "Amina", LastName: last, DocKind: data.DocPassport, DocNumber: "MA445566", Regular: true}
		if err := u.store.CreatePerson(&q, datatest.Name); err != nil {
			t.Fatal(err)
		}
		e := data.Event{PersonID: q.ID, At: time.Now().Add(-time.Hour), Kind: data.EventNote, Text: "Alta como " + last}
		if err := u.store.AddEvent(&e, datatest.Name); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.ID)
		time.Sleep(2 * time.Millisecond)
	}
	p.onReview("")
	shown := strings.Join(shownTexts(p.reviewList), " | ")
	if !strings.Contains(shown, "Posibles duplicados") || !strings.Contains(shown, "Amina Benali El Idrissi · MA445566") {
		t.Fatalf("review shows %q", shown)
	}
	test.Tap(findButton(t, p.reviewList, "Fusionar en la ficha más antigua…"))
	confirmTop(t, u, "Fusionar")
	if n := u.store.PersonCount(); n != 1 {
		t.Errorf("%d people after the merge, want 1", n)
	}
	tl, _ := u.store.Timeline(ids[0])
	if len(tl) < 2 {
		t.Errorf("the kept ficha has %d timeline entries, want both", len(tl))
	}
	if shown := strings.Join(shownTexts(p.reviewList), " | "); !strings.Contains(shown, "No queda ningún conflicto") {
		t.Errorf("after the merge the review shows %q", shown)
	}
}

// TestSyncStripSaysPendingAndOffline: the window's strip says how many
// changes made here wait to be sent, and, with the server down, that
// there is no connection, when the last sync was, and that the change
// still waits; the panel counts the same.
func TestSyncStripSaysPendingAndOffline(t *testing.T) {
	dav := datatest.StartApache(t, "")
	u, p, done := syncTestApp(t)
	p.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, done)
	if strings.Contains(p.strip.Text, "por enviar") {
		t.Errorf("after a sync that sent everything the strip says %q", p.strip.Text)
	}
	q := data.Person{FirstName: "Luis", LastName: "Gil"}
	if err := u.store.CreatePerson(&q, datatest.Name); err != nil {
		t.Fatal(err)
	}
	p.show()
	if !strings.HasPrefix(p.strip.Text, "Sincronizado: ") || !strings.HasSuffix(p.strip.Text, " · Cambios por enviar: 1") {
		t.Errorf("with one change made since the sync the strip says %q", p.strip.Text)
	}
	st, err := esync.LoadSettings(u.store)
	if err != nil {
		t.Fatal(err)
	}
	st.URL = datatest.DeadURL("/remote.php/dav/files/" + dav.User + "/Enlace/")
	if err := u.store.SetState("sync.space", st); err != nil {
		t.Fatal(err)
	}
	p.syncNow(false) // the background sync: no dialog
	waitSync(t, done)
	last := st.LastSync.In(data.Madrid()).Format("02/01/2006 15:04")
	if want := "Sin conexión con el servidor: se volverá a intentar · Última sincronización: " + last + " · Cambios por enviar: 1"; p.strip.Text != want {
		t.Errorf("offline, the strip says %q, want %q", p.strip.Text, want)
	}
	if !strings.Contains(p.state.Text, "Cambios de este equipo por enviar: 1.") || len(u.dialogs) != 0 {
		t.Errorf("offline, the panel says %q (%d dialogs)", p.state.Text, len(u.dialogs))
	}
}

// TestSyncPanelButtons: Ajustes → Sincronización shows only the buttons
// that can be used, each inside the panel in Spanish and English: create
// or join before the space; sync and review in it; the administrator's
// tools only at the administrator's install; none at a joined one.
func TestSyncPanelButtons(t *testing.T) {
	for _, lang := range []string{"es", "en"} {
		t.Run(lang, func(t *testing.T) {
			if lang == "en" {
				inEnglish(t)
			}
			dav := datatest.StartApache(t, "")
			north, ndone := fullSyncApp(t)
			np := north.sync
			north.tabs.SelectIndex(len(north.tabs.Items) - 1)
			shown := func(u *App) string {
				t.Helper()
				settle(u.win.Canvas())
				p := u.sync
				drv := fyne.CurrentApp().Driver()
				right := drv.AbsolutePositionForObject(p.root).X + p.root.Size().Width
				var out []string
				for _, b := range []*widget.Button{p.nowBtn, p.create, p.join, p.review, p.invite, p.remove, p.roles, p.compactBtn} {
					if !b.Visible() {
						continue
					}
					out = append(out, b.Text)
					if end := drv.AbsolutePositionForObject(b).X + b.Size().Width; end > right+1 {
						t.Errorf("«%s» ends at %.0f, past the panel's edge at %.0f", b.Text, end, right)
					}
				}
				return strings.Join(out, " | ")
			}
			want := map[string][3]string{
				"es": {"Crear el espacio… | Unirse con una invitación… | Revisar conflictos…",
					"Sincronizar ahora (Ctrl+R) | Revisar conflictos… | Invitar un equipo… | Retirar un equipo… | Cambiar funciones… | Compactar ahora",
					"Sincronizar ahora (Ctrl+R) | Revisar conflictos…"},
				"en": {"Create the space… | Join with an invitation… | Review conflicts…",
					"Sync now (Ctrl+R) | Review conflicts… | Invite a computer… | Remove a computer… | Change roles… | Compact now",
					"Sync now (Ctrl+R) | Review conflicts…"},
			}[lang]
			if got := shown(north); got != want[0] {
				t.Errorf("before the space the panel shows %q, want %q", got, want[0])
			}
			np.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
			waitSync(t, ndone)
			if got := shown(north); got != want[1] {
				t.Errorf("at the administrator's install the panel shows %q, want %q", got, want[1])
			}
			inv, err := esync.Invite(north.store, dav.Password, "sur", datatest.Login, "Oficina Sur", []data.Role{data.RoleTechnician})
			if err != nil {
				t.Fatal(err)
			}
			south, sdone := fullSyncApp(t)
			south.tabs.SelectIndex(len(south.tabs.Items) - 1)
			south.sync.joinSpace(inv.Code(), dav.User, dav.Password)
			waitSync(t, sdone)
			if got := shown(south); got != want[2] {
				t.Errorf("at a joined install the panel shows %q, want %q", got, want[2])
			}
		})
	}
}

// TestSyncShortcut: Ctrl+R syncs now, from any screen of the window, as
// the button says.
func TestSyncShortcut(t *testing.T) {
	dav := datatest.StartApache(t, "")
	u, done := fullSyncApp(t)
	u.sync.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, done)
	q := data.Person{FirstName: "Luis", LastName: "Gil"}
	if err := u.store.CreatePerson(&q, datatest.Name); err != nil {
		t.Fatal(err)
	}
	u.tabs.SelectIndex(0)
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	waitSync(t, done)
	if pending, _ := u.store.PendingOps(); len(pending) != 0 || strings.Contains(u.sync.strip.Text, "por enviar") {
		t.Errorf("after Ctrl+R %d changes wait and the strip says %q", len(pending), u.sync.strip.Text)
	}
	if !strings.Contains(u.sync.nowBtn.Text, "(Ctrl+R)") {
		t.Errorf("the button %q does not name its shortcut", u.sync.nowBtn.Text)
	}
}

// TestSyncAsksPasswordAgain: the app password stored is refused (it was
// changed in the cloud); «Sincronizar ahora» says why and asks for the
// current one, which syncs and replaces the stored one.
func TestSyncAsksPasswordAgain(t *testing.T) {
	dav := datatest.StartApache(t, "")
	u, p, done := syncTestApp(t)
	p.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, done)
	st, _ := esync.LoadSettings(u.store)
	p.remember(st, "la de antes", true)
	test.Tap(p.nowBtn)
	waitSync(t, done)
	if len(u.dialogs) != 1 || p.passwordEntry == nil {
		t.Fatalf("a refused password opened %d dialogs", len(u.dialogs))
	}
	shown := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " | ")
	if !strings.Contains(shown, "No se pudo sincronizar: el servidor no acepta el usuario o la contraseña de aplicación (401)") ||
		!strings.Contains(shown, "escriba aquí la contraseña de aplicación actual") {
		t.Errorf("the dialog after a refused password says %q", shown)
	}
	test.Type(p.passwordEntry, dav.Password)
	confirmTop(t, u, "Aceptar")
	waitSync(t, done)
	if !strings.HasPrefix(p.strip.Text, "Sincronizado: ") || len(u.dialogs) != 0 {
		t.Errorf("with the current password the strip says %q (%d dialogs)", p.strip.Text, len(u.dialogs))
	}
	if got, _ := p.keyring.Get(keyringKey(st)); got != dav.Password {
		t.Errorf("the credential store keeps %q, want the current password", got)
	}
}

// TestSyncInvitationDialogs: the join dialog names the cloud's user (not
// Enlace's) and says where the app password is made; the invitation
// shows the whole code, wrapped, and says when it was copied.
func TestSyncInvitationDialogs(t *testing.T) {
	dav := datatest.StartApache(t, "")
	u, p, done := syncTestApp(t)
	p.onJoin()
	var texts []string
	for _, o := range test.LaidOutObjects(u.win.Canvas().Overlays().Top()) {
		if x, ok := o.(*canvas.Text); ok {
			texts = append(texts, x.Text)
		}
	}
	shown := strings.Join(texts, " | ")
	u.dismissTop()
	if !strings.Contains(shown, "Usuario de la nube") {
		t.Errorf("the join dialog says %q, want «Usuario de la nube»", shown)
	}
	p.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, done)
	p.inviteDevice(dav.Password, "sur", "laura", "Laura Martín", []data.Role{data.RoleTechnician})
	waitSync(t, done)
	top := u.win.Canvas().Overlays().Top()
	var code *widget.Entry
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*widget.Entry); ok && strings.HasPrefix(e.Text, "ENLACE1-") {
			code = e
		}
	}
	if code == nil || !code.MultiLine || code.Wrapping != fyne.TextWrapBreak {
		t.Fatalf("the invitation's code is not shown whole and wrapped: %+v", code)
	}
	test.Tap(findButton(t, top, "Copiar"))
	if got := u.app.Clipboard().Content(); got != code.Text || p.inviteCopied.Text != "Copiada." {
		t.Errorf("after Copiar the clipboard holds %d characters of the code's %d, and the dialog says %q", len(got), len(code.Text), p.inviteCopied.Text)
	}
}

// TestSyncToolsNeedAnAdministrator: at the administrator's computer, a
// technician signed in sees no invite, remove, roles or compact buttons
// (data/sync refuses those to her too), only sync and review.
func TestSyncToolsNeedAnAdministrator(t *testing.T) {
	dav := datatest.StartApache(t, "")
	u, p, done := syncTestApp(t)
	p.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, done)
	close(p.stop)
	p.stop = nil
	usr := data.User{Login: "tecnica", Name: "Usuaria tecnica", Roles: []data.Role{data.RoleTechnician}}
	if err := u.store.CreateUser(&usr, "otra contraseña larga"); err != nil {
		t.Fatal(err)
	}
	path := u.store.Path()
	if err := u.store.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(path, &data.Options{Login: "tecnica", Passphrase: "otra contraseña larga", KDF: datatest.KDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	a := test.NewApp()
	t.Cleanup(a.Quit)
	tp := New(a, s, "test").sync
	for _, b := range []*widget.Button{tp.invite, tp.remove, tp.roles, tp.compactBtn, tp.create, tp.join} {
		if b.Visible() {
			t.Errorf("a technician at the administrator's computer sees «%s»", b.Text)
		}
	}
	if !tp.nowBtn.Visible() || tp.nowBtn.Disabled() {
		t.Error("a technician cannot sync now")
	}
}
