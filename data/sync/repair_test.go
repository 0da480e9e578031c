package sync

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// checkNow has in's next syncs check its own batches, however recent the
// last check (the default is an hour).
func checkNow(in *Install) { in.cfg.Compact.CheckEvery = time.Nanosecond }

// TestRepairOwnBrokenBatch: a's batch 2 is altered or deleted on the
// server; b and c hold a back there. a's next check finds it, publishes
// its operations again as batch 4 (Repairs: 2, named in its head), and
// b and c take it in 2's place: the refusal is gone, nothing is lost,
// and the three offices come to the same state. A check after that
// publishes nothing more. On Apache, and on rclone (which ignores
// If-None-Match: the repair's number must still be a new one).
func TestRepairOwnBrokenBatch(t *testing.T) {
	remove := func(t *testing.T, sp *space, rel string) {
		if err := os.Remove(sp.file(rel)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name  string
		dav   func(testing.TB) *datatest.DAV
		spoil func(t *testing.T, sp *space, rel string)
		cause string
	}{
		{"missing", nil, remove, causeMissing},
		{"bytes overwritten", nil, func(t *testing.T, sp *space, rel string) {
			raw, err := os.ReadFile(sp.file(rel))
			if err != nil {
				t.Fatal(err)
			}
			for i := len(raw) / 2; i < len(raw); i++ {
				raw[i] ^= 0x5a
			}
			write(t, sp.file(rel), raw)
		}, ""},
		// Through WebDAV: rclone caches its listings, and a file deleted
		// behind its back is a dropped connection (a failed sync), not a
		// batch missing.
		{"missing on rclone", datatest.StartRclone, func(t *testing.T, sp *space, rel string) {
			if err := NewRemote(sp.url, sp.dav.User, sp.dav.Password).remove(rel); err != nil {
				t.Fatal(err)
			}
		}, causeMissing},
	} {
		t.Run(c.name, func(t *testing.T) {
			var sp *space
			var a, b, in *Install
			if c.dav != nil {
				sp, a, b, in = brokenSpaceOn(t, c.dav(t))
			} else {
				sp, a, b, in = brokenSpace(t, "")
			}
			c.spoil(t, sp, batchPath("a", 2))
			for _, reader := range []*Install{in, b} {
				mustSync(t, reader)
				if r := reader.Refused(); len(r) != 1 || !r[0].Broken || r[0].Seq != 2 {
					t.Fatalf("%s: holds %+v, want a held back at its batch 2", reader.cfg.Device, r)
				}
			}
			if rep := mustSync(t, a); rep.Check.Ran {
				t.Error("a checked its batches within the hour of the last check")
			}
			checkNow(a)
			rep := mustSync(t, a)
			if !rep.Check.Ran || len(rep.Check.Repaired) != 1 || len(rep.Check.Lost) != 0 {
				t.Fatalf("a's check: %+v, want batch 2 repaired", rep.Check)
			}
			r := rep.Check.Repaired[0]
			if r.Seq != 2 || r.By != 4 || r.Ops != 1 || c.cause != "" && r.Cause != c.cause {
				t.Errorf("repair %+v, want batch 2 again as 4 with its one operation (%s)", r, c.cause)
			}
			if got := a.Repairs(); len(got) != 1 || got[0].Seq != 2 || got[0].By != 4 {
				t.Errorf("a's repairs as its status shows them: %+v", got)
			}
			for _, reader := range []*Install{in, b} {
				mustSync(t, reader)
				if r := reader.Refused(); len(r) != 0 {
					t.Errorf("%s still holds a back after the repair: %+v", reader.cfg.Device, r)
				}
				if got, want := events(reader), []string{"e1", "e2", "e3", "x1"}; !slices.Equal(got, want) {
					t.Errorf("%s holds %v, want %v", reader.cfg.Device, got, want)
				}
			}
			mustSync(t, a)
			if h := a.State().Hash(); h != b.State().Hash() || h != in.State().Hash() {
				t.Errorf("after the repair the offices differ: %v %v %v", events(a), events(b), events(in))
			}
			// Checked again: the repair is not published twice.
			if rep := mustSync(t, a); !rep.Check.Ran || len(rep.Check.Repaired) != 0 {
				t.Errorf("a second check: %+v, want nothing published", rep.Check)
			}
		})
	}
}

// TestRepairDropsErasedPerson: a's batch 2 carries an event about p2 and
// is deleted from the server; b erases p2 meanwhile. a publishes its
// repair before it learns of the erasure, with the event: c and b, who
// know of it, drop it, as for any batch, and nobody brings p2 back.
func TestRepairDropsErasedPerson(t *testing.T) {
	sp, a, b, c := brokenSpace(t, "")
	if err := os.Remove(sp.file(batchPath("a", 2))); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	record(t, b, data.OpPersonErase, "p2", "p2", nil)
	mustSync(t, b)
	mustSync(t, c)
	if !c.journal.erased["p2"] {
		t.Fatal("c has not taken b's erasure of p2")
	}
	checkNow(a)
	rep := mustSync(t, a) // the check runs before the pull: a still holds the event about p2
	if len(rep.Check.Repaired) != 1 || rep.Check.Repaired[0].Ops != 1 {
		t.Fatalf("a's check: %+v, want batch 2 published again with its event", rep.Check)
	}
	for _, in := range []*Install{c, b, a} {
		mustSync(t, in)
	}
	for _, in := range []*Install{a, b, c} {
		if r := in.Refused(); len(r) != 0 {
			t.Errorf("%s holds %+v after the repair", in.cfg.Device, r)
		}
		if got, want := events(in), []string{"e1", "e3", "x1"}; !slices.Equal(got, want) {
			t.Errorf("%s holds %v, want %v: the event about p2, erased, must not come back", in.cfg.Device, got, want)
		}
		if _, ok := in.pkeys["p2"]; ok {
			t.Errorf("%s keeps a key of p2", in.cfg.Device)
		}
	}
	if a.State().Hash() != b.State().Hash() || a.State().Hash() != c.State().Hash() {
		t.Error("the offices differ after the repair")
	}
	if _, err := os.Stat(sp.file(keyPath(keyName("p2", "a")))); !os.IsNotExist(err) {
		t.Errorf("p2's key is still on the server (%v)", err)
	}
}

// TestRepairNotPossible: a's sync file is lost (a new one over the same
// device), and its batch 2 is gone from the server: a's check finds it
// broken, cannot know its operations, and says so (Lost), publishing
// nothing; c stays held back at 2, with nothing wrong applied.
func TestRepairNotPossible(t *testing.T) {
	sp, a, _, c := brokenSpace(t, "")
	path := a.db.Path()
	a.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(sp.file(batchPath("a", 2))); err != nil {
		t.Fatal(err)
	}
	a2 := sp.open(t, t.TempDir(), "a")
	defer a2.Close()
	rep, err := a2.Repair()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Check.Ran || len(rep.Check.Repaired) != 0 || len(rep.Check.Lost) != 1 ||
		rep.Check.Lost[0].Seq != 2 || rep.Check.Lost[0].Cause != causeMissing {
		t.Fatalf("check of a new sync file: %+v, want batch 2 lost (missing)", rep.Check)
	}
	if l := a2.LostBatches(); len(l) != 1 || l[0].Seq != 2 {
		t.Errorf("a's status keeps %+v, want batch 2 it cannot repair", l)
	}
	if top := listHeads(t, a2)["a"]; top != 3 {
		t.Errorf("a's head is at %d after a check that could repair nothing, want 3", top)
	}
	mustSync(t, c)
	if r := c.Refused(); len(r) != 1 || r[0].Seq != 2 || !r[0].Broken {
		t.Errorf("c holds %+v, want a held back at 2", r)
	}
	if got, want := events(c), []string{"e1", "x1"}; !slices.Equal(got, want) {
		t.Errorf("c holds %v, want %v", got, want)
	}
}

func listHeads(t *testing.T, in *Install) map[string]uint64 {
	t.Helper()
	l, err := in.cfg.Remote.ListHeads()
	if err != nil {
		t.Fatal(err)
	}
	return l.Heads
}

// TestRepairKeepsRoles: a technician's batch 2 holds an inclusion (which
// a technician may not make) and is missing from the server. Its repair
// is judged as batch 2 would have been: the coordinator's install holds
// the technician back at 2 as a refused batch, for the administration
// to skip, no longer as one that does not open; the inclusion is never
// applied.
func TestRepairKeepsRoles(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"tecnica": data.RoleTechnician, "coordi": data.RoleCoordinator})
	dir := t.TempDir()
	tech, coord := sp.open(t, dir, "tecnica"), sp.open(t, dir, "coordi")
	defer tech.Close()
	defer coord.Close()
	event := func(id string) {
		record(t, tech, data.OpEventAdd, id, "p1", func(op *data.Op) { op.Data = json.RawMessage(`{"id":"` + id + `"}`) })
	}
	event("e1")
	mustSync(t, tech)
	event("e2")
	record(t, tech, data.OpReferralStep, "r1", "p1", stepData(data.ActInclude))
	mustSync(t, tech)
	if err := os.Remove(sp.file(batchPath("tecnica", 2))); err != nil {
		t.Fatal(err)
	}
	mustSync(t, coord)
	if r := coord.Refused(); len(r) != 1 || !r[0].Broken {
		t.Fatalf("coordi holds %+v, want tecnica's batch 2 missing", r)
	}
	rep, err := tech.Repair()
	if err != nil || len(rep.Check.Repaired) != 1 || rep.Check.Repaired[0].Ops != 2 {
		t.Fatalf("tecnica's repair: %+v, %v", rep.Check, err)
	}
	mustSync(t, coord)
	r := coord.Refused()
	if len(r) != 1 || r[0].Broken || r[0].Seq != 2 || strings.Join(r[0].What, ",") != "incluir en el programa" || r[0].Ops != 2 {
		t.Fatalf("coordi holds %+v, want tecnica's batch 2 refused for its inclusion", r)
	}
	if got := events(coord); !slices.Equal(got, []string{"e1"}) {
		t.Errorf("coordi holds %v, want e1 alone", got)
	}
	if _, ok := coord.State().Referrals["r1"]; ok {
		t.Error("the technician's inclusion was applied")
	}
}

// TestRepairCheckRequests: what the check of a device's own batches
// costs. With every batch read by the other member, a check due is the
// listing and, once, that member's head, then the listing alone. With
// ten batches the other has not read, a check looks at eight (a Stat,
// and the first time a GET to open it), the next goes on with the last
// two, and the one after that starts again with a Stat each: bounded,
// and nothing published when nothing is broken.
func TestRepairCheckRequests(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleCoordinator, "b": data.RoleCoordinator})
	dir := t.TempDir()
	a, b := sp.open(t, dir, "a"), sp.open(t, dir, "b")
	defer a.Close()
	defer b.Close()
	ship := func(n int) {
		for range n {
			record(t, a, data.OpEventAdd, "ev", "p1", func(op *data.Op) {
				op.Record = op.ID
				op.Data = json.RawMessage(`{}`)
			})
			mustSync(t, a)
		}
	}
	ship(2)
	mustSync(t, b) // its head (0) says it read a's two batches
	checkNow(a)
	for i, want := range []int64{2, 1} {
		rep := mustSync(t, a)
		if !rep.Check.Ran || len(rep.Check.Checked) != 0 || rep.Requests != want {
			t.Errorf("check %d with every batch read: %d requests, %+v; want %d and nothing checked", i+1, rep.Requests, rep.Check, want)
		}
	}
	a.cfg.Compact.CheckEvery = -1
	ship(10) // batches 3 to 12, which b does not read
	checkNow(a)
	for i, c := range []struct {
		requests int64
		from, to uint64
	}{{1 + 2*checkMax, 3, 10}, {1 + 2*2, 11, 12}, {1 + checkMax, 3, 10}} {
		rep := mustSync(t, a)
		chk := rep.Check
		if !chk.Ran || len(chk.Checked) == 0 || chk.Checked[0] != c.from || chk.Checked[len(chk.Checked)-1] != c.to ||
			len(chk.Repaired) != 0 || len(chk.Lost) != 0 || rep.Requests != c.requests {
			t.Errorf("check %d: %d requests, %+v; want %d, batches %d to %d, nothing broken", i+1, rep.Requests, chk, c.requests, c.from, c.to)
		}
	}
	if top := listHeads(t, a)["a"]; top != 12 {
		t.Errorf("a's head at %d, want 12: a check published something", top)
	}
}

// TestRepairWithoutList: a's batches were shipped before the sync file
// kept which operations each held (its lists are dropped here, as an
// install upgraded finds them). A broken batch between two that open, or
// the last, is found from its neighbours (push ships the whole outbox,
// IDs in order); a check that finds a batch whole writes its list down,
// so that it can be repaired later even when its neighbours are gone
// too; with neither, the batch is reported, not published empty.
func TestRepairWithoutList(t *testing.T) {
	for _, c := range []struct {
		name     string
		first    bool     // a check runs before the damage
		gone     []uint64 // a's batches deleted from the server
		repaired []uint64
		lost     []uint64
		events   []string // what c holds in the end
	}{
		{"between two", false, []uint64{2}, []uint64{2}, nil, []string{"e1", "e2", "e3", "x1"}},
		{"the last", false, []uint64{3}, []uint64{3}, nil, []string{"e1", "e2", "e3", "x1"}},
		{"lists written by a check", true, []uint64{2, 3}, []uint64{2, 3}, nil, []string{"e1", "e2", "e3", "x1"}},
		{"neighbours gone too", false, []uint64{2, 3}, nil, []uint64{2, 3}, []string{"e1", "x1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sp, a, _, in := brokenSpace(t, "")
			err := a.db.Update(func(tx *bolt.Tx) error {
				if err := tx.DeleteBucket(bucketSent); err != nil {
					return err
				}
				_, err := tx.CreateBucket(bucketSent)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.first {
				if rep, err := a.Repair(); err != nil || len(rep.Check.Checked) != 3 || len(rep.Check.Repaired)+len(rep.Check.Lost) != 0 {
					t.Fatalf("a check with all whole: %+v, %v", rep.Check, err)
				}
			}
			for _, s := range c.gone {
				if err := os.Remove(sp.file(batchPath("a", s))); err != nil {
					t.Fatal(err)
				}
			}
			mustSync(t, in)
			rep, err := a.Repair()
			if err != nil {
				t.Fatal(err)
			}
			var repaired, lost []uint64
			for _, r := range rep.Check.Repaired {
				if r.Ops != 1 {
					t.Errorf("batch %d published again with %d operations, want its one", r.Seq, r.Ops)
				}
				repaired = append(repaired, r.Seq)
			}
			for _, l := range rep.Check.Lost {
				lost = append(lost, l.Seq)
			}
			if !slices.Equal(repaired, c.repaired) || !slices.Equal(lost, c.lost) {
				t.Errorf("repaired %v and lost %v, want %v and %v", repaired, lost, c.repaired, c.lost)
			}
			mustSync(t, in)
			if got := events(in); !slices.Equal(got, c.events) {
				t.Errorf("c holds %v, want %v", got, c.events)
			}
			if held := len(in.Refused()) > 0; held != (len(c.lost) > 0) {
				t.Errorf("c holds back %+v", in.Refused())
			}
		})
	}
}

// TestRepairFormats: a head and a batch that carry Repairs read, in the
// shape an install before repairs decodes them, as they always did (the
// field is ignored: such an install holds the device back at the broken
// batch, and reads the repair as a batch of operations it has); and a
// head without it reads here as naming no repair. (Batches without it:
// TestFormat2Fixture and every batch written before.)
func TestRepairFormats(t *testing.T) {
	raw, err := json.Marshal(headFile{Device: "a", Seq: 4, Read: map[string]uint64{"b": 1}, Repairs: map[uint64]uint64{2: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"repairs":{"2":4}`) {
		t.Errorf("head JSON %s, want the repairs by batch number", raw)
	}
	var before struct { // headFile before repairs
		Device   string            `json:"device"`
		Seq      uint64            `json:"seq"`
		Read     map[string]uint64 `json:"read,omitempty"`
		Snapshot *SnapshotRef      `json:"snapshot,omitempty"`
		Pruned   uint64            `json:"pruned,omitempty"`
	}
	if err := json.Unmarshal(raw, &before); err != nil || before.Seq != 4 || before.Read["b"] != 1 {
		t.Errorf("an older install reads the head as %+v (%v)", before, err)
	}
	var h headFile
	if err := json.Unmarshal([]byte(`{"device":"a","seq":3,"read":{"b":1}}`), &h); err != nil || h.Repairs != nil || h.Seq != 3 {
		t.Errorf("a head without repairs reads as %+v (%v)", h, err)
	}
	braw, err := json.Marshal(Batch{V: batchV3, Space: "s", Device: "a", Seq: 4, Repairs: 2, Ops: []data.Op{{ID: "a-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	var old struct { // the fields of Batch an install before repairs knows
		V      int       `json:"v,omitempty"`
		Device string    `json:"device"`
		Seq    uint64    `json:"seq"`
		Ops    []data.Op `json:"ops"`
	}
	if err := json.Unmarshal(braw, &old); err != nil || old.Seq != 4 || len(old.Ops) != 1 {
		t.Errorf("an older install reads the repair as %+v (%v)", old, err)
	}
	var b Batch
	if err := json.Unmarshal(braw, &b); err != nil || b.Repairs != 2 || b.standsFor != 0 {
		t.Errorf("the repair reads back as %+v (%v)", b, err)
	}
}

// TestRepairOutlivesLostSyncFile: a publishes batch 2 again as 4, then
// loses its sync file before c, held back at 2, has synced. The new
// sync file reads a's batches back through the repair (a does not hold
// itself back), its next head still names the repair, and c takes it.
func TestRepairOutlivesLostSyncFile(t *testing.T) {
	sp, a, _, c := brokenSpace(t, "")
	if err := os.Remove(sp.file(batchPath("a", 2))); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	if rep, err := a.Repair(); err != nil || len(rep.Check.Repaired) != 1 {
		t.Fatalf("a's repair: %+v, %v", rep.Check, err)
	}
	path := a.db.Path()
	a.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	a2 := sp.open(t, t.TempDir(), "a")
	defer a2.Close()
	mustSync(t, a2)
	if r := a2.Refused(); len(r) != 0 {
		t.Errorf("a's new sync file holds a back: %+v", r)
	}
	if got, want := events(a2), []string{"e1", "e2", "e3", "x1"}; !slices.Equal(got, want) {
		t.Errorf("a's new sync file holds %v, want %v", got, want)
	}
	record(t, a2, data.OpEventAdd, "e4", "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	if rep := mustSync(t, a2); rep.Sent != 1 || listHeads(t, a2)["a"] != 5 {
		t.Fatalf("a's new sync file sent %d, head at %d; want e4 as batch 5", rep.Sent, listHeads(t, a2)["a"])
	}
	mustSync(t, c)
	if r := c.Refused(); len(r) != 0 {
		t.Errorf("c still holds a back: %+v", r)
	}
	if got, want := events(c), []string{"e1", "e2", "e3", "e4", "x1"}; !slices.Equal(got, want) {
		t.Errorf("c holds %v, want %v", got, want)
	}
	if rep, err := a2.Repair(); err != nil || len(rep.Check.Lost) != 0 || len(rep.Check.Repaired) != 0 {
		t.Errorf("a's new sync file's check: %+v, %v; want batch 2 left to its repair", rep.Check, err)
	}
}
