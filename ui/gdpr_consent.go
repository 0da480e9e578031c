package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// consentLine is the referral form's warning when the person has not
// consented to share their data with the receiving service. It warns and
// does not stop the referral: the coordinator may have the consent on
// paper.
type consentLine struct {
	text *widget.Label
	root *fyne.Container
}

// newConsentLine builds rf's consent warning, hidden, and keeps it up to
// date as the direction and the consent fields of the form change.
func (rf *referralForm) newConsentLine() *consentLine {
	c := &consentLine{text: wrappedLabel()}
	c.text.Importance = widget.WarningImportance
	c.root = container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(theme.WarningIcon())), nil, c.text)
	c.root.Hide()
	pf := rf.pf
	pf.consentAE.OnChanged = func(bool) { rf.showConsent() }
	pf.consentOMIOPI.OnChanged = func(bool) { rf.showConsent() }
	clear := pf.consentDate.OnChanged
	pf.consentDate.OnChanged = func(s string) {
		if clear != nil {
			clear(s)
		}
		rf.showConsent()
	}
	return c
}

// showConsent shows the warning for the direction and consent the form
// holds now, or hides it.
func (rf *referralForm) showConsent() {
	if rf.consent == nil {
		return
	}
	pf := rf.pf
	p := data.Person{ConsentAE: pf.consentAE.Checked, ConsentOMIOPI: pf.consentOMIOPI.Checked}
	p.ConsentDate, _ = data.ParseDate(pf.consentDate.Text) // a date still being typed counts as missing
	msg := data.ConsentWarning(&p, rf.dir())
	if msg != "" {
		rf.consent.text.SetText(T(msg))
	}
	// The row's cells too, so that a hidden warning leaves no gap.
	for _, o := range append([]fyne.CanvasObject{rf.consent.root}, pf.cells["Consent"]...) {
		if msg == "" {
			o.Hide()
		} else {
			o.Show()
		}
	}
	if pf.scroll != nil {
		pf.scroll.Content.Refresh()
	}
}
