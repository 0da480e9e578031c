package ui

import (
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// remindersTab is the index of Recordatorios in the navigation.
const remindersTab = 2

// remindersScreen is the Recordatorios tab: views with counts along the
// top (Vencidos, Hoy, Resto de la semana, Todos), a filter by who must do it,
// and the reminders of the chosen view by due time, each with its actions.
type remindersScreen struct {
	u    *App
	root fyne.CanvasObject

	views    *container.AppTabs
	assignee *widget.Select
	list     *reminderList
	empty    *widget.Label
	leads    *widget.RichText

	now       time.Time
	whoValues []string // filter value of each assignee option
	loading   bool     // set while load rewrites the filter

	watch *notifier // navigation count, tray and notifications
}

// reminderItem is a reminder with the names its row shows.
type reminderItem struct {
	data.Reminder
	person   string // the person's full name ("" for programme reminders)
	assignee string // who must do it, by name
}

func newRemindersScreen(u *App) *remindersScreen {
	s := &remindersScreen{u: u, watch: newNotifier(u)}
	tabs := make([]*container.TabItem, len(data.ReminderViews))
	for i, v := range data.ReminderViews {
		tabs[i] = container.NewTabItem(T(v.Label()), layout.NewSpacer())
	}
	s.views = container.NewAppTabs(tabs...)
	s.views.OnSelected = func(*container.TabItem) {
		if !s.loading {
			s.reload()
		}
	}
	s.assignee = widget.NewSelect(nil, func(string) {
		if !s.loading {
			s.reload()
		}
	})
	s.list = newReminderList(u, false, u.reminderChanged)
	s.empty = wrappedLabel()
	s.empty.Alignment = fyne.TextAlignCenter

	add := u.gate(widget.NewButtonWithIcon(T("Nuevo recordatorio"), theme.ContentAddIcon(), s.onNew), data.PermEditPeople)
	add.Importance = widget.HighImportance
	filters := container.NewBorder(nil, nil,
		widget.NewLabel(T("Responsable")), add, container.NewGridWithColumns(2, s.assignee))

	s.leads = greyText("")
	change := u.gate(widget.NewButton(T("Cambiar avisos…"), s.onLeadTimes), data.PermSettings)
	footer := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewCenter(change), s.leads)

	s.root = container.NewPadded(container.NewBorder(
		container.NewVBox(s.views, filters), footer, nil, nil,
		container.NewStack(s.list.list, container.NewVBox(s.empty))))
	s.reload()
	return s
}

// content returns the screen's root object; the same object every call.
func (s *remindersScreen) content() fyne.CanvasObject { return s.root }

// refresh brings the generated reminders up to date with the records and
// shows the screen again: run when the tab is opened.
func (s *remindersScreen) refresh() {
	s.sync()
	s.reload()
}

// sync runs the store's generation rules; a failure is logged and shown.
func (s *remindersScreen) sync() {
	if _, err := s.u.store.SyncReminders(s.u.store.Now()); err != nil {
		s.u.showError(err)
	}
}

// start shows the count and begins watching for reminders falling due;
// called once the window is shown.
func (s *remindersScreen) start() {
	s.sync()
	s.reload()
	s.watch.start()
}

// view is the chosen view.
func (s *remindersScreen) view() data.ReminderView {
	i := s.views.SelectedIndex()
	if i < 0 || i >= len(data.ReminderViews) {
		return data.ViewOverdue
	}
	return data.ReminderViews[i]
}

// reload reads the pending reminders once and redraws everything that
// shows them: the view tabs' counts, the assignee filter, the list and
// the navigation count.
func (s *remindersScreen) reload() {
	s.now = s.u.store.Now()
	all, err := s.u.store.Reminders(data.ReminderFilter{Now: s.now})
	if err != nil {
		s.u.showError(err)
		return
	}
	staff, err := s.u.store.StaffList()
	if err != nil {
		s.u.showError(err)
		return
	}
	names := make(map[string]string, len(staff))
	for _, st := range staff {
		names[st.ID] = st.Name
	}
	s.loadAssignees(staff, all)
	who := s.whoValues[max(s.assignee.SelectedIndex(), 0)]
	counts := make(data.ReminderCounts, len(data.ReminderViews))
	var items []reminderItem
	due := 0
	for i := range all {
		r := &all[i]
		if r.IsDue(s.now) {
			due++
		}
		for _, v := range data.ReminderViews {
			f := data.ReminderFilter{View: v, Now: s.now, Assignee: who}
			if !f.Match(r) {
				continue
			}
			counts[v]++
			if v == s.view() {
				items = append(items, s.u.reminderItem(*r, names))
			}
		}
	}
	for i, v := range data.ReminderViews {
		s.views.Items[i].Text = countLabel(T(v.Label()), counts[v])
	}
	s.views.Refresh()
	s.showEmpty(len(items))
	s.list.show(items, s.now)
	s.showLeadTimes()
	s.u.setDueCount(due)
}

// reminderItem is r with the names its row shows; staff maps staff IDs
// to names.
func (u *App) reminderItem(r data.Reminder, staff map[string]string) reminderItem {
	it := reminderItem{Reminder: r, assignee: r.AssigneeText}
	if r.PersonID != "" {
		if c, err := u.store.Card(r.PersonID); err == nil {
			it.person = c.FullName()
		}
	}
	if name, ok := staff[r.Assignee]; ok && r.Assignee != "" {
		it.assignee = name
	}
	return it
}

// staffNames maps every staff member's ID to their name.
func (u *App) staffNames() (map[string]string, error) {
	staff, err := u.store.StaffList()
	names := make(map[string]string, len(staff))
	for _, st := range staff {
		names[st.ID] = st.Name
	}
	return names, err
}

func (s *remindersScreen) showEmpty(n int) {
	if n > 0 {
		s.empty.Hide()
		return
	}
	switch s.view() {
	case data.ViewOverdue:
		s.empty.SetText(T("No hay recordatorios vencidos."))
	case data.ViewToday:
		s.empty.SetText(T("No hay recordatorios para hoy."))
	case data.ViewWeek:
		s.empty.SetText(T("No hay recordatorios para esta semana."))
	default:
		s.empty.SetText(T("No hay recordatorios pendientes."))
	}
	s.empty.Show()
}

// loadAssignees rewrites the assignee filter: anyone, nobody in
// particular, every active staff member and every name written on a
// pending reminder, keeping the choice.
func (s *remindersScreen) loadAssignees(staff []data.Staff, pending []data.Reminder) {
	chosen := ""
	if i := s.assignee.SelectedIndex(); i > 0 && i < len(s.whoValues) {
		chosen = s.whoValues[i]
	}
	names := []string{T("Cualquier responsable"), T("Sin responsable")}
	s.whoValues = []string{"", data.Unassigned}
	for _, st := range staff {
		if st.Active {
			names, s.whoValues = append(names, st.Name), append(s.whoValues, st.ID)
		}
	}
	var typed []string
	for _, r := range pending {
		if r.AssigneeText != "" && !slices.Contains(typed, r.AssigneeText) && !slices.Contains(names, r.AssigneeText) {
			typed = append(typed, r.AssigneeText)
		}
	}
	sort.Strings(typed)
	names, s.whoValues = append(names, typed...), append(s.whoValues, typed...)
	sel := 0
	for i, v := range s.whoValues {
		if v == chosen && chosen != "" {
			sel = i
		}
	}
	s.loading = true
	s.assignee.SetOptions(names)
	s.assignee.SetSelectedIndex(sel)
	s.loading = false
}

// countLabel is "Vencidos (3)", or just the name when there are none.
func countLabel(name string, n int) string {
	if n == 0 {
		return name
	}
	return name + " (" + formatCount(n) + ")"
}

// setDueCount shows n in the navigation's Recordatorios label and in the
// system tray.
func (u *App) setDueCount(n int) {
	if u.tabs != nil && len(u.tabs.Items) > remindersTab {
		label := countLabel(T("Recordatorios"), n)
		if u.tabs.Items[remindersTab].Text != label {
			u.tabs.Items[remindersTab].Text = label
			u.tabs.Refresh()
		}
	}
	if u.reminders != nil {
		u.reminders.watch.showTray(n)
	}
}

// showLeadTimes writes the document-expiry lead times in the footer.
func (s *remindersScreen) showLeadTimes() {
	days, err := s.u.store.LeadTimes()
	if err != nil {
		s.u.showError(err)
		return
	}
	s.leads.Segments[0].(*widget.TextSegment).Text = T("Avisos de caducidad (NIE, TIE, tarjeta de estudiante, asilo): {{.Days}} días antes. Seguimiento semanal: a los 7 días del último contacto, o enseguida si no lo ha habido.",
		map[string]any{"Days": joinDays(days)})
	s.leads.Refresh()
}

// joinDays writes 60, 30 and 7 as "60, 30 y 7".
func joinDays(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = formatCount(d)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + T("y") + " " + parts[len(parts)-1]
}

// dueText says when a reminder is due: "Hoy, 09:00", "Mañana, 09:00",
// "Ayer, 09:00" or the date and time.
func dueText(due data.Wall, now time.Time) string {
	today := data.WallOf(now).Day
	args := map[string]any{"Time": due.Clock(), "Date": due.Day.String()}
	switch due.Day {
	case today:
		return T("Hoy, {{.Time}}", args)
	case today.AddDays(1):
		return T("Mañana, {{.Time}}", args)
	case today.AddDays(-1):
		return T("Ayer, {{.Time}}", args)
	}
	return T("{{.Date}}, {{.Time}}", args)
}

// onNew opens the new-reminder form with no person chosen.
func (s *remindersScreen) onNew() {
	showReminderForm(s.u, "", func(data.Reminder) { s.u.reminderChanged() })
}

// sourceIcon is the icon of a reminder's origin.
func sourceIcon(src data.Source) fyne.Resource {
	switch src {
	case data.SourceFollowUp:
		return theme.HistoryIcon()
	case data.SourceExpiry:
		return theme.WarningIcon()
	case data.SourceProgramme:
		return theme.CalendarIcon()
	case data.SourceRI:
		return theme.FolderIcon()
	}
	return theme.DocumentCreateIcon()
}
