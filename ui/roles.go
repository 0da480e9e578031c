package ui

import (
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// A button whose action the unlocked user's roles do not allow is shown
// disabled, instead of offering it and answering "no tiene permiso" after
// the click. The store refuses the action anyway; this only says so first.

// roleGate is a button that needs a permission.
type roleGate struct {
	b    *widget.Button
	perm data.Perm
	off  bool // disabled by the gate, not by its screen
}

// can reports whether the unlocked user may do p.
func (u *App) can(p data.Perm) bool { return u.store.Allow(p) == nil }

// gate disables b while the unlocked user may not do p, now and after
// another user unlocks the window. For buttons that are always there;
// a screen that enables and disables a button itself uses enableFor.
func (u *App) gate(b *widget.Button, p data.Perm) *widget.Button {
	g := &roleGate{b: b, perm: p}
	u.gates = append(u.gates, g)
	u.applyGate(g)
	return b
}

func (u *App) applyGate(g *roleGate) {
	switch allowed := u.can(g.perm); {
	case !allowed && !g.b.Disabled():
		g.b.Disable()
		g.off = true
	case allowed && g.off:
		g.b.Enable()
		g.off = false
	}
}

// applyGates sets every gated button for the unlocked user.
func (u *App) applyGates() {
	for _, g := range u.gates {
		u.applyGate(g)
	}
}

// enableFor enables b when ok and the unlocked user may do p.
func (u *App) enableFor(b *widget.Button, p data.Perm, ok bool) {
	if ok && u.can(p) {
		b.Enable()
	} else {
		b.Disable()
	}
}
