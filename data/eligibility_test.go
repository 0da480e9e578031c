package data

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func ymd(y int, m time.Month, d int) Date { return Date{y, m, d} }

// monthsCases are shared by TestMonthsAt and FuzzMonthsAt.
var monthsCases = []struct {
	name     string
	from, on Date
	want     int
}{
	{"same day", ymd(2026, 3, 10), ymd(2026, 3, 10), 0},
	{"day before a month", ymd(2026, 3, 10), ymd(2026, 4, 9), 0},
	{"one month", ymd(2026, 3, 10), ymd(2026, 4, 10), 1},
	{"over new year", ymd(2025, 12, 15), ymd(2026, 1, 15), 1},
	{"6 months exactly", ymd(2026, 5, 25), ymd(2026, 11, 25), 6},
	{"6 months less a day", ymd(2026, 5, 26), ymd(2026, 11, 25), 5},
	{"12 months", ymd(2025, 11, 25), ymd(2026, 11, 25), 12},
	{"2 years exactly", ymd(2024, 11, 25), ymd(2026, 11, 25), 24},
	{"2 years less a day", ymd(2024, 11, 26), ymd(2026, 11, 25), 23},
	{"31 Aug to 28 Feb, common year", ymd(2025, 8, 31), ymd(2026, 2, 28), 6},
	{"31 Aug to 27 Feb, common year", ymd(2025, 8, 31), ymd(2026, 2, 27), 5},
	{"31 Aug to 28 Feb, leap year", ymd(2023, 8, 31), ymd(2024, 2, 28), 5},
	{"31 Aug to 29 Feb, leap year", ymd(2023, 8, 31), ymd(2024, 2, 29), 6},
	{"31 Jan to 30 Apr", ymd(2026, 1, 31), ymd(2026, 4, 30), 3},
	{"31 Jan to 29 Apr", ymd(2026, 1, 31), ymd(2026, 4, 29), 2},
	{"30 Jan to 28 Feb", ymd(2026, 1, 30), ymd(2026, 2, 28), 1},
	{"31 Mar to 1 May", ymd(2026, 3, 31), ymd(2026, 5, 1), 1},
	{"29 Feb to 28 Feb", ymd(2024, 2, 29), ymd(2025, 2, 28), 12},
	{"29 Feb to 27 Feb", ymd(2024, 2, 29), ymd(2025, 2, 27), 11},
	{"29 Feb to 29 Feb", ymd(2024, 2, 29), ymd(2028, 2, 29), 48},
	{"29 Feb, two years", ymd(2024, 2, 29), ymd(2026, 2, 28), 24},
	{"day before start", ymd(2026, 3, 10), ymd(2026, 3, 9), -1},
	{"a month before start", ymd(2026, 3, 10), ymd(2026, 2, 10), -1},
}

func TestMonthsAt(t *testing.T) {
	for _, c := range monthsCases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.from.MonthsAt(c.on); got != c.want {
				t.Errorf("%s.MonthsAt(%s) = %d, want %d", c.from, c.on, got, c.want)
			}
		})
	}
}

// addMonths is the end of a period of n months from d by the end-of-month
// rule, written independently of MonthsAt to check it.
func addMonths(d Date, n int) Date {
	t := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), min(d.Day, daysIn(t.Month(), t.Year()))}
}

func FuzzMonthsAt(f *testing.F) {
	for _, c := range monthsCases {
		f.Add(c.from.Year, int(c.from.Month), c.from.Day, c.on.Year, int(c.on.Month), c.on.Day)
	}
	f.Fuzz(func(t *testing.T, y1, m1, d1, y2, m2, d2 int) {
		from, on := fuzzDate(y1, m1, d1), fuzzDate(y2, m2, d2)
		n := from.MonthsAt(on)
		if (n < 0) != on.Before(from) {
			t.Fatalf("%s.MonthsAt(%s) = %d: sign does not match the order", from, on, n)
		}
		if n >= 0 && (addMonths(from, n).After(on) || !addMonths(from, n+1).After(on)) {
			t.Fatalf("%s.MonthsAt(%s) = %d: not the whole months", from, on, n)
		}
	})
}

// fuzzDate turns arbitrary numbers into a valid date between 1900 and 2199.
func fuzzDate(y, m, d int) Date {
	mod := func(a, n int) int { return ((a % n) + n) % n }
	year, month := 1900+mod(y, 300), time.Month(1+mod(m, 12))
	return Date{year, month, 1 + mod(d, daysIn(month, year))}
}

func activeSeedCriteria() []Criterion {
	out := slices.Clone(seedCriteria)
	for i := range out {
		out[i].Active = true
	}
	return out
}

var eligToday = ymd(2026, 11, 25)

var eligibilityCases = []struct {
	name  string
	p     Person
	today Date // zero: eligToday
	want  []string
	why   map[string]string // a piece of each suggestion's explanation
}{
	{
		name: "arraigo, exactly 2 years today",
		p:    Person{Nationality: "CO", ArrivalDate: ymd(2024, 11, 25), DocKind: DocPassport},
		want: []string{"ae-arraigo"},
		why:  map[string]string{"ae-arraigo": "Lleva 2 años en España (llegó el 25/11/2024) y su documento es Pasaporte, no NIE ni TIE: cumple el mínimo de 2 años para el arraigo."},
	},
	{
		name: "arraigo, one day short of 2 years",
		p:    Person{Nationality: "CO", ArrivalDate: ymd(2024, 11, 26), DocKind: DocPassport},
		want: nil,
	},
	{
		name: "arraigo, 2 years and 3 months, no document",
		p:    Person{Nationality: "VE", ArrivalDate: ymd(2024, 8, 1)},
		want: []string{"ae-arraigo"},
		why:  map[string]string{"ae-arraigo": "Lleva 2 años y 3 meses en España (llegó el 01/08/2024) y no consta"},
	},
	{
		name: "arraigo and documentation with an expired TIE",
		p:    Person{Nationality: "PE", ArrivalDate: ymd(2020, 1, 10), DocKind: DocTIE, DocExpiry: ymd(2026, 11, 24)},
		want: []string{"ae-arraigo", "ae-documentacion"},
		why: map[string]string{
			"ae-arraigo":       "caducó el 24/11/2026",
			"ae-documentacion": "caducó el 24/11/2026",
		},
	},
	{
		name: "no arraigo with a valid TIE",
		p:    Person{Nationality: "PE", ArrivalDate: ymd(2020, 1, 10), DocKind: DocTIE, DocExpiry: ymd(2028, 1, 1)},
		want: nil,
	},
	{
		name: "no arraigo with an NIE of unknown expiry",
		p:    Person{Nationality: "PE", ArrivalDate: ymd(2020, 1, 10), DocKind: DocNIE},
		want: nil,
	},
	{
		name: "no arraigo for a DNI holder",
		p:    Person{ArrivalDate: ymd(2010, 1, 10), DocKind: DocDNI},
		want: nil,
	},
	{
		name:  "arraigo from a 29 February arrival, end-of-month rule",
		p:     Person{Nationality: "HN", ArrivalDate: ymd(2024, 2, 29)},
		today: ymd(2026, 2, 28),
		want:  []string{"ae-arraigo"},
		why:   map[string]string{"ae-arraigo": "llegó el 29/02/2024"},
	},
	{
		name:  "no arraigo from a 29 February arrival the day before",
		p:     Person{Nationality: "HN", ArrivalDate: ymd(2024, 2, 29)},
		today: ymd(2026, 2, 27),
		want:  nil,
	},
	{
		name: "EU citizen: certificate, not arraigo",
		p:    Person{Nationality: "IT", ArrivalDate: ymd(2020, 1, 10), DocKind: DocPassport},
		want: []string{"ae-certificado-ue"},
		why:  map[string]string{"ae-certificado-ue": "Italia"},
	},
	{
		name: "EU citizen, Greece is GR",
		p:    Person{Nationality: "GR"},
		want: []string{"ae-certificado-ue"},
	},
	{
		name: "Spanish national: no certificate",
		p:    Person{Nationality: "ES"},
		want: nil,
	},
	{
		name: "United Kingdom is not in the EU",
		p:    Person{Nationality: "GB"},
		want: nil,
	},
	{
		name: "documentation expires today",
		p:    Person{DocKind: DocNIE, DocExpiry: eligToday},
		want: []string{"ae-documentacion"},
		why:  map[string]string{"ae-documentacion": "caduca hoy, 25/11/2026"},
	},
	{
		name: "documentation expires tomorrow",
		p:    Person{DocKind: DocStudent, DocExpiry: ymd(2026, 11, 26)},
		want: []string{"ae-documentacion"},
		why:  map[string]string{"ae-documentacion": "caduca el 26/11/2026 (mañana)"},
	},
	{
		name: "documentation expires in 90 days",
		p:    Person{DocKind: DocAsylum, DocExpiry: ymd(2027, 2, 23)},
		want: []string{"ae-documentacion"},
		why:  map[string]string{"ae-documentacion": "caduca el 23/02/2027 (dentro de 90 días)"},
	},
	{
		name: "documentation expires in 91 days",
		p:    Person{DocKind: DocTIE, DocExpiry: ymd(2027, 2, 24)},
		want: nil,
	},
	{
		name: "documentation expired yesterday",
		p:    Person{DocKind: DocTIE, DocExpiry: ymd(2026, 11, 24)},
		want: []string{"ae-documentacion"},
		why:  map[string]string{"ae-documentacion": "caducó el 24/11/2026"},
	},
	{
		name: "an expired passport is not a residence document",
		p:    Person{DocKind: DocPassport, DocExpiry: ymd(2026, 1, 1)},
		want: nil,
	},
	{
		name: "reunification, upper case with accent",
		p:    Person{Interests: "Trabajo estable para la REAGRUPACIÓN de sus hijos"},
		want: []string{"ae-reagrupacion"},
		why:  map[string]string{"ae-reagrupacion": "reagrupación familiar"},
	},
	{
		name: "reunification, verb",
		p:    Person{Interests: "quiere reagrupar a su madre"},
		want: []string{"ae-reagrupacion"},
	},
	{
		name: "interests without reunification",
		p:    Person{Interests: "Hostelería, cocina"},
		want: nil,
	},
	{
		name: "1 year in Spain with a degree",
		p:    Person{ExperienceYears: 3, SpainYears: 1, EducationLevel: "Universitarios"},
		want: []string{"omiopi-exp-estudios"},
		why:  map[string]string{"omiopi-exp-estudios": "1 año de experiencia laboral en España y estudios superiores (Universitarios)"},
	},
	{
		name: "2 years in Spain with FP Grado Superior",
		p:    Person{ExperienceYears: 2, SpainYears: 2, EducationLevel: "FP Grado Superior"},
		want: []string{"omiopi-exp-estudios"},
	},
	{
		name: "3 years in Spain with a degree",
		p:    Person{ExperienceYears: 3, SpainYears: 3, EducationLevel: "Máster o doctorado"},
		want: nil,
	},
	{
		name: "2 years in Spain, primary studies",
		p:    Person{ExperienceYears: 4, SpainYears: 2, EducationLevel: "Primaria"},
		want: []string{"omiopi-exp-sin-estudios"},
		why:  map[string]string{"omiopi-exp-sin-estudios": "2 años de experiencia laboral en España y nivel de estudios: Primaria"},
	},
	{
		name: "1 year in Spain, education not recorded",
		p:    Person{ExperienceYears: 1, SpainYears: 1},
		want: []string{"omiopi-exp-sin-estudios"},
		why:  map[string]string{"omiopi-exp-sin-estudios": "no consta nivel de estudios"},
	},
	{
		name: "1 year in Spain with ESO: neither",
		p:    Person{ExperienceYears: 1, SpainYears: 1, EducationLevel: "Secundaria obligatoria (ESO)"},
		want: nil,
	},
	{
		name: "6 months exactly",
		p:    Person{ArrivalDate: ymd(2026, 5, 25)},
		want: []string{"omiopi-6m-1a"},
		why:  map[string]string{"omiopi-6m-1a": "Lleva 6 meses en España (llegó el 25/05/2026)"},
	},
	{
		name: "one day short of 6 months",
		p:    Person{ArrivalDate: ymd(2026, 5, 26)},
		want: []string{"omiopi-menos-6m"},
		why:  map[string]string{"omiopi-menos-6m": "Lleva 5 meses en España (llegó el 26/05/2026): menos de 6 meses"},
	},
	{
		name: "11 months",
		p:    Person{ArrivalDate: ymd(2025, 11, 26)},
		want: []string{"omiopi-6m-1a"},
		why:  map[string]string{"omiopi-6m-1a": "11 meses"},
	},
	{
		name: "12 months: neither",
		p:    Person{ArrivalDate: ymd(2025, 11, 25)},
		want: nil,
	},
	{
		name: "arrived today",
		p:    Person{ArrivalDate: eligToday},
		want: []string{"omiopi-menos-6m"},
		why:  map[string]string{"omiopi-menos-6m": "Lleva menos de un mes en España (llegó el 25/11/2026)"},
	},
	{
		name:  "31 August to 28 February is 6 months",
		p:     Person{ArrivalDate: ymd(2025, 8, 31)},
		today: ymd(2026, 2, 28),
		want:  []string{"omiopi-6m-1a"},
	},
	{
		name:  "31 August to 27 February is 5 months",
		p:     Person{ArrivalDate: ymd(2025, 8, 31)},
		today: ymd(2026, 2, 27),
		want:  []string{"omiopi-menos-6m"},
	},
	{
		name: "no arrival date: nothing time-based",
		p:    Person{Nationality: "VE", DocKind: DocPassport},
		want: nil,
	},
	{
		name: "arrival date in the future: nothing time-based",
		p:    Person{Nationality: "VE", ArrivalDate: ymd(2027, 1, 1)},
		want: nil,
	},
	{
		name: "several at once, in the criteria's order",
		p: Person{Nationality: "MA", ArrivalDate: ymd(2026, 1, 2), DocKind: DocNIE, DocExpiry: ymd(2026, 12, 31),
			Interests: "Reagrupación familiar", ExperienceYears: 2, SpainYears: 1, EducationLevel: "Universitarios"},
		want: []string{"ae-documentacion", "ae-reagrupacion", "omiopi-exp-estudios", "omiopi-6m-1a"},
		why:  map[string]string{"ae-documentacion": "caduca el 31/12/2026 (dentro de 36 días)"},
	},
}

func TestEligibilitySuggestCriteria(t *testing.T) {
	criteria := activeSeedCriteria()
	for _, c := range eligibilityCases {
		t.Run(c.name, func(t *testing.T) {
			on := c.today
			if on.IsZero() {
				on = eligToday
			}
			got := SuggestCriteria(&c.p, criteria, on)
			var ids []string
			for _, s := range got {
				ids = append(ids, s.CriterionID)
				if s.Why == "" || !strings.HasSuffix(s.Why, ".") {
					t.Errorf("%s: explanation %q is not a sentence", s.CriterionID, s.Why)
				}
				if want, ok := c.why[s.CriterionID]; ok && !strings.Contains(s.Why, want) {
					t.Errorf("%s: explanation %q does not contain %q", s.CriterionID, s.Why, want)
				}
			}
			if !slices.Equal(ids, c.want) {
				t.Errorf("suggested %v, want %v", ids, c.want)
			}
		})
	}
}

func TestEligibilityOnlyActiveKnownCriteria(t *testing.T) {
	p := Person{Nationality: "CO", ArrivalDate: ymd(2020, 1, 1), Interests: "reagrupación"}
	criteria := activeSeedCriteria()
	for i := range criteria {
		if criteria[i].ID == "ae-arraigo" {
			criteria[i].Active = false
		}
	}
	criteria = append(criteria, Criterion{ID: "01JCUSTOM", Direction: FromAE, Text: "Personas con 2 años en España", Active: true})
	got := SuggestCriteria(&p, criteria, eligToday)
	if len(got) != 1 || got[0].CriterionID != "ae-reagrupacion" {
		t.Errorf("got %v, want only ae-reagrupacion (arraigo retired, custom never)", got)
	}
	if got := SuggestCriteria(&p, nil, eligToday); got != nil {
		t.Errorf("no criteria: got %v", got)
	}
}

func TestEligibilityAssessmentCriteriaNeverSuggested(t *testing.T) {
	// The most employable record there can be: still no suggestion of the
	// situations that depend on the office's own assessment.
	p := Person{Nationality: "AR", EducationLevel: "Máster o doctorado", Homologated: true, ExperienceYears: 10,
		ITLevel: 3, Languages: "Español nativo, inglés C1", Experience: "Ingeniera"}
	for _, s := range SuggestCriteria(&p, activeSeedCriteria(), eligToday) {
		if s.CriterionID == "omiopi-itinerario" || s.CriterionID == "omiopi-empleable" {
			t.Errorf("suggested %s: %s", s.CriterionID, s.Why)
		}
	}
	for id := range criterionRules {
		if !slices.ContainsFunc(seedCriteria, func(c Criterion) bool { return c.ID == id }) {
			t.Errorf("rule for %s, which is not a seed criterion", id)
		}
	}
	for _, c := range seedCriteria {
		if _, ok := criterionRules[c.ID]; !ok {
			t.Errorf("seed criterion %s has no entry in criterionRules", c.ID)
		}
	}
}

func TestEligibilityEUMembers(t *testing.T) {
	if len(euMembers) != 27 {
		t.Errorf("%d EU members, want 27", len(euMembers))
	}
	for code := range euMembers {
		if CountryName(code) == "" {
			t.Errorf("EU member %s is not a country code", code)
		}
	}
}

var profileCases = []struct {
	name     string
	p        Person
	code     string
	whyPiece string
}{
	{"10 years of experience", Person{ExperienceYears: 10, SpainYears: 1, EducationLevel: "Universitarios"}, "exp_5", "10 años de experiencia laboral"},
	{"5 years exactly", Person{ExperienceYears: 5}, "exp_5", "5 años"},
	{"1 year in Spain with studies", Person{ExperienceYears: 4, SpainYears: 1, EducationLevel: "FP Grado Superior"}, "exp_estudios", "estudios superiores (FP Grado Superior)"},
	{"2 years in Spain with Bachillerato", Person{ExperienceYears: 2, SpainYears: 2, EducationLevel: "Bachillerato"}, "exp_sin_estudios", "no tiene estudios superiores (Bachillerato)"},
	{"2 years in Spain, education unknown", Person{ExperienceYears: 2, SpainYears: 2}, "exp_sin_estudios", "no consta nivel de estudios"},
	{"6 months in Spain with Bachillerato", Person{ArrivalDate: ymd(2026, 5, 25), EducationLevel: "Bachillerato"}, "reciente_estudios", "llegó el 25/05/2026"},
	{"8 months in Spain with ESO", Person{ArrivalDate: ymd(2026, 3, 1), EducationLevel: "Secundaria obligatoria (ESO)"}, "primer_empleo", "primer empleo"},
	{"12 months in Spain with a degree", Person{ArrivalDate: ymd(2025, 11, 25), EducationLevel: "Universitarios"}, "primer_empleo", "primer empleo"},
	{"3 years abroad, none in Spain", Person{ExperienceYears: 3}, "otros", "3 años de experiencia laboral"},
	{"4 years, 3 in Spain", Person{ExperienceYears: 4, SpainYears: 3, ArrivalDate: ymd(2022, 1, 1)}, "otros", "no encaja"},
}

func TestEligibilitySuggestProfile(t *testing.T) {
	prog := DefaultProgramme()
	for _, c := range profileCases {
		t.Run(c.name, func(t *testing.T) {
			code, why := SuggestProfile(&c.p, prog, eligToday)
			if code != c.code {
				t.Errorf("code %q, want %q (%s)", code, c.code, why)
			}
			if !strings.Contains(why, c.whyPiece) {
				t.Errorf("why %q does not contain %q", why, c.whyPiece)
			}
		})
	}
}

func TestEligibilityProfileFallback(t *testing.T) {
	p := Person{ExperienceYears: 8}
	prog := DefaultProgramme()
	prog.Profiles = slices.DeleteFunc(prog.Profiles, func(pr Profile) bool { return pr.Code == "exp_5" })
	if code, why := SuggestProfile(&p, prog, eligToday); code != "otros" || !strings.Contains(why, "Otros") {
		t.Errorf("without exp_5: %q %q, want otros", code, why)
	}
	prog.Profiles = []Profile{{"jovenes", "Jóvenes", 10}}
	if code, why := SuggestProfile(&p, prog, eligToday); code != "" || why != "" {
		t.Errorf("without exp_5 nor otros: %q %q, want nothing", code, why)
	}
}
