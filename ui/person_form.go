package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// personForm is the dialog that creates or edits a person: every field of
// the ficha común in sections, each problem shown in red under its field.
type personForm struct {
	u    *App
	orig *data.Person    // nil for a new person
	done func(id string) // after saving, or to open an existing person
	d    *dialog.CustomDialog

	firstName, lastName, origin, birth, arrival       *entry
	docNumber, docExpiry, atlas                       *entry
	address, postalCode, city, phone1, phone2, email  *entry
	benefit, programs, education, training            *entry
	experience, languages, employment                 *entry
	driving, otherLicences, interests                 *entry
	disability, observations, consentDate, consentHow *entry
	nationality, filledBy                             *selectEntry
	natHints                                          *suggestions // the countries matching what is typed
	gender, docKind, eduLevel, itLevel                *widget.Select
	regular, homologated, consentAE, consentOMIOPI    *widget.Check

	filledByShown string // the name prefilled in filledBy when editing
	staff         []data.Staff

	summary *widget.Label
	scroll  *container.Scroll
	body    *fyne.Container // summary over scroll
	save    *widget.Button
	errs    map[string]*widget.Label       // Person field name → its red line
	cells   map[string][]fyne.CanvasObject // field name → its row's label and content cells
	labels  map[string]string              // Person field name → its label
	entries map[string]*entry              // Person field name → its entry
	order   []string                       // field names in form order
}

// showPersonForm opens the form for a new person (orig nil) or to edit
// orig. done receives the ID of the person saved, or of the existing one
// the user chose to open instead of creating a duplicate.
func showPersonForm(u *App, orig *data.Person, done func(id string)) *personForm {
	f := &personForm{u: u, done: done,
		errs: map[string]*widget.Label{}, labels: map[string]string{}, entries: map[string]*entry{},
		cells: map[string][]fyne.CanvasObject{}}
	if orig != nil {
		p := *orig
		f.orig = &p
	}
	staff, err := u.store.StaffList()
	if err != nil {
		u.showError(err)
	}
	f.staff = staff
	f.build()
	if f.orig != nil {
		f.fill(f.orig)
	}

	title := T("Nueva persona")
	if f.orig != nil {
		title = T("Editar: {{.Name}}", map[string]any{"Name": f.orig.FullName()})
	}
	f.body = container.NewBorder(f.summary, nil, nil, nil, f.scroll)
	f.d = dialog.NewCustomWithoutButtons(title, f.body, u.win)
	f.save = widget.NewButtonWithIcon(T("Guardar"), theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	f.d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), f.d.Hide), f.save})
	f.d.Resize(fitIn(u.win, fyne.NewSize(900, 650)))
	u.showDialog(f.d)
	u.win.Canvas().Focus(f.firstName)
	return f
}

// formRow is one field of the form: the Person field it fills (for
// errors), its label, and its widget.
type formRow struct {
	field, label string
	obj          fyne.CanvasObject
}

type formSection struct {
	title string
	rows  []formRow
}

// build creates the widgets, the error lines and the scrolling body.
func (f *personForm) build() {
	u := f.u
	line := func(field, placeholder string) *entry {
		e := u.newEntry()
		e.SetPlaceHolder(placeholder)
		f.track(field, e)
		return e
	}
	multi := func(field, placeholder string) *entry {
		e := u.newMultiLineEntry()
		e.SetPlaceHolder(placeholder)
		e.SetMinRowsVisible(3)
		f.track(field, e)
		return e
	}
	date := func(field string) *entry {
		e := u.newDateEntry()
		f.track(field, e)
		return e
	}
	f.firstName, f.lastName = line("FirstName", ""), line("LastName", "")
	f.gender = f.choice("Gender", genderOptions())
	f.birth = date("BirthDate")
	f.nationality = u.newSelectEntry(f.countryOptions())
	f.nationality.SetPlaceHolder(T("Escriba para buscar el país"))
	f.natHints = newSuggestions(func(country string) {
		f.nationality.SetText(country)
		f.u.win.Canvas().Focus(f.origin)
	})
	f.nationality.OnChanged = func(s string) {
		f.clearError("Nationality")
		f.nationality.SetOptions(filterOptions(f.countryOptions(), s))
		f.natHints.show(f.countryOptions(), s)
	}
	f.origin = line("Origin", T("Si no es un país de la lista"))
	f.arrival = date("ArrivalDate")

	f.docKind = f.choice("DocKind", docKindOptions())
	f.docKind.OnChanged = func(string) {
		f.clearError("DocKind")
		if f.docNumber.Text != "" {
			_ = f.docNumber.Validate() // the number is read again as the new kind
		}
	}
	f.docNumber = line("DocNumber", T("Por ejemplo X1234567L"))
	// The control letter is checked as it is typed, like the dates: a
	// complete DNI or NIE with the wrong letter is marked before Guardar.
	f.docNumber.Validator = func(s string) error {
		kind := pick(data.DocKinds, selected(f.docKind))
		switch kind {
		case data.DocDNI, data.DocNIE, data.DocTIE, data.DocStudent:
			if len(data.NormalizeDocNumber(s)) >= 9 {
				return translatedErr(data.CheckDocument(kind, s))
			}
		}
		return nil
	}
	f.docExpiry = date("DocExpiry")
	f.regular = widget.NewCheck(T("En situación administrativa regular"), nil)
	f.atlas = line("Atlas", T("Número de expediente en ATLAS (AE)"))

	f.address = line("Address", T("Calle, número, piso"))
	f.postalCode = line("PostalCode", "28000")
	f.city = line("City", "Madrid")
	f.phone1 = line("Phone1", "612 345 678")
	f.phone2 = line("Phone2", "")
	f.email = line("Email", T("nombre@dominio.es"))

	f.benefit = line("Benefit", T("Si cobra alguna y cuál"))
	f.programs = line("BenefitPrograms", T("Programas especializados y nivel"))
	f.education = multi("Education", T("Estudios y certificados de profesionalidad"))
	f.eduLevel = f.choice("EducationLevel", eduLevelOptions())
	f.homologated = widget.NewCheck(T("Estudios homologados en España"), nil)
	f.training = multi("Training", T("Nombre del curso y horas"))
	f.experience = multi("Experience", T("Puesto y empresa"))
	f.languages = line("Languages", T("Por ejemplo: español C1, inglés B1"))
	f.employment = line("Employment", T("Desempleada, trabaja a tiempo parcial…"))
	f.itLevel = widget.NewSelect(itLevelOptions(), func(string) { f.clearError("ITLevel") })
	f.itLevel.SetSelectedIndex(0)
	f.driving = line("DrivingLicence", T("Tipos, por ejemplo B o C1; vacío si no tiene"))
	f.otherLicences = line("OtherLicences", T("Manipulador de alimentos, carretillero, PRL…"))
	f.interests = multi("Interests", T("Intereses formativos y laborales"))

	f.disability = line("Disability", T("Grado o tipo, si la hay"))
	f.observations = multi("Observations", "")
	f.filledBy = u.newSelectEntry(f.staffOptions())
	f.filledBy.SetPlaceHolder(T("Nombre de quien rellena la ficha"))
	f.filledBy.OnChanged = func(s string) { f.filledBy.SetOptions(filterOptions(f.staffOptions(), s)) }

	f.consentDate = date("ConsentDate")
	f.consentAE = widget.NewCheck(T("Puede compartirse con la AE"), nil)
	f.consentOMIOPI = widget.NewCheck(T("Puede compartirse con las OMIOPI"), nil)
	f.consentHow = line("ConsentHow", T("Firma en papel, verbal…"))

	f.summary = wrappedLabel()
	f.summary.Importance = widget.DangerImportance
	f.summary.TextStyle.Bold = true
	f.summary.Hide()
	f.scroll = container.NewVScroll(container.NewPadded(f.layout(f.sections())))
}

// layout puts the sections one under another, every label in one column
// of the same width so the fields line up across sections.
func (f *personForm) layout(secs []formSection) fyne.CanvasObject {
	var width float32
	for _, s := range secs {
		for _, r := range s.rows {
			width = max(width, widget.NewLabel(r.label).MinSize().Width)
		}
	}
	box := container.NewVBox()
	for i, s := range secs {
		if i > 0 {
			box.Add(widget.NewSeparator())
		}
		box.Add(sectionHeading(s.title))
		grid := container.New(layout.NewFormLayout())
		for _, r := range s.rows {
			errLabel := wrappedLabel()
			errLabel.Importance = widget.DangerImportance
			errLabel.Hide()
			f.errs[r.field] = errLabel
			f.labels[r.field] = r.label
			f.order = append(f.order, r.field)
			name := widget.NewLabel(r.label)
			name.Alignment = fyne.TextAlignTrailing
			labelCell := container.NewVBox(container.New(&minWidth{width}, name))
			contentCell := container.NewVBox(r.obj, errLabel)
			f.cells[r.field] = []fyne.CanvasObject{labelCell, contentCell}
			grid.Add(labelCell)
			grid.Add(contentCell)
		}
		box.Add(grid)
	}
	return box
}

// track remembers e as field's entry and clears field's error when e
// changes.
func (f *personForm) track(field string, e *entry) {
	f.entries[field] = e
	e.OnChanged = func(string) { f.clearError(field) }
}

// choice is a Select whose first option, "Sin indicar", means empty.
func (f *personForm) choice(field string, options []string) *widget.Select {
	s := widget.NewSelect(append([]string{T("Sin indicar")}, options...), func(string) { f.clearError(field) })
	s.PlaceHolder = T("Sin indicar")
	return s
}

// selected returns the index in options of s's choice, or -1 for none.
func selected(s *widget.Select) int { return s.SelectedIndex() - 1 }

// onSave validates and stores the person. On any problem nothing is
// saved, the dialog stays open and each problem shows under its field.
func (f *personForm) onSave() {
	f.clearErrors()
	p, bad := f.read()
	today := f.u.store.Today()
	if len(bad) > 0 || f.orig == nil {
		q := p
		q.Normalize()
		var ve *data.ValidationError
		if errors.As(q.Validate(today), &ve) {
			bad = append(bad, ve.Fields...)
		}
		if len(bad) > 0 {
			f.showProblems(bad)
			return
		}
		if dups := f.u.store.FindDuplicates(&q); len(dups) > 0 {
			f.askDuplicate(p, dups)
			return
		}
	}
	f.store(p)
}

// store creates or updates p and closes the form.
func (f *personForm) store(p data.Person) {
	var err error
	if f.orig == nil {
		err = f.u.store.CreatePerson(&p, f.u.Author())
	} else {
		err = f.u.store.UpdatePerson(&p, f.u.Author())
	}
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		f.showProblems(ve.Fields)
		return
	case err != nil:
		f.u.showError(err)
		return
	}
	f.d.Hide()
	if f.done != nil {
		f.done(p.ID)
	}
}

// askDuplicate offers to open the person who seems to exist already,
// create the new one anyway, or go back to the form.
func (f *personForm) askDuplicate(p data.Person, dups []data.PersonCard) {
	names := make([]string, len(dups))
	for i := range dups {
		names[i] = dups[i].FullName()
		if d := cardDetail(&dups[i]); d != "" {
			names[i] += " (" + d + ")"
		}
	}
	msg := wrappedText(T("Ya existe una persona con ese documento o con el mismo nombre y fecha de nacimiento: {{.Name}}. ¿Abrir la existente o crear otra?",
		map[string]any{"Name": strings.Join(names, "; ")}))
	d := dialog.NewCustomWithoutButtons(T("¿Persona repetida?"), msg, f.u.win)
	open := widget.NewButton(T("Abrir la existente"), func() {
		d.Hide()
		f.d.Hide()
		if f.done != nil {
			f.done(dups[0].ID)
		}
	})
	open.Importance = widget.HighImportance
	create := widget.NewButton(T("Crear otra"), func() {
		d.Hide()
		f.store(p)
	})
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), d.Hide), create, open})
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	f.u.showDialog(d)
}

// showProblems writes each problem under its field, and a summary on top.
func (f *personForm) showProblems(problems []data.FieldError) {
	msgs := map[string][]string{}
	var other []string
	for _, p := range problems {
		if _, ok := f.errs[p.Field]; ok {
			msgs[p.Field] = append(msgs[p.Field], dataText(p.Message))
		} else {
			other = append(other, dataText(p.Message))
		}
	}
	var names []string
	var first fyne.CanvasObject
	for _, field := range f.order {
		m, ok := msgs[field]
		if !ok {
			continue
		}
		text := strings.Join(m, " ")
		f.errs[field].SetText(text)
		f.errs[field].Show()
		if e := f.entries[field]; e != nil {
			e.AlwaysShowValidationError = true
			e.SetValidationError(errors.New(text))
		}
		names = append(names, f.labels[field])
		if first == nil {
			first = f.errs[field]
		}
	}
	summary := T("No se ha guardado nada. Revise los campos marcados en rojo: {{.Fields}}.",
		map[string]any{"Fields": strings.Join(names, ", ")})
	if len(names) == 0 {
		summary = T("No se ha guardado nada.")
	}
	if len(other) > 0 {
		summary += " " + strings.Join(other, " ")
	}
	f.summary.SetText(summary)
	f.summary.Show()
	f.body.Refresh()
	f.scrollToShow(first)
}

// scrollToShow scrolls the form so that o (a field's error line) is in view.
func (f *personForm) scrollToShow(o fyne.CanvasObject) {
	if o == nil {
		return
	}
	drv := fyne.CurrentApp().Driver()
	y := drv.AbsolutePositionForObject(o).Y - drv.AbsolutePositionForObject(f.scroll.Content).Y
	view := f.scroll.Size().Height
	if y < f.scroll.Offset.Y || y > f.scroll.Offset.Y+view-o.Size().Height {
		f.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-view/3)))
	}
}

func (f *personForm) clearErrors() {
	for field := range f.errs {
		f.clearError(field)
	}
	if f.summary != nil && f.summary.Visible() {
		f.summary.Hide()
		f.body.Refresh()
	}
}

// clearError hides field's problem, once the user changes the field.
func (f *personForm) clearError(field string) {
	l, ok := f.errs[field]
	if !ok || !l.Visible() {
		return
	}
	l.Hide()
	if e := f.entries[field]; e != nil && e.AlwaysShowValidationError {
		e.SetValidationError(nil)
		e.AlwaysShowValidationError = false
	}
	if f.scroll != nil {
		f.scroll.Content.Refresh()
	}
}

// fitIn returns size, made smaller when w's canvas is too small for it.
func fitIn(w fyne.Window, size fyne.Size) fyne.Size {
	c := w.Canvas().Size()
	if c.Width > 0 && c.Height > 0 {
		size.Width = min(size.Width, c.Width-2*theme.Padding())
		size.Height = min(size.Height, c.Height-2*theme.Padding())
	}
	return size
}
