package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// eventRow is one timeline row: kind icon; time, kind and author; the
// text; the correction mark; the Corregir button.
type eventRow struct {
	widget.BaseWidget
	icon    *widget.Icon
	head    *widget.RichText
	text    *widget.Label
	strike  *canvas.Line
	mark    *widget.Label
	correct *widget.Button
	box     *fyne.Container
}

func newEventRow() fyne.CanvasObject {
	r := &eventRow{icon: widget.NewIcon(theme.DocumentIcon())}
	r.head = widget.NewRichText(
		&widget.TextSegment{Style: widget.RichTextStyleStrong},
		&widget.TextSegment{Style: widget.RichTextStyleInline},
		&widget.TextSegment{Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}},
	)
	r.head.Truncation = fyne.TextTruncateEllipsis
	r.text = widget.NewLabel("")
	r.text.Truncation = fyne.TextTruncateEllipsis
	r.strike = canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	r.strike.StrokeWidth = 1
	r.strike.Hide()
	r.mark = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	r.mark.Truncation = fyne.TextTruncateEllipsis
	r.mark.Hide()
	r.correct = widget.NewButtonWithIcon(T("Corregir"), theme.DocumentCreateIcon(), nil)
	r.correct.Importance = widget.LowImportance

	text := container.New(&strikeLayout{label: r.text, line: r.strike}, r.text, r.strike)
	body := container.New(&tightVBox{}, r.head, text, r.mark)
	r.box = container.NewBorder(nil, nil, container.NewVBox(r.icon), container.NewVBox(r.correct), body)
	r.ExtendBaseWidget(r)
	return r
}

func (r *eventRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// measureRows finds the height of a row with and without a mark line.
func (tl *timeline) measureRows() {
	r := newEventRow().(*eventRow)
	tl.rowH[0] = r.box.MinSize().Height
	r.mark.Show()
	tl.rowH[1] = r.box.MinSize().Height
}

func (tl *timeline) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(tl.events) {
		return
	}
	e := tl.events[id]
	r := o.(*eventRow)
	r.icon.SetResource(kindIcon(e.Kind))
	segs := r.head.Segments
	segs[0].(*widget.TextSegment).Text = formatWhen(e.At)
	segs[1].(*widget.TextSegment).Text = "  ·  " + T(e.Kind.Label())
	segs[2].(*widget.TextSegment).Text = "  ·  " + e.Author
	r.head.Refresh()

	mark, corrected := tl.marks(&e)
	r.text.SetText(firstLine(dataText(e.Text)))
	r.text.Importance = widget.MediumImportance
	r.strike.Hidden = !corrected
	r.mark.Importance = widget.HighImportance
	if corrected {
		r.text.Importance = widget.LowImportance
		r.mark.Importance = widget.WarningImportance
	}
	r.text.Refresh()
	r.mark.SetText(mark)
	r.mark.Hidden = mark == ""
	r.mark.Refresh()
	r.correct.Hidden = corrected || e.Kind.System()
	r.correct.OnTapped = func() { tl.onCorrect(e) }
	tl.u.enableFor(r.correct, data.PermEditPeople, true)
	r.correct.Refresh()
	r.box.Refresh()
}

// firstLine is the first line of s, with "…" when there is more.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i]) + " …"
	}
	return s
}

// kindIcon is the icon of an event kind.
func kindIcon(k data.EventKind) fyne.Resource {
	switch k {
	case data.EventCall:
		return phoneIcon
	case data.EventEmail:
		return theme.MailComposeIcon()
	case data.EventVisit:
		return theme.CalendarIcon()
	case data.EventNote:
		return theme.DocumentCreateIcon()
	case data.EventInterview:
		return theme.AccountIcon()
	case data.EventTraining:
		return schoolIcon
	case data.EventJobOffer:
		return workIcon
	case data.EventDocument:
		return theme.FileIcon()
	case data.EventStatus:
		return theme.ViewRefreshIcon()
	case data.EventReminderDone:
		return theme.ConfirmIcon()
	}
	return theme.InfoIcon()
}

// Material Design icons (Apache 2.0, the set Fyne's own icons come from)
// for the kinds Fyne has no icon for.
var (
	phoneIcon  = materialIcon("call", "M6.62 10.79c1.44 2.83 3.76 5.14 6.59 6.59l2.2-2.2c.27-.27.67-.36 1.02-.24 1.12.37 2.33.57 3.57.57.55 0 1 .45 1 1V20c0 .55-.45 1-1 1-9.39 0-17-7.61-17-17 0-.55.45-1 1-1h3.5c.55 0 1 .45 1 1 0 1.25.2 2.45.57 3.57.11.35.03.74-.25 1.02l-2.2 2.2z")
	schoolIcon = materialIcon("school", "M5 13.18v4L12 21l7-3.82v-4L12 17l-7-3.82zM12 3L1 9l11 6 9-4.91V17h2V9L12 3z")
	workIcon   = materialIcon("work", "M20 6h-4V4c0-1.11-.89-2-2-2h-4c-1.11 0-2 .89-2 2v2H4c-1.11 0-1.99.89-1.99 2L2 19c0 1.11.89 2 2 2h16c1.11 0 2-.89 2-2V8c0-1.11-.89-2-2-2zm-6 0h-4V4h4v2z")
)

func materialIcon(name, path string) fyne.Resource {
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><path fill="#000000" d="%s"/></svg>`, path)
	return theme.NewThemedResource(fyne.NewStaticResource(name+".svg", []byte(svg)))
}

// strikeLayout draws a line through a label's text: the look of a
// timeline entry that a later one corrects.
type strikeLayout struct {
	label *widget.Label
	line  *canvas.Line
}

func (s *strikeLayout) MinSize([]fyne.CanvasObject) fyne.Size { return s.label.MinSize() }

func (s *strikeLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	s.label.Move(fyne.NewPos(0, 0))
	s.label.Resize(size)
	pad := theme.InnerPadding()
	w := fyne.MeasureText(s.label.Text, theme.TextSize(), s.label.TextStyle).Width
	w = min(w, size.Width-2*pad)
	y := size.Height / 2
	s.line.Position1 = fyne.NewPos(pad, y)
	s.line.Position2 = fyne.NewPos(pad+w, y)
}
