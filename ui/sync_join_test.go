package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// TestSyncJoinProgress: an office joins, through Apache, a space of 300
// people that the administrator compacted into a snapshot, and the join
// dialog counts what it does — the snapshot's megabytes of its size, the
// people saved out of 300 (64 first, while the join is under way), the
// changes noted — in Spanish and in English, then closes. With
// ENLACE_SHOTS set it writes the dialog as each new text shows, at
// 1280×800, to that folder.
func TestSyncJoinProgress(t *testing.T) {
	dir := os.Getenv("ENLACE_SHOTS")
	cases := []struct {
		lang     string
		snapshot *regexp.Regexp
		midway   string // the first count of the people saved
		saved    string
		record   *regexp.Regexp
	}{
		{"es", regexp.MustCompile(`^Descargando el resumen del espacio: \d+,\d de \d+,\d MB$`),
			"Guardando en este equipo: 64 de 300 personas", "Guardando en este equipo: 300 de 300 personas",
			regexp.MustCompile(`^Anotando lo recibido: [\d.]+ de [\d.]+ cambios$`)},
		{"en", regexp.MustCompile(`^Downloading the space's summary: \d+\.\d of \d+\.\d MB$`),
			"Saving on this computer: 64 of 300 people", "Saving on this computer: 300 of 300 people",
			regexp.MustCompile(`^Recording what came in: [\d,]+ of [\d,]+ changes$`)},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			if c.lang == "en" {
				inEnglish(t)
			}
			dav := datatest.StartApache(t, "")
			north, ndone := fullSyncApp(t)
			for i := range 300 {
				p := data.Person{FirstName: fmt.Sprintf("Persona %d", i+1), LastName: "Prueba"}
				if err := north.store.CreatePerson(&p, datatest.Name); err != nil {
					t.Fatal(err)
				}
			}
			north.sync.createSpace(dav.URL("Enlace"), dav.User, dav.Password, "coordinacion")
			waitSync(t, ndone)
			ss, err := esync.OpenSession(north.store, dav.Password)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := ss.Compact(time.Now()); err != nil {
				t.Fatal(err)
			}
			ss.Close()
			inv, err := esync.Invite(north.store, dav.Password, "sur", datatest.Login, "Oficina Sur", []data.Role{data.RoleTechnician})
			if err != nil {
				t.Fatal(err)
			}

			south, sdone := fullSyncApp(t)
			var shots []image.Image
			south.sync.joinShown = func(string) {
				if dir != "" {
					shots = append(shots, south.win.Canvas().Capture())
				}
			}
			south.sync.joinSpace(inv.Code(), dav.User, dav.Password)
			j := south.sync.joinWait
			waitSync(t, sdone)
			if south.sync.joinWait != nil || len(south.dialogs) != 0 {
				t.Errorf("the join's dialog is still open after the first sync")
			}
			labels := j.labels
			if !slices.ContainsFunc(labels, c.snapshot.MatchString) {
				t.Errorf("no count of the snapshot's megabytes (%s) among %q", c.snapshot, labels)
			}
			mid, end := slices.Index(labels, c.midway), slices.Index(labels, c.saved)
			if mid < 0 || end < mid {
				t.Errorf("want %q, then %q, among %q", c.midway, c.saved, labels)
			}
			if !c.record.MatchString(labels[len(labels)-1]) {
				t.Errorf("the last text is %q, want %s", labels[len(labels)-1], c.record)
			}
			if j.bar.Hidden || j.bar.Value != j.bar.Max || j.bar.Max == 0 {
				t.Errorf("the bar is at %v of %v (hidden %v), want full", j.bar.Value, j.bar.Max, j.bar.Hidden)
			}
			if n, _ := south.store.Count(); n.People != 300 {
				t.Errorf("south holds %d people, want 300", n.People)
			}
			for i, img := range shots {
				name := filepath.Join(dir, fmt.Sprintf("sync-joining-%02d-%s.png", i+1, c.lang))
				out, err := os.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				if err := png.Encode(out, img); err != nil {
					t.Fatal(err)
				}
				out.Close()
			}
			t.Logf("labels: %s", strings.Join(labels, " | "))
		})
	}
}

// TestSyncJoinStagesHaveEnglish: every stage a sync names to its
// Progress reads in English in an English interface, and each has its
// own unit in the join's dialog.
func TestSyncJoinStagesHaveEnglish(t *testing.T) {
	inEnglish(t)
	for _, stage := range esync.Stages {
		if en := dataText(stage); en == stage || en == "" {
			t.Errorf("stage %q has no English in data.en.json", stage)
		}
		if got := joinProgressText(1, 2, stage); got == T("{{.Stage}}: {{.Done}} de {{.Total}}", map[string]any{"Stage": dataText(stage), "Done": "1", "Total": "2"}) {
			t.Errorf("stage %q has no unit in joinProgressText: %q", stage, got)
		}
	}
}
