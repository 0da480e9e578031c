package sync

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
)

// TestFormat2Fixture: a batch and a snapshot of format 2 (one box per
// operation), and their person keys, written by the code before format 3
// (main at 4ad1ccf; testdata/format2.json keeps the files and the space's
// keys), still open with the code of today to the very payloads, and a
// person whose key is gone is left out of both, as erasure needs.
func TestFormat2Fixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/format2.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Identity string            `json:"identity"`
		Members  Membership        `json:"members"`
		Batch    []byte            `json:"batch"`
		Snapshot []byte            `json:"snapshot"`
		Ref      SnapshotRef       `json:"snapshot_ref"`
		Keys     map[string][]byte `json:"keys"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	id, err := age.ParseX25519Identity(fx.Identity)
	if err != nil {
		t.Fatal(err)
	}
	m := &fx.Members
	keys := map[string][]byte{}
	for p, ct := range fx.Keys {
		if keys[p], err = openKey(ct, id, m, p, "norte"); err != nil {
			t.Fatal(err)
		}
	}
	keyFunc := func(without string) KeyFunc {
		return func(person, dev string) ([]byte, error) {
			if k, ok := keys[person]; ok && person != without && dev == "norte" {
				return k, nil
			}
			return nil, errKeyGone
		}
	}
	// texts are what ops say, as "kind subject payload" lines.
	texts := func(ops []data.Op) []string {
		var out []string
		for _, op := range ops {
			fields, _ := json.Marshal(op.Fields)
			out = append(out, string(op.Kind)+" "+op.Subject+" "+string(fields)+string(op.Data))
		}
		return out
	}
	want := []string{"Rosa Quiroga", "Llamada a Rosa Quiroga", "Nota de Luis Ferrer"}
	check := func(what string, v int, boxes int, open func(KeyFunc) ([]data.Op, error)) {
		t.Helper()
		if v != batchV2 || boxes != 3 {
			t.Errorf("%s: format %d with %d boxes by operation, want format 2 with 3", what, v, boxes)
		}
		ops, err := open(keyFunc(""))
		if err != nil {
			t.Fatalf("%s does not open: %v", what, err)
		}
		got := texts(ops)
		for i, w := range want {
			if i >= len(got) || !strings.Contains(got[i], w) {
				t.Errorf("%s opens to %q, want %q in operation %d", what, got, w, i)
			}
		}
		ops, err = open(keyFunc("rosa"))
		if err != nil {
			t.Fatalf("%s without rosa's key: %v", what, err)
		}
		if got := texts(ops); len(got) != 1 || !strings.Contains(got[0], "Luis Ferrer") ||
			slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "Quiroga") }) {
			t.Errorf("%s without rosa's key opens to %q, want luis's alone", what, got)
		}
	}

	b, err := openBatch(fx.Batch, id, m, "norte", 1)
	if err != nil {
		t.Fatal(err)
	}
	check("the batch", b.V, len(b.Boxes), func(k KeyFunc) ([]data.Op, error) {
		opened, err := Open(fx.Batch, id, m, "norte", 1, k)
		return opened.Ops, err
	})
	s, err := openSnapshot(fx.Snapshot, id, m, "norte", fx.Ref)
	if err != nil {
		t.Fatal(err)
	}
	check("the snapshot", s.V, len(s.Boxes), func(k KeyFunc) ([]data.Op, error) {
		sb := Batch{Space: s.Space, Device: s.Device, Seq: s.Seq, Ops: slices.Clone(s.Ops), Boxes: s.Boxes}
		err := sb.unbox(k)
		return sb.Ops, err
	})
}
