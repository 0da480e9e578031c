package sync

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// BenchmarkOneChange: one change made at one install and seen at
// another, through Apache on loopback (target: ≤ 2 s after the sync starts).
func BenchmarkOneChange(b *testing.B) {
	dav := datatest.StartApache(b, "")
	sp := newSpace(b, dav, map[string]data.Role{"a": data.RoleTechnician, "b": data.RoleTechnician})
	dir := b.TempDir()
	a, c := sp.open(b, dir, "a"), sp.open(b, dir, "b")
	defer a.Close()
	defer c.Close()
	b.ResetTimer()
	for i := range b.N {
		op := data.Op{ID: fmt.Sprintf("a-%016x", i+1), Clock: a.Tick(time.Now()), Device: "a", User: "u-a",
			Kind: data.OpEventAdd, Record: fmt.Sprintf("e%d", i), Subject: "p1", Data: json.RawMessage(`{}`)}
		if err := a.Record(op); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Sync(); err != nil {
			b.Fatal(err)
		}
		if rep, err := c.Sync(); err != nil || rep.Received != 1 {
			b.Fatalf("received %d, %v", rep.Received, err)
		}
	}
}

// BenchmarkIdleSync: a sync with nothing new in a space of 20 installs
// that have all shipped something (target: ≤ 3 requests and ≤ 100 ms;
// it is one listing of heads/).
func BenchmarkIdleSync(b *testing.B) {
	dav := datatest.StartApache(b, "")
	roles := map[string]data.Role{}
	for i := range 20 {
		roles[fmt.Sprintf("d%02d", i)] = data.RoleTechnician
	}
	sp := newSpace(b, dav, roles)
	dir := b.TempDir()
	for _, dev := range sortedKeys(roles)[1:] {
		in := sp.open(b, dir, dev)
		op := data.Op{ID: dev + "-0000000000000001", Clock: in.Tick(time.Now()), Device: dev, User: "u-" + dev,
			Kind: data.OpEventAdd, Record: "e-" + dev, Subject: "p1", Data: json.RawMessage(`{}`)}
		if err := in.Record(op); err != nil {
			b.Fatal(err)
		}
		if _, err := in.Sync(); err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
	a := sp.open(b, dir, "d00")
	defer a.Close()
	if _, err := a.Sync(); err != nil {
		b.Fatal(err)
	}
	var reqs int64
	b.ResetTimer()
	for range b.N {
		rep, err := a.Sync()
		if err != nil {
			b.Fatal(err)
		}
		reqs += rep.Requests
	}
	b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
}

// BenchmarkProject: the state of a space of 10,000 people and 100,000
// events (a first join applies it once).
func BenchmarkProject(b *testing.B) {
	j := NewJournal()
	m := newMaker("a", "ana")
	for i := range 10_000 {
		p := fmt.Sprintf("p%05d", i)
		for _, g := range []string{"name", "contact", "document"} {
			if _, err := j.Add(m.set(p, g, "valor")); err != nil {
				b.Fatal(err)
			}
		}
		for e := range 10 {
			if _, err := j.Add(m.event(fmt.Sprintf("%s-e%d", p, e), p, "nota")); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for range b.N {
		if st := j.Project(); len(st.People) != 10_000 {
			b.Fatal(len(st.People))
		}
	}
}

// BenchmarkJoin: a new install joins a space of 10,000 people and 100,000
// events (target: ≤ 30 s): it reads the batches from Apache, checks and
// decrypts them, projects the journal and writes everything into a real
// encrypted store, searchable. The space is shipped by one device in
// batches of about 11,000 operations (as many as a day's work would not
// reach), with no snapshot: the whole log is replayed
// (BenchmarkJoinSnapshot joins from one); only the join is timed.
func BenchmarkJoin(b *testing.B) {
	sp, _ := joinSpace(b, false)
	benchJoin(b, sp)
	files, err := os.ReadDir(filepath.Join(sp.folder(), "devices", "a", "ops"))
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, f := range files {
		if fi, err := f.Info(); err == nil {
			size += fi.Size()
		}
	}
	b.ReportMetric(float64(size)/1e6, "log-MB")
}

// joinSpace ships the space BenchmarkJoin joins, and a snapshot of it
// when snapshot is set (it returns how long writing that took).
func joinSpace(b *testing.B, snapshot bool) (*space, time.Duration) {
	people := datatest.BenchPeople(b, 10_000) // BENCH_PEOPLE=1000 for a quick look
	events := 10 * people
	dav := datatest.StartApache(b, "")
	sp := allRoles(coordinators(b, dav, "a", "b"))
	dir := b.TempDir()
	a := sp.open(b, dir, "a")
	a.cfg.Compact = Compaction{SnapshotEvery: -1, CollectEvery: -1}
	defer a.Close()
	m := newMaker("a", datatest.Login)
	var ops []data.Op
	flush := func() {
		if err := a.Record(ops...); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Sync(); err != nil {
			b.Fatal(err)
		}
		ops = ops[:0]
	}
	for i := range people {
		ops = append(ops, joinPerson(m, i, events/people)...)
		if len(ops) >= 11_000 {
			flush()
		}
	}
	flush()
	var took time.Duration
	if snapshot {
		start := time.Now()
		if _, err := a.Snapshot(); err != nil {
			b.Fatal(err)
		}
		took = time.Since(start)
	}
	return sp, took
}

// joinPerson is the operations about the i-th person of BenchmarkJoin's
// space, made by m: their ficha (name and contact), then events notes of
// their timeline.
func joinPerson(m *opMaker, i, events int) []data.Op {
	p := fmt.Sprintf("p%05d", i)
	op := m.op(data.OpPersonSet, p, p)
	op.Fields = map[string]json.RawMessage{
		"name":    json.RawMessage(fmt.Sprintf(`{"first_name":"Nombre%d","last_name":"Apellido%d"}`, i, i)),
		"contact": json.RawMessage(`{"phone1":"600112233"}`),
	}
	ops := []data.Op{op}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for e := range events {
		id := fmt.Sprintf("%s-e%d", p, e)
		ev := m.op(data.OpEventAdd, id, p)
		ev.Data, _ = json.Marshal(data.Event{ID: id, PersonID: p, At: at.Add(time.Duration(e) * time.Hour),
			Kind: data.EventNote, Text: "Nota de seguimiento", Author: "Ana"})
		ops = append(ops, ev)
	}
	return ops
}

// benchJoin times device b's first sync into a real store, b.N times.
func benchJoin(b *testing.B, sp *space) {
	people := datatest.BenchPeople(b, 10_000)
	events := 10 * people
	var cpuSum time.Duration
	var progress Progress // BENCH_PROGRESS=1: the join tells a Progress, as the window's does
	calls := 0
	if os.Getenv("BENCH_PROGRESS") != "" {
		progress = func(int64, int64, string) { calls++ }
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := datatest.Open(b, nil)
		if err := s.EnableSync("b"); err != nil {
			b.Fatal(err)
		}
		in, err := OpenInstall(filepath.Join(b.TempDir(), "b.sync"), Config{Device: "b", SignKey: sp.keys["b"],
			Space: sp.id, Membership: sp.members, Remote: NewRemote(sp.url, sp.dav.User, sp.dav.Password), Local: s, Progress: progress})
		if err != nil {
			b.Fatal(err)
		}
		cpu := datatest.CPUTime()
		b.StartTimer()
		rep, err := in.Sync()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpuSum += datatest.CPUTime() - cpu
		if rep.Received != people+events || s.PersonCount() != people {
			b.Fatalf("joined with %d operations and %d people", rep.Received, s.PersonCount())
		}
		if hits, _ := s.Search(fmt.Sprintf("apellido%d", people-1), 5); len(hits) != 1 {
			b.Fatalf("search after the join finds %d", len(hits))
		}
		b.ReportMetric(float64(rep.Requests), "requests/op")
		in.Close()
		b.StartTimer()
	}
	if progress != nil {
		b.ReportMetric(float64(calls)/float64(b.N), "progress-calls/op")
	}
	b.ReportMetric(cpuSum.Seconds()/float64(b.N), "cpu-s/op") // on all cores; less moved by a busy machine than the time
}
