package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// fullSyncApp is the whole main window over a new store, its sync panel
// with an in-memory credential store and a channel told after each sync.
func fullSyncApp(t *testing.T) (*App, chan struct{}) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Preferences().SetString(prefTheme, "light")
	store, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	u := New(a, store, "test")
	u.sync.keyring = backup.Memory()
	done := make(chan struct{}, 8)
	u.sync.synced = func() { done <- struct{}{} }
	t.Cleanup(func() {
		if u.sync.stop != nil {
			close(u.sync.stop)
		}
	})
	return u, done
}

// TestSyncScreenshots writes PNGs of Ajustes → Sincronización, its
// dialogs and the main window's sync strip, in Spanish and English, to
// the folder named by ENLACE_SHOTS; it is skipped otherwise.
func TestSyncScreenshots(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	if dir == "" {
		t.Skip("set ENLACE_SHOTS to a folder to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"es", "en"} {
		t.Run(lang, func(t *testing.T) {
			if lang == "en" {
				inEnglish(t)
			}
			dav := datatest.StartApache(t, "")
			north, ndone := fullSyncApp(t)
			np := north.sync
			snap := func(u *App, name string) {
				t.Helper()
				u.win.Resize(fyne.NewSize(1281, 800))
				u.win.Resize(fyne.NewSize(1280, 800))
				settle(u.win.Canvas())
				shot(t, u, filepath.Join(dir, "sync-"+name+"-"+lang+".png"))
			}
			ajustes := func(u *App) {
				u.tabs.SelectIndex(len(u.tabs.Items) - 1)
				settle(u.win.Canvas())
				sc := findScroll(u.settings.content())
				sc.ScrollToOffset(fyne.NewPos(0, absY(u.sync.root, sc.Content)))
			}
			p := data.Person{FirstName: "Maica", LastName: "Chenichero", Phone1: "612345678", Address: "Calle Mayor 1"}
			if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
				t.Fatal(err)
			}
			ajustes(north)
			snap(north, "01-before")
			np.onCreate()
			snap(north, "02-create")
			north.dismissTop()
			np.onJoin()
			snap(north, "03-join")
			north.dismissTop()
			np.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "coordinacion")
			waitSync(t, ndone)
			ajustes(north)
			snap(north, "04-created")
			np.onInvite()
			snap(north, "05-invite")
			north.dismissTop()
			np.inviteDevice(dav.Password, "oficina_sur", "laura", "Laura Martín", []data.Role{data.RoleTechnician})
			waitSync(t, ndone)
			snap(north, "06-invitation")
			north.dismissTop()

			inv, err := esync.Invite(north.store, dav.Password, "sur", datatest.Login, "Oficina Sur", []data.Role{data.RoleTechnician})
			if err != nil {
				t.Fatal(err)
			}
			south, sdone := fullSyncApp(t)
			ajustes(south)
			south.sync.joinSpace(inv.Code(), dav.User, dav.Password)
			snap(south, "07-joining")
			waitSync(t, sdone)
			test.Tap(np.nowBtn)
			waitSync(t, ndone)
			ajustes(north)
			snap(north, "08-two-devices")
			ajustes(south)
			snap(south, "09-south")

			north.tabs.SelectIndex(0)
			north.onTabSelected(north.tabs.Items[0])
			snap(north, "10-strip-synced")
			q := data.Person{FirstName: "Luis", LastName: "Gil"}
			if err := north.store.CreatePerson(&q, datatest.Name); err != nil {
				t.Fatal(err)
			}
			np.show()
			snap(north, "11-strip-pending")

			setAddress(t, north, p.ID, "Calle de Alcalá 10")
			time.Sleep(5 * time.Millisecond)
			setAddress(t, south, p.ID, "Paseo del Prado 2")
			test.Tap(south.sync.nowBtn)
			waitSync(t, sdone)
			test.Tap(np.nowBtn)
			waitSync(t, ndone)
			snap(north, "12-strip-conflict")
			np.onReview("")
			snap(north, "13-review")
			north.dismissTop()
			ajustes(north)
			np.onRemove()
			snap(north, "14-remove")
			np.removePick.SetSelectedIndex(0)
			confirmTop(t, north, T("Retirar"))
			snap(north, "14b-remove-confirm")
			north.dismissTop()
			np.onChangeRoles()
			snap(north, "15-roles")
			north.dismissTop()

			// A wrong app password.
			np.password = "no es la contraseña"
			test.Tap(np.nowBtn)
			waitSync(t, ndone)
			snap(north, "16-401-dialog")
			north.dismissTop()
			ajustes(north)
			snap(north, "17-401-panel")
			north.tabs.SelectIndex(0)
			north.onTabSelected(north.tabs.Items[0])
			snap(north, "18-401-strip")

			// The server down.
			np.password = dav.Password
			st, _ := esync.LoadSettings(north.store)
			st.URL = datatest.DeadURL("/remote.php/dav/files/" + dav.User + "/Enlace/")
			if err := north.store.SetState("sync.space", st); err != nil {
				t.Fatal(err)
			}
			test.Tap(np.nowBtn)
			waitSync(t, ndone)
			snap(north, "19-offline-dialog")
			north.dismissTop()
			snap(north, "20-offline-strip")

			// Stopped by the guard against mass deletion.
			st, _ = esync.LoadSettings(north.store)
			st.MassDeletion = true
			if err := north.store.SetState("sync.space", st); err != nil {
				t.Fatal(err)
			}
			np.show()
			snap(north, "21-stopped-strip")
			ajustes(north)
			snap(north, "22-stopped-panel")
		})
	}
}
