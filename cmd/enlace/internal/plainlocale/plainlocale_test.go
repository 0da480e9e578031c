package plainlocale

import (
	"os"
	"testing"
)

func TestPlainLocaleReadsAsSpanish(t *testing.T) {
	for _, c := range []struct{ lang, lcAll, wantLang, wantAll string }{
		{"C.UTF-8", "", "es_ES.UTF-8", ""},
		{"POSIX", "C", "es_ES.UTF-8", ""},
		{"", "", "es_ES.UTF-8", ""},
		{"en_GB.UTF-8", "", "en_GB.UTF-8", ""},
		{"es_ES.UTF-8", "fr_FR.UTF-8", "es_ES.UTF-8", "fr_FR.UTF-8"},
	} {
		t.Setenv("LANG", c.lang)
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		speakSpanishOnPlainLocale()
		if got, all := os.Getenv("LANG"), os.Getenv("LC_ALL"); got != c.wantLang || all != c.wantAll {
			t.Errorf("LANG=%q LC_ALL=%q → LANG=%q LC_ALL=%q, want %q, %q", c.lang, c.lcAll, got, all, c.wantLang, c.wantAll)
		}
	}
}
