package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// personReminders is the Recordatorios tab of a person's page: their
// pending reminders by due time, then the done ones.
type personReminders struct {
	u        *App
	personID string
	pending  int // how many are pending, for the tab's label
	list     *reminderList
	empty    *widget.Label
	root     fyne.CanvasObject
}

func newPersonReminders(u *App) *personReminders {
	pr := &personReminders{u: u, list: newReminderList(u, true, u.reminderChanged)}
	pr.empty = wrappedLabel()
	pr.empty.Alignment = fyne.TextAlignCenter
	pr.empty.SetText(T("Esta persona no tiene recordatorios. Use «Nuevo recordatorio» para añadir uno."))
	add := widget.NewButtonWithIcon(T("Nuevo recordatorio"), theme.ContentAddIcon(), pr.onNew)
	top := container.NewBorder(nil, nil, nil, add,
		greyText(T("Los de seguimiento y caducidad los crea Enlace; desaparecen cuando dejan de hacer falta.")))
	pr.root = container.NewBorder(top, nil, nil, nil, container.NewStack(pr.list.list, container.NewVBox(pr.empty)))
	return pr
}

// show brings personID's generated reminders up to date (a save of the
// ficha or of a referral may have moved them) and lists them.
func (pr *personReminders) show(personID string) error {
	pr.personID = personID
	now := pr.u.store.Now()
	if _, err := pr.u.store.SyncPersonReminders(personID, now); err != nil {
		return err
	}
	rs, err := pr.u.store.Reminders(data.ReminderFilter{PersonID: personID, Now: now, Done: true})
	if err != nil {
		return err
	}
	names, err := pr.u.staffNames()
	if err != nil {
		return err
	}
	items := make([]reminderItem, 0, len(rs))
	pr.pending = 0
	for _, r := range rs {
		if r.Pending() {
			pr.pending++
		}
		items = append(items, pr.u.reminderItem(r, names))
	}
	pr.empty.Hidden = len(items) > 0
	pr.empty.Refresh()
	pr.list.show(items, now)
	n, err := pr.u.store.DueCount(now) // a sync may have changed it
	if err != nil {
		return err
	}
	pr.u.setDueCount(n)
	return nil
}

// onNew opens the new-reminder form for the person shown.
func (pr *personReminders) onNew() {
	showReminderForm(pr.u, pr.personID, func(data.Reminder) { pr.u.reminderChanged() })
}

// showReminders fills the Recordatorios tab and its label.
func (pg *personPage) showReminders() error {
	if err := pg.rems.show(pg.p.ID); err != nil {
		return err
	}
	for _, it := range pg.tabs.Items {
		if it.Content == pg.rems.root {
			it.Text = countLabel(T("Recordatorios"), pg.rems.pending)
		}
	}
	pg.tabs.Refresh()
	return nil
}
