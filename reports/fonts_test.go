package reports

import "testing"

func TestCleanKeepsSpanishAndReplacesTheRest(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"spanish", "á é í ó ú ü ñ Ñ ¿ ¡ € º ª «» — · → …", "á é í ó ú ü ñ Ñ ¿ ¡ € º ª «» — · → …"},
		{"lines", "uno\ndos", "uno\ndos"},
		{"emoji", "Gracias 👍🏽!", "Gracias ?!"},
		{"check", "Hecho ✓", "Hecho x"},
		{"control", "a\x07b\tc", "a b    c"},
		{"invalid", "a\xffb", "a\uFFFDb"},
		{"cjk", "王", "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzClean checks that whatever a user typed, clean returns only runes
// the fonts draw, so the PDF library never indexes past its width table.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"Begoña Núñez", "👍", "\xff\xfe", "a\u200db", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"} {
		f.Add(s)
	}
	cov := coverage()
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range clean(s) {
			if r != '\n' && !cov[r] {
				t.Fatalf("clean(%q) keeps %q, which the fonts lack", s, r)
			}
		}
	})
}
