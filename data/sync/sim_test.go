package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestSimulatedOffices is a deterministic simulation, from a seed, of 3
// to 6 installs on one real Apache folder: each step one install writes
// (field changes that see or miss each other's, events, referral steps
// that fork, office records and deletions), syncs while cut off from the
// server (a partition: the sync fails, nothing is lost), syncs, or dies
// between putting a batch and its head and starts again (the batch comes
// again under the same number: a duplicate for whoever read it). Halfway
// one install erases person p5, whom the others, not yet aware, go on
// writing about. Twice a device's newest batch is deleted from the
// server, held back as missing by whoever had not read it yet. In the
// end the network heals, everyone checks its own batches and publishes
// again those missing (repair.go), everyone syncs twice, and every
// install holds every operation (but those about p5) and the same state
// hash, none holds another back, and nothing on the server or in a sync
// file, opened with the space key, yields what was written about p5.
func TestSimulatedOffices(t *testing.T) {
	dav := datatest.StartApache(t, "")
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 77))
			n := 3 + int(seed%4)
			roles := map[string]data.Role{}
			for i := range n {
				roles[fmt.Sprintf("o%d", i)] = data.RoleCoordinator
			}
			sp := newSpace(t, dav, roles)
			sp.url = dav.URL(fmt.Sprintf("Sim%d", seed))
			dir := t.TempDir()
			devices := sortedKeys(roles)
			ins := map[string]*Install{}
			makers := map[string]*opMaker{}
			for _, d := range devices {
				ins[d] = sp.open(t, dir, d)
				makers[d] = newMaker(d, "u-"+d)
			}
			defer func() {
				for _, in := range ins {
					in.Close()
				}
			}()
			offline := NewRemote(datatest.DeadURL("/Enlace/"), "x", "y")
			made := map[string]bool{}
			lastStep := map[string]string{}
			groups := []string{"name", "contact", "document", "address"}
			for step := range 120 {
				d := devices[r.IntN(n)]
				in, m := ins[d], makers[d]
				if step == 40 || step == 90 { // a batch lost on the server
					lost := devices[step%n]
					ops := filepath.Join(dav.Dir, fmt.Sprintf("Sim%d", seed), "devices", lost, "ops")
					if files, _ := os.ReadDir(ops); len(files) > 0 {
						if err := os.Remove(filepath.Join(ops, files[len(files)-1].Name())); err != nil {
							t.Fatal(err)
						}
					}
				}
				switch k := r.IntN(10); {
				case step == 60: // an erasure
					op := m.op(data.OpPersonErase, "p5", "p5")
					op.Clock = in.Tick(time.Now())
					if err := in.Record(op); err != nil {
						t.Fatal(err)
					}
					made[op.ID] = true
				case k < 5: // work
					person := fmt.Sprintf("p%d", r.IntN(6))
					value := fmt.Sprintf("v%d", step)
					if person == "p5" {
						value = fmt.Sprintf("secreto de p5 %d", step)
					}
					var op data.Op
					switch r.IntN(4) {
					case 0:
						op = m.set(person, groups[r.IntN(len(groups))], value)
					case 1:
						op = m.event(fmt.Sprintf("e%d", step), person, value)
					case 2:
						ref := "r-" + person
						op = m.step(ref, person, lastStep[ref], []data.Action{data.ActPropose, data.ActInclude}[r.IntN(2)])
						lastStep[ref] = op.ID
					default:
						op = m.op(data.OpRecordSet, fmt.Sprintf("office/o%d", r.IntN(3)), "")
						op.Data = json.RawMessage(fmt.Sprintf(`{"name":"Oficina %d"}`, step))
					}
					op.Clock = in.Tick(time.Now())
					if err := in.Record(op); err != nil {
						t.Fatal(err)
					}
					made[op.ID] = !about(op, "p5")
				case k < 6: // partitioned: the sync fails, the work stays
					online := in.cfg.Remote
					in.cfg.Remote = offline
					if _, err := in.Sync(); !errors.Is(err, ErrOffline) {
						t.Fatalf("step %d: sync cut off from the server: %v", step, err)
					}
					in.cfg.Remote = online
				case k < 8:
					if _, err := in.Sync(); err != nil {
						t.Fatalf("step %d: %s: %v", step, d, err)
					}
				default: // dies after the PUT of its batch, before the head
					crash := errors.New("apagón")
					in.afterPut = func() error { return crash }
					if _, err := in.Sync(); err != nil && !errors.Is(err, crash) {
						t.Fatalf("step %d: %v", step, err)
					}
					in.Close()
					ins[d] = sp.open(t, dir, d)
				}
			}
			repaired := 0
			for _, d := range devices {
				rep, err := ins[d].Repair()
				if err != nil {
					t.Fatalf("after healing, %s's repair: %v", d, err)
				}
				repaired += len(rep.Check.Repaired)
			}
			if repaired == 0 {
				t.Error("no batch was published again: the simulation no longer loses one that someone had not read")
			}
			for range 2 {
				for _, d := range devices {
					if _, err := ins[d].Sync(); err != nil {
						t.Fatalf("after healing, %s: %v", d, err)
					}
				}
			}
			want := ins[devices[0]].State().Hash()
			for _, d := range devices {
				in := ins[d]
				if in.Pending() != 0 {
					t.Errorf("%s still has %d operations to send", d, in.Pending())
				}
				if r := in.Refused(); len(r) != 0 {
					t.Errorf("%s still holds back %+v", d, r)
				}
				for id, kept := range made {
					if in.Journal().Has(id) != kept {
						t.Errorf("%s: holds %s %v, want %v", d, id, in.Journal().Has(id), kept)
					}
				}
				if !in.State().Erased["p5"] {
					t.Errorf("%s has no tombstone of p5", d)
				}
				if found := syncFileYields(t, in, "secreto"); len(found) > 0 {
					t.Errorf("%s's sync file yields the erased p5: %v", d, found)
				}
				if h := in.State().Hash(); h != want {
					t.Errorf("%s's state differs from %s's", d, devices[0])
				}
			}
			if found := serverYields(t, filepath.Join(dav.Dir, fmt.Sprintf("Sim%d", seed)), sp, "secreto"); len(found) > 0 {
				t.Errorf("the server yields the erased p5: %v", found)
			}
		})
	}
}
