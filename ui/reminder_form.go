package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// reminderForm is the "Nuevo recordatorio" dialog: for whom (a search, or
// the person whose ficha it was opened from), which referral, when, what,
// who must do it and whether it repeats.
type reminderForm struct {
	u       *App
	fixed   bool // opened from a ficha: the person cannot change
	person  data.PersonCard
	onSaved func(data.Reminder)

	search   *entry
	hits     []data.Hit
	results  *widget.List
	resultsH *fixedHeightLayout // grows with the hits, up to four rows
	resultsC *fyne.Container
	chosen   *widget.Label
	referral *widget.Select
	refIDs   []string // parallel to referral's options after the first
	day      *entry
	clock    *entry
	text     *entry
	who      *selectEntry
	staffIDs map[string]string // staff name → ID
	repeat   *widget.Select
	err      *widget.Label
	d        *dialog.CustomDialog
}

// showReminderForm opens the form; personID, when not "", fixes the
// person. onSaved runs after the reminder is stored.
func showReminderForm(u *App, personID string, onSaved func(data.Reminder)) *reminderForm {
	f := &reminderForm{u: u, onSaved: onSaved}
	f.build()
	if personID != "" {
		if c, err := u.store.Card(personID); err == nil {
			f.fixed = true
			f.choose(c)
		}
	}
	content := f.layout()
	f.d = dialog.NewCustomWithoutButtons(T("Nuevo recordatorio"), content, u.win)
	save := widget.NewButtonWithIcon(T("Guardar"), theme.DocumentSaveIcon(), f.onSave)
	save.Importance = widget.HighImportance
	f.d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), f.d.Hide), save})
	f.d.Resize(fyne.NewSize(660, 0))
	u.showDialog(f.d)
	if f.fixed {
		u.win.Canvas().Focus(f.text)
	} else {
		u.win.Canvas().Focus(f.search)
	}
	return f
}

func (f *reminderForm) build() {
	u := f.u
	f.search = u.newEntry()
	f.search.SetPlaceHolder(T("Buscar por nombre, documento o teléfono"))
	f.search.OnChanged = func(string) { f.runSearch() }
	f.search.OnSubmitted = func(string) { // Enter takes the first match
		if len(f.hits) > 0 {
			f.results.Select(0)
		}
	}
	f.results = widget.NewList(
		func() int { return len(f.hits) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(f.hits) {
				o.(*widget.Label).SetText(hitText(&f.hits[i].PersonCard))
			}
		},
	)
	f.results.OnSelected = func(i widget.ListItemID) {
		if i < len(f.hits) {
			f.choose(f.hits[i].PersonCard)
		}
	}
	f.chosen = widget.NewLabelWithStyle(T("Ninguna persona elegida"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.chosen.Truncation = fyne.TextTruncateEllipsis
	f.referral = widget.NewSelect([]string{T("Ninguna")}, nil)
	f.referral.SetSelectedIndex(0)
	f.referral.Disable()

	now := data.WallOf(u.store.Now())
	f.day = u.newDateEntry()
	f.day.SetText(now.Day.AddDays(1).String())
	f.clock = u.newEntry()
	f.clock.SetPlaceHolder(T("hh:mm"))
	f.clock.SetText("09:00")
	f.clock.Validator = func(s string) error {
		_, _, err := data.ParseClock(s)
		return err
	}
	f.text = u.newMultiLineEntry()
	f.text.SetPlaceHolder(T("Por ejemplo: llamar para confirmar la cita de huellas"))
	f.text.SetMinRowsVisible(3)

	f.staffIDs = map[string]string{}
	var names []string
	if staff, err := u.store.StaffList(); err == nil {
		for _, st := range staff {
			if st.Active {
				names = append(names, st.Name)
				f.staffIDs[st.Name] = st.ID
			}
		}
	}
	f.who = u.newSelectEntry(names)
	f.who.SetPlaceHolder(T("Nadie en particular"))
	repeats := make([]string, len(data.Repeats))
	for i, r := range data.Repeats {
		repeats[i] = T(r.Label())
	}
	f.repeat = widget.NewSelect(repeats, nil)
	f.repeat.SetSelectedIndex(0)
	f.err = wrappedLabel()
	f.err.Importance = widget.DangerImportance
	f.err.Hide()
}

// layout places the fields in a two-column form.
func (f *reminderForm) layout() fyne.CanvasObject {
	var personField fyne.CanvasObject = f.chosen
	if !f.fixed {
		f.resultsH = &fixedHeightLayout{}
		f.resultsC = container.New(f.resultsH, f.results)
		f.resultsC.Hide()
		personField = container.NewVBox(f.search, f.resultsC, f.chosen)
	}
	when := container.NewHBox(
		container.New(&fixedWidthLayout{width: 150}, f.day),
		widget.NewLabel(T("a las")),
		container.New(&fixedWidthLayout{width: 90}, f.clock))
	form := container.New(layout.NewFormLayout(),
		fieldLabel(T("Persona")), personField,
		fieldLabel(T("Derivación")), f.referral,
		fieldLabel(T("Fecha")), when,
		fieldLabel(T("Qué hay que hacer")), f.text,
		fieldLabel(T("Responsable")), f.who,
		fieldLabel(T("Repetir")), f.repeat,
	)
	return container.NewVBox(form, f.err)
}

func (f *reminderForm) rowHeight() float32 {
	return widget.NewLabel("Ag").MinSize().Height + theme.SeparatorThicknessSize()
}

// hitText is a search result: name and document.
func hitText(c *data.PersonCard) string {
	name := c.FullName()
	if doc := docText(c.DocKind, c.DocNumber); doc != "" {
		name += " · " + doc
	}
	return name
}

func (f *reminderForm) runSearch() {
	q := strings.TrimSpace(f.search.Text)
	f.hits = nil
	if q != "" {
		f.hits, _ = f.u.store.Search(q, 20)
	}
	f.results.UnselectAll()
	f.results.Refresh()
	f.results.ScrollToTop()
	if f.resultsC == nil {
		return
	}
	f.resultsH.height = float32(min(len(f.hits), 4)) * f.rowHeight()
	f.resultsC.Hidden = len(f.hits) == 0
	f.resultsC.Refresh()
	if f.d != nil {
		f.d.Refresh()
	}
}

// choose makes c the reminder's person and offers their referrals.
func (f *reminderForm) choose(c data.PersonCard) {
	f.person = c
	f.chosen.SetText(hitText(&c))
	f.chosen.Importance = widget.SuccessImportance
	if f.fixed {
		f.chosen.Importance = widget.MediumImportance
	}
	f.chosen.Refresh()
	options := []string{T("Ninguna")}
	f.refIDs = nil
	refs, err := f.u.store.PersonReferrals(c.ID)
	if err != nil {
		f.u.showError(err)
	}
	for _, r := range refs {
		if !r.Status.Open() {
			continue
		}
		options = append(options, fmt.Sprintf("%s · %s · %s", T(r.Direction.Label()), T(r.Status.Label()), r.Date))
		f.refIDs = append(f.refIDs, r.ID)
	}
	f.referral.SetOptions(options)
	f.referral.SetSelectedIndex(0)
	if len(f.refIDs) > 0 {
		f.referral.Enable()
	} else {
		f.referral.Disable()
	}
}

// read builds the reminder from the fields; the error is for the user.
func (f *reminderForm) read() (data.Reminder, error) {
	r := data.Reminder{PersonID: f.person.ID, Text: f.text.Text}
	if r.PersonID == "" {
		return r, errors.New(T("Elija la persona: búsquela y púlsela en la lista."))
	}
	if i := f.referral.SelectedIndex(); i > 0 && i <= len(f.refIDs) {
		r.ReferralID = f.refIDs[i-1]
	}
	day, err := data.ParseDate(f.day.Text)
	if err != nil {
		return r, err
	}
	if day.IsZero() {
		return r, errors.New(T("Falta la fecha del recordatorio."))
	}
	hh, mm, err := data.ParseClock(f.clock.Text)
	if err != nil {
		return r, err
	}
	r.At = data.At(day, hh, mm)
	who := strings.TrimSpace(f.who.Text)
	if id, ok := f.staffIDs[who]; ok {
		r.Assignee = id
	} else {
		r.AssigneeText = who
	}
	r.Repeat = data.Repeats[max(f.repeat.SelectedIndex(), 0)]
	return r, nil
}

func (f *reminderForm) onSave() {
	r, err := f.read()
	if err == nil {
		err = f.u.store.CreateReminder(&r, f.u.Author())
		if err != nil && !errors.Is(err, data.ErrInvalid) {
			f.u.showError(err)
			return
		}
	}
	if err != nil {
		f.err.SetText(dataErrorText(err))
		f.err.Show()
		f.d.Refresh()
		return
	}
	f.d.Hide()
	if f.onSaved != nil {
		f.onSaved(r)
	}
}

// fixedHeightLayout gives its objects exactly height, and their own
// minimum width.
type fixedHeightLayout struct{ height float32 }

func (l *fixedHeightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.height)
}

func (l *fixedHeightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
