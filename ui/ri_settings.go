package ui

import (
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// riSettings is the "SMI y festivos" tab of Programa RI: the monthly
// minimum wage by year that prices the subsidy, and the Madrid holidays
// that working-day deadlines skip. Each list is saved with its button.
type riSettings struct {
	u       *App
	root    fyne.CanvasObject
	onSaved func() // after either list is saved

	smiRows []*smiRow
	smiBox  *fyne.Container
	smiMsg  *widget.Label
	smiSave *widget.Button

	holRows []*holidayRow
	holBox  *fyne.Container
	holMsg  *widget.Label
	holSave *widget.Button
}

type smiRow struct {
	year, amount *entry
	obj          fyne.CanvasObject
}

type holidayRow struct {
	date, name *entry
	scope      string
	obj        fyne.CanvasObject
}

func newRISettings(u *App, onSaved func()) *riSettings {
	st := &riSettings{u: u, onSaved: onSaved, smiBox: container.NewVBox(), holBox: container.NewVBox(), smiMsg: wrappedLabel(), holMsg: wrappedLabel()}
	st.smiSave = widget.NewButtonWithIcon(T("Guardar SMI"), theme.DocumentSaveIcon(), st.onSaveSMI)
	st.smiSave.Importance = widget.HighImportance
	st.holSave = widget.NewButtonWithIcon(T("Guardar festivos"), theme.DocumentSaveIcon(), st.onSaveHolidays)
	st.holSave.Importance = widget.HighImportance
	addSMI := widget.NewButtonWithIcon(T("Añadir año"), theme.ContentAddIcon(), func() { st.addSMI(0, 0) })
	addHol := widget.NewButtonWithIcon(T("Añadir festivo"), theme.ContentAddIcon(), func() { st.addHoliday(data.Holiday{}) })
	smi := container.NewVBox(columnHeading(T("Salario mínimo interprofesional (SMI) mensual")),
		smallNote(T("Sin prorrata de pagas extraordinarias. La subvención usa el SMI del año de la convocatoria (art. 7.2.a).")),
		st.smiBox, container.NewHBox(addSMI, st.smiSave), st.smiMsg)
	hol := container.NewVBox(columnHeading(T("Festivos de la ciudad de Madrid")),
		smallNote(T("Los plazos en días hábiles (sustituciones, 5 días hábiles) no cuentan sábados, domingos ni estos días. Añada los de cada año nuevo cuando se publiquen.")),
		st.holBox, container.NewHBox(addHol, st.holSave), st.holMsg)
	st.root = container.NewVScroll(container.NewPadded(container.New(&maxWidthLayout{width: 900},
		container.NewVBox(smi, widget.NewSeparator(), hol))))
	return st
}

// load fills both lists from the store.
func (st *riSettings) load() {
	smi, err := st.u.store.SMITable()
	if err != nil {
		st.u.showError(err)
		return
	}
	hol, err := st.u.store.Holidays()
	if err != nil {
		st.u.showError(err)
		return
	}
	st.smiRows, st.holRows = nil, nil
	st.smiBox.RemoveAll()
	st.holBox.RemoveAll()
	years := make([]int, 0, len(smi))
	for y := range smi {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		st.addSMI(y, smi[y])
	}
	slices.SortFunc(hol, func(a, b data.Holiday) int { return a.Date.Compare(b.Date) })
	for _, h := range hol {
		st.addHoliday(h)
	}
}

func (st *riSettings) addSMI(year int, cents int64) {
	r := &smiRow{year: st.u.newEntry(), amount: st.u.newEntry()}
	r.year.SetPlaceHolder(T("aaaa"))
	r.amount.SetPlaceHolder(T("p. ej. 1.184,00"))
	if year != 0 {
		r.year.SetText(strconv.Itoa(year))
		r.amount.SetText(strings.TrimSuffix(data.FormatEuros(cents), " €"))
	}
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	r.obj = container.NewHBox(fixedWidthBox(90, r.year), fixedWidthBox(140, r.amount), widget.NewLabel(T("€ al mes")), remove)
	remove.OnTapped = func() {
		st.smiRows = slices.DeleteFunc(st.smiRows, func(x *smiRow) bool { return x == r })
		st.smiBox.Remove(r.obj)
	}
	st.smiRows = append(st.smiRows, r)
	st.smiBox.Add(r.obj)
}

func (st *riSettings) addHoliday(h data.Holiday) {
	r := &holidayRow{date: st.u.newDateEntry(), name: st.u.newEntry(), scope: h.Scope}
	r.date.SetText(riDate(h.Date))
	r.name.SetPlaceHolder(T("Nombre del festivo"))
	r.name.SetText(h.Name)
	scope := widget.NewLabel(h.Scope)
	scope.SizeName = theme.SizeNameCaptionText
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	r.obj = container.NewBorder(nil, nil, fixedWidthBox(130, r.date), container.NewHBox(fixedWidthBox(150, scope), remove), r.name)
	remove.OnTapped = func() {
		st.holRows = slices.DeleteFunc(st.holRows, func(x *holidayRow) bool { return x == r })
		st.holBox.Remove(r.obj)
	}
	st.holRows = append(st.holRows, r)
	st.holBox.Add(r.obj)
}

// onSaveSMI stores the table as typed; a year or amount that is not one
// is said under the list and nothing is saved.
func (st *riSettings) onSaveSMI() {
	t := data.SMITable{}
	var bad []string
	for _, r := range st.smiRows {
		y, err := strconv.Atoi(strings.TrimSpace(r.year.Text))
		if err != nil {
			bad = append(bad, T("El año «{{.Text}}» no es un año: escríbalo con cuatro cifras.", map[string]any{"Text": r.year.Text}))
			continue
		}
		c, err := data.ParseEuros(r.amount.Text)
		if err != nil {
			bad = append(bad, dataErrorText(err))
			continue
		}
		if _, dup := t[y]; dup {
			bad = append(bad, T("El año {{.Year}} está dos veces.", map[string]any{"Year": y}))
		}
		t[y] = c
	}
	var err error
	if len(bad) == 0 {
		err = st.u.store.SaveSMITable(t, st.u.Author())
	}
	st.outcome(st.smiMsg, bad, err, T("SMI guardado: {{.N}} años.", map[string]any{"N": len(t)}))
}

// onSaveHolidays stores the holidays as typed (the working-day deadlines
// and their reminders move with them).
func (st *riSettings) onSaveHolidays() {
	var h data.Holidays
	var bad []string
	for _, r := range st.holRows {
		d, err := data.ParseDate(r.date.Text)
		if err != nil {
			bad = append(bad, dataErrorText(err))
			continue
		}
		h = append(h, data.Holiday{Date: d, Name: r.name.Text, Scope: r.scope})
	}
	var err error
	if len(bad) == 0 {
		err = st.u.store.SaveHolidays(h, st.u.Author())
	}
	st.outcome(st.holMsg, bad, err, T("Festivos guardados: {{.N}}.", map[string]any{"N": len(h)}))
}

// outcome says under a list what saving it did. Mistakes read from the
// fields come first; then the store's validation; else ok.
func (st *riSettings) outcome(l *widget.Label, bad []string, err error, ok string) {
	switch {
	case len(bad) > 0:
		l.SetText(strings.Join(bad, " "))
		l.Importance = widget.DangerImportance
	case err != nil:
		l.SetText(ErrorMessage(err))
		l.Importance = widget.DangerImportance
		var ve *data.ValidationError
		if !errors.As(err, &ve) {
			st.u.showError(err)
		}
	default:
		st.onSaved() // reloads the lists, sorted, and what they price
		l.SetText(ok)
		l.Importance = widget.SuccessImportance
	}
	l.Refresh()
}
