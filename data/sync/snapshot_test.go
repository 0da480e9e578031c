package sync

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// coordinators is a space on dav whose devices are all coordinators.
func coordinators(t testing.TB, dav *datatest.DAV, devices ...string) *space {
	roles := map[string]data.Role{}
	for _, d := range devices {
		roles[d] = data.RoleCoordinator
	}
	return newSpace(t, dav, roles)
}

// work records a little of everything at in: a person's name and
// contact, an event, a referral step, an office record.
func work(t *testing.T, in *Install, tag string) {
	t.Helper()
	person := "p-" + tag
	record(t, in, data.OpPersonSet, person, person, func(op *data.Op) {
		op.Fields = map[string]json.RawMessage{"name": json.RawMessage(fmt.Sprintf(`{"first_name":"Nombre %s"}`, tag)),
			"contact": json.RawMessage(`{"phone1":"600112233"}`)}
	})
	record(t, in, data.OpEventAdd, "e-"+tag, person, func(op *data.Op) { op.Data = json.RawMessage(`{"kind":"nota"}`) })
	record(t, in, data.OpReferralStep, "r-"+tag, person, stepData(data.ActPropose))
	record(t, in, data.OpRecordSet, "office/"+in.cfg.Device, "", func(op *data.Op) {
		op.Data = json.RawMessage(fmt.Sprintf(`{"name":"Oficina %s"}`, tag))
	})
}

// batchCount is how many batch files device has on the server.
func batchCount(t *testing.T, sp *space, device string) int {
	t.Helper()
	files, err := os.ReadDir(filepath.Join(sp.folder(), "devices", device, "ops"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return len(files)
}

func batchFile(sp *space, device string, seq uint64) string {
	return filepath.Join(sp.folder(), filepath.FromSlash(batchPath(device, seq)))
}

func snapshotFile(sp *space, device string, seq uint64) string {
	return filepath.Join(sp.folder(), filepath.FromSlash(snapshotPath(device, seq)))
}

// folder is where the space's folder is on the server's disk.
func (sp *space) folder() string {
	return filepath.Join(sp.dav.Dir, path.Base(strings.TrimRight(sp.url, "/")))
}

func mustSnapshot(t *testing.T, in *Install) SnapshotRef {
	t.Helper()
	ref, err := in.Snapshot()
	if err != nil {
		t.Fatalf("%s: snapshot: %v", in.cfg.Device, err)
	}
	return ref
}

func sameState(t *testing.T, ins ...*Install) {
	t.Helper()
	want := ins[0].State().Hash()
	for _, in := range ins[1:] {
		if got := in.State().Hash(); got != want {
			t.Errorf("%s's state %s differs from %s's %s", in.cfg.Device, got[:12], ins[0].cfg.Device, want[:12])
		}
		if in.Journal().Len() != ins[0].Journal().Len() {
			t.Errorf("%s holds %d operations, %s %d", in.cfg.Device, in.Journal().Len(), ins[0].cfg.Device, ins[0].Journal().Len())
		}
	}
}

// TestSnapshotJoin: a new install joins from a snapshot plus the batches
// after it and ends with the same state as the installs that replayed
// the whole log (conflicting writes of two offices included). The
// batches the snapshot covers are taken off the server first, so the
// join can only have come from it.
func TestSnapshotJoin(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := coordinators(t, dav, "a", "b", "c")
	dir := t.TempDir()
	a, b := sp.open(t, dir, "a"), sp.open(t, dir, "b")
	defer a.Close()
	defer b.Close()
	work(t, a, "uno")
	mustSync(t, a)
	work(t, b, "dos")
	mustSync(t, b)
	mustSync(t, a)
	// The same field at both offices, each unseen by the other: a conflict.
	for _, in := range []*Install{a, b} {
		record(t, in, data.OpPersonSet, "p-uno", "p-uno", func(op *data.Op) {
			op.Fields = map[string]json.RawMessage{"contact": json.RawMessage(fmt.Sprintf(`{"phone1":"%s"}`, in.cfg.Device))}
		})
		mustSync(t, in)
	}
	mustSync(t, a)
	// What waits to go is not in the snapshot: it comes in its batch.
	record(t, a, data.OpEventAdd, "e-pendiente", "p-uno", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	ref := mustSnapshot(t, a)
	if ref.Vector["a"] != 2 || ref.Vector["b"] != 2 || ref.Ops != a.Journal().Len()-1 {
		t.Fatalf("snapshot %+v, want a's 2 batches and b's 2, %d operations", ref, a.Journal().Len()-1)
	}
	work(t, a, "tres") // the tail, after the snapshot
	mustSync(t, a)
	work(t, b, "cuatro")
	mustSync(t, b)
	mustSync(t, a)
	conflicts := len(a.State().Conflicts)
	if conflicts == 0 {
		t.Fatal("a shows no conflict, want the writes of both offices")
	}
	for dev, upto := range map[string]uint64{"a": 2, "b": 2} {
		for s := uint64(1); s <= upto; s++ {
			if err := os.Remove(batchFile(sp, dev, s)); err != nil {
				t.Fatal(err)
			}
		}
	}

	c := sp.open(t, dir, "c")
	defer c.Close()
	rep := mustSync(t, c)
	if rep.Received != a.Journal().Len() {
		t.Errorf("c received %d operations, a holds %d", rep.Received, a.Journal().Len())
	}
	mustSync(t, b)
	sameState(t, a, b, c)
	if n := len(c.State().Conflicts); n != conflicts {
		t.Errorf("c shows %d conflicts, a %d", n, conflicts)
	}
	assertNoPlaintext(t, dav.Dir, "Nombre", "Oficina", "600112233")
}

// writeSnapshot seals s with key to to and writes it at path, over the
// snapshot there.
func writeSnapshot(t *testing.T, path string, s Snapshot, key ed25519.PrivateKey, to age.Recipient) {
	t.Helper()
	ct, err := sealSnapshot(s, key, to)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, ct, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptSnapshotFallsBack: a snapshot that is missing, damaged,
// signed by another member's key or that lies about what it covers is
// left aside, and the new install replays the whole log to the same
// state.
func TestCorruptSnapshotFallsBack(t *testing.T) {
	dav := datatest.StartApache(t, "")
	for name, spoil := range map[string]func(t *testing.T, sp *space, path string){
		"missing": func(t *testing.T, _ *space, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		},
		"damaged": func(t *testing.T, _ *space, path string) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)/2] ^= 0xff
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"another key": func(t *testing.T, sp *space, path string) {
			writeSnapshot(t, path, Snapshot{Space: sp.members.Space, Device: "a", Seq: 1, Vector: map[string]uint64{"a": 2}},
				sp.keys["b"], sp.id.Recipient())
		},
		"forged author": func(t *testing.T, sp *space, path string) {
			forged := data.Op{ID: "b-0000000000000001", Device: "b", User: "u-a", Kind: data.OpEventAdd, Record: "e-x", Subject: "p-x"}
			writeSnapshot(t, path, Snapshot{Space: sp.members.Space, Device: "a", Seq: 1, Vector: map[string]uint64{"a": 2},
				Ops: []data.Op{forged}}, sp.keys["a"], sp.id.Recipient())
		},
		"another vector": func(t *testing.T, sp *space, path string) {
			writeSnapshot(t, path, Snapshot{Space: sp.members.Space, Device: "a", Seq: 1, Vector: map[string]uint64{"a": 9}},
				sp.keys["a"], sp.id.Recipient())
		},
	} {
		t.Run(name, func(t *testing.T) {
			sp := coordinators(t, dav, "a", "b")
			sp.url = dav.URL("Corrupt" + name)
			dir := t.TempDir()
			a := sp.open(t, dir, "a")
			defer a.Close()
			work(t, a, "uno")
			mustSync(t, a)
			work(t, a, "dos")
			mustSync(t, a)
			mustSnapshot(t, a)
			work(t, a, "tres")
			mustSync(t, a)
			spoil(t, sp, snapshotFile(sp, "a", 1))

			b := sp.open(t, dir, "b")
			defer b.Close()
			if rep := mustSync(t, b); rep.Received != a.Journal().Len() {
				t.Errorf("b received %d operations, a holds %d", rep.Received, a.Journal().Len())
			}
			sameState(t, a, b)
		})
	}
}

// TestSnapshotAfterErasure: a person erased before a snapshot is not in
// it: neither their name nor their document, in the snapshot decrypted
// with the space key, only the tombstone; an edit another office made
// before it heard of the erasure, shipped after the snapshot, does not
// bring them back at an install that joins from it.
func TestSnapshotAfterErasure(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := coordinators(t, dav, "a", "b", "c")
	dir := t.TempDir()
	a, b := sp.open(t, dir, "a"), sp.open(t, dir, "b")
	defer a.Close()
	defer b.Close()
	work(t, a, "otra")
	record(t, a, data.OpPersonSet, "p-y", "p-y", func(op *data.Op) {
		op.Fields = map[string]json.RawMessage{"name": json.RawMessage(`{"first_name":"Yolanda","last_name":"Quiroga"}`),
			"document": json.RawMessage(`{"doc_number":"QX7788991"}`)}
	})
	record(t, a, data.OpEventAdd, "e-y", "p-y", func(op *data.Op) { op.Data = json.RawMessage(`{"text":"Llamada a Yolanda Quiroga"}`) })
	mustSync(t, a)
	mustSync(t, b)
	record(t, b, data.OpPersonSet, "p-y", "p-y", func(op *data.Op) { // b has not heard of the erasure
		op.Fields = map[string]json.RawMessage{"contact": json.RawMessage(`{"phone2":"Quiroga 699887766"}`)}
	})
	record(t, a, data.OpPersonErase, "p-y", "p-y", nil)
	mustSync(t, a)
	ref := mustSnapshot(t, a)
	mustSync(t, b) // ships the edit, after the snapshot

	ct, err := os.ReadFile(snapshotFile(sp, "a", ref.Seq))
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSnapshot(ct, sp.id, &sp.members, "a", ref)
	if err != nil {
		t.Fatal(err)
	}
	tombstones := 0
	for _, op := range s.Ops {
		if about(op, "p-y") {
			if op.Kind != data.OpPersonErase {
				t.Errorf("the snapshot holds %s (%s) about the erased person", op.ID, op.Kind)
			}
			tombstones++
		}
	}
	if tombstones != 1 {
		t.Errorf("the snapshot holds %d tombstones, want 1", tombstones)
	}
	if plain := decryptSnapshot(t, sp.id, ct); bytes.Contains(plain, []byte("Quiroga")) || bytes.Contains(plain, []byte("QX7788991")) {
		t.Error("the decrypted snapshot holds the erased person's name or document")
	}

	c := sp.open(t, dir, "c")
	defer c.Close()
	mustSync(t, c)
	mustSync(t, a)
	st := c.State()
	if _, ok := st.People["p-y"]; ok || !st.Erased["p-y"] {
		t.Errorf("c, joined from the snapshot, has the person %v, tombstone %v", ok, st.Erased["p-y"])
	}
	for _, op := range c.Journal().Ops() {
		if about(op, "p-y") && op.Kind != data.OpPersonErase {
			t.Errorf("c's journal holds %s about the erased person", op.ID)
		}
	}
	sameState(t, a, c)
}

// decryptSnapshot is a snapshot file's plaintext, as anyone holding the
// space key reads it.
func decryptSnapshot(t *testing.T, id *age.X25519Identity, ct []byte) []byte {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(ct), id)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zstd.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(z); err != nil {
		t.Fatal(err)
	}
	// The body is signed as base64 inside the envelope: decode it too.
	var env envelope
	if err := json.Unmarshal(out.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	return env.Body
}

// TestStoreJoinsFromSnapshot: a real store that joins from a snapshot
// (the batches it covers gone from the server) shows the person, finds
// them by name and shows their timeline.
func TestStoreJoinsFromSnapshot(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	north, inN := storeInstall(t, sp, "norte")
	p := data.Person{FirstName: "Daniela", LastName: "Montes Ruiz", DocKind: data.DocPassport, DocNumber: "PA123456",
		Phone1: "600112233", Nationality: "VE", Regular: true}
	if err := north.CreatePerson(&p, "Norte"); err != nil {
		t.Fatal(err)
	}
	e := data.Event{PersonID: p.ID, At: time.Now().Add(-time.Hour), Kind: data.EventCall, Text: "Primera llamada"}
	if err := north.AddEvent(&e, "Norte"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSnapshot(t, inN)
	if err := os.Remove(batchFile(sp, "norte", 1)); err != nil {
		t.Fatal(err)
	}
	south, inS := storeInstall(t, sp, "sur")
	mustSync(t, inS)
	got, err := south.Person(p.ID)
	if err != nil || got.LastName != "Montes Ruiz" || got.DocNumber != "PA123456" {
		t.Fatalf("south's person after the join: %+v, %v", got, err)
	}
	if hits, _ := south.Search("montes", 5); len(hits) != 1 {
		t.Errorf("south's search finds %d, want 1", len(hits))
	}
	if tl, _ := south.Timeline(p.ID); len(tl) != 1 || tl[0].Text != "Primera llamada" {
		t.Errorf("south's timeline: %+v", tl)
	}
	sameState(t, inN, inS)
}
