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

// programmeScreen is the "Programa" tab, in three sections: the
// programme's settings and profile targets, the enabling situations of
// each direction (criteria.go), and the automatic exclusion rules.
type programmeScreen struct {
	u    *App
	root fyne.CanvasObject
	tabs *container.AppTabs

	form     *programmeForm
	criteria *criteriaSection
	rules    *rulesSection
}

func newProgrammeScreen(u *App) *programmeScreen {
	s := &programmeScreen{u: u}
	s.form = newProgrammeForm(u)
	s.criteria = newCriteriaSection(u)
	s.rules = newRulesSection(u)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(T("Programa"), theme.InfoIcon(), s.form.root),
		container.NewTabItemWithIcon(T("Situaciones habilitantes"), theme.ListIcon(), s.criteria.root),
		container.NewTabItemWithIcon(T("Reglas de exclusión"), theme.ConfirmIcon(), s.rules.root),
	)
	s.root = s.tabs
	s.refresh()
	return s
}

// content returns the screen's root object; the same object every call.
func (s *programmeScreen) content() fyne.CanvasObject { return s.root }

// refresh reloads the three sections from the store. Unsaved edits of the
// programme form are kept.
func (s *programmeScreen) refresh() {
	if !s.form.dirty {
		s.form.load()
	}
	s.criteria.refresh()
	s.rules.load()
}

// programmeForm is the "Programa" section: name, target, dates, contact
// and the profile categories with their targets, saved together.
type programmeForm struct {
	u    *App
	root fyne.CanvasObject

	name, target, start, end, email *entry
	profiles                        []*profileRow
	profileBox                      *fyne.Container
	profileSum                      *widget.Label
	addProfile                      *widget.Button
	save                            *widget.Button
	saved                           *widget.Label
	marks                           *validationMarks

	dirty   bool // edited since the last load or save
	loading bool // load is filling the fields: not an edit
}

// profileRow is one editable profile. code is empty for a row added on
// this screen: it is made from the name on saving, and kept afterwards
// because referrals store it.
type profileRow struct {
	code         string
	name, target *entry
	codeLabel    *widget.RichText
	remove       *widget.Button
	obj          fyne.CanvasObject
}

func newProgrammeForm(u *App) *programmeForm {
	f := &programmeForm{u: u, marks: newValidationMarks()}
	f.name = u.newEntry()
	f.target = u.newEntry()
	f.target.SetPlaceHolder(T("p. ej. 50"))
	f.start = u.newDateEntry()
	f.end = u.newDateEntry()
	f.email = u.newEntry()
	f.email.SetPlaceHolder(T("p. ej. coordinacion@madrid.es"))
	for _, e := range []*entry{f.name, f.target, f.start, f.end, f.email} {
		e.OnChanged = func(string) { f.onEdited() }
		e.OnSubmitted = func(string) { f.onSave() }
	}
	f.profileBox = container.NewVBox()
	f.profileSum = widget.NewLabel("")
	f.profileSum.TextStyle.Italic = true
	f.addProfile = u.gate(widget.NewButtonWithIcon(T("Añadir perfil"), theme.ContentAddIcon(), f.onAddProfile), data.PermSettings)
	f.save = u.gate(widget.NewButtonWithIcon(T("Guardar"), theme.DocumentSaveIcon(), f.onSave), data.PermSettings)
	f.save.Importance = widget.HighImportance
	f.saved = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})

	fields := widget.NewForm(
		widget.NewFormItem(T("Nombre"), f.marks.wrap("Name", f.name)),
		widget.NewFormItem(T("Objetivo de casos"), f.marks.wrap("Target", fixedWidthBox(120, f.target))),
		widget.NewFormItem(T("Inicio"), f.marks.wrap("Start", fixedWidthBox(160, f.start))),
		widget.NewFormItem(T("Fin"), f.marks.wrap("End", fixedWidthBox(160, f.end))),
		widget.NewFormItem(T("Correo de contacto"), withNote(f.marks.wrap("Email", f.email),
			smallNote(T("Aparece en los folletos y avisos como contacto del programa.")))),
	)
	heading := widget.NewLabelWithStyle(T("Perfiles y objetivos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	note := smallNote(T("Cada derivación se clasifica en uno de estos perfiles; los informes comparan lo conseguido con el objetivo de cada uno."))
	head := profileCells(columnHeading(T("Perfil")), columnHeading(T("Objetivo")), columnHeading(T("Código")), nil)
	profiles := container.NewVBox(heading, note, head, f.marks.wrap("Profiles", f.profileBox),
		container.NewHBox(f.addProfile, f.profileSum))
	body := container.NewVBox(f.marks.general, fields, widget.NewSeparator(), profiles)
	// Guardar stays in sight below the scrolling form, however many profiles.
	bar := container.NewVBox(widget.NewSeparator(), container.NewHBox(f.save, f.saved))
	f.root = container.NewBorder(nil, container.NewPadded(bar), nil, nil,
		container.NewVScroll(container.NewPadded(container.New(&maxWidthLayout{width: 900}, body))))
	return f
}

// load fills the form with the stored programme.
func (f *programmeForm) load() {
	p, err := f.u.store.Programme()
	if err != nil {
		f.u.showError(err)
		return
	}
	f.loading = true
	defer func() { f.loading = false }()
	f.name.SetText(p.Name)
	f.target.SetText(strconv.Itoa(p.Target))
	f.start.SetText(p.Start.String())
	f.end.SetText(p.End.String())
	f.email.SetText(p.Email)
	f.profiles = f.profiles[:0]
	for _, pr := range p.Profiles {
		f.profiles = append(f.profiles, f.newProfileRow(pr))
	}
	f.layoutProfiles()
	f.marks.clear()
	f.dirty = false
}

func (f *programmeForm) newProfileRow(pr data.Profile) *profileRow {
	r := &profileRow{code: pr.Code, name: f.u.newEntry(), target: f.u.newEntry()}
	r.name.SetText(pr.Name)
	r.name.SetPlaceHolder(T("Nombre del perfil"))
	r.target.SetPlaceHolder("0")
	if pr.Code != "" {
		r.target.SetText(strconv.Itoa(pr.Target))
	}
	code := pr.Code
	if code == "" {
		code = T("(nuevo)")
	}
	r.codeLabel = widget.NewRichText(&widget.TextSegment{Text: code, Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, Inline: true, TextStyle: fyne.TextStyle{Monospace: true}}})
	r.codeLabel.Truncation = fyne.TextTruncateEllipsis
	for _, e := range []*entry{r.name, r.target} {
		e.OnChanged = func(string) { f.onEdited() }
	}
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { f.onRemoveProfile(r) })
	r.remove.Importance = widget.LowImportance
	r.obj = profileCells(r.name, r.target, r.codeLabel, r.remove)
	return r
}

// profileCells lays out a profile row (or the heading): the name takes
// the room left by the fixed-width target, code and remove columns.
func profileCells(name, target, code, remove fyne.CanvasObject) fyne.CanvasObject {
	if remove == nil {
		remove = layout.NewSpacer()
	}
	trailing := container.NewHBox(fixedWidthBox(90, target), fixedWidthBox(200, code), fixedWidthBox(40, remove))
	return container.NewBorder(nil, nil, nil, trailing, name)
}

func (f *programmeForm) layoutProfiles() {
	objs := make([]fyne.CanvasObject, len(f.profiles))
	for i, r := range f.profiles {
		objs[i] = r.obj
	}
	if len(objs) == 0 {
		objs = append(objs, smallNote(T("Sin perfiles: las derivaciones no se clasificarán por perfil.")))
	}
	f.profileBox.Objects = objs
	f.profileBox.Refresh()
	f.updateSum()
}

// updateSum shows the profiles' targets against the overall one.
func (f *programmeForm) updateSum() {
	sum := 0
	for _, r := range f.profiles {
		n, _ := strconv.Atoi(strings.TrimSpace(r.target.Text))
		sum += n
	}
	f.profileSum.SetText(T("Suma de los perfiles: {{.Sum}} (objetivo total: {{.Target}})",
		map[string]any{"Sum": sum, "Target": strings.TrimSpace(f.target.Text)}))
}

func (f *programmeForm) onEdited() {
	if f.loading {
		return
	}
	f.dirty = true
	f.saved.SetText("")
	f.updateSum()
}

func (f *programmeForm) onAddProfile() {
	r := f.newProfileRow(data.Profile{})
	f.profiles = append(f.profiles, r)
	f.layoutProfiles()
	f.onEdited()
	f.u.win.Canvas().Focus(r.name)
}

// onRemoveProfile asks before taking a named profile off the list; an
// empty new row goes at once. Nothing is stored until Guardar.
func (f *programmeForm) onRemoveProfile(r *profileRow) {
	drop := func() {
		for i, x := range f.profiles {
			if x == r {
				f.profiles = append(f.profiles[:i], f.profiles[i+1:]...)
				break
			}
		}
		f.layoutProfiles()
		f.onEdited()
	}
	name := strings.TrimSpace(r.name.Text)
	if r.code == "" && name == "" {
		drop()
		return
	}
	msg := T("¿Quitar el perfil «{{.Name}}»? Dejará de ofrecerse en las derivaciones nuevas; las ya clasificadas en él lo conservan. El cambio se guarda al pulsar «Guardar».",
		map[string]any{"Name": name})
	d := dialog.NewCustomConfirm(T("Quitar perfil"), T("Quitar"), T("Cancelar"), wrappedDialogText(msg),
		func(ok bool) {
			if ok {
				drop()
			}
		}, f.u.win)
	f.u.showWrapped(d)
}

// onSave reads the form and stores the programme. Numbers and dates that
// do not parse, and the store's validation messages, show in red under
// their fields; nothing is stored then.
func (f *programmeForm) onSave() {
	p, problems := f.read()
	if len(problems) == 0 {
		err := f.u.store.SaveProgramme(p, f.u.Author())
		if !f.showProblems(err) {
			return
		}
		f.load()
		f.saved.SetText(T("Guardado a las {{.Time}}.", map[string]any{"Time": f.u.store.Now().In(data.Madrid()).Format("15:04")}))
		return
	}
	// Show the store's messages for the fields that did parse, too.
	ve := &data.ValidationError{}
	errors.As(p.Validate(), &ve)
	marked := map[string]bool{}
	for _, fe := range problems {
		marked[fe.Field] = true
	}
	all := problems
	for _, fe := range ve.Fields {
		if !marked[fe.Field] {
			all = append(all, fe)
		}
	}
	f.showProblems(&data.ValidationError{Fields: all})
}

// read returns the programme on the form and the fields that do not parse.
func (f *programmeForm) read() (data.Programme, []data.FieldError) {
	var bad []data.FieldError
	p := data.Programme{Name: f.name.Text, Email: strings.TrimSpace(f.email.Text)}
	n, err := strconv.Atoi(strings.TrimSpace(f.target.Text))
	if err != nil {
		bad = append(bad, data.FieldError{Field: "Target", Message: T("Escriba el objetivo de casos con cifras, p. ej. 50.")})
	}
	p.Target = n
	if p.Start, err = data.ParseDate(f.start.Text); err != nil {
		bad = append(bad, data.FieldError{Field: "Start", Message: err.Error()})
	}
	if p.End, err = data.ParseDate(f.end.Text); err != nil {
		bad = append(bad, data.FieldError{Field: "End", Message: err.Error()})
	}
	taken := map[string]bool{}
	for _, r := range f.profiles {
		taken[r.code] = true
	}
	for _, r := range f.profiles {
		pr := data.Profile{Code: r.code, Name: strings.TrimSpace(r.name.Text)}
		if pr.Code == "" {
			pr.Code = profileCode(pr.Name, taken)
			taken[pr.Code] = true
		}
		t := strings.TrimSpace(r.target.Text)
		if t != "" {
			if pr.Target, err = strconv.Atoi(t); err != nil {
				bad = append(bad, data.FieldError{Field: "Profiles", Message: T("El objetivo del perfil «{{.Name}}» debe ser un número.", map[string]any{"Name": pr.Name})})
			}
		}
		p.Profiles = append(p.Profiles, pr)
	}
	return p, bad
}

// showProblems marks the fields of a *data.ValidationError and reports
// whether err is nil. Other errors go to a dialog.
func (f *programmeForm) showProblems(err error) bool {
	f.marks.clear()
	if err == nil {
		return true
	}
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		f.u.showError(err)
		return false
	}
	for _, fe := range ve.Fields {
		l, ok := f.marks.fields[fe.Field]
		if !ok {
			l = f.marks.general
		}
		l.SetText(strings.TrimSpace(l.Text + " " + dataText(fe.Message)))
		l.Show()
	}
	f.saved.SetText(T("No se ha guardado: revise lo marcado en rojo."))
	return false
}

// profileCode makes a profile's code from its name: lower-case ASCII
// words joined by '_', at most 24 characters, unique among taken. An
// empty name gives an empty code, which the store rejects.
func profileCode(name string, taken map[string]bool) string {
	words := strings.FieldsFunc(data.Fold(name), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
	code := ""
	for _, w := range words {
		if code != "" && len(code)+1+len(w) > 24 {
			break
		}
		if code != "" {
			code += "_"
		}
		code += w
	}
	if len(code) > 24 {
		code = code[:24]
	}
	if code == "" {
		return ""
	}
	base := code
	for i := 2; taken[code]; i++ {
		code = base + "_" + strconv.Itoa(i)
	}
	return code
}

// showWrapped shows a dialog whose message wraps: it learns its wrapped
// height from the first layout, and the dialog must grow to it.
func (u *App) showWrapped(d dialog.Dialog) {
	u.showDialog(d)
	d.Refresh()
	d.Refresh()
}

// columnHeading is a column heading.
func columnHeading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// dialogText is a wrapping message for a dialog, wide enough to read.
func wrappedDialogText(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.New(&dialogWidthLayout{width: 460}, l)
}

// fixedWidth gives o exactly width, and its own minimum height.
func fixedWidthBox(width float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&fixedWidthLayout{width: width}, o)
}

type fixedWidthLayout struct{ width float32 }

func (l *fixedWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(l.width, size.Height))
	}
}

func (l *fixedWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// dialogWidthLayout stacks its objects and asks for at least width, so that
// wrapping text in a dialog does not collapse to one word a line.
type dialogWidthLayout struct{ width float32 }

func (l *dialogWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	layout.NewStackLayout().Layout(objs, size)
}

func (l *dialogWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := layout.NewStackLayout().MinSize(objs)
	return fyne.NewSize(max(m.Width, l.width), m.Height)
}
