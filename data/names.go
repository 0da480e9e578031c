package data

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nameParticles are the words of a Spanish (or Portuguese, Dutch, German)
// name written in lower case unless they open it: "María de la Peña",
// "João dos Santos", "Ludwig van Beethoven".
var nameParticles = map[string]bool{
	"de": true, "del": true, "la": true, "las": true, "los": true,
	"y": true, "e": true, "da": true, "das": true, "dos": true,
	"van": true, "von": true,
}

// ProperCase tidies a name as typed: it trims it and collapses runs of
// spaces. A name typed in capitals ("JOSÉ MARÍA DE LA PEÑA") becomes
// "José María de la Peña": each word capitalised, particles such as de, del,
// la, y in lower case except as the first word, and the parts of hyphenated
// or apostrophised words capitalised ("Ana-María O'Neill"). A name with any
// lower-case letter is left as typed, since only the person knows whether it
// is "McDonald" or "de Souza".
func ProperCase(s string) string {
	words := strings.Fields(s)
	if !allCaps(words) {
		return strings.Join(words, " ")
	}
	for i, w := range words {
		lower := strings.ToLower(w)
		if i > 0 && nameParticles[lower] {
			words[i] = lower
			continue
		}
		words[i] = capitalise(lower)
	}
	return strings.Join(words, " ")
}

// allCaps reports whether no word has a lower-case letter.
func allCaps(words []string) bool {
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLower(r) {
				return false
			}
		}
	}
	return true
}

// capitalise upper-cases the first letter of each part of a lower-case word,
// parts being separated by anything that is not a letter, mark or digit
// (hyphen, apostrophe, dot): "o'neill" → "O'Neill", "j.m." → "J.M.".
func capitalise(w string) string {
	var b strings.Builder
	b.Grow(len(w))
	start := true
	for _, r := range w {
		inWord := unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
		if start && unicode.IsLetter(r) {
			r = unicode.ToTitle(r)
		}
		start = !inWord
		b.WriteRune(r)
	}
	return b.String()
}

// Fold reduces s to the form used for searching and matching names: lower
// case, accents and other diacritics removed ("Peña" → "pena", "Müller" →
// "muller", "François" → "francois"), every character other than a letter, a
// digit, '@', '.' or '+' turned into a space, and spaces collapsed and
// trimmed. Fold(Fold(s)) == Fold(s).
//
// It runs over every person at start-up, so text that is already folded
// ASCII is returned without allocating.
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	var f folder
	f.b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			f.rune(r, 0)
			i += size
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		f.ascii(c)
		i++
	}
	return f.b.String()
}

// folder accumulates Fold's output.
type folder struct {
	b     strings.Builder
	space bool // a space is due before the next kept character
}

// rune folds r into f. Letters that decompose are folded part by part;
// depth stops a (theoretical) endless decomposition.
func (f *folder) rune(r rune, depth int) {
	r = unicode.ToLower(r)
	if r < utf8.RuneSelf {
		f.ascii(byte(r))
		return
	}
	if sp, ok := foldSpecial[r]; ok {
		f.keep()
		f.b.WriteString(sp)
		return
	}
	var enc [utf8.UTFMax]byte
	n := utf8.EncodeRune(enc[:], r)
	if d := norm.NFD.Properties(enc[:n]).Decomposition(); len(d) > 0 && depth < 2 {
		for _, dr := range string(d) {
			f.rune(dr, depth+1)
		}
		return
	}
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		// a diacritic: dropped
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mc, r):
		f.keep()
		f.b.WriteRune(r)
	default:
		f.separate()
	}
}

// ascii folds the lower-case ASCII character c into f.
func (f *folder) ascii(c byte) {
	if !keptASCII(c) {
		f.separate()
		return
	}
	f.keep()
	f.b.WriteByte(c)
}

// keep writes the space due, if any, before a kept character.
func (f *folder) keep() {
	if f.space {
		f.b.WriteByte(' ')
		f.space = false
	}
}

func (f *folder) separate() { f.space = f.b.Len() > 0 }

// foldSpecial folds letters that Unicode does not decompose into a base letter
// and a mark.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t",
}

func keptASCII(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '@' || c == '.' || c == '+'
}

// isFoldedASCII reports whether s is already what Fold would return.
func isFoldedASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
			continue
		}
		if !keptASCII(c) {
			return false
		}
	}
	return true
}

// Tokens returns the words of Fold(s), for matching a search against a
// name word by word. It returns nil when Fold(s) is empty.
func Tokens(s string) []string {
	return strings.Fields(Fold(s))
}
