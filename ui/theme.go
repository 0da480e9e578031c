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

// forcedVariant is Fyne's default theme with the light or dark variant
// fixed, whatever the desktop asks for.
type forcedVariant struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t forcedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyTheme sets the colour scheme for choice on the whole app.
func (u *App) applyTheme(choice string) {
	switch choice {
	case "light":
		u.app.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantLight})
	case "dark":
		u.app.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantDark})
	default:
		u.app.Settings().SetTheme(theme.DefaultTheme())
	}
}
