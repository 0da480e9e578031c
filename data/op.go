package data

import (
	"encoding/json"
	"fmt"
)

// Op is one change made at one install, as multi-office sync exchanges it
// (issue 13): the unit of the operation log. Every write to a synced
// record (people, timeline events, referrals, offices, staff, criteria,
// programme settings) is recorded locally as one or more Ops; sync ships
// them, encrypted and signed, in write-once batches, and every other
// install applies them with Store.ApplyOps. The tables are the projection
// of the log: applying the same set of Ops in any order, any number of
// times, gives the same state on every install.
//
// An Op is immutable once recorded. Its ID is unique across installs
// (device, the database's random series, counter: see Store.newOp), so a
// duplicate is recognised and ignored.
type Op struct {
	ID      string `json:"id"`      // Device-series-counter (12 and 16 hex digits); Device-counter before series
	Clock   HLC    `json:"clock"`   // when: total order across installs
	Device  string `json:"device"`  // the install that made it
	User    string `json:"user"`    // the login of the unlocked user who made it
	Kind    OpKind `json:"kind"`    // what it does
	Record  string `json:"record"`  // the record's ID (person, event, referral, office…)
	Subject string `json:"subject"` // the person it is about, "" for offices, staff, settings

	// Fields holds, for a *.set kind, the new value of each field group
	// written (see PersonFieldGroups): group name → JSON value of the
	// group's fields. Only the groups that changed are present.
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	// Base names, for a *.set kind, the ID of the Op whose value of each
	// group the writer saw when it wrote (absent when none): a write whose
	// base is not the write it overrides, nor one after it, was made
	// without seeing it, and the two are a conflict to review.
	Base map[string]string `json:"base,omitempty"`
	// Data holds, for an *.add kind, the whole record as JSON.
	Data json.RawMessage `json:"data,omitempty"`
	// Follows names, for a referral step, the ID of the Op of the step it
	// follows ("" for the proposal): two steps that follow the same one
	// are a fork, resolved by a fixed rule on every install.
	Follows string `json:"follows,omitempty"`
}

// OpKind says what an Op does to its record.
type OpKind string

// The kinds of Op. A deletion is always explicit: a record is never
// removed because a file is missing.
const (
	OpPersonSet    OpKind = "person.set"    // create or change field groups of a person
	OpPersonErase  OpKind = "person.erase"  // RGPD art. 17: sticky tombstone, destroys the person's key
	OpPersonMerge  OpKind = "person.merge"  // the coordinator merged Record into Data's {"into": id}
	OpEventAdd     OpKind = "event.add"     // a timeline event (grow-only set)
	OpReferralStep OpKind = "referral.step" // a proposal or a step of the procedure
	OpRecordSet    OpKind = "record.set"    // an office, staff member, criterion or setting, last writer wins
	OpRecordDelete OpKind = "record.delete" // explicit deletion of such a record
	// OpConflictResolve: the coordinator reviewed the conflict whose losing
	// write is Record (an Op ID), keeping the value applied or writing the
	// other one with an OpPersonSet of its own.
	OpConflictResolve OpKind = "conflict.resolve"
	// OpBatchSkip: the administration decided that the batch Record
	// ("<device>/<seq>"), refused on ingest because its signer may not
	// take one of its actions, is taken without those actions, so that the
	// device's later batches apply (see data/sync's doc).
	OpBatchSkip OpKind = "batch.skip"
)

// HLC is a hybrid logical clock: wall time in milliseconds, a counter
// for events within the same millisecond (or when the wall clock went
// back), and the device as the final tie-break, so any two clocks are
// ordered the same way on every install.
type HLC struct {
	Wall    int64  `json:"wall"`    // Unix milliseconds
	Counter uint32 `json:"counter"` // logical counter within Wall
	Device  string `json:"device"`  // tie-break
}

// Compare returns -1, 0 or +1 as h is before, equal to or after o.
func (h HLC) Compare(o HLC) int {
	switch {
	case h.Wall != o.Wall:
		return cmpInt(h.Wall, o.Wall)
	case h.Counter != o.Counter:
		return cmpInt(int64(h.Counter), int64(o.Counter))
	case h.Device < o.Device:
		return -1
	case h.Device > o.Device:
		return 1
	}
	return 0
}

// String is a sortable text form: 13-digit wall, 8-digit counter, device.
func (h HLC) String() string { return fmt.Sprintf("%013d-%08d-%s", h.Wall, h.Counter, h.Device) }

func cmpInt(a, b int64) int {
	if a < b {
		return -1
	}
	return 1
}

// PersonFieldGroups are the groups of person fields resolved together by
// last-writer-wins (issue 13): a concurrent change to the same group
// keeps the later one, keeps the losing value, and flags the person
// "cambios simultáneos — revisar". Every other person field is a group of
// its own, named by its JSON name.
var PersonFieldGroups = map[string][]string{
	"document": {"doc_kind", "doc_number", "doc_expiry", "regular"},
	"address":  {"address", "postal_code", "city"},
	"contact":  {"phone1", "phone2", "email"},
	"name":     {"first_name", "last_name"},
}
