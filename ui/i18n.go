package ui

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
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
	var bundles [][]byte
	if code == "es" {
		// The Spanish strings are their own keys; registering them as such
		// keeps Fyne from logging a "translation failure" for each one.
		identity, err := identityBundle()
		if err != nil {
			return err
		}
		bundles = append(bundles, identity)
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
		bundles = append(bundles, raw)
	}
	for _, raw := range bundles {
		for _, loc := range []fyne.Locale{"es", "en"} {
			if err := lang.AddTranslationsForLocale(raw, loc); err != nil {
				return fmt.Errorf("traducciones: %w", err)
			}
		}
	}
	return nil
}

// identityBundle maps every Spanish interface string (the keys of the
// English files, Fyne's own excepted) to itself.
func identityBundle() ([]byte, error) {
	files, err := fs.Glob(resources.Translations, "translations/*.en.json")
	if err != nil {
		return nil, err
	}
	identity := map[string]string{}
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "fyne.") {
			continue
		}
		raw, err := fs.ReadFile(resources.Translations, f)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("traducciones %s: %w", f, err)
		}
		for k := range m {
			identity[k] = k
		}
	}
	return json.Marshal(identity)
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
