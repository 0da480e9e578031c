package reports_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// riProject stores RI/7/2025 in s: three tutors selected (one with a
// lower score, one who left and was replaced) and six demo people as
// participants, five referred to training in alternation.
func riProject(t *testing.T, s *data.Store) data.RIProject {
	t.Helper()
	hits, _ := s.Search("", 6)
	if len(hits) < 6 {
		t.Fatalf("only %d demo people", len(hits))
	}
	d := func(y int, m time.Month, day int) data.Date { return data.Date{Year: y, Month: m, Day: day} }
	p := data.RIProject{Number: 7, Year: 2025, Entity: "Ayuntamiento de Fuenlabrada", Tutors: []data.RITutor{
		{Name: "Lucía Martín Gil", DNI: "12345678Z", Score: "8,75", Degree: data.RIDegreePsychology, ExperienceYears: 3,
			MarketKnowledge: true, ContractStart: d(2025, time.March, 3), ContractEnd: d(2026, time.June, 2)},
		{Name: "Karim Benali", DNI: "X1234567L", Score: "9,10", Degree: data.RIDegreeOther, DegreeOther: "Grado en Antropología",
			ExperienceYears: 2, ContractStart: d(2025, time.March, 3), ContractEnd: d(2026, time.June, 2)},
	}}
	for i, h := range hits {
		x := data.RIParticipant{PersonID: h.ID, Alternance: i < 5, Group: 5,
			OrientationStart: d(2025, time.March, 10), OrientationEnd: d(2026, time.June, 9),
			ContractStart: d(2025, time.April, 1), ContractEnd: d(2026, time.March, 31),
			Courses: []data.RICourse{{Name: "Competencias digitales", Hours: 60}, {Name: "Prevención de riesgos laborales", Hours: 40}}}
		if i == 0 {
			x.Group = 1
			x.Suspensions = []data.RISuspension{{Cause: data.RISuspensionSickLeave, From: d(2025, time.June, 2), To: d(2025, time.June, 20)}}
		}
		p.Participants = append(p.Participants, x)
	}
	if err := s.SaveRIProject(&p, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	p.Tutors = append(p.Tutors, data.RITutor{Name: "Pablo Núñez Vera", DNI: "11111111H", Score: "7,5", Degree: data.RIDegreeSocialWork,
		ExperienceYears: 1, MarketKnowledge: true, ContractStart: d(2025, time.September, 1), Replaces: p.Tutors[0].ID})
	p.Tutors[0].Leave = d(2025, time.August, 29)
	if err := s.SaveRIProject(&p, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRISelection(t *testing.T) {
	s := docStore(t)
	p := riProject(t, s)
	text := render(t, "", func(w io.Writer) error {
		return reports.RISelection(w, s, "RI/7/2025", docOptions(t, s, reports.Spanish))
	})
	mustContain(t, text, "Acta de selección de tutores de inserción", "Anexo II · Expediente RI/7/2025 · Ayuntamiento de Fuenlabrada",
		"Entidad beneficiaria", "Convocatoria 2025", "Fecha del acta 25 de noviembre de 2026",
		"Karim Benali", "X1234567L", "9,10", "Lucía Martín Gil", "12345678Z", "8,75", "RI/7/2025",
		"Anexo II-bis", "Por la entidad beneficiaria", "Firma:", "Nombre y cargo:", "Página 1 de 1")
	mustNotContain(t, text, "Pablo Núñez Vera", "11111111H") // a substitute: Anexo II-bis
	flat := oneLine(text)
	if strings.Index(flat, "Karim Benali") > strings.Index(flat, "Lucía Martín Gil") {
		t.Error("the record does not list the candidates by score, highest first")
	}

	en := render(t, "", func(w io.Writer) error {
		return reports.RISelection(w, s, p.ID, docOptions(t, s, reports.English))
	})
	mustContain(t, en, "Selection record of insertion tutors", "Annex II · File RI/7/2025", "Full name", "Score", "Signature:", "Karim Benali")

	empty := data.RIProject{Number: 8, Year: 2025, Entity: "Ayuntamiento de Parla"}
	if err := s.SaveRIProject(&empty, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	text = render(t, "", func(w io.Writer) error {
		return reports.RISelection(w, s, "RI/8/2025", docOptions(t, s, reports.Spanish))
	})
	mustContain(t, text, "Todavía no hay tutores seleccionados en este proyecto")
	if err := reports.RISelection(io.Discard, s, "RI/99/2025", docOptions(t, s, reports.Spanish)); !isNotFound(err) {
		t.Errorf("an unknown project: err = %v, want ErrNotFound", err)
	}
}

func TestRIEstimateSheet(t *testing.T) {
	s := docStore(t)
	p := riProject(t, s)
	e, err := s.RIEstimate(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	names := s.RINames(&p)
	first := names[p.Participants[0].PersonID]
	text := render(t, "", func(w io.Writer) error {
		return reports.RIEstimate(w, s, "RI/7/2025", docOptions(t, s, reports.Spanish))
	})
	// 5 referred: one tutor place at 50 % of 3 × 1.184,00 = 1.776,00 € a
	// month, 15 months shared by Lucía (to 29/08/2025) and Pablo.
	mustContain(t, text, "Estimación de la subvención", "Expediente RI/7/2025 · Ayuntamiento de Fuenlabrada",
		"2025: 1.184,00 € al mes", "participantes derivados", "tutores necesarios", "tutores en el proyecto",
		"Total estimado: "+data.FormatEuros(e.Total),
		"Tutores de inserción (art. 7.2.a.i)", "Lucía Martín Gil", "03/03/2025 – 29/08/2025", "1.776,00 €/mes",
		"Pablo Núñez Vera", "Sustituye a Lucía Martín Gil", "Karim Benali", "Sin subvención",
		"Contratos de participantes (art. 7.2.a.ii y iii)", first, "2.960,00 €/mes", "2,5 × SMI 2025", "2 × SMI 2025",
		"01/04/2025 – 31/03/2026", "12 meses", "Formación (art. 7.2.b)", "100 h", "8,00 €/h", "800,00 €",
		"Subtotal (5 líneas)", data.FormatEuros(e.Tutors), data.FormatEuros(e.Contracts), data.FormatEuros(e.Training),
		"Total estimado", data.FormatEuros(e.Total), "Regla aplicada",
		"Avisos", "Falta acreditar que Karim Benali conoce el mercado de trabajo", "Notas del cálculo",
		"no amplía el periodo subvencionable (art. 7.4)", "Situación a 25/11/2026")
	if e.Training != 5*100*800 || e.Total != e.Tutors+e.Contracts+e.Training {
		t.Errorf("estimate training %d, total %d", e.Training, e.Total)
	}

	en := render(t, "", func(w io.Writer) error {
		return reports.RIEstimate(w, s, p.ID, docOptions(t, s, reports.English))
	})
	mustContain(t, en, "Subsidy estimate", "File RI/7/2025", "Minimum wage applied", "Rule applied", "12 months",
		"Estimated total", data.FormatEuros(e.Total), "Warnings")

	smi := data.SMITable{2024: 113400}
	if err := s.SaveSMITable(smi, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	err = reports.RIEstimate(io.Discard, s, p.ID, docOptions(t, s, reports.Spanish))
	if !isNotFound(err) || !strings.Contains(err.Error(), "no hay SMI de 2025") {
		t.Errorf("without the SMI of 2025: err = %v", err)
	}
}
