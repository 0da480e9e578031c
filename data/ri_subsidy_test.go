package data

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Hand computations used below, SMI 2024 = 1.134,00 € a month:
//
//	tutor 100 %: 3 × 1.134,00 = 3.402,00 €/mes; × 15 = 51.030,00 €
//	tutor  75 %: 3.402,00 × 0,75 = 2.551,50 €/mes; × 15 = 38.272,50 €
//	tutor  50 %: 3.402,00 × 0,50 = 1.701,00 €/mes; × 15 = 25.515,00 €
//	participant, groups 1–2: 2,5 × 1.134,00 = 2.835,00 €/mes; × 12 = 34.020,00 €
//	participant, groups 3–9: 2 × 1.134,00 = 2.268,00 €/mes; × 12 = 27.216,00 €
//	training: 100 h × 8 € = 800,00 €
const (
	tutor100   = 5103000
	tutor75    = 3827250
	tutor50    = 2551500
	contract12 = 2721600 // group 5, 12 months
	training   = 80000   // 100 hours
)

// riTestProject returns RI/12/2024 with tutors tutors hired for 15 months
// (1 March 2024 – 31 May 2025) and n participants referred to training in
// alternation, group 5, hired for 12 months (1 April 2024 – 31 March
// 2025), each with 60 + 40 hours of training in person.
func riTestProject(n, tutors int) RIProject {
	p := RIProject{ID: "proyecto", Number: 12, Year: 2024, CallYear: 2024, Entity: "Ayuntamiento de Getafe"}
	for i := range tutors {
		p.Tutors = append(p.Tutors, RITutor{ID: fmt.Sprintf("T%d", i+1), Name: fmt.Sprintf("Tutor %d", i+1),
			DNI: "12345678Z", Degree: RIDegreePsychology, ExperienceYears: 3, MarketKnowledge: true,
			ContractStart: ymd(2024, time.March, 1), ContractEnd: ymd(2025, time.May, 31)})
	}
	for i := range n {
		p.Participants = append(p.Participants, RIParticipant{PersonID: fmt.Sprintf("P%03d", i+1), Alternance: true,
			OrientationStart: ymd(2024, time.March, 1), OrientationEnd: ymd(2025, time.May, 31),
			ContractStart: ymd(2024, time.April, 1), ContractEnd: ymd(2025, time.March, 31), Group: 5,
			Courses: []RICourse{{Name: "Competencias digitales", Hours: 60}, {Name: "Prevención de riesgos laborales", Hours: 40}}})
	}
	return p
}

func mustEstimate(t *testing.T, p RIProject) RIEstimate {
	t.Helper()
	e, err := p.Estimate(DefaultSMI(), nil)
	if err != nil {
		t.Fatalf("Estimate: %v", err)
	}
	return e
}

func TestSubsidyTutorBands(t *testing.T) {
	for _, tc := range []struct {
		name           string
		n, tutors      int
		wantRequired   int
		wantTutorLines []int64
	}{
		{"4 participants: the entity pays the tutor", 4, 1, 1, []int64{0}},
		{"5 participants: 50 %", 5, 1, 1, []int64{tutor50}},
		{"29 participants: 50 %", 29, 1, 1, []int64{tutor50}},
		{"30 participants: 75 %", 30, 1, 1, []int64{tutor75}},
		{"59 participants: 75 %", 59, 1, 1, []int64{tutor75}},
		{"60 participants: 3 × SMI", 60, 1, 1, []int64{tutor100}},
		// 61 need two tutors; shared 31 + 30, both in the 30–59 band.
		{"61 participants, two tutors: 75 % each", 61, 2, 2, []int64{tutor75, tutor75}},
		// With only one tutor hired, its place attends 31: 75 %.
		{"61 participants, one tutor", 61, 1, 2, []int64{tutor75}},
		{"60 participants, two tutors: the second is not paid", 60, 2, 1, []int64{tutor100, 0}},
		{"119 participants: 60 + 59", 119, 2, 2, []int64{tutor100, tutor75}},
		{"120 participants: 60 + 60", 120, 2, 2, []int64{tutor100, tutor100}},
		{"121 participants: 41 + 40 + 40", 121, 3, 3, []int64{tutor75, tutor75, tutor75}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEstimate(t, riTestProject(tc.n, tc.tutors))
			if e.Referred != tc.n || e.TutorsRequired != tc.wantRequired {
				t.Errorf("referred %d, tutors required %d; want %d, %d", e.Referred, e.TutorsRequired, tc.n, tc.wantRequired)
			}
			var got []int64
			var sum int64
			for _, l := range e.Lines {
				if l.Concept == RIConceptTutor {
					got = append(got, l.Amount)
					sum += l.Amount
					if l.Months != 15 || l.Days != 0 || !strings.Contains(l.Rule, "art. 7.2.a.i") && !strings.Contains(l.Rule, "art. 4.1.a") {
						t.Errorf("tutor line %+v: want 15 months and a rule citing art. 7.2.a.i or 4.1.a", l)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.wantTutorLines) {
				t.Errorf("tutor lines %v, want %v", got, tc.wantTutorLines)
			}
			if e.Tutors != sum || e.Contracts != int64(tc.n)*contract12 || e.Training != int64(tc.n)*training {
				t.Errorf("totals tutors %d contracts %d training %d; want %d, %d, %d",
					e.Tutors, e.Contracts, e.Training, sum, int64(tc.n)*contract12, int64(tc.n)*training)
			}
			if e.Total != e.Tutors+e.Contracts+e.Training {
				t.Errorf("total %d is not the sum of its parts", e.Total)
			}
		})
	}
}

func TestRITutorsRequired(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 4: 1, 60: 1, 61: 2, 120: 2, 121: 3, 180: 3, 181: 4} {
		if got := RITutorsRequired(n); got != want {
			t.Errorf("RITutorsRequired(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestSubsidyContractGroupsAndRounding(t *testing.T) {
	// SMI 2018 = 735,90 €. 3 × 735,90 = 2.207,70; 75 % = 1.655,775 → 1.655,78 €/mes
	// (half up); × 15 = 24.836,70 €. Groups 1–2: 2,5 × 735,90 = 1.839,75 €/mes,
	// × 12 = 22.077,00 €; groups 3–9: 2 × 735,90 = 1.471,80 €/mes, × 12 = 17.661,60 €.
	p := riTestProject(30, 1)
	p.Year, p.CallYear = 2018, 2018
	for i := range p.Participants {
		p.Participants[i].Group = []int{1, 2, 3, 9, 0}[i%5]
	}
	e := mustEstimate(t, p)
	if e.SMI != 73590 {
		t.Fatalf("SMI %d, want 73590", e.SMI)
	}
	want := map[int]struct{ rate, amount int64 }{
		1: {183975, 2207700}, 2: {183975, 2207700}, 3: {147180, 1766160}, 9: {147180, 1766160}, 0: {0, 0},
	}
	for _, l := range e.Lines {
		switch l.Concept {
		case RIConceptTutor:
			if l.Rate != 165578 || l.Amount != 2483670 {
				t.Errorf("tutor rate %d amount %d, want 165578 and 2483670", l.Rate, l.Amount)
			}
		case RIConceptContract:
			x, _ := p.Participant(l.Ref)
			if w := want[x.Group]; l.Rate != w.rate || l.Amount != w.amount {
				t.Errorf("group %d: rate %d amount %d, want %d and %d (%s)", x.Group, l.Rate, l.Amount, w.rate, w.amount, l.Rule)
			}
			if x.Group == 0 && !strings.Contains(l.Rule, "falta el grupo de cotización") {
				t.Errorf("group 0 rule %q, want it to say the group is missing", l.Rule)
			}
		}
	}
	// 6 of each group: 12 × 22.077,00 + 12 × 17.661,60 = 476.863,20 €.
	if e.Contracts != 47686320 {
		t.Errorf("contracts %d, want 47686320", e.Contracts)
	}
}

func TestSubsidyPartMonthsByDays(t *testing.T) {
	// Group 1 in 2018, hired 1 March 2018, definitive leave 7 March 2018:
	// 7 days = 7/30 of 1.839,75 € = 429,275 → 429,28 €.
	p := riTestProject(1, 1)
	p.Year, p.CallYear = 2018, 2018
	x := &p.Participants[0]
	x.Group, x.ContractStart, x.ContractEnd, x.Leave = 1, ymd(2018, time.March, 1), ymd(2019, time.February, 28), ymd(2018, time.March, 7)
	l := riLine(t, mustEstimate(t, p), RIConceptContract, "P001")
	if l.Months != 0 || l.Days != 7 || l.Amount != 42928 || l.Period() != "7 días" {
		t.Errorf("line %+v (%s), want 7 days and 42928 cents", l, l.Period())
	}
}

func TestSubsidySuspensionsDoNotExtend(t *testing.T) {
	// A participant on sick leave from 1 June to 31 August 2024 whose
	// contract the entity extended to 30 June 2025: the subsidy still
	// covers 1 April 2024 – 31 March 2025, 12 months, 27.216,00 €.
	p := riTestProject(30, 1)
	x := &p.Participants[0]
	x.ContractEnd = ymd(2025, time.June, 30)
	x.Suspensions = []RISuspension{{Cause: RISuspensionSickLeave, From: ymd(2024, time.June, 1), To: ymd(2024, time.August, 31)}}
	// The tutor on maternity leave from 1 June to 20 September 2024 still
	// has 1 March 2024 – 31 May 2025: 15 months at 75 %.
	tu := &p.Tutors[0]
	tu.ContractEnd = ymd(2025, time.September, 20)
	tu.Suspensions = []RISuspension{{Cause: RISuspensionBirth, From: ymd(2024, time.June, 1), To: ymd(2024, time.September, 20)}}

	e := mustEstimate(t, p)
	l := riLine(t, e, RIConceptContract, "P001")
	if l.Months != 12 || l.Days != 0 || l.Amount != contract12 {
		t.Errorf("participant %+v, want 12 months, %d", l, contract12)
	}
	for _, s := range []string{"del 01/04/2024 al 31/03/2025", "sigue hasta el 30/06/2025"} {
		if !strings.Contains(l.Rule, s) {
			t.Errorf("rule %q lacks %q", l.Rule, s)
		}
	}
	if l := riLine(t, e, RIConceptTutor, "T1"); l.Months != 15 || l.Amount != tutor75 {
		t.Errorf("tutor %+v, want 15 months, %d", l, tutor75)
	}
	notes := strings.Join(e.Notes, "\n")
	for _, s := range []string{"incapacidad temporal, desde el 01/06/2024 hasta el 31/08/2024) no amplía", "Tutor 1 (maternidad"} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes %q lack %q", notes, s)
		}
	}
}

func TestSubsidyTutorReplacement(t *testing.T) {
	t.Run("leave: the substitute has the months left of 15", func(t *testing.T) {
		// Tutor 1 leaves on 31 August 2024 after 6 months (6 × 3.402,00 =
		// 20.412,00 €); Tutor 2 is hired on 16 September 2024 until 15 June
		// 2025: 9 months (30.618,00 €). The place adds up to 15 months.
		p := riTestProject(60, 2)
		p.Tutors[0].Leave = ymd(2024, time.August, 31)
		p.Tutors[1].Replaces = "T1"
		p.Tutors[1].ContractStart, p.Tutors[1].ContractEnd = ymd(2024, time.September, 16), ymd(2025, time.June, 15)
		e := mustEstimate(t, p)
		a, b := riLine(t, e, RIConceptTutor, "T1"), riLine(t, e, RIConceptTutor, "T2")
		if a.Months != 6 || a.Amount != 2041200 || b.Months != 9 || b.Amount != 3061800 || e.Tutors != tutor100 {
			t.Errorf("T1 %+v, T2 %+v, tutors %d; want 6 and 9 months adding to %d", a, b, e.Tutors, tutor100)
		}
		if !strings.Contains(b.Rule, "Sustituye a Tutor 1") || !strings.Contains(b.Rule, "art. 17.5") {
			t.Errorf("substitute rule %q", b.Rule)
		}
	})
	t.Run("suspension: days covered once", func(t *testing.T) {
		p := riTestProject(60, 2)
		p.Tutors[0].Suspensions = []RISuspension{{Cause: RISuspensionSickLeave, From: ymd(2024, time.June, 3), To: ymd(2024, time.September, 30)}}
		p.Tutors[1].Replaces = "T1"
		p.Tutors[1].ContractStart, p.Tutors[1].ContractEnd = ymd(2024, time.June, 3), ymd(2024, time.September, 30)
		e := mustEstimate(t, p)
		if b := riLine(t, e, RIConceptTutor, "T2"); b.Amount != 0 || !strings.Contains(b.Rule, "no se pagan dos veces") {
			t.Errorf("substitute during a suspension: %+v, want nothing paid twice", b)
		}
		if e.Tutors != tutor100 {
			t.Errorf("tutors %d, want %d", e.Tutors, tutor100)
		}
	})
}

func TestSubsidyParticipantReplacement(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		leave                Date
		wantA, wantB         int64
		wantBRule, wantBTime string
	}{
		// Leave 20 March: 20 days, 20/30 × 2.268,00 = 1.512,00 €. The
		// substitute, hired 8 April 2024 for 12 months, has the 11 months and
		// 10 days left: 340/30 × 2.268,00 = 25.704,00 €. Together 27.216,00 €.
		{"leave in the first month", ymd(2024, time.March, 20), 151200, 2570400, "la plaza suma 12 meses", "11 meses y 10 días"},
		// 31 March is the last day of the first month (from 1 March).
		{"leave on the last day of the first month", ymd(2024, time.March, 31), 226800, 2494800, "la plaza suma 12 meses", "11 meses"},
		// 1 April is past it: the substitute's contract is not subsidised;
		// the first contract is paid its 1 month and 1 day: 31/30 × 2.268,00 = 2.343,60 €.
		{"leave after the first month", ymd(2024, time.April, 1), 234360, 0, "pasado su primer mes", "0 meses"},
		// 1 March – 15 May: 2 months and 15 days = 75/30 × 2.268,00 = 5.670,00 €.
		{"leave in the third month", ymd(2024, time.May, 15), 567000, 0, "solo permite sustituir las bajas del primer mes", "0 meses"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := riTestProject(2, 1)
			a, b := &p.Participants[0], &p.Participants[1]
			a.ContractStart, a.ContractEnd, a.Leave = ymd(2024, time.March, 1), ymd(2025, time.February, 28), tc.leave
			a.Courses = []RICourse{{Name: "Ofimática", Hours: 30}}
			b.Replaces = "P001"
			b.ContractStart, b.ContractEnd = ymd(2024, time.April, 8), ymd(2025, time.April, 7)
			e := mustEstimate(t, p)
			la, lb := riLine(t, e, RIConceptContract, "P001"), riLine(t, e, RIConceptContract, "P002")
			if la.Amount != tc.wantA || lb.Amount != tc.wantB {
				t.Errorf("first %d (%s), substitute %d (%s); want %d and %d", la.Amount, la.Period(), lb.Amount, lb.Period(), tc.wantA, tc.wantB)
			}
			if !strings.Contains(lb.Rule, tc.wantBRule) || lb.Period() != tc.wantBTime {
				t.Errorf("substitute %s, rule %q; want %s and %q", lb.Period(), lb.Rule, tc.wantBTime, tc.wantBRule)
			}
			if e.TutorsRequired != 1 || e.Referred != 1 {
				t.Errorf("a substitute takes the place: referred %d, want 1", e.Referred)
			}
			// Training: 120 hours a place. The first had 30; an admitted
			// substitute's 100 count 90.
			wantTraining := int64(30 * 800)
			if tc.wantB > 0 {
				wantTraining += 90 * 800
			}
			if e.Training != wantTraining {
				t.Errorf("training %d, want %d", e.Training, wantTraining)
			}
		})
	}
}

func TestSubsidyTrainingHours(t *testing.T) {
	p := riTestProject(1, 1)
	p.Participants[0].Courses = []RICourse{{Name: "Inglés", Hours: 100}, {Name: "Habilidades sociales", Hours: 30},
		{Name: "Teleformación", Hours: 20, Remote: true}}
	l := riLine(t, mustEstimate(t, p), RIConceptTraining, "P001")
	// 130 hours in person, 120 paid: 960,00 €; the 20 at a distance none.
	if l.Hours != 120 || l.Amount != 96000 || !strings.Contains(l.Rule, "se cuentan 120") || !strings.Contains(l.Rule, "20 horas a distancia") {
		t.Errorf("training %+v", l)
	}
}

func TestSubsidyOrientationOnlyAndUnknownDates(t *testing.T) {
	p := riTestProject(6, 1)
	p.Participants[5].Alternance = false
	p.Participants[4].ContractStart, p.Participants[4].ContractEnd = Date{}, Date{}
	e := mustEstimate(t, p)
	if e.Referred != 5 || e.Contracts != 5*contract12 || e.Tutors != tutor50 {
		t.Errorf("referred %d contracts %d tutors %d", e.Referred, e.Contracts, e.Tutors)
	}
	if l := riLine(t, e, RIConceptContract, "P005"); !strings.Contains(l.Rule, "Sin fechas de contrato") {
		t.Errorf("no dates: rule %q", l.Rule)
	}
	if !strings.Contains(strings.Join(e.Notes, " "), "1 participante no derivado a formación en alternancia recibe solo orientación") {
		t.Errorf("notes %q", e.Notes)
	}
}

func TestSubsidyNeedsTheSMIOfTheCallYear(t *testing.T) {
	p := riTestProject(5, 1)
	p.CallYear = 2017
	if _, err := p.Estimate(DefaultSMI(), nil); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "SMI de 2017") {
		t.Errorf("err %v, want ErrNotFound naming 2017", err)
	}
}

func TestSubsidyEurosText(t *testing.T) {
	for cents, want := range map[int64]string{0: "0,00 €", 5: "0,05 €", 73590: "735,90 €", 113400: "1.134,00 €",
		5103000: "51.030,00 €", 123456789: "1.234.567,89 €", -50: "-0,50 €"} {
		if got := FormatEuros(cents); got != want {
			t.Errorf("FormatEuros(%d) = %q, want %q", cents, got, want)
		}
	}
	for in, want := range map[string]int64{"1.134,00": 113400, "1134": 113400, "735,9": 73590, "735.90": 73590,
		"1.134": 113400, " 1.184,00 € ": 118400, "0,05": 5, "1.000.000": 100000000} {
		if got, err := ParseEuros(in); err != nil || got != want {
			t.Errorf("ParseEuros(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1,234,5", "12,345", "-5", "1.1.1,00x"} {
		if _, err := ParseEuros(in); err == nil {
			t.Errorf("ParseEuros(%q) accepted", in)
		} else {
			checkSentence(t, err)
		}
	}
}

func TestSubsidySMITableSetting(t *testing.T) {
	s, _ := openTest(t)
	got, err := s.SMITable()
	if err != nil || got[2018] != 73590 || got[2025] != 118400 || len(got) != 8 {
		t.Fatalf("default SMI table %v, %v", got, err)
	}
	got[2026] = 122100
	if err := s.SaveSMITable(got, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.SMITable(); again[2026] != 122100 {
		t.Errorf("saved 2026 not read back: %v", again)
	}
	wantErr(t, s.SaveSMITable(SMITable{2024: 0}, "Coordinación"), "entre 100 y 10.000 €")
	wantErr(t, s.SaveSMITable(SMITable{1999: 50000}, "Coordinación"), "año 1999")
	wantErr(t, s.SaveSMITable(DefaultSMI(), ""), "Falta quién hace el cambio")
}

// riLine returns the line of concept about ref.
func riLine(t *testing.T, e RIEstimate, c RIConcept, ref string) RIEstimateLine {
	t.Helper()
	for _, l := range e.Lines {
		if l.Concept == c && l.Ref == ref {
			return l
		}
	}
	t.Fatalf("no %s line for %s in %+v", c, ref, e.Lines)
	return RIEstimateLine{}
}

func ExampleRIProject_Estimate() {
	p := RIProject{Number: 12, Year: 2024, Entity: "Ayuntamiento de Getafe", Tutors: []RITutor{{
		ID: "T1", Name: "Lucía Martín Gil", ContractStart: Date{2024, time.March, 1}, ContractEnd: Date{2025, time.May, 31},
	}}}
	for i, g := range []int{1, 4, 4, 5, 7} {
		p.Participants = append(p.Participants, RIParticipant{PersonID: fmt.Sprint("P", i+1), Alternance: true, Group: g,
			ContractStart: Date{2024, time.April, 1}, ContractEnd: Date{2025, time.March, 31},
			Courses: []RICourse{{Name: "Competencias digitales", Hours: 90}}})
	}
	e, err := p.Estimate(DefaultSMI(), map[string]string{"P1": "Ana Pérez"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range e.Lines[:3] {
		fmt.Printf("%s | %s | %s | %s | %s\n", l.Concept.Label(), l.Who, l.Period(), FormatEuros(l.Rate), FormatEuros(l.Amount))
	}
	fmt.Println(e.Lines[0].Rule)
	fmt.Println("Total", e.Expediente, FormatEuros(e.Total))
	// Output:
	// Tutor de inserción | Lucía Martín Gil | 15 meses | 1.701,00 € | 25.515,00 €
	// Contrato de participante | Ana Pérez | 12 meses | 2.835,00 € | 34.020,00 €
	// Formación | Ana Pérez | 90 h | 8,00 € | 720,00 €
	// 50 % de 3 × SMI 2024 por mes: el puesto atiende 5 participantes (art. 7.2.a.i). Periodo subvencionable del 01/03/2024 al 31/05/2025, dentro de los 15 primeros meses del contrato (art. 7.3).
	// Total RI/12/2024 171.999,00 €
}

// FuzzSubsidyPlaceNeverExceedsTwelveMonths: whatever the dates of a leave
// and its substitute, a participant's place is paid at most 12 months and
// never a negative amount.
func FuzzSubsidyPlaceNeverExceedsTwelveMonths(f *testing.F) {
	for _, seed := range [][3]int{{19, 38, 5}, {30, 37, 1}, {31, 45, 9}, {75, 80, 0}, {0, 0, 3}, {400, -20, 2}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, leaveAfter, subAfter, group int) {
		p := riTestProject(2, 1)
		a, b := &p.Participants[0], &p.Participants[1]
		start := ymd(2024, time.March, 1)
		a.ContractStart, a.ContractEnd = start, ymd(2025, time.February, 28)
		a.Leave = riAddDays(start, leaveAfter%800)
		b.Replaces, b.Group = "P001", ((group%10)+10)%10
		b.ContractStart = riAddDays(start, subAfter%800)
		b.ContractEnd = riAddMonths(b.ContractStart, 12)
		e, err := p.Estimate(DefaultSMI(), nil)
		if err != nil {
			t.Fatal(err)
		}
		units := 0
		for _, l := range e.Lines {
			if l.Amount < 0 || l.Days < 0 || l.Days >= 30 {
				t.Fatalf("line %+v", l)
			}
			if l.Concept == RIConceptContract {
				units += l.Months*30 + l.Days
			}
		}
		if units > 360 {
			t.Fatalf("place paid %d days of 30 a month, over 12 months: %+v", units, e.Lines)
		}
	})
}

func FuzzWorkingDaysCountsExactly(f *testing.F) {
	for _, seed := range [][2]int{{0, 5}, {116, 5}, {480, 5}, {725, 10}, {1000, 1}} {
		f.Add(seed[0], seed[1])
	}
	h := MadridHolidays()
	f.Fuzz(func(t *testing.T, offset, n int) {
		from := riAddDays(ymd(2024, time.January, 1), ((offset%1100)+1100)%1100)
		n = ((n % 30) + 30) % 30
		due := h.AddWorkingDays(from, n)
		count := 0
		for d := riAddDays(from, 1); !d.After(due); d = riAddDays(d, 1) {
			if h.IsWorkingDay(d) {
				count++
			}
		}
		if count != n || (n > 0 && !h.IsWorkingDay(due)) {
			t.Fatalf("%d working days after %s gave %s (%d counted)", n, from, due, count)
		}
	})
}
