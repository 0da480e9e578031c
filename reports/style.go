package reports

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos may be JPEG
	_ "image/png"  // or PNG
	"math"
	"strconv"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Style is the look every document shares, set in Ajustes ("Estilo de los
// documentos"). The zero Style is usable: it prints like DefaultStyle.
type Style struct {
	// Programme is the programme's name, printed in every header. It is
	// not stored with the style: LoadStyle reads it from data.Programme.
	Programme string `json:"-"`

	// Logos are up to MaxLogos images (PNG or JPEG) printed at the top of
	// every page, left to right: e.g. the city, the agency, the EU
	// co-funding mark. None is fine.
	Logos []Logo `json:"logos,omitempty"`

	// Primary is the colour of titles, headings and rules. Zero means
	// DefaultPrimary. A light colour is darkened for text so that it stays
	// readable and prints well in black and white.
	Primary Color `json:"primary"`

	// Footer is a line printed at the foot of every page, e.g. "Proyecto
	// cofinanciado por el Fondo de Asilo, Migración e Integración".
	Footer string `json:"footer,omitempty"`
}

// Limits of a Style, checked by Validate.
const (
	MaxLogos       = 3
	MaxLogoBytes   = 1 << 20 // 1 MB per logo
	MaxFooterRunes = 200
)

// DefaultPrimary is a dark institutional blue: readable on screen, a dark
// grey on a black-and-white printer.
var DefaultPrimary = Color{0x1F, 0x4E, 0x79}

// DefaultStyle is the style of a database where none was saved.
func DefaultStyle() Style {
	return Style{Programme: data.DefaultProgramme().Name, Primary: DefaultPrimary}
}

// Logo is an image printed in the header of every document.
type Logo struct {
	Name string `json:"name"` // the file it came from, to show in Ajustes
	Data []byte `json:"data"` // PNG or JPEG bytes (base64 in the database)
}

// Format returns "png" or "jpeg", or "" when Data is neither.
func (lg *Logo) Format() string {
	_, format, err := image.DecodeConfig(bytes.NewReader(lg.Data))
	if err != nil || (format != "png" && format != "jpeg") {
		return ""
	}
	return format
}

// size returns the image's size in pixels.
func (lg *Logo) size() (w, h int) {
	c, _, err := image.DecodeConfig(bytes.NewReader(lg.Data))
	if err != nil {
		return 0, 0
	}
	return c.Width, c.Height
}

// CheckLogo returns nil when lg can be a logo (a PNG or JPEG of at most
// MaxLogoBytes), or a Spanish sentence saying why not.
func CheckLogo(lg Logo) error {
	switch {
	case len(lg.Data) == 0:
		return fmt.Errorf("El archivo «%s» está vacío.", lg.Name)
	case len(lg.Data) > MaxLogoBytes:
		return fmt.Errorf("El logotipo «%s» ocupa %.1f MB: el máximo es 1 MB. Redúzcalo o guárdelo como JPEG.",
			lg.Name, float64(len(lg.Data))/(1<<20))
	case lg.Format() == "":
		return fmt.Errorf("El archivo «%s» no es una imagen PNG ni JPEG.", lg.Name)
	}
	if w, h := lg.size(); w < 1 || h < 1 || w > 10000 || h > 10000 {
		return fmt.Errorf("La imagen «%s» tiene un tamaño que no se puede usar (%d × %d píxeles).", lg.Name, w, h)
	}
	return nil
}

// Validate checks st and returns a *data.ValidationError listing every
// problem in Spanish, or nil.
func (st *Style) Validate() error {
	var fields []data.FieldError
	if len(st.Logos) > MaxLogos {
		fields = append(fields, data.FieldError{Field: "Logos",
			Message: fmt.Sprintf("Puede haber como mucho %d logotipos.", MaxLogos)})
	}
	for _, lg := range st.Logos {
		if err := CheckLogo(lg); err != nil {
			fields = append(fields, data.FieldError{Field: "Logos", Message: err.Error()})
		}
	}
	if n := len([]rune(st.Footer)); n > MaxFooterRunes {
		fields = append(fields, data.FieldError{Field: "Footer",
			Message: fmt.Sprintf("El texto del pie tiene %d caracteres: el máximo es %d.", n, MaxFooterRunes)})
	}
	if len(fields) > 0 {
		return &data.ValidationError{Fields: fields}
	}
	return nil
}

// styleKey is the setting the style is stored under.
const styleKey = "document_style"

// LoadStyle returns the style saved in s, or DefaultStyle when none was,
// with the programme's name from s.Programme.
func LoadStyle(s *data.Store) (Style, error) {
	st := DefaultStyle()
	if err := s.Setting(styleKey, &st); err != nil && !errors.Is(err, data.ErrNotFound) {
		return Style{}, fmt.Errorf("estilo de los documentos: %w", err)
	}
	p, err := s.Programme()
	if err != nil {
		return Style{}, err
	}
	st.Programme = p.Name
	if st.Primary.IsZero() {
		st.Primary = DefaultPrimary
	}
	return st, nil
}

// SaveStyle validates st and stores it in s (the programme's name is not
// stored: it belongs to the programme). It returns a *data.ValidationError
// and writes nothing when st is not valid.
func SaveStyle(s *data.Store, st Style) error {
	st.Footer = strings.TrimSpace(st.Footer)
	if err := st.Validate(); err != nil {
		return err
	}
	return s.SetSetting(styleKey, st)
}

// Color is an RGB colour, stored as "#RRGGBB".
type Color struct{ R, G, B uint8 }

// IsZero reports whether c is unset (black is never a primary colour here:
// ParseColor gives #000000 as Color{} too, and it prints as the default).
func (c Color) IsZero() bool { return c == Color{} }

// Hex returns c as "#RRGGBB".
func (c Color) Hex() string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

// ParseColor reads "#1F4E79", "1f4e79" or "#17a" (the short form). The
// error is a Spanish sentence.
func ParseColor(s string) (Color, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	n, err := strconv.ParseUint(h, 16, 32)
	if len(h) != 6 || err != nil {
		return Color{}, fmt.Errorf("El color «%s» no es válido: escríbalo como #1F4E79.", s)
	}
	return Color{uint8(n >> 16), uint8(n >> 8), uint8(n)}, nil
}

// MarshalText writes c as "#RRGGBB".
func (c Color) MarshalText() ([]byte, error) { return []byte(c.Hex()), nil }

// UnmarshalText reads what MarshalText wrote; "" is the zero Color.
func (c *Color) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = Color{}
		return nil
	}
	v, err := ParseColor(string(b))
	*c = v
	return err
}

// luminance is c's relative luminance (WCAG 2).
func (c Color) luminance() float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Ink returns c darkened, if need be, until white paper gives it a
// contrast of at least 7:1, so that titles in it are readable in colour and
// print dark in black and white.
func (c Color) Ink() Color {
	for i := 0; i < 40 && (1.05)/(c.luminance()+0.05) < 7; i++ {
		c = Color{uint8(float64(c.R) * 0.9), uint8(float64(c.G) * 0.9), uint8(float64(c.B) * 0.9)}
	}
	return c
}

// tint mixes c with white: 0 is c, 1 is white.
func (c Color) tint(f float64) Color {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + (255-float64(v))*f)) }
	return Color{mix(c.R), mix(c.G), mix(c.B)}
}
