package ui

import (
	"context"
	"errors"
	"io"
	"log"
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

// pdfImport is one import of filled-in PDF referral forms: it reads the
// files off the UI goroutine behind a progress dialog (cancelable), then
// shows what importing them would do before anything is written or
// deleted (what would be imported, and each file that cannot be and
// why), and imports the forms as read on «Importar».
type pdfImport struct {
	u      *App
	paths  []string
	src    io.ReadCloser // a chosen file that is not local, copied to a temporary folder to import
	author string

	cancel   context.CancelFunc
	progress dialog.Dialog
	reading  *widget.Label
	bar      *widget.ProgressBar
	stop     *widget.Button

	read      *acroform.Forms // the forms as read, imported on «Importar»
	temp      string          // the temporary folder of src's copy, removed when the import ends
	preview   forms.Result
	summary   *widget.Label
	importBtn *widget.Button
	d         dialog.Dialog
	importing bool
	result    string // the import's summary, for tests

	progressed func(read int) // tests: after each file read, on the UI goroutine
	previewed  chan struct{}  // closed once the reading is over (preview shown, cancelled or failed)
	ended      chan struct{}  // closed once the import is over: imported, cancelled or failed
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
		if r.URI().Scheme() == "file" {
			_ = r.Close() // read by its path
			u.previewPDF([]string{r.URI().Path()})
			return
		}
		// Not a local file: a copy to import (and delete) instead.
		u.previewPDFCopy(r)
	})
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".PDF"}))
	u.showOpen(d)
}

// previewPDF reads the forms at paths and shows what importing them
// would do, writing nothing.
func (u *App) previewPDF(paths []string) *pdfImport {
	p := u.newPDFImport(paths, nil)
	p.start()
	return p
}

// previewPDFCopy is previewPDF for a form that is no local file: it is
// copied (and closed) first, into a temporary folder that goes when the
// import ends.
func (u *App) previewPDFCopy(r io.ReadCloser) *pdfImport {
	p := u.newPDFImport(nil, r)
	p.start()
	return p
}

func (u *App) newPDFImport(paths []string, src io.ReadCloser) *pdfImport {
	return &pdfImport{u: u, paths: paths, src: src, author: u.Author(),
		previewed: make(chan struct{}), ended: make(chan struct{})}
}

// start shows the progress dialog and reads the forms in the background.
func (p *pdfImport) start() {
	total := max(len(p.paths), 1)
	p.reading = widget.NewLabel(T("Leyendo los formularios PDF: {{.Read}} de {{.Total}}…", map[string]any{"Read": 0, "Total": total}))
	p.bar = widget.NewProgressBar()
	p.bar.Max = float64(total)
	p.stop = widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), p.onStop)
	p.progress = dialog.NewCustomWithoutButtons(T("Importar formularios PDF"),
		container.NewVBox(p.reading, p.bar, container.NewHBox(p.stop)), p.u.win)
	p.progress.Resize(fyne.NewSize(480, 0))
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.u.showDialogThen(p.progress, cancel) // Esc cancels too
	go p.work(ctx, total)
}

// onStop cancels the reading; the worker ends it after the file it is at.
func (p *pdfImport) onStop() {
	p.cancel()
	p.stop.Disable()
	p.reading.SetText(T("Cancelando…"))
}

// work copies src (when there is one), reads the forms and checks them
// against the store without writing, then hands the preview to the UI
// goroutine. A temporary copy it made is removed here unless the preview
// takes it over.
func (p *pdfImport) work(ctx context.Context, total int) {
	paths, temp, err := p.paths, "", error(nil)
	if p.src != nil {
		var path string
		path, temp, err = copyToTemp(p.src)
		if cerr := p.src.Close(); err == nil {
			err = cerr
		}
		paths = []string{path}
	}
	var fr *acroform.Forms
	var im acroform.Imported
	var preview forms.Result
	if err == nil {
		fr, err = acroform.ReadFiles(ctx, paths, func(n int) {
			fyne.Do(func() { p.showRead(n, total) })
		})
	}
	if err == nil {
		im, err = fr.Import(p.u.store, p.author, func(plan *forms.Plan) bool {
			preview = plan.Preview(true)
			return false
		})
	}
	if err == nil {
		err = ctx.Err() // cancelled while checking
	}
	if err != nil {
		removeTemp(temp)
		fyne.Do(func() { p.readFailed(err) })
		return
	}
	fyne.Do(func() {
		p.paths, p.temp, p.read, p.preview = paths, temp, fr, preview
		p.showPreview(im.Problems)
	})
}

// showRead moves the progress on to n files read.
func (p *pdfImport) showRead(n, total int) {
	p.bar.SetValue(float64(n))
	if p.stop.Disabled() {
		return // «Cancelando…» stays
	}
	p.reading.SetText(T("Leyendo los formularios PDF: {{.Read}} de {{.Total}}…", map[string]any{"Read": n, "Total": total}))
	if p.progressed != nil {
		p.progressed(n)
	}
}

// readFailed ends an import whose reading was cancelled or failed.
func (p *pdfImport) readFailed(err error) {
	p.progress.Hide()
	close(p.previewed)
	if !errors.Is(err, context.Canceled) {
		p.u.showError(err)
	}
	p.end()
}

// end says the import is over, once.
func (p *pdfImport) end() {
	select {
	case <-p.ended:
	default:
		close(p.ended)
	}
}

// copyToTemp copies r into a new private temporary folder: the copy's
// path and the folder, which the caller removes; on an error it removes
// the folder itself.
func copyToTemp(r io.Reader) (path, dir string, err error) {
	dir, err = os.MkdirTemp("", "enlace-pdf-")
	if err != nil {
		return "", "", err
	}
	defer func() {
		if err != nil {
			removeTemp(dir)
			dir = ""
		}
	}()
	path = filepath.Join(dir, "formulario.pdf")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return "", "", err
	}
	_, err = io.Copy(f, io.LimitReader(r, acroform.MaxFileSize+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, dir, err
}

// removeTemp removes a temporary folder of copyToTemp's ("" is none).
func removeTemp(dir string) {
	if dir == "" {
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("borrar la copia temporal %s: %v", dir, err)
	}
}

// showPreview closes the progress and shows what importing the forms
// read would do; problems are the files that cannot be imported.
func (p *pdfImport) showPreview(problems []acroform.Problem) {
	p.progress.Hide()
	lines := []string{T("Se importaría: {{.N}} formulario(s).", map[string]any{"N": p.preview.Rows})}
	if p.preview.Rows > 0 {
		res := p.preview
		res.Rejected = 0 // the files, each with why, are listed below
		lines = append(lines, importResultLines(res)...)
		lines = append(lines, T("Una vez importado, el fichero se borra de su carpeta: sus datos quedan en Enlace."))
	}
	lines = append(lines, fileProblemLines(problems)...)
	p.summary = widget.NewLabel(strings.Join(lines, "\n"))
	p.summary.Wrapping = fyne.TextWrapWord
	p.importBtn = widget.NewButtonWithIcon(T("Importar"), theme.ConfirmIcon(), p.onImport)
	p.importBtn.Importance = widget.HighImportance
	if p.preview.Rows == 0 {
		p.importBtn.Disable()
	}
	cancel := widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), nil)
	body := container.NewBorder(nil, container.NewHBox(cancel, p.importBtn), nil, nil, container.NewVScroll(p.summary))
	d := dialog.NewCustomWithoutButtons(T("Importar formularios PDF"), body, p.u.win)
	cancel.OnTapped = d.Hide
	d.Resize(fyne.NewSize(720, 420))
	p.d = d
	p.u.showDialogThen(d, p.onPreviewClosed)
	close(p.previewed)
}

// onPreviewClosed ends the import when the preview is closed without
// importing (Cancelar, Esc).
func (p *pdfImport) onPreviewClosed() {
	if p.importing {
		return
	}
	removeTemp(p.temp)
	p.end()
}

// onImport imports the forms as read, in the background, and says what
// happened.
func (p *pdfImport) onImport() {
	p.importing = true
	p.d.Hide()
	wait := dialog.NewCustomWithoutButtons(T("Importar formularios PDF"),
		container.NewVBox(widget.NewLabel(T("Importando los formularios…")), widget.NewProgressBarInfinite()), p.u.win)
	wait.Show()
	fr, temp, store, author := p.read, p.temp, p.u.store, p.author
	go func() {
		im, err := fr.Import(store, author, nil)
		removeTemp(temp)
		fyne.Do(func() {
			wait.Hide()
			p.finish(im, err)
		})
	}()
}

// finish says what the import did and refreshes the lists.
func (p *pdfImport) finish(im acroform.Imported, err error) {
	defer p.end()
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
