package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// luminance is WCAG 2's relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of a and b, from 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over is c (maybe translucent) painted on the opaque bg.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	f := float64(n.A) / 0xff
	return mix(color.NRGBA{R: n.R, G: n.G, B: n.B, A: 0xff}, bg, f)
}

// TestReferralStatesAreReadable: every state's name, bold as lists and
// the detail write it, keeps at least 3:1 (WCAG's large or bold text)
// against the background and against a selected row, light and dark.
// "Cerrada" was placeholder grey on the grey of the selection.
func TestReferralStatesAreReadable(t *testing.T) {
	th := enlaceTheme{Theme: theme.DefaultTheme()}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := th.Color(theme.ColorNameBackground, v)
		sel := over(th.Color(theme.ColorNameSelection, v), bg)
		for _, st := range data.Statuses {
			// The detail's rich text, and the list's label by its importance
			// (the colours widget.Label gives each importance).
			label := map[widget.Importance]fyne.ThemeColorName{
				widget.LowImportance: theme.ColorNameDisabled, widget.MediumImportance: theme.ColorNameForeground,
				widget.DangerImportance: theme.ColorNameError, widget.WarningImportance: theme.ColorNameWarning,
				widget.SuccessImportance: theme.ColorNameSuccess,
			}[referralStatusImportance(st)]
			for _, name := range []fyne.ThemeColorName{referralStatusColor(st), label} {
				fg := th.Color(name, v)
				for where, back := range map[string]color.Color{"background": bg, "selected row": sel} {
					if c := contrast(fg, back); c < 3 {
						t.Errorf("variant %d: «%s» (%s) on the %s has contrast %.1f:1, under 3:1", v, st.Label(), name, where, c)
					}
				}
			}
		}
	}
}
