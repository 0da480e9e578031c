package ui

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
	"github.com/enlace-madrid/enlace/reports"
)

// pdfImport is the dialog that shows what importing filled-in PDF
// referral forms would do before anything is written or deleted: what
// would be imported, and each file that cannot be and why.
type pdfImport struct {
	u         *App
	paths     []string
	preview   forms.Result
	summary   *widget.Label
	importBtn *widget.Button
	d         dialog.Dialog
	result    string // the import's summary, for tests
}

// importPDFButton is the Derivaciones toolbar's button that imports
// filled-in PDF referral forms: one file, or every PDF of a folder (the
// one technicians drop them into, synced from Nextcloud).
func (u *App) importPDFButton() *widget.Button {
	b := widget.NewButtonWithIcon(T("Importar PDF"), theme.UploadIcon(), nil)
	b.OnTapped = func() {
		one := fyne.NewMenuItem(T("Un formulario PDF…"), u.onImportPDF)
		folder := fyne.NewMenuItem(T("Una carpeta de formularios PDF…"), u.onImportPDFFolder)
		if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil {
			widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", one, folder), c, fyne.NewPos(0, b.Size().Height), b)
		}
	}
	return u.gate(b, data.PermPropose)
}

// onImportPDFFolder asks for the folder and previews its PDFs.
func (u *App) onImportPDFFolder() {
	d := u.folderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if dir == nil {
			return // cancelled
		}
		u.previewPDFFolder(dir.Path())
	})
	u.showOpen(d)
}

// previewPDFFolder previews the PDFs directly in dir.
func (u *App) previewPDFFolder(dir string) *pdfImport {
	paths, err := acroform.Paths([]string{dir})
	if err != nil {
		u.showError(err)
		return nil
	}
	if len(paths) == 0 {
		u.showDialog(dialog.NewInformation(T("Importar formularios PDF"), T("No hay ningún fichero PDF en {{.Dir}}.", map[string]any{"Dir": dir}), u.win))
		return nil
	}
	return u.previewPDF(paths)
}

// onImportPDF asks for the filled-in form and previews it.
func (u *App) onImportPDF() {
	d := u.fileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		defer r.Close()
		if r.URI().Scheme() == "file" {
			u.previewPDF([]string{r.URI().Path()})
			return
		}
		// Not a local file: a copy to import (and delete) instead.
		path, err := copyToTemp(r)
		if err != nil {
			u.showError(err)
			return
		}
		u.previewPDF([]string{path})
	})
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".PDF"}))
	u.showOpen(d)
}

func copyToTemp(r io.Reader) (string, error) {
	dir, err := os.MkdirTemp("", "enlace-pdf-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "formulario.pdf")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, io.LimitReader(r, acroform.MaxFileSize+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}

// previewPDF checks the forms at paths, writing nothing, and shows what
// importing them would do.
func (u *App) previewPDF(paths []string) *pdfImport {
	p := &pdfImport{u: u, paths: paths}
	im, err := acroform.Import(u.store, paths, u.Author(), func(plan *forms.Plan) bool {
		p.preview = plan.Preview(true)
		return false
	})
	if err != nil {
		u.showError(err)
		return nil
	}
	lines := []string{T("Se importaría: {{.N}} formulario(s).", map[string]any{"N": p.preview.Rows})}
	if p.preview.Rows > 0 {
		res := p.preview
		res.Rejected = 0 // the files, each with why, are listed below
		lines = append(lines, importResultLines(res)...)
		lines = append(lines, T("Una vez importado, el fichero se borra de su carpeta: sus datos quedan en Enlace."))
	}
	lines = append(lines, fileProblemLines(im.Problems)...)
	p.summary = widget.NewLabel(strings.Join(lines, "\n"))
	p.summary.Wrapping = fyne.TextWrapWord
	p.importBtn = widget.NewButtonWithIcon(T("Importar"), theme.ConfirmIcon(), p.onImport)
	p.importBtn.Importance = widget.HighImportance
	if p.preview.Rows == 0 {
		p.importBtn.Disable()
	}
	cancel := widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), nil)
	body := container.NewBorder(nil, container.NewHBox(cancel, p.importBtn), nil, nil, container.NewVScroll(p.summary))
	d := dialog.NewCustomWithoutButtons(T("Importar formularios PDF"), body, u.win)
	cancel.OnTapped = d.Hide
	d.Resize(fyne.NewSize(720, 420))
	p.d = d
	u.showDialog(d)
	return p
}

// onImport imports the forms and says what happened.
func (p *pdfImport) onImport() {
	im, err := acroform.Import(p.u.store, p.paths, p.u.Author(), nil)
	p.d.Hide()
	if err != nil {
		p.u.showError(err)
		return
	}
	res := im.Result
	res.Rejected = 0
	lines := importResultLines(res)
	if len(im.Deleted) > 0 {
		lines = append(lines, T("Los formularios importados se han borrado de su carpeta."))
	}
	lines = append(lines, fileProblemLines(im.Problems)...)
	p.result = strings.Join(lines, "\n")
	p.u.showDialog(dialog.NewInformation(T("Importar formularios PDF"), p.result, p.u.win))
	if p.u.referrals != nil {
		p.u.referrals.refresh()
	}
	if p.u.people != nil {
		p.u.people.refresh() // the forms made people too
	}
}

// referralFormItem is the office PDF menu's item that saves the office's
// fillable referral form.
func (u *App) referralFormItem(o data.Office) *fyne.MenuItem {
	return fyne.NewMenuItem(T("Formulario de derivación (PDF rellenable)"), func() {
		u.savePDF(T("Formulario de derivación")+" - "+o.Name, func(w io.Writer, opt reports.Options) error {
			return reports.ReferralForm(w, u.store, o.ID, opt)
		})
	})
}

// fileProblemLines says, for each file that cannot be imported, which
// and why.
func fileProblemLines(problems []acroform.Problem) []string {
	var lines []string
	for _, pr := range problems {
		lines = append(lines, T("No se puede importar {{.File}}: {{.Why}}",
			map[string]any{"File": filepath.Base(pr.Path), "Why": problemsText(pr.Messages)}))
	}
	return lines
}

// problemsText is a file's problems in the interface's language, one
// after the other.
func problemsText(msgs []string) string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = dataText(m)
	}
	return strings.Join(out, " ")
}
