package reports_test

// The statistics and exports over a large database (docs/PERFORMANCE.md,
// "Statistics and export"):
//
//	go test ./reports/ -run '^$' -bench . -benchtime 5x -count 3
//
// The fixture is demo.Populate's 100,000 people with 10 events each (as in
// data/bench_test.go) plus 20,000 referrals spread over the last year in
// every state of the procedure. It is built once into the system's
// temporary folder and reused; BENCH_PEOPLE=5000 builds and uses a smaller
// one (with a fifth as many referrals). Benchmarks that cannot build it skip.

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
	"github.com/enlace-madrid/enlace/reports"
)

const statsBenchVersion = 1 // bump when the fixture's content changes

var (
	statsFixtureOnce sync.Once
	statsFixturePath string
	statsFixtureErr  error
)

// statsFixture returns the path of the benchmark database, building it
// on first use, and skips b when it cannot.
func statsFixture(b *testing.B) (path string, people int) {
	b.Helper()
	people = 100_000
	if v := os.Getenv("BENCH_PEOPLE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 {
			b.Fatalf("BENCH_PEOPLE=%q: se espera un número de al menos 5", v)
		}
		people = n
	}
	statsFixtureOnce.Do(func() {
		statsFixturePath = filepath.Join(os.TempDir(), fmt.Sprintf("enlace-statsbench-v%d-s%d-%d.db",
			statsBenchVersion, data.SchemaVersion, people))
		if _, err := os.Stat(statsFixturePath); err == nil {
			return
		}
		b.Logf("building %s (%d people, %d referrals)…", statsFixturePath, people, people/5)
		start := time.Now()
		tmp := fmt.Sprintf("%s.tmp%d", statsFixturePath, os.Getpid())
		defer os.Remove(tmp)
		if statsFixtureErr = buildStatsFixture(tmp, people); statsFixtureErr != nil {
			return
		}
		statsFixtureErr = os.Rename(tmp, statsFixturePath)
		b.Logf("built in %v", time.Since(start).Round(time.Millisecond))
	})
	if statsFixtureErr != nil {
		b.Skipf("cannot build the benchmark fixture: %v", statsFixtureErr)
	}
	return statsFixturePath, people
}

func buildStatsFixture(path string, people int) (err error) {
	s, err := data.Open(path, datatest.Options(&data.Options{NoSync: true}))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := demo.Populate(s, demo.Options{People: people, EventsPerPerson: 10, Seed: 2022, Referrals: -1}); err != nil {
		return err
	}
	return addBenchReferrals(s, people/5)
}

// addBenchReferrals proposes n referrals for every fifth person, dated over
// the last year, and moves them along: a sixth excluded, some pending, the
// rest included, routed and some closed. A thousand per transaction.
func addBenchReferrals(s *data.Store, n int) error {
	hits, _ := s.Search("", s.PersonCount())
	prog, err := s.Programme()
	if err != nil {
		return err
	}
	crits := map[data.Direction][]data.Criterion{}
	for _, d := range data.Directions {
		if crits[d], err = s.Criteria(d); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(2022, 20000))
	today := s.Today()
	for first := 0; first < n; first += 1000 {
		err := s.Batch("Generador de pruebas", func(b *data.Batch) error {
			for i := first; i < min(first+1000, n); i++ {
				dir := data.Directions[rng.IntN(2)]
				cs := crits[dir]
				r := data.Referral{PersonID: hits[(i*5)%len(hits)].ID, Direction: dir,
					CriterionID: cs[rng.IntN(len(cs))].ID, Profile: prog.Profiles[rng.IntN(len(prog.Profiles))].Code,
					Date: data.DateOf(today.Time(time.Local).AddDate(0, 0, -rng.IntN(365)))}
				if err := b.Propose(&r); err != nil {
					return err
				}
				for _, c := range benchPath(dir, rng) {
					if _, err := b.Apply(r.ID, c); err != nil {
						return fmt.Errorf("%s: %w", c.Action, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// benchPath draws the actions a benchmark referral goes through.
func benchPath(dir data.Direction, rng *rand.Rand) []data.Change {
	var out []data.Change
	if dir == data.FromAE {
		out = append(out, data.Change{Action: data.ActVerifyYes})
	}
	switch k := rng.IntN(12); {
	case k == 0:
		return nil // pending
	case k <= 2:
		reason := data.ExclusionReasons[rng.IntN(len(data.ExclusionReasons)-1)] // "otro" needs a text
		return append(out, data.Change{Action: data.ActExclude, Exclusion: reason})
	}
	out = append(out, data.Change{Action: data.ActInclude},
		data.Change{Action: data.ActRoute, Areas: []data.Area{data.Areas[rng.IntN(len(data.Areas))]}})
	if rng.IntN(3) == 0 {
		out = append(out, data.Change{Action: data.ActClose, Outcome: data.Outcomes[rng.IntN(len(data.Outcomes)-1)]})
	}
	return out
}

func openStatsFixture(b *testing.B) (*data.Store, int) {
	b.Helper()
	path, people := statsFixture(b)
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		b.Skipf("open the fixture: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s, people
}

// BenchmarkStatistics counts the whole year's referrals, as the Informes
// screen and `enlace stats` do. Target: ≤ 1 s with 100,000 people.
func BenchmarkStatistics(b *testing.B) {
	s, people := openStatsFixture(b)
	var st reports.Stats
	for b.Loop() {
		var err error
		if st, err = reports.Statistics(s, reports.Period{}); err != nil {
			b.Fatal(err)
		}
	}
	if st.Total != people/5 {
		b.Fatalf("%d referrals counted, want %d", st.Total, people/5)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/stats")
}

// BenchmarkInformesRefresh is what the Informes screen does on
// "Actualizar": the statistics and the count of every record.
func BenchmarkInformesRefresh(b *testing.B) {
	s, _ := openStatsFixture(b)
	for b.Loop() {
		if _, err := reports.Statistics(s, reports.Period{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Count(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/refresh")
}

// BenchmarkExport writes the referrals and the people in both formats.
func BenchmarkExport(b *testing.B) {
	s, _ := openStatsFixture(b)
	for _, f := range []reports.Format{reports.CSV, reports.XLSX} {
		b.Run("referrals-"+string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := reports.ExportReferrals(io.Discard, s, reports.Period{}, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
		})
		b.Run("people-"+string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := reports.ExportPeople(io.Discard, s, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
		})
	}
}
