package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// StatsReport writes st as the programme's statistics report (PDF) to w:
// the key figures, where the referrals stand, the pilot's profile table
// (target against result) and a chart per breakdown. It holds counts,
// never a person's data. It returns the PDF writer's error.
func StatsReport(w io.Writer, st Stats, opt Options) error {
	l := opt.Lang
	doc := NewDocument(opt, Info{
		Title:    bi(l, "Estadísticas del programa", "Programme statistics"),
		Subtitle: periodSubtitle(l, st.Period),
	})
	doc.Figures([]Figure{
		{thousands(int64(st.Total)), bi(l, "derivaciones recibidas", "referrals received")},
		{thousands(int64(st.FromAE)), bi(l, "desde la AE", "from the AE")},
		{thousands(int64(st.FromOMIOPI)), bi(l, "desde las OMIOPI", "from the OMIOPI offices")},
		{thousands(int64(st.Excluded)), bi(l, "excluidas", "excluded")},
		{thousands(int64(st.InProgramme)), bi(l, "en el programa", "in the programme")},
	})
	doc.Figures([]Figure{
		{strconv.Itoa(st.TargetPct) + " %", fmt.Sprintf(bi(l, "del objetivo del programa (%s de %s derivaciones)", "of the programme's target (%s of %s referrals)"),
			thousands(int64(st.Total)), thousands(int64(st.Target)))},
		{medianIn(l, st.ToFirstContact), fmt.Sprintf(bi(l, "mediana hasta el primer contacto (%d derivaciones)",
			"median to the first contact (%d referrals)"), st.ToFirstContact.N)},
		{medianIn(l, st.ToDecision), fmt.Sprintf(bi(l, "mediana hasta la decisión (%d derivaciones)",
			"median to the decision (%d referrals)"), st.ToDecision.N)},
	})

	doc.Heading(bi(l, "Situación de las derivaciones", "Where the referrals stand"))
	doc.Table(Table{
		Columns: []Column{{bi(l, "Situación", "State"), 5, AlignLeft}, {bi(l, "Derivaciones", "Referrals"), 1.5, AlignRight}, {"%", 1, AlignRight}},
		Rows: [][]string{
			statRow(bi(l, "Incluidas por la coordinación", "Included by the coordinator"), st.Included, st.Total),
			statRow(bi(l, "Pendientes de decisión", "Awaiting a decision"), st.Pending, st.Total),
			statRow(bi(l, "No verificadas por la jefatura de sección", "Not verified by the section head"), st.NotVerified, st.Total),
			statRow(bi(l, "Excluidas", "Excluded"), st.Excluded, st.Total),
			statRow(bi(l, "Bajas voluntarias", "Left voluntarily"), st.Withdrawn, st.Total),
		},
		Total: statRow(bi(l, "Recibidas", "Received"), st.Total, st.Total),
	})
	doc.Note(bi(l, "Cada derivación cuenta en el estado en que está hoy. «En el programa» son, como las contaba el piloto, "+
		"las recibidas menos las excluidas y las bajas voluntarias; «Incluidas por la coordinación» son las ya incluidas, "+
		"abiertas o cerradas con un resultado.",
		"Each referral counts in the state it is in today. \"In the programme\" are, as the pilot counted them, those received "+
			"minus those excluded and those who left; \"Included by the coordinator\" are those already included, open or closed with an outcome."))
	if st.Excluded > 0 {
		doc.BarChart(BarChart{Title: bi(l, "Exclusiones por motivo", "Exclusions by reason"), Bars: bars(l, st.ExcludedBy, true)})
	}

	doc.Heading(bi(l, "Perfiles: objetivo de cada perfil y resultado", "Profiles: each profile's target and result"))
	doc.Table(profileTable(l, st.ByProfile))
	if sum := st.ProfileTargets(); sum != st.Target && len(st.ByProfile) > 0 {
		doc.Note(fmt.Sprintf(bi(l, "Los objetivos de los perfiles suman %s derivaciones; el objetivo del programa es %s en total.",
			"The profiles' targets add up to %s referrals; the programme's target is %s in all."), thousands(int64(sum)), thousands(int64(st.Target))))
	}
	chart := BarChart{TargetLabel: bi(l, "Objetivo", "Target")}
	for _, p := range st.ByProfile {
		chart.Bars = append(chart.Bars, Bar{Label: l.t(p.Name), Value: float64(p.Result), Target: float64(p.Target)})
	}
	doc.BarChart(chart)

	doc.Heading(bi(l, "Personas derivadas", "People referred"))
	for _, b := range []struct {
		es, en string
		cs     []Count
	}{
		{"Por nacionalidad", "By nationality", st.ByNationality},
		{"Por género", "By gender", st.ByGender},
		{"Por nivel de estudios", "By level of studies", st.ByEducation},
		{"Por edad en la fecha de la derivación", "By age on the referral date", st.ByAge},
	} {
		doc.BarChart(BarChart{Title: bi(l, b.es, b.en), Bars: bars(l, b.cs, true)})
	}
	doc.Heading(bi(l, "Áreas y resultados", "Areas and outcomes"))
	doc.BarChart(BarChart{Title: bi(l, "Por área (una derivación puede ir a varias)", "By area (a referral may go to several)"),
		Bars: bars(l, st.ByArea, false)})
	doc.BarChart(BarChart{Title: bi(l, "Por resultado (derivaciones cerradas)", "By outcome (closed referrals)"),
		Bars: bars(l, st.ByOutcome, false)})
	return doc.Write(w)
}

// bi picks the Spanish or English wording. The statistics report keeps its
// own few sentences here rather than in i18n_en.go.
func bi(l Lang, es, en string) string {
	if l == English {
		return en
	}
	return es
}

func statRow(label string, n, total int) []string {
	pct := "–"
	if total > 0 {
		pct = strconv.Itoa((n*100+total/2)/total) + " %"
	}
	return []string{label, thousands(int64(n)), pct}
}

func profileTable(l Lang, ps []ProfileCount) Table {
	t := Table{Columns: []Column{
		{bi(l, "Perfil", "Profile"), 6, AlignLeft}, {bi(l, "Objetivo", "Target"), 1.3, AlignRight},
		{bi(l, "Derivaciones", "Referrals"), 1.6, AlignRight}, {bi(l, "En el programa", "In the programme"), 1.8, AlignRight},
		{bi(l, "% del objetivo", "% of target"), 1.6, AlignRight},
	}}
	var target, result, in int
	for _, p := range ps {
		t.Rows = append(t.Rows, []string{l.t(p.Name), strconv.Itoa(p.Target), strconv.Itoa(p.Result),
			strconv.Itoa(p.InProgramme), percentOf(p.Result, p.Target)})
		target, result, in = target+p.Target, result+p.Result, in+p.InProgramme
	}
	t.Total = []string{bi(l, "Total", "Total"), strconv.Itoa(target), strconv.Itoa(result), strconv.Itoa(in), percentOf(result, target)}
	return t
}

func percentOf(n, of int) string {
	if of <= 0 {
		return "–"
	}
	return strconv.Itoa((n*100+of/2)/of) + " %"
}

// bars turns a breakdown into chart bars; skipEmpty leaves out the groups
// without referrals.
func bars(l Lang, cs []Count, skipEmpty bool) []Bar {
	var out []Bar
	for _, c := range cs {
		if c.N == 0 && skipEmpty {
			continue
		}
		out = append(out, Bar{Label: l.t(c.Label), Value: float64(c.N)})
	}
	return out
}

// periodIn writes p in l: "del 01/09/2022 al 31/12/2022".
// periodSubtitle names the period the statistics cover.
func periodSubtitle(l Lang, p Period) string {
	if p.From.IsZero() && p.To.IsZero() {
		return bi(l, "Todas las derivaciones registradas", "All recorded referrals")
	}
	return bi(l, "Derivaciones con fecha ", "Referrals dated ") + periodIn(l, p)
}

func periodIn(l Lang, p Period) string {
	if l != English {
		return p.String()
	}
	switch {
	case p.From.IsZero() && p.To.IsZero():
		return "any"
	case p.From.IsZero():
		return "up to " + p.To.String()
	case p.To.IsZero():
		return "from " + p.From.String()
	}
	return "from " + p.From.String() + " to " + p.To.String()
}

// medianIn writes a median in days: "2 días", "1,5 days", "–".
func medianIn(l Lang, m Median) string {
	if m.N == 0 {
		return "–"
	}
	d := strconv.FormatFloat(m.Days, 'f', -1, 64)
	if l != English {
		d = strings.Replace(d, ".", ",", 1)
	}
	if m.Days == 1 {
		return d + bi(l, " día", " day")
	}
	return d + bi(l, " días", " days")
}

// ProfileTargets adds up the profiles' targets, which need not be the
// programme's Target.
func (st Stats) ProfileTargets() int {
	sum := 0
	for _, p := range st.ByProfile {
		sum += p.Target
	}
	return sum
}
