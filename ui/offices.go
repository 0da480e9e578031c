package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// officesScreen is "Oficinas y personal": the AE zone agencies, OMIOPI
// offices and other services, and the people who work in them. Two tabs:
// offices with a detail panel, and the staff list.
type officesScreen struct {
	u    *App
	root fyne.CanvasObject

	offices  []data.Office
	staff    []data.Staff
	officeOf map[string]data.Office // by ID
	staffOf  map[string]data.Staff  // by ID

	selOffice string // ID of the office shown in the detail panel
	selStaff  string // ID of the selected staff member

	officeList    *widget.List
	staffList     *widget.List
	detail        *fyne.Container
	detailScroll  *container.Scroll
	newOfficeBtn  *widget.Button
	editOfficeBtn *widget.Button
	newStaffBtn   *widget.Button
	editStaffBtn  *widget.Button
	staffEmpty    *widget.Label

	officeForm *officeForm // the open office dialog, if any
	staffForm  *staffForm  // the open staff dialog, if any
}

func newOfficesScreen(u *App) *officesScreen {
	s := &officesScreen{u: u}
	s.newOfficeBtn = u.gate(widget.NewButtonWithIcon(T("Nueva oficina"), theme.ContentAddIcon(), s.onNewOffice), data.PermOffices)
	s.editOfficeBtn = widget.NewButtonWithIcon(T("Editar"), theme.DocumentCreateIcon(), s.onEditOffice)
	s.newStaffBtn = u.gate(widget.NewButtonWithIcon(T("Nueva persona de personal"), theme.ContentAddIcon(), s.onNewStaff), data.PermOffices)
	s.editStaffBtn = widget.NewButtonWithIcon(T("Editar"), theme.DocumentCreateIcon(), s.onEditStaff)
	s.editOfficeBtn.Disable()
	s.editStaffBtn.Disable()

	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(T("Oficinas"), theme.HomeIcon(), s.buildOfficesTab()),
		container.NewTabItemWithIcon(T("Personal"), theme.AccountIcon(), s.buildStaffTab()),
	)
	s.root = tabs
	s.refresh()
	return s
}

// content returns the screen's root object; the same object every call.
func (s *officesScreen) content() fyne.CanvasObject { return s.root }

// refresh reloads offices and staff from the store and keeps the current
// selections when their records still exist.
func (s *officesScreen) refresh() {
	offices, err := s.u.store.Offices()
	if err != nil {
		s.u.showError(err)
		return
	}
	staff, err := s.u.store.StaffList()
	if err != nil {
		s.u.showError(err)
		return
	}
	s.offices, s.staff = offices, staff
	s.officeOf = make(map[string]data.Office, len(offices))
	for _, o := range offices {
		s.officeOf[o.ID] = o
	}
	s.staffOf = make(map[string]data.Staff, len(staff))
	for _, st := range staff {
		s.staffOf[st.ID] = st
	}
	s.officeList.Refresh()
	s.staffList.Refresh()
	s.reselect()
}

// reselect restores the list selections after a reload.
func (s *officesScreen) reselect() {
	if i := s.officeIndex(s.selOffice); i >= 0 {
		s.officeList.Select(i) // a no-op when i is already selected
	} else {
		s.selOffice = ""
		s.officeList.UnselectAll()
		s.editOfficeBtn.Disable()
	}
	s.showDetail()
	if i := s.staffIndex(s.selStaff); i >= 0 {
		s.staffList.Select(i)
	} else {
		s.selStaff = ""
		s.staffList.UnselectAll()
		s.editStaffBtn.Disable()
	}
	if len(s.staff) == 0 {
		s.staffEmpty.Show()
	} else {
		s.staffEmpty.Hide()
	}
}

func (s *officesScreen) officeIndex(id string) int {
	for i, o := range s.offices {
		if id != "" && o.ID == id {
			return i
		}
	}
	return -1
}

func (s *officesScreen) staffIndex(id string) int {
	for i, st := range s.staff {
		if id != "" && st.ID == id {
			return i
		}
	}
	return -1
}

// buildOfficesTab lays out the office list beside the detail panel.
func (s *officesScreen) buildOfficesTab() fyne.CanvasObject {
	s.officeList = widget.NewList(
		func() int { return len(s.offices) },
		newOfficeRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { fillOfficeRow(o, s.offices[i]) },
	)
	s.officeList.OnSelected = func(i widget.ListItemID) {
		s.selOffice = s.offices[i].ID
		s.u.enableFor(s.editOfficeBtn, data.PermOffices, true)
		s.showDetail()
	}
	bar := container.NewHBox(s.newOfficeBtn, s.editOfficeBtn)
	left := container.NewBorder(bar, nil, nil, nil, s.officeList)

	s.detail = container.NewVBox()
	s.detailScroll = container.NewVScroll(container.NewPadded(s.detail))
	split := container.NewHSplit(left, s.detailScroll)
	split.SetOffset(0.36)
	return split
}

// newOfficeRow is the template of an office list row: name in bold, the
// organisation, the phones.
func newOfficeRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	org := widget.NewLabel("")
	phones := widget.NewLabel("")
	for _, l := range []*widget.Label{name, org, phones} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	org.SizeName = theme.SizeNameCaptionText
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), name, org, phones)
}

func fillOfficeRow(row fyne.CanvasObject, o data.Office) {
	objs := row.(*fyne.Container).Objects
	objs[0].(*widget.Label).SetText(o.Name)
	objs[1].(*widget.Label).SetText(officeOrgLabel(o.Org))
	phones := officePhones(o.Phones, " · ")
	if phones == "" {
		phones = T("Sin teléfono")
	}
	objs[2].(*widget.Label).SetText(phones)
}

// showDetail fills the detail panel with the selected office, or says what
// to do when there is none.
func (s *officesScreen) showDetail() {
	o, ok := s.officeOf[s.selOffice]
	if !ok {
		msg := T("Elija una oficina de la lista para ver sus datos y su personal.")
		if len(s.offices) == 0 {
			msg = T("Todavía no hay oficinas. Pulse «Nueva oficina» para añadir la primera.")
		}
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		s.detail.Objects = []fyne.CanvasObject{l}
		s.detail.Refresh()
		return
	}
	title := widget.NewLabelWithStyle(o.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Wrapping = fyne.TextWrapWord

	fields := container.New(layout.NewFormLayout(),
		officeKey(T("Organización")), officeValue(officeOrgLabel(o.Org)),
		officeKey(T("Dirección")), officeValue(o.Address),
		officeKey(T("Teléfonos")), officeValue(officePhones(o.Phones, "\n")),
		officeKey(T("Correo electrónico")), officeValue(strings.Join(o.Emails, "\n")),
		officeKey(T("Web")), officeWeb(o.Web),
		officeKey(T("Horario")), officeValue(o.Hours),
		officeKey(T("Técnico/a de enlace")), officeValue(s.staffName(o.Liaison)),
	)
	pdf := widget.NewButtonWithIcon(T("PDF"), theme.DocumentPrintIcon(), nil)
	pdf.OnTapped = func() { s.u.showOfficePDFMenu(o, pdf) }
	head := container.NewBorder(nil, nil, nil, container.NewVBox(pdf), title)
	s.detail.Objects = []fyne.CanvasObject{head, fields, widget.NewSeparator(), s.officeStaff(o.ID)}
	s.detail.Refresh()
	s.detailScroll.ScrollToTop()
}

// officeStaff lists the staff of office id under a heading.
func (s *officesScreen) officeStaff(id string) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(T("Personal de esta oficina"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	box := container.NewVBox(heading)
	grid := container.New(layout.NewFormLayout())
	for _, st := range s.staff {
		if st.OfficeID != id {
			continue
		}
		role := staffRoleLabel(st.Role)
		if !st.Active {
			role = T("{{.Role}} (inactivo/a)", map[string]any{"Role": role})
		}
		name := widget.NewLabel(st.Name)
		name.TextStyle.Bold = true
		grid.Add(name)
		contact := []string{role, st.Email}
		if st.Phone != "" {
			contact = append(contact, data.FormatPhone(st.Phone))
		}
		grid.Add(officeValue(strings.Join(contact, " · ")))
	}
	if len(grid.Objects) == 0 {
		l := widget.NewLabel(T("Nadie del personal está asignado a esta oficina todavía."))
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	} else {
		box.Add(grid)
	}
	return box
}

// staffName returns the name of staff member id, for people: never an ID.
func (s *officesScreen) staffName(id string) string {
	if id == "" {
		return ""
	}
	if st, ok := s.staffOf[id]; ok {
		return st.Name
	}
	return T("(ya no figura en el personal)")
}

// officeName returns the name of office id, or "" when there is none.
func (s *officesScreen) officeName(id string) string {
	if o, ok := s.officeOf[id]; ok {
		return o.Name
	}
	return ""
}

// buildStaffTab lays out the staff list with column headings.
func (s *officesScreen) buildStaffTab() fyne.CanvasObject {
	s.staffList = widget.NewList(
		func() int { return len(s.staff) },
		newStaffRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { s.fillStaffRow(o, s.staff[i]) },
	)
	s.staffList.OnSelected = func(i widget.ListItemID) {
		s.selStaff = s.staff[i].ID
		s.u.enableFor(s.editStaffBtn, data.PermOffices, true)
	}
	s.staffEmpty = widget.NewLabel(T("Todavía no hay personal. Pulse «Nueva persona de personal» para añadir a alguien."))
	s.staffEmpty.Wrapping = fyne.TextWrapWord

	head := container.NewGridWithColumns(4)
	for _, text := range []string{T("Nombre"), T("Puesto"), T("Oficina"), T("Correo electrónico")} {
		head.Add(widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	bar := container.NewHBox(s.newStaffBtn, s.editStaffBtn)
	top := container.NewVBox(bar, s.staffEmpty, head, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, s.staffList)
}

func newStaffRow() fyne.CanvasObject {
	row := container.NewGridWithColumns(4)
	for i := 0; i < 4; i++ {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		row.Add(l)
	}
	row.Objects[0].(*widget.Label).TextStyle.Bold = true
	return row
}

func (s *officesScreen) fillStaffRow(row fyne.CanvasObject, st data.Staff) {
	objs := row.(*fyne.Container).Objects
	name := st.Name
	if !st.Active {
		name = T("{{.Name}} (inactivo/a)", map[string]any{"Name": name})
	}
	office := s.officeName(st.OfficeID)
	if office == "" {
		office = "—"
	}
	for i, text := range []string{name, staffRoleLabel(st.Role), office, st.Email} {
		objs[i].(*widget.Label).SetText(text)
	}
}

func (s *officesScreen) onNewOffice() { s.openOfficeForm(data.Office{}) }

func (s *officesScreen) onEditOffice() {
	if o, ok := s.officeOf[s.selOffice]; ok {
		s.openOfficeForm(o)
	}
}

func (s *officesScreen) onNewStaff() {
	// A new member starts in the office on show, if any: the usual case is
	// adding the people of the office one is looking at.
	s.openStaffForm(data.Staff{OfficeID: s.selOffice, Active: true})
}

func (s *officesScreen) onEditStaff() {
	if st, ok := s.staffOf[s.selStaff]; ok {
		s.openStaffForm(st)
	}
}

// officePhones returns stored phones for display, joined by sep.
func officePhones(phones []string, sep string) string {
	out := make([]string, len(phones))
	for i, p := range phones {
		out[i] = data.FormatPhone(p)
	}
	return strings.Join(out, sep)
}

// officeKey is the bold, trailing-aligned name of a field in a detail form.
func officeKey(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

// officeValue shows a field's value, wrapping, or "—" when it is empty.
func officeValue(text string) *widget.Label {
	if strings.TrimSpace(text) == "" {
		text = "—"
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// officeWeb shows a web address as a link when it parses as one.
func officeWeb(web string) fyne.CanvasObject {
	if web == "" {
		return officeValue("")
	}
	target := web
	if !strings.Contains(target, "://") {
		target = "https://" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return officeValue(web)
	}
	l := widget.NewHyperlink(web, u)
	l.Wrapping = fyne.TextWrapBreak
	return l
}
