package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// riStoredProject creates two people and RI/12/2024 with one tutor and
// the two as participants in s, and returns the project (not yet saved)
// with the people's names.
func riStoredProject(t *testing.T, s *Store) (RIProject, []string) {
	t.Helper()
	var ids, names []string
	for _, n := range [][2]string{{"Rosa", "Quispe Mamani"}, {"Omar", "El Idrissi"}} {
		p := Person{FirstName: n[0], LastName: n[1]}
		if err := s.CreatePerson(&p, "Coordinación"); err != nil {
			t.Fatal(err)
		}
		ids, names = append(ids, p.ID), append(names, p.FullName())
	}
	p := RIProject{Number: 12, Year: 2024, Entity: "Ayuntamiento de Leganés",
		Tutors: []RITutor{{Name: "LUCÍA MARTÍN GIL", DNI: "12.345.678-z", Score: "8,75", Degree: RIDegreePsychology,
			ExperienceYears: 3, MarketKnowledge: true, ContractStart: ymd(2024, time.March, 1), ContractEnd: ymd(2025, time.May, 31)}}}
	for _, id := range ids {
		p.Participants = append(p.Participants, RIParticipant{PersonID: id, Alternance: true, Group: 4,
			OrientationStart: ymd(2024, time.March, 1), OrientationEnd: ymd(2025, time.May, 31),
			ContractStart: ymd(2024, time.April, 1), ContractEnd: ymd(2025, time.March, 31),
			Courses: []RICourse{{Name: "Competencias digitales", Hours: 60}, {Name: "Trabajo en equipo", Hours: 40}}})
	}
	return p, names
}

func TestRIProjectStoreRoundTrip(t *testing.T) {
	s, path := openTest(t)
	p, _ := riStoredProject(t, s)
	if err := s.SaveRIProject(&p, "Coordinación"); err != nil {
		t.Fatalf("SaveRIProject: %v", err)
	}
	if p.ID == "" || p.Tutors[0].ID == "" || p.CreatedBy != testName || p.CallYear != 2024 {
		t.Fatalf("not stamped or given IDs: %+v", p)
	}
	if p.Tutors[0].Name != "Lucía Martín Gil" || p.Tutors[0].DNI != "12345678Z" {
		t.Errorf("tutor not normalised: %q %q", p.Tutors[0].Name, p.Tutors[0].DNI)
	}
	_ = s.Close()
	s = openAt(t, path)
	for _, ref := range []string{p.ID, "RI/12/2024", " ri / 12 / 2024 ", "RI-12-2024"} {
		got, err := s.FindRIProject(ref)
		if err != nil || got.ID != p.ID || len(got.Participants) != 2 || got.Tutors[0].Score != "8,75" {
			t.Errorf("FindRIProject(%q) = %+v, %v", ref, got, err)
		}
	}
	for _, ref := range []string{"RI/13/2024", "nada"} {
		if _, err := s.FindRIProject(ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("FindRIProject(%q): %v, want ErrNotFound", ref, err)
		}
	}
	e, err := s.RIEstimate("RI/12/2024")
	// Tutor: 2 participants, under 5: nothing. Contracts: 2 × 27.216,00 €;
	// training 2 × 800,00 €.
	if err != nil || e.Total != 2*2721600+2*80000 || e.Lines[1].Who != "Rosa Quispe Mamani" {
		t.Errorf("RIEstimate = %+v, %v", e, err)
	}

	// Same expediente on another project is refused; the same project saves again.
	q := RIProject{Number: 12, Year: 2024, Entity: "Otra entidad"}
	wantErr(t, s.SaveRIProject(&q, "Coordinación"), "Ya hay un proyecto con el expediente RI/12/2024")
	p.Entity = "Ayuntamiento de Leganés (Concejalía de Empleo)"
	switchUser(t, s, "tecnica", "Técnica del Proyecto", RoleCoordinator)
	if err := s.SaveRIProject(&p, "Técnica"); err != nil || p.CreatedBy != testName || p.UpdatedBy != "Técnica del Proyecto" {
		t.Errorf("update: %v, stamp %+v", err, p.Stamp)
	}
	q = RIProject{Number: 3, Year: 2025, Entity: "Ayuntamiento de Parla"}
	if err := s.SaveRIProject(&q, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	all, err := s.RIProjects()
	if err != nil || len(all) != 2 || all[0].Expediente() != "RI/3/2025" || all[1].Expediente() != "RI/12/2024" {
		t.Errorf("RIProjects = %v, %v; want newest year first", all, err)
	}

	// A participant must be a person in Enlace.
	p.Participants = append(p.Participants, RIParticipant{PersonID: "01NOEXISTE"})
	if err := s.SaveRIProject(&p, "Coordinación"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown person: %v, want ErrNotFound", err)
	}
}

func TestRIProjectValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *RIProject)
		want   string
	}{
		{"valid", func(p *RIProject) {}, ""},
		{"NIE for a foreign tutor", func(p *RIProject) { p.Tutors[0].DNI = "X1234567L" }, ""},
		{"no entity", func(p *RIProject) { p.Entity = " " }, "Falta la entidad beneficiaria"},
		{"no number", func(p *RIProject) { p.Number = 0 }, "Falta el número del expediente"},
		{"year", func(p *RIProject) { p.Year = 2016 }, "entre 2017 y 2100"},
		{"DNI letter", func(p *RIProject) { p.Tutors[0].DNI = "12345678A" }, "debería ser Z (Tutor 1)"},
		{"NIE letter", func(p *RIProject) { p.Tutors[0].DNI = "X1234567A" }, "La letra del NIE no es correcta"},
		{"no DNI", func(p *RIProject) { p.Tutors[0].DNI = "" }, "Falta el número de DNI"},
		{"no tutor name", func(p *RIProject) { p.Tutors[0].Name = "" }, "Falta el nombre del tutor n.º 1"},
		{"score", func(p *RIProject) { p.Tutors[0].Score = "siete" }, "debe ser un número"},
		{"other degree unnamed", func(p *RIProject) { p.Tutors[0].Degree = RIDegreeOther }, "qué título universitario"},
		{"unknown degree", func(p *RIProject) { p.Tutors[0].Degree = "medicina" }, "no es una de las opciones"},
		{"group 10", func(p *RIProject) { p.Participants[0].Group = 10 }, "entre 1 y 9"},
		{"contract backwards", func(p *RIProject) { p.Participants[0].ContractEnd = ymd(2024, time.March, 1) }, "acaba antes de empezar"},
		{"leave before contract", func(p *RIProject) { p.Participants[0].Leave = ymd(2024, time.January, 1) }, "anterior al inicio"},
		{"end without start", func(p *RIProject) { p.Participants[0].ContractStart = Date{} }, "Falta la fecha de inicio del contrato"},
		{"suspension without cause", func(p *RIProject) {
			p.Participants[0].Suspensions = []RISuspension{{From: ymd(2024, time.June, 1)}}
		}, "Indique la causa"},
		{"suspension backwards", func(p *RIProject) {
			p.Tutors[0].Suspensions = []RISuspension{{Cause: RISuspensionSickLeave, From: ymd(2024, time.June, 1), To: ymd(2024, time.May, 1)}}
		}, "Una suspensión de Tutor 1 acaba antes de empezar"},
		{"course hours", func(p *RIProject) { p.Participants[0].Courses[0].Hours = 0 }, "entre 1 y 1000"},
		{"duplicate person", func(p *RIProject) { p.Participants[1].PersonID = p.Participants[0].PersonID }, "ya está en el proyecto"},
		{"replaces nobody", func(p *RIProject) { p.Participants[1].Replaces = "OTRA" }, "sustituye a alguien que no está"},
		{"replaces self", func(p *RIProject) { p.Participants[1].Replaces = "P002" }, "no puede sustituirse a sí mismo"},
		{"circle", func(p *RIProject) { p.Participants[0].Replaces, p.Participants[1].Replaces = "P002", "P001" }, "forman un círculo"},
		{"tutor replaces nobody", func(p *RIProject) { p.Tutors[0].Replaces = "T9" }, "sustituye a un tutor que no está"},
		{"leave reported without leave", func(p *RIProject) { p.Participants[0].LeaveReported = ymd(2024, time.May, 1) }, "no fecha de baja"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := riTestProject(2, 1)
			tc.change(&p)
			p.Normalize()
			err := p.Validate()
			wantErr(t, err, tc.want)
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("%v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestRIParseExpediente(t *testing.T) {
	for in, want := range map[string][2]int{"RI/12/2024": {12, 2024}, "ri/1/2018": {1, 2018}, "RI 7 2025": {7, 2025},
		"RI / 12 / 2024": {12, 2024}, "RI-40-2019": {40, 2019}} {
		if n, y, ok := ParseExpediente(in); !ok || n != want[0] || y != want[1] {
			t.Errorf("ParseExpediente(%q) = %d, %d, %v", in, n, y, ok)
		}
	}
	for _, in := range []string{"", "12/2024", "RI/0/2024", "RI/12/24", "RX/12/2024", "01J0000000000000000000000"} {
		if _, _, ok := ParseExpediente(in); ok {
			t.Errorf("ParseExpediente(%q) accepted", in)
		}
	}
}

func TestRICheckRequirements(t *testing.T) {
	h := MadridHolidays()
	today := ymd(2024, time.June, 3)
	messages := func(p RIProject) string {
		var out []string
		for _, f := range p.Check(today, h, map[string]string{"P001": "Rosa", "P002": "Omar", "P003": "Ana"}) {
			out = append(out, f.Message)
		}
		return strings.Join(out, "\n")
	}
	if got := messages(riTestProject(2, 1)); got != "" {
		t.Errorf("a compliant project has findings:\n%s", got)
	}
	for _, tc := range []struct {
		name   string
		change func(p *RIProject)
		want   []string
	}{
		{"tutor requirements", func(p *RIProject) {
			p.Tutors[0].Degree, p.Tutors[0].ExperienceYears, p.Tutors[0].MarketKnowledge = "", 0, false
		}, []string{"Falta la titulación de Tutor 1", "0 años de experiencia", "al menos 1 año", "mercado de trabajo de la Comunidad de Madrid (art. 8.2)"}},
		{"other degree", func(p *RIProject) { p.Tutors[0].Degree, p.Tutors[0].DegreeOther = RIDegreeOther, "Grado en Pedagogía" },
			[]string{"«Grado en Pedagogía») no está en la lista del art. 8.2"}},
		{"tutor contract short", func(p *RIProject) { p.Tutors[0].ContractEnd = ymd(2025, time.February, 28) },
			[]string{"dura 12 meses; el tutor de inserción se contrata por 15 meses (art. 4.1.a)"}},
		{"too few tutors", func(p *RIProject) { *p = riTestProject(61, 1) },
			[]string{"Con 61 participantes derivados a formación en alternancia hacen falta 2 tutores de inserción (art. 4.1.a); hay 1."}},
		{"participant requirements", func(p *RIProject) {
			x := &p.Participants[0]
			x.OrientationEnd = ymd(2025, time.February, 28)
			x.ContractEnd = ymd(2025, time.January, 31)
			x.Courses = x.Courses[:1]
		}, []string{"La orientación de Rosa dura 12 meses; el art. 4.1.a pide al menos 15 meses.",
			"El contrato de Rosa dura 10 meses; el art. 4.1.b pide al menos 12 meses.",
			"Rosa tiene 60 horas de formación presencial; el art. 4.1.c pide entre 90 y 120."}},
		{"missing group and dates", func(p *RIProject) {
			p.Participants[1].Group, p.Participants[1].ContractStart, p.Participants[1].ContractEnd = 0, Date{}, Date{}
		}, []string{"Falta el grupo de cotización de Omar", "Faltan las fechas del contrato de Omar"}},
		{"leave of an orientation-only participant", func(p *RIProject) {
			p.Participants[1].Alternance, p.Participants[1].Leave = false, ymd(2024, time.May, 6)
		}, []string{"Omar causó baja: hay que sustituirlo", "Falta comunicar la baja definitiva de Omar a la Oficina de Empleo (art. 18.6): el plazo acabó el 11/05/2024."}},
		{"leave reported late", func(p *RIProject) {
			p.Participants[0].Leave, p.Participants[0].LeaveReported = ymd(2024, time.April, 20), ymd(2024, time.April, 26)
		}, []string{"Se comunicó la baja definitiva de Rosa a la Oficina de Empleo (art. 18.6) el 26/04/2024, pasado el plazo, que acababa el 25/04/2024.",
			"Rosa causó baja en su primer mes de contrato: puede sustituirse"}},
		{"substitute in other conditions", func(p *RIProject) {
			p.Participants[0].Leave, p.Participants[0].LeaveReported = ymd(2024, time.April, 20), ymd(2024, time.April, 22)
			b := &p.Participants[1]
			b.Replaces, b.Group, b.ContractStart, b.ContractEnd = "P001", 7, ymd(2024, time.May, 2), ymd(2025, time.January, 31)
		}, []string{"otro grupo de cotización (7 en vez de 5)", "es más corto que el inicial de Rosa (12 meses)",
			"Falta comunicar la contratación de Omar como sustituto (Anexo III-bis, art. 18.6): el plazo acabó el 09/05/2024."}},
		{"substitute after the first month", func(p *RIProject) {
			p.Participants[0].Leave, p.Participants[0].LeaveReported = ymd(2024, time.May, 2), ymd(2024, time.May, 3)
			b := &p.Participants[1]
			b.Replaces, b.ContractStart, b.Reported = "P001", ymd(2024, time.May, 20), ymd(2024, time.May, 21)
		}, []string{"La plaza de Omar no se subvenciona: sustituye a Rosa, que causó baja el 02/05/2024, pasado su primer mes"}},
		{"tutor leave and long suspension", func(p *RIProject) {
			*p = riTestProject(2, 2)
			p.Tutors[0].Leave = ymd(2024, time.May, 31)
			p.Tutors[1].Suspensions = []RISuspension{{Cause: RISuspensionSickLeave, From: ymd(2024, time.April, 1), To: ymd(2024, time.May, 15)}}
		}, []string{"Tutor 1 causó baja definitiva el 31/05/2024: hay que sustituirlo por el tiempo que reste hasta los 15 meses (art. 17.5).",
			"La suspensión de Tutor 2 del 01/04/2024 al 15/05/2024 supera un mes", "Hay 2 tutores para 2 participantes derivados"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := riTestProject(2, 1)
			tc.change(&p)
			got := messages(p)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("findings lack %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestRISelectionRowsAndLengths(t *testing.T) {
	p := riTestProject(2, 3)
	p.Tutors[0].Score, p.Tutors[1].Score, p.Tutors[2].Score = "7,5", "9,25", "8"
	p.Tutors[2].Replaces = "T1" // a substitute goes on the Anexo II-bis, not here
	var got []string
	for _, r := range p.SelectionRows() {
		got = append(got, r.Name+" "+r.Score+" "+r.Expediente+" "+r.Entity)
	}
	want := "Tutor 2 9,25 RI/12/2024 Ayuntamiento de Getafe|Tutor 1 7,5 RI/12/2024 Ayuntamiento de Getafe"
	if strings.Join(got, "|") != want {
		t.Errorf("SelectionRows = %q, want %q", got, want)
	}

	x := &p.Participants[0]
	if m, d := x.OrientationLength(); m != 15 || d != 0 {
		t.Errorf("orientation %d months %d days, want 15", m, d)
	}
	x.Leave = ymd(2024, time.May, 20) // hired 1 April: 1 month and 20 days
	if m, d := x.ContractLength(); RIDurationText(m, d) != "1 mes y 20 días" {
		t.Errorf("contract to the leave: %s", RIDurationText(m, d))
	}
	if m, d := p.Tutors[0].ContractLength(); m != 15 || d != 0 {
		t.Errorf("tutor contract %d months %d days, want 15", m, d)
	}
	x.ContractStart = Date{}
	if m, d := x.ContractLength(); m != 0 || d != 0 {
		t.Errorf("no start: %d, %d", m, d)
	}
}
