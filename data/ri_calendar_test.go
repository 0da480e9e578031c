package data

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHolidaysMadrid2024To2026(t *testing.T) {
	h := MadridHolidays()
	if err := h.Validate(); err != nil {
		t.Fatalf("the pre-filled list is not valid: %v", err)
	}
	for _, y := range []int{2024, 2025, 2026} {
		n := 0
		for _, x := range h {
			if x.Date.Year == y {
				n++
			}
		}
		// 12 national and regional days (Estatuto de los Trabajadores
		// art. 37.2) plus the city's 2.
		if n != 14 {
			t.Errorf("%d has %d holidays, want 14", y, n)
		}
		// Good Friday is national, Maundy Thursday regional: both from Easter.
		easter := riEaster(y)
		for _, d := range []Date{riAddDays(easter, -3), riAddDays(easter, -2)} {
			if _, ok := h.Lookup(d); !ok {
				t.Errorf("%d: %s (Easter %s − 2/3 days) missing", y, d, easter)
			}
		}
	}
	for _, tc := range []struct {
		day     Date
		holiday bool
	}{
		{ymd(2024, time.May, 2), true},       // Comunidad de Madrid
		{ymd(2024, time.May, 15), true},      // San Isidro
		{ymd(2024, time.July, 25), true},     // Santiago, regional in 2024
		{ymd(2024, time.December, 8), false}, // Sunday, not moved in 2024
		{ymd(2025, time.July, 25), true},     // Santiago again in 2025
		{ymd(2025, time.October, 12), false}, // Sunday, not moved in 2025
		{ymd(2025, time.November, 9), false}, // Almudena on a Sunday…
		{ymd(2025, time.November, 10), true}, // …moved to Monday by the city
		{ymd(2025, time.April, 21), false},   // Easter Monday is not a holiday in Madrid
		{ymd(2026, time.July, 25), false},    // no Santiago in 2026
		{ymd(2026, time.November, 2), true},  // 1 November (Sunday) moved
		{ymd(2026, time.December, 7), true},  // 6 December (Sunday) moved
		{ymd(2026, time.March, 19), false},   // San José is not a Madrid holiday in 2026
	} {
		if _, got := h.Lookup(tc.day); got != tc.holiday {
			t.Errorf("%s holiday = %v, want %v", tc.day, got, tc.holiday)
		}
	}
}

// riEaster returns Easter Sunday of year (Meeus/Jones/Butcher algorithm).
func riEaster(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{y, time.Month(month), day}
}

func TestWorkingDaysAddAcrossWeekendsAndHolidays(t *testing.T) {
	h := MadridHolidays()
	for _, tc := range []struct {
		name       string
		from, want Date
	}{
		// Mon 29, Tue 30 April; 1 and 2 May holidays; Fri 3, Mon 6, Tue 7.
		{"May Day and the Comunidad's day", ymd(2024, time.April, 26), ymd(2024, time.May, 7)},
		// Tue 14; Wed 15 San Isidro; Thu 16, Fri 17, Mon 20, Tue 21.
		{"San Isidro", ymd(2024, time.May, 13), ymd(2024, time.May, 21)},
		// Tue 24; Wed 25 Christmas; Thu 26, Fri 27, Mon 30, Tue 31.
		{"Christmas", ymd(2024, time.December, 23), ymd(2024, time.December, 31)},
		// Mon 30, Tue 31; 1 Jan; Thu 2, Fri 3; weekend; 6 Jan; Tue 7.
		{"New Year and Epiphany", ymd(2024, time.December, 27), ymd(2025, time.January, 7)},
		// Tue 15, Wed 16; Maundy Thursday and Good Friday; Mon 21, Tue 22, Wed 23.
		{"Holy Week 2025", ymd(2025, time.April, 14), ymd(2025, time.April, 23)},
		// Thu 24; Fri 25 Santiago; Mon 28, Tue 29, Wed 30, Thu 31.
		{"Santiago 2025", ymd(2025, time.July, 23), ymd(2025, time.July, 31)},
		// Thu 6, Fri 7; Mon 10 Almudena (moved); Tue 11, Wed 12, Thu 13.
		{"Almudena moved to Monday", ymd(2025, time.November, 5), ymd(2025, time.November, 13)},
		// Fri 5; Sat 6 changes nothing; Mon 8 holiday; Tue 9 … Fri 12.
		{"Constitution on a Saturday", ymd(2025, time.December, 4), ymd(2025, time.December, 12)},
		// Mon 2 Nov (moved); Tue 3 … Fri 6; Mon 9 Almudena; Tue 10.
		{"All Saints moved and Almudena, 2026", ymd(2026, time.October, 30), ymd(2026, time.November, 10)},
		// Mon 7 (moved), Tue 8; Wed 9 … Tue 15.
		{"Constitution moved and Immaculate, 2026", ymd(2026, time.December, 4), ymd(2026, time.December, 15)},
		// From a Saturday: Mon 9 … Fri 13.
		{"from a Saturday", ymd(2024, time.September, 7), ymd(2024, time.September, 13)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.AddWorkingDays(tc.from, 5); got != tc.want {
				t.Errorf("5 working days after %s = %s, want %s", tc.from, got, tc.want)
			}
			if !h.IsWorkingDay(tc.want) {
				t.Errorf("%s is not a working day", tc.want)
			}
		})
	}
	if got := h.AddWorkingDays(ymd(2024, time.May, 14), 0); got != ymd(2024, time.May, 14) {
		t.Errorf("0 working days moved the date to %s", got)
	}
}

func TestWorkingDaysHolidaysAreEditable(t *testing.T) {
	s, _ := openTest(t)
	h, err := s.Holidays()
	if err != nil || len(h) != len(MadridHolidays()) {
		t.Fatalf("default holidays: %d, %v", len(h), err)
	}
	// 2027 has no holidays yet: only weekends count, and the explanation
	// warns. Tue 5, Wed 6, Thu 7, Fri 8, Mon 11.
	due, why := RIReplacementDeadline(ymd(2027, time.January, 4), false, h)
	if due != ymd(2027, time.January, 11) || !strings.Contains(why, "no hay festivos de 2027") {
		t.Errorf("2027 without holidays: %s, %q", due, why)
	}
	h = append(h, Holiday{Date: ymd(2027, time.January, 6), Name: " Epifanía del Señor ", Scope: ScopeNational})
	if err := s.SaveHolidays(h, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	h, _ = s.Holidays()
	if x, ok := h.Lookup(ymd(2027, time.January, 6)); !ok || x.Name != "Epifanía del Señor" {
		t.Fatalf("saved holiday not read back: %+v", x)
	}
	due, why = RIReplacementDeadline(ymd(2027, time.January, 4), false, h)
	if due != ymd(2027, time.January, 12) || strings.Contains(why, "Aviso") || !strings.Contains(why, "06/01/2027 Epifanía del Señor") {
		t.Errorf("with 6 January 2027: %s, %q", due, why)
	}
	wantErr(t, s.SaveHolidays(append(h, Holiday{Date: ymd(2027, time.January, 6), Name: "Reyes"}), "Coordinación"), "dos veces")
	wantErr(t, s.SaveHolidays(Holidays{{Name: "Sin fecha"}}, "Coordinación"), "Falta la fecha")
	wantErr(t, s.SaveHolidays(Holidays{{Date: ymd(2027, time.May, 3)}}, "Coordinación"), "Falta el nombre")
}

func TestWorkingDaysDeadlines(t *testing.T) {
	h := MadridHolidays()
	t.Run("leave: 5 calendar days from the next", func(t *testing.T) {
		for _, tc := range []struct {
			leave, due Date
			also       string
		}{
			{ymd(2024, time.May, 6), ymd(2024, time.May, 11), "sábado: mejor comunicarla el día hábil anterior, el 10/05/2024"},
			// Due Saturday 4 May; Friday 3 is a working day (2 May is not).
			{ymd(2024, time.April, 29), ymd(2024, time.May, 4), "el 03/05/2024"},
			// Due Wednesday 15 May 2024, San Isidro: the day before.
			{ymd(2024, time.May, 10), ymd(2024, time.May, 15), "festivo (San Isidro Labrador): mejor comunicarla el día hábil anterior, el 14/05/2024"},
			{ymd(2026, time.December, 10), ymd(2026, time.December, 15), ""},
		} {
			due, why := RILeaveDeadline(tc.leave, h)
			if due != tc.due || !strings.Contains(why, "art. 18.6") || !strings.Contains(why, "5 días naturales") ||
				(tc.also != "" && !strings.Contains(why, tc.also)) || (tc.also == "" && strings.Contains(why, "anterior")) {
				t.Errorf("leave %s: %s, %q; want %s and %q", tc.leave, due, why, tc.due, tc.also)
			}
		}
	})
	t.Run("replacement: 5 working days", func(t *testing.T) {
		due, why := RIReplacementDeadline(ymd(2024, time.April, 26), false, h)
		want := "hasta el 07/05/2024, sin contar sábados, domingos ni los festivos de Madrid 01/05/2024 Fiesta del Trabajo, " +
			"02/05/2024 Fiesta de la Comunidad de Madrid."
		if due != ymd(2024, time.May, 7) || !strings.Contains(why, want) || !strings.Contains(why, "Anexo III-bis") || !strings.Contains(why, "art. 18.6") {
			t.Errorf("participant substitute: %s, %q", due, why)
		}
		due, why = RIReplacementDeadline(ymd(2024, time.September, 9), true, h)
		if due != ymd(2024, time.September, 16) || !strings.Contains(why, "Anexo II-bis") || !strings.Contains(why, "art. 17.5") ||
			!strings.Contains(why, "ni festivos de Madrid.") {
			t.Errorf("tutor substitute: %s, %q", due, why)
		}
	})
}

func TestRIDeadlinesFromTheStore(t *testing.T) {
	s, _ := openTest(t)
	p, people := riStoredProject(t, s)
	if err := s.SaveRIProject(&p, "Coordinación"); err != nil { // gives the tutor an ID
		t.Fatal(err)
	}
	// Participant 1 leaves on Friday 10 May 2024, in her first month;
	// participant 2, hired Monday 13 May 2024, replaces her.
	a, b := &p.Participants[0], &p.Participants[1]
	a.ContractStart, a.ContractEnd, a.Leave = ymd(2024, time.April, 15), ymd(2025, time.April, 14), ymd(2024, time.May, 10)
	b.Replaces, b.ContractStart, b.ContractEnd = a.PersonID, ymd(2024, time.May, 13), ymd(2025, time.May, 12)
	p.Tutors = append(p.Tutors, RITutor{Name: "Pablo Ruiz Soto", DNI: "87654321X", Degree: RIDegreeSocialWork,
		ExperienceYears: 2, MarketKnowledge: true, ContractStart: ymd(2024, time.July, 22), ContractEnd: ymd(2025, time.May, 31),
		Replaces: p.Tutors[0].ID})
	p.Tutors[0].Leave = ymd(2024, time.July, 19)
	if err := s.SaveRIProject(&p, "Coordinación"); err != nil {
		t.Fatalf("SaveRIProject: %v", err)
	}
	got, err := s.RIDeadlines(time.Date(2024, time.May, 20, 10, 0, 0, 0, madrid))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, d := range got {
		rows = append(rows, string(d.Kind)+" "+d.Who+" "+d.Due.String()+" "+map[bool]string{true: "vencido", false: "pendiente"}[d.Overdue])
		if !strings.HasPrefix(d.Key, "ri:"+p.ID+":"+string(d.Kind)+":") || strings.Contains(d.Key, d.Who) || d.Explanation == "" {
			t.Errorf("deadline %+v: key must hold IDs only, explanation set", d)
		}
	}
	// Leave 10 May → 15 May (San Isidro: the explanation says so). Hired
	// 13 May → Tue 14, Thu 16, Fri 17, Mon 20, Tue 21. Tutor hired Monday
	// 22 July 2024 → Tue 23, Wed 24, Fri 26 (25 Santiago), Mon 29, Tue 30.
	want := []string{
		"baja " + people[0] + " 15/05/2024 vencido",
		"sustitucion " + people[1] + " 21/05/2024 pendiente",
		"sustitucion_tutor Pablo Ruiz Soto 30/07/2024 pendiente",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("deadlines\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	// Once reported they are gone.
	a.LeaveReported, b.Reported, p.Tutors[1].Reported = ymd(2024, time.May, 14), ymd(2024, time.May, 20), ymd(2024, time.July, 23)
	if err := s.SaveRIProject(&p, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.RIDeadlines(time.Date(2024, time.May, 20, 10, 0, 0, 0, madrid)); len(got) != 0 {
		t.Errorf("reported deadlines still listed: %+v", got)
	}
}
