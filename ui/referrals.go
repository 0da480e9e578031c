package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// referralsScreen is the Derivaciones tab: the coordinator's inbox. Trays
// with counts along the top, filters under them, the referrals of the
// chosen tray on the left and the selected one on the right.
type referralsScreen struct {
	u    *App
	root fyne.CanvasObject

	trays     *container.AppTabs
	office    *widget.Select
	direction *widget.Select
	area      *widget.Select
	state     *widget.Select
	list      *widget.List
	listEmpty *widget.Label
	inbox     fyne.CanvasObject
	detail    *referralDetail
	weekly    *followUpView

	all       []data.Referral // matching the filters, newest first
	shown     []data.Referral // those in the current tray
	cards     map[string]data.PersonCard
	officeIDs []string // parallel to the office filter's options after the first
	officeOf  map[string]data.Office
	staffOf   map[string]data.Staff
	programme data.Programme
	selected  string // ID of the referral in the detail panel
	loading   bool   // set while refresh rewrites the filters

	form *actionForm // the open action dialog, if any
}

func newReferralsScreen(u *App) *referralsScreen {
	s := &referralsScreen{u: u}
	items := make([]*container.TabItem, trayWeekly+1)
	for q := range items {
		items[q] = container.NewTabItem(tray(q).title(0), layout.NewSpacer())
	}
	items[trayWeekly].Icon = theme.HistoryIcon()
	s.trays = container.NewAppTabs(items...)
	s.trays.OnSelected = func(*container.TabItem) { s.showTray(false) }

	s.buildFilters()
	s.list = widget.NewList(
		func() int { return len(s.shown) },
		newReferralRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { s.fillRow(i, o) },
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(s.shown) {
			s.selected = s.shown[i].ID
			s.detail.show(&s.shown[i])
		}
	}
	s.listEmpty = wrappedLabel()
	s.listEmpty.Alignment = fyne.TextAlignCenter
	s.detail = newReferralDetail(s)
	split := container.NewHSplit(
		container.NewStack(s.list, container.NewVBox(s.listEmpty)),
		s.detail.content())
	split.Offset = 0.42
	s.inbox = split
	s.weekly = newFollowUpView(s)
	s.weekly.content().Hide()

	filters := container.NewVBox(container.NewGridWithColumns(4, s.office, s.direction, s.area, s.state), u.importBar())
	s.root = container.NewPadded(container.NewBorder(
		container.NewVBox(s.trays, filters), nil, nil, nil,
		container.NewStack(s.inbox, s.weekly.content())))
	s.refresh()
	return s
}

// buildFilters makes the four filter selects; each reloads the inbox.
func (s *referralsScreen) buildFilters() {
	reload := func(string) {
		if !s.loading {
			s.refresh()
		}
	}
	s.office = widget.NewSelect([]string{T("Todas las oficinas")}, reload)
	dirs := []string{T("Las dos direcciones")}
	for _, d := range data.Directions {
		dirs = append(dirs, T(d.Label()))
	}
	s.direction = widget.NewSelect(dirs, reload)
	areas := []string{T("Todas las áreas")}
	for _, a := range data.Areas {
		areas = append(areas, T(a.Label()))
	}
	s.area = widget.NewSelect(areas, reload)
	states := []string{T("Todos los estados")}
	for _, st := range data.Statuses {
		states = append(states, T(st.Label()))
	}
	s.state = widget.NewSelect(states, reload)
	s.loading = true
	for _, sel := range []*widget.Select{s.office, s.direction, s.area, s.state} {
		sel.SetSelectedIndex(0)
	}
	s.loading = false
}

// content returns the screen's root object; the same object every call.
func (s *referralsScreen) content() fyne.CanvasObject { return s.root }

// refresh reloads everything from the store: names, referrals, counts,
// the weekly follow-up, and shows the selected referral again.
func (s *referralsScreen) refresh() {
	if s.load() {
		s.showTray(true)
	}
}

// load reads what the inbox shows and updates the trays' counts. It
// reports whether it could.
func (s *referralsScreen) load() bool {
	if err := s.loadNames(); err != nil {
		s.u.showError(err)
		return false
	}
	refs, err := s.u.store.Referrals(s.filter())
	if err != nil {
		s.u.showError(err)
		return false
	}
	s.all = refs
	s.cards = make(map[string]data.PersonCard, len(refs))
	for _, r := range refs {
		if _, ok := s.cards[r.PersonID]; !ok {
			c, _ := s.u.store.Card(r.PersonID) // a missing person shows as such
			s.cards[r.PersonID] = c
		}
	}
	if err := s.weekly.load(); err != nil {
		s.u.showError(err)
	}
	for q := trayVerify; q < trayWeekly; q++ {
		s.trays.Items[q].Text = q.title(s.count(q))
	}
	s.trays.Items[trayWeekly].Text = trayWeekly.title(len(s.weekly.items))
	s.trays.Refresh()
	return true
}

// loadNames reads the offices, staff and programme that referrals name,
// and rewrites the office filter keeping its choice.
func (s *referralsScreen) loadNames() error {
	offices, err := s.u.store.Offices()
	if err != nil {
		return err
	}
	staff, err := s.u.store.StaffList()
	if err != nil {
		return err
	}
	prog, err := s.u.store.Programme()
	if err != nil {
		return err
	}
	s.programme = prog
	s.staffOf = make(map[string]data.Staff, len(staff))
	for _, st := range staff {
		s.staffOf[st.ID] = st
	}
	chosen := s.filterOffice()
	s.officeOf = make(map[string]data.Office, len(offices))
	s.officeIDs = s.officeIDs[:0]
	names := []string{T("Todas las oficinas")}
	sel := 0
	for _, o := range offices {
		s.officeOf[o.ID] = o
		if _, refers := data.DirectionFrom(o.Org); !refers {
			continue
		}
		s.officeIDs = append(s.officeIDs, o.ID)
		names = append(names, o.Name)
		if o.ID == chosen {
			sel = len(names) - 1
		}
	}
	s.loading = true
	s.office.SetOptions(names)
	s.office.SetSelectedIndex(sel)
	s.loading = false
	return nil
}

// filter is what the filter selects ask for.
func (s *referralsScreen) filter() data.ReferralFilter {
	f := data.ReferralFilter{OfficeID: s.filterOffice()}
	if i := s.direction.SelectedIndex(); i > 0 {
		f.Direction = data.Directions[i-1]
	}
	if i := s.area.SelectedIndex(); i > 0 {
		f.Area = data.Areas[i-1]
	}
	if i := s.state.SelectedIndex(); i > 0 {
		f.Statuses = []data.Status{data.Statuses[i-1]}
	}
	return f
}

func (s *referralsScreen) filterOffice() string {
	if i := s.office.SelectedIndex(); i > 0 && i <= len(s.officeIDs) {
		return s.officeIDs[i-1]
	}
	return ""
}

func (s *referralsScreen) filtered() bool {
	for _, sel := range []*widget.Select{s.office, s.direction, s.area, s.state} {
		if sel.SelectedIndex() > 0 {
			return true
		}
	}
	return false
}

func (s *referralsScreen) count(q tray) int {
	n := 0
	for i := range s.all {
		if q.holds(&s.all[i]) {
			n++
		}
	}
	return n
}

// current is the tray on show.
func (s *referralsScreen) current() tray { return tray(s.trays.SelectedIndex()) }

// showTray fills the list with the current tray, or shows the weekly
// follow-up, and keeps the selected referral selected when it is there.
// With keep, a selected referral the tray does not hold (the filters
// leave it out) stays in the detail panel; otherwise the panel clears.
func (s *referralsScreen) showTray(keep bool) {
	q := s.current()
	if q == trayWeekly {
		s.inbox.Hide()
		s.weekly.content().Show()
		s.weekly.refresh()
		return
	}
	s.weekly.content().Hide()
	s.inbox.Show()
	s.shown = s.shown[:0]
	for i := range s.all {
		if q.holds(&s.all[i]) {
			s.shown = append(s.shown, s.all[i])
		}
	}
	s.listEmpty.SetText(s.emptyText())
	s.listEmpty.Hidden = len(s.shown) > 0
	s.list.UnselectAll()
	s.list.Refresh()
	if i := s.indexOf(s.selected); i >= 0 {
		s.list.Select(i) // shows it in the detail panel
		s.list.ScrollTo(i)
		return
	}
	if r, err := s.u.store.Referral(s.selected); keep && s.selected != "" && err == nil {
		s.detail.show(&r)
		return
	}
	s.selected = ""
	s.detail.clear()
}

func (s *referralsScreen) emptyText() string {
	if s.filtered() {
		return T("Ninguna derivación de esta bandeja coincide con los filtros.")
	}
	if len(s.all) == 0 {
		return T("Todavía no hay derivaciones. Se crean desde la ficha de cada persona.")
	}
	return T("No hay derivaciones en esta bandeja.")
}

func (s *referralsScreen) indexOf(id string) int {
	for i := range s.shown {
		if id != "" && s.shown[i].ID == id {
			return i
		}
	}
	return -1
}

// followReferral shows r after an action: selected, in its new tray when
// it has left the one on show, with the counts brought up to date.
func (s *referralsScreen) followReferral(r *data.Referral) {
	s.selected = r.ID
	if !s.load() {
		return
	}
	if q := s.current(); q == trayWeekly || (q != trayAll && !q.holds(r)) {
		for q := trayVerify; q < trayAll; q++ {
			if q.holds(r) && q != s.current() {
				s.trays.SelectIndex(int(q)) // runs showTray(false)
				break
			}
		}
	}
	s.showTray(true)
}

// open shows the referral with id, in its tray: for other screens that
// link to a referral.
func (s *referralsScreen) open(id string) {
	r, err := s.u.store.Referral(id)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.followReferral(&r)
}

// personName is the full name of personID, for people: never an ID.
func (s *referralsScreen) personName(personID string) string {
	c := s.cards[personID]
	if c.ID == "" {
		if card, err := s.u.store.Card(personID); err == nil {
			c = card
		}
	}
	if n := c.FullName(); n != "" {
		return n
	}
	if c.ID == "" {
		return T("(persona no encontrada)")
	}
	return T("(sin nombre)")
}

func (s *referralsScreen) staffName(id string) string {
	if id == "" {
		return ""
	}
	if st, ok := s.staffOf[id]; ok {
		return st.Name
	}
	return T("(ya no figura en el personal)")
}

func (s *referralsScreen) officeName(id string) string {
	if id == "" {
		return ""
	}
	if o, ok := s.officeOf[id]; ok {
		return o.Name
	}
	return T("(oficina eliminada)")
}

func (s *referralsScreen) profileName(code string) string {
	if p, ok := s.programme.Profile(code); ok {
		return p.Name
	}
	return code
}
