package sync

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// opMaker makes operations for one device, with its own clock and the
// bases it has seen, as an install would.
type opMaker struct {
	device, user string
	n            int
	wall         int64
	seen         map[string]string // person/group → the last write of it this device saw
}

func newMaker(device, user string) *opMaker {
	return &opMaker{device: device, user: user, seen: map[string]string{}}
}

func (m *opMaker) op(kind data.OpKind, record, subject string) data.Op {
	m.n++
	m.wall += 1000
	return data.Op{ID: fmt.Sprintf("%s-%016x", m.device, m.n), Clock: data.HLC{Wall: m.wall, Device: m.device},
		Device: m.device, User: m.user, Kind: kind, Record: record, Subject: subject}
}

func (m *opMaker) set(person string, group, value string) data.Op {
	op := m.op(data.OpPersonSet, person, person)
	op.Fields = map[string]json.RawMessage{group: json.RawMessage(fmt.Sprintf("%q", value))}
	if b := m.seen[person+"/"+group]; b != "" {
		op.Base = map[string]string{group: b}
	}
	m.seen[person+"/"+group] = op.ID
	return op
}

func (m *opMaker) step(referral, person, follows string, action data.Action) data.Op {
	op := m.op(data.OpReferralStep, referral, person)
	op.Follows = follows
	op.Data, _ = json.Marshal(StepData{Action: action})
	return op
}

func (m *opMaker) event(id, person, text string) data.Op {
	op := m.op(data.OpEventAdd, id, person)
	op.Data, _ = json.Marshal(map[string]string{"text": text})
	return op
}

// randomOps is a history of three devices working on the same people,
// from seed: field writes (some seeing each other's, some not), events,
// referral steps with forks, record writes and deletions, an erasure.
func randomOps(seed uint64, n int) []data.Op {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	makers := []*opMaker{newMaker("a", "ana"), newMaker("b", "bea"), newMaker("c", "carlos")}
	groups := []string{"name", "contact", "document", "address", "nationality"}
	var ops []data.Op
	lastStep := map[string]string{}
	for i := range n {
		m := makers[r.IntN(len(makers))]
		if r.IntN(4) == 0 { // sometimes a device catches up with another's writes
			o := makers[r.IntN(len(makers))]
			for k, v := range o.seen {
				m.seen[k] = v
			}
			m.wall = max(m.wall, o.wall)
		}
		person := fmt.Sprintf("p%d", r.IntN(5))
		var op data.Op
		switch k := r.IntN(10); {
		case k < 4:
			op = m.set(person, groups[r.IntN(len(groups))], fmt.Sprintf("v%d", i))
		case k < 6:
			op = m.event(fmt.Sprintf("e%d", i), person, fmt.Sprintf("nota %d", i))
		case k < 8:
			ref := "r-" + person
			op = m.step(ref, person, lastStep[ref], []data.Action{data.ActPropose, data.ActInclude, data.ActRoute}[r.IntN(3)])
			if r.IntN(3) > 0 {
				lastStep[ref] = op.ID // else the next step forks from the same one
			}
		case k < 9:
			op = m.op(data.OpRecordSet, fmt.Sprintf("office/o%d", r.IntN(3)), "")
			op.Data = json.RawMessage(fmt.Sprintf(`{"name":"Oficina %d"}`, i))
		default:
			op = m.op(data.OpRecordDelete, fmt.Sprintf("office/o%d", r.IntN(3)), "")
		}
		ops = append(ops, op)
	}
	if n > 20 {
		m := makers[0]
		ops = append(ops, m.op(data.OpPersonErase, "p4", "p4"))
	}
	if n > 30 { // p3 was p4's duplicate: merging it reaches p4's erasure, whichever comes first
		merge := makers[1].op(data.OpPersonMerge, "p3", "p3")
		merge.Data = json.RawMessage(`{"into":"p4"}`)
		ops = append(ops, merge)
	}
	return ops
}

// projectShuffled adds ops in a random order, some twice, and projects.
func projectShuffled(t testing.TB, ops []data.Op, r *rand.Rand) *State {
	t.Helper()
	j := NewJournal()
	order := r.Perm(len(ops))
	for _, i := range order {
		if _, err := j.Add(ops[i]); err != nil {
			t.Fatal(err)
		}
		if r.IntN(3) == 0 { // a duplicate, as a re-sent batch brings
			if _, err := j.Add(ops[order[r.IntN(len(order))]]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return j.Project()
}

// projectForgetting adds ops in a random order as an install does: it
// forgets what is about a person as soon as their erasure (or a merge
// into a person erased) arrives, and projects.
func projectForgetting(t testing.TB, ops []data.Op, r *rand.Rand) *State {
	t.Helper()
	j := NewJournal()
	for _, i := range r.Perm(len(ops)) {
		op := ops[i]
		if _, err := j.Add(op); err != nil {
			t.Fatal(err)
		}
		if op.Kind == data.OpPersonErase {
			j.Forget(op.Record)
		} else if p := j.erasedMerge(op); p != "" {
			j.Forget(p)
		}
	}
	for _, op := range j.Ops() {
		if j.dropped(op) {
			t.Fatalf("the journal still holds %s about %s, erased", op.ID, op.Subject)
		}
	}
	return j.Project()
}

// TestAnyOrderSameState: the same operations, in any order and with
// duplicates, give the same state hash on every install.
func TestAnyOrderSameState(t *testing.T) {
	for seed := range uint64(30) {
		ops := randomOps(seed, 120)
		r := rand.New(rand.NewPCG(seed, 7))
		want := projectShuffled(t, ops, r).Hash()
		for try := range 5 {
			if got := projectShuffled(t, ops, r).Hash(); got != want {
				t.Fatalf("seed %d, order %d: hash %s, want %s", seed, try, got, want)
			}
		}
	}
}

// FuzzMergeOrder: for any history and any two orders, the same state.
func FuzzMergeOrder(f *testing.F) {
	f.Add(uint64(1), uint64(2), uint8(40))
	f.Add(uint64(99), uint64(3), uint8(200))
	f.Fuzz(func(t *testing.T, seed, order uint64, n uint8) {
		ops := randomOps(seed, int(n))
		a := projectShuffled(t, ops, rand.New(rand.NewPCG(order, 1)))
		b := projectShuffled(t, ops, rand.New(rand.NewPCG(order, 2)))
		if a.Hash() != b.Hash() {
			t.Fatalf("two orders of the same %d operations give different states", len(ops))
		}
		if c := projectForgetting(t, ops, rand.New(rand.NewPCG(order, 3))); c.Hash() != a.Hash() {
			t.Fatalf("forgetting the erased people's operations as they come changes the state of %d operations", len(ops))
		}
		if len(ops) > 20 {
			if _, ok := a.People["p4"]; ok || !a.Erased["p4"] {
				t.Fatal("the erased person is back")
			}
		}
		if n > 30 {
			if _, ok := a.People["p3"]; ok || !a.Erased["p3"] {
				t.Fatal("the person merged into the erased one is back")
			}
		}
	})
}

func TestConcurrentFieldsAreConflicts(t *testing.T) {
	a, b := newMaker("a", "ana"), newMaker("b", "bea")
	first := a.set("p1", "contact", "600 11 22 33")
	// b saw a's write and changed it: no conflict.
	b.seen["p1/contact"] = first.ID
	b.wall = a.wall
	second := b.set("p1", "contact", "600 44 55 66")
	// a, offline, changed the name; b changed it too without seeing it.
	nameA := a.set("p1", "name", "María José")
	nameB := b.set("p1", "name", "Mª José")
	j := NewJournal()
	for _, op := range []data.Op{nameB, second, nameA, first} {
		if _, err := j.Add(op); err != nil {
			t.Fatal(err)
		}
	}
	st := j.Project()
	if got := string(st.People["p1"].Groups["contact"].Value); got != `"600 44 55 66"` {
		t.Errorf("contact = %s, want the later write", got)
	}
	if len(st.Conflicts) != 1 {
		t.Fatalf("conflicts = %+v, want one: the name", st.Conflicts)
	}
	c := st.Conflicts[0]
	if c.Group != "name" || string(c.Winner.Value) != `"Mª José"` || string(c.Loser.Value) != `"María José"` || c.Loser.User != "ana" {
		t.Errorf("conflict = %+v: want b's later name applied and a's kept as the loser", c)
	}
}

func TestReferralForkKeepsTheLoser(t *testing.T) {
	tech, head, coord := newMaker("t", "tecnica"), newMaker("h", "jefa"), newMaker("c", "coordi")
	propose := tech.step("r1", "p1", "", data.ActPropose)
	head.wall, coord.wall = tech.wall, tech.wall+500 // the coordinator acts a little later
	verify := head.step("r1", "p1", propose.ID, data.ActVerifyYes)
	include := coord.step("r1", "p1", propose.ID, data.ActInclude) // did not see the verification
	later := coord.step("r1", "p1", include.ID, data.ActRoute)
	j := NewJournal()
	for _, op := range []data.Op{later, include, verify, propose} {
		if _, err := j.Add(op); err != nil {
			t.Fatal(err)
		}
	}
	st := j.Project()
	r := st.Referrals["r1"]
	if len(r.Steps) != 2 || r.Steps[1].Op != verify.ID {
		t.Fatalf("steps = %+v: want the proposal, then the earlier of the fork (the verification)", r.Steps)
	}
	if len(r.Losing) != 2 {
		t.Errorf("losing = %+v, want the inclusion and the step after it kept", r.Losing)
	}
	if len(st.Conflicts) != 1 || st.Conflicts[0].Kind != "paso" || st.Conflicts[0].Loser.Op != include.ID {
		t.Errorf("conflicts = %+v, want the fork for the coordinator to review", st.Conflicts)
	}
}

func TestErasureIsSticky(t *testing.T) {
	a, b := newMaker("a", "ana"), newMaker("b", "bea")
	create := a.set("p1", "name", "Persona Borrada")
	note := a.event("e1", "p1", "llamada")
	erase := a.op(data.OpPersonErase, "p1", "p1")
	// b was offline and wrote after the erasure's clock: it must not come back.
	b.wall = erase.Clock.Wall + 10_000
	late := b.set("p1", "contact", "611 22 33 44")
	lateNote := b.event("e2", "p1", "otra llamada")
	j := NewJournal()
	for _, op := range []data.Op{create, note, erase, late, lateNote} {
		if _, err := j.Add(op); err != nil {
			t.Fatal(err)
		}
	}
	st := j.Project()
	if _, ok := st.People["p1"]; ok || len(st.Events) != 0 || !st.Erased["p1"] {
		t.Errorf("after erasure: person %v, events %v", st.People["p1"], st.Events)
	}
}

func TestReusedIDRefused(t *testing.T) {
	a := newMaker("a", "ana")
	op := a.set("p1", "name", "Uno")
	j := NewJournal()
	if _, err := j.Add(op); err != nil {
		t.Fatal(err)
	}
	forged := op
	forged.Fields = map[string]json.RawMessage{"name": json.RawMessage(`"Otro"`)}
	if _, err := j.Add(forged); err == nil {
		t.Error("an operation reusing another's ID with other content was accepted")
	}
	if added, err := j.Add(op); added || err != nil {
		t.Errorf("the same operation again: added %v, %v; want ignored", added, err)
	}
}
