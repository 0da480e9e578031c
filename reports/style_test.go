package reports

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// testPNG and testJPEG are small logos drawn for the tests.
func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), 0x4E, 0x79, uint8(128 + y%128)})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{0xC8, uint8(y), 0x2E, 0xFF})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseColor(t *testing.T) {
	tests := []struct {
		in   string
		want Color
		ok   bool
	}{
		{"#1F4E79", Color{0x1F, 0x4E, 0x79}, true},
		{"1f4e79", Color{0x1F, 0x4E, 0x79}, true},
		{" #17a ", Color{0x11, 0x77, 0xAA}, true},
		{"#12345", Color{}, false},
		{"azul", Color{}, false},
		{"#GG0000", Color{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseColor(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseColor(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
			if tt.ok && got.Hex() != strings.ToUpper("#"+strings.TrimPrefix(strings.TrimSpace(tt.in), "#")) && len(strings.TrimSpace(tt.in)) > 5 {
				t.Errorf("Hex() = %s", got.Hex())
			}
		})
	}
}

// TestInkIsDarkEnough: a light primary colour (yellow) is darkened for
// text; a dark one is kept.
func TestInkIsDarkEnough(t *testing.T) {
	for _, c := range []Color{{0xFF, 0xD7, 0x00}, {0x9B, 0xD3, 0xFF}, DefaultPrimary, {0xC8, 0x10, 0x2E}} {
		ink := c.Ink()
		if ratio := 1.05 / (ink.luminance() + 0.05); ratio < 7 {
			t.Errorf("%s.Ink() = %s, contrast %.1f, want at least 7", c.Hex(), ink.Hex(), ratio)
		}
	}
	if DefaultPrimary.Ink() != DefaultPrimary {
		t.Errorf("the default colour was changed to %s", DefaultPrimary.Ink().Hex())
	}
}

func TestStyleValidate(t *testing.T) {
	png1 := Logo{Name: "madrid.png", Data: testPNG(t, 60, 20)}
	jpg := Logo{Name: "ue.jpg", Data: testJPEG(t, 40, 30)}
	tests := []struct {
		name  string
		style Style
		bad   string // part of the message, "" when valid
	}{
		{"none", Style{}, ""},
		{"three", Style{Logos: []Logo{png1, jpg, png1}}, ""},
		{"four", Style{Logos: []Logo{png1, jpg, png1, jpg}}, "como mucho 3 logotipos"},
		{"not an image", Style{Logos: []Logo{{Name: "logo.gif", Data: []byte("GIF89a…")}}}, "no es una imagen PNG ni JPEG"},
		{"empty", Style{Logos: []Logo{{Name: "vacío.png"}}}, "está vacío"},
		{"too big", Style{Logos: []Logo{{Name: "grande.png", Data: append(testPNG(t, 10, 10), make([]byte, MaxLogoBytes)...)}}}, "el máximo es 1 MB"},
		{"long footer", Style{Footer: strings.Repeat("á", MaxFooterRunes+1)}, "el máximo es 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.style.Validate()
			switch {
			case tt.bad == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.bad != "" && (!errors.Is(err, data.ErrInvalid) || !strings.Contains(err.Error(), tt.bad)):
				t.Errorf("Validate() = %v, want a validation error saying %q", err, tt.bad)
			}
		})
	}
}
