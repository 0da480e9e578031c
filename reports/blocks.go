package reports

import (
	"fmt"
	"strings"
)

// Heading starts a section: a bold title in the primary colour over a
// thin rule. It is never left alone at the foot of a page.
func (d *Document) Heading(text string) {
	d.Space(4)
	d.ensure(10 + 18)
	d.font("B", 12.5)
	d.color(d.ink)
	for _, line := range d.split(clean(text), contentW) {
		d.cell(marginX, d.y, contentW, 6, line, "L")
		d.y += 6
	}
	d.draw(d.opt.Style.Primary.tint(0.55))
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(marginX, d.y+0.6, pageW-marginX, d.y+0.6)
	d.y += 3.5
}

// Subheading is a smaller, bold title inside a section.
func (d *Document) Subheading(text string) {
	d.Space(2)
	d.ensure(6 + 12)
	d.font("B", 10.5)
	d.color(textColor)
	for _, line := range d.split(clean(text), contentW) {
		d.cell(marginX, d.y, contentW, 5.2, line, "L")
		d.y += 5.2
	}
	d.y += 1
}

// Paragraph writes body text, wrapped to the page width. Line breaks in
// text start new lines.
func (d *Document) Paragraph(text string) {
	d.text(clean(text), "", bodySize, textColor, marginX, contentW)
	d.y += 2
}

// Strong writes a paragraph in bold.
func (d *Document) Strong(text string) {
	d.text(clean(text), "B", bodySize, textColor, marginX, contentW)
	d.y += 2
}

// Note writes a small grey line of explanation.
func (d *Document) Note(text string) {
	d.text(clean(text), "I", 8, mutedColor, marginX, contentW)
	d.y += 1.5
}

// text writes wrapped lines at x, breaking pages between lines.
func (d *Document) text(text, style string, size float64, c Color, x, w float64) {
	d.font(style, size)
	lh := lineH(size)
	for _, line := range d.split(text, w) {
		if d.ensure(lh) {
			d.font(style, size)
		}
		d.color(c)
		d.cell(x, d.y, w, lh, line, "L")
		d.y += lh
	}
}

// Bullets writes a bulleted list; each item is kept on one page.
func (d *Document) Bullets(items []string) {
	for _, it := range items {
		d.item("•", clean(it))
	}
	d.y += 1.5
}

// Numbered writes a numbered list (1., 2., …); each item is kept on one
// page.
func (d *Document) Numbered(items []string) {
	for i, it := range items {
		d.item(fmt.Sprintf("%d.", i+1), clean(it))
	}
	d.y += 1.5
}

// item writes one list item with its mark hanging in the margin.
func (d *Document) item(mark, text string) {
	const indent = 6.0
	d.font("", bodySize)
	lh := lineH(bodySize)
	lines := d.split(text, contentW-indent)
	if h := float64(len(lines)) * lh; h < d.bottom-d.top {
		d.ensure(h)
	}
	d.font("B", bodySize)
	d.color(d.ink)
	d.cell(marginX+1, d.y, indent, lh, mark, "L")
	d.font("", bodySize)
	d.color(textColor)
	for _, line := range lines {
		if d.ensure(lh) {
			d.font("", bodySize)
		}
		d.cell(marginX+indent, d.y, contentW-indent, lh, line, "L")
		d.y += lh
	}
	d.y += 1.2
}

// Field is one labelled value of a Fields block.
type Field struct {
	Label, Value string
}

// Fields writes labelled values in columns (1 or 2) of label and value,
// skipping empty values. Each row is kept on one page.
func (d *Document) Fields(fields []Field, columns int) {
	var keep []Field
	for _, f := range fields {
		if strings.TrimSpace(f.Value) != "" {
			keep = append(keep, Field{clean(f.Label), clean(f.Value)})
		}
	}
	if columns < 1 {
		columns = 1
	}
	const gap = 6.0
	colW := (contentW - gap*float64(columns-1)) / float64(columns)
	labelW := min(46, colW*0.4)
	lh := lineH(9)
	for i := 0; i < len(keep); i += columns {
		row := keep[i:min(i+columns, len(keep))]
		var cells [][2][]string
		rows := 0
		for _, f := range row {
			d.font("", 8)
			label := d.split(f.Label, labelW-2)
			d.font("", 9)
			value := d.split(f.Value, colW-labelW)
			cells = append(cells, [2][]string{label, value})
			rows = max(rows, len(label), len(value))
		}
		d.ensure(float64(rows) * lh)
		for c, cell := range cells {
			x := marginX + float64(c)*(colW+gap)
			d.font("", 8)
			d.color(mutedColor)
			for j, line := range cell[0] {
				d.cell(x, d.y+float64(j)*lh, labelW-2, lh, line, "L")
			}
			d.font("", 9)
			d.color(textColor)
			for j, line := range cell[1] {
				d.cell(x+labelW, d.y+float64(j)*lh, colW-labelW, lh, line, "L")
			}
		}
		d.y += float64(rows)*lh + 0.8
	}
	d.y += 1.5
}

// Callout writes text in a shaded box with a bar in the primary colour,
// for what the reader must not miss. It is kept on one page.
func (d *Document) Callout(text string, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	const pad = 3.0
	d.font(style, bodySize)
	lh := lineH(bodySize)
	lines := d.split(clean(text), contentW-2*pad-1.5)
	h := float64(len(lines))*lh + 2*pad - 1
	d.ensure(h)
	d.fill(d.opt.Style.Primary.tint(0.9))
	d.pdf.Rect(marginX, d.y, contentW, h, "F")
	d.fill(d.ink)
	d.pdf.Rect(marginX, d.y, 1.5, h, "F")
	d.color(textColor)
	for j, line := range lines {
		d.cell(marginX+1.5+pad, d.y+pad-0.5+float64(j)*lh, contentW-2*pad-1.5, lh, line, "L")
	}
	d.y += h + 3
}

// Card is a boxed group of lines: an office's contacts, a person's.
type Card struct {
	Title string
	Lines []string
}

// Cards writes cards two to a row; each row is kept on one page.
func (d *Document) Cards(cards []Card) {
	for i := 0; i < len(cards); i += 2 {
		row := cards[i:min(i+2, len(cards))]
		titles, bodies, h := d.cardRow(row)
		d.ensure(h)
		for c := range row {
			d.card(marginX+float64(c)*(cardW+cardGap), h, titles[c], bodies[c])
		}
		d.y += h + 4
	}
}

// Card geometry, in millimetres.
const (
	cardGap = 6.0
	cardPad = 3.0
	cardW   = (contentW - cardGap) / 2
)

// cardRow wraps a row of cards and returns their lines and the row's height.
func (d *Document) cardRow(row []Card) (titles, bodies [][]string, h float64) {
	w := cardW - 2*cardPad - 1.5
	for _, c := range row {
		d.font("B", 10)
		t := d.split(clean(c.Title), w)
		d.font("", 8.8)
		var b []string
		for _, l := range c.Lines {
			b = append(b, d.split(clean(l), w)...)
		}
		titles, bodies = append(titles, t), append(bodies, b)
		h = max(h, float64(len(t))*5+1+float64(len(b))*lineH(8.8))
	}
	return titles, bodies, h + 2*cardPad
}

// card draws one card at x, h high, on the current line.
func (d *Document) card(x, h float64, title, body []string) {
	d.draw(ruleColor)
	d.pdf.SetLineWidth(0.25)
	d.pdf.Rect(x, d.y, cardW, h, "D")
	d.fill(d.ink)
	d.pdf.Rect(x, d.y, 1.5, h, "F")
	w := cardW - 2*cardPad - 1.5
	y := d.y + cardPad
	d.font("B", 10)
	d.color(d.ink)
	for _, l := range title {
		d.cell(x+1.5+cardPad, y, w, 5, l, "L")
		y += 5
	}
	y++
	d.font("", 8.8)
	d.color(textColor)
	for _, l := range body {
		d.cell(x+1.5+cardPad, y, w, lineH(8.8), l, "L")
		y += lineH(8.8)
	}
}

// ContactSection writes an optional section heading, a subheading, a
// lead-in paragraph and contact cards, keeping them together with at
// least the first row of cards. Empty texts are left out.
func (d *Document) ContactSection(heading, title, intro string, cards []Card) {
	need := 0.0
	if len(cards) > 0 {
		_, _, need = d.cardRow(cards[:min(2, len(cards))])
	}
	if heading != "" {
		need += 14
	}
	if title != "" {
		need += 8
	}
	if intro != "" {
		d.font("", bodySize)
		need += float64(len(d.split(clean(intro), contentW)))*lineH(bodySize) + 2
	}
	d.KeepNext(need)
	if heading != "" {
		d.Heading(heading)
	}
	if title != "" {
		d.Subheading(title)
	}
	if intro != "" {
		d.Paragraph(intro)
	}
	d.Cards(cards)
}

// KeepNext starts a new page unless mm millimetres fit on this one: call
// it before a group of blocks that must stay together, such as a heading,
// its explanation and a small table.
func (d *Document) KeepNext(mm float64) {
	d.ensure(mm)
}

// Check is one item of a Checklist.
type Check struct {
	Text   string
	Done   bool
	Detail string // e.g. the date it was achieved, or why it does not apply
	Sub    bool   // part of the item before it: indented
	Off    bool   // does not apply: drawn greyed, with a dash in the box
}

// Checklist writes items with a box, ticked when done; each item is kept
// on one page. Boxes are drawn, not typed, so they print on any printer.
func (d *Document) Checklist(items []Check) {
	const box, detailW = 3.4, 46.0
	lh := lineH(bodySize)
	for _, it := range items {
		x := marginX
		if it.Sub {
			x += 7
		}
		tw := pageW - marginX - detailW - (x + box + 3)
		d.font("", bodySize)
		lines := d.split(clean(it.Text), tw)
		d.font("", 8)
		detail := d.split(clean(it.Detail), detailW)
		h := float64(max(len(lines), len(detail), 1)) * lh
		d.ensure(h)
		bx, by := x, d.y+(lh-box)/2
		d.pdf.SetLineWidth(0.3)
		d.draw(textColor)
		if it.Off {
			d.draw(ruleColor)
		}
		d.pdf.Rect(bx, by, box, box, "D")
		switch {
		case it.Done:
			d.draw(d.ink)
			d.pdf.SetLineWidth(0.55)
			d.pdf.Line(bx+0.7, by+box*0.55, bx+box*0.42, by+box-0.7)
			d.pdf.Line(bx+box*0.42, by+box-0.7, bx+box-0.5, by+0.6)
		case it.Off:
			d.pdf.Line(bx+0.8, by+box/2, bx+box-0.8, by+box/2)
		}
		d.font("", bodySize)
		d.color(textColor)
		if it.Off {
			d.color(mutedColor)
		}
		for j, line := range lines {
			d.cell(x+box+3, d.y+float64(j)*lh, tw, lh, line, "L")
		}
		d.font("", 8)
		d.color(mutedColor)
		for j, line := range detail {
			d.cell(pageW-marginX-detailW, d.y+float64(j)*lh, detailW, lh, line, "R")
		}
		d.y += h + 0.6
	}
	d.y += 2
}

// Figure is a number with what it counts, for a Figures row.
type Figure struct {
	Value string // e.g. "31" or "72 %"
	Label string // e.g. "en el programa"
}

// Figures writes up to five key figures side by side in boxes, the value
// large: the totals at the head of a report.
func (d *Document) Figures(figs []Figure) {
	const gap = 4.0
	for i := 0; i < len(figs); i += 5 {
		row := figs[i:min(i+5, len(figs))]
		w := (contentW - gap*4) / 5
		d.font("", 8)
		lines := 1
		for _, f := range row {
			lines = max(lines, len(d.split(clean(f.Label), w-4)))
		}
		h := 11 + float64(lines)*3.6 + 2
		d.ensure(h)
		for c, f := range row {
			x := marginX + float64(c)*(w+gap)
			d.fill(d.opt.Style.Primary.tint(0.9))
			d.pdf.Rect(x, d.y, w, h, "F")
			d.font("B", 17)
			d.color(d.ink)
			d.cell(x+2, d.y+2, w-4, 8, clean(f.Value), "L")
			d.font("", 8)
			d.color(textColor)
			for j, l := range d.split(clean(f.Label), w-4) {
				d.cell(x+2, d.y+10.5+float64(j)*3.6, w-4, 3.6, l, "L")
			}
		}
		d.y += h + 4
	}
}
