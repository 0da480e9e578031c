package data_test

// The performance targets of the store, as benchmarks over a fixture of
// 100,000 people with 1,000,000 events (docs/PERFORMANCE.md):
//
//	go test ./data/ -run '^$' -bench . -benchtime 5s -count 3
//
// The fixture is built once by demo.Populate into the system's temporary
// folder and reused by later runs; BENCH_PEOPLE=5000 builds (and uses) a
// smaller one for a quick run, BENCH_DIR puts the copies that benchmarks
// write to on another disk. Benchmarks that cannot build the fixture skip.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/data/demo"
)

const (
	benchEvents  = 10         // average events per person in the fixture
	benchSeed    = 2022       // the fixture's people
	heavyDoc     = "HIST2000" // passport of the person with a long timeline
	heavyEvents  = 2000
	benchVersion = 3 // bump when the fixture's content changes
)

// benchFixture is the cached database and what the benchmarks look up in it.
type benchFixture struct {
	path   string
	people int
}

var (
	fixtureOnce sync.Once
	fixtureVal  benchFixture
	fixtureErr  error
)

// fixture returns the benchmark database, building it on first use. It
// skips b when the fixture cannot be built (no disk space, no temp dir).
func fixture(b *testing.B) benchFixture {
	b.Helper()
	fixtureOnce.Do(func() { fixtureVal, fixtureErr = loadFixture(b) })
	if fixtureErr != nil {
		b.Skipf("cannot build the benchmark fixture: %v", fixtureErr)
	}
	return fixtureVal
}

func loadFixture(b *testing.B) (benchFixture, error) {
	people := 100_000
	if v := os.Getenv("BENCH_PEOPLE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return benchFixture{}, fmt.Errorf("BENCH_PEOPLE=%q: se espera un número positivo", v)
		}
		people = n
	}
	f := benchFixture{people: people, path: filepath.Join(os.TempDir(),
		fmt.Sprintf("enlace-bench-v%d-s%d-%d.db", benchVersion, data.SchemaVersion, people))}
	if _, err := os.Stat(f.path); err == nil {
		return f, nil
	}
	// Earlier fixtures (another schema or generator) are of no further use.
	if old, _ := filepath.Glob(filepath.Join(os.TempDir(), fmt.Sprintf("enlace-bench-v*-s*-%d.db", people))); len(old) > 0 {
		for _, o := range old {
			_ = os.Remove(o)
		}
	}
	b.Logf("building the fixture %s (%d people, %d events each on average)…", f.path, people, benchEvents)
	start := time.Now()
	tmp := fmt.Sprintf("%s.tmp%d", f.path, os.Getpid())
	defer os.Remove(tmp)
	if err := buildFixture(tmp, people); err != nil {
		return benchFixture{}, err
	}
	if err := os.Rename(tmp, f.path); err != nil {
		return benchFixture{}, err
	}
	b.Logf("fixture built in %v", time.Since(start).Round(time.Millisecond))
	return f, nil
}

// buildFixture writes the demo people and one person with a timeline of
// heavyEvents events to a new file at path.
// Its user's passphrase is wrapped at the real argon2id cost, so that
// every open of the fixture unlocks as the application does.
func buildFixture(path string, people int) error {
	o := datatest.Options(&data.Options{NoSync: true})
	o.KDF = data.DefaultKDF
	s, err := data.Open(path, o)
	if err != nil {
		return err
	}
	_, err = demo.Populate(s, demo.Options{People: people, EventsPerPerson: benchEvents, Seed: benchSeed})
	if err == nil {
		err = addHeavyPerson(s)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// NoSync skipped every fsync: flush the file once, before renaming it.
	file, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = file.Sync()
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	return err
}

// addHeavyPerson adds a person followed for three years with about two
// entries each working day: heavyEvents events.
func addHeavyPerson(s *data.Store) error {
	now := s.Now()
	p := data.Person{FirstName: "Rosa", LastName: "Historial Largo",
		DocKind: data.DocPassport, DocNumber: heavyDoc, Nationality: "PE"}
	return s.Batch("Elena Robles Fuentes", func(b *data.Batch) error {
		if err := b.CreatePerson(&p); err != nil {
			return err
		}
		kinds := data.EventKinds
		for i := range heavyEvents {
			at := now.Add(-time.Duration(heavyEvents-i) * 13 * time.Hour)
			e := data.Event{PersonID: p.ID, At: at, Kind: kinds[i%len(kinds)],
				Text: fmt.Sprintf("Seguimiento número %d: llamada, confirma cita el martes a las 10:00", i+1)}
			if err := b.AddEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
}

// openFixture opens the fixture read-only (a shared lock: several
// benchmarks and processes can read it at once) and closes it at the end.
func openFixture(b *testing.B, f benchFixture) *data.Store {
	b.Helper()
	s, err := data.Open(f.path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		skipIfLocked(b, err)
		b.Fatalf("open fixture: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// skipIfLocked skips b when another process has the fixture open for
// writing (someone else running the benchmarks).
func skipIfLocked(b *testing.B, err error) {
	if errors.Is(err, data.ErrLocked) {
		b.Skipf("the fixture is in use by another process: %v", err)
	}
}

// copyFixture copies the fixture to a new file that the benchmark may write.
func copyFixture(b *testing.B, f benchFixture) string {
	b.Helper()
	dir := os.Getenv("BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else {
		var err error
		if dir, err = os.MkdirTemp(dir, "enlace-bench"); err != nil {
			b.Skipf("BENCH_DIR: %v", err)
		}
		b.Cleanup(func() { _ = os.RemoveAll(dir) })
	}
	dst := filepath.Join(dir, "copy.db")
	if err := copyFile(dst, f.path); err != nil {
		b.Skipf("copy the fixture: %v", err)
	}
	return dst
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkOpen opens the fixture as the application does (read-write,
// default options): bbolt open, freelist, unlock (argon2id at the default
// cost, unwrap the data key), schema check, decrypt and index every card.
// Targets: ≤ 1 s for the open and index (issue #2), ≤ 2 s for unlock and
// index (issue #8); BenchmarkUnwrap gives the unlock's share.
func BenchmarkOpen(b *testing.B) {
	f := fixture(b)
	var s *data.Store
	for b.Loop() {
		var err error
		if s, err = data.Open(f.path, datatest.Options(nil)); err != nil {
			skipIfLocked(b, err)
			b.Fatalf("Open: %v", err)
		}
		if n := s.PersonCount(); n != f.people+1 {
			b.Fatalf("%d people indexed, want %d", n, f.people+1)
		}
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatalf("Close: %v", err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
}

// BenchmarkMemory measures the resident memory of a fresh process holding
// the fixture open and indexed, after runtime.GC: a child test process
// (TestBenchRSSProbe) does the opening, so nothing this process built
// counts. Target: ≤ 400 MB.
func BenchmarkMemory(b *testing.B) {
	f := fixture(b)
	var rss, anon, file, heap []float64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBenchRSSProbe$", "-test.count=1")
		cmd.Env = append(os.Environ(), "ENLACE_RSS_PROBE="+f.path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("probe: %v\n%s", err, out)
		}
		var r, a, fi, h float64
		at := bytes.Index(out, []byte("RSSPROBE"))
		if at < 0 {
			b.Skipf("the probe measured nothing (no /proc?):\n%s", out)
		}
		if _, err := fmt.Sscanf(string(out[at:]), "RSSPROBE rss=%g anon=%g file=%g heap=%g", &r, &a, &fi, &h); err != nil {
			b.Fatalf("probe output %q: %v", out, err)
		}
		rss, anon, file, heap = append(rss, r), append(anon, a), append(file, fi), append(heap, h)
	}
	b.ReportMetric(median(rss), "rss-MB")
	b.ReportMetric(median(anon), "rss-anon-MB")
	b.ReportMetric(median(file), "rss-file-MB")
	b.ReportMetric(median(heap), "heap-MB")
}

// TestBenchRSSProbe is BenchmarkMemory's child process: it does nothing
// unless ENLACE_RSS_PROBE names a database.
func TestBenchRSSProbe(t *testing.T) {
	path := os.Getenv("ENLACE_RSS_PROBE")
	if path == "" {
		t.Skip("only run by BenchmarkMemory")
	}
	s, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := procStatus(t)
	fmt.Printf("RSSPROBE rss=%.1f anon=%.1f file=%.1f heap=%.1f\n",
		st["VmRSS"]/1024, st["RssAnon"]/1024, st["RssFile"]/1024, float64(ms.HeapAlloc)/(1<<20))
	runtime.KeepAlive(s)
}

// procStatus reads the kB fields of /proc/self/status.
func procStatus(t *testing.T) map[string]float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("resident memory needs /proc (Linux): %v", err)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if f := strings.Fields(v); ok && len(f) == 2 && f[1] == "kB" {
			out[k], _ = strconv.ParseFloat(f[0], 64)
		}
	}
	return out
}

// BenchmarkSearch runs a mix of the queries a coordinator types, with the
// list's limit of 500 hits: the first letters of a name as the
// search-as-you-type list refreshes, full names, document numbers and
// phones, drawn from people in the fixture. One op is the whole mix; p50 and
// p99 are per query. Target: p99 ≤ 5 ms.
func BenchmarkSearch(b *testing.B) {
	s := openFixture(b, fixture(b))
	mix := searchMix(b, s)
	byClass := map[string][]float64{}
	hits := map[string]int{}
	var all []float64
	for b.Loop() {
		for _, q := range mix {
			start := time.Now()
			_, total := s.Search(q.text, 500)
			d := ms(time.Since(start))
			all = append(all, d)
			byClass[q.class] = append(byClass[q.class], d)
			hits[q.class] += total
		}
	}
	b.ReportMetric(median(all), "p50-ms")
	b.ReportMetric(percentile(all, 99), "p99-ms")
	b.ReportMetric(float64(len(mix)), "queries/op")
	for _, c := range searchClasses {
		d := byClass[c.name]
		b.Logf("%-28s p50 %6.3f ms  p99 %6.3f ms  max %6.3f ms  %7d hits on average",
			c.name, median(d), percentile(d, 99), percentile(d, 100), hits[c.name]/max(len(d), 1))
	}
}

// benchQuery is one search of the mix and its class, for the breakdown.
type benchQuery struct{ class, text string }

// searchClasses are the kinds of query in the mix, how many of each, and
// how to make one from a person (ok false when the person lacks the field).
var searchClasses = []struct {
	name string
	n    int
	make func(c *data.PersonCard, r *rand.Rand) (string, bool)
}{
	{"1 letra del nombre", 40, func(c *data.PersonCard, _ *rand.Rand) (string, bool) { return prefix(c.FirstName, 1) }},
	{"2 letras (nombre/apellido)", 40, func(c *data.PersonCard, r *rand.Rand) (string, bool) { return prefix(nameOrSurname(c, r), 2) }},
	{"3 letras (nombre/apellido)", 40, func(c *data.PersonCard, r *rand.Rand) (string, bool) { return prefix(nameOrSurname(c, r), 3) }},
	{"nombre y apellidos", 60, func(c *data.PersonCard, _ *rand.Rand) (string, bool) { return c.FullName(), true }},
	{"nombre + 3 letras apellido", 40, func(c *data.PersonCard, _ *rand.Rand) (string, bool) {
		sur, ok := prefix(c.LastName, 3)
		return strings.Fields(c.FirstName)[0] + " " + sur, ok
	}},
	{"documento, 4 primeros", 40, func(c *data.PersonCard, _ *rand.Rand) (string, bool) { return prefix(c.DocNumber, 4) }},
	{"documento completo", 30, func(c *data.PersonCard, _ *rand.Rand) (string, bool) { return c.DocNumber, c.DocNumber != "" }},
	{"teléfono completo", 30, func(c *data.PersonCard, _ *rand.Rand) (string, bool) {
		return data.FormatPhone(c.Phone1), c.Phone1 != ""
	}},
	{"teléfono, 5 primeras", 30, func(c *data.PersonCard, _ *rand.Rand) (string, bool) { return prefix(c.Phone1, 5) }},
	{"correo, 8 primeros", 30, func(c *data.PersonCard, _ *rand.Rand) (string, bool) { return prefix(c.Email, 8) }},
}

// searchMix draws the queries from random people of the fixture.
func searchMix(b *testing.B, s *data.Store) []benchQuery {
	people, _ := s.Search("", s.PersonCount())
	if len(people) == 0 {
		b.Fatal("the fixture has no people")
	}
	r := rand.New(rand.NewPCG(benchSeed, 1))
	var mix []benchQuery
	for _, c := range searchClasses {
		made := 0
		for try := 0; made < c.n && try < 100*c.n; try++ {
			if q, ok := c.make(&people[r.IntN(len(people))].PersonCard, r); ok {
				mix = append(mix, benchQuery{c.name, q})
				made++
			}
		}
	}
	r.Shuffle(len(mix), func(i, j int) { mix[i], mix[j] = mix[j], mix[i] })
	return mix
}

// prefix returns the first n letters of the first word of s as a user
// types them (lower case, no accents), false when that word is shorter.
func prefix(s string, n int) (string, bool) {
	words := strings.Fields(data.Fold(s))
	if len(words) == 0 {
		return "", false
	}
	r := []rune(words[0])
	if len(r) < n {
		return "", false
	}
	return string(r[:n]), true
}

func nameOrSurname(c *data.PersonCard, r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return c.FirstName
	}
	return c.LastName
}

// BenchmarkTimeline2000 loads the timeline of the person with 2,000
// events, newest first. Target: ≤ 5 ms.
func BenchmarkTimeline2000(b *testing.B) {
	s := openFixture(b, fixture(b))
	hits, _ := s.Search(heavyDoc, 2)
	if len(hits) != 1 {
		b.Fatalf("the person with a long timeline (%s) is not in the fixture", heavyDoc)
	}
	id := hits[0].ID
	for b.Loop() {
		events, err := s.Timeline(id)
		if err != nil {
			b.Fatal(err)
		}
		if len(events) != heavyEvents {
			b.Fatalf("%d events, want %d", len(events), heavyEvents)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/timeline")
}

// BenchmarkAddEventDurable adds one event at a time to a copy of the
// fixture opened with default options, so every commit is fsynced.
// Target: median ≤ 10 ms.
func BenchmarkAddEventDurable(b *testing.B) {
	f := fixture(b)
	path := copyFixture(b, f)
	s, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		b.Fatalf("open copy: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	people, _ := s.Search("", 1000)
	r := rand.New(rand.NewPCG(1, 2))
	var lat []float64
	for b.Loop() {
		e := data.Event{PersonID: people[r.IntN(len(people))].ID, At: time.Now().Add(-time.Minute),
			Kind: data.EventCall, Text: "Llamada: confirma cita el martes a las 10:00"}
		start := time.Now()
		if err := s.AddEvent(&e, "Benchmark"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, ms(time.Since(start)))
	}
	b.ReportMetric(median(lat), "median-ms")
	b.ReportMetric(percentile(lat, 99), "p99-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(v []float64) float64 { return percentile(v, 50) }

// percentile returns the p-th percentile of v (nearest rank).
func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}
