package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestSettingsLanguageStoredInPreferences(t *testing.T) {
	u := officesTestApp(t)
	s := newSettingsScreen(u)
	if got := s.language.Selected; got != "Español" {
		t.Errorf("language shown = %q, want Español by default", got)
	}

	s.language.SetSelected("English")
	if got := u.app.Preferences().String(prefLanguage); got != "en" {
		t.Errorf("prefLanguage = %q, want en", got)
	}
	s.language.SetSelected("Español")
	if got := u.app.Preferences().String(prefLanguage); got != "es" {
		t.Errorf("prefLanguage = %q, want es", got)
	}
}

func TestSettingsLockPeriodStoredInPreferences(t *testing.T) {
	u := officesTestApp(t)
	if got := u.lockMinutes(); got != defaultLockMinutes {
		t.Errorf("lock minutes by default = %d, want %d", got, defaultLockMinutes)
	}
	row := u.lockRow()
	w := test.NewWindow(row)
	defer w.Close()
	sel := row.(*fyne.Container).Objects[0].(*widget.Select)
	if sel.Selected != "Tras 10 minutos sin usarlo" {
		t.Errorf("lock choice shown = %q", sel.Selected)
	}
	sel.SetSelected("Nunca")
	if got := u.lockMinutes(); got != 0 {
		t.Errorf("lock minutes after «Nunca» = %d, want 0", got)
	}
}

func TestSettingsCopyPath(t *testing.T) {
	u := officesTestApp(t)
	s := newSettingsScreen(u)
	test.Tap(s.copyBtn)
	if got := u.app.Clipboard().Content(); got != u.store.Path() {
		t.Errorf("clipboard = %q, want %q", got, u.store.Path())
	}
}

func TestSettingsThemeAppliesAtOnce(t *testing.T) {
	u := officesTestApp(t)
	s := newSettingsScreen(u)
	s.theme.SetSelected("Oscuro")
	if got := u.app.Preferences().String(prefTheme); got != "dark" {
		t.Errorf("prefTheme = %q, want dark", got)
	}
	bg := u.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
	if bg != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Errorf("background with Oscuro = %v, want the dark one", bg)
	}
	s.theme.SetSelected("Claro")
	bg = u.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark)
	if bg != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Errorf("background with Claro = %v, want the light one", bg)
	}
}
