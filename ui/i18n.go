package ui

import (
	"fmt"
	"io/fs"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/enlace-madrid/enlace/resources"
)

// Languages the interface speaks. Strings in the code are Spanish (they are
// the translation keys); resources/translations/*.en.json turn them into
// English, and *.es.json give Fyne's own words (Cancel, OK…) in Spanish.
var Languages = []string{"es", "en"}

// SetLanguage loads the translations of code ("es" or "en") for both the
// Spanish and the English locale, so that the interface speaks code whatever
// the operating system's language: a machine with an English or C locale
// still gets Spanish unless the user picks English. Call it once, before
// building any window: widgets already built keep their text.
func SetLanguage(code string) error {
	if code != "en" {
		code = "es"
	}
	files, err := fs.Glob(resources.Translations, "translations/*."+code+".json")
	if err != nil {
		return err
	}
	for _, f := range files {
		raw, err := fs.ReadFile(resources.Translations, f)
		if err != nil {
			return err
		}
		for _, loc := range []fyne.Locale{"es", "en"} {
			if err := lang.AddTranslationsForLocale(raw, loc); err != nil {
				return fmt.Errorf("traducciones %s: %w", f, err)
			}
		}
	}
	return nil
}

// T translates a Spanish interface string; data fills {{.Name}} fields.
func T(s string, data ...any) string { return lang.L(s, data...) }

// languageName is how each language calls itself in the picker.
func languageName(code string) string {
	switch strings.ToLower(code) {
	case "en":
		return "English"
	default:
		return "Español"
	}
}
