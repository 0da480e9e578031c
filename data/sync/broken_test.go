package sync

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// brokenSpace is three offices on a real Apache: b has shipped x1 (about
// p3); a has shipped three batches, e1 (about p1), e2 (about p2), e3
// (about p1), and read b's; c has read nothing yet.
func brokenSpace(t *testing.T, extra string) (sp *space, a, b, c *Install) {
	t.Helper()
	return brokenSpaceOn(t, datatest.StartApache(t, extra))
}

// brokenSpaceOn is brokenSpace on another server (rclone).
func brokenSpaceOn(t *testing.T, dav *datatest.DAV) (sp *space, a, b, c *Install) {
	t.Helper()
	sp = newSpace(t, dav, map[string]data.Role{"a": data.RoleCoordinator, "b": data.RoleCoordinator, "c": data.RoleCoordinator})
	dir := t.TempDir()
	a, b, c = sp.open(t, dir, "a"), sp.open(t, dir, "b"), sp.open(t, dir, "c")
	t.Cleanup(func() { a.Close(); b.Close(); c.Close() })
	event := func(in *Install, id, person string) {
		record(t, in, data.OpEventAdd, id, person, func(op *data.Op) { op.Data = json.RawMessage(`{"id":"` + id + `"}`) })
	}
	event(b, "x1", "p3")
	mustSync(t, b)
	for i, p := range []string{"p1", "p2", "p1"} {
		event(a, fmt.Sprintf("e%d", i+1), p)
		mustSync(t, a)
	}
	return sp, a, b, c
}

func (sp *space) file(rel string) string {
	return filepath.Join(sp.dav.Dir, "Enlace", filepath.FromSlash(rel))
}

// events are the IDs of the events in's state holds, in order.
func events(in *Install) []string {
	var ids []string
	for id := range in.State().Events {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// TestBrokenBatchHoldsBackOneDevice: a batch, head or person key of one
// office that is altered, badly signed, encrypted to a key that does not
// fit, or missing does not stop the others' sync: every install holds
// back that office from there (its earlier batches applied), applies the
// other offices' batches, lists the hold with its cause, not as a batch
// the administration could skip, and all come to the same state. Once the
// file is repaired on the server the next sync takes it, and the hold is
// gone.
func TestBrokenBatchHoldsBackOneDevice(t *testing.T) {
	for _, c := range []struct {
		name  string
		path  func(sp *space) string // the file broken
		spoil func(t *testing.T, sp *space, path string)
		seq   uint64 // the batch of a held at
		cause string
	}{
		{"batch signed by another office", func(*space) string { return batchPath("a", 2) },
			func(t *testing.T, sp *space, path string) {
				forged, err := Seal(Batch{Space: sp.members.Space, Device: "a", Seq: 2}, sp.keys["b"], sp.id.Recipient())
				if err != nil {
					t.Fatal(err)
				}
				write(t, path, forged)
			}, 2, causeTampered},
		{"batch encrypted to another key", func(*space) string { return batchPath("a", 2) },
			func(t *testing.T, sp *space, path string) {
				other, _ := age.GenerateX25519Identity()
				ct, err := Seal(Batch{Space: sp.members.Space, Device: "a", Seq: 2}, sp.keys["a"], other.Recipient())
				if err != nil {
					t.Fatal(err)
				}
				write(t, path, ct)
			}, 2, causeDecrypt},
		{"batch missing", func(*space) string { return batchPath("a", 2) },
			func(t *testing.T, _ *space, path string) {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}, 2, causeMissing},
		{"head signed by another office", func(*space) string { return headPath("a", 3) },
			func(t *testing.T, sp *space, path string) {
				forged, err := sign(headFile{Device: "a", Seq: 3}, sp.keys["b"])
				if err != nil {
					t.Fatal(err)
				}
				write(t, path, forged)
			}, 1, causeHead},
		{"person key signed by another office", func(*space) string { return keyPath(keyName("p2", "a")) },
			func(t *testing.T, sp *space, path string) {
				k := make([]byte, 32)
				_, _ = rand.Read(k)
				forged, err := sealSigned(keyFile{Space: sp.members.Space, Person: "p2", Device: "a", Key: k}, sp.keys["b"], sp.id.Recipient())
				if err != nil {
					t.Fatal(err)
				}
				write(t, path, forged)
			}, 2, causeBox},
	} {
		t.Run(c.name, func(t *testing.T) {
			sp, a, b, in := brokenSpace(t, "")
			path := sp.file(c.path(sp))
			saved, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c.spoil(t, sp, path)
			want := []string{"x1"}
			for i := uint64(1); i < c.seq; i++ {
				want = append(want, fmt.Sprintf("e%d", i))
			}
			slices.Sort(want)
			for _, reader := range []*Install{in, b} {
				if _, err := reader.Sync(); err != nil {
					t.Fatalf("%s: one office's broken file fails the sync: %v", reader.cfg.Device, err)
				}
				if got := events(reader); !slices.Equal(got, want) {
					t.Errorf("%s holds %v, want %v", reader.cfg.Device, got, want)
				}
				r := reader.Refused()
				if len(r) != 1 || !r[0].Broken || r[0].Device != "a" || r[0].Seq != c.seq || r[0].Cause != c.cause ||
					r[0].Reason() != "no se puede aplicar: "+c.cause || r[0].Name != "Usuaria a" {
					t.Fatalf("%s: holds %+v, want a's batch %d held: %s", reader.cfg.Device, r, c.seq, c.cause)
				}
			}
			if b.State().Hash() != in.State().Hash() {
				t.Error("b and c differ while a is held back")
			}
			// The others still reach each other: c's new event reaches b.
			record(t, in, data.OpEventAdd, "c1", "p4", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
			mustSync(t, in)
			mustSync(t, b)
			if _, ok := b.State().Events["c1"]; !ok {
				t.Error("c's change did not reach b while a is held back")
			}
			// The hold is not the administration's to skip: a skip changes nothing.
			if held := in.held("a", c.seq, nil); held {
				t.Error("a broken batch is kept from being read again")
			}

			write(t, path, saved) // repaired on the server
			for _, reader := range []*Install{in, b} {
				mustSync(t, reader)
				if r := reader.Refused(); len(r) != 0 {
					t.Errorf("%s still holds a back after the repair: %+v", reader.cfg.Device, r)
				}
			}
			mustSync(t, a)
			if h := a.State().Hash(); h != b.State().Hash() || h != in.State().Hash() || len(a.State().Events) != 5 {
				t.Errorf("after the repair the offices differ or miss events: %v %v %v", events(a), events(b), events(in))
			}
		})
	}
}

func write(t *testing.T, path string, raw []byte) {
	t.Helper()
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServerErrorIsNoHold: a server that answers 503 for one batch is a
// failure of the whole sync, tried again later: nothing is applied (not
// even the other offices' batches), and no office is held back.
func TestServerErrorIsNoHold(t *testing.T) {
	_, _, _, c := brokenSpace(t, fmt.Sprintf(`<If "%%{REQUEST_METHOD} == 'GET' && %%{REQUEST_URI} =~ m#/devices/a/ops/%016x.age$#">
	Redirect 503
</If>`, 2))
	_, err := c.Sync()
	if !errors.Is(err, ErrServer) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("sync with a batch answered 503: %v, want ErrServer", err)
	}
	if n := c.Journal().Len(); n != 0 {
		t.Errorf("%d operations applied by a failed sync", n)
	}
	if r := c.Refused(); len(r) != 0 {
		t.Errorf("a server error held back %+v", r)
	}
}

// TestCauseOf: each failure of openBatch has its cause.
func TestCauseOf(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("lote 2 de a: %w (clave 3)", ErrEpoch), causeEpoch},
		{fmt.Errorf("lote 2 de a: %w", ErrRemoved), causeRemoved},
		{fmt.Errorf("lote 2 de a: %w", ErrTampered), causeTampered},
		{fmt.Errorf("%w: devices/a/ops/2", errMissing), causeMissing},
		{fmt.Errorf("no se puede descifrar: %w", &age.NoIdentityMatchError{}), causeDecrypt},
		{errors.New("unexpected EOF"), causeDamaged},
	} {
		if got := causeOf(c.err); got != c.want {
			t.Errorf("causeOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
