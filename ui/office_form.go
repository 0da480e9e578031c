package ui

import (
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// formBodyWidth keeps the office and staff dialogs wide enough for their
// inline messages to wrap on two lines at most.
const formBodyWidth = 600

// officeForm is the dialog that creates or edits an office.
type officeForm struct {
	s   *officesScreen
	o   data.Office // the office as loaded; ID empty for a new one
	dlg *dialog.CustomDialog

	name, address, phones, emails, web, hours *entry
	org, liaison                              *widget.Select
	liaisonID                                 map[string]string // option → staff ID
	marks                                     *validationMarks
	saveBtn                                   *widget.Button
}

// openOfficeForm shows the office dialog for o (a zero Office for a new one).
func (s *officesScreen) openOfficeForm(o data.Office) *officeForm {
	u := s.u
	f := &officeForm{s: s, o: o, marks: newValidationMarks()}

	f.name = u.newEntry()
	f.name.SetText(o.Name)
	f.org = widget.NewSelect(orgOptions(), nil)
	f.org.PlaceHolder = T("Elija la organización")
	if o.Org != "" {
		f.org.SetSelected(officeOrgLabel(o.Org))
	}
	f.address = u.newEntry()
	f.address.SetText(o.Address)
	f.phones = u.newMultiLineEntry()
	f.phones.SetMinRowsVisible(2)
	f.phones.SetPlaceHolder(T("Un teléfono por línea, p. ej. 917 581 437"))
	f.phones.SetText(officePhones(o.Phones, "\n"))
	f.emails = u.newMultiLineEntry()
	f.emails.SetMinRowsVisible(2)
	f.emails.SetPlaceHolder(T("Un correo por línea"))
	f.emails.SetText(strings.Join(o.Emails, "\n"))
	f.web = u.newEntry()
	f.web.SetPlaceHolder(T("p. ej. www.madrid.es"))
	f.web.SetText(o.Web)
	f.hours = u.newMultiLineEntry()
	f.hours.SetMinRowsVisible(2)
	f.hours.SetPlaceHolder(T("p. ej. De lunes a viernes, de 9:00 a 14:00"))
	f.hours.SetText(o.Hours)

	var options []string
	options, f.liaisonID = s.staffOptions()
	f.liaison = widget.NewSelect(append([]string{T("— Ninguno —")}, options...), nil)
	f.liaison.SetSelectedIndex(0)
	for opt, id := range f.liaisonID {
		if id == o.Liaison {
			f.liaison.SetSelected(opt)
		}
	}
	for _, e := range []*entry{f.name, f.address, f.web} {
		e.OnSubmitted = func(string) { f.onSave() }
	}

	form := widget.NewForm(
		widget.NewFormItem(T("Nombre"), f.marks.wrap("Name", f.name)),
		widget.NewFormItem(T("Organización"), f.marks.wrap("Org", f.org)),
		widget.NewFormItem(T("Dirección"), f.address),
		widget.NewFormItem(T("Teléfonos"), f.marks.wrap("Phones", f.phones)),
		widget.NewFormItem(T("Correo electrónico"), f.marks.wrap("Emails", f.emails)),
		widget.NewFormItem(T("Web"), f.web),
		widget.NewFormItem(T("Horario"), f.hours),
		widget.NewFormItem(T("Técnico/a de enlace"), f.liaison),
	)
	title := T("Nueva oficina")
	if o.ID != "" {
		title = T("Editar oficina")
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, f.marks.body(form), f.onSave)
	f.dlg.SetOnClosed(func() { s.officeForm = nil })
	s.officeForm = f
	u.showDialog(f.dlg)
	u.win.Canvas().Focus(f.name)
	return f
}

// onSave stores the office; on a validation error it marks the fields and
// keeps the dialog open, and nothing is saved.
func (f *officeForm) onSave() {
	o := f.o
	o.Name = f.name.Text
	o.Org = orgFromLabel(f.org.Selected)
	o.Address = f.address.Text
	o.Phones = splitContacts(f.phones.Text)
	o.Emails = splitContacts(f.emails.Text)
	o.Web = f.web.Text
	o.Hours = f.hours.Text
	o.Liaison = f.liaisonID[f.liaison.Selected]
	if !f.marks.handle(f.s.u, f.dlg, f.s.u.store.SaveOffice(&o, f.s.u.Author())) {
		return
	}
	f.dlg.Hide()
	f.s.selOffice = o.ID
	f.s.refresh()
}

// staffOptions returns the staff as Select options — name, and office when
// known, so that two people with the same name can be told apart — and
// the staff ID behind each option.
func (s *officesScreen) staffOptions() ([]string, map[string]string) {
	opts := make([]string, 0, len(s.staff))
	ids := make(map[string]string, len(s.staff))
	for _, st := range s.staff {
		opt := st.Name
		if office := s.officeName(st.OfficeID); office != "" {
			opt += " (" + office + ")"
		}
		if _, dup := ids[opt]; dup {
			opt += " · " + st.Email
		}
		opts = append(opts, opt)
		ids[opt] = st.ID
	}
	return opts, ids
}

// officeOrgLabel is the organisation's name in the interface language.
func officeOrgLabel(o data.Org) string {
	switch o {
	case data.OrgAE:
		return T("Agencia para el Empleo (AE)")
	case data.OrgOMIOPI:
		return T("Oficina municipal de inmigración (OMIOPI)")
	case data.OrgOther:
		return T("Otra entidad")
	}
	return o.Label()
}

func orgOptions() []string {
	opts := make([]string, len(data.Orgs))
	for i, o := range data.Orgs {
		opts[i] = officeOrgLabel(o)
	}
	return opts
}

func orgFromLabel(label string) data.Org {
	for _, o := range data.Orgs {
		if officeOrgLabel(o) == label {
			return o
		}
	}
	return ""
}

// splitContacts splits phones or e-mails typed one per line or separated
// by commas or semicolons.
func splitContacts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' })
}

// newSaveDialog builds a dialog with Cancelar and Guardar buttons around
// body. Guardar calls onSave, which closes the dialog when the record is
// stored; Cancelar closes it.
func newSaveDialog(u *App, title string, body fyne.CanvasObject, onSave func()) (*dialog.CustomDialog, *widget.Button) {
	d := dialog.NewCustomWithoutButtons(title, body, u.win)
	cancel := widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), d.Hide)
	save := widget.NewButtonWithIcon(T("Guardar"), theme.DocumentSaveIcon(), onSave)
	save.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{cancel, save})
	return d, save
}

// validationMarks shows a record's validation messages in red under the
// fields they are about; messages about fields not on the form go to a
// line at the top.
type validationMarks struct {
	fields  map[string]*widget.Label // by data field name, e.g. "Email"
	general *widget.Label
}

func newValidationMarks() *validationMarks {
	return &validationMarks{fields: map[string]*widget.Label{}, general: newMarkLabel()}
}

func newMarkLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// wrap returns w with the message label of data field under it.
func (m *validationMarks) wrap(field string, w fyne.CanvasObject) fyne.CanvasObject {
	l := newMarkLabel()
	m.fields[field] = l
	return container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), w, l)
}

// body lays out form under the general message line, at the dialogs'
// width.
func (m *validationMarks) body(form fyne.CanvasObject) fyne.CanvasObject {
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(formBodyWidth, 0))
	return container.NewStack(width, container.NewVBox(m.general, form))
}

// handle shows the outcome of a save and reports whether it succeeded.
// A *data.ValidationError marks the fields; any other error is shown in a
// dialog. Either way the form stays open.
func (m *validationMarks) handle(u *App, d dialog.Dialog, err error) bool {
	m.clear()
	var ve *data.ValidationError
	switch {
	case err == nil:
		return true
	case errors.As(err, &ve):
		for _, fe := range ve.Fields {
			l, ok := m.fields[fe.Field]
			if !ok {
				l = m.general
			}
			l.SetText(strings.TrimSpace(l.Text + " " + dataText(fe.Message)))
			l.Show()
		}
		// Twice: a message label learns its wrapped height from the first
		// layout, and the dialog must grow to it.
		d.Refresh()
		d.Refresh()
	default:
		u.showError(err)
	}
	return false
}

func (m *validationMarks) clear() {
	m.general.SetText("")
	m.general.Hide()
	for _, l := range m.fields {
		l.SetText("")
		l.Hide()
	}
}
