package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"

	"github.com/enlace-madrid/enlace/data/datatest"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// TestSyncErrorsInEnglish: a sync that fails against a real WebDAV
// server tells an English user why in English, in the dialog after «Sync
// now», in the panel and in the strip, with nothing of data's Spanish
// left; a Spanish user reads the same causes in Spanish.
func TestSyncErrorsInEnglish(t *testing.T) {
	cases := []struct {
		name    string
		break_  func(t *testing.T, dav *datatest.DAV, p *syncPanel)
		want    string // what the user reads after "Could not sync: "
		es      string // the same cause in a Spanish session
		strip   string // the window's strip, before " · Last sync: …"
		stripES string
	}{
		{"wrong app password", func(t *testing.T, dav *datatest.DAV, p *syncPanel) { p.password = "no es la contraseña" },
			"the server does not accept the user or the app password (401)",
			"el servidor no acepta el usuario o la contraseña de aplicación (401)",
			"Not synced: the server does not accept the app password (401)",
			"Sin sincronizar: el servidor no acepta la contraseña de aplicación (401)"},
		{"folder gone", func(t *testing.T, dav *datatest.DAV, p *syncPanel) {
			if err := os.Rename(filepath.Join(dav.Dir, "Enlace"), filepath.Join(dav.Dir, "Enlace-antigua")); err != nil {
				t.Fatal(err)
			}
		}, "the sync folder cannot be found on the server (404): check the address",
			"no se encuentra la carpeta de sincronización en el servidor (404): compruebe la dirección",
			"Not synced: the folder cannot be found on the server (404)",
			"Sin sincronizar: no se encuentra la carpeta en el servidor (404)"},
		{"server down", func(t *testing.T, dav *datatest.DAV, p *syncPanel) {
			st, err := esync.LoadSettings(p.u.store)
			if err != nil {
				t.Fatal(err)
			}
			st.URL = datatest.DeadURL("/remote.php/dav/files/" + dav.User + "/Enlace/")
			if err := p.u.store.SetState("sync.space", st); err != nil {
				t.Fatal(err)
			}
		}, "no connection to the server: changes are kept on this computer and will be sent when the connection is back",
			"sin conexión con el servidor: los cambios se guardan en este equipo y se enviarán al volver la conexión",
			"No connection to the server: will try again",
			"Sin conexión con el servidor: se volverá a intentar"},
	}
	for _, tc := range cases {
		for _, lang := range []string{"en", "es"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				if lang == "en" {
					inEnglish(t)
				}
				dav := datatest.StartApache(t, "")
				u, p, done := syncTestApp(t)
				p.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
				waitSync(t, done)
				if len(u.dialogs) != 0 {
					t.Fatalf("creating the space left %d dialogs", len(u.dialogs))
				}
				tc.break_(t, dav, p)
				test.Tap(p.nowBtn)
				waitSync(t, done)
				if len(u.dialogs) != 1 {
					t.Fatalf("a failed «Sincronizar ahora» opened %d dialogs, want its error", len(u.dialogs))
				}
				shown := strings.Join(shownTexts(u.win.Canvas().Overlays().Top()), " | ")
				u.dismissTop()
				want, strip, last := tc.want, tc.strip, " · Last sync: "
				prefix := "Could not sync: "
				if lang == "es" {
					want, strip, last, prefix = tc.es, tc.stripES, " · Última sincronización: ", "No se pudo sincronizar: "
				}
				if !strings.Contains(shown, prefix+want) {
					t.Errorf("the dialog says %q, want %q", shown, prefix+want)
				}
				if !strings.Contains(p.state.Text, prefix+want) {
					t.Errorf("the panel says %q, want %q", p.state.Text, prefix+want)
				}
				if !strings.HasPrefix(p.strip.Text, strip+last) {
					t.Errorf("the strip says %q, want %q and the last sync", p.strip.Text, strip+last)
				}
				// The cause, not the server's paths nor the network's words.
				for _, raw := range []string{"/heads", "dial tcp", "Propfind", "ReadDir"} {
					if strings.Contains(shown+p.state.Text, raw) {
						t.Errorf("the dialog %q or the panel %q shows %q", shown, p.state.Text, raw)
					}
				}
				if lang == "en" {
					for _, es := range []string{"servidor", "carpeta", "contraseña de", "compruebe", " de ", " el "} {
						if strings.Contains(shown+p.state.Text, es) {
							t.Errorf("Spanish %q left in the English dialog %q or panel %q", es, shown, p.state.Text)
						}
					}
				}
			})
		}
	}
}

// TestErasureTombstonesInEnglish: the change log's tombstone of an
// erasure that sync applied reads in English, whether it was made at
// another office or at this computer before its database was put back.
func TestErasureTombstonesInEnglish(t *testing.T) {
	inEnglish(t)
	for _, c := range []struct{ es, en string }{
		{"Datos de una persona suprimidos; 1 entradas del registro retiradas. Motivo: Suprimida en otra oficina a petición de la persona (RGPD art. 17); llegó por la sincronización",
			"A person's data erased; 1 log entries removed. Reason: Erased at another office at the person's request (GDPR art. 17); it arrived by sync"},
		{"Datos de una persona suprimidos; 1 entradas del registro retiradas. Motivo: Suprimida en este equipo a petición de la persona (RGPD art. 17) antes de que se repusiera una copia de la base de datos o se reinstalara Enlace; el registro de sincronización la aplicó de nuevo",
			"A person's data erased; 1 log entries removed. Reason: Erased at this computer at the person's request (GDPR art. 17) before a copy of the database was put back or Enlace was reinstalled; the sync record applied it again"},
	} {
		a := &auditList{reader: reports.NewAuditReader(datatest.Open(t, nil), T)}
		if _, body := a.lines(data.AuditEntry{Op: data.AuditErase, Kind: "persona", Detail: c.es}); body != c.en {
			t.Errorf("the change log shows %q, want %q", body, c.en)
		}
	}
}

// TestSyncRolesInEnglish: an English user invites a computer choosing
// among roles named in English (Officer ticked), and the list of the
// space's computers names each one's roles in English.
func TestSyncRolesInEnglish(t *testing.T) {
	inEnglish(t)
	dav := datatest.StartApache(t, "")
	u, p, done := syncTestApp(t)
	p.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "norte")
	waitSync(t, done)
	p.onInvite()
	u.dismissTop()
	shown := strings.Join(p.inviteRoles.Options, ", ")
	if shown != "Officer, Section head, Coordinator, Administrator" || strings.Join(p.inviteRoles.Selected, ", ") != "Officer" {
		t.Errorf("Invite a computer offers the roles %q with %q ticked, want them in English, Officer ticked", shown, p.inviteRoles.Selected)
	}
	devices := p.devices.Text
	if !strings.Contains(devices, "norte — Persona de Pruebas (Officer, Section head, Coordinator, Administrator)") {
		t.Errorf("the list of computers says %q", devices)
	}
	for _, es := range []string{"Técnico", "Jefe/a", "Coordinador/a", "Administrador/a"} {
		if strings.Contains(shown+devices, es) {
			t.Errorf("Spanish %q left in the invitation %q or the list %q", es, shown, devices)
		}
	}
}
