package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Journal is the set of operations an install knows. Its projection
// (Project) depends only on the set: not on the order in which the
// operations arrived, nor on how many times each came.
type Journal struct {
	ops    map[string]data.Op
	raw    map[string][]byte // canonical JSON of each op, to recognise a duplicate
	erased map[string]bool   // people erased: their operations are not kept
}

// NewJournal returns an empty journal.
func NewJournal() *Journal {
	return &Journal{ops: map[string]data.Op{}, raw: map[string][]byte{}, erased: map[string]bool{}}
}

// about reports whether op is about person: its subject or its record.
func about(op data.Op, person string) bool { return op.Subject == person || op.Record == person }

// Forget removes every operation about person but their erasure, and
// returns their IDs: once a person is erased the journal keeps only the
// tombstone, and Add drops whatever else about them comes later. The
// people merged with person, either way, are erased with them (the
// coordinator found they were the same person: a duplicate's ficha holds
// the same name and document), and people lists them all, person first. The projection is the same with or
// without the operations forgotten, since erasure is sticky. Merges are
// kept: they hold only IDs, and say who else an erasure reaches.
func (j *Journal) Forget(person string) (ids, people []string) {
	todo := []string{person}
	for len(todo) > 0 {
		p := todo[0]
		todo = todo[1:]
		if slices.Contains(people, p) {
			continue
		}
		j.erased[p] = true
		people = append(people, p)
		for id, op := range j.ops {
			switch {
			case op.Kind == data.OpPersonMerge:
				if into := mergeInto(op); into == p && op.Record != p {
					todo = append(todo, op.Record)
				} else if op.Record == p && into != "" && into != p {
					todo = append(todo, into)
				}
			case about(op, p) && op.Kind != data.OpPersonErase:
				delete(j.ops, id)
				delete(j.raw, id)
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids, people
}

// mergeInto is the person a person.merge operation merges into.
func mergeInto(op data.Op) string {
	var m struct {
		Into string `json:"into"`
	}
	if json.Unmarshal(op.Data, &m) != nil {
		return ""
	}
	return m.Into
}

// erasedMerge returns, for a merge of a person erased with one who is
// not, the one who is not: they are erased too (see Forget); "" else.
func (j *Journal) erasedMerge(op data.Op) string {
	if op.Kind != data.OpPersonMerge {
		return ""
	}
	into := mergeInto(op)
	switch {
	case into == "" || into == op.Record:
		return ""
	case j.erased[into] && !j.erased[op.Record]:
		return op.Record
	case j.erased[op.Record] && !j.erased[into]:
		return into
	}
	return ""
}

// ErrReusedID is returned by Add for an operation whose ID is known with
// other content: a device that reused an ID, or a forged batch.
var ErrReusedID = errors.New("una operación repite el identificador de otra distinta")

// Add adds op and reports whether it was new. The same operation again is
// ignored.
func (j *Journal) Add(op data.Op) (bool, error) {
	if op.ID == "" || op.Device == "" || op.Kind == "" {
		return false, fmt.Errorf("operación incompleta (id %q, dispositivo %q, tipo %q)", op.ID, op.Device, op.Kind)
	}
	raw, err := json.Marshal(op)
	if err != nil {
		return false, err
	}
	if old, ok := j.raw[op.ID]; ok {
		if bytes.Equal(old, raw) {
			return false, nil
		}
		return false, fmt.Errorf("%w: %s", ErrReusedID, op.ID)
	}
	if j.dropped(op) {
		return false, nil // about an erased person: not kept
	}
	j.ops[op.ID], j.raw[op.ID] = op, raw
	return true, nil
}

// dropped reports whether op is about a person erased, and so not kept.
func (j *Journal) dropped(op data.Op) bool {
	return op.Kind != data.OpPersonErase && op.Kind != data.OpPersonMerge && (j.erased[op.Subject] || j.erased[op.Record])
}

// Has reports whether the journal holds the operation with that ID.
func (j *Journal) Has(id string) bool { _, ok := j.ops[id]; return ok }

// Len is how many operations the journal holds.
func (j *Journal) Len() int { return len(j.ops) }

// Ops returns the operations in clock order.
func (j *Journal) Ops() []data.Op {
	out := make([]data.Op, 0, len(j.ops))
	for _, op := range j.ops {
		out = append(out, op)
	}
	slices.SortFunc(out, func(a, b data.Op) int {
		if c := a.Clock.Compare(b.Clock); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Version is one written value: of a person's field group, or of a
// record.
type Version struct {
	Op     string          `json:"op"`
	Clock  data.HLC        `json:"clock"`
	Device string          `json:"device"`
	User   string          `json:"user"`
	Value  json.RawMessage `json:"value,omitempty"` // absent for a deletion
}

// Person is a person's field groups, each the value last written.
type Person struct {
	Groups map[string]Version `json:"groups"`
}

// Event is a timeline event: a grow-only set, never changed once added.
type Event struct {
	Subject string          `json:"subject"`
	Data    json.RawMessage `json:"data"`
	Clock   data.HLC        `json:"clock"`
}

// Step is one step of a referral's procedure.
type Step struct {
	Op      string          `json:"op"`
	Clock   data.HLC        `json:"clock"`
	User    string          `json:"user"`
	Follows string          `json:"follows,omitempty"`
	Data    json.RawMessage `json:"data"`
}

// Referral is a referral's steps: the winning line from the proposal, and
// the steps that lost a fork, kept for the history.
type Referral struct {
	Subject string `json:"subject"`
	Steps   []Step `json:"steps"`
	Losing  []Step `json:"losing,omitempty"`
}

// Conflict is two writes made without seeing each other: the winner is
// applied, the loser kept here for the coordinator to review ("cambios
// simultáneos — revisar").
type Conflict struct {
	Kind    string  `json:"kind"` // "campo" (a person's field group) or "paso" (a referral fork)
	Subject string  `json:"subject"`
	Record  string  `json:"record"`
	Group   string  `json:"group,omitempty"`
	Winner  Version `json:"winner"`
	Loser   Version `json:"loser"`
}

// State is the projection of a journal.
type State struct {
	People     map[string]*Person   `json:"people"`
	Events     map[string]Event     `json:"events"`
	Referrals  map[string]*Referral `json:"referrals"`
	Records    map[string]Version   `json:"records"` // record.set values; deletions kept as versions without value
	Erased     map[string]bool      `json:"erased"`
	MergedInto map[string]string    `json:"merged_into"`
	Conflicts  []Conflict           `json:"conflicts"`
	Resolved   map[string]bool      `json:"resolved,omitempty"` // losing writes the coordinator reviewed
}

// Hash is a digest of the state: two installs with the same hash show
// the same data.
func (s *State) Hash() string {
	raw, err := json.Marshal(s) // maps marshal with sorted keys
	if err != nil {
		panic(err) // only JSON values and plain types
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// LiveRecords counts the people and records the state holds, for the
// guard against a sync that would remove most of them.
func (s *State) LiveRecords() int {
	n := len(s.People)
	for _, v := range s.Records {
		if v.Value != nil {
			n++
		}
	}
	return n
}

// Project computes the state of the journal's operations.
func (j *Journal) Project() *State {
	st := &State{People: map[string]*Person{}, Events: map[string]Event{}, Referrals: map[string]*Referral{},
		Records: map[string]Version{}, Erased: map[string]bool{}, MergedInto: map[string]string{},
		Resolved: map[string]bool{}}
	ops := j.Ops()
	// Erasure is sticky: it removes every operation about the person,
	// whatever its clock, so that no older or delayed write brings them
	// back. Merges redirect the merged person's events and referrals.
	for _, op := range ops {
		switch op.Kind {
		case data.OpPersonErase:
			st.Erased[op.Record] = true
		case data.OpConflictResolve:
			st.Resolved[op.Record] = true
		case data.OpPersonMerge:
			if into := mergeInto(op); into != "" && into != op.Record {
				st.MergedInto[op.Record] = into
			}
		}
	}
	// A person merged with one erased, either way, is erased too (see
	// Forget).
	for {
		more := false
		for from, into := range st.MergedInto {
			if st.Erased[into] != st.Erased[from] {
				st.Erased[from], st.Erased[into], more = true, true, true
			}
		}
		if !more {
			break
		}
	}
	versions := map[string]map[string][]data.Op{} // person → group → writes in clock order
	steps := map[string][]data.Op{}
	for _, op := range ops {
		if st.Erased[op.Subject] || (st.Erased[op.Record] && op.Kind != data.OpPersonErase) {
			continue
		}
		subject := st.root(op.Subject)
		switch op.Kind {
		case data.OpPersonSet:
			if _, merged := st.MergedInto[op.Record]; merged {
				continue
			}
			g := versions[op.Record]
			if g == nil {
				g = map[string][]data.Op{}
				versions[op.Record] = g
			}
			for group := range op.Fields {
				g[group] = append(g[group], op)
			}
		case data.OpEventAdd:
			st.Events[op.Record] = Event{Subject: subject, Data: op.Data, Clock: op.Clock}
		case data.OpReferralStep:
			steps[op.Record] = append(steps[op.Record], op)
		case data.OpRecordSet:
			st.Records[op.Record] = version(op, op.Data)
		case data.OpRecordDelete:
			st.Records[op.Record] = version(op, nil)
		}
	}
	for id, groups := range versions {
		p := &Person{Groups: map[string]Version{}}
		for group, writes := range groups {
			win := writes[len(writes)-1]
			p.Groups[group] = version(win, win.Fields[group])
			for _, lose := range writes[:len(writes)-1] {
				if !j.ancestor(lose.ID, win, group) && !bytes.Equal(lose.Fields[group], win.Fields[group]) && !st.Resolved[lose.ID] {
					st.Conflicts = append(st.Conflicts, Conflict{Kind: "campo", Subject: id, Record: id, Group: group,
						Winner: p.Groups[group], Loser: version(lose, lose.Fields[group])})
				}
			}
		}
		st.People[id] = p
	}
	for id, ss := range steps {
		st.Referrals[id] = st.referral(id, ss)
	}
	slices.SortFunc(st.Conflicts, func(a, b Conflict) int {
		return cmpStrings(a.Record+"\x00"+a.Group+"\x00"+a.Loser.Op, b.Record+"\x00"+b.Group+"\x00"+b.Loser.Op)
	})
	return st
}

// mergeGroup is person and everyone merged with them, either way.
func (s *State) mergeGroup(person string) []string {
	group := []string{person}
	for i := 0; i < len(group); i++ {
		for from, into := range s.MergedInto {
			for _, x := range []string{from, into} {
				if (from == group[i] || into == group[i]) && !slices.Contains(group, x) {
					group = append(group, x)
				}
			}
		}
	}
	return group
}

// root follows merges: the person a merged person's data now belongs to.
func (s *State) root(id string) string {
	for range 64 { // a merge cycle cannot loop forever
		into, ok := s.MergedInto[id]
		if !ok {
			return id
		}
		id = into
	}
	return id
}

// ancestor reports whether the write with ID anc is in the chain of
// bases of group from op: op's writer had seen it.
func (j *Journal) ancestor(anc string, op data.Op, group string) bool {
	seen := map[string]bool{}
	for id := op.Base[group]; id != "" && !seen[id]; {
		if id == anc {
			return true
		}
		seen[id] = true
		next, ok := j.ops[id]
		if !ok {
			return false
		}
		id = next.Base[group]
	}
	return false
}

// referral builds a referral's line of steps. Each step names the step
// it follows; two steps that follow the same one are a fork, settled the
// same way everywhere: the earlier clock wins (the first to act), the
// other step and everything after it are kept as losing, with a Conflict
// for the coordinator.
func (s *State) referral(id string, ops []data.Op) *Referral {
	r := &Referral{}
	children := map[string][]data.Op{}
	for _, op := range ops {
		children[op.Follows] = append(children[op.Follows], op) // ops are in clock order
		if r.Subject == "" {
			r.Subject = s.root(op.Subject)
		}
	}
	var lose func(op data.Op)
	lose = func(op data.Op) {
		r.Losing = append(r.Losing, step(op))
		for _, c := range children[op.ID] {
			lose(c)
		}
	}
	at := ""
	for {
		next := children[at]
		if len(next) == 0 {
			break
		}
		win := next[0]
		r.Steps = append(r.Steps, step(win))
		for _, l := range next[1:] {
			if !s.Resolved[l.ID] {
				s.Conflicts = append(s.Conflicts, Conflict{Kind: "paso", Subject: r.Subject, Record: id,
					Winner: version(win, win.Data), Loser: version(l, l.Data)})
			}
			lose(l)
		}
		at = win.ID
	}
	// A step whose predecessor has not arrived (or was dropped) is kept
	// too: nothing is silently left out.
	placed := map[string]bool{}
	for _, st := range append(slices.Clone(r.Steps), r.Losing...) {
		placed[st.Op] = true
	}
	for _, op := range ops {
		if !placed[op.ID] {
			r.Losing = append(r.Losing, step(op))
		}
	}
	return r
}

func version(op data.Op, value json.RawMessage) Version {
	return Version{Op: op.ID, Clock: op.Clock, Device: op.Device, User: op.User, Value: value}
}

func step(op data.Op) Step {
	return Step{Op: op.ID, Clock: op.Clock, User: op.User, Follows: op.Follows, Data: op.Data}
}

func cmpStrings(a, b string) int { return strings.Compare(a, b) }
