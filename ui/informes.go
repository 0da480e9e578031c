package ui

import (
	"fmt"
	"io"
	"log"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// reportsScreen is the Informes tab: the programme's statistics over a
// range of referral dates (reports.Statistics) as key figures, the
// profile table and bar charts; the exports of people and referrals; and
// what the database holds.
type reportsScreen struct {
	u    *App
	root fyne.CanvasObject

	from, to       *entry
	update         *widget.Button
	problem        *widget.Label // why the dates cannot be used
	period         *widget.Label
	pdf            *widget.Button
	exportPeople   *widget.Button
	exportReferral *widget.Button

	total, fromAE, fromOMIOPI, excluded, inProgramme, target *widget.Card
	progress                                                 *widget.ProgressBar
	medians                                                  *widget.Label
	profiles                                                 *fyne.Container
	profilesNote                                             *widget.Label // how the profiles' targets relate to the programme's
	charts                                                   map[string]*barChart
	counts                                                   *widget.Label

	stats   reports.Stats  // the figures on show
	seq     int            // refreshes started; only the last one's result is shown
	working sync.WaitGroup // counts and exports in the background (tests wait on it)
}

// Chart keys, in the order the grid shows them.
var reportCharts = []string{"states", "reasons", "nationality", "education", "gender", "age", "area", "outcome"}

// maxCountries is how many nationalities the chart names; the rest are
// added up in one bar.
const maxCountries = 10

func newReportsScreen(u *App) *reportsScreen {
	s := &reportsScreen{u: u, charts: map[string]*barChart{}}
	s.from, s.to = u.newDateEntry(), u.newDateEntry()
	if prog, err := u.store.Programme(); err == nil && !prog.Start.IsZero() {
		s.from.SetText(prog.Start.String())
	}
	s.to.SetText(u.store.Today().String())
	s.update = widget.NewButtonWithIcon(T("Actualizar"), theme.ViewRefreshIcon(), s.refresh)
	s.update.Importance = widget.HighImportance
	s.problem = widget.NewLabel("")
	s.problem.Importance = widget.DangerImportance
	s.problem.Hide()
	s.period = widget.NewLabel("")
	s.period.Wrapping = fyne.TextWrapWord
	s.pdf = widget.NewButtonWithIcon(T("Informe PDF…"), theme.DocumentPrintIcon(), s.onPDF)
	s.pdf.Disable() // until the figures are counted
	s.exportPeople = u.gate(widget.NewButtonWithIcon(T("Exportar personas…"), theme.DownloadIcon(), func() { s.onExportMenu(exportPeople) }), data.PermExport)
	s.exportReferral = u.gate(widget.NewButtonWithIcon(T("Exportar derivaciones…"), theme.DownloadIcon(), func() { s.onExportMenu(exportReferrals) }), data.PermExport)

	card := func(caption string) *widget.Card { return widget.NewCard("0", caption, nil) }
	s.total, s.fromAE, s.fromOMIOPI = card(T("derivaciones recibidas")), card(T("desde la AE")), card(T("desde las OMIOPI"))
	s.excluded, s.inProgramme, s.target = card(T("excluidas")), card(T("en el programa")), card(T("del objetivo"))
	s.progress = widget.NewProgressBar()
	s.medians = widget.NewLabel("")
	s.medians.Wrapping = fyne.TextWrapWord
	s.profiles = container.New(&columnsLayout{ncols: 5})
	s.profilesNote = wrappedLabel()
	for _, k := range reportCharts {
		s.charts[k] = newBarChart(T("Sin derivaciones en estas fechas."))
	}
	s.counts = widget.NewLabel("")
	s.counts.Wrapping = fyne.TextWrapWord
	s.root = s.layout()
	return s // the figures are counted when the tab is first shown
}

func (s *reportsScreen) layout() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(T("Informes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	dateBox := func(e *entry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(150, e.MinSize().Height), e)
	}
	dates := container.NewHBox(widget.NewLabel(T("Derivaciones desde")), dateBox(s.from),
		widget.NewLabel(T("hasta")), dateBox(s.to), s.update)
	actions := container.NewHBox(s.pdf, s.exportPeople, s.exportReferral)
	head := container.NewBorder(nil, nil, title, actions)

	figures := container.NewGridWithColumns(6, s.total, s.fromAE, s.fromOMIOPI, s.excluded, s.inProgramme, s.target)
	target := container.NewBorder(nil, nil, widget.NewLabel(T("Avance hacia el objetivo del programa:")), nil, s.progress)

	heading := func(text string) *widget.Label {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.SizeName = theme.SizeNameSubHeadingText
		return l
	}
	chartCard := func(title, key string) fyne.CanvasObject {
		return widget.NewCard("", title, container.NewPadded(s.charts[key]))
	}
	// One grid per pair, so that each pair is as tall as its longer chart.
	pair := func(a, b fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWithColumns(2, a, b) }
	grid := container.NewVBox(
		pair(chartCard(T("Situación de las derivaciones"), "states"), chartCard(T("Exclusiones por motivo"), "reasons")),
		pair(chartCard(T("Por nacionalidad"), "nationality"), chartCard(T("Por nivel de estudios"), "education")),
		pair(chartCard(T("Por género"), "gender"), chartCard(T("Por edad en la fecha de la derivación"), "age")),
		pair(chartCard(T("Por área (una derivación puede ir a varias)"), "area"), chartCard(T("Por resultado (derivaciones cerradas)"), "outcome")),
	)
	body := container.NewVBox(head, dates, s.problem, s.period, figures, target, s.medians,
		widget.NewSeparator(), heading(T("Perfiles: objetivo de cada perfil y resultado")), s.profiles, s.profilesNote,
		widget.NewSeparator(), grid,
		widget.NewSeparator(), heading(T("Contenido de la base de datos")), s.counts)
	return container.NewVScroll(container.NewPadded(body))
}

// content returns the screen's root object; the same object every call.
func (s *reportsScreen) content() fyne.CanvasObject { return s.root }

// period reads the date entries; the error is a sentence for the user.
func (s *reportsScreen) readPeriod() (reports.Period, error) {
	from, err := data.ParseDate(s.from.Text)
	if err != nil {
		return reports.Period{}, err
	}
	to, err := data.ParseDate(s.to.Text)
	if err != nil {
		return reports.Period{}, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return reports.Period{}, fmt.Errorf("%s", T("La fecha «hasta» es anterior a la fecha «desde»."))
	}
	return reports.Period{From: from, To: to}, nil
}

// refresh recounts the statistics over the dates in the entries: what
// "Actualizar" does, and what showing the tab does. The counting runs in
// the background (about a second with 100,000 people) with the button
// disabled; a result overtaken by a later refresh is dropped.
func (s *reportsScreen) refresh() {
	p, err := s.readPeriod()
	if err != nil {
		s.problem.SetText(dataErrorText(err))
		s.problem.Show()
		return
	}
	s.problem.Hide()
	s.seq++
	seq := s.seq
	s.update.Disable()
	s.pdf.Disable()
	s.period.SetText(T("Contando…"))
	s.working.Add(1)
	go func() {
		defer s.working.Done()
		st, err := reports.Statistics(s.u.store, p)
		var c data.Counts
		if err == nil {
			c, err = s.u.store.Count()
		}
		fyne.Do(func() {
			if seq != s.seq {
				return
			}
			s.update.Enable()
			if err != nil {
				s.period.SetText("")
				s.u.showError(err)
				return
			}
			s.show(st)
			s.pdf.Enable()
			s.counts.SetText(T("{{.People}} fichas de personas · {{.Events}} anotaciones en los historiales · {{.Offices}} oficinas · {{.Staff}} miembros del personal. Contado a las {{.Time}}.",
				map[string]any{"People": number(c.People), "Events": number(c.Events), "Offices": number(c.Offices), "Staff": number(c.Staff),
					"Time": s.u.store.Now().In(data.Madrid()).Format("15:04")}))
		})
	}()
}

// show puts st on screen.
func (s *reportsScreen) show(st reports.Stats) {
	s.stats = st
	s.period.SetText(T("Derivaciones con fecha {{.Period}}: {{.Total}}. Cada una cuenta en el estado en que está hoy.",
		map[string]any{"Period": periodText(st.Period), "Total": number(st.Total)}))
	s.total.SetTitle(number(st.Total))
	s.fromAE.SetTitle(number(st.FromAE))
	s.fromOMIOPI.SetTitle(number(st.FromOMIOPI))
	s.excluded.SetTitle(number(st.Excluded))
	s.inProgramme.SetTitle(number(st.InProgramme))
	s.target.SetTitle(strconv.Itoa(st.TargetPct) + " %")
	s.target.SetSubTitle(T("del objetivo ({{.Total}} de {{.Target}})", map[string]any{"Total": number(st.Total), "Target": number(st.Target)}))
	progress := T("{{.Total}} de {{.Target}} derivaciones ({{.Pct}} %)",
		map[string]any{"Total": number(st.Total), "Target": number(st.Target), "Pct": st.TargetPct})
	s.progress.TextFormatter = func() string { return progress }
	s.progress.SetValue(min(float64(st.TargetPct)/100, 1))
	s.medians.SetText(T("Mediana desde la derivación hasta el primer contacto: {{.Contact}} ({{.N}} de {{.Of}} derivaciones con contacto). Hasta la decisión de la coordinación: {{.Decision}} ({{.D}} decididas).",
		map[string]any{"Contact": daysText(st.ToFirstContact), "N": st.ToFirstContact.N, "Of": st.ToFirstContact.Of,
			"Decision": daysText(st.ToDecision), "D": st.ToDecision.N}))
	s.showProfiles(st)
	s.charts["states"].setItems([]barItem{
		{label: T("Incluidas por la coordinación"), value: st.Included, text: share(st.Included, st.Total)},
		{label: T("Pendientes de decisión"), value: st.Pending, text: share(st.Pending, st.Total)},
		{label: T("No verificadas por la jefatura"), value: st.NotVerified, text: share(st.NotVerified, st.Total)},
		{label: T("Excluidas"), value: st.Excluded, text: share(st.Excluded, st.Total)},
		{label: T("Bajas voluntarias"), value: st.Withdrawn, text: share(st.Withdrawn, st.Total)},
	})
	s.charts["reasons"].setItems(countItems(st.ExcludedBy, st.Excluded, false))
	s.charts["nationality"].setItems(countItems(topCountries(st.ByNationality), st.Total, false))
	s.charts["education"].setItems(countItems(st.ByEducation, st.Total, false))
	s.charts["gender"].setItems(countItems(st.ByGender, st.Total, true))
	s.charts["age"].setItems(countItems(st.ByAge, st.Total, true))
	s.charts["area"].setItems(countItems(st.ByArea, st.Total, false))
	closed := 0
	for _, c := range st.ByOutcome {
		closed += c.N
	}
	s.charts["outcome"].setItems(countItems(st.ByOutcome, closed, false))
}

// showProfiles fills the pilot's table: profile, target, referrals,
// in the programme, and a bar of the referrals against the target.
func (s *reportsScreen) showProfiles(st reports.Stats) {
	bold := func(text string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	}
	cells := []fyne.CanvasObject{
		widget.NewLabelWithStyle(T("Perfil"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		bold(T("Objetivo")), bold(T("Derivaciones")), bold(T("En el programa")),
		widget.NewLabelWithStyle(T("Derivaciones frente al objetivo"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	}
	num := func(n int) fyne.CanvasObject {
		return widget.NewLabelWithStyle(number(n), fyne.TextAlignTrailing, fyne.TextStyle{})
	}
	for _, p := range st.ByProfile {
		name := widget.NewLabel(p.Name)
		name.Truncation = fyne.TextTruncateEllipsis
		chart := newBarChart("")
		text := strconv.Itoa(p.Result)
		if p.Target > 0 {
			text = fmt.Sprintf("%d %%", (p.Result*100+p.Target/2)/p.Target)
		}
		chart.setItems([]barItem{{value: p.Result, target: p.Target, text: text}})
		cells = append(cells, name, num(p.Target), num(p.Result), num(p.InProgramme),
			container.NewGridWrap(fyne.NewSize(260, chart.MinSize().Height), chart))
	}
	s.profiles.Objects = cells
	s.profiles.Refresh()
	s.profilesNote.SetText(profilesNote(st))
}

// profilesNote says how the profiles' targets relate to the programme's,
// so that two different "objetivos" on one screen are not a puzzle.
func profilesNote(st reports.Stats) string {
	sum := st.ProfileTargets()
	if sum == st.Target || len(st.ByProfile) == 0 {
		return T("El objetivo del programa ({{.Target}} derivaciones) es la suma de los objetivos de los perfiles.", map[string]any{"Target": number(st.Target)})
	}
	return T("Los objetivos de los perfiles suman {{.Sum}} derivaciones; el objetivo del programa, arriba, es {{.Target}} en total. Ambos se cambian en Programa.",
		map[string]any{"Sum": number(sum), "Target": number(st.Target)})
}

// countItems turns a breakdown into bars, with each one's share of total.
// skipZero leaves out empty groups (an empty "no consta" says nothing).
func countItems(cs []reports.Count, total int, skipZero bool) []barItem {
	var out []barItem
	for _, c := range cs {
		if c.N == 0 && (skipZero || c.Key == reports.KeyUnknown) {
			continue
		}
		out = append(out, barItem{label: c.Label, value: c.N, text: share(c.N, total)})
	}
	return out
}

// topCountries keeps the maxCountries most frequent nationalities and adds
// the others up in one bar.
func topCountries(cs []reports.Count) []reports.Count {
	if len(cs) <= maxCountries+1 {
		return cs
	}
	rest := reports.Count{Key: "otras"}
	for _, c := range cs[maxCountries:] {
		rest.N += c.N
	}
	rest.Label = T("Otras ({{.N}} nacionalidades)", map[string]any{"N": len(cs) - maxCountries})
	return append(cs[:maxCountries:maxCountries], rest)
}

// daysText writes a median number of days: "1 día", "2,5 días", "sin datos".
func daysText(m reports.Median) string {
	if m.N == 0 {
		return T("sin datos")
	}
	d := strings.Replace(strconv.FormatFloat(m.Days, 'f', -1, 64), ".", ",", 1)
	if m.Days == 1 {
		return T("1 día")
	}
	return T("{{.Days}} días", map[string]any{"Days": d})
}

// periodText writes p as the statistics' heading does.
func periodText(p reports.Period) string {
	switch {
	case p.From.IsZero() && p.To.IsZero():
		return T("cualquiera")
	case p.From.IsZero():
		return T("hasta el {{.To}}", map[string]any{"To": p.To.String()})
	case p.To.IsZero():
		return T("desde el {{.From}}", map[string]any{"From": p.From.String()})
	}
	return T("del {{.From}} al {{.To}}", map[string]any{"From": p.From.String(), "To": p.To.String()})
}

// onPDF saves the statistics on show as a PDF report.
func (s *reportsScreen) onPDF() {
	st := s.stats
	name := T("Estadísticas {{.Period}}", map[string]any{"Period": periodText(st.Period)})
	s.u.savePDF(name, func(w io.Writer, opt reports.Options) error { return reports.StatsReport(w, st, opt) })
}

// exportKind says what an export holds.
type exportKind int

const (
	exportPeople exportKind = iota
	exportReferrals
)

// onExportMenu offers the two formats under the button pressed.
func (s *reportsScreen) onExportMenu(kind exportKind) {
	btn := s.exportPeople
	if kind == exportReferrals {
		btn = s.exportReferral
	}
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(T("Excel (.xlsx)"), func() { s.onExport(kind, reports.XLSX) }),
		fyne.NewMenuItem(T("CSV (texto separado por «;», se abre con Excel)"), func() { s.onExport(kind, reports.CSV) }),
	)
	c := fyne.CurrentApp().Driver().CanvasForObject(btn)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(menu, c, fyne.NewPos(0, btn.Size().Height), btn)
}

// onExport asks where to save and writes the file there.
func (s *reportsScreen) onExport(kind exportKind, f reports.Format) {
	p, err := s.readPeriod()
	if err != nil && kind == exportReferrals {
		s.problem.SetText(dataErrorText(err))
		s.problem.Show()
		return
	}
	d := s.u.fileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		s.export(w, w.URI().Name(), kind, p, f)
	})
	d.SetFileName(exportName(kind, p, f, s.u.store.Today()))
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(f)}))
	s.u.showDialog(d)
}

// exportName is the file name offered: personas-2026-11-25.xlsx,
// derivaciones-2022-09-01-a-2022-12-31.csv.
func exportName(kind exportKind, p reports.Period, f reports.Format, today data.Date) string {
	if kind == exportPeople {
		return "personas-" + today.ISO() + "." + string(f)
	}
	name := "derivaciones"
	if !p.From.IsZero() {
		name += "-" + p.From.ISO()
	}
	to := p.To
	if to.IsZero() {
		to = today
	}
	return name + "-a-" + to.ISO() + "." + string(f)
}

// export writes the file in the background behind a progress dialog and
// says how many rows it wrote, or what went wrong.
func (s *reportsScreen) export(w io.WriteCloser, name string, kind exportKind, p reports.Period, f reports.Format) {
	wait := dialog.NewCustomWithoutButtons(T("Exportando…"), widget.NewProgressBarInfinite(), s.u.win)
	s.u.showDialog(wait)
	s.working.Add(1)
	go func() {
		defer s.working.Done()
		var n int
		var err error
		if kind == exportPeople {
			n, err = reports.ExportPeople(w, s.u.store, f)
		} else {
			n, err = reports.ExportReferrals(w, s.u.store, p, f)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			wait.Hide()
			if err != nil {
				log.Printf("exportar %s: %v", name, err)
				s.u.showDialog(dialog.NewError(fmt.Errorf("%s", T("No se ha podido exportar: {{.Err}}", map[string]any{"Err": ErrorMessage(err)})), s.u.win))
				return
			}
			what := T("{{.N}} personas", map[string]any{"N": n})
			if kind == exportReferrals {
				what = T("{{.N}} derivaciones", map[string]any{"N": n})
			}
			where := name
			if wc, ok := w.(fyne.URIWriteCloser); ok {
				where = wc.URI().Path()
				s.u.saved.show(T("Archivo"), wc.URI())
			}
			s.u.showDialog(dialog.NewInformation(T("Exportación terminada"),
				T("Se han guardado {{.What}} en {{.Name}}.", map[string]any{"What": what, "Name": where}), s.u.win))
		})
	}()
}
