package ui

import (
	"encoding/json"
	"errors"
	"log"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// "Revisar conflictos": the changes two installs made to the same thing
// without seeing each other. Sync applied the later one everywhere and
// kept the other; here the coordinator keeps what was applied or takes
// the other value, and either way the conflict closes on every install.

// groupLabels name a person's field groups as the form shows them.
var groupLabels = map[string]string{
	"document": "Documento", "address": "Dirección", "contact": "Teléfonos y correo", "name": "Nombre y apellidos",
}

func groupLabel(group string) string {
	if l, ok := groupLabels[group]; ok {
		return T(l)
	}
	return T("Campo «{{.Field}}»", map[string]any{"Field": group})
}

// versionText is a written value as people read it: the group's fields
// in the form's order, dates as dd/mm/yyyy, and who wrote it when.
func versionText(group string, v esync.Version) string {
	var parts []string
	var obj map[string]any
	if json.Unmarshal(v.Value, &obj) == nil {
		fields := data.PersonFieldGroups[group]
		if fields == nil {
			fields = []string{group}
		}
		for _, f := range fields {
			switch x := obj[f].(type) {
			case string:
				if t, err := time.Parse("2006-01-02", x); err == nil {
					x = t.Format("02/01/2006")
				}
				if x != "" {
					parts = append(parts, x)
				}
			case bool:
				if x {
					parts = append(parts, T("situación regular"))
				}
			case float64:
				parts = append(parts, strconv.FormatFloat(x, 'f', -1, 64))
			}
		}
	} else if len(v.Value) > 0 {
		parts = append(parts, string(v.Value))
	}
	value := strings.Join(parts, " · ")
	if value == "" {
		value = T("(vacío)")
	}
	when := time.UnixMilli(v.Clock.Wall).In(data.Madrid()).Format("02/01/2006 15:04")
	return T("{{.Value}} — {{.User}} en «{{.Device}}», {{.When}}", map[string]any{"Value": value, "User": v.User, "Device": v.Device, "When": when})
}

// loadConflicts reads the conflicts not yet reviewed from the store,
// where sync keeps them: they are there after a restart too, before any
// sync.
func (p *syncPanel) loadConflicts() {
	stored, err := p.u.store.SyncConflicts("")
	if err != nil {
		log.Printf("sincronización: leer los conflictos: %v", err)
		return
	}
	p.conflicts = p.conflicts[:0]
	for _, sc := range stored {
		var c esync.Conflict
		if err := json.Unmarshal(sc.Detail, &c); err != nil {
			log.Printf("sincronización: conflicto %s ilegible: %v", sc.Loser, err)
			continue
		}
		p.conflicts = append(p.conflicts, c)
	}
}

// enableReview enables "Revisar conflictos…" when there is something to
// review and the user decides.
func (p *syncPanel) enableReview() {
	if (len(p.conflicts) > 0 || len(p.u.store.DuplicateGroups()) > 0) && p.u.can(data.PermDecide) {
		p.review.Enable()
	} else {
		p.review.Disable()
	}
}

// conflictsChanged shows the review's outcome everywhere: the panel, its
// strip, and the people list and ficha's "Cambios simultáneos".
func (p *syncPanel) conflictsChanged() {
	p.loadConflicts()
	p.enableReview()
	p.show()
	if p.u.people != nil {
		p.u.people.refresh()
	}
}

// onReview lists the conflicts, one card each: all of them, or only
// person's when person is not "" (the ficha's "Revisar").
func (p *syncPanel) onReview(person string) {
	list := container.NewVBox()
	p.reviewList = list
	var d dialog.Dialog
	var fill func()
	fill = func() {
		list.RemoveAll()
		var dups [][]data.PersonCard
		for _, g := range p.u.store.DuplicateGroups() {
			if person == "" || slices.ContainsFunc(g, func(c data.PersonCard) bool { return c.ID == person }) {
				dups = append(dups, g)
			}
		}
		var mine []esync.Conflict
		for _, c := range p.conflicts {
			if person == "" || c.Subject == person {
				mine = append(mine, c)
			}
		}
		if len(mine) == 0 && len(dups) == 0 {
			list.Add(widget.NewLabel(T("No queda ningún conflicto por revisar.")))
			return
		}
		if len(dups) > 0 {
			head := widget.NewLabelWithStyle(T("Posibles duplicados: el mismo documento en varias fichas"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			list.Add(head)
			for _, g := range dups {
				list.Add(p.duplicateCard(g, func() {
					fill()
					p.conflictsChanged()
					p.syncNow(false)
				}))
				list.Add(widget.NewSeparator())
			}
		}
		for _, c := range mine {
			list.Add(p.conflictCard(c, func() {
				p.conflictsChanged()
				fill()
				p.syncNow(false) // take the review to the other installs
			}))
			list.Add(widget.NewSeparator())
		}
	}
	fill()
	title := T("Revisar conflictos")
	if person != "" {
		if c, err := p.u.store.Card(person); err == nil {
			title = T("Revisar cambios simultáneos: {{.Name}}", map[string]any{"Name": c.FullName()})
		}
	}
	d = dialog.NewCustom(title, T("Cerrar"), container.NewVScroll(list), p.u.win)
	d.Resize(fyne.NewSize(760, 520))
	p.u.showDialog(d)
}

// conflictCard shows one conflict with its two values and the choices.
func (p *syncPanel) conflictCard(c esync.Conflict, done func()) fyne.CanvasObject {
	who := c.Subject
	if person, err := p.u.store.Person(c.Subject); err == nil {
		who = person.FullName()
	}
	wrap := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	resolve := func(use json.RawMessage) {
		if err := p.u.store.ResolveConflict(c.Subject, c.Group, c.Loser.Op, use, p.u.Author()); err != nil {
			p.u.showDialog(dialog.NewError(errors.New(T("No se pudo guardar la revisión: {{.Error}}", map[string]any{"Error": dataErrorText(err)})), p.u.win))
			return
		}
		done()
	}
	title := widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	keep := widget.NewButton(T("Mantener el aplicado"), func() { resolve(nil) })
	if c.Kind == "paso" {
		return container.NewVBox(title,
			wrap(T("Dos pasos de la misma derivación hechos a la vez. Se aplicó el primero; el otro queda en el historial.")),
			wrap(T("Aplicado: {{.V}}", map[string]any{"V": syncStepText(p.named(c.Winner))})),
			wrap(T("El otro: {{.V}}", map[string]any{"V": syncStepText(p.named(c.Loser))})),
			container.NewHBox(keep, widget.NewButton(T("Abrir ficha"), func() { p.u.showPerson(c.Subject) })))
	}
	other := widget.NewButton(T("Usar el otro valor"), func() { resolve(c.Loser.Value) })
	return container.NewVBox(title,
		wrap(T("{{.Group}}: cambiado en dos equipos a la vez.", map[string]any{"Group": groupLabel(c.Group)})),
		wrap(T("Aplicado: {{.V}}", map[string]any{"V": versionText(c.Group, p.named(c.Winner))})),
		wrap(T("El otro: {{.V}}", map[string]any{"V": versionText(c.Group, p.named(c.Loser))})),
		container.NewHBox(keep, other))
}

// stepText is a referral step as people read it: its action, who, when.
func syncStepText(v esync.Version) string {
	var sd esync.StepData
	action := ""
	if json.Unmarshal(v.Value, &sd) == nil {
		action = T(sd.Action.Label())
	}
	when := time.UnixMilli(v.Clock.Wall).In(data.Madrid()).Format("02/01/2006 15:04")
	return T("{{.Value}} — {{.User}} en «{{.Device}}», {{.When}}", map[string]any{"Value": action, "User": v.User, "Device": v.Device, "When": when})
}

// duplicateCard shows people with the same document and merges them into
// the oldest ficha, after a confirmation.
func (p *syncPanel) duplicateCard(g []data.PersonCard, done func()) fyne.CanvasObject {
	var lines []string
	for _, c := range g {
		line := c.FullName() + " · " + c.DocNumber
		if c.Phone1 != "" {
			line += " · " + c.Phone1
		}
		lines = append(lines, "• "+line)
	}
	body := widget.NewLabel(strings.Join(lines, "\n"))
	body.Wrapping = fyne.TextWrapWord
	merge := widget.NewButton(T("Fusionar en la ficha más antigua…"), func() {
		msg := T("Se guardará una sola ficha, la de {{.Name}}, con el historial, las derivaciones y los documentos de todas; los datos que le falten se tomarán de las otras. Se hará en todas las oficinas en la próxima sincronización.",
			map[string]any{"Name": g[0].FullName()})
		text := widget.NewLabel(msg)
		text.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustomConfirm(T("Fusionar fichas"), T("Fusionar"), T("Cancelar"), text, func(ok bool) {
			if !ok {
				return
			}
			for _, c := range g[1:] {
				if err := p.u.store.MergePeople(g[0].ID, c.ID, p.u.Author()); err != nil {
					p.u.showDialog(dialog.NewError(errors.New(T("No se pudieron fusionar: {{.Error}}", map[string]any{"Error": dataErrorText(err)})), p.u.win))
					return
				}
			}
			done()
		}, p.u.win)
		d.Resize(fyne.NewSize(560, d.MinSize().Height))
		p.u.showDialog(d)
	})
	return container.NewVBox(body, container.NewHBox(merge, widget.NewButton(T("Abrir ficha"), func() { p.u.showPerson(g[0].ID) })))
}

// named is v with its author's name, as the space's list of devices has
// it (the name given at the device that wrote it), instead of their
// login; the login when the list does not name them.
func (p *syncPanel) named(v esync.Version) esync.Version {
	name := ""
	for _, m := range p.members {
		if m.User == v.User && m.Name != "" && (name == "" || m.Device == v.Device) {
			name = m.Name
		}
	}
	if name != "" {
		v.User = name
	}
	return v
}
