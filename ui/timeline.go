package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// madrid is the time zone every date and time is shown in, whatever the
// computer's own (data.Madrid).
func madrid() *time.Location { return data.Madrid() }

// whenLayout is how event times are written and typed: dd/mm/aaaa hh:mm.
const whenLayout = "02/01/2006 15:04"

// formatWhen writes t as dd/mm/aaaa hh:mm in Madrid time.
func formatWhen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(madrid()).Format(whenLayout)
}

// parseWhen reads "dd/mm/aaaa hh:mm" (or just the date, meaning 00:00) in
// Madrid time. The error is a sentence for the user.
func parseWhen(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New(T("Falta la fecha y la hora (dd/mm/aaaa hh:mm)."))
	}
	datePart, timePart, _ := strings.Cut(s, " ")
	d, err := data.ParseDate(datePart)
	if err != nil {
		return time.Time{}, err
	}
	hh, mm := 0, 0
	if timePart = strings.TrimSpace(timePart); timePart != "" {
		h, m, ok := strings.Cut(timePart, ":")
		var errH, errM error
		hh, errH = strconv.Atoi(h)
		mm, errM = strconv.Atoi(m)
		if !ok || errH != nil || errM != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
			return time.Time{}, errors.New(T("La hora «{{.Time}}» no es válida: escríbala como hh:mm, por ejemplo 09:30.",
				map[string]any{"Time": timePart}))
		}
	}
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, madrid()), nil
}

// timeline is a person's history: a kind filter, a quick-add row and the
// events newest first. It is a widget.List, so 2,000 events cost no more
// than the rows on screen.
type timeline struct {
	u        *App
	personID string

	all    []data.Event          // every event of the person, newest first
	events []data.Event          // shown, after the filter
	byID   map[string]data.Event // every event by ID, for the marks
	rowH   [2]float32            // row height without and with a mark

	filter    *widget.Select
	kind      *widget.Select
	text      *entry
	at        *entry
	atDefault string // the "now" written in at; unchanged means "now"
	addErr    *widget.Label
	empty     *widget.Label
	list      *widget.List
	listBox   *fyne.Container // holds list, replaced at each load
	root      *fyne.Container

	correcting *correctForm // the open correction dialog, if any
}

func newTimeline(u *App) *timeline {
	tl := &timeline{u: u}
	all := T("Todos los tipos")
	tl.filter = widget.NewSelect(append([]string{all}, kindLabels()...), nil)
	tl.filter.SetSelectedIndex(0)
	tl.filter.OnChanged = func(string) { tl.applyFilter(0) }

	tl.kind = widget.NewSelect(manualKindLabels(), nil)
	tl.kind.SetSelected(T(data.EventNote.Label()))
	tl.text = u.newEntry()
	tl.text.SetPlaceHolder(T("¿Qué ha pasado? Intro para añadir"))
	tl.text.OnSubmitted = func(string) { tl.onAdd() }
	tl.at = u.newEntry()
	tl.at.SetPlaceHolder(T("dd/mm/aaaa hh:mm"))
	add := u.gate(widget.NewButtonWithIcon(T("Añadir"), theme.ContentAddIcon(), tl.onAdd), data.PermEditPeople)
	add.Importance = widget.HighImportance

	tl.addErr = wrappedLabel()
	tl.addErr.Importance = widget.DangerImportance
	tl.addErr.Hide()
	tl.empty = widget.NewLabel(T("Todavía no hay entradas en el historial."))
	tl.empty.Hide()
	tl.measureRows()
	tl.list = tl.newList()
	tl.listBox = container.NewStack(tl.list, container.NewVBox(tl.empty))

	atBox := container.NewGridWrap(fyne.NewSize(fyne.MeasureText("00/00/0000 00:00", theme.TextSize(), fyne.TextStyle{}).Width+4*theme.InnerPadding(), tl.at.MinSize().Height), tl.at)
	quick := container.NewBorder(nil, nil, tl.kind, container.NewHBox(atBox, add), tl.text)
	filterRow := container.NewBorder(nil, nil, widget.NewLabel(T("Mostrar:")), nil, tl.filter)
	top := container.NewVBox(quick, tl.addErr, filterRow, widget.NewSeparator())
	tl.root = container.NewBorder(top, nil, nil, nil, tl.listBox)
	return tl
}

func (tl *timeline) content() fyne.CanvasObject { return tl.root }

func kindLabels() []string {
	out := make([]string, len(data.EventKinds))
	for i, k := range data.EventKinds {
		out[i] = T(k.Label())
	}
	return out
}

// manualKindLabels are the kinds a person can type in: the system kinds
// (state changes, reminders done) are written by Enlace alone.
func manualKindLabels() []string {
	var out []string
	for _, k := range data.EventKinds {
		if !k.System() {
			out = append(out, T(k.Label()))
		}
	}
	return out
}

// kindOf returns the event kind whose label is shown as label.
func kindOf(label string) (data.EventKind, bool) {
	for _, k := range data.EventKinds {
		if T(k.Label()) == label {
			return k, true
		}
	}
	return "", false
}

// show loads the timeline of personID and resets the quick-add row.
func (tl *timeline) show(personID string) error {
	changed := personID != tl.personID
	tl.personID = personID
	if changed {
		tl.all, tl.byID = nil, nil
		tl.text.SetText("")
		tl.hideAddError()
		tl.filter.SetSelectedIndex(0)
	}
	offset := tl.list.GetScrollOffset()
	if changed {
		offset = 0
	}
	if err := tl.load(offset); err != nil {
		return err
	}
	tl.resetAt()
	return nil
}

// resetAt writes the current time in the quick-add row's date.
func (tl *timeline) resetAt() {
	tl.atDefault = formatWhen(tl.u.store.Now())
	tl.at.SetText(tl.atDefault)
	tl.at.SetValidationError(nil)
}

// load reads the person's events and shows them through the filter,
// scrolled down to offset.
func (tl *timeline) load(offset float32) error {
	events, err := tl.u.store.Timeline(tl.personID)
	if err != nil {
		return err
	}
	tl.all = events
	tl.byID = make(map[string]data.Event, len(events))
	for _, e := range events {
		tl.byID[e.ID] = e
	}
	tl.applyFilter(offset)
	return nil
}

// applyFilter shows the events of the chosen kind, newest first, scrolled
// down to offset.
func (tl *timeline) applyFilter(offset float32) {
	tl.events = tl.all
	if k, ok := kindOf(tl.filter.Selected); ok {
		tl.events = make([]data.Event, 0, len(tl.all))
		for _, e := range tl.all {
			if e.Kind == k {
				tl.events = append(tl.events, e)
			}
		}
	}
	if len(tl.all) == 0 {
		tl.empty.SetText(T("Todavía no hay entradas en el historial."))
	} else {
		tl.empty.SetText(T("No hay entradas de este tipo."))
	}
	tl.empty.Hidden = len(tl.events) > 0
	tl.empty.Refresh()
	tl.list = tl.newList()
	tl.listBox.Objects[0] = tl.list
	tl.listBox.Refresh() // lays the new list out, so it can scroll
	if offset > 0 {
		tl.list.ScrollToOffset(offset)
	}
}

// newList returns a list over tl.events with the rows that carry a
// correction mark one line taller. A new list is cheaper than changing a
// shown one: on a list not yet drawn SetItemHeight refreshes nothing.
func (tl *timeline) newList() *widget.List {
	l := widget.NewList(func() int { return len(tl.events) }, newEventRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { tl.updateRow(id, o) })
	l.OnSelected = func(id widget.ListItemID) {
		l.UnselectAll()
		if id < len(tl.events) {
			tl.showDetail(tl.events[id])
		}
	}
	for i := range tl.events {
		if len(tl.events[i].CorrectedBy) > 0 || tl.events[i].Corrects != "" {
			l.SetItemHeight(i, tl.rowH[1])
		}
	}
	return l
}

// onAdd adds the quick-add row's event, which then shows on top.
func (tl *timeline) onAdd() {
	if tl.personID == "" {
		return
	}
	k, ok := kindOf(tl.kind.Selected)
	if !ok {
		tl.showAddError(T("Elija el tipo de entrada."))
		return
	}
	at := tl.u.store.Now()
	if tl.at.Text != tl.atDefault {
		t, err := parseWhen(tl.at.Text)
		if err != nil {
			tl.at.SetValidationError(err)
			tl.showAddError(dataErrorText(err))
			return
		}
		at = t
	}
	e := data.Event{PersonID: tl.personID, At: at, Kind: k, Text: tl.text.Text}
	if err := tl.u.store.AddEvent(&e, tl.u.Author()); err != nil {
		tl.showAddError(eventErrorText(err))
		return
	}
	tl.text.SetText("")
	tl.hideAddError()
	if fk, filtered := kindOf(tl.filter.Selected); filtered && fk != k {
		tl.filter.SetSelectedIndex(0) // show the new entry
	}
	if err := tl.load(tl.list.GetScrollOffset()); err != nil {
		tl.u.showError(err)
		return
	}
	tl.resetAt()
	tl.scrollTo(e.ID)
	tl.u.win.Canvas().Focus(tl.text)
}

// eventErrorText is what went wrong adding an event, for the red line.
func eventErrorText(err error) string {
	var ve *data.ValidationError
	if errors.As(err, &ve) {
		return validationText(ve)
	}
	return ErrorMessage(err)
}

func (tl *timeline) showAddError(msg string) {
	tl.addErr.SetText(msg)
	tl.addErr.Show()
	tl.root.Refresh()
}

func (tl *timeline) hideAddError() {
	if tl.addErr.Visible() {
		tl.addErr.Hide()
		tl.root.Refresh()
	}
}

func (tl *timeline) scrollTo(id string) {
	for i := range tl.events {
		if tl.events[i].ID == id {
			tl.list.ScrollTo(i)
			return
		}
	}
}

// marks returns the line under an event that links it to its correction
// or to the entry it corrects; corrected is true for a superseded entry.
func (tl *timeline) marks(e *data.Event) (text string, corrected bool) {
	if n := len(e.CorrectedBy); n > 0 {
		when := ""
		if c, ok := tl.byID[e.CorrectedBy[n-1]]; ok {
			when = formatWhen(c.At)
		}
		return T("Corregido por la entrada del {{.When}}", map[string]any{"When": when}), true
	}
	if e.Corrects != "" {
		when := ""
		if c, ok := tl.byID[e.Corrects]; ok {
			when = formatWhen(c.At)
		}
		return T("Corrige la entrada del {{.When}}", map[string]any{"When": when}), false
	}
	return "", false
}
