package reports

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/enlace-madrid/enlace/data"
)

// Period is a range of referral dates (the date each referral was
// proposed), both ends included; a zero end leaves that side open.
type Period struct {
	From, To data.Date
}

// String writes p as coordinators read it: "del 01/09/2022 al 31/12/2022".
func (p Period) String() string {
	switch {
	case p.From.IsZero() && p.To.IsZero():
		return "todas las fechas"
	case p.From.IsZero():
		return "hasta el " + p.To.String()
	case p.To.IsZero():
		return "desde el " + p.From.String()
	}
	return "del " + p.From.String() + " al " + p.To.String()
}

// Count is one bar of a breakdown: the key as stored (a gender, an ISO
// country code, a reason code…), its Spanish label and how many
// referrals have it.
type Count struct {
	Key   string
	Label string
	N     int
}

// ProfileCount is one row of the pilot's profile table: a profile
// category's target and how many referrals received (Result), how many in
// the programme (InProgramme: received minus excluded and withdrawn) and
// how many the coordinator included (Included) it has.
type ProfileCount struct {
	Code, Name  string
	Target      int
	Result      int
	InProgramme int
	Included    int
}

// Median is a median number of days and how many referrals it is over
// (N), out of how many it could have been (Of). Days is meaningless when
// N is 0.
type Median struct {
	Days  float64
	N, Of int
}

// Keys used for what is not recorded, in breakdowns keyed by a value.
const (
	KeyUnknown        = "no consta" // gender, education level or age not recorded
	KeyUnknownCountry = "ZZ"        // nationality not recorded (CLDR's "unknown region")
	KeyNoProfile      = "sin_perfil"
)

// Stats are the programme's statistics over the referrals proposed in a
// Period, as the pilot counted them by hand (DOMAIN.md, "Reports the pilot
// produced by hand").
//
// Every referral received is in exactly one of these groups, so
// Total = Excluded + NotVerified + Pending + Withdrawn + Included:
//   - Excluded: the coordinator excluded it (ExcludedBy gives the reasons);
//   - NotVerified: the AE section head said No;
//   - Pending: proposed or verified, not yet decided;
//   - Withdrawn: included, then closed with data.OutcomeLeft (baja
//     voluntaria): the person left the programme of their own accord;
//   - Included: the coordinator included it and it was not withdrawn
//     (still open, or closed with any other outcome).
//
// InProgramme is what the pilot counted as in the programme: received
// minus excluded and withdrawn (36 − 5 = 31), whether or not the
// coordinator has decided the rest yet; once every referral is decided it
// equals Included.
//
// The breakdowns by person (gender, education, nationality, age) count
// referrals received, one per referral as the pilot's sheet had one row
// per referral: a person referred twice in the period counts twice.
// Breakdowns over a fixed list (reasons, genders, levels, age groups,
// areas, outcomes) list every item, zeros included, in display order;
// nationalities are listed most frequent first. A referral routed to two
// areas counts in both; ByOutcome counts closed referrals.
type Stats struct {
	Period Period

	Total, FromAE, FromOMIOPI int
	Excluded                  int
	ExcludedBy                []Count // by data.ExclusionReasons code
	NotVerified, Pending      int
	Withdrawn, Included       int
	InProgramme               int // Total − Excluded − Withdrawn

	Target    int // the programme's overall target
	TargetPct int // Total / Target × 100, rounded; 0 without a target

	ByGender      []Count // by data.Gender; KeyUnknown when not recorded
	ByEducation   []Count // by data.EducationLevels; KeyUnknown when not recorded
	ByNationality []Count // by ISO 3166-1 alpha-2; KeyUnknownCountry when not recorded
	ByAge         []Count // by age group at the referral date (AgeGroups)
	ByProfile     []ProfileCount
	ByArea        []Count // by data.Area
	ByOutcome     []Count // by data.Outcome

	// ToFirstContact is the median of the days from each referral's date
	// to the first contact with the person on or after it (a call, an
	// e-mail, a visit or an interview), over the referrals with one.
	ToFirstContact Median
	// ToDecision is the median of the days from each referral's date to
	// the coordinator's decision (included or excluded), over the
	// referrals decided.
	ToDecision Median
}

// AgeGroups are the age bands of the statistics, as [low, high] years
// with high −1 for "and over".
var AgeGroups = []struct {
	Key, Label string
	Low, High  int
}{
	{"0-24", "Menos de 25 años", 0, 24},
	{"25-34", "De 25 a 34 años", 25, 34},
	{"35-44", "De 35 a 44 años", 35, 44},
	{"45-54", "De 45 a 54 años", 45, 54},
	{"55+", "55 años o más", 55, -1},
}

// Statistics reads the referrals proposed in p, their people and their
// first contacts from s and counts them (see Stats). It returns the
// store's errors, wrapped.
func Statistics(s *data.Store, p Period) (Stats, error) {
	refs, err := s.ReferralsDated(p.From, p.To)
	if err != nil {
		return Stats{}, fmt.Errorf("estadísticas: %w", err)
	}
	prog, err := s.Programme()
	if err != nil {
		return Stats{}, fmt.Errorf("estadísticas: %w", err)
	}
	ids := make([]string, len(refs))
	qs := make([]data.ContactQuery, len(refs))
	for i := range refs {
		ids[i] = refs[i].PersonID
		qs[i] = data.ContactQuery{PersonID: refs[i].PersonID, Since: refs[i].Date.Time(data.Madrid())}
	}
	people, err := s.PeopleByID(ids)
	if err != nil {
		return Stats{}, fmt.Errorf("estadísticas: %w", err)
	}
	contacts, err := s.FirstContacts(qs)
	if err != nil {
		return Stats{}, fmt.Errorf("estadísticas: %w", err)
	}
	return CountStats(p, prog, refs, people, contacts), nil
}

// CountStats counts refs (the referrals of p), whose people are in people
// by ID and whose first contacts on or after their dates are contacts[i]
// (zero for none), against prog's targets. It reads nothing: tests and
// other reports can feed it directly.
func CountStats(p Period, prog data.Programme, refs []data.Referral, people map[string]data.Person, contacts []time.Time) Stats {
	st := Stats{Period: p, Total: len(refs), Target: prog.Target}
	if prog.Target > 0 {
		st.TargetPct = int(math.Round(float64(len(refs)) * 100 / float64(prog.Target)))
	}
	c := newCounter()
	var toContact, toDecision []int
	for i := range refs {
		r := &refs[i]
		inProg, included := c.referral(&st, r)
		c.person(people[r.PersonID], r.Date)
		c.profile(r.Profile, inProg, included)
		if i < len(contacts) && !contacts[i].IsZero() {
			toContact = append(toContact, max(0, daysBetween(r.Date, data.DateOf(contacts[i].In(data.Madrid())))))
		}
		if d := r.Decided(); !d.IsZero() {
			toDecision = append(toDecision, max(0, daysBetween(r.Date, data.DateOf(d.In(data.Madrid())))))
		}
	}
	st.ExcludedBy = c.fixed(c.reasons, data.ExclusionReasons, ReasonLabel)
	st.ByGender = c.fixed(c.gender, append(genderKeys(), KeyUnknown), genderLabel)
	st.ByEducation = c.fixed(c.education, append(slices.Clone(data.EducationLevels), KeyUnknown), educationLabel)
	st.ByNationality = byFrequency(c.nationality, countryLabel)
	st.ByAge = c.fixed(c.age, append(ageKeys(), KeyUnknown), ageLabel)
	st.ByArea = c.fixed(c.area, stringsOf(data.Areas), func(k string) string { return data.Area(k).Label() })
	st.ByOutcome = c.fixed(c.outcome, stringsOf(data.Outcomes), func(k string) string { return data.Outcome(k).Label() })
	st.ByProfile = c.profiles(prog)
	st.ToFirstContact = median(toContact, len(refs))
	st.ToDecision = median(toDecision, len(refs))
	return st
}

// counter holds the tallies while CountStats goes through the referrals.
type counter struct {
	reasons, gender, education, nationality, age, area, outcome map[string]int
	profileAll, profileIn, profileIncluded                      map[string]int
}

func newCounter() *counter {
	m := func() map[string]int { return map[string]int{} }
	return &counter{m(), m(), m(), m(), m(), m(), m(), m(), m(), m()}
}

// referral counts r's direction, state, areas and outcome, and reports
// whether it is in the programme (not excluded nor withdrawn) and whether
// the coordinator included it.
func (c *counter) referral(st *Stats, r *data.Referral) (inProg, included bool) {
	switch r.Direction {
	case data.FromAE:
		st.FromAE++
	case data.FromOMIOPI:
		st.FromOMIOPI++
	}
	for _, a := range r.Areas {
		c.area[string(a)]++
	}
	if r.Status == data.StatusClosed && r.Outcome != "" {
		c.outcome[string(r.Outcome)]++
	}
	switch {
	case r.Status == data.StatusExcluded:
		st.Excluded++
		c.reasons[cmp.Or(r.Exclusion, data.ExclusionOther)]++
		return false, false
	case r.Status == data.StatusClosed && r.Outcome == data.OutcomeLeft:
		st.Withdrawn++
		return false, false
	case r.Status == data.StatusNotVerified:
		st.NotVerified++
	case r.Status.InProgramme():
		st.Included++
		included = true
	default:
		st.Pending++
	}
	st.InProgramme++
	return true, included
}

// person counts p (the zero Person when the record is missing) as
// referred on day.
func (c *counter) person(p data.Person, day data.Date) {
	c.gender[cmp.Or(string(p.Gender), KeyUnknown)]++
	c.education[cmp.Or(p.EducationLevel, KeyUnknown)]++
	c.nationality[cmp.Or(p.Nationality, KeyUnknownCountry)]++
	c.age[ageGroup(p.Age(day))]++
}

func (c *counter) profile(code string, inProg, included bool) {
	code = cmp.Or(code, KeyNoProfile)
	c.profileAll[code]++
	if inProg {
		c.profileIn[code]++
	}
	if included {
		c.profileIncluded[code]++
	}
}

// profiles lists prog's profiles with their targets, then any profile the
// referrals name that the programme no longer has, then the referrals
// without a profile.
func (c *counter) profiles(prog data.Programme) []ProfileCount {
	out := make([]ProfileCount, 0, len(prog.Profiles)+1)
	known := map[string]bool{}
	for _, pr := range prog.Profiles {
		known[pr.Code] = true
		out = append(out, ProfileCount{Code: pr.Code, Name: pr.Name, Target: pr.Target,
			Result: c.profileAll[pr.Code], InProgramme: c.profileIn[pr.Code], Included: c.profileIncluded[pr.Code]})
	}
	var extra []string
	for code := range c.profileAll {
		if !known[code] && code != KeyNoProfile {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	if c.profileAll[KeyNoProfile] > 0 {
		extra = append(extra, KeyNoProfile)
	}
	for _, code := range extra {
		name := code
		if code == KeyNoProfile {
			name = "Sin perfil asignado"
		}
		out = append(out, ProfileCount{Code: code, Name: name, Result: c.profileAll[code],
			InProgramme: c.profileIn[code], Included: c.profileIncluded[code]})
	}
	return out
}

// fixed lists m over keys in that order, then any key m has that keys
// lacks (a value stored by an older version), alphabetically.
func (c *counter) fixed(m map[string]int, keys []string, label func(string) string) []Count {
	out := make([]Count, 0, len(keys))
	listed := map[string]bool{}
	for _, k := range keys {
		listed[k] = true
		out = append(out, Count{Key: k, Label: label(k), N: m[k]})
	}
	var rest []string
	for k := range m {
		if !listed[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, Count{Key: k, Label: label(k), N: m[k]})
	}
	return out
}

// byFrequency lists m most frequent first, ties by label; the unknown
// key goes last.
func byFrequency(m map[string]int, label func(string) string) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, Label: label(k), N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if ua, ub := a.Key == KeyUnknownCountry, b.Key == KeyUnknownCountry; ua != ub {
			if ua {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(data.Fold(a.Label), data.Fold(b.Label)))
	})
	return out
}

func ageGroup(age int) string {
	if age < 0 {
		return KeyUnknown
	}
	for _, g := range AgeGroups {
		if age >= g.Low && (g.High < 0 || age <= g.High) {
			return g.Key
		}
	}
	return KeyUnknown
}

func ageKeys() []string {
	out := make([]string, len(AgeGroups))
	for i, g := range AgeGroups {
		out[i] = g.Key
	}
	return out
}

func ageLabel(k string) string {
	for _, g := range AgeGroups {
		if g.Key == k {
			return g.Label
		}
	}
	return "No consta"
}

func genderKeys() []string {
	var out []string
	for _, g := range data.Genders {
		if g != data.GenderUnknown { // "no consta" is KeyUnknown, added last
			out = append(out, string(g))
		}
	}
	return out
}

// genderLabel capitalises the recorded gender: "no binario" → "No binario".
func genderLabel(k string) string {
	if k == "" {
		return "No consta"
	}
	r, n := utf8.DecodeRuneInString(k)
	return string(unicode.ToUpper(r)) + k[n:]
}

func educationLabel(k string) string {
	if k == KeyUnknown {
		return "No consta"
	}
	return k
}

func countryLabel(code string) string {
	if code == KeyUnknownCountry {
		return "No consta"
	}
	if n := data.CountryName(code); n != "" {
		return n
	}
	return code
}

// ReasonLabel is the short Spanish name of an exclusion reason code, for
// a chart or a table (data.ExclusionLabel is the full sentence).
func ReasonLabel(code string) string {
	switch code {
	case data.ExclusionDNI:
		return "Tiene DNI español"
	case data.ExclusionIrregular:
		return "Situación irregular"
	case data.ExclusionCriteria:
		return "Sin situación habilitante"
	case data.ExclusionDuplicate:
		return "Derivación duplicada"
	case data.ExclusionDeclined:
		return "No desea participar"
	case data.ExclusionOther:
		return "Otro motivo"
	}
	return code
}

func stringsOf[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// daysBetween counts calendar days from a to b (negative when b is earlier).
func daysBetween(a, b data.Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}

// median returns the median of days (the mean of the middle two for an
// even count) over of possible referrals.
func median(days []int, of int) Median {
	m := Median{N: len(days), Of: of}
	if len(days) == 0 {
		return m
	}
	slices.Sort(days)
	mid := len(days) / 2
	if len(days)%2 == 1 {
		m.Days = float64(days[mid])
	} else {
		m.Days = float64(days[mid-1]+days[mid]) / 2
	}
	return m
}

// MarshalJSON writes the statistics as `enlace stats --json` prints them:
// one object whose keys other tools rely on (see statsJSON). Breakdown
// objects leave out keys with no referrals, except by_profile, which
// lists every profile of the programme with its target.
func (st Stats) MarshalJSON() ([]byte, error) {
	out := statsJSON{
		From: st.Period.From.ISO(), To: st.Period.To.ISO(),
		Total: st.Total, FromAE: st.FromAE, FromOMIOPI: st.FromOMIOPI,
		Excluded: st.Excluded, ExcludedBy: nonZero(st.ExcludedBy),
		NotVerified: st.NotVerified, Pending: st.Pending, Withdrawn: st.Withdrawn,
		InProgramme: st.InProgramme, Included: st.Included, Target: st.Target, TargetPct: st.TargetPct,
		ByGender: nonZero(st.ByGender), ByEducation: nonZero(st.ByEducation),
		ByNationality: nonZero(st.ByNationality), ByAgeGroup: nonZero(st.ByAge),
		ByProfile: map[string]profileJSON{}, ByArea: nonZero(st.ByArea), ByOutcome: nonZero(st.ByOutcome),
		WithFirstContact: st.ToFirstContact.N, Decided: st.ToDecision.N,
	}
	for _, p := range st.ByProfile {
		out.ByProfile[p.Code] = profileJSON{p.Name, p.Target, p.Result, p.InProgramme, p.Included}
	}
	if st.ToFirstContact.N > 0 {
		out.DaysToFirstContact = &st.ToFirstContact.Days
	}
	if st.ToDecision.N > 0 {
		out.DaysToDecision = &st.ToDecision.Days
	}
	return json.Marshal(out)
}

// statsJSON is the JSON form of Stats. The keys from referrals_total to
// by_outcome are a contract (`enlace stats --json`): add keys, never
// rename or remove one.
type statsJSON struct {
	From               string                 `json:"from,omitempty"` // aaaa-mm-dd; absent when open
	To                 string                 `json:"to,omitempty"`
	Total              int                    `json:"referrals_total"`
	FromAE             int                    `json:"from_ae"`
	FromOMIOPI         int                    `json:"from_omiopi"`
	Excluded           int                    `json:"excluded"`
	ExcludedBy         map[string]int         `json:"excluded_by_reason"`
	NotVerified        int                    `json:"not_verified"`
	Pending            int                    `json:"pending"`
	Withdrawn          int                    `json:"withdrawn"`
	InProgramme        int                    `json:"in_programme"` // received − excluded − withdrawn, as the pilot counted
	Included           int                    `json:"included"`     // included by the coordinator, not withdrawn
	Target             int                    `json:"target"`
	TargetPct          int                    `json:"target_pct"`
	ByGender           map[string]int         `json:"by_gender"`
	ByEducation        map[string]int         `json:"by_education"`
	ByNationality      map[string]int         `json:"by_nationality"`
	ByAgeGroup         map[string]int         `json:"by_age_group"`
	ByProfile          map[string]profileJSON `json:"by_profile"`
	ByArea             map[string]int         `json:"by_area"`
	ByOutcome          map[string]int         `json:"by_outcome"`
	DaysToFirstContact *float64               `json:"median_days_to_first_contact"` // null without data
	WithFirstContact   int                    `json:"with_first_contact"`
	DaysToDecision     *float64               `json:"median_days_to_decision"`
	Decided            int                    `json:"decided"`
}

type profileJSON struct {
	Name        string `json:"name"`
	Target      int    `json:"target"`
	Result      int    `json:"result"`
	InProgramme int    `json:"in_programme"`
	Included    int    `json:"included"`
}

func nonZero(cs []Count) map[string]int {
	out := map[string]int{}
	for _, c := range cs {
		if c.N > 0 {
			out[c.Key] = c.N
		}
	}
	return out
}
