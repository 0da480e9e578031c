package ui

import "fyne.io/fyne/v2"

// reportsScreen is the Informes tab. (Skeleton: being written.)
type reportsScreen struct {
	u    *App
	root fyne.CanvasObject
}

func newReportsScreen(u *App) *reportsScreen {
	return &reportsScreen{u: u, root: newSummaryScreen(u)}
}

func (s *reportsScreen) content() fyne.CanvasObject { return s.root }
func (s *reportsScreen) refresh()                   {}
