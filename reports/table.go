package reports

import (
	"math"
	"strconv"
	"strings"
)

// Align is how a table column aligns its text.
type Align int

// Alignments.
const (
	AlignLeft Align = iota
	AlignRight
	AlignCenter
)

func (a Align) code() string {
	switch a {
	case AlignRight:
		return "R"
	case AlignCenter:
		return "C"
	}
	return "L"
}

// Column is one column of a Table.
type Column struct {
	Title string
	Width float64 // relative to the other columns: widths are scaled to the page
	Align Align
}

// Table is a grid of text: a header row repeated on every page it spans,
// rows that wrap and are never cut across pages, an optional total row.
type Table struct {
	Columns []Column
	Rows    [][]string
	Total   []string // printed in bold after the rows; nil for none
	Size    float64  // font size in points; zero means 8.5
}

// Table writes t.
func (d *Document) Table(t Table) {
	if len(t.Columns) == 0 {
		return
	}
	if t.Size == 0 {
		t.Size = 8.5
	}
	sum := 0.0
	for _, c := range t.Columns {
		sum += max(c.Width, 0.01)
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = contentW * max(c.Width, 0.01) / sum
	}
	tl := tableLayout{d: d, t: &t, widths: widths, lh: lineH(t.Size)}
	tl.header(true)
	for i, row := range t.Rows {
		tl.row(row, "", i%2 == 1)
	}
	if t.Total != nil {
		tl.row(t.Total, "B", false)
	}
	d.y += 3
}

type tableLayout struct {
	d      *Document
	t      *Table
	widths []float64
	lh     float64
}

const cellPadX, cellPadY = 1.6, 1.1

// wrap returns each cell of row wrapped to its column.
func (tl *tableLayout) wrap(row []string, style string, size float64) ([][]string, int) {
	tl.d.font(style, size)
	cells := make([][]string, len(tl.widths))
	n := 1
	for i := range tl.widths {
		if i < len(row) {
			cells[i] = tl.d.split(clean(row[i]), tl.widths[i]-2*cellPadX)
		}
		n = max(n, len(cells[i]))
	}
	return cells, n
}

// header writes the column titles; first says whether the table starts
// here (it then keeps the header with at least one row).
func (tl *tableLayout) header(first bool) {
	d := tl.d
	titles := make([]string, len(tl.t.Columns))
	for i, c := range tl.t.Columns {
		titles[i] = c.Title
	}
	size := tl.t.Size - 0.5
	cells, n := tl.wrap(titles, "B", size)
	h := float64(n)*lineH(size) + 2*cellPadY
	if first {
		d.ensure(h + tl.lh*2 + 2*cellPadY)
	}
	d.fill(d.opt.Style.Primary.tint(0.85))
	d.pdf.Rect(marginX, d.y, contentW, h, "F")
	d.color(d.ink)
	tl.cells(cells, lineH(size))
	d.draw(d.ink)
	d.pdf.SetLineWidth(0.35)
	d.pdf.Line(marginX, d.y+h, pageW-marginX, d.y+h)
	d.y += h
}

// row writes one row, moving to a new page (with the header again) when
// it does not fit; a row taller than a page is split between its lines.
func (tl *tableLayout) row(row []string, style string, zebra bool) {
	d := tl.d
	cells, n := tl.wrap(row, style, tl.t.Size)
	h := float64(n)*tl.lh + 2*cellPadY
	if d.y+h > d.bottom && h <= d.bottom-d.top-20 {
		d.newPage()
		tl.header(false)
		d.font(style, tl.t.Size)
	}
	for len(cells) > 0 {
		fit := int((d.bottom - d.y - 2*cellPadY) / tl.lh)
		if fit >= n {
			tl.band(cells, style, zebra, h)
			return
		}
		if fit < 1 {
			d.newPage()
			tl.header(false)
			d.font(style, tl.t.Size)
			continue
		}
		part, rest := make([][]string, len(cells)), make([][]string, len(cells))
		for i, c := range cells {
			part[i], rest[i] = c[:min(fit, len(c))], c[min(fit, len(c)):]
		}
		tl.band(part, style, zebra, float64(fit)*tl.lh+2*cellPadY)
		d.newPage()
		tl.header(false)
		d.font(style, tl.t.Size)
		cells, n = rest, n-fit
		h = float64(n)*tl.lh + 2*cellPadY
	}
}

// band draws one row's background, text and bottom rule, h high.
func (tl *tableLayout) band(cells [][]string, style string, zebra bool, h float64) {
	d := tl.d
	if zebra {
		d.fill(zebraColor)
		d.pdf.Rect(marginX, d.y, contentW, h, "F")
	}
	d.font(style, tl.t.Size)
	d.color(textColor)
	tl.cells(cells, tl.lh)
	d.draw(ruleColor)
	d.pdf.SetLineWidth(0.15)
	if style == "B" {
		d.draw(d.ink)
		d.pdf.SetLineWidth(0.35)
		d.pdf.Line(marginX, d.y, pageW-marginX, d.y)
	}
	d.pdf.Line(marginX, d.y+h, pageW-marginX, d.y+h)
	d.y += h
}

func (tl *tableLayout) cells(cells [][]string, lh float64) {
	x := marginX
	for i, lines := range cells {
		w := tl.widths[i]
		for j, line := range lines {
			tl.d.cell(x+cellPadX, tl.d.y+cellPadY+float64(j)*lh, w-2*cellPadX, lh, line, tl.t.Columns[i].Align.code())
		}
		x += w
	}
}

// Bar is one bar of a BarChart.
type Bar struct {
	Label  string
	Value  float64
	Target float64 // drawn as a tick across the bar when above zero
}

// BarChart is a horizontal bar chart drawn as vector graphics: a label
// column, a bar per item in the primary colour with its value at the end,
// light grid lines, and an optional target tick per bar ("objective vs
// result"). It prints well in black and white.
type BarChart struct {
	Title string // optional, printed above the chart
	Bars  []Bar
	// Format writes a value; nil writes integers as "1.234" and other
	// numbers with one decimal.
	Format func(v float64) string
	// TargetLabel names the target tick in the legend; empty means
	// "Objetivo". The legend shows only when some bar has a target.
	TargetLabel string
}

// BarChart writes c. Rows are never cut across pages; a chart that fits
// on one page is kept on one page.
func (d *Document) BarChart(c BarChart) {
	if len(c.Bars) == 0 {
		return
	}
	format := c.Format
	if format == nil {
		format = formatNumber
	}
	const labelW, valueW, barH = 58.0, 16.0, 4.6
	x0 := marginX + labelW + 2
	plotW := contentW - labelW - 2 - valueW
	top, hasTarget := 0.0, false
	for _, b := range c.Bars {
		top = max(top, b.Value, b.Target)
		hasTarget = hasTarget || b.Target > 0
	}
	step := niceStep(top)
	scaleMax := math.Max(step, math.Ceil(top/step)*step)

	// Lay the rows out first to keep a small chart on one page.
	d.font("", 8.5)
	lh := lineH(8.5)
	labels := make([][]string, len(c.Bars))
	total := 0.0
	for i, b := range c.Bars {
		labels[i] = d.split(clean(b.Label), labelW)
		if len(labels[i]) > 3 {
			labels[i] = append(labels[i][:2], d.fit(strings.Join(labels[i][2:], " "), labelW))
		}
		total += max(float64(len(labels[i]))*lh, barH) + 2.2
	}
	titleH := 0.0
	if c.Title != "" {
		titleH = 7
	}
	if h := titleH + total + 12; h < d.bottom-d.top {
		d.ensure(h)
	} else {
		d.ensure(titleH + 20)
	}
	if c.Title != "" {
		d.font("B", 10)
		d.color(textColor)
		d.cell(marginX, d.y, contentW, 5, d.fit(clean(c.Title), contentW), "L")
		d.y += titleH
	}
	for i, b := range c.Bars {
		rowH := max(float64(len(labels[i]))*lh, barH) + 2.2
		if d.ensure(rowH) {
			d.y += 1
		}
		d.draw(ruleColor)
		d.pdf.SetLineWidth(0.1)
		for v := step; v <= scaleMax+step/2; v += step {
			x := x0 + plotW*v/scaleMax
			d.pdf.Line(x, d.y, x, d.y+rowH)
		}
		d.draw(textColor)
		d.pdf.SetLineWidth(0.25)
		d.pdf.Line(x0, d.y, x0, d.y+rowH)
		d.font("", 8.5)
		d.color(textColor)
		ly := d.y + (rowH-float64(len(labels[i]))*lh)/2
		for j, l := range labels[i] {
			d.cell(marginX, ly+float64(j)*lh, labelW, lh, l, "R")
		}
		by := d.y + (rowH-barH)/2
		w := plotW * max(b.Value, 0) / scaleMax
		if w > 0 {
			d.fill(d.ink)
			d.pdf.Rect(x0, by, w, barH, "F")
		}
		d.font("B", 8.5)
		d.cell(x0+w+1.5, by, valueW+plotW-w, barH, clean(format(b.Value)), "L")
		if b.Target > 0 {
			// A black tick with a white halo: visible on the bar and off it,
			// in colour and in black and white.
			tx := x0 + plotW*b.Target/scaleMax
			d.draw(Color{0xFF, 0xFF, 0xFF})
			d.pdf.SetLineWidth(1.7)
			d.pdf.Line(tx, by, tx, by+barH)
			d.draw(Color{})
			d.pdf.SetLineWidth(0.7)
			d.pdf.Line(tx, by-1.2, tx, by+barH+1.2)
		}
		d.y += rowH
	}
	// Axis values under the last row, and the legend.
	d.font("", 7.5)
	d.color(mutedColor)
	for v := 0.0; v <= scaleMax+step/2; v += step {
		x := x0 + plotW*v/scaleMax
		d.cell(x-10, d.y+0.5, 20, 3.5, clean(format(v)), "C")
	}
	d.y += 4.5
	if hasTarget {
		label := c.TargetLabel
		if label == "" {
			label = d.l.t("Objetivo")
		}
		d.fill(d.ink)
		d.pdf.Rect(x0, d.y+0.8, 5, 2.6, "F")
		d.cell(x0+6.5, d.y, 30, 4, d.l.t("Resultado"), "L")
		d.draw(Color{})
		d.pdf.SetLineWidth(0.7)
		d.pdf.Line(x0+40, d.y+0.2, x0+40, d.y+3.8)
		d.cell(x0+42, d.y, 60, 4, clean(label), "L")
		d.y += 5
	}
	d.y += 4
}

// niceStep is a round grid step giving four to eight lines up to top.
func niceStep(top float64) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * mag; s >= raw {
			if s < 1 && top >= 1 {
				return 1
			}
			return s
		}
	}
	return 10 * mag
}

// formatNumber writes integers with a dot every three digits ("1.234")
// and other numbers with one decimal and a comma ("72,5").
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return thousands(int64(v))
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
