package reports

// Signatures writes boxes to sign in, side by side (two to a row): each
// with its caption on top, room for the signature, and lines for the
// name and the date written by hand. The row is kept on one page.
func (d *Document) Signatures(captions []string) {
	const gap, h, lh = 8.0, 38.0, 4.2
	w := (contentW - gap) / 2
	for i := 0; i < len(captions); i += 2 {
		row := captions[i:min(i+2, len(captions))]
		d.ensure(h)
		for c, caption := range row {
			x := marginX + float64(c)*(w+gap)
			d.draw(ruleColor)
			d.pdf.SetLineWidth(0.3)
			d.pdf.Rect(x, d.y, w, h, "D")
			d.font("B", 8.5)
			d.color(textColor)
			for j, line := range d.split(clean(caption), w-6)[:1] {
				d.cell(x+3, d.y+2+float64(j)*lh, w-6, lh, line, "L")
			}
			d.font("", 8)
			d.color(mutedColor)
			for j, label := range []string{d.l.t("Firma:"), d.l.t("Nombre y cargo:"), d.l.t("Fecha:")} {
				y := d.y + 20 + float64(j)*6.5
				d.cell(x+3, y-lh+0.5, 26, lh, label, "L")
				d.pdf.Line(x+29, y, x+w-4, y)
			}
		}
		d.y += h + 4
	}
}
