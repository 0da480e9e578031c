package sync

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// progressCall is one call of a Progress.
type progressCall struct {
	done, total int64
	stage       string
	at          time.Time
}

// TestJoinProgress: a store that joins a space through Apache, from a
// snapshot and the batches written after it, is told each stage as it
// goes (heads, the snapshot's bytes of its size, the batches, the keys,
// the people and events saved, the sync file), with done growing and
// never past total within each stage and ending at total, no more than
// about 20 calls a second; and the join makes the same requests as one
// without a Progress.
func TestJoinProgress(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur", "oeste"))
	north, inN := storeInstall(t, sp, "norte")
	people := 0
	add := func(n int) {
		for range n {
			people++
			p := data.Person{FirstName: fmt.Sprintf("Persona%d", people), LastName: "Prueba", Nationality: "VE"}
			if err := north.CreatePerson(&p, "Norte"); err != nil {
				t.Fatal(err)
			}
			e := data.Event{PersonID: p.ID, At: time.Now().Add(-time.Hour), Kind: data.EventCall, Text: "Llamada"}
			if err := north.AddEvent(&e, "Norte"); err != nil {
				t.Fatal(err)
			}
		}
		mustSync(t, inN)
	}
	add(150)
	ref := mustSnapshot(t, inN)
	add(20)
	add(20)
	info, err := os.Stat(snapshotFile(sp, "norte", ref.Seq))
	if err != nil {
		t.Fatal(err)
	}

	var mu gosync.Mutex
	var calls []progressCall
	join := func(device string, progress Progress) (*data.Store, *Install) {
		s := datatest.Open(t, nil)
		if err := s.EnableSync(device); err != nil {
			t.Fatal(err)
		}
		in, err := OpenInstall(filepath.Join(t.TempDir(), device+".sync"), Config{Device: device, SignKey: sp.keys[device],
			Space: sp.id, Membership: sp.members, Remote: NewRemote(sp.url, sp.dav.User, sp.dav.Password), Local: s,
			Progress: progress})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { in.Close() })
		mustSync(t, in)
		return s, in
	}
	south, inS := join("sur", func(done, total int64, stage string) {
		mu.Lock()
		calls = append(calls, progressCall{done, total, stage, time.Now()})
		mu.Unlock()
	})
	// oeste joins what sur joined: sur's first head (numbered 0) taken
	// away, it would read one more head.
	heads, _ := filepath.Glob(filepath.Join(sp.folder(), "heads", "sur.*.json"))
	for _, h := range heads {
		if err := os.Remove(h); err != nil {
			t.Fatal(err)
		}
	}
	_, inW := join("oeste", nil)
	if got, want := inS.cfg.Remote.Requests(), inW.cfg.Remote.Requests(); got != want {
		t.Errorf("a join with a Progress made %d requests, without %d", got, want)
	}
	if c, _ := south.Count(); c.People != people {
		t.Fatalf("south has %d people after the join, want %d", c.People, people)
	}

	// Each run of calls of one stage.
	type run struct {
		stage string
		calls []progressCall
	}
	var runs []run
	for _, c := range calls {
		if len(runs) == 0 || runs[len(runs)-1].stage != c.stage {
			runs = append(runs, run{stage: c.stage})
		}
		runs[len(runs)-1].calls = append(runs[len(runs)-1].calls, c)
	}
	seen := map[string]int64{} // stage → its last total
	for _, r := range runs {
		if !slices.Contains(Stages, r.stage) {
			t.Errorf("stage %q is not one of Stages", r.stage)
		}
		for i, c := range r.calls {
			if c.total > 0 && c.done > c.total {
				t.Errorf("%s: %d of %d", r.stage, c.done, c.total)
			}
			if i > 0 && c.done <= r.calls[i-1].done {
				t.Errorf("%s: %d after %d", r.stage, c.done, r.calls[i-1].done)
			}
		}
		last := r.calls[len(r.calls)-1]
		if last.done != last.total {
			t.Errorf("%s ends at %d of %d", r.stage, last.done, last.total)
		}
		if d := last.at.Sub(r.calls[0].at); int64(len(r.calls)) > 3+int64(d/progressEvery) {
			t.Errorf("%s: %d calls in %v, more than one every %v", r.stage, len(r.calls), d, progressEvery)
		}
		seen[r.stage] = last.total
	}
	want := map[string]int64{
		StageHeads:    1, // norte's (oeste has no head yet)
		StageSnapshot: info.Size(),
		StageBatches:  2,
		StageSave:     int64(people),
		StageHistory:  int64(people),
	}
	for stage, total := range want {
		if seen[stage] != total {
			t.Errorf("%s ends at a total of %d, want %d (runs: %v)", stage, seen[stage], total, seen)
		}
	}
	for _, stage := range []string{StageKeys, StageRecord} {
		if seen[stage] == 0 {
			t.Errorf("no %s (runs: %v)", stage, seen)
		}
	}
	sameState(t, inN, inS)
}
