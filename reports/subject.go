package reports

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// SubjectReport writes to w everything Enlace holds on one person, for
// the right of access (RGPD art. 15): the whole ficha, the consent, the
// timeline, the referrals with their history, every reminder, the list of
// attachments (their contents go in the JSON export), the participation
// in RI projects and the audit entries about the person (when, who,
// what). d comes from data.Store.SubjectData.
func SubjectReport(w io.Writer, d data.SubjectData, opt Options) error {
	l := opt.Lang
	name := d.Person.FullName()
	if name == "" {
		name = l.t("(sin nombre)")
	}
	// The title, in every page's header and in the PDF's Title (which
	// viewers, recent-file lists and print queues show), does not name
	// the person; the subtitle, on the first page, does: the copy is for
	// them, and says whose data it holds.
	doc := NewDocument(opt, Info{Title: l.t("Datos personales (derecho de acceso)"),
		Subtitle: name + " · " + l.tf("Todo lo que Enlace guarda sobre esta persona el %s", dateTime(d.Exported)), Personal: true})
	doc.Callout(l.t("Copia de los datos personales que constan en Enlace, entregada a petición de la persona (artículo 15 del RGPD). El archivo JSON que la acompaña contiene los mismos datos y los documentos adjuntos."), false)
	c := subjectCase(d)
	today := data.MadridDate(doc.opt.Now)
	c.personal(doc, today)
	c.document(doc, today)
	c.profile(doc)
	c.indicators(doc, today)
	subjectConsent(doc, &d.Person)
	doc.Fields([]Field{
		{l.t("Ficha creada"), strings.Join(nonEmpty(dateTime(d.Person.CreatedAt), d.Person.CreatedBy), " · ")},
		{l.t("Último cambio"), strings.Join(nonEmpty(dateTime(d.Person.UpdatedAt), d.Person.UpdatedBy), " · ")},
	}, 2)
	c.timeline(doc)
	c.referrals(doc)
	subjectReminders(doc, d)
	subjectAttachments(doc, d)
	subjectRI(doc, d)
	subjectAudit(doc, d)
	return doc.Write(w)
}

// subjectCase lays d out as a case summary's data, with a directory made
// of the names d carries, so that the sections they share print alike.
func subjectCase(d data.SubjectData) *caseData {
	book := &directory{staff: make(map[string]data.Staff, len(d.Names))}
	for id, n := range d.Names {
		book.staff[id] = data.Staff{ID: id, Name: n}
		book.offices = append(book.offices, data.Office{ID: id, Name: n})
		book.prog.Profiles = append(book.prog.Profiles, data.Profile{Code: id, Name: n})
	}
	events := slices.Clone(d.Events)
	slices.Reverse(events) // newest first, as the case summary
	return &caseData{p: d.Person, refs: d.Referrals, events: events, todo: d.Reminders, book: book}
}

func subjectConsent(doc *Document, p *data.Person) {
	l := doc.l
	doc.Heading(l.t("Consentimiento"))
	if p.ConsentDate.IsZero() && !p.ConsentAE && !p.ConsentOMIOPI && p.ConsentHow == "" {
		doc.Paragraph(l.t("No consta ningún consentimiento."))
		return
	}
	doc.Fields([]Field{
		{l.t("Fecha del consentimiento"), p.ConsentDate.String()},
		{l.t("Compartir con la AE"), l.yesNo(p.ConsentAE)},
		{l.t("Compartir con las OMIOPI"), l.yesNo(p.ConsentOMIOPI)},
		{l.t("Cómo se dio"), p.ConsentHow},
	}, 2)
}

func subjectReminders(doc *Document, d data.SubjectData) {
	l := doc.l
	doc.Heading(l.t("Recordatorios"))
	if len(d.Reminders) == 0 {
		doc.Paragraph(l.t("No hay recordatorios."))
		return
	}
	rows := make([][]string, len(d.Reminders))
	for i, r := range d.Reminders {
		state := l.t("Pendiente")
		if !r.Pending() {
			state = l.tf("Hecho el %s", dateTime(r.Done))
		}
		who := strings.Join(nonEmpty(d.Names[r.Assignee], r.AssigneeText), " · ")
		rows[i] = []string{r.Due().Day.String() + " " + r.Due().Clock(), r.Text, who, state}
	}
	doc.Table(Table{Columns: []Column{{Title: l.t("Para el"), Width: 1.7}, {Title: l.t("Qué hay que hacer"), Width: 4.3},
		{Title: l.t("Quién"), Width: 1.8}, {Title: l.t("Estado"), Width: 2}}, Rows: rows})
}

func subjectAttachments(doc *Document, d data.SubjectData) {
	l := doc.l
	doc.Heading(l.t("Documentos adjuntos"))
	if len(d.Attachments) == 0 {
		doc.Paragraph(l.t("No hay documentos adjuntos."))
		return
	}
	rows := make([][]string, len(d.Attachments))
	for i, a := range d.Attachments {
		rows[i] = []string{a.Name, data.FormatSize(a.Size), dateTime(a.CreatedAt), a.CreatedBy, a.Note}
	}
	doc.Table(Table{Columns: []Column{{Title: l.t("Archivo"), Width: 3}, {Title: l.t("Tamaño"), Width: 1.2},
		{Title: l.t("Añadido"), Width: 1.7}, {Title: l.t("Por"), Width: 1.8}, {Title: l.t("Nota"), Width: 2.3}}, Rows: rows})
}

func subjectRI(doc *Document, d data.SubjectData) {
	l := doc.l
	doc.Heading(l.t("Programa RI"))
	if len(d.RI) == 0 {
		doc.Paragraph(l.t("No participa en ningún proyecto del programa RI."))
		return
	}
	rows := make([][]string, len(d.RI))
	for i, x := range d.RI {
		p := x.Participant
		group := ""
		if p.Group > 0 {
			group = fmt.Sprint(p.Group)
		}
		rows[i] = []string{x.Expediente, x.Entity, period(p.OrientationStart, p.OrientationEnd),
			period(p.ContractStart, p.ContractEnd), group, p.Leave.String()}
	}
	doc.Table(Table{Columns: []Column{{Title: l.t("Expediente"), Width: 1.4}, {Title: l.t("Entidad"), Width: 2.4},
		{Title: l.t("Orientación"), Width: 2}, {Title: l.t("Contrato"), Width: 2}, {Title: l.t("Grupo"), Width: 0.8},
		{Title: l.t("Baja definitiva"), Width: 1.4}}, Rows: rows})
}

// period writes from–to, either end possibly unknown.
func period(from, to data.Date) string {
	if from.IsZero() && to.IsZero() {
		return ""
	}
	return from.String() + " – " + to.String()
}

func subjectAudit(doc *Document, d data.SubjectData) {
	l := doc.l
	doc.Heading(l.t("Registro de cambios"))
	if len(d.Audit) == 0 {
		doc.Paragraph(l.t("El registro de cambios no tiene entradas sobre esta persona."))
		return
	}
	doc.Note(l.tf("%d entradas: cada alta, cambio, baja y exportación de sus datos, de la más antigua a la más reciente.", len(d.Audit)))
	rows := make([][]string, len(d.Audit))
	for i, e := range d.Audit {
		rows[i] = []string{dateTime(e.At), e.User, l.t(e.Op.Label()) + " · " + e.Kind, l.auditWhat(e)}
	}
	doc.Table(Table{Columns: []Column{{Title: l.t("Cuándo"), Width: 1.6}, {Title: l.t("Quién"), Width: 1.8},
		{Title: l.t("Qué"), Width: 2}, {Title: l.t("Detalle"), Width: 4.6}}, Rows: rows})
}

// auditWhat is the detail of an entry: what was exported, or the fields
// a change changed.
func (l Lang) auditWhat(e data.AuditEntry) string {
	switch {
	case e.Detail != "":
		return e.Detail
	case e.Op == data.AuditCreate:
		return l.t("Registro nuevo")
	case e.Op == data.AuditDelete:
		return l.t("Registro borrado")
	}
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}
