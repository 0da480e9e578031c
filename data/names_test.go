package data

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// properCases are shared by TestProperCase and FuzzProperCase.
var properCases = []struct{ name, in, want string }{
	{"capitals with particles", "JOSÉ MARÍA DE LA PEÑA", "José María de la Peña"},
	{"hyphen and apostrophe", "ANA-MARÍA O'NEILL", "Ana-María O'Neill"},
	{"typographic apostrophe", "D’ALESSANDRO", "D’Alessandro"},
	{"particle first", "DE LA FUENTE", "De la Fuente"},
	{"del", "MARÍA DEL CARMEN GARCÍA", "María del Carmen García"},
	{"y between surnames", "GARCÍA Y GARCÍA", "García y García"},
	{"portuguese", "JOÃO DOS SANTOS DA SILVA", "João dos Santos da Silva"},
	{"dutch", "LUDWIG VAN BEETHOVEN", "Ludwig van Beethoven"},
	{"el is not a particle", "MOHAMED EL AMRANI", "Mohamed El Amrani"},
	{"ñ first", "ÑUÑEZ", "Ñuñez"},
	{"turkish", "ÇAĞLAR ÖZTÜRK", "Çağlar Öztürk"},
	{"initials", "J.M. GARCÍA", "J.M. García"},
	{"combining diaeresis", "MU\u0308LLER", "Mu\u0308ller"},
	{"tabs and spaces", "  ANA\t\tMARÍA  ", "Ana María"},
	{"one letter", "A", "A"},
	{"digits only", "123", "123"},
	{"mixed case kept", "McDonald", "McDonald"},
	{"lower particle kept", "de Souza", "de Souza"},
	{"all lower kept", "  juan   pérez ", "juan pérez"},
	{"mixed with capitals kept", "María GARCÍA", "María GARCÍA"},
	{"empty", "", ""},
	{"blank", "   ", ""},
}

func TestProperCase(t *testing.T) {
	for _, tc := range properCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ProperCase(tc.in); got != tc.want {
				t.Errorf("ProperCase(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// foldCases are shared by TestFold and FuzzFold.
var foldCases = []struct{ name, in, want string }{
	{"tilde", "Peña", "pena"},
	{"diaeresis", "Müller", "muller"},
	{"cedilla", "François", "francois"},
	{"full name", "José María de la PEÑA", "jose maria de la pena"},
	{"upper accents", "NÚÑEZ ÁLVAREZ", "nunez alvarez"},
	{"punctuation", "  O'Neill-Smith (hijo) ", "o neill smith hijo"},
	{"email kept", "Ana.Lopez@Madrid.es", "ana.lopez@madrid.es"},
	{"phone kept", "+34 917-58-14-37", "+34 917 58 14 37"},
	{"sharp s", "Straße", "strasse"},
	{"o slash", "Øberg", "oberg"},
	{"polish", "Łódź", "lodz"},
	{"ae ligature", "Ærø", "aero"},
	{"turkish", "Çağlar İnce", "caglar ince"},
	{"vietnamese", "Nguyễn Thị Hương", "nguyen thi huong"},
	{"decomposed accent", "Jose\u0301", "jose"},
	{"romanian", "Ștefănescu", "stefanescu"},
	{"arabic kept", "محمد علي", "محمد علي"},
	{"cyrillic lowered", "Иван Петров", "иван петров"},
	{"chinese kept", "张伟", "张伟"},
	{"already folded", "maria garcia lopez", "maria garcia lopez"},
	{"double space", "a  b", "a b"},
	{"only punctuation", "--- ,;", ""},
	{"invalid utf-8", "a\xffb", "a b"},
	{"empty", "", ""},
}

func TestFold(t *testing.T) {
	for _, tc := range foldCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFoldDoesNotAllocateOnFoldedASCII(t *testing.T) {
	in := strings.Repeat("maria garcia lopez ", 3) + "x1234567l"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(in) }); n != 0 {
		t.Errorf("Fold allocated %v times on folded ASCII", n)
	}
}

// TestFoldEveryBMPRune checks Fold's invariants on every character of the
// Basic Multilingual Plane, alone and between an ASCII letter and an accent.
func TestFoldEveryBMPRune(t *testing.T) {
	for r := rune(0); r <= 0xFFFF; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, in := range []string{string(r), "A" + string(r) + "\u0301b"} {
			out := Fold(in)
			if Fold(out) != out || strings.ToLower(out) != out {
				t.Fatalf("Fold(%q) = %q, Fold again = %q", in, out, Fold(out))
			}
			up := strings.ToUpper(in)
			if p := ProperCase(up); ProperCase(p) != p || Fold(p) != Fold(up) {
				t.Fatalf("ProperCase(%q) = %q, again %q", up, p, ProperCase(p))
			}
		}
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"name", "José María  de la Peña", []string{"jose", "maria", "de", "la", "pena"}},
		{"apostrophe", "O'Neill", []string{"o", "neill"}},
		{"empty", "", nil},
		{"punctuation only", "¿?", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokens(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func BenchmarkFold(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"folded", "maria del carmen garcia lopez"},
		{"ascii", "María del Carmen García López"},
		{"accents", "JOSÉ MARÍA NÚÑEZ PEÑA"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Fold(bc.in)
			}
		})
	}
}

func FuzzProperCase(f *testing.F) {
	for _, tc := range properCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := ProperCase(in)
		if again := ProperCase(out); again != out {
			t.Fatalf("ProperCase not idempotent: %q → %q → %q", in, out, again)
		}
		collapsed := strings.Join(strings.Fields(in), " ")
		if out != strings.Join(strings.Fields(out), " ") {
			t.Fatalf("ProperCase(%q) = %q: spaces not collapsed", in, out)
		}
		if strings.IndexFunc(in, unicode.IsLower) >= 0 && out != collapsed {
			t.Fatalf("ProperCase(%q) = %q changed mixed-case text", in, out)
		}
		if utf8.ValidString(in) && Fold(out) != Fold(in) {
			t.Fatalf("ProperCase(%q) = %q changed more than case: %q vs %q", in, out, Fold(out), Fold(in))
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, tc := range foldCases {
		f.Add(tc.in)
	}
	for _, tc := range properCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Fold(in)
		if again := Fold(out); again != out {
			t.Fatalf("Fold not idempotent: %q → %q → %q", in, out, again)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Fold(%q) = %q is not UTF-8", in, out)
		}
		if strings.ToLower(out) != out {
			t.Fatalf("Fold(%q) = %q is not lower case", in, out)
		}
		if out != strings.Join(Tokens(in), " ") {
			t.Fatalf("Fold(%q) = %q: spaces not collapsed", in, out)
		}
		for _, r := range out {
			if unicode.Is(unicode.Mn, r) || !(r == ' ' || r == '@' || r == '.' || r == '+' ||
				unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)) {
				t.Fatalf("Fold(%q) = %q keeps %q", in, out, r)
			}
		}
	})
}
