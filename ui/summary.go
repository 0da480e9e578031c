package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// summaryScreen is "Informes" while there are no referrals to report on:
// an honest count of what the database holds. It recounts whenever its tab
// is shown and when "Actualizar" is pressed.
type summaryScreen struct {
	widget.BaseWidget
	u *App

	people, events, offices, staff *widget.Card // the count is the title
	updated                        *widget.Label
	root                           fyne.CanvasObject
}

func newSummaryScreen(u *App) fyne.CanvasObject {
	s := &summaryScreen{u: u}
	s.ExtendBaseWidget(s)
	s.people = widget.NewCard("", T("fichas de personas"), nil)
	s.events = widget.NewCard("", T("anotaciones en los historiales"), nil)
	s.offices = widget.NewCard("", T("oficinas"), nil)
	s.staff = widget.NewCard("", T("miembros del personal"), nil)
	s.updated = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})

	title := widget.NewLabelWithStyle(T("Informes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := widget.NewLabel(T("Lo que contiene ahora esta base de datos:"))
	counts := container.NewGridWithColumns(4, s.people, s.events, s.offices, s.staff)
	refresh := widget.NewButtonWithIcon(T("Actualizar"), theme.ViewRefreshIcon(), s.refresh)
	note := widget.NewLabel(T("Las estadísticas del programa (derivaciones por sentido, área, situación habilitante y resultado) aparecerán aquí cuando se registren derivaciones en Enlace."))
	note.Wrapping = fyne.TextWrapWord

	s.root = container.NewVScroll(container.NewPadded(container.New(&maxWidthLayout{width: 900},
		container.NewVBox(title, intro, counts, container.NewHBox(refresh, s.updated), widget.NewSeparator(), note))))
	s.refresh()
	return s
}

// CreateRenderer draws the screen's content.
func (s *summaryScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.root)
}

// Show recounts when the tab comes into view, so the numbers are never
// stale; the tabs call Show on every layout, hence the check.
func (s *summaryScreen) Show() {
	wasHidden := !s.Visible()
	s.BaseWidget.Show()
	if wasHidden {
		s.refresh()
	}
}

// refresh reads the counts from the store.
func (s *summaryScreen) refresh() {
	c, err := s.u.store.Count()
	if err != nil {
		s.u.showError(err)
		return
	}
	s.people.SetTitle(strconv.Itoa(c.People))
	s.events.SetTitle(strconv.Itoa(c.Events))
	s.offices.SetTitle(strconv.Itoa(c.Offices))
	s.staff.SetTitle(strconv.Itoa(c.Staff))
	s.updated.SetText(T("Contado a las {{.Time}}.", map[string]any{"Time": s.u.store.Now().Format("15:04")}))
}
