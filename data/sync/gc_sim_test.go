package sync

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSimulatedCompaction is TestSimulatedOffices with snapshots and
// garbage collection left to the syncs (every few operations and
// batches), on one real Apache folder: installs write, sync, are cut off
// from the server, die between a batch and its head; one stays away for
// most of the run. After every step, no batch that some install has not
// read is gone from the server. In the end everyone syncs, the server
// holds fewer batches than were shipped, and two new installs join
// (from the snapshots) to the same state as the rest.
func TestSimulatedCompaction(t *testing.T) {
	dav := datatest.StartApache(t, "")
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 91))
			roles := map[string]data.Role{"j1": data.RoleCoordinator, "j2": data.RoleCoordinator}
			n := 3 + int(seed%3)
			for i := range n {
				roles[fmt.Sprintf("o%d", i)] = data.RoleCoordinator
			}
			sp := newSpace(t, dav, roles)
			sp.url = dav.URL(fmt.Sprintf("Compact%d", seed))
			dir := t.TempDir()
			var devices []string
			for i := range n {
				devices = append(devices, fmt.Sprintf("o%d", i))
			}
			all := sp.members
			sp.members = only(all, devices...) // j1 and j2 are invited at the end
			open := func(d string) *Install {
				in := sp.open(t, dir, d)
				in.cfg.Compact = Compaction{SnapshotEvery: 8, CollectEvery: 2, ReadEvery: 1}
				return in
			}
			ins := map[string]*Install{}
			for _, d := range devices {
				ins[d] = open(d)
				mustSync(t, ins[d]) // every member publishes its head at once
			}
			defer func() {
				for _, in := range ins {
					in.Close()
				}
			}()
			away := devices[n-1] // offline until the end
			offline := NewRemote(datatest.DeadURL("/Enlace/"), "x", "y")
			shipped := map[string]uint64{}
			collected := false
			for step := range 150 {
				d := devices[r.IntN(n-1)]
				if step%40 == 39 {
					d = away // now and then it comes back for one sync
				}
				in := ins[d]
				switch k := r.IntN(10); {
				case k < 5 && d != away:
					work(t, in, fmt.Sprint(step%7)) // the same few people everywhere
				case k < 6:
					online := in.cfg.Remote
					in.cfg.Remote = offline
					if _, err := in.Sync(); !errors.Is(err, ErrOffline) {
						t.Fatalf("step %d: sync cut off from the server: %v", step, err)
					}
					in.cfg.Remote = online
				case k < 9:
					if _, err := in.Sync(); err != nil {
						t.Fatalf("step %d: %s: %v", step, d, err)
					}
				default:
					crash := errors.New("apagón")
					in.afterPut = func() error { return crash }
					if _, err := in.Sync(); err != nil && !errors.Is(err, crash) {
						t.Fatalf("step %d: %v", step, err)
					}
					in.Close()
					ins[d] = open(d)
				}
				for _, x := range devices {
					shipped[x] = max(shipped[x], lastShipped(t, ins[x]))
				}
				nothingUnreadGone(t, sp, ins, shipped, step)
				for _, x := range devices {
					if s := shipped[x]; s > 0 && batchCount(t, sp, x) < int(s) {
						collected = true // while the run goes on, not only at the end
					}
				}
			}
			if !collected {
				t.Error("no batch was collected while the installs worked")
			}
			for range 2 {
				for _, d := range devices {
					mustSync(t, ins[d])
				}
			}
			for _, d := range devices {
				if _, err := ins[d].Collect(); err != nil {
					t.Fatal(err)
				}
			}
			var total, left int
			for _, d := range devices {
				total += int(lastShipped(t, ins[d]))
				left += batchCount(t, sp, d)
			}
			if left >= total {
				t.Errorf("the server holds %d batches of the %d shipped: nothing was collected", left, total)
			}
			sp.members = all
			for _, in := range ins {
				in.cfg.Membership = all
			}
			for _, j := range []string{"j1", "j2"} {
				ins[j] = open(j)
				mustSync(t, ins[j])
			}
			var group []*Install
			for _, d := range append(devices, "j1", "j2") {
				group = append(group, ins[d])
			}
			sameState(t, group...)
			t.Logf("%d of %d batches left on the server", left, total)
		})
	}
}

// lastShipped is the last batch in has shipped.
func lastShipped(t *testing.T, in *Install) uint64 {
	t.Helper()
	var seq uint64
	if err := in.db.View(func(tx *bolt.Tx) error { seq = getUint(tx.Bucket(bucketMeta).Get([]byte("seq"))); return nil }); err != nil {
		t.Fatal(err)
	}
	return seq
}

// nothingUnreadGone fails if a batch that one of ins has not applied is
// no longer on the server.
func nothingUnreadGone(t *testing.T, sp *space, ins map[string]*Install, shipped map[string]uint64, step int) {
	t.Helper()
	for dev, top := range shipped {
		for reader, in := range ins {
			if reader == dev {
				continue
			}
			var from uint64
			_ = in.db.View(func(tx *bolt.Tx) error { from = getUint(tx.Bucket(bucketCursors).Get([]byte(dev))); return nil })
			for s := from + 1; s <= top; s++ {
				if _, err := os.Stat(batchFile(sp, dev, s)); err != nil {
					t.Fatalf("step %d: %s's batch %d, which %s has not read, is gone from the server", step, dev, s, reader)
				}
			}
		}
	}
}
