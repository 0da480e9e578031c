package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// reminderList is a list of reminders with their actions, by due time:
// the Recordatorios screen's and a person's.
type reminderList struct {
	u         *App
	items     []reminderItem
	now       time.Time
	onPerson  bool   // on a person's page: no name, no "Abrir ficha"
	onChanged func() // after a reminder is done or put off
	list      *widget.List
}

func newReminderList(u *App, onPerson bool, onChanged func()) *reminderList {
	l := &reminderList{u: u, onPerson: onPerson, onChanged: onChanged}
	l.list = widget.NewList(
		func() int { return len(l.items) },
		l.newRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { l.fillRow(i, o) },
	)
	l.list.OnSelected = func(i widget.ListItemID) { l.list.Unselect(i) } // the buttons do the work
	return l
}

// show replaces the items and redraws.
func (l *reminderList) show(items []reminderItem, now time.Time) {
	l.items, l.now = items, now
	l.list.Refresh()
}

// reminderRow is the row template's parts, so fillRow need not dig.
type reminderRow struct {
	icon            *widget.Icon
	when, person    *widget.Label
	text            *widget.Label
	meta            *widget.RichText
	call, done      *widget.Button
	snooze, profile *widget.Button
}

// newRow builds a row: the source icon; when it is due and for whom; what
// to do; where it comes from and who must do it; the actions.
func (l *reminderList) newRow() fyne.CanvasObject {
	r := &reminderRow{icon: widget.NewIcon(theme.DocumentCreateIcon())}
	r.when = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.person = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.person.Truncation = fyne.TextTruncateEllipsis
	r.text = widget.NewLabel("")
	r.text.Truncation = fyne.TextTruncateEllipsis
	r.meta = widget.NewRichText(&widget.TextSegment{Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText, Inline: true}})
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.call = widget.NewButtonWithIcon(T("Llamada hecha"), theme.ConfirmIcon(), nil)
	r.call.Importance = widget.HighImportance
	r.done = widget.NewButtonWithIcon(T("Completar"), theme.ConfirmIcon(), nil)
	r.snooze = widget.NewButtonWithIcon(T("Posponer"), theme.MediaFastForwardIcon(), nil)
	r.profile = widget.NewButtonWithIcon(T("Abrir ficha"), theme.AccountIcon(), nil)
	if l.onPerson {
		r.person.Hide()
		r.profile.Hide()
	}
	head := container.NewBorder(nil, nil, r.when, nil, r.person)
	body := container.New(&tightVBox{}, head, r.text, r.meta)
	gap := canvas.NewRectangle(color.Transparent) // keeps the buttons clear of the scroll bar
	gap.SetMinSize(fyne.NewSize(theme.Padding()*2, 0))
	actions := container.NewHBox(container.NewCenter(container.NewHBox(r.call, r.done, r.snooze, r.profile)), gap)
	w := &reminderRowWidget{parts: r, row: container.NewBorder(nil, nil, container.NewCenter(r.icon), actions, body)}
	w.ExtendBaseWidget(w)
	return w
}

// reminderRowWidget is a list row that keeps hold of its parts.
type reminderRowWidget struct {
	widget.BaseWidget
	parts *reminderRow
	row   *fyne.Container
}

func (w *reminderRowWidget) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.row)
}

func (l *reminderList) fillRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(l.items) {
		return
	}
	it := l.items[i]
	r := o.(*reminderRowWidget).parts
	r.icon.SetResource(sourceIcon(it.Source))

	r.when.SetText(dueText(it.Due(), l.now))
	r.when.Importance = widget.MediumImportance
	if it.IsDue(l.now) {
		r.when.Importance = widget.DangerImportance
	}
	if !it.Pending() {
		r.when.SetText(T("Hecho"))
		r.when.Importance = widget.SuccessImportance
	}
	r.when.Refresh()
	r.person.SetText(it.person)
	r.text.SetText(firstLine(dataText(it.Text)))
	r.meta.Segments[0].(*widget.TextSegment).Text = reminderMeta(&it)
	r.meta.Refresh()

	id, personID := it.ID, it.PersonID
	r.call.OnTapped = func() { l.onCallDone(id) }
	r.done.OnTapped = func() { l.onComplete(id) }
	r.snooze.OnTapped = func() { l.onSnoozeMenu(id, r.snooze) }
	r.profile.OnTapped = func() { l.u.showPerson(personID) }
	r.done.Hidden, r.snooze.Hidden = !it.Pending(), !it.Pending()
	for _, b := range []*widget.Button{r.call, r.done, r.snooze} {
		l.u.enableFor(b, data.PermEditPeople, true)
	}
	// The weekly follow-up asks for a call: one click writes it.
	r.call.Hidden = !it.Pending() || it.Source != data.SourceFollowUp || personID == ""
	if personID == "" {
		r.profile.Disable()
	} else {
		r.profile.Enable()
	}
	o.Refresh()
}

// reminderMeta is the row's small print: origin, who, repetition, a
// snooze; for a done one, when and by whom.
func reminderMeta(it *reminderItem) string {
	parts := []string{T(it.Source.Label())}
	if !it.Pending() {
		parts = append(parts, T("Hecho el {{.When}} por {{.Author}}", map[string]any{"When": formatWhen(it.Done), "Author": it.DoneBy}))
		return strings.Join(parts, " · ")
	}
	if it.assignee != "" {
		parts = append(parts, T("Responsable: {{.Name}}", map[string]any{"Name": it.assignee}))
	}
	if it.Repeat != data.RepeatNone {
		parts = append(parts, T(it.Repeat.Label()))
	}
	if !it.Snoozed.IsZero() {
		parts = append(parts, T("Pospuesto; era el {{.When}}", map[string]any{"When": it.At.String()}))
	}
	return strings.Join(parts, " · ")
}

// find returns the shown reminder with id.
func (l *reminderList) find(id string) (reminderItem, bool) {
	for _, it := range l.items {
		if it.ID == id {
			return it, true
		}
	}
	return reminderItem{}, false
}

// onComplete asks for an optional note and marks the reminder done.
func (l *reminderList) onComplete(id string) {
	if it, ok := l.find(id); ok {
		showCompleteDialog(l.u, it, l.onChanged)
	}
}

// onSnoozeMenu offers 1 día, 1 semana or a date, under the button.
func (l *reminderList) onSnoozeMenu(id string, under fyne.CanvasObject) {
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(T("1 día"), func() { l.snoozeDays(id, 1) }),
		fyne.NewMenuItem(T("1 semana"), func() { l.snoozeDays(id, 7) }),
		fyne.NewMenuItem(T("Elegir fecha…"), func() { l.onSnoozeDate(id) }),
	)
	widget.ShowPopUpMenuAtRelativePosition(menu, l.u.win.Canvas(), fyne.NewPos(0, under.Size().Height), under)
}

// onCallDone writes the call on the person's timeline and closes the
// reminder; the strip says so and offers the person's page, to add what
// was said.
func (l *reminderList) onCallDone(id string) {
	it, ok := l.find(id)
	if !ok {
		return
	}
	u := l.u
	_, e, err := u.store.CallDone(id, u.Author())
	if err != nil {
		u.showError(err)
		return
	}
	if _, err := u.store.SyncPersonReminders(e.PersonID, u.store.Now()); err != nil {
		u.showError(err) // the next follow-up comes with the next sync anyway
	}
	name := it.person
	if name == "" {
		name = T("la persona")
	}
	open := widget.NewButtonWithIcon(T("Abrir ficha"), theme.AccountIcon(), func() { u.showPerson(e.PersonID) })
	u.saved.tell(T("Llamada anotada en el historial de {{.Name}}; el próximo seguimiento, dentro de una semana.", map[string]any{"Name": name}), open)
	l.onChanged()
}

// snoozeDays puts the reminder off to n days from today, same time.
func (l *reminderList) snoozeDays(id string, n int) {
	it, ok := l.find(id)
	if !ok {
		return
	}
	until := it.SnoozeBy(l.u.store.Now(), n)
	if _, err := l.u.store.SnoozeReminder(id, until, l.u.Author()); err != nil {
		l.u.showError(err)
		return
	}
	l.u.snoozed(it, until, l.onChanged)
	l.onChanged()
}

// snoozed says where a reminder was put off to, with Deshacer.
func (u *App) snoozed(it reminderItem, until data.Wall, changed func()) {
	undo := widget.NewButtonWithIcon(T("Deshacer"), theme.ContentUndoIcon(), func() {
		back, err := u.store.UnsnoozeReminder(it.ID, u.Author())
		if err != nil {
			u.showError(err)
			return
		}
		u.saved.tell(T("{{.What}} vuelve a estar para el {{.When}}.", map[string]any{"What": snoozedWhat(it), "When": back.Due().String()}))
		changed()
	})
	u.saved.tell(T("{{.What}} pospuesto hasta el {{.When}}.", map[string]any{"What": snoozedWhat(it), "When": until.String()}), undo)
}

// snoozedWhat names a reminder in the Posponer strip: its first line in
// quotes and, when it is about someone, whose it is, since the same
// text ("Llamada de seguimiento") is on many people's reminders.
func snoozedWhat(it reminderItem) string {
	if it.person == "" {
		return T("«{{.Text}}»", map[string]any{"Text": firstLine(it.Text)})
	}
	return T("«{{.Text}}» de {{.Name}}", map[string]any{"Text": firstLine(it.Text), "Name": it.person})
}

// onSnoozeDate asks for the date and time to put the reminder off to.
func (l *reminderList) onSnoozeDate(id string) {
	if it, ok := l.find(id); ok {
		showSnoozeDialog(l.u, it, l.onChanged)
	}
}

// reminderChanged reloads everything that shows reminders: the screen,
// the navigation count and the open person page.
func (u *App) reminderChanged() {
	if u.reminders != nil {
		u.reminders.reload()
	}
	if u.people != nil && u.people.page != nil && u.people.page.p.ID != "" {
		u.people.page.reload()
	}
}
