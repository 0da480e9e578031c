package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// riEstimateCols are the column weights of the estimate's lines.
var riEstimateCols = []float32{2.4, 2.4, 1.6, 1.6, 1.4}

// riEstimateTab is "Avisos y estimación": the requirements the shown
// project does not meet (RIProject.Check) and its subsidy estimate line
// by line, each with the rule that gave it, subtotals and the total.
type riEstimateTab struct {
	s        *riScreen
	findings *fyne.Container
	smi      *widget.Label
	lines    *fyne.Container
	total    *widget.Label
	scroll   *container.Scroll
	root     fyne.CanvasObject
}

func newRIEstimateTab(s *riScreen) *riEstimateTab {
	et := &riEstimateTab{s: s, findings: container.NewVBox(), lines: container.NewVBox(), smi: wrappedLabel()}
	et.total = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	et.total.SizeName = theme.SizeNameSubHeadingText
	et.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(
		columnHeading(T("Avisos")), et.findings, widget.NewSeparator(),
		columnHeading(T("Estimación de la subvención")), et.total, et.smi, et.lines)))
	et.root = et.scroll
	return et
}

// show computes the findings and the estimate of the shown project.
func (et *riEstimateTab) show() {
	s := et.s
	et.findings.RemoveAll()
	et.lines.RemoveAll()
	hol, err := s.u.store.Holidays()
	if err != nil {
		s.u.showError(err)
		return
	}
	findings := s.cur.Check(s.u.store.Today(), hol, s.names)
	if len(findings) == 0 {
		l := wrappedLabel()
		l.SetText(T("El proyecto cumple los requisitos de la Orden que Enlace comprueba."))
		l.Importance = widget.SuccessImportance
		et.findings.Add(l)
	}
	for _, f := range findings {
		l := wrappedLabel()
		l.SetText("• " + dataText(f.Message))
		l.Importance = widget.WarningImportance
		et.findings.Add(l)
	}
	smi, err := s.u.store.SMITable()
	if err != nil {
		s.u.showError(err)
		return
	}
	e, err := s.cur.Estimate(smi, s.names)
	if err != nil {
		et.total.SetText(T("Sin estimación"))
		et.smi.SetText(T("No hay SMI de {{.Year}}: añádalo en la pestaña «SMI y festivos» para calcular la subvención.", map[string]any{"Year": s.cur.SMIYear()}))
		return
	}
	et.total.SetText(T("Total estimado: {{.Total}}", map[string]any{"Total": data.FormatEuros(e.Total)}))
	et.smi.SetText(T("SMI {{.Year}}: {{.Amount}} al mes (art. 7.2.a) · participantes derivados: {{.N}} · tutores necesarios: {{.K}}",
		map[string]any{"Year": e.SMIYear, "Amount": data.FormatEuros(e.SMI), "N": e.Referred, "K": e.TutorsRequired}))
	for _, c := range []struct {
		concept data.RIConcept
		title   string
		total   int64
	}{
		{data.RIConceptTutor, T("Tutores de inserción (art. 7.2.a.i)"), e.Tutors},
		{data.RIConceptContract, T("Contratos de participantes (art. 7.2.a.ii y iii)"), e.Contracts},
		{data.RIConceptTraining, T("Formación (art. 7.2.b)"), e.Training},
	} {
		et.section(&e, c.concept, c.title, c.total)
	}
	for _, n := range e.Notes {
		et.lines.Add(smallNote(n))
	}
	et.scroll.Refresh()
}

// section adds the lines of one concept under a heading, with their
// subtotal.
func (et *riEstimateTab) section(e *data.RIEstimate, concept data.RIConcept, title string, total int64) {
	var rows []fyne.CanvasObject
	for _, ln := range e.Lines {
		if ln.Concept != concept {
			continue
		}
		unit := T("/mes")
		if concept == data.RIConceptTraining {
			unit = T("/h")
		}
		period := ""
		if !ln.From.IsZero() {
			period = ln.From.String() + " – " + ln.To.String()
		}
		cells := container.New(&weightedColumns{weights: riEstimateCols})
		for i, t := range []string{ln.Who, period, ln.Period(), data.FormatEuros(ln.Rate) + unit, data.FormatEuros(ln.Amount)} {
			l := widget.NewLabel(t)
			l.Truncation = fyne.TextTruncateEllipsis
			if i == 4 {
				l.Alignment = fyne.TextAlignTrailing
				l.TextStyle.Bold = true
			}
			cells.Add(l)
		}
		rule := wrappedLabel()
		rule.SetText(ln.Rule)
		rule.SizeName = theme.SizeNameCaptionText
		rows = append(rows, cells, rule, widget.NewSeparator())
	}
	if len(rows) == 0 {
		return
	}
	amount := columnHeading(T("Importe"))
	amount.Alignment = fyne.TextAlignTrailing
	head := container.New(&weightedColumns{weights: riEstimateCols}, columnHeading(T("Persona")), columnHeading(T("Periodo")),
		columnHeading(T("Meses u horas")), columnHeading(T("Tarifa")), amount)
	sub := widget.NewLabelWithStyle(T("Subtotal: {{.Amount}}", map[string]any{"Amount": data.FormatEuros(total)}),
		fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	et.lines.Add(heading)
	et.lines.Add(head)
	et.lines.Add(widget.NewSeparator())
	for _, r := range rows {
		et.lines.Add(r)
	}
	et.lines.Add(sub)
}
