package ui

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// riScreen is "Programa RI": the projects of the Programa de reactivación
// e inserción laboral, each with its tutors, participants, the
// requirements it does not meet and its subsidy estimate; and a tab with
// the SMI table and Madrid's holidays the rules use.
type riScreen struct {
	u    *App
	root fyne.CanvasObject

	projects []data.RIProject
	rows     []riProjectRow // parallel to projects
	sel      string         // ID of the project shown
	cur      data.RIProject // the project shown, as stored
	names    map[string]string

	list                *widget.List
	empty               *widget.Label
	newBtn, editBtn     *widget.Button
	deleteBtn           *widget.Button
	actaBtn, estimBtn   *widget.Button
	title, summary      *widget.Label
	detail, placeholder fyne.CanvasObject
	tabs                *container.AppTabs

	tutors       *riTutorsTab
	participants *riParticipantsTab
	estimate     *riEstimateTab
	settings     *riSettings
	projectForm  *riProjectForm // the open project dialog, if any
}

// riProjectRow is what the list shows of a project.
type riProjectRow struct{ expediente, total, entity, counts string }

func newRIScreen(u *App) *riScreen {
	s := &riScreen{u: u}
	s.newBtn = u.gate(widget.NewButtonWithIcon(T("Nuevo proyecto"), theme.ContentAddIcon(), s.onNew), data.PermRI)
	s.editBtn = u.gate(widget.NewButtonWithIcon(T("Editar"), theme.DocumentCreateIcon(), s.onEdit), data.PermRI)
	s.deleteBtn = u.gate(widget.NewButtonWithIcon(T("Borrar"), theme.DeleteIcon(), s.onDelete), data.PermRI)
	s.actaBtn = widget.NewButtonWithIcon(T("Acta de selección (PDF)"), theme.DocumentPrintIcon(), s.onActa)
	s.estimBtn = widget.NewButtonWithIcon(T("Estimación de la subvención (PDF)"), theme.DocumentPrintIcon(), s.onEstimatePDF)
	s.tutors = newRITutorsTab(s)
	s.participants = newRIParticipantsTab(s)
	s.estimate = newRIEstimateTab(s)
	s.settings = newRISettings(u, func() {
		s.settings.load()
		s.refresh() // totals and deadlines change with the SMI and the holidays
		u.reminderChanged()
	})
	s.root = container.NewAppTabs(
		container.NewTabItemWithIcon(T("Proyectos"), theme.FolderIcon(), s.buildProjectsTab()),
		container.NewTabItemWithIcon(T("SMI y festivos"), theme.SettingsIcon(), s.settings.root),
	)
	s.settings.load()
	s.refresh()
	return s
}

// content returns the screen's root object; the same object every call.
func (s *riScreen) content() fyne.CanvasObject { return s.root }

func (s *riScreen) buildProjectsTab() fyne.CanvasObject {
	s.list = widget.NewList(func() int { return len(s.rows) }, newRIProjectRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { fillRIProjectRow(o, s.rows[i]) })
	s.list.OnSelected = func(i widget.ListItemID) {
		s.sel = s.projects[i].ID
		s.showProject()
	}
	s.empty = wrappedLabel()
	s.empty.SetText(T("Todavía no hay proyectos RI. Pulse «Nuevo proyecto» para añadir el primero."))
	left := container.NewBorder(container.NewVBox(container.NewHBox(s.newBtn), s.empty), nil, nil, nil, s.list)

	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.summary = wrappedLabel()
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(T("Tutores"), theme.AccountIcon(), s.tutors.root),
		container.NewTabItemWithIcon(T("Participantes"), theme.AccountIcon(), s.participants.root),
		container.NewTabItemWithIcon(T("Avisos y estimación"), theme.WarningIcon(), s.estimate.root),
	)
	bar := container.NewHBox(s.editBtn, s.deleteBtn, layout.NewSpacer(), s.actaBtn, s.estimBtn)
	s.detail = container.NewBorder(container.NewVBox(s.title, s.summary, bar, widget.NewSeparator()), nil, nil, nil, s.tabs)
	ph := wrappedLabel()
	ph.SetText(T("Elija un proyecto de la lista para ver sus tutores, participantes y subvención."))
	s.placeholder = container.NewVBox(ph)
	split := container.NewHSplit(left, container.NewStack(s.placeholder, s.detail))
	split.SetOffset(0.23)
	return split
}

// newRIProjectRow is the template of a project row: the expediente and
// the estimated total, the entity, the counts.
func newRIProjectRow() fyne.CanvasObject {
	exp := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	total := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	entity, counts := widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{exp, entity, counts} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	counts.SizeName = theme.SizeNameCaptionText
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()),
		container.NewBorder(nil, nil, nil, total, exp), entity, counts)
}

func fillRIProjectRow(o fyne.CanvasObject, r riProjectRow) {
	objs := o.(*fyne.Container).Objects
	top := objs[0].(*fyne.Container).Objects // a border: the centre, then the right
	top[0].(*widget.Label).SetText(r.expediente)
	top[1].(*widget.Label).SetText(r.total)
	objs[1].(*widget.Label).SetText(r.entity)
	objs[2].(*widget.Label).SetText(r.counts)
}

// refresh reloads the projects and shows the selected one again.
func (s *riScreen) refresh() {
	projects, err := s.u.store.RIProjects()
	if err != nil {
		s.u.showError(err)
		return
	}
	smi, err := s.u.store.SMITable()
	if err != nil {
		s.u.showError(err)
		return
	}
	s.projects, s.rows = projects, make([]riProjectRow, len(projects))
	for i := range projects {
		s.rows[i] = riRow(&projects[i], smi)
	}
	s.empty.Hidden = len(projects) > 0
	s.empty.Refresh()
	s.list.Refresh()
	s.showProject()
}

// riRow sums up p for the list: participants, tutors required and
// present, and the estimated total.
func riRow(p *data.RIProject, smi data.SMITable) riProjectRow {
	total := T("sin SMI de {{.Year}}", map[string]any{"Year": p.SMIYear()})
	if e, err := p.Estimate(smi, nil); err == nil {
		total = data.FormatEuros(e.Total)
	}
	counts := T("participantes: {{.N}} · tutores {{.Have}} de {{.Need}}", map[string]any{
		"N": len(p.Participants), "Have": len(p.Tutors), "Need": data.RITutorsRequired(p.Referred())})
	return riProjectRow{expediente: p.Expediente(), total: total, entity: p.Entity, counts: counts}
}

// showProject fills the detail with the selected project, or asks to
// choose one.
func (s *riScreen) showProject() {
	i := s.index(s.sel)
	if i < 0 {
		s.sel, s.cur = "", data.RIProject{}
		s.list.UnselectAll()
		s.detail.Hide()
		s.placeholder.Show()
		return
	}
	s.list.Select(i) // a no-op when already selected
	s.cur = s.projects[i]
	s.names = s.u.store.RINames(&s.cur)
	s.title.SetText(T("Expediente {{.Exp}}", map[string]any{"Exp": s.cur.Expediente()}))
	s.summary.SetText(T("{{.Entity}} · convocatoria {{.Year}}", map[string]any{"Entity": s.cur.Entity, "Year": s.cur.SMIYear()}) +
		riNotes(s.cur.Notes))
	s.tutors.show()
	s.participants.show()
	s.estimate.show()
	s.placeholder.Hide()
	s.detail.Show()
}

func riNotes(notes string) string {
	if notes == "" {
		return ""
	}
	return "\n" + notes
}

func (s *riScreen) index(id string) int {
	for i, p := range s.projects {
		if id != "" && p.ID == id {
			return i
		}
	}
	return -1
}

// save stores p (the shown project with a change, or a new one) and shows
// it. Saving moves the reminders of its deadlines, so the reminder views
// reload too. The error is for the dialog that asked.
func (s *riScreen) save(p *data.RIProject) error {
	if err := s.u.store.SaveRIProject(p, s.u.Author()); err != nil {
		return err
	}
	s.sel = p.ID
	s.refresh()
	s.u.reminderChanged()
	return nil
}

func (s *riScreen) onNew() {
	year := s.u.store.Today().Year
	s.openProjectForm(data.RIProject{Year: year, CallYear: year})
}

func (s *riScreen) onEdit() {
	if s.sel != "" {
		s.openProjectForm(s.cur)
	}
}

// onDelete asks before removing the shown project.
func (s *riScreen) onDelete() {
	if s.sel == "" {
		return
	}
	p := s.cur
	msg := T("¿Borrar el proyecto {{.Exp}} con sus {{.T}} tutores y {{.P}} participantes? Las personas siguen en Enlace. No se puede deshacer.",
		map[string]any{"Exp": p.Expediente(), "T": len(p.Tutors), "P": len(p.Participants)})
	s.u.showDialog(dialog.NewCustomConfirm(T("Borrar proyecto"), T("Borrar"), T("Cancelar"), wrappedDialogText(msg), func(ok bool) {
		if !ok {
			return
		}
		if err := s.u.store.DeleteRIProject(p.ID, s.u.Author()); err != nil {
			s.u.showError(err)
			return
		}
		s.sel = ""
		s.refresh()
		s.u.reminderChanged()
	}, s.u.win))
}

// onActa saves the Anexo II selection record of the shown project.
func (s *riScreen) onActa() {
	id, exp := s.sel, s.cur.Expediente()
	s.u.savePDF(T("Acta de selección")+" "+exp, func(w io.Writer, opt reports.Options) error {
		return reports.RISelection(w, s.u.store, id, opt)
	})
}

// onEstimatePDF saves the subsidy estimate sheet of the shown project.
func (s *riScreen) onEstimatePDF() {
	id, exp := s.sel, s.cur.Expediente()
	if smi, err := s.u.store.SMITable(); err == nil && smi[s.cur.SMIYear()] == 0 {
		s.u.showDialog(dialog.NewInformation(T("Falta el SMI"), T("No hay SMI de {{.Year}}: añádalo en la pestaña «SMI y festivos» para calcular la subvención.",
			map[string]any{"Year": s.cur.SMIYear()}), s.u.win))
		return
	}
	s.u.savePDF(T("Estimación de la subvención")+" "+exp, func(w io.Writer, opt reports.Options) error {
		return reports.RIEstimate(w, s.u.store, id, opt)
	})
}

// confirmRemove asks before taking what out of the project, then runs
// remove on a copy of it and saves.
func (s *riScreen) confirmRemove(title, msg string, remove func(p *data.RIProject)) {
	s.u.showDialog(dialog.NewCustomConfirm(title, T("Quitar"), T("Cancelar"), wrappedDialogText(msg), func(ok bool) {
		if !ok {
			return
		}
		p := riClone(s.cur)
		remove(&p)
		if err := s.save(&p); err != nil {
			s.u.showError(err)
		}
	}, s.u.win))
}

// riClone copies p deeply enough for an edit: its own tutor and
// participant slices.
func riClone(p data.RIProject) data.RIProject {
	p.Tutors = append([]data.RITutor(nil), p.Tutors...)
	p.Participants = append([]data.RIParticipant(nil), p.Participants...)
	return p
}
