package reports

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// QR writes link as a QR code (drawn as vector squares, sharp at any
// zoom and in black and white) with the link printed beside it and text
// above the link. The code is 30 mm wide, with the quiet zone the
// standard asks for, so that a phone reads it from a printed page.
func (d *Document) QR(text, link string) error {
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("código QR de %q: %w", link, err)
	}
	bits := q.Bitmap() // with a 4-module quiet zone
	const side = 30.0
	module := side / float64(len(bits))
	d.ensure(side + 2)
	top := d.y
	d.fill(Color{0, 0, 0})
	for y, row := range bits {
		for x, on := range row {
			if on {
				d.pdf.Rect(marginX+float64(x)*module, top+float64(y)*module, module, module, "F")
			}
		}
	}
	x := marginX + side + 4
	w := contentW - side - 4
	d.y = top + 4
	d.text(text, "", bodySize, textColor, x, w)
	d.text(link, "B", bodySize, d.ink, x, w)
	if d.y < top+side {
		d.y = top + side
	}
	d.y += 3
	return nil
}
