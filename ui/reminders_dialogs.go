package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// reminderSummary is the top of the small reminder dialogs: for whom and
// what.
func reminderSummary(it reminderItem) fyne.CanvasObject {
	head := it.person
	if head == "" {
		head = T(it.Source.Label())
	}
	title := widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(title, wrappedDialogText(dataText(it.Text)))
}

// showCompleteDialog asks for an optional note and marks it done; the
// store writes "Recordatorio hecho" on the person's timeline.
func showCompleteDialog(u *App, it reminderItem, done func()) {
	note := u.newMultiLineEntry()
	note.SetPlaceHolder(T("Nota (opcional): qué se hizo, qué queda pendiente"))
	note.SetMinRowsVisible(3)
	top := []fyne.CanvasObject{reminderSummary(it)}
	if it.Repeat != data.RepeatNone {
		next := it.Reminder.NextAfter(u.store.Now())
		top = append(top, greyText(T("Se repite ({{.Repeat}}): el siguiente será el {{.When}}.",
			map[string]any{"Repeat": strings.ToLower(T(it.Repeat.Label())), "When": next.String()})))
	} else if it.PersonID != "" {
		top = append(top, greyText(T("Quedará anotado en el historial de la persona.")))
	}
	content := container.NewBorder(container.NewVBox(top...), nil, nil, nil, note)
	d := dialog.NewCustomWithoutButtons(T("Completar recordatorio"), content, u.win)
	ok := widget.NewButtonWithIcon(T("Marcar como hecho"), theme.ConfirmIcon(), func() {
		if _, err := u.store.CompleteReminder(it.ID, note.Text, u.Author()); err != nil {
			u.showError(err)
			return
		}
		d.Hide()
		done()
	})
	ok.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), d.Hide), ok})
	d.Resize(fyne.NewSize(520, 0))
	u.showWrapped(d)
	u.win.Canvas().Focus(note)
}

// showSnoozeDialog asks for the day and time to put the reminder off to.
func showSnoozeDialog(u *App, it reminderItem, done func()) {
	due := it.Due()
	day := u.newDateEntry()
	day.SetText(data.WallOf(u.store.Now()).Day.AddDays(1).String())
	clock := u.newEntry()
	clock.SetText(due.Clock())
	clock.Validator = func(s string) error {
		_, _, err := data.ParseClock(s)
		return err
	}
	msg := wrappedLabel()
	msg.Importance = widget.DangerImportance
	msg.Hide()
	when := container.NewHBox(fixedWidthBox(150, day), widget.NewLabel(T("a las")), fixedWidthBox(90, clock))
	form := container.New(layout.NewFormLayout(), fieldLabel(T("Nueva fecha")), when)
	content := container.NewVBox(reminderSummary(it), form, msg)
	d := dialog.NewCustomWithoutButtons(T("Posponer recordatorio"), content, u.win)
	show := func(text string) {
		msg.SetText(text)
		msg.Show()
		d.Refresh()
	}
	ok := widget.NewButtonWithIcon(T("Posponer"), theme.MediaFastForwardIcon(), func() {
		until, err := readWall(day.Text, clock.Text)
		if err != nil {
			show(dataErrorText(err))
			return
		}
		if _, err := u.store.SnoozeReminder(it.ID, until, u.Author()); err != nil {
			if ve := (*data.ValidationError)(nil); errors.As(err, &ve) {
				show(validationText(ve))
				return
			}
			u.showError(err)
			return
		}
		d.Hide()
		u.snoozed(it, until, done)
		done()
	})
	ok.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), d.Hide), ok})
	d.Resize(fyne.NewSize(520, 0))
	u.showWrapped(d)
	u.win.Canvas().Focus(day)
}

// readWall reads a typed date and time; the error is for the user.
func readWall(day, clock string) (data.Wall, error) {
	d, err := data.ParseDate(day)
	if err != nil {
		return data.Wall{}, err
	}
	if d.IsZero() {
		return data.Wall{}, errors.New(T("Falta la fecha."))
	}
	hh, mm, err := data.ParseClock(clock)
	if err != nil {
		return data.Wall{}, err
	}
	return data.At(d, hh, mm), nil
}

// onLeadTimes edits the days before a document's expiry at which Enlace
// reminds.
func (s *remindersScreen) onLeadTimes() {
	u := s.u
	days, err := u.store.LeadTimes()
	if err != nil {
		u.showError(err)
		return
	}
	in := u.newEntry()
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	in.SetText(strings.Join(parts, ", "))
	msg := wrappedLabel()
	msg.Importance = widget.DangerImportance
	msg.Hide()
	help := greyText(T("Días antes de que caduque un NIE, TIE, tarjeta de estudiante o documento de asilo en que Enlace avisa, separados por comas. Por defecto: 60, 30, 7."))
	content := container.New(&dialogWidthLayout{width: 460}, container.NewVBox(help, in, msg))
	d := dialog.NewCustomWithoutButtons(T("Avisos de caducidad"), content, u.win)
	show := func(text string) {
		msg.SetText(text)
		msg.Show()
		d.Refresh()
	}
	ok := widget.NewButtonWithIcon(T("Guardar"), theme.DocumentSaveIcon(), func() {
		days, err := parseDays(in.Text)
		if err != nil {
			show(dataErrorText(err))
			return
		}
		if err := u.store.SetLeadTimes(days, u.Author()); err != nil {
			if ve := (*data.ValidationError)(nil); errors.As(err, &ve) {
				show(validationText(ve))
				return
			}
			u.showError(err)
			return
		}
		d.Hide()
		s.refresh()
	})
	ok.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), d.Hide), ok})
	u.showWrapped(d)
	u.win.Canvas().Focus(in)
}

// parseDays reads "60, 30, 7"; the error is for the user.
func parseDays(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, errors.New(T("«{{.Text}}» no es un número de días.", map[string]any{"Text": f}))
		}
		out = append(out, n)
	}
	return out, nil
}
