package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// tray is one tray of the coordinator's inbox.
type tray int

// The trays, in tab order. trayWeekly is the weekly follow-up list, not
// a list of referrals.
const (
	trayVerify   tray = iota // AE proposals awaiting the section head
	trayDecide               // OMIOPI proposals and verified AE ones
	trayRouted               // included or routed to areas
	trayFollowUp             // in weekly follow-up
	trayClosed               // closed, excluded, not verified
	trayAll
	trayWeekly
)

// holds reports whether r belongs in q. The first two trays follow the
// actions data allows, so they cannot disagree with the procedure.
func (q tray) holds(r *data.Referral) bool {
	switch q {
	case trayVerify:
		return referralAllows(r, data.ActVerifyYes)
	case trayDecide:
		return referralAllows(r, data.ActInclude)
	case trayRouted:
		return r.Status == data.StatusIncluded || r.Status == data.StatusRouted
	case trayFollowUp:
		return r.Status == data.StatusFollowUp
	case trayClosed:
		return !r.Status.Open()
	case trayAll:
		return true
	}
	return false
}

// title is the tab's text with the number of referrals in it.
func (q tray) title(n int) string {
	args := map[string]any{"Count": n}
	switch q {
	case trayVerify:
		return T("Por verificar ({{.Count}})", args)
	case trayDecide:
		return T("Por decidir ({{.Count}})", args)
	case trayRouted:
		return T("Derivadas ({{.Count}})", args)
	case trayFollowUp:
		return T("En seguimiento ({{.Count}})", args)
	case trayClosed:
		return T("Cerradas ({{.Count}})", args)
	case trayAll:
		return T("Todas ({{.Count}})", args)
	}
	return T("Seguimiento semanal ({{.Count}})", args)
}

func referralAllows(r *data.Referral, a data.Action) bool {
	for _, x := range r.Allowed() {
		if x == a {
			return true
		}
	}
	return false
}

// newReferralRow is the list row template: a warning slot for automatic
// exclusion proposals; the name with the state on its right; a caption
// line of date, direction, areas and office; the criterion.
func newReferralRow() fyne.CanvasObject {
	icon := widget.NewIcon(nil)
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	state := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	state.SizeName = theme.SizeNameCaptionText
	meta := widget.NewLabel("")
	meta.Truncation = fyne.TextTruncateEllipsis
	meta.SizeName = theme.SizeNameCaptionText
	crit := widget.NewRichText(&widget.TextSegment{Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}})
	crit.Truncation = fyne.TextTruncateEllipsis
	top := container.NewBorder(nil, nil, nil, state, name)
	return container.NewBorder(nil, nil, container.NewCenter(icon), nil,
		container.New(&tightVBox{}, top, meta, crit))
}

func (s *referralsScreen) fillRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.shown) {
		return
	}
	r := &s.shown[i]
	row := o.(*fyne.Container) // Border: body first, then the icon slot
	body, iconBox := row.Objects[0].(*fyne.Container), row.Objects[1].(*fyne.Container)
	icon := iconBox.Objects[0].(*widget.Icon)
	if len(r.Suggested) > 0 {
		icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	} else {
		icon.SetResource(nil)
	}
	top := body.Objects[0].(*fyne.Container)
	top.Objects[0].(*widget.Label).SetText(s.personName(r.PersonID))
	state := top.Objects[1].(*widget.Label)
	state.Importance = referralStatusImportance(r.Status)
	state.SetText(T(r.Status.Label()))

	parts := []string{r.Date.String(), T(r.Direction.Label())}
	if len(r.Areas) > 0 {
		parts = append(parts, refAreasText(r.Areas))
	}
	if o := s.officeName(r.OfficeID); o != "" {
		parts = append(parts, o)
	}
	body.Objects[1].(*widget.Label).SetText(strings.Join(parts, " · "))
	crit := body.Objects[2].(*widget.RichText)
	crit.Segments[0].(*widget.TextSegment).Text = firstLine(r.CriterionText)
	crit.Refresh()
}

// statusImportance colours a state: pending work stands out, finished
// referrals step back.
func referralStatusImportance(st data.Status) widget.Importance {
	switch st {
	case data.StatusProposed, data.StatusVerified:
		return widget.WarningImportance
	case data.StatusExcluded, data.StatusNotVerified:
		return widget.DangerImportance
	case data.StatusIncluded, data.StatusRouted, data.StatusFollowUp:
		return widget.SuccessImportance
	}
	return widget.MediumImportance // closed: done, in plain text (grey was unreadable on a selected row)
}

// areasText names areas for display, translated.
func refAreasText(areas []data.Area) string {
	names := make([]string, len(areas))
	for i, a := range areas {
		names[i] = T(a.Label())
	}
	return strings.Join(names, ", ")
}
