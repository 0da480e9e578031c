package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
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

func TestSettingsNameChangesAuthor(t *testing.T) {
	u := officesTestApp(t)
	s := newSettingsScreen(u)
	w := test.NewWindow(s.content())
	defer w.Close()
	if s.author.Text != u.Author() {
		t.Errorf("name box shows %q, want the current author %q", s.author.Text, u.Author())
	}

	s.author.SetText("")
	test.Type(s.author, "  Marta Ruiz ")
	if got := u.Author(); got != "Marta Ruiz" {
		t.Errorf("Author() = %q, want Marta Ruiz", got)
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
