package ui

import (
	"bytes"
	"errors"
	"io"
	"log"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// pdfOptions are the options of every document made from the interface:
// the style saved in Ajustes, the interface's language, the author's name.
func (u *App) pdfOptions() (reports.Options, error) {
	st, err := reports.LoadStyle(u.store)
	if err != nil {
		return reports.Options{}, err
	}
	return reports.Options{
		Style:  st,
		Lang:   reports.LangOf(u.app.Preferences().StringWithFallback(prefLanguage, "es")),
		Author: u.Author(),
		Now:    u.store.Now(),
	}, nil
}

// savePDF makes a document with write, asks where to save it (offering
// name), writes it there and opens it in the system's PDF viewer for
// printing. The document is made first, so a problem with the data shows
// before the user picks a file.
func (u *App) savePDF(name string, write func(w io.Writer, opt reports.Options) error) {
	u.savePDFAbout(name, pdfFileName(name), "", write)
}

// savePDFAbout is savePDF for a document about one person (subject, their
// ID), which the audit trail records against them as what. It offers
// file, which must not carry the person's name (see personPDFName).
func (u *App) savePDFAbout(what, file, subject string, write func(w io.Writer, opt reports.Options) error) {
	opt, err := u.pdfOptions()
	if err != nil {
		u.showError(err)
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, opt); err != nil {
		u.showError(err)
		return
	}
	d := u.fileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		u.writeSavedPDF(w, buf.Bytes(), what, subject)
	})
	d.SetFileName(file)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	u.showDialog(d)
}

// writeSavedPDF writes pdf to the file the user chose, records the export,
// says where it went and opens it for printing.
func (u *App) writeSavedPDF(w fyne.URIWriteCloser, pdf []byte, what, subject string) {
	_, werr := w.Write(pdf)
	if cerr := w.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		log.Printf("guardar %s: %v", w.URI(), werr)
		u.showDialog(dialog.NewError(errors.New(T("No se ha podido guardar el PDF. Compruebe que tiene permiso para escribir en esa carpeta y que el archivo no está abierto en otro programa.")), u.win))
		return
	}
	if err := u.store.LogExport("pdf", subject, what+" → "+w.URI().Path()); err != nil {
		u.showError(err)
	}
	u.saved.show(T("PDF"), w.URI())
	u.openFile(w.URI())
}

// openFile opens a saved file with the system's program for it.
func (u *App) openFile(uri fyne.URI) {
	target, err := url.Parse(uri.String())
	if err == nil {
		err = u.app.OpenURL(target)
	}
	if err != nil {
		log.Printf("abrir %s: %v", uri, err)
		u.showDialog(dialog.NewInformation(T("PDF guardado"),
			T("Se ha guardado en {{.Path}}, pero no se ha podido abrir: ábralo desde la carpeta para imprimirlo.", map[string]any{"Path": uri.Path()}), u.win))
	}
}

// pdfFileName turns a title into a file name every system accepts.
func pdfFileName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, strings.TrimSpace(title))
	return name + ".pdf"
}

// personPDFName is the file name offered for a document of kind (a short
// lower-case name such as "resumen-caso") about p, made on day:
// "resumen-caso-MR-2026-12-07.pdf". It carries the person's initials,
// never their name, because file names show where the document does not:
// in folder listings, recent-file lists, print queues and e-mail
// attachments. Without initials it carries the end of the person's ID.
func personPDFName(kind string, p data.Person, day data.Date) string {
	parts := []string{kind}
	if who := initials(p); who != "" {
		parts = append(parts, who)
	} else if id := p.ID; id != "" {
		parts = append(parts, strings.ToUpper(id[max(0, len(id)-6):]))
	}
	return pdfFileName(strings.Join(append(parts, day.ISO()), "-"))
}

// initials are the first letters of p's first name and first surname, in
// capitals and without accents: "MR" for María Rodríguez López.
func initials(p data.Person) string {
	var b strings.Builder
	for _, name := range []string{p.FirstName, p.LastName} {
		for _, r := range data.Fold(name) {
			if r >= 'a' && r <= 'z' {
				b.WriteRune(r - 'a' + 'A')
				break
			}
		}
	}
	return b.String()
}

// showOfficePDFMenu offers the documents of office o under button btn.
func (u *App) showOfficePDFMenu(o data.Office, btn fyne.CanvasObject) {
	_, refers := data.DirectionFrom(o.Org)
	leaflet := fyne.NewMenuItem(T("Folleto"), func() {
		u.savePDF(T("Folleto")+" - "+o.Name, func(w io.Writer, opt reports.Options) error {
			return reports.Leaflet(w, u.store, o.ID, opt)
		})
	})
	notice := fyne.NewMenuItem(T("Aviso de fin de programa"), func() {
		u.savePDF(T("Aviso de fin de programa")+" - "+o.Name, func(w io.Writer, opt reports.Options) error {
			return reports.Notice(w, u.store, o.ID, opt)
		})
	})
	form := u.referralFormItem(o)
	leaflet.Disabled, notice.Disabled, form.Disabled = !refers, !refers, !refers
	followUp := fyne.NewMenuItem(T("Informe de seguimiento…"), func() { u.askFollowUp(o) })
	c := fyne.CurrentApp().Driver().CanvasForObject(btn)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", leaflet, form, notice, followUp), c, fyne.NewPos(0, btn.Size().Height), btn)
}

// askFollowUp asks whether the follow-up report of office o is for the
// whole office or one of its technicians, then saves it.
func (u *App) askFollowUp(o data.Office) {
	staff, err := u.store.StaffList()
	if err != nil {
		u.showError(err)
		return
	}
	whole := T("Toda la oficina")
	options := []string{whole}
	ids := map[string]string{}
	for _, st := range staff {
		if st.OfficeID == o.ID {
			options = append(options, st.Name)
			ids[st.Name] = st.ID
		}
	}
	who := widget.NewSelect(options, nil)
	who.SetSelected(whole)
	d := dialog.NewForm(T("Informe de seguimiento"), T("Guardar PDF…"), T("Cancelar"),
		[]*widget.FormItem{widget.NewFormItem(T("Derivaciones de"), who)},
		func(ok bool) {
			if !ok {
				return
			}
			q := reports.FollowUpQuery{OfficeID: o.ID, StaffID: ids[who.Selected]}
			name := T("Informe de seguimiento") + " - " + o.Name
			if q.StaffID != "" {
				name += " - " + who.Selected
			}
			u.savePDF(name, func(w io.Writer, opt reports.Options) error {
				return reports.FollowUp(w, u.store, q, opt)
			})
		}, u.win)
	u.showDialog(d)
}

// askCaseSummary asks whether the case summary of p goes to the other
// service (without sensitive data), then saves it.
func (u *App) askCaseSummary(p data.Person) {
	redacted := widget.NewCheck(T("Versión para el otro servicio (sin datos sensibles)"), nil)
	note := smallNote(T("Deja fuera el número de documento, la dirección, los teléfonos, la discapacidad y las observaciones, y lo que parezca un documento, un teléfono, un correo o una cuenta bancaria en las notas."))
	d := dialog.NewCustomConfirm(T("Resumen del caso"), T("Guardar PDF…"), T("Cancelar"),
		withNote(redacted, note),
		func(ok bool) {
			if !ok {
				return
			}
			what, kind := T("Resumen del caso"), T("resumen-caso")
			if redacted.Checked {
				what, kind = what+" - "+T("otro servicio"), T("resumen-caso-otro-servicio")
			}
			u.savePDFAbout(what, personPDFName(kind, p, u.store.Today()), p.ID, func(w io.Writer, opt reports.Options) error {
				return reports.CaseSummary(w, u.store, p.ID, redacted.Checked, opt)
			})
		}, u.win)
	d.Resize(fyne.NewSize(520, 0))
	u.showDialog(d)
}
