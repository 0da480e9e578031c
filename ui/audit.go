package ui

import (
	"errors"
	"fmt"
	"log"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// auditShown is how many entries the overall log shows; the export has
// them all.
const auditShown = 500

// auditList shows audit entries, newest first: who, when, what, and the
// fields that changed. It serves the person page (one person's entries)
// and Ajustes (everyone's).
type auditList struct {
	u       *App
	subject string // "" for the overall log
	entries []data.AuditEntry
	reader  *reports.AuditReader // names and labels, loaded by show
	list    *widget.List
	status  *widget.Label
	export  *widget.Button
	root    fyne.CanvasObject
}

func newAuditList(u *App, subject string) *auditList {
	a := &auditList{u: u, subject: subject}
	a.status = widget.NewLabel("")
	a.status.Wrapping = fyne.TextWrapWord
	a.list = widget.NewList(
		func() int { return len(a.entries) },
		func() fyne.CanvasObject {
			head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			body := widget.NewLabel("")
			body.Wrapping = fyne.TextWrapWord
			return container.NewVBox(head, body)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			head, body := a.lines(a.entries[i])
			c.Objects[0].(*widget.Label).SetText(head)
			c.Objects[1].(*widget.Label).SetText(body)
			a.list.SetItemHeight(i, c.MinSize().Height)
		})
	a.export = widget.NewButtonWithIcon(T("Exportar el registro…"), theme.DownloadIcon(), a.onExport)
	top := container.NewBorder(nil, nil, nil, a.export, a.status)
	a.root = container.NewBorder(top, nil, nil, nil, a.list)
	return a
}

// lines are the two parts of an entry: when, who and what; then what
// changed, a field a line, as the forms name it, or the export's detail.
func (a *auditList) lines(e data.AuditEntry) (string, string) {
	head := fmt.Sprintf("%s · %s · %s", e.At.In(data.Madrid()).Format("02/01/2006 15:04"),
		orDash(e.User), T(e.Op.Label()))
	if k := a.reader.Kind(e); k != "" {
		head += " · " + k
	}
	body := a.reader.Fields(e)
	if e.Detail != "" {
		body = append([]string{dataText(e.Detail)}, body...) // data's Spanish, in the interface's language
	}
	return head, strings.Join(body, "\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// show loads the entries; a user whose role may not read the log is told
// so instead.
func (a *auditList) show() {
	if err := a.u.store.Allow(data.PermExport); err != nil {
		a.entries = nil
		a.status.SetText(T("Solo la jefatura de sección, la coordinación y la administración consultan el registro de cambios."))
		a.export.Hide()
		a.list.Refresh()
		return
	}
	a.export.Show()
	f := data.AuditFilter{Subject: a.subject}
	if a.subject == "" {
		f.Limit = auditShown
	}
	entries, err := a.u.store.Audit(f)
	if err != nil {
		a.u.showError(err)
		return
	}
	a.entries = entries
	a.reader = reports.NewAuditReader(a.u.store, T)
	switch {
	case len(entries) == 0:
		a.status.SetText(T("Todavía no hay nada en el registro."))
	case a.subject == "" && len(entries) == auditShown:
		a.status.SetText(T("Las {{.N}} entradas más recientes; la exportación las lleva todas. Nadie puede modificar el registro.", map[string]any{"N": auditShown}))
	default:
		a.status.SetText(T("{{.N}} entradas, de la más reciente a la más antigua. Nadie puede modificar el registro.", map[string]any{"N": len(entries)}))
	}
	a.list.Refresh()
}

// onExport saves the entries shown (all of them for the overall log) as
// an Excel or CSV file.
func (a *auditList) onExport() {
	d := a.u.fileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				a.u.showError(err)
			}
			return
		}
		f := reports.XLSX
		if w.URI().Extension() == ".csv" {
			f = reports.CSV
		}
		n, err := reports.ExportAudit(w, a.u.store, data.AuditFilter{Subject: a.subject}, f)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			log.Printf("exportar el registro: %v", err)
			a.u.showDialog(dialog.NewError(errors.New(ErrorMessage(err)), a.u.win))
			return
		}
		a.u.showDialog(dialog.NewInformation(T("Exportación terminada"),
			T("Se han guardado {{.N}} entradas del registro en {{.Name}}.", map[string]any{"N": n, "Name": w.URI().Name()}), a.u.win))
		a.show() // the export is itself in the log now
	})
	d.SetFileName("registro-" + a.u.store.Today().ISO() + ".xlsx")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	a.u.showDialog(d)
}

// auditPanel is the overall log, in Ajustes.
type auditPanel struct {
	list *auditList
	root fyne.CanvasObject
}

func newAuditPanel(u *App) *auditPanel {
	p := &auditPanel{list: newAuditList(u, "")}
	title := widget.NewLabelWithStyle(T("Registro de cambios"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	note := smallNote(T("Cada cambio en los datos (quién, cuándo, qué campo, valor anterior y nuevo) y cada exportación, PDF o copia de seguridad."))
	refresh := widget.NewButtonWithIcon(T("Actualizar"), theme.ViewRefreshIcon(), p.list.show)
	sized := container.NewGridWrap(fyne.NewSize(720, 420), p.list.root)
	p.root = container.NewVBox(widget.NewSeparator(), title, note, container.NewHBox(refresh), sized)
	return p
}

func (p *auditPanel) content() fyne.CanvasObject { return p.root }
