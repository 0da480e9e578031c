package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// barItem is one row of a bar chart. A positive target draws a track up to
// it and a mark at it, so a result can be read against its target.
type barItem struct {
	label  string
	value  int
	target int
	text   string // what is written after the bar; "" writes the value
}

// barChart is a horizontal bar chart drawn with canvas rectangles and
// texts: a label column on the left, a bar proportional to the value, and
// the value written after it. Labels too long for their column are cut
// with "…". It draws no images, so it follows the theme.
type barChart struct {
	widget.BaseWidget
	items []barItem
	empty string // shown when there are no items
}

func newBarChart(empty string) *barChart {
	c := &barChart{empty: empty}
	c.ExtendBaseWidget(c)
	return c
}

// setItems replaces the rows and redraws.
func (c *barChart) setItems(items []barItem) {
	c.items = items
	c.Refresh()
}

// CreateRenderer builds the chart's canvas objects.
func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{c: c}
	r.build()
	return r
}

// barRow holds the canvas objects of one row.
type barRow struct {
	label, value *canvas.Text
	track, bar   *canvas.Rectangle
	mark         *canvas.Rectangle
}

type barRenderer struct {
	c       *barChart
	rows    []barRow
	empty   *canvas.Text
	objects []fyne.CanvasObject
}

// Chart metrics, in theme units.
const (
	barRowGap      = 4   // between rows
	barMinLength   = 80  // the bar area never gets narrower than this
	barLabelMax    = 0.4 // share of the width the labels may take
	barMarkWidth   = 2
	barTextPadding = 8
)

func (r *barRenderer) build() {
	r.rows = r.rows[:0]
	r.objects = r.objects[:0]
	size := theme.TextSize()
	r.empty = canvas.NewText(r.c.empty, theme.Color(theme.ColorNamePlaceHolder))
	r.empty.TextSize = size
	r.empty.Hidden = len(r.c.items) > 0
	r.objects = append(r.objects, r.empty)
	for _, it := range r.c.items {
		row := barRow{
			label: canvas.NewText(it.label, theme.Color(theme.ColorNameForeground)),
			value: canvas.NewText(itemText(it), theme.Color(theme.ColorNameForeground)),
			track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
			bar:   canvas.NewRectangle(theme.Color(theme.ColorNamePrimary)),
			mark:  canvas.NewRectangle(theme.Color(theme.ColorNameForeground)),
		}
		row.label.TextSize, row.value.TextSize = size, size
		row.track.Hidden, row.mark.Hidden = it.target <= 0, it.target <= 0
		row.bar.CornerRadius = 2
		r.rows = append(r.rows, row)
		r.objects = append(r.objects, row.track, row.bar, row.mark, row.label, row.value)
	}
}

func itemText(it barItem) string {
	if it.text != "" {
		return it.text
	}
	return number(it.value)
}

// rowHeight is the height of a row's text plus the gap.
func rowHeight() float32 {
	return fyne.MeasureText("Ág", theme.TextSize(), fyne.TextStyle{}).Height + barRowGap
}

// columns returns the widths of the label and value columns for a chart
// width w.
func (r *barRenderer) columns(w float32) (label, value float32) {
	size := theme.TextSize()
	for _, it := range r.c.items {
		label = max(label, fyne.MeasureText(it.label, size, fyne.TextStyle{}).Width)
		value = max(value, fyne.MeasureText(itemText(it), size, fyne.TextStyle{}).Width)
	}
	if w > 0 {
		label = min(label, w*barLabelMax)
	}
	return label + barTextPadding, value + barTextPadding
}

func (r *barRenderer) Layout(size fyne.Size) {
	r.empty.Move(fyne.NewPos(0, 0))
	r.empty.Resize(r.empty.MinSize())
	labelW, valueW := r.columns(size.Width)
	area := max(size.Width-labelW-valueW, 1)
	scale := 1
	for _, it := range r.c.items {
		scale = max(scale, it.value, it.target)
	}
	h := rowHeight()
	textH := h - barRowGap
	barH := textH * 0.7
	for i, it := range r.c.items {
		row := r.rows[i]
		y := float32(i) * h
		if text := fitText(it.label, labelW-barTextPadding, theme.TextSize()); text != row.label.Text {
			row.label.Text = text
			row.label.Refresh()
		}
		row.label.Move(fyne.NewPos(0, y))
		row.label.Resize(fyne.NewSize(labelW-barTextPadding, textH))
		barY := y + (textH-barH)/2
		length := area * float32(it.value) / float32(scale)
		row.bar.Move(fyne.NewPos(labelW, barY))
		row.bar.Resize(fyne.NewSize(length, barH))
		end := length
		if it.target > 0 {
			t := area * float32(it.target) / float32(scale)
			row.track.Move(fyne.NewPos(labelW, barY))
			row.track.Resize(fyne.NewSize(t, barH))
			row.mark.Move(fyne.NewPos(labelW+t-barMarkWidth/2, y))
			row.mark.Resize(fyne.NewSize(barMarkWidth, textH))
			end = max(end, t)
		}
		row.value.Move(fyne.NewPos(labelW+end+barTextPadding*3/4, y))
		row.value.Resize(row.value.MinSize())
	}
}

func (r *barRenderer) MinSize() fyne.Size {
	if len(r.c.items) == 0 {
		return r.empty.MinSize()
	}
	labelW, valueW := r.columns(0)
	labelW = min(labelW, 200)
	return fyne.NewSize(labelW+barMinLength+valueW, float32(len(r.c.items))*rowHeight()-barRowGap)
}

// Refresh rebuilds the rows (their number may have changed) and picks up
// the theme's colours.
func (r *barRenderer) Refresh() {
	r.build()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barRenderer) Destroy()                     {}

// fitText cuts s with "…" so that it is no wider than w.
func fitText(s string, w, size float32) string {
	if fyne.MeasureText(s, size, fyne.TextStyle{}).Width <= w {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi { // the longest prefix that fits with the ellipsis
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, fyne.TextStyle{}).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(runes[:lo]) + "…"
}

// share writes n and its share of total: "11 (31 %)".
func share(n, total int) string {
	if total <= 0 {
		return number(n)
	}
	return fmt.Sprintf("%s (%d %%)", number(n), (n*100+total/2)/total)
}

// number writes n with a dot between thousands, as Spanish does: 20.000.
func number(n int) string {
	s := strconv.Itoa(n)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// columnsLayout lays objects out as a table row by row: ncols per row,
// each column as wide as its widest cell, the first column taking the
// width left over. It is how the profile table lines up its numbers.
type columnsLayout struct{ ncols int }

func (l *columnsLayout) widths(objects []fyne.CanvasObject) []float32 {
	w := make([]float32, l.ncols)
	for i, o := range objects {
		if o.Visible() {
			w[i%l.ncols] = max(w[i%l.ncols], o.MinSize().Width)
		}
	}
	return w
}

func (l *columnsLayout) heights(objects []fyne.CanvasObject) []float32 {
	h := make([]float32, (len(objects)+l.ncols-1)/l.ncols)
	for i, o := range objects {
		if o.Visible() {
			h[i/l.ncols] = max(h[i/l.ncols], o.MinSize().Height)
		}
	}
	return h
}

// Layout places the cells.
func (l *columnsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w, h := l.widths(objects), l.heights(objects)
	pad := theme.Padding() * 2
	var rest float32
	for _, x := range w[1:] {
		rest += x + pad
	}
	w[0] = max(w[0], size.Width-rest)
	var y float32
	for row, rh := range h {
		var x float32
		for col := range l.ncols {
			i := row*l.ncols + col
			if i >= len(objects) {
				break
			}
			objects[i].Move(fyne.NewPos(x, y))
			objects[i].Resize(fyne.NewSize(w[col], rh))
			x += w[col] + pad
		}
		y += rh
	}
}

// MinSize is the sum of the columns and rows.
func (l *columnsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var width, height float32
	for _, x := range l.widths(objects) {
		width += x
	}
	width += theme.Padding() * 2 * float32(l.ncols-1)
	for _, y := range l.heights(objects) {
		height += y
	}
	return fyne.NewSize(width, height)
}
