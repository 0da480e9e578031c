package ui

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// staffForm is the dialog that creates or edits a staff member.
type staffForm struct {
	s   *officesScreen
	st  data.Staff // the member as loaded; ID empty for a new one
	dlg *dialog.CustomDialog

	name, email, phone *entry
	office, role       *widget.Select
	officeID           map[string]string // option → office ID
	active             *widget.Check
	marks              *validationMarks
	saveBtn            *widget.Button
}

// openStaffForm shows the staff dialog for st (ID empty for a new member).
func (s *officesScreen) openStaffForm(st data.Staff) *staffForm {
	u := s.u
	f := &staffForm{s: s, st: st, marks: newValidationMarks()}

	f.name = u.newEntry()
	f.name.SetText(st.Name)
	var options []string
	options, f.officeID = s.officeOptions()
	f.office = widget.NewSelect(append([]string{T("— Ninguna —")}, options...), nil)
	f.office.SetSelectedIndex(0)
	for opt, id := range f.officeID {
		if id == st.OfficeID {
			f.office.SetSelected(opt)
		}
	}
	f.role = widget.NewSelect(roleOptions(), nil)
	f.role.PlaceHolder = T("Elija el puesto")
	if st.Role != "" {
		f.role.SetSelected(staffRoleLabel(st.Role))
	}
	f.email = u.newEntry()
	f.email.SetPlaceHolder(T("nombre@madrid.es"))
	f.email.SetText(st.Email)
	f.phone = u.newEntry()
	f.phone.SetText(data.FormatPhone(st.Phone))
	f.active = widget.NewCheck(T("En activo"), nil)
	f.active.SetChecked(st.Active)
	for _, e := range []*entry{f.name, f.email, f.phone} {
		e.OnSubmitted = func(string) { f.onSave() }
	}

	form := widget.NewForm(
		widget.NewFormItem(T("Nombre"), f.marks.wrap("Name", f.name)),
		widget.NewFormItem(T("Oficina"), f.office),
		widget.NewFormItem(T("Puesto"), f.marks.wrap("Role", f.role)),
		widget.NewFormItem(T("Correo electrónico"), f.marks.wrap("Email", f.email)),
		widget.NewFormItem(T("Teléfono"), f.marks.wrap("Phone", f.phone)),
		widget.NewFormItem(T("Situación"), f.active),
	)
	title := T("Nueva persona de personal")
	if st.ID != "" {
		title = T("Editar persona de personal")
	}
	f.dlg, f.saveBtn = newSaveDialog(u, title, f.marks.body(form), f.onSave)
	f.dlg.SetOnClosed(func() { s.staffForm = nil })
	s.staffForm = f
	u.showDialog(f.dlg)
	u.win.Canvas().Focus(f.name)
	return f
}

// onSave stores the member; on a validation error it marks the fields and
// keeps the dialog open, and nothing is saved.
func (f *staffForm) onSave() {
	st := f.st
	st.Name = f.name.Text
	st.OfficeID = f.officeID[f.office.Selected]
	st.Role = roleFromLabel(f.role.Selected)
	st.Email = f.email.Text
	st.Phone = f.phone.Text
	st.Active = f.active.Checked
	if !f.marks.handle(f.s.u, f.dlg, f.s.u.store.SaveStaff(&st, f.s.u.Author())) {
		return
	}
	f.dlg.Hide()
	f.s.selStaff = st.ID
	f.s.refresh()
}

// officeOptions returns the offices as Select options, with the
// organisation added when two share a name, and the ID behind each.
func (s *officesScreen) officeOptions() ([]string, map[string]string) {
	opts := make([]string, 0, len(s.offices))
	ids := make(map[string]string, len(s.offices))
	for _, o := range s.offices {
		opt := o.Name
		if _, dup := ids[opt]; dup {
			opt += " (" + officeOrgLabel(o.Org) + ")"
		}
		opts = append(opts, opt)
		ids[opt] = o.ID
	}
	return opts, ids
}

// staffRoleLabel is the role's name in the interface language.
func staffRoleLabel(r data.Role) string {
	switch r {
	case data.RoleTechnician:
		return T("Técnico/a")
	case data.RoleSectionHead:
		return T("Jefe/a de sección")
	case data.RoleCoordinator:
		return T("Coordinador/a")
	case data.RoleLiaison:
		return T("Técnico/a de enlace")
	}
	return r.Label()
}

func roleOptions() []string {
	opts := make([]string, len(data.Roles))
	for i, r := range data.Roles {
		opts[i] = staffRoleLabel(r)
	}
	return opts
}

func roleFromLabel(label string) data.Role {
	for _, r := range data.Roles {
		if staffRoleLabel(r) == label {
			return r
		}
	}
	return ""
}
