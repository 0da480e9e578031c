package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// personIndicators is the Indicadores tab of a person's page: the
// employment indicators checklist (DOMAIN.md), most relevant first, each
// ticked with the date the person achieved it. Every change is stored at
// once, with an entry on the timeline.
type personIndicators struct {
	u     *App
	p     data.Person
	today data.Date

	count  *widget.Label
	rows   []*indicatorRow
	scroll *container.Scroll
	root   fyne.CanvasObject

	changed func() // after a change is stored: the page shows the person again
}

// indicatorRow is one item: a check with the label, the date, why it does
// not apply (or what to check), and a problem with the date, in red.
type indicatorRow struct {
	ind   data.Indicator
	check *widget.Check
	date  *leaveEntry
	note  *widget.RichText
	err   *widget.Label
	root  fyne.CanvasObject
	quiet bool // set while show fills the row, so OnChanged stores nothing
}

func newPersonIndicators(u *App) *personIndicators {
	pi := &personIndicators{u: u}
	pi.count = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := greyText(T("Facilitadores de empleo, por orden de relevancia para acceder antes al empleo. Marque lo que la persona ya tiene: la fecha es cuándo lo consiguió (hoy, si no se cambia)."))
	list := container.NewVBox(intro)
	for _, ind := range data.Indicators {
		r := pi.newRow(ind)
		pi.rows = append(pi.rows, r)
		list.Add(widget.NewSeparator())
		list.Add(r.root)
	}
	pi.scroll = container.NewVScroll(container.NewPadded(list))
	top := container.NewVBox(pi.count, widget.NewSeparator())
	pi.root = container.NewBorder(top, nil, nil, nil, pi.scroll)
	return pi
}

// newRow builds the row of ind, indented when it is part of the item
// before it.
func (pi *personIndicators) newRow(ind data.Indicator) *indicatorRow {
	r := &indicatorRow{ind: ind}
	r.check = widget.NewCheck(T(ind.Label), func(on bool) {
		if !r.quiet {
			pi.onCheck(r, on)
		}
	})
	r.date = newLeaveEntry(pi.u, func() { pi.onDate(r) })
	r.date.SetPlaceHolder(T("dd/mm/aaaa"))
	r.note = greyText("")
	r.note.Hide()
	r.err = wrappedLabel()
	r.err.Importance = widget.DangerImportance
	r.err.Hide()
	width := fyne.MeasureText("00/00/0000", theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding()
	date := container.NewGridWrap(fyne.NewSize(width, r.date.MinSize().Height), r.date)
	row := container.NewBorder(nil, nil, nil, container.NewVBox(date),
		container.New(&tightVBox{}, r.check, r.note, r.err))
	r.root = row
	if ind.Sub {
		indent := theme.IconInlineSize() + 3*theme.InnerPadding()
		r.root = container.New(layout.NewCustomPaddedLayout(0, 0, indent, 0), row)
	}
	return r
}

// show fills the checklist from p.
func (pi *personIndicators) show(p *data.Person) error {
	if p.ID != pi.p.ID {
		pi.scroll.ScrollToTop()
	}
	pi.p, pi.today = *p, pi.u.store.Today()
	done := 0
	for _, r := range pi.rows {
		achieved, had := p.Indicators[r.ind.Code]
		if had {
			done++
		}
		applies, note := data.IndicatorApplies(r.ind.Code, p, pi.today)
		r.quiet = true
		r.check.SetChecked(had)
		r.quiet = false
		r.date.SetText(achieved.String())
		r.date.Hidden = !had // the date is typed once the item is ticked
		r.err.Hide()
		if !applies && !had {
			r.check.Disable()
			note = T("No aplica.") + " " + note
		} else {
			r.check.Enable()
		}
		r.note.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: note,
			Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder}}}
		r.note.Hidden = note == ""
		r.note.Refresh()
	}
	pi.count.SetText(T("{{.Done}} de {{.Total}} conseguidos", map[string]any{"Done": done, "Total": len(pi.rows)}))
	pi.root.Refresh()
	return nil
}

// onCheck stores a tick with today's date, or clears the indicator.
func (pi *personIndicators) onCheck(r *indicatorRow, on bool) {
	var d data.Date
	if on {
		d = pi.today
	}
	pi.set(r, d)
}

// onDate stores the date typed, when it is a date and differs from the
// stored one; an empty date clears the indicator.
func (pi *personIndicators) onDate(r *indicatorRow) {
	if !r.date.Visible() {
		return
	}
	d, err := data.ParseDate(r.date.Text)
	if err != nil {
		pi.showRowError(r, dataErrorText(err))
		return
	}
	if d == pi.p.Indicators[r.ind.Code] {
		return
	}
	pi.set(r, d)
}

// set stores d as the date r's indicator was achieved (zero: not
// achieved) and shows the person again, or shows why it cannot.
func (pi *personIndicators) set(r *indicatorRow, d data.Date) {
	err := pi.u.store.SetIndicator(pi.p.ID, r.ind.Code, d, pi.u.Author())
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		pi.showRowError(r, validationText(ve))
		return
	case err != nil:
		pi.u.showError(err)
		return
	}
	if pi.changed != nil {
		pi.changed()
		return
	}
	p, err := pi.u.store.Person(pi.p.ID)
	if err != nil {
		pi.u.showError(err)
		return
	}
	_ = pi.show(&p)
}

// showRowError puts msg under the row and restores the stored state of
// the check, since nothing was stored.
func (pi *personIndicators) showRowError(r *indicatorRow, msg string) {
	_, had := pi.p.Indicators[r.ind.Code]
	r.quiet = true
	r.check.SetChecked(had)
	r.quiet = false
	r.err.SetText(msg)
	r.err.Show()
	pi.root.Refresh()
}

// leaveEntry is an Esc-aware entry that reports when the user is done
// with it: on Enter, or when the focus leaves it.
type leaveEntry struct {
	entry
	onLeave func()
}

func newLeaveEntry(u *App, onLeave func()) *leaveEntry {
	e := &leaveEntry{onLeave: onLeave}
	e.onEscape = u.dismissTop
	e.OnSubmitted = func(string) { onLeave() }
	e.ExtendBaseWidget(e)
	return e
}

// FocusLost reports the user is done with the entry.
func (e *leaveEntry) FocusLost() {
	e.Entry.FocusLost()
	e.onLeave()
}
