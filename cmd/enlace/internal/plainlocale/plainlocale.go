// Package plainlocale makes a C or POSIX locale read as Spanish before
// Fyne reads it. Fyne's lang package reads the locale in its init, so
// this has to happen in an init that runs first: Go initialises packages
// in import-path order once their dependencies are done, and this one,
// which needs only the standard library, sorts before Fyne's locale
// dependencies (github.com/jeandeaual/go-locale). main imports it for
// that effect alone.
package plainlocale

import (
	"os"
	"strings"
)

// plainLocale names the locales of minimal systems and containers, which
// say nothing about the language; Fyne cannot parse them and logs three
// lines of "Error parsing user locale C" before any command's output.
func plainLocale(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}

// speakSpanishOnPlainLocale makes a C or POSIX locale read as Spanish,
// Enlace's language anyway (the interface can still be switched to
// English in Ajustes). Other locales are left as they are. It runs before
// anything asks Fyne for the language.
func init() { speakSpanishOnPlainLocale() }

func speakSpanishOnPlainLocale() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES"} {
		if plainLocale(os.Getenv(k)) {
			os.Unsetenv(k)
		}
	}
	if v := os.Getenv("LANG"); v == "" || plainLocale(v) {
		os.Setenv("LANG", "es_ES.UTF-8")
	}
}
