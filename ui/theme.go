package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// prefTheme holds the colour scheme: "system", "light" or "dark".
const prefTheme = "theme"

// themeChoices in the order Ajustes lists them.
var themeChoices = []string{"system", "light", "dark"}

func themeLabel(choice string) string {
	switch choice {
	case "light":
		return T("Claro")
	case "dark":
		return T("Oscuro")
	}
	return T("El del sistema")
}

// enlaceTheme is Fyne's default theme with darker success, warning and
// error colours on light backgrounds (the defaults are too pale for text such
// as a referral's state), and optionally a fixed light or dark variant.
type enlaceTheme struct {
	fyne.Theme
	variant *fyne.ThemeVariant // nil: follow the desktop
}

var (
	lightSuccess = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	lightWarning = color.NRGBA{R: 0xb2, G: 0x5e, B: 0x00, A: 0xff}
	lightError   = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
)

func (t enlaceTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	if v == theme.VariantLight {
		switch n {
		case theme.ColorNameSuccess:
			return lightSuccess
		case theme.ColorNameWarning:
			return lightWarning
		case theme.ColorNameError:
			return lightError
		}
	}
	return t.Theme.Color(n, v)
}

// applyTheme sets the colour scheme for choice on the whole app.
func (u *App) applyTheme(choice string) {
	t := enlaceTheme{Theme: theme.DefaultTheme()}
	switch choice {
	case "light":
		v := theme.VariantLight
		t.variant = &v
	case "dark":
		v := theme.VariantDark
		t.variant = &v
	}
	u.app.Settings().SetTheme(t)
}
