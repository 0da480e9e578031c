package ui

import "fyne.io/fyne/v2"

// remindersScreen is the Recordatorios tab. (Skeleton: being written.)
type remindersScreen struct {
	u    *App
	root fyne.CanvasObject
}

func newRemindersScreen(u *App) *remindersScreen {
	return &remindersScreen{u: u, root: newPendingScreen(T("Recordatorios"), "")}
}

func (s *remindersScreen) content() fyne.CanvasObject { return s.root }
func (s *remindersScreen) refresh()                   {}

// start begins watching for reminders falling due; called once the
// window is shown.
func (s *remindersScreen) start() {}
