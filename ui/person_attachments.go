package ui

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// attachmentExport is the kind of export the audit trail records when a
// document leaves the database, opened or saved.
const attachmentExport = "documento adjunto"

// personAttachments is the Documentos tab of a person's page: the files
// on them (a CV, scans of documents), stored encrypted in the database,
// to add, open, save elsewhere and delete.
type personAttachments struct {
	u        *App
	personID string
	items    []data.Attachment
	changed  func() // after an add or a delete: the timeline has a new entry
	tempDir  string // this run's folder for opened copies; "" until the first

	add   *widget.Button
	list  *widget.List
	empty *widget.Label
	root  fyne.CanvasObject
}

func newPersonAttachments(u *App, changed func()) *personAttachments {
	pa := &personAttachments{u: u, changed: changed}
	pa.empty = wrappedLabel()
	pa.empty.Alignment = fyne.TextAlignCenter
	pa.empty.SetText(T("Esta persona no tiene documentos. Use «Añadir documento…» para guardar su currículum o la copia de un documento."))
	pa.add = widget.NewButtonWithIcon(T("Añadir documento…"), theme.ContentAddIcon(), pa.onAdd)
	pa.list = widget.NewList(
		func() int { return len(pa.items) },
		func() fyne.CanvasObject { return newAttachmentRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { pa.fillRow(o.(*attachmentRow), pa.items[i]) },
	)
	pa.list.OnSelected = func(widget.ListItemID) { pa.list.UnselectAll() }
	top := container.NewBorder(nil, nil, nil, pa.add,
		greyText(T("Hasta 20 MB por archivo. Se guardan cifrados en la base de datos.")))
	pa.root = container.NewBorder(top, nil, nil, nil, container.NewStack(pa.list, container.NewVBox(pa.empty)))
	return pa
}

// show lists personID's documents.
func (pa *personAttachments) show(personID string) error {
	items, err := pa.u.store.Attachments(personID)
	if err != nil {
		return err
	}
	pa.personID, pa.items = personID, items
	pa.empty.Hidden = len(items) > 0
	pa.empty.Refresh()
	if pa.u.can(data.PermEditPeople) {
		pa.add.Enable()
	} else {
		pa.add.Disable()
	}
	pa.list.Refresh()
	return nil
}

// showDocuments fills the Documentos tab and its label.
func (pg *personPage) showDocuments() error {
	if err := pg.docs.show(pg.p.ID); err != nil {
		return err
	}
	for _, it := range pg.tabs.Items {
		if it.Content == pg.docs.root {
			it.Text = countLabel(T("Documentos"), len(pg.docs.items))
		}
	}
	pg.tabs.Refresh()
	return nil
}

// attachmentRow is one document: its name, then its size, when it was
// added and by whom, with the buttons that act on it.
type attachmentRow struct {
	widget.BaseWidget
	name, detail    *widget.Label
	open, save, del *widget.Button
}

func newAttachmentRow() *attachmentRow {
	r := &attachmentRow{
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
		open:   widget.NewButtonWithIcon(T("Abrir"), theme.VisibilityIcon(), nil),
		save:   widget.NewButtonWithIcon(T("Guardar como…"), theme.DocumentSaveIcon(), nil),
		del:    widget.NewButtonWithIcon(T("Borrar"), theme.DeleteIcon(), nil),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *attachmentRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, nil, container.NewHBox(r.open, r.save, r.del), r.name)
	return widget.NewSimpleRenderer(container.New(&tightVBox{}, top, r.detail)) // the detail takes the whole width
}

func (pa *personAttachments) fillRow(r *attachmentRow, a data.Attachment) {
	r.name.SetText(a.Name)
	detail := T("{{.Size}} · añadido el {{.Date}} por {{.Author}}", map[string]any{
		"Size": data.FormatSize(a.Size), "Date": formatWhen(a.CreatedAt), "Author": a.CreatedBy})
	if a.Note != "" {
		detail += " · " + a.Note
	}
	r.detail.SetText(detail)
	r.open.OnTapped = func() { pa.onOpen(a) }
	r.save.OnTapped = func() { pa.onSave(a) }
	r.del.OnTapped = func() { pa.onDelete(a) }
	if pa.u.can(data.PermEditPeople) {
		r.del.Enable()
	} else {
		r.del.Disable()
	}
}

// onAdd asks for a file and adds it to the person shown.
func (pa *personAttachments) onAdd() {
	d := pa.u.fileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			pa.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		defer func() { _ = r.Close() }()
		pa.addFrom(r.URI().Name(), r)
	})
	pa.u.showDialog(d)
}

// addFrom stores the file called name, read from r, on the person shown.
func (pa *personAttachments) addFrom(name string, r io.Reader) {
	if _, err := pa.u.store.AddAttachment(pa.personID, name, r, ""); err != nil {
		pa.showError(err)
		return
	}
	pa.changed()
}

// showError tells the user what went wrong: a refused file in data's
// own words ("El archivo «cv.pdf» ocupa 23,4 MB: …").
func (pa *personAttachments) showError(err error) {
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		log.Printf("documento: %v", err)
		pa.u.showDialog(dialog.NewError(errors.New(validationText(ve)), pa.u.win))
	case errors.Is(err, data.ErrDamagedAttachment):
		log.Printf("documento: %v", err)
		pa.u.showDialog(dialog.NewError(errors.New(T("El documento está dañado: no es el que se guardó. Recupérelo de una copia de seguridad.")), pa.u.win))
	default:
		pa.u.showError(err)
	}
}

// onDelete asks before deleting a.
func (pa *personAttachments) onDelete(a data.Attachment) {
	d := dialog.NewConfirm(T("Borrar documento"),
		T("¿Borrar «{{.Name}}» de la ficha? No se puede deshacer.", map[string]any{"Name": a.Name}),
		func(ok bool) {
			if !ok {
				return
			}
			if err := pa.u.store.DeleteAttachment(a.ID); err != nil {
				pa.showError(err)
				return
			}
			pa.changed()
		}, pa.u.win)
	d.SetConfirmText(T("Borrar"))
	d.SetDismissText(T("Cancelar"))
	d.SetConfirmImportance(widget.DangerImportance)
	pa.u.showDialog(d)
}

// content reads a's bytes and records in the audit trail that they leave
// the database, and where to (detail). Nothing leaves unrecorded.
func (pa *personAttachments) content(a data.Attachment, detail string) ([]byte, bool) {
	body, _, err := pa.u.store.AttachmentContent(a.ID)
	if err == nil {
		err = pa.u.store.LogExport(attachmentExport, a.PersonID, detail)
	}
	if err != nil {
		pa.showError(err)
		return nil, false
	}
	return body, true
}

// onSave asks where to save a copy of a, and writes it there.
func (pa *personAttachments) onSave(a data.Attachment) {
	d := pa.u.fileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			pa.showError(err)
			return
		}
		if w != nil {
			pa.saveTo(a, w)
		}
	})
	d.SetFileName(a.Name)
	pa.u.showDialog(d)
}

// saveTo writes a's bytes to w and closes it.
func (pa *personAttachments) saveTo(a data.Attachment, w fyne.URIWriteCloser) {
	body, ok := pa.content(a, fmt.Sprintf("%s, guardado en %s", a.Name, w.URI().Path()))
	if !ok {
		_ = w.Close()
		return
	}
	_, err := w.Write(body)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		log.Printf("guardar %s: %v", w.URI(), err)
		pa.u.showDialog(dialog.NewError(errors.New(T("No se ha podido guardar el documento en {{.Path}}. Pruebe en otra carpeta.",
			map[string]any{"Path": w.URI().Path()})), pa.u.win))
	}
}

// onOpen writes a plaintext copy of a to this run's temporary folder and
// opens it with the system's program for its type.
func (pa *personAttachments) onOpen(a data.Attachment) {
	body, ok := pa.content(a, a.Name+", abierto con el programa del sistema")
	if !ok {
		return
	}
	path, err := pa.writeTemp(a.Name, body)
	var target *url.URL
	if err == nil {
		target, err = url.Parse(storage.NewFileURI(path).String())
	}
	if err == nil {
		err = pa.u.app.OpenURL(target)
	}
	if err != nil {
		log.Printf("abrir un documento: %v", err)
		pa.u.showDialog(dialog.NewInformation(T("No se ha podido abrir"),
			T("No se ha podido abrir «{{.Name}}» con el programa del sistema. Use «Guardar como…» y ábralo desde la carpeta.",
				map[string]any{"Name": a.Name}), pa.u.win))
	}
}

// writeTemp writes body as name in a new folder of its own (two
// documents may share a name) under this run's temporary folder,
// readable by the user only. The folder goes when Enlace quits.
func (pa *personAttachments) writeTemp(name string, body []byte) (string, error) {
	if pa.tempDir == "" {
		dir, err := os.MkdirTemp("", "enlace-documentos-") // 0700
		if err != nil {
			return "", err
		}
		pa.tempDir = dir
		pa.u.app.Lifecycle().SetOnStopped(pa.removeTemp)
	}
	dir, err := os.MkdirTemp(pa.tempDir, "doc-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, body, 0o600)
}

// removeTemp deletes this run's temporary folder with the copies opened,
// which are not encrypted. A viewer that still holds one open on Windows
// keeps it there; the log says so.
func (pa *personAttachments) removeTemp() {
	if pa.tempDir == "" {
		return
	}
	if err := os.RemoveAll(pa.tempDir); err != nil {
		log.Printf("borrar las copias abiertas de los documentos: %v", err)
		return
	}
	pa.tempDir = ""
}
