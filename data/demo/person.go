package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// gen draws people and their timelines. Each person has a random stream
// of their own, seeded by the run's seed and their number, so the same
// seed gives the same people (names, documents, phones) whatever the day;
// only dates, drawn relative to now, move with it.
type gen struct {
	seed  uint64
	pcg   rand.PCG
	r     *rand.Rand // reads pcg
	now   time.Time  // events happen no later than now
	today data.Date
	loc   *time.Location
	team  *team

	natTotal int
	// Document numbers and first phones come from an affine bijection of
	// the person's index, so no two people share them.
	docMul, docAdd     uint64
	phoneMul, phoneAdd uint64
}

func newGen(seed uint64, now time.Time, t *team) *gen {
	g := &gen{seed: seed, now: now, today: data.DateOf(now), loc: now.Location(), team: t}
	g.r = rand.New(&g.pcg)
	for _, n := range nationalities {
		g.natTotal += n.weight
	}
	g.stream(-1)
	// Multipliers coprime with 10^7 and 10^8 (odd, not multiples of 5).
	g.docMul, g.docAdd = 7_919_333, g.r.Uint64N(10_000_000)
	g.phoneMul, g.phoneAdd = 48_271_197, g.r.Uint64N(100_000_000)
	return g
}

// stream switches g.r to the random stream of person i (-1: the run's).
func (g *gen) stream(i int) {
	g.pcg.Seed(splitmix(g.seed), splitmix(g.seed^splitmix(uint64(i))))
}

// splitmix scrambles x (SplitMix64's finaliser), so that nearby seeds give
// unrelated streams.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance returns true with probability percent/100.
func (g *gen) chance(percent int) bool { return g.r.IntN(100) < percent }

// plan is what the generator decided about a person beyond the record:
// who referred them, and from where their timeline starts.
type plan struct {
	referrer int       // staff index of who filled the form
	start    time.Time // first contact with the programme
	omiopi   bool      // referred from an OMIOPI office (else from the AE)
}

// person draws the i-th person of the run, switching to their stream:
// their timeline is drawn next, from the same stream.
func (g *gen) person(i int) (data.Person, plan) {
	g.stream(i)
	r := g.r
	nat := g.nationality()
	tab := &nameTables[nat.origin]
	p := data.Person{Nationality: nat.code, Regular: !g.chance(4)}
	p.Gender = g.gender()
	women := p.Gender == data.GenderWoman || (p.Gender != data.GenderMan && r.IntN(2) == 0)
	if women {
		p.FirstName = pick(r, tab.women)
	} else {
		p.FirstName = pick(r, tab.men)
	}
	surname := pick(r, tab.surnames)
	p.LastName = surname
	if tab.twoSurname {
		second := pick(r, tab.surnames)
		for second == surname {
			second = pick(r, tab.surnames)
		}
		p.LastName += " " + second
	}

	age := 18 + r.IntN(43) // 18–60
	birth := g.today.Time(g.loc).AddDate(-age, 0, -r.IntN(365))
	p.BirthDate = data.DateOf(birth)
	arrival := g.arrival(birth)
	p.ArrivalDate = data.DateOf(arrival)

	g.document(&p, i)
	g.contact(&p, i, surname)
	g.profile(&p, nat, arrival)

	var pl plan
	pl.omiopi = r.IntN(36) < 22 // the pilot: 22 referrals from OMIOPI, 14 from the AE
	if pl.omiopi {
		pl.referrer = pick(r, g.team.omiopi)
	} else {
		pl.referrer = pick(r, g.team.ae)
		p.Atlas = fmt.Sprintf("%d/%06d", 2020+r.IntN(g.today.Year-2019), r.IntN(1_000_000))
	}
	p.FilledBy = g.team.staff[pl.referrer].ID
	pl.start = g.firstContact(arrival)
	p.ConsentDate = data.DateOf(pl.start)
	p.ConsentAE, p.ConsentOMIOPI = true, true
	if g.chance(6) {
		p.ConsentAE = false
	}
	switch n := r.IntN(10); {
	case n < 7:
		p.ConsentHow = "Firma en el formulario de derivación"
	case n < 9:
		p.ConsentHow = "Consentimiento verbal, anotado por el técnico"
	default:
		p.ConsentHow = "Por correo electrónico de la persona"
	}
	p.Observations = g.observations(&p, arrival)
	return p, pl
}

func (g *gen) nationality() nationality {
	n := g.r.IntN(g.natTotal)
	for _, x := range nationalities {
		if n < x.weight {
			return x
		}
		n -= x.weight
	}
	return nationalities[0]
}

func (g *gen) gender() data.Gender {
	switch n := g.r.IntN(100); {
	case n < 54:
		return data.GenderWoman
	case n < 98:
		return data.GenderMan
	case n < 99:
		return data.GenderNonBinary
	}
	return data.GenderUnknown
}

// arrival draws the date of arrival in Spain: after the 16th birthday,
// within the last 12 years, at least a month ago, most of them recent.
func (g *gen) arrival(birth time.Time) time.Time {
	latest := g.now.AddDate(0, -1, 0)
	earliest := birth.AddDate(16, 0, 0)
	if e := g.now.AddDate(-12, 0, 0); e.After(earliest) {
		earliest = e
	}
	span := latest.Sub(earliest).Hours() / 24
	u := g.r.Float64()
	return latest.AddDate(0, 0, -int(u*u*span))
}

// firstContact is when the person first came to the programme: a few weeks
// to a few years after arriving, never more than three years ago.
func (g *gen) firstContact(arrival time.Time) time.Time {
	from := arrival.AddDate(0, 0, 14)
	if limit := g.now.AddDate(-3, 0, 0); from.Before(limit) {
		from = limit
	}
	to := g.now.AddDate(0, 0, -7)
	if !from.Before(to) {
		return arrival
	}
	return g.officeHours(from.Add(time.Duration(g.r.Int64N(int64(to.Sub(from))))))
}

// document draws the identity document: mostly NIE or TIE with the right
// check letter, some passports; expired, about to expire or valid for years.
// dni returns a valid, made-up DNI number for person i.
func dni(i int) string {
	n := 10_000_000 + (i*7_919+4_321)%89_999_999
	return fmt.Sprintf("%08d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
}

func (g *gen) document(p *data.Person, i int) {
	r := g.r
	switch n := r.IntN(100); {
	case n < 8: // nationalised: the pilot excluded 5 of 36 for holding a DNI
		p.DocKind, p.DocNumber = data.DocDNI, dni(i)
		p.DocExpiry = data.DateOf(g.now.AddDate(0, 0, 365+r.IntN(9*365)))
		return
	case n < 45:
		p.DocKind = data.DocNIE
	case n < 76:
		p.DocKind = data.DocTIE
	case n < 90:
		p.DocKind = data.DocPassport
	case n < 95:
		p.DocKind = data.DocAsylum
	case n < 98:
		p.DocKind = data.DocStudent
	default:
		return // no document recorded yet
	}
	if p.DocKind == data.DocPassport {
		p.DocNumber = g.passport(p.Nationality, i)
	} else {
		p.DocNumber = g.nie(i)
	}
	var days int
	switch n := r.IntN(100); {
	case n < 15:
		days = -1 - r.IntN(365) // expired
	case n < 35:
		days = r.IntN(91) // about to expire
	default:
		days = 91 + r.IntN(5*365)
	}
	p.DocExpiry = data.DateOf(g.now.AddDate(0, 0, days))
}

const nieLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// nie returns a valid NIE for person i: X, Y or Z, 7 digits, check letter.
func (g *gen) nie(i int) string {
	digits := (uint64(i)*g.docMul + g.docAdd) % 10_000_000
	prefix := byte(g.r.IntN(10))
	switch {
	case prefix < 1:
		prefix = 0 // X
	case prefix < 7:
		prefix = 1 // Y
	default:
		prefix = 2 // Z
	}
	n := uint64(prefix)*10_000_000 + digits
	var b [9]byte
	b[0] = "XYZ"[prefix]
	s := strconv.FormatUint(digits+10_000_000, 10) // leading 1 keeps the zeros
	copy(b[1:8], s[1:])
	b[8] = nieLetters[n%23]
	return string(b[:])
}

// passport returns a passport number shaped like those of the country.
func (g *gen) passport(country string, i int) string {
	digits := (uint64(i)*g.docMul + g.docAdd) % 10_000_000
	letters := string([]byte{byte('A' + g.r.IntN(26)), byte('A' + g.r.IntN(26))})
	switch country {
	case "VE", "CO", "AR":
		return fmt.Sprintf("%09d", 100_000_000+digits)
	case "UA":
		return fmt.Sprintf("%s%06d", letters, digits%1_000_000)
	}
	return fmt.Sprintf("%s%07d", letters, digits)
}

// contact draws the address, phones and e-mail (made from the first name
// and surname).
func (g *gen) contact(p *data.Person, i int, surname string) {
	r := g.r
	n := r.IntN(100)
	for _, t := range towns {
		if n < t.weight {
			p.City = t.name
			p.PostalCode = strconv.Itoa(t.postal + r.IntN(t.count))
			break
		}
		n -= t.weight
	}
	floor := []string{"bajo", "1º", "2º", "3º", "4º", "5º", "6º"}
	p.Address = fmt.Sprintf("%s, %d, %s %c", pick(r, streets), 1+r.IntN(180), pick(r, floor), 'A'+r.IntN(4))
	if !g.chance(3) {
		p.Phone1 = strconv.FormatUint(600_000_000+(uint64(i)*g.phoneMul+g.phoneAdd)%100_000_000, 10)
	}
	if g.chance(25) {
		p.Phone2 = strconv.Itoa(600_000_000 + r.IntN(100_000_000)) // 6xx: every one is an assigned mobile range
	}
	if g.chance(78) {
		first := strings.Fields(data.Fold(p.FirstName))[0]
		last := strings.ReplaceAll(data.Fold(surname), " ", "")
		num := ""
		if g.chance(60) {
			num = fmt.Sprintf("%02d", p.BirthDate.Year%100)
		}
		p.Email = first + "." + last + num + "@" + pick(r, emailDomains)
	}
}
