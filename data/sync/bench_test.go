package sync

import (
	"encoding/json"
	"fmt"
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
