package reports

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// FollowUpQuery chooses whose referrals a follow-up report covers: those
// of an office, of a technician, or of a technician in an office. At
// least one of the two must be set.
type FollowUpQuery struct {
	OfficeID string
	StaffID  string
}

// FollowUp writes the follow-up report of a referring office or
// technician to w: each person they referred, with the referral's state,
// area, the last contact with the person and the outcome, and totals.
//
// It returns data.ErrNotFound for an unknown office or staff member and a
// *data.ValidationError when q names neither.
func FollowUp(w io.Writer, s *data.Store, q FollowUpQuery, opt Options) error {
	if q.OfficeID == "" && q.StaffID == "" {
		return &data.ValidationError{Fields: []data.FieldError{{Field: "Office",
			Message: "Elija la oficina o el técnico/a del informe de seguimiento."}}}
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	opt.Now = opt.Now.In(data.Madrid())
	l := opt.Lang
	var who []string
	if q.OfficeID != "" {
		o, err := s.Office(q.OfficeID)
		if err != nil {
			return err
		}
		who = append(who, o.Name)
	}
	if q.StaffID != "" {
		st, err := s.StaffMember(q.StaffID)
		if err != nil {
			return err
		}
		who = append([]string{st.Name}, who...)
	}
	refs, err := s.Referrals(data.ReferralFilter{OfficeID: q.OfficeID, StaffID: q.StaffID})
	if err != nil {
		return err
	}
	book, err := loadDirectory(s)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(refs))
	var tally followUpTally
	for _, r := range refs {
		card, err := s.Card(r.PersonID)
		if err != nil {
			return fmt.Errorf("derivación %s: %w", r.ID, err)
		}
		last, err := s.LastContact(r.PersonID)
		if err != nil {
			return err
		}
		tally.add(&r)
		row := []string{card.FullName()}
		if q.StaffID == "" {
			row = append(row, book.staff[r.StaffID].Name)
		}
		rows = append(rows, append(row, r.Date.String(), l.t(r.Status.Label()),
			l.areas(r.Areas), shortDate(last), l.outcome(&r)))
	}

	doc := NewDocument(opt, Info{
		Title:    l.t("Informe de seguimiento"),
		Subtitle: joinDot(who...) + " · " + l.tf("situación a %s", data.MadridDate(opt.Now)),
		Personal: true,
	})
	doc.Paragraph(l.t("Situación de cada persona derivada: estado de la derivación, área a la que se orientó, último contacto con la persona y resultado. La coordinación hace un seguimiento semanal de cada caso incluido."))
	if len(refs) == 0 {
		doc.Callout(l.t("No hay derivaciones de esta oficina o técnico/a."), false)
		return doc.Write(w)
	}
	doc.Figures([]Figure{
		{strconv.Itoa(tally.total), l.t("personas derivadas")},
		{strconv.Itoa(tally.inProgramme), l.t("incluidas en el programa")},
		{strconv.Itoa(tally.pending), l.t("pendientes de decisión")},
		{strconv.Itoa(tally.excluded), l.t("excluidas o no verificadas")},
		{strconv.Itoa(tally.jobs), l.t("inserciones laborales")},
	})
	doc.Heading(l.t("Personas derivadas"))
	cols := []Column{{Title: l.t("Persona"), Width: 3.2}}
	if q.StaffID == "" {
		cols = append(cols, Column{Title: l.t("Derivada por"), Width: 2.6})
	}
	cols = append(cols, Column{Title: l.t("Fecha"), Width: 1.75}, Column{Title: l.t("Estado"), Width: 2.3},
		Column{Title: l.t("Área"), Width: 2}, Column{Title: l.t("Último contacto"), Width: 1.75},
		Column{Title: l.t("Resultado"), Width: 2.8})
	doc.Table(Table{Columns: cols, Rows: rows, Size: 8})
	tally.tables(doc)
	return doc.Write(w)
}

// outcome is the result column: how a referral ended or why it did not go on.
func (l Lang) outcome(r *data.Referral) string {
	switch {
	case r.Outcome != "":
		return l.t(r.Outcome.Label())
	case r.Status == data.StatusExcluded:
		return l.t(data.ExclusionLabel(r.Exclusion))
	case r.Status == data.StatusNotVerified:
		return l.t("No verificada por jefatura")
	}
	return l.t("En curso")
}

// followUpTally counts a report's referrals.
type followUpTally struct {
	total, inProgramme, pending, excluded, jobs int
	byStatus                                    map[data.Status]int
	byArea                                      map[data.Area]int
	byOutcome                                   map[data.Outcome]int
}

func (t *followUpTally) add(r *data.Referral) {
	if t.byStatus == nil {
		t.byStatus, t.byArea, t.byOutcome = map[data.Status]int{}, map[data.Area]int{}, map[data.Outcome]int{}
	}
	t.total++
	t.byStatus[r.Status]++
	switch {
	case r.Status.InProgramme():
		t.inProgramme++
	case r.Status == data.StatusProposed || r.Status == data.StatusVerified:
		t.pending++
	default:
		t.excluded++
	}
	for _, a := range r.Areas {
		t.byArea[a]++
	}
	if r.Outcome != "" {
		t.byOutcome[r.Outcome]++
	}
	if r.Outcome == data.OutcomeJob {
		t.jobs++
	}
}

// tables writes the totals by state, area and outcome.
func (t *followUpTally) tables(doc *Document) {
	l := doc.l
	var rows [][]string
	group := func(title string, labels []string, counts []int) {
		for i, label := range labels {
			if counts[i] > 0 {
				rows = append(rows, []string{title, label, strconv.Itoa(counts[i])})
				title = ""
			}
		}
	}
	var labels []string
	var counts []int
	for _, st := range data.Statuses {
		labels, counts = append(labels, l.t(st.Label())), append(counts, t.byStatus[st])
	}
	group(l.t("Por estado"), labels, counts)
	labels, counts = labels[:0], counts[:0]
	for _, a := range data.Areas {
		labels, counts = append(labels, l.t(a.Label())), append(counts, t.byArea[a])
	}
	group(l.t("Por área"), labels, counts)
	labels, counts = labels[:0], counts[:0]
	for _, o := range data.Outcomes {
		labels, counts = append(labels, l.t(o.Label())), append(counts, t.byOutcome[o])
	}
	group(l.t("Por resultado"), labels, counts)
	doc.Heading(l.t("Totales"))
	doc.Table(Table{
		Columns: []Column{{Width: 2}, {Width: 5}, {Title: l.t("Derivaciones"), Width: 2, Align: AlignRight}},
		Rows:    rows,
		Total:   []string{l.t("Total de derivaciones"), "", strconv.Itoa(t.total)},
	})
	doc.Note(l.t("Una persona derivada a varias áreas cuenta en cada una."))
}

// joinDot joins the non-empty parts with " · ".
func joinDot(parts ...string) string {
	out := ""
	for _, p := range nonEmpty(parts...) {
		if out != "" {
			out += " · "
		}
		out += p
	}
	return out
}
