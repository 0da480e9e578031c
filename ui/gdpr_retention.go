package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// retentionPanel is "Conservación de datos": the closed cases with no
// activity for longer than the retention period, each with "Revisar" to
// open the person and decide whether to erase them.
type retentionPanel struct {
	u      *App
	years  *widget.Select
	status *widget.Label
	list   *widget.List
	items  []data.RetentionCandidate
	root   fyne.CanvasObject
}

// retentionChoices are the periods offered, in years.
var retentionChoices = []int{1, 2, 3, 4, 5, 6, 8, 10}

// newRetentionPanel returns the "Conservación de datos" panel, filled.
func newRetentionPanel(u *App) fyne.CanvasObject { return newRetention(u).root }

func newRetention(u *App) *retentionPanel {
	r := &retentionPanel{u: u}
	opts := make([]string, len(retentionChoices))
	for i, y := range retentionChoices {
		opts[i] = yearsText(y)
	}
	r.years = widget.NewSelect(opts, nil)
	r.status = widget.NewLabel("")
	r.list = widget.NewList(func() int { return len(r.items) }, newRetentionRow, r.updateRow)
	r.list.HideSeparators = false
	refresh := widget.NewButtonWithIcon(T("Actualizar"), theme.ViewRefreshIcon(), r.refresh)
	intro := wrapped(T("Casos cerrados o excluidos sin actividad desde hace más del plazo de conservación. Revise cada uno y suprima a la persona si ya no hace falta conservar sus datos."))
	top := container.NewVBox(
		widget.NewLabelWithStyle(T("Conservación de datos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro,
		container.NewBorder(nil, nil, widget.NewLabel(T("Plazo de conservación")), refresh, r.years),
		r.status)
	r.root = container.NewBorder(top, nil, nil, nil, r.list)
	r.refresh()
	r.years.OnChanged = func(string) { r.onYears() }
	if !u.can(data.PermSettings) {
		r.years.Disable() // the period is an administrator's setting
	}
	return r
}

func yearsText(y int) string {
	if y == 1 {
		return T("1 año")
	}
	return T("{{.N}} años", map[string]any{"N": y})
}

// refresh reads the period and lists the cases past it.
func (r *retentionPanel) refresh() {
	years, err := r.u.store.RetentionYears()
	if err != nil {
		r.u.showError(err)
		return
	}
	r.years.Selected = yearsText(years)
	r.years.Refresh()
	if r.items, err = r.u.store.RetentionCandidates(years); err != nil {
		r.u.showError(err)
		return
	}
	switch len(r.items) {
	case 0:
		r.status.SetText(T("Ningún caso cerrado supera el plazo de conservación."))
	case 1:
		r.status.SetText(T("Un caso cerrado supera el plazo de conservación."))
	default:
		r.status.SetText(T("{{.N}} casos cerrados superan el plazo de conservación.", map[string]any{"N": len(r.items)}))
	}
	r.list.Refresh()
}

// onYears stores the period chosen and lists again.
func (r *retentionPanel) onYears() {
	for _, y := range retentionChoices {
		if yearsText(y) == r.years.Selected {
			if err := r.u.store.SetRetentionYears(y); err != nil {
				r.u.showError(err)
			}
		}
	}
	r.refresh()
}

// newRetentionRow is a row: the name over the last activity and outcome,
// and "Revisar".
func newRetentionRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.SizeName = theme.SizeNameCaptionText
	detail.Truncation = fyne.TextTruncateEllipsis
	review := widget.NewButtonWithIcon(T("Revisar"), theme.AccountIcon(), nil)
	return container.NewBorder(nil, nil, nil, container.NewCenter(review), container.New(&tightVBox{}, name, detail))
}

func (r *retentionPanel) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(r.items) {
		return
	}
	c := r.items[i]
	row := o.(*fyne.Container)
	texts := row.Objects[0].(*fyne.Container).Objects
	texts[0].(*widget.Label).SetText(c.Name)
	parts := []string{T("Última actividad: {{.Date}}", map[string]any{"Date": data.MadridDate(c.LastActivity).String()}), c.Outcome}
	if c.Referrals > 1 {
		parts = append(parts, T("{{.N}} derivaciones", map[string]any{"N": c.Referrals}))
	}
	if c.RI != "" {
		parts = append(parts, T("en el proyecto {{.RI}}: no se puede suprimir mientras siga en él", map[string]any{"RI": c.RI}))
	}
	texts[1].(*widget.Label).SetText(strings.Join(parts, " · "))
	row.Objects[1].(*fyne.Container).Objects[0].(*widget.Button).OnTapped = func() { r.u.showPerson(c.PersonID) }
}
