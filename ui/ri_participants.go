package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// riParticipantsTab is the Participantes tab of a project: the people of
// Enlace in it, with their modality, contribution group, contract,
// training hours in person and leave or replacement, to add, edit or take
// out (orientation dates and courses are in the dialog).
type riParticipantsTab struct {
	s      *riScreen
	counts *widget.Label
	list   *widget.List
	addBtn *widget.Button
	root   fyne.CanvasObject
	form   *riParticipantForm // the open participant dialog, if any
}

func newRIParticipantsTab(s *riScreen) *riParticipantsTab {
	pt := &riParticipantsTab{s: s, counts: wrappedLabel()}
	pt.addBtn = widget.NewButtonWithIcon(T("Añadir participante"), theme.ContentAddIcon(), func() { pt.openForm(-1) })
	pt.list = widget.NewList(func() int { return len(s.cur.Participants) },
		func() fyne.CanvasObject { return newRIListRow(riParticipantCols) },
		func(i widget.ListItemID, o fyne.CanvasObject) { pt.fill(i, o) })
	head := riHeadRow(riParticipantCols, T("Persona"), T("Modalidad"), T("Grupo"), T("Contrato"), T("Horas"), T("Situación"))
	top := container.NewVBox(container.NewBorder(nil, nil, pt.addBtn, nil, pt.counts), head, widget.NewSeparator())
	pt.root = container.NewBorder(top, nil, nil, nil, pt.list)
	return pt
}

// show fills the tab with the shown project's participants.
func (pt *riParticipantsTab) show() {
	p := &pt.s.cur
	pt.counts.SetText(T("Participantes: {{.N}}. Plazas derivadas a formación en alternancia, las que cuentan para tutores y subvención: {{.R}}.",
		map[string]any{"N": len(p.Participants), "R": p.Referred()}))
	pt.list.Refresh()
}

func (pt *riParticipantsTab) name(personID string) string {
	if n := pt.s.names[personID]; n != "" {
		return n
	}
	return T("(ya no está en Enlace)")
}

func (pt *riParticipantsTab) fill(i int, o fyne.CanvasObject) {
	p := &pt.s.cur
	if i >= len(p.Participants) {
		return
	}
	x := p.Participants[i]
	mode := T("Solo orientación")
	if x.Alternance {
		mode = T("Alternancia")
	}
	group := "—"
	if x.Group > 0 {
		group = strconv.Itoa(x.Group)
	}
	hours, _ := x.TrainingHours()
	fillRIListRow(o, []string{strconv.Itoa(i+1) + ". " + pt.name(x.PersonID), mode, group,
		riSpanText(x.ContractStart, x.ContractEnd), T("{{.H}} h", map[string]any{"H": hours}), pt.state(&x)},
		func() { pt.openForm(i) }, func() { pt.onRemove(i) })
}

// state says whether the participant left, replaces someone, or is in.
func (pt *riParticipantsTab) state(x *data.RIParticipant) string {
	switch {
	case !x.Leave.IsZero() && x.LeaveReported.IsZero():
		return T("Baja el {{.Date}}, sin comunicar", map[string]any{"Date": x.Leave.String()})
	case !x.Leave.IsZero():
		return T("Baja el {{.Date}}", map[string]any{"Date": x.Leave.String()})
	case x.Replaces != "":
		return T("Sustituye a {{.Name}}", map[string]any{"Name": pt.name(x.Replaces)})
	}
	return T("En el proyecto")
}

// onRemove asks before taking participant i out of the project.
func (pt *riParticipantsTab) onRemove(i int) {
	id := pt.s.cur.Participants[i].PersonID
	pt.s.confirmRemove(T("Quitar participante"),
		T("¿Quitar a {{.Name}} de los participantes del proyecto? La persona sigue en Enlace.", map[string]any{"Name": pt.name(id)}),
		func(p *data.RIProject) {
			for j := range p.Participants {
				if p.Participants[j].Replaces == id {
					p.Participants[j].Replaces = ""
				}
			}
			p.Participants = append(p.Participants[:i:i], p.Participants[i+1:]...)
		})
}
