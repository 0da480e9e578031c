package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// backupPanel is the backup section of Ajustes and the main window's
// warning. (Skeleton: being written.)
type backupPanel struct {
	u      *App
	root   fyne.CanvasObject
	banner *fyne.Container
}

func newBackupPanel(u *App) *backupPanel {
	return &backupPanel{u: u, root: container.NewVBox(), banner: container.NewVBox()}
}

// content is the section shown in Ajustes.
func (b *backupPanel) content() fyne.CanvasObject { return b.root }

// warning is the strip at the top of the main window (empty when all is well).
func (b *backupPanel) warning() fyne.CanvasObject { return b.banner }

// start begins the automatic daily backup; called once the window is shown.
func (b *backupPanel) start() {}

// beforeClose runs what must happen when the window closes (a backup, if
// configured), then calls done.
func (b *backupPanel) beforeClose(done func()) { done() }
