package reports

import (
	"fmt"
	"io"
	"strconv"

	"github.com/enlace-madrid/enlace/data"
)

// The RI programme's documents: the tutors' selection record (Anexo II)
// and the subsidy estimate sheet of a project.

// riOrder names the order the documents apply.
const riOrder = "Orden de 30 de agosto de 2017, modificada por la Orden de 27 de junio de 2018"

// RISelection writes the selection record of insertion tutors (Anexo II,
// art. 17.4) of the project named by ref (its ID or its expediente,
// RI/n/año) to w: the selected candidates by score, with name, DNI,
// score, expediente and beneficiary entity, and boxes to sign.
//
// It returns data.ErrNotFound when there is no such project.
func RISelection(w io.Writer, s *data.Store, ref string, opt Options) error {
	p, err := s.FindRIProject(ref)
	if err != nil {
		return err
	}
	l := opt.Lang
	doc := NewDocument(opt, Info{
		Title:    l.t("Acta de selección de tutores de inserción"),
		Subtitle: joinDot(l.t("Anexo II"), l.tf("Expediente %s", p.Expediente()), p.Entity),
		Personal: true,
	})
	doc.Fields([]Field{
		{l.t("Entidad beneficiaria"), p.Entity},
		{l.t("Expediente"), p.Expediente()},
		{l.t("Convocatoria"), strconv.Itoa(p.SMIYear())},
		{l.t("Fecha del acta"), l.longDate(data.MadridDate(doc.opt.Now))},
	}, 2)
	doc.Paragraph(l.tf("De acuerdo con el artículo 17 de la %s (Programa de reactivación e inserción laboral para personas desempleadas de larga duración), la entidad beneficiaria selecciona como tutores de inserción del proyecto a las personas candidatas siguientes de la lista única de candidatos, por orden de puntuación:", l.t(riOrder)))
	rows := p.SelectionRows()
	if len(rows) == 0 {
		doc.Callout(l.t("Todavía no hay tutores seleccionados en este proyecto: añádalos en la pestaña Tutores del proyecto."), false)
	} else {
		table := make([][]string, len(rows))
		for i, r := range rows {
			table[i] = []string{strconv.Itoa(i + 1), r.Name, r.DNI, r.Score, r.Expediente, r.Entity}
		}
		doc.Table(Table{Columns: []Column{
			{Title: l.t("N.º"), Width: 0.5, Align: AlignRight}, {Title: l.t("Apellidos y nombre"), Width: 3.2},
			{Title: l.t("DNI/NIE"), Width: 1.5}, {Title: l.t("Puntuación"), Width: 1.2, Align: AlignRight},
			{Title: l.t("Expediente"), Width: 1.5}, {Title: l.t("Entidad beneficiaria"), Width: 3},
		}, Rows: table})
	}
	doc.Note(l.t("Los tutores que sustituyen a otro no figuran en este acta: su contratación se comunica con el Anexo II-bis (art. 17.5)."))
	doc.Paragraph(l.t("Y para que así conste, se firma la presente acta."))
	doc.Space(4)
	doc.Signatures([]string{l.t("Por la entidad beneficiaria"), l.t("Secretaría de la comisión de selección")})
	return doc.Write(w)
}

// RIEstimate writes the subsidy estimate sheet of the project named by ref
// (its ID or expediente) to w: every line with concept, who, subsidised
// period, months or hours, rate, amount and the rule and article that
// gave it; subtotals per concept, the total, the SMI used, and the
// requirements the project does not meet (RIProject.Check).
//
// It returns data.ErrNotFound when there is no such project, or no SMI
// for its call year.
func RIEstimate(w io.Writer, s *data.Store, ref string, opt Options) error {
	e, err := s.RIEstimate(ref)
	if err != nil {
		return err
	}
	p, err := s.FindRIProject(e.ProjectID)
	if err != nil {
		return err
	}
	hol, err := s.Holidays()
	if err != nil {
		return err
	}
	l := opt.Lang
	doc := NewDocument(opt, Info{
		Title:    l.t("Estimación de la subvención"),
		Subtitle: joinDot(l.tf("Expediente %s", e.Expediente), e.Entity),
		Personal: true,
	})
	today := data.MadridDate(doc.opt.Now)
	findings := p.Check(today, hol, s.RINames(&p))
	doc.Figures([]Figure{
		{strconv.Itoa(e.Referred), l.t("participantes derivados")},
		{strconv.Itoa(e.TutorsRequired), l.t("tutores necesarios")},
		{strconv.Itoa(len(p.Tutors)), l.t("tutores en el proyecto")},
		{strconv.Itoa(len(findings)), l.t("avisos")},
	})
	doc.Callout(l.tf("Total estimado: %s (tutores de inserción %s · contratos %s · formación %s)", data.FormatEuros(e.Total),
		data.FormatEuros(e.Tutors), data.FormatEuros(e.Contracts), data.FormatEuros(e.Training)), true)
	doc.Fields([]Field{
		{l.t("Entidad beneficiaria"), e.Entity},
		{l.t("Expediente"), e.Expediente},
		{l.t("SMI aplicado"), l.tf("%d: %s al mes, sin prorrata de pagas extraordinarias (art. 7.2.a)", e.SMIYear, data.FormatEuros(e.SMI))},
		{l.t("Situación a"), today.String()},
	}, 2)
	for _, c := range []struct {
		concept data.RIConcept
		title   string
		total   int64
	}{
		{data.RIConceptTutor, l.t("Tutores de inserción (art. 7.2.a.i)"), e.Tutors},
		{data.RIConceptContract, l.t("Contratos de participantes (art. 7.2.a.ii y iii)"), e.Contracts},
		{data.RIConceptTraining, l.t("Formación (art. 7.2.b)"), e.Training},
	} {
		riEstimateSection(doc, &e, c.concept, c.title, c.total)
	}
	doc.Heading(l.t("Total"))
	doc.Table(Table{
		Columns: []Column{{Title: l.t("Concepto"), Width: 5}, {Title: l.t("Importe"), Width: 2, Align: AlignRight}},
		Rows: [][]string{{l.t("Tutores de inserción"), data.FormatEuros(e.Tutors)},
			{l.t("Contratos de participantes"), data.FormatEuros(e.Contracts)}, {l.t("Formación"), data.FormatEuros(e.Training)}},
		Total: []string{l.t("Total estimado"), data.FormatEuros(e.Total)},
	})
	riFindings(doc, findings, e.Notes)
	doc.Note(l.tf("Estimación orientativa según el artículo 7 de la %s. La cuantía la fija la resolución de concesión.", l.t(riOrder)))
	return doc.Write(w)
}

// riEstimateSection writes the lines of one concept with their subtotal.
func riEstimateSection(doc *Document, e *data.RIEstimate, concept data.RIConcept, title string, total int64) {
	l := doc.l
	var rows [][]string
	for _, ln := range e.Lines {
		if ln.Concept != concept {
			continue
		}
		period, unit := "", l.t("/mes")
		if !ln.From.IsZero() {
			period = ln.From.String() + " – " + ln.To.String()
		}
		if concept == data.RIConceptTraining {
			unit = l.t("/h")
		}
		rows = append(rows, []string{ln.Who, period, l.riPeriod(ln), data.FormatEuros(ln.Rate) + unit, data.FormatEuros(ln.Amount), ln.Rule})
	}
	if len(rows) == 0 {
		return
	}
	who := l.t("Participante")
	if concept == data.RIConceptTutor {
		who = l.t("Tutor/a")
	}
	doc.Heading(title)
	doc.Table(Table{Columns: []Column{
		{Title: who, Width: 2.2}, {Title: l.t("Periodo"), Width: 1.9}, {Title: l.t("Meses u horas"), Width: 1.35},
		{Title: l.t("Tarifa"), Width: 1.9, Align: AlignRight}, {Title: l.t("Importe"), Width: 1.7, Align: AlignRight},
		{Title: l.t("Regla aplicada"), Width: 4.8},
	}, Rows: rows, Size: 7.5, Total: []string{l.tf("Subtotal (%d líneas)", len(rows)), "", "", "", data.FormatEuros(total), ""}})
}

// riFindings writes what the project does not meet and the estimate's
// notes.
func riFindings(doc *Document, findings []data.RIFinding, notes []string) {
	l := doc.l
	doc.Heading(l.t("Avisos"))
	if len(findings) == 0 {
		doc.Paragraph(l.t("El proyecto cumple los requisitos de la Orden que Enlace comprueba."))
	} else {
		items := make([]string, len(findings))
		for i, f := range findings {
			items[i] = f.Message
		}
		doc.Bullets(items)
	}
	if len(notes) > 0 {
		doc.Subheading(l.t("Notas del cálculo"))
		doc.Bullets(notes)
	}
}

// riPeriod is a line's months and days, or hours: "11 meses y 10 días",
// "11 months 10 days", "100 h".
func (l Lang) riPeriod(ln data.RIEstimateLine) string {
	if l != English {
		return ln.Period()
	}
	if ln.Concept == data.RIConceptTraining {
		return fmt.Sprintf("%d h", ln.Hours)
	}
	unit := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case ln.Days == 0:
		return unit(ln.Months, "month", "months")
	case ln.Months == 0:
		return unit(ln.Days, "day", "days")
	}
	return unit(ln.Months, "month", "months") + " " + unit(ln.Days, "day", "days")
}
