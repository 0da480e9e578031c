package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestLostSyncFileResumes: an office syncs, then loses its sync file (the
// .sync file deleted; Enlace reinstalled with the same computer's
// identity). Reopened, it records a change and syncs: the change is sent
// after the office's batches on the server, never instead of them (on
// Apache, which refuses to overwrite, nor on rclone, which would), the
// older batches are byte for byte as they were, the other office receives
// the change, and the office reads its own earlier changes back, from its
// batches or, once they are removed, from its snapshot.
func TestLostSyncFileResumes(t *testing.T) {
	for _, c := range []struct {
		name    string
		start   func(testing.TB) *datatest.DAV
		compact bool // a snapshot written and the batches removed before the loss
	}{
		{"apache", func(t testing.TB) *datatest.DAV { return datatest.StartApache(t, "") }, false},
		{"rclone", datatest.StartRclone, false},
		{"apache, batches removed", func(t testing.TB) *datatest.DAV { return datatest.StartApache(t, "") }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dav := c.start(t)
			sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleCoordinator, "b": data.RoleCoordinator})
			dir := t.TempDir()
			a, b := sp.open(t, dir, "a"), sp.open(t, dir, "b")
			defer b.Close()
			event := func(in *Install, id string) {
				record(t, in, data.OpEventAdd, id, "p1", func(op *data.Op) { op.Data = json.RawMessage(`{"id":"` + id + `"}`) })
			}
			event(a, "e1")
			event(a, "e2")
			mustSync(t, a)
			event(a, "e3")
			mustSync(t, a)
			event(b, "x1")
			mustSync(t, b)
			mustSync(t, a)
			if c.compact {
				if err := b.publishHead(); err != nil { // its head says it read a's batches
					t.Fatal(err)
				}
				if _, err := a.Snapshot(); err != nil {
					t.Fatal(err)
				}
				if n, err := a.Collect(); err != nil || n != 2 {
					t.Fatalf("collection removed %d batches (%v), want 2", n, err)
				}
			}
			saved := serverBatches(t, dav, "a")
			a.Close()
			if err := os.Remove(filepath.Join(dir, "a.sync")); err != nil {
				t.Fatal(err)
			}

			a = sp.open(t, dir, "a")
			defer a.Close()
			event(a, "e4")
			if _, err := a.Sync(); err != nil {
				t.Fatalf("sync after the sync file was lost: %v", err)
			}
			if a.Pending() != 0 {
				t.Errorf("%d operations still pending", a.Pending())
			}
			after := serverBatches(t, dav, "a")
			for seq, raw := range saved {
				if !bytes.Equal(after[seq], raw) {
					t.Errorf("batch %d of a changed on the server after the loss", seq)
				}
			}
			if n := len(serverBatches(t, dav, "a")); n != len(saved)+1 {
				t.Errorf("the server holds %d batches of a, want %d and the new one", n, len(saved))
			}
			mustSync(t, b)
			if r := append(a.Refused(), b.Refused()...); len(r) != 0 {
				t.Errorf("held back after the loss: %+v", r)
			}
			if got := events(b); fmt.Sprint(got) != "[e1 e2 e3 e4 x1]" {
				t.Errorf("b holds %v, want e1-e4 and x1", got)
			}
			if got := events(a); fmt.Sprint(got) != "[e1 e2 e3 e4 x1]" {
				t.Errorf("a read back %v, want its own e1-e3 with e4 and x1", got)
			}
			if a.State().Hash() != b.State().Hash() {
				t.Error("a and b differ")
			}
			// And it goes on numbering after them.
			event(a, "e5")
			mustSync(t, a)
			mustSync(t, b)
			if _, ok := b.State().Events["e5"]; !ok || len(serverBatches(t, dav, "a")) != len(saved)+2 {
				t.Errorf("the next change: b has it %v, a has %d batches on the server", ok, len(serverBatches(t, dav, "a")))
			}
		})
	}
}

// TestPutOnTopOfOtherBatch: a batch number already on the server counts as
// sent only if it holds the very operations being sent (a crash between
// the PUT and the head); one with other operations is ErrOutOfStep, never
// silent loss.
func TestPutOnTopOfOtherBatch(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleCoordinator})
	a := sp.open(t, t.TempDir(), "a")
	defer a.Close()
	op := record(t, a, data.OpEventAdd, "e1", "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	mustSync(t, a)
	if err := a.samePut(1, []string{op.ID}); err != nil {
		t.Errorf("the batch with the same operation: %v", err)
	}
	if err := a.samePut(1, []string{"a-otra"}); !errors.Is(err, ErrOutOfStep) {
		t.Errorf("a batch with other operations: %v, want ErrOutOfStep", err)
	}
}
