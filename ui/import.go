package ui

import (
	"fmt"
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
)

// importPreview is the dialog that shows what importing a form export
// would do, row by row, before anything is written: the coordinator then
// imports everything (only possible when no row is invalid), only the
// valid rows, or nothing.
type importPreview struct {
	u        *App
	path     string // the export's local path; the rejected rows go beside it ("" when unknown)
	fromForm bool   // the answers come from a Nextcloud form, not a file
	form     string // that form's title (it may have none)
	plan     *forms.Plan
	rows     [][importColumns]string // what each table row shows

	table   *widget.Table
	summary *widget.Label
	hint    *widget.Label // how the buttons behave with invalid rows
	detail  *widget.Label // every problem of the selected row
	all     *widget.Button
	valid   *widget.Button
	cancel  *widget.Button
	d       *dialog.CustomDialog
	result  string // the last import's summary, for tests
}

// The preview table's columns.
const (
	colLine = iota
	colName
	colDocument
	colNationality
	colReferrer
	colStatus
	importColumns
)

// importWidths are the columns' widths, for a dialog in a 1280×800 window.
var importWidths = [importColumns]float32{56, 210, 165, 130, 210, 340}

// importButton is the Derivaciones toolbar's button that imports a form
// export.
func (u *App) importButton() *widget.Button {
	return u.gate(widget.NewButtonWithIcon(T("Importar formularios (CSV)"), theme.UploadIcon(), u.onImportForms), data.PermPropose)
}

// importBar is the Derivaciones row of the ways referrals come in: the
// referral form on Nextcloud and a form export.
func (u *App) importBar() fyne.CanvasObject {
	u.forms = newFormsPull(u)
	return container.NewBorder(nil, nil, nil, container.NewHBox(u.forms.fetch, u.forms.change, u.importButton(), u.importPDFButton()), u.forms.status)
}

// onImportForms asks for the CSV file and previews it.
func (u *App) onImportForms() {
	d := u.fileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		defer r.Close()
		path := ""
		if r.URI().Scheme() == "file" {
			path = r.URI().Path()
		}
		u.previewImport(r, path)
	})
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV", ".txt"}))
	u.showOpen(d)
}

// previewImport reads and checks an export and shows the preview. path is
// where the file is, for the rejected rows' file; it may be "".
func (u *App) previewImport(r io.Reader, path string) *importPreview {
	f, err := forms.Read(r)
	if err != nil {
		u.showError(err)
		return nil
	}
	plan, err := forms.Check(u.store, f)
	if err != nil {
		u.showError(err)
		return nil
	}
	p := &importPreview{u: u, path: path, plan: plan}
	p.fillRows()
	p.build()
	return p
}

// build makes the dialog.
func (p *importPreview) build() {
	p.summary = wrappedText(p.summaryText())
	p.hint = wrappedText(T("«Importar todo» no escribe nada mientras haya filas con errores; «Importar solo las válidas» importa las demás y deja las que tienen errores, tal como estaban, en un fichero aparte para corregirlas."))
	p.hint.Importance = widget.WarningImportance
	if _, bad, _, _ := p.counts(); bad == 0 {
		p.hint.Hide()
	}
	p.detail = wrappedText(T("Elija una fila para ver todos sus avisos."))
	p.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(p.rows), importColumns },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { p.fillCell(id, o.(*widget.Label)) },
	)
	p.table.ShowHeaderColumn = false
	p.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	p.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < importColumns {
			o.(*widget.Label).SetText(p.headers()[id.Col])
		}
	}
	for c, w := range importWidths {
		p.table.SetColumnWidth(c, w)
	}
	// «Respuesta» is wider than «Línea»: the column fits its header.
	head := fyne.MeasureText(p.headers()[colLine], theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.Padding() + 2*theme.InnerPadding()
	if head > importWidths[colLine] {
		p.table.SetColumnWidth(colLine, head)
		p.table.SetColumnWidth(colStatus, importWidths[colStatus]-(head-importWidths[colLine]))
	}
	p.table.OnSelected = func(id widget.TableCellID) { p.showDetail(id.Row) }

	p.all = widget.NewButtonWithIcon(T("Importar todo"), theme.ConfirmIcon(), func() { p.onImport(false) })
	p.all.Importance = widget.HighImportance
	p.valid = widget.NewButtonWithIcon(T("Importar solo las válidas"), theme.ContentAddIcon(), func() { p.onImport(true) })
	p.cancel = widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), nil)
	p.setButtons()

	detail := container.NewVScroll(p.detail)
	detail.SetMinSize(fyne.NewSize(0, 84)) // three lines, scrolling when there are more
	body := container.NewBorder(container.NewVBox(p.summary, p.hint), container.NewVBox(widget.NewSeparator(), detail), nil, nil, p.table)
	p.d = dialog.NewCustomWithoutButtons(p.title(), body, p.u.win)
	p.cancel.OnTapped = p.d.Hide
	p.d.SetButtons([]fyne.CanvasObject{p.cancel, p.valid, p.all})
	p.d.Resize(fyne.NewSize(1200, 720))
	p.u.showDialog(p.d)
}

func importHeaders() [importColumns]string {
	return [importColumns]string{T("Línea"), T("Nombre"), T("Documento"), T("Nacionalidad"), T("Quién deriva"), T("Estado")}
}

// title is the dialog's title: where the rows come from.
func (p *importPreview) title() string {
	switch {
	case p.fromForm && p.form != "":
		return T("Respuestas del formulario «{{.Title}}» de Nextcloud", map[string]any{"Title": p.form})
	case p.fromForm:
		return T("Respuestas del formulario de Nextcloud")
	}
	return T("Importar formularios")
}

// headers are the table's headers: a form's rows are answers, numbered
// in the order the form gives them, not lines of a file.
func (p *importPreview) headers() [importColumns]string {
	h := importHeaders()
	if p.fromForm {
		h[colLine] = T("Respuesta")
	}
	return h
}

// number is what the first column shows for row i: its line in the
// file, or its answer number in a form.
func (p *importPreview) number(i int) int {
	if p.fromForm {
		return i + 1
	}
	return p.plan.File.Rows[i].Line
}

// counts returns how many rows will be imported, are invalid, are flagged
// for review and were imported before (or repeat an earlier row).
func (p *importPreview) counts() (ok, bad, review, done int) {
	for i := range p.plan.File.Rows {
		r := &p.plan.File.Rows[i]
		switch {
		case r.Status == forms.Rejected:
			bad++
		case r.Status == forms.Imported || r.Status == forms.Repeated:
			done++
		default:
			ok++
			if len(r.Reviews()) > 0 {
				review++
			}
		}
	}
	return ok, bad, review, done
}

func (p *importPreview) summaryText() string {
	f := p.plan.File
	ok, bad, review, done := p.counts()
	name := filepath.Base(p.path)
	if p.path == "" {
		name = T("El fichero")
	}
	return T("{{.File}}: {{.Rows}} filas ({{.Encoding}}, separadas por «{{.Delim}}»). Se pueden importar: {{.OK}} (para revisar después: {{.Review}}). Con errores: {{.Bad}}. Ya importadas antes: {{.Done}}.",
		map[string]any{"File": name, "Rows": len(f.Rows), "Encoding": string(f.Encoding), "Delim": delimName(f.Delimiter),
			"OK": ok, "Review": review, "Bad": bad, "Done": done})
}

func delimName(r rune) string {
	switch r {
	case '\t':
		return T("tabulador")
	case ';':
		return ";"
	}
	return ","
}

// setButtons enables what can be done: everything only without invalid
// rows, the valid rows when there is at least one.
func (p *importPreview) setButtons() {
	ok, bad, _, _ := p.counts()
	if ok > 0 && bad == 0 {
		p.all.Enable()
	} else {
		p.all.Disable()
	}
	if ok > 0 && bad > 0 {
		p.valid.Enable()
	} else {
		p.valid.Disable()
	}
}

// fillRows works out what each table row shows, once.
func (p *importPreview) fillRows() {
	countries := map[string]string{}
	for _, c := range data.Countries() {
		countries[c.Code] = p.u.countryLabel(c)
	}
	rows := p.plan.File.Rows
	p.rows = make([][importColumns]string, len(rows))
	for i := range rows {
		r := &rows[i]
		pe := &r.Person
		doc := "—"
		if pe.DocNumber != "" {
			doc = docShort(pe.DocKind) + " " + pe.DocNumber
		}
		nat := countries[pe.Nationality]
		if nat == "" {
			nat = pe.Origin
		}
		ref := r.Referrer.Name
		if r.Referrer.Org != "" {
			ref += " (" + string(r.Referrer.Org) + ")"
		}
		if strings.TrimSpace(ref) == "" {
			ref = r.ReferrerText()
		}
		p.rows[i] = [importColumns]string{fmt.Sprint(p.number(i)), pe.FullName(), doc, nat, ref, p.statusText(r)}
	}
}

// docShort is a document type in a word, for a narrow column.
func docShort(k data.DocKind) string {
	switch k {
	case data.DocDNI:
		return "DNI"
	case data.DocNIE:
		return "NIE"
	case data.DocTIE:
		return "TIE"
	case data.DocPassport:
		return T("Pasaporte")
	case data.DocStudent:
		return T("Estudiante")
	case data.DocAsylum:
		return T("Asilo")
	}
	return T("Otro")
}

// statusText is a row's state: OK, the error, "ya importada" or what to
// review.
func (p *importPreview) statusText(r *forms.Row) string {
	switch r.Status {
	case forms.Imported:
		return T("ya importada")
	case forms.Repeated:
		return T("ya importada (repite la línea {{.Line}})", map[string]any{"Line": p.plan.File.Rows[r.SameAs].Line})
	case forms.Rejected:
		return T("Error:") + " " + dataText(r.Invalid()[0].Message)
	}
	if rev := r.Reviews(); len(rev) > 0 {
		return T("revisar:") + " " + dataText(rev[0].Message)
	}
	if r.Status == forms.Existing {
		return T("OK (persona ya registrada)")
	}
	return statusOK
}

// statusOK reads the same in both languages. It is not passed to T:
// Fyne's own Spanish words turn "OK" into «Aceptar», a button's word.
const statusOK = "OK"

func (p *importPreview) fillCell(id widget.TableCellID, l *widget.Label) {
	if id.Row < 0 || id.Row >= len(p.rows) || id.Col < 0 || id.Col >= importColumns {
		return
	}
	l.Importance = widget.MediumImportance
	if id.Col == colStatus {
		switch r := &p.plan.File.Rows[id.Row]; {
		case r.Status == forms.Rejected:
			l.Importance = widget.DangerImportance
		case r.Status == forms.Imported || r.Status == forms.Repeated:
			l.Importance = widget.LowImportance
		case len(r.Reviews()) > 0:
			l.Importance = widget.WarningImportance
		default:
			l.Importance = widget.SuccessImportance
		}
	}
	l.SetText(p.rows[id.Row][id.Col])
}

// showDetail lists every problem of row i under the table.
func (p *importPreview) showDetail(i int) {
	if i < 0 || i >= len(p.rows) {
		return
	}
	r := &p.plan.File.Rows[i]
	name := p.rows[i][colName]
	if name == "" {
		name = T("(sin nombre)")
	}
	var probs []forms.Problem
	if r.Status == forms.New || r.Status == forms.Existing || r.Status == forms.Rejected {
		probs = r.Problems
	}
	head := T("Línea {{.Line}} · {{.Name}}", map[string]any{"Line": r.Line, "Name": name})
	if p.fromForm {
		head = T("Respuesta {{.N}} · {{.Name}}", map[string]any{"N": p.number(i), "Name": name})
	}
	if len(probs) == 0 {
		head += ": " + p.rows[i][colStatus]
	}
	lines := []string{head}
	for _, pr := range probs {
		lines = append(lines, "• "+problemText(pr))
	}
	p.detail.SetText(strings.Join(lines, "\n"))
}

// problemText is a problem without its line, for the detail panel.
func problemText(pr forms.Problem) string {
	if pr.Column == "" {
		return dataText(pr.Message)
	}
	return "«" + pr.Column + "»: " + dataText(pr.Message)
}

// onImport imports everything or only the valid rows, then says what it
// did; the rejected rows go to a file beside the export.
func (p *importPreview) onImport(skipInvalid bool) {
	res, err := p.plan.Import(p.u.store, p.u.Author(), skipInvalid)
	if err != nil {
		p.u.showError(err)
		return
	}
	var rejected string
	if bad := p.plan.Rejected(); skipInvalid && len(bad) > 0 {
		rejected, err = p.writeRejected(bad)
		if err != nil {
			log.Printf("import: %v", err)
			rejected = T("(no se ha podido escribir el fichero: {{.Why}})", map[string]any{"Why": err.Error()})
		}
	}
	p.d.Hide()
	p.showResult(res, rejected)
	if p.u.referrals != nil {
		p.u.referrals.refresh()
	}
	if p.u.people != nil {
		p.u.people.refresh()
	}
}

// showResult says what the import did: one line per fact, and the
// rejected rows' file on a line of its own.
func (p *importPreview) showResult(res forms.Result, rejected string) {
	box := container.NewVBox()
	lines := importResultLines(res)
	for _, line := range lines {
		box.Add(wrappedText(line))
	}
	p.result = strings.Join(append(lines, rejected), "\n")
	if rejected != "" {
		path := widget.NewLabelWithStyle(rejected, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		path.Wrapping = fyne.TextWrapBreak
		box.Add(path)
	}
	d := dialog.NewCustom(T("Importación terminada"), T("Cerrar"), box, p.u.win)
	d.Resize(fyne.NewSize(680, 0))
	p.u.showDialog(d)
}

// writeRejected writes the rejected rows, untouched, beside the export as
// NAME-rechazadas.csv (in the user's home folder when the export's
// folder is unknown) and returns the path.
func (p *importPreview) writeRejected(rows []int) (string, error) {
	dir, base := filepath.Dir(p.path), filepath.Base(p.path)
	if p.path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir, base = home, "formularios.csv"
	}
	ext := filepath.Ext(base)
	out := filepath.Join(dir, strings.TrimSuffix(base, ext)+"-rechazadas.csv")
	w, err := os.Create(out)
	if err != nil {
		return "", err
	}
	if err := p.plan.File.WriteRejected(w, rows); err != nil {
		_ = w.Close()
		return "", err
	}
	return out, w.Close()
}

// importResultLines say what an import did, in the interface's language.
func importResultLines(r forms.Result) []string {
	lines := []string{T("Filas importadas: {{.Rows}}. Personas nuevas: {{.New}}; ya existentes: {{.Existing}}. Derivaciones propuestas: {{.Referrals}}. Propuestas de exclusión (DNI): {{.DNI}}.",
		map[string]any{"Rows": r.Rows, "New": r.NewPeople, "Existing": r.Existing, "Referrals": r.Referrals, "DNI": r.DNI})}
	if r.DNI > 0 {
		lines = append(lines, T("Excluidas por tener DNI: {{.Excluded}}. A la espera de que la jefatura de sección de la AE las verifique: {{.Pending}}.",
			map[string]any{"Excluded": r.DNIExcluded, "Pending": r.DNI - r.DNIExcluded}))
	}
	if r.NewStaff+r.NewOffices > 0 {
		lines = append(lines, T("Personas añadidas al personal: {{.Staff}}. Oficinas nuevas: {{.Offices}}.",
			map[string]any{"Staff": r.NewStaff, "Offices": r.NewOffices}))
	}
	if r.Review > 0 {
		lines = append(lines, T("Filas para revisar: {{.Count}}. Lo que hay que revisar está en la nota de cada derivación.", map[string]any{"Count": r.Review}))
	}
	if r.Skipped > 0 {
		lines = append(lines, T("Filas que ya estaban importadas: {{.Count}}. No se han vuelto a importar.", map[string]any{"Count": r.Skipped}))
	}
	if r.Rejected > 0 {
		lines = append(lines, T("Filas con errores, sin importar: {{.Count}}. Están, tal como estaban, en este fichero, para corregirlas e importarlas de nuevo:", map[string]any{"Count": r.Rejected}))
	}
	return lines
}
