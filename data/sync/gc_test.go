package sync

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// manual makes in write snapshots and collect only when told, and say
// how far it has read at every sync that receives something.
func manual(in *Install) *Install {
	in.cfg.Compact = Compaction{SnapshotEvery: -1, CollectEvery: -1, ReadEvery: 1}
	return in
}

func mustCollect(t *testing.T, in *Install) int {
	t.Helper()
	n, err := in.Collect()
	if err != nil {
		t.Fatalf("%s: collect: %v", in.cfg.Device, err)
	}
	return n
}

// ship records some work at in and syncs it as one batch.
func ship(t *testing.T, in *Install, tag string) {
	t.Helper()
	work(t, in, tag)
	mustSync(t, in)
}

// TestCollect, on Apache and rclone: a device removes its old batches only once every active
// member has read them and a snapshot holds them. A member that never
// published its state, or whose head is damaged, stops it; one offline
// for long keeps every batch it has not read on the server, and catches
// up from them when it comes back; a removed member does not count.
// After each collection a new install still joins to the same state.
func TestCollect(t *testing.T) {
	for name, start := range map[string]func(testing.TB) *datatest.DAV{
		"apache": func(t testing.TB) *datatest.DAV { return datatest.StartApache(t, "") },
		"rclone": datatest.StartRclone, // ignores If-None-Match
	} {
		t.Run(name, func(t *testing.T) { testCollect(t, start(t)) })
	}
}

func testCollect(t *testing.T, dav *datatest.DAV) {
	sp := coordinators(t, dav, "a", "b", "c", "d", "e", "nunca")
	all := sp.members
	sp.members = only(all, "a", "b", "c", "nunca") // d and e are invited later
	dir := t.TempDir()
	a, b, c := manual(sp.open(t, dir, "a")), manual(sp.open(t, dir, "b")), manual(sp.open(t, dir, "c"))
	defer a.Close()
	defer b.Close()
	defer c.Close()
	ins := []*Install{a, b, c}
	invite := func(device string) *Install {
		sp.members.Members = append(sp.members.Members, only(all, device).Members...)
		for _, in := range ins {
			in.cfg.Membership = sp.members
		}
		in := manual(sp.open(t, dir, device))
		ins = append(ins, in)
		return in
	}
	for _, tag := range []string{"1", "2", "3", "4", "5"} {
		ship(t, a, tag)
	}
	mustSync(t, b)
	mustSync(t, c)
	mustSnapshot(t, a)
	if n := mustCollect(t, a); n != 0 || batchCount(t, sp, "a") != 5 {
		t.Fatalf("with a member that never synced, a removed %d batches (%d left), want none", n, batchCount(t, sp, "a"))
	}

	// The member that never came is removed from the space: it no longer counts.
	sp.members = removed(sp.members, "nunca")
	for _, in := range ins {
		in.cfg.Membership = sp.members
	}
	// A damaged head stops collection too.
	bHead := filepath.Join(sp.folder(), filepath.FromSlash(headPath("b", 0)))
	good, err := os.ReadFile(bHead)
	if err != nil {
		t.Fatalf("b, which only read, has no head: %v", err)
	}
	if err := os.WriteFile(bHead, []byte(`{"body":"e30=","sig":"AAAA"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := mustCollect(t, a); n != 0 {
		t.Fatalf("with b's head damaged, a removed %d batches", n)
	}
	if err := os.WriteFile(bHead, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if n := mustCollect(t, a); n != 5 || batchCount(t, sp, "a") != 0 {
		t.Fatalf("a removed %d batches, %d left; want all 5 gone", n, batchCount(t, sp, "a"))
	}
	_ = a.db.View(func(tx *bolt.Tx) error { // removed, they never need repair (repair.go)
		if n := tx.Bucket(bucketSent).Stats().KeyN; n != 0 {
			t.Errorf("a's sync file keeps the operations of %d batches removed", n)
		}
		return nil
	})
	d := invite("d")
	defer d.Close()
	mustSync(t, d)
	sameState(t, a, b, c, d)

	// c goes offline for long: what it has not read stays.
	for _, tag := range []string{"6", "7", "8", "9"} {
		ship(t, a, tag)
		mustSync(t, b)
		mustSync(t, d)
	}
	mustSnapshot(t, a)
	if n := mustCollect(t, a); n != 0 {
		t.Errorf("with c offline, a removed %d batches it has not read", n)
	}
	for s := uint64(6); s <= 9; s++ {
		if _, err := os.Stat(batchFile(sp, "a", s)); err != nil {
			t.Errorf("batch %d, which c has not read, is gone: %v", s, err)
		}
	}
	e := invite("e") // joins meanwhile: snapshot, nothing removed is missed
	defer e.Close()
	mustSync(t, e)
	sameState(t, a, e)

	mustSync(t, c) // back: reads 6–9 from the server
	sameState(t, a, b, c, d, e)
	if n := mustCollect(t, a); n != 4 || batchCount(t, sp, "a") != 0 {
		t.Errorf("after c caught up a removed %d batches, %d left; want 4 and none", n, batchCount(t, sp, "a"))
	}
	f := manual(sp.open(t, t.TempDir(), "e")) // e again, its sync file lost: joins again
	defer f.Close()
	mustSync(t, f)
	sameState(t, a, f)
}

// removed is m with device marked removed (a copy).
func removed(m Membership, device string) Membership {
	m.Members = append([]Member(nil), m.Members...)
	for i := range m.Members {
		if m.Members[i].Device == device {
			m.Members[i].Removed = true
		}
	}
	return m
}

// only is m with only the devices given (a copy).
func only(m Membership, devices ...string) Membership {
	var keep []Member
	for _, x := range m.Members {
		if slices.Contains(devices, x.Device) {
			keep = append(keep, x)
		}
	}
	m.Members = keep
	return m
}

// TestCollectKeepsRefusedBatch: a technician's batch with an inclusion
// (the coordinator's to take) is held back at the other installs; the
// technician's collection keeps it and everything after it on the server
// until the administration skips it. The technician's snapshot leaves
// the inclusion out, so a new install can still join from it, and ends
// with the state of the installs that skipped it.
func TestCollectKeepsRefusedBatch(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"tecnica": data.RoleTechnician, "coordi": data.RoleCoordinator,
		"zadmin": data.RoleAdmin, "nueva": data.RoleCoordinator})
	all := sp.members
	sp.members = only(all, "tecnica", "coordi", "zadmin")
	dir := t.TempDir()
	tech, coord, admin := manual(sp.open(t, dir, "tecnica")), manual(sp.open(t, dir, "coordi")), manual(sp.open(t, dir, "zadmin"))
	defer tech.Close()
	defer coord.Close()
	defer admin.Close()
	event := func(in *Install, id string) {
		record(t, in, data.OpEventAdd, id, "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	}
	event(tech, "e1")
	mustSync(t, tech)
	record(t, tech, data.OpReferralStep, "r1", "p1", stepData(data.ActInclude)) // not a technician's to take
	mustSync(t, tech)
	event(tech, "e3")
	mustSync(t, tech)
	mustSync(t, coord)
	mustSync(t, admin)
	if len(coord.Refused()) != 1 {
		t.Fatalf("the coordinator holds back %+v, want tecnica's batch 2", coord.Refused())
	}
	mustSnapshot(t, tech)
	if n := mustCollect(t, tech); n != 1 {
		t.Errorf("tecnica removed %d batches while its batch 2 is held back, want only batch 1", n)
	}
	for s := uint64(2); s <= 3; s++ {
		if _, err := os.Stat(batchFile(sp, "tecnica", s)); err != nil {
			t.Errorf("batch %d, held back at the others, is gone: %v", s, err)
		}
	}

	record(t, admin, data.OpBatchSkip, "tecnica/2", "", nil)
	mustSync(t, admin)
	mustSync(t, coord)
	mustSync(t, admin)
	if n := mustCollect(t, tech); n != 2 {
		t.Errorf("after the skip tecnica removed %d more batches, want 2", n)
	}
	sp.members = all
	for _, in := range []*Install{tech, coord, admin} {
		in.cfg.Membership = all
	}
	joiner := manual(sp.open(t, dir, "nueva"))
	defer joiner.Close()
	mustSync(t, joiner)
	if len(joiner.State().Referrals) != 0 || len(joiner.State().Events) != 2 {
		t.Errorf("the new install holds %d referrals and %d events, want no inclusion and e1, e3",
			len(joiner.State().Referrals), len(joiner.State().Events))
	}
	sameState(t, coord, admin, joiner)
}
