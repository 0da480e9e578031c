package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// conflictStrip is the ficha's warning while sync holds changes made to
// this person at two installs without seeing each other (issue 13):
// "Cambios simultáneos en esta ficha — revisar", with a button to the
// review of this person's conflicts. It is hidden when there are none.
type conflictStrip struct {
	u      *App
	root   *fyne.Container
	text   *widget.Label
	review *widget.Button
	person string
}

func newConflictStrip(u *App) *conflictStrip {
	c := &conflictStrip{u: u}
	c.text = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.text.Wrapping = fyne.TextWrapWord
	c.review = widget.NewButtonWithIcon(T("Revisar"), theme.WarningIcon(), c.onReview)
	c.review.Importance = widget.WarningImportance
	bg := canvas.NewRectangle(tint(theme.ColorNameWarning, 0x38))
	bg.CornerRadius = theme.InputRadiusSize()
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	c.root = container.NewStack(bg, container.NewBorder(nil, nil, container.NewCenter(icon), container.NewCenter(c.review), c.text))
	c.root.Hide()
	return c
}

// show shows the strip when person has conflicts to review.
func (c *conflictStrip) show(person string) {
	c.person = person
	if person == "" || !c.u.store.HasSyncConflicts(person) {
		c.root.Hide()
		return
	}
	text := T("Cambios simultáneos en esta ficha — revisar")
	if c.u.can(data.PermDecide) && c.u.sync != nil {
		c.review.Show()
	} else {
		c.review.Hide()
		text += " " + T("(los revisa la coordinación)")
	}
	c.text.SetText(text)
	c.root.Show()
	c.root.Refresh()
}

// onReview opens "Revisar conflictos" with this person's only.
func (c *conflictStrip) onReview() {
	if c.person != "" && c.u.sync != nil {
		c.u.sync.onReview(c.person)
	}
}
