package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// entry is a widget.Entry that closes the open dialog on Esc: a focused
// entry receives key presses before the window does.
type entry struct {
	widget.Entry
	onEscape func()
	onKey    func() // every key typed: the window is in use
}

// newEntry returns a one-line entry that closes u's top dialog on Esc.
func (u *App) newEntry() *entry {
	e := &entry{onEscape: u.dismissTop, onKey: u.activity.touch}
	e.ExtendBaseWidget(e)
	return e
}

// newMultiLineEntry returns a wrapping multi-line entry, Esc-aware.
func (u *App) newMultiLineEntry() *entry {
	e := u.newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// newDateEntry returns an entry for a dd/mm/aaaa date that validates as
// the user types, with data.ParseDate's Spanish message.
func (u *App) newDateEntry() *entry {
	e := u.newEntry()
	e.SetPlaceHolder(T("dd/mm/aaaa"))
	e.Validator = func(s string) error {
		_, err := data.ParseDate(s)
		return translatedErr(err)
	}
	return e
}

// TypedRune notes that the window is in use and types r.
func (e *entry) TypedRune(r rune) {
	if e.onKey != nil {
		e.onKey()
	}
	e.Entry.TypedRune(r)
}

// TypedKey closes the dialog on Esc and passes other keys to the entry.
func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil {
		e.onKey()
	}
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}
