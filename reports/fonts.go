package reports

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// fontFamily is the name documents set their text in.
const fontFamily = "go"

// addFonts registers the three Go font faces documents use (regular, bold,
// italic) with pdf. They are TrueType fonts embedded (subset) in the PDF:
// no core-font fallback is used, so every character prints the same on any
// machine.
func addFonts(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "I", goitalic.TTF)
}

// coverage is the set of runes every face has a glyph for.
var coverage = sync.OnceValue(func() map[rune]bool {
	faces := [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF}
	var set map[rune]bool
	for _, ttf := range faces {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			panic("reports: Go font does not parse: " + err.Error()) // compiled in: a build error
		}
		var buf sfnt.Buffer
		has := map[rune]bool{}
		for r := rune(0x20); r <= 0xFFFF; r++ {
			if set != nil && !set[r] {
				continue
			}
			if i, err := f.GlyphIndex(&buf, r); err == nil && i != 0 {
				has[r] = true
			}
		}
		set = has
	}
	return set
})

// substitutes replace common characters the fonts lack with ones they have.
var substitutes = map[rune]string{
	'\u2713': "x", '\u2714': "x", '\u2717': "-", // check marks
	'\u2018': "'", '\u2019': "'", '\u201A': ",", // the fonts have them, kept for safety
	'\u00A0': " ", '\u202F': " ", '\u2009': " ", // spaces
	'\t': "    ",
}

// clean makes s safe to draw: it replaces invalid UTF-8, control
// characters, and runes the fonts cannot draw (emoji, most scripts other
// than Latin, Greek and Cyrillic) with a substitute or "?". The PDF
// library indexes widths by rune up to U+FFFF and would fail beyond it.
func clean(s string) string {
	cov := coverage()
	ok := true
	for _, r := range s {
		if r == '\n' || cov[r] {
			continue
		}
		ok = false
		break
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || cov[r]:
			b.WriteRune(r)
		case substitutes[r] != "":
			b.WriteString(substitutes[r])
		case r < 0x20 || r == utf8.RuneError:
			b.WriteByte(' ')
		case r >= 0xFE00 && r <= 0xFE0F, r == 0x200D, r >= 0x1F3FB && r <= 0x1F3FF:
			// variation selectors, joiners and skin tones: nothing to draw
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
