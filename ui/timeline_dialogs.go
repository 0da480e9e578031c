package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// showDetail shows one timeline entry in full: the list shows only its
// first line.
func (tl *timeline) showDetail(e data.Event) {
	mark, corrected := tl.marks(&e)
	head := widget.NewLabelWithStyle(formatWhen(e.At)+"  ·  "+T(e.Kind.Label()),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	by := greyText(T("Escrita por {{.Author}} el {{.When}}",
		map[string]any{"Author": e.Author, "When": formatWhen(e.Written)}))
	top := container.NewVBox(head, by)
	if mark != "" {
		m := widget.NewLabelWithStyle(mark, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		m.Importance = widget.HighImportance
		if corrected {
			m.Importance = widget.WarningImportance
		}
		top.Add(m)
	}
	top.Add(widget.NewSeparator())
	body := wrappedText(dataText(e.Text))
	if corrected {
		body.Importance = widget.LowImportance
	}
	content := container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))

	d := dialog.NewCustomWithoutButtons(T("Entrada del historial"), content, tl.u.win)
	buttons := []fyne.CanvasObject{widget.NewButton(T("Cerrar"), d.Hide)}
	if !corrected && !e.Kind.System() {
		buttons = append(buttons, widget.NewButtonWithIcon(T("Corregir"), theme.DocumentCreateIcon(), func() {
			d.Hide()
			tl.onCorrect(e)
		}))
	}
	d.SetButtons(buttons)
	d.Resize(fyne.NewSize(620, 420))
	tl.u.showDialog(d)
}

// correctForm is the small dialog that corrects a timeline entry.
type correctForm struct {
	tl    *timeline
	wrong data.Event
	kind  *widget.Select
	at    *entry
	text  *entry
	err   *widget.Label
	save  *widget.Button
	d     dialog.Dialog
}

// onCorrect opens the correction dialog for wrong, prefilled with it. The
// original entry stays in the timeline, marked as corrected.
func (tl *timeline) onCorrect(wrong data.Event) {
	f := &correctForm{tl: tl, wrong: wrong}
	f.kind = widget.NewSelect(manualKindLabels(), nil)
	f.kind.SetSelected(T(wrong.Kind.Label()))
	f.at = tl.u.newEntry()
	f.at.SetPlaceHolder(T("dd/mm/aaaa hh:mm"))
	f.at.SetText(formatWhen(wrong.At))
	f.text = tl.u.newMultiLineEntry()
	f.text.SetText(wrong.Text)
	f.text.SetMinRowsVisible(5)
	f.err = wrappedLabel()
	f.err.Importance = widget.DangerImportance
	f.err.Hide()

	note := greyText(T("La entrada del {{.When}} se conserva en el historial, marcada como corregida; la corrección se añade con su propia fecha.",
		map[string]any{"When": formatWhen(wrong.At)}))
	form := container.New(layout.NewFormLayout(),
		fieldLabel(T("Tipo")), f.kind,
		fieldLabel(T("Fecha y hora")), f.at,
		fieldLabel(T("Texto")), f.text,
	)
	content := container.NewVBox(note, form, f.err)

	d := dialog.NewCustomWithoutButtons(T("Corregir la entrada"), content, tl.u.win)
	f.d = d
	f.save = widget.NewButtonWithIcon(T("Guardar corrección"), theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), d.Hide), f.save})
	d.Resize(fyne.NewSize(640, 400))
	tl.correcting = f
	d.SetOnClosed(func() { tl.correcting = nil })
	tl.u.showDialog(d)
	tl.u.win.Canvas().Focus(f.text)
}

func (f *correctForm) onSave() {
	k, ok := kindOf(f.kind.Selected)
	if !ok {
		f.showError(T("Elija el tipo de entrada."))
		return
	}
	at := f.wrong.At
	if f.at.Text != formatWhen(f.wrong.At) {
		t, err := parseWhen(f.at.Text)
		if err != nil {
			f.showError(dataErrorText(err))
			return
		}
		at = t
	}
	e := data.Event{At: at, Kind: k, Text: f.text.Text}
	tl := f.tl
	if err := tl.u.store.CorrectEvent(tl.personID, f.wrong.ID, &e, tl.u.Author()); err != nil {
		f.showError(eventErrorText(err))
		return
	}
	f.d.Hide()
	if err := tl.load(tl.list.GetScrollOffset()); err != nil {
		tl.u.showError(err)
		return
	}
	tl.scrollTo(e.ID)
}

func (f *correctForm) showError(msg string) {
	f.err.SetText(msg)
	f.err.Show()
}

// fieldLabel is the name of a field in a form, at the top of its row.
func fieldLabel(text string) fyne.CanvasObject {
	return container.NewVBox(widget.NewLabel(text))
}
