package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// followUpView is the "Seguimiento semanal" tray: every case in the
// programme with no contact in the last 7 days, longest first, each with
// a button to open the person's page and log the call.
type followUpView struct {
	s     *referralsScreen
	items []data.FollowUpItem
	now   time.Time
	list  *widget.List
	empty *widget.Label
	root  fyne.CanvasObject
}

func newFollowUpView(s *referralsScreen) *followUpView {
	v := &followUpView{s: s}
	v.list = widget.NewList(
		func() int { return len(v.items) },
		newFollowUpRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { v.fillRow(i, o) },
	)
	v.list.OnSelected = func(i widget.ListItemID) { v.list.Unselect(i) } // the button does the work
	intro := greyText(T("Casos incluidos sin ningún contacto registrado (llamada, correo, visita o entrevista) en los últimos 7 días. Abra la ficha para anotar la llamada de seguimiento."))
	v.empty = wrappedLabel()
	v.empty.Alignment = fyne.TextAlignCenter
	v.root = container.NewBorder(intro, nil, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty)))
	return v
}

func (v *followUpView) content() fyne.CanvasObject { return v.root }

// load reads the cases due now, keeping those the inbox filters let
// through.
func (v *followUpView) load() error {
	v.now = v.s.u.store.Now()
	due, err := v.s.u.store.FollowUpDue(v.now)
	if err != nil {
		return err
	}
	inFilter := make(map[string]bool, len(v.s.all))
	for _, r := range v.s.all {
		inFilter[r.ID] = true
	}
	v.items = v.items[:0]
	for _, it := range due {
		if inFilter[it.Referral.ID] {
			v.items = append(v.items, it)
		}
	}
	return nil
}

// refresh redraws the list after load.
func (v *followUpView) refresh() {
	switch {
	case len(v.items) > 0:
		v.empty.Hide()
	case v.s.filtered():
		v.empty.SetText(T("Ningún caso pendiente de seguimiento coincide con los filtros."))
		v.empty.Show()
	default:
		v.empty.SetText(T("Todos los casos en curso han tenido contacto en los últimos 7 días."))
		v.empty.Show()
	}
	v.list.Refresh()
}

// newFollowUpRow is the row template: name; areas, state and office; last
// contact; the button to the person's page.
func newFollowUpRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	meta := widget.NewLabel("")
	meta.Truncation = fyne.TextTruncateEllipsis
	meta.SizeName = theme.SizeNameCaptionText
	last := widget.NewLabel("")
	last.Truncation = fyne.TextTruncateEllipsis
	open := widget.NewButtonWithIcon(T("Abrir ficha para anotar la llamada"), theme.AccountIcon(), nil)
	return container.NewBorder(nil, nil, nil, container.NewCenter(open),
		container.New(&tightVBox{}, name, meta, last))
}

func (v *followUpView) fillRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.items) {
		return
	}
	it := &v.items[i]
	row := o.(*fyne.Container) // Border: body first, then the button
	body := row.Objects[0].(*fyne.Container)
	name := it.Person.FullName()
	if name == "" {
		name = v.s.personName(it.Referral.PersonID)
	}
	body.Objects[0].(*widget.Label).SetText(name)

	r := &it.Referral
	parts := []string{T(r.Status.Label())}
	if len(r.Areas) > 0 {
		parts = []string{refAreasText(r.Areas)}
	}
	parts = append(parts, T(r.Direction.Label()))
	if o := v.s.officeName(r.OfficeID); o != "" {
		parts = append(parts, o)
	}
	body.Objects[1].(*widget.Label).SetText(strings.Join(parts, " · "))

	last := body.Objects[2].(*widget.Label)
	last.SetText(lastContactText(it.LastContact, v.now))
	last.Importance = widget.WarningImportance
	if it.LastContact.IsZero() {
		last.Importance = widget.DangerImportance
	}
	last.Refresh()

	personID := r.PersonID
	row.Objects[1].(*fyne.Container).Objects[0].(*widget.Button).OnTapped = func() { v.s.u.showPersonForCall(personID) }
}

// lastContactText says when the person was last contacted, in days
// counted on the Madrid calendar.
func lastContactText(last, now time.Time) string {
	if last.IsZero() {
		return T("Sin contacto registrado")
	}
	days := madridDaysBetween(last, now)
	args := map[string]any{"Date": data.DateOf(last.In(madrid())).String(), "Days": days}
	if days == 1 {
		return T("Último contacto: {{.Date}}, hace 1 día", args)
	}
	return T("Último contacto: {{.Date}}, hace {{.Days}} días", args)
}

// daysBetween counts calendar days from a to b in Madrid.
func madridDaysBetween(a, b time.Time) int {
	da := data.DateOf(a.In(madrid())).Time(time.UTC)
	db := data.DateOf(b.In(madrid())).Time(time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
