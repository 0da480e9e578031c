package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// docStylePanel is the "Estilo de los documentos" section of Ajustes.
// (Skeleton: being written.)
type docStylePanel struct {
	u    *App
	root fyne.CanvasObject
}

func newDocStylePanel(u *App) *docStylePanel {
	return &docStylePanel{u: u, root: container.NewVBox()}
}

// content is the section shown in Ajustes.
func (d *docStylePanel) content() fyne.CanvasObject { return d.root }
