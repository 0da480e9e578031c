package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestPersonTabsAllShowAt1280: at 1280×800 every tab of the person page
// is on the bar, in Spanish and in English; none hides behind "…" (where
// Documentos and Registro went unnoticed).
func TestPersonTabsAllShowAt1280(t *testing.T) {
	for _, code := range []string{"es", "en"} {
		t.Run(code, func(t *testing.T) {
			if code == "en" {
				inEnglish(t)
			}
			u, store := peopleTestApp(t, ana())
			hits, _ := store.Search("ana", 1)
			u.win.Show()
			u.showPerson(hits[0].ID)
			u.win.Resize(fyne.NewSize(1281, 800)) // the test canvas lays out on a resize
			u.win.Resize(fyne.NewSize(1280, 800))
			tabs := u.people.page.tabs
			for _, o := range test.LaidOutObjects(tabs) {
				if b, ok := o.(*widget.Button); ok && b.Visible() && b.Icon == theme.MoreHorizontalIcon() {
					t.Errorf("the person page's tabs overflow behind … at 1280 px (%.0f px for the page)", tabs.Size().Width)
				}
			}
		})
	}
}

// TestNavRailFitsWithBothStrips: with the backup banner at the top and
// the "guardado en …" strip at the foot, every screen of the navigation
// rail is still on it at 1280×800; Ajustes went behind ⋮.
func TestNavRailFitsWithBothStrips(t *testing.T) {
	u, _ := peopleTestApp(t, ana())
	u.win.Show()
	u.saved.tell("PDF guardado en /home/coordinadora/Documentos/resumen-AMPL-2026-11-25.pdf")
	u.win.Resize(fyne.NewSize(1281, 800))
	u.win.Resize(fyne.NewSize(1280, 800))
	for _, o := range test.LaidOutObjects(u.tabs) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Icon == theme.MoreVerticalIcon() {
			t.Errorf("the navigation rail overflows behind ⋮ (%.0f px high)", u.tabs.Size().Height)
		}
	}
}
