package sync

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
	"github.com/studio-b12/gowebdav"
	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// ncTrash serves, beside the user's files, a trash bin laid out as
// Nextcloud's (remote.php/dav/trashbin/USER/trash/<name>.d<seconds>),
// inside the served folder so that the scan of the server sees it.
const ncTrash = "Alias /remote.php/dav/trashbin/ana {DIR}/.nextcloud/trashbin\n"

// serverYields walks every file the server holds under dir and reports where one
// of words shows: in the file as it is, in what the space key decrypts
// of it, and, for a batch, in its operations opened with every person key
// found anywhere on the server (the keys/ folder, the trash bin…), as
// someone holding the current keys and a copy of the server would.
func serverYields(t *testing.T, dir string, sp *space, words ...string) []string {
	t.Helper()
	type file struct {
		rel         string
		raw, opened []byte
	}
	var files []file
	keys := map[string][]byte{}
	err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		f := file{rel: rel, raw: raw}
		if r, err := age.Decrypt(bytes.NewReader(raw), sp.id); err == nil {
			f.opened, _ = io.ReadAll(r)
			if bytes.HasPrefix(f.opened, zstdMagic) {
				// Compressed (a snapshot, a batch of format 3): what it
				// holds is read only once decompressed.
				z, err := zstd.NewReader(bytes.NewReader(f.opened))
				if err != nil {
					return err
				}
				f.opened, err = io.ReadAll(z)
				z.Close()
				if err != nil {
					t.Fatalf("%s does not decompress: %v", rel, err)
				}
			}
			var env envelope
			var k keyFile
			var bf bundleFile
			if json.Unmarshal(f.opened, &env) == nil && json.Unmarshal(env.Body, &k) == nil && len(k.Key) == 32 {
				keys[keyName(k.Person, k.Device)] = k.Key
			}
			if json.Unmarshal(f.opened, &env) == nil && json.Unmarshal(env.Body, &bf) == nil {
				for person, key := range bf.Keys {
					keys[keyName(person, bf.Device)] = key
				}
				maps.Copy(keys, bf.Named)
			}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, f := range files {
		// opened is b's operations with every person key found.
		opened := func(b Batch) []byte {
			err := b.unbox(func(person, dev string) ([]byte, error) {
				if k, ok := keys[keyName(person, dev)]; ok {
					return k, nil
				}
				return nil, errKeyGone
			})
			if err != nil {
				t.Fatalf("%s: %v", f.rel, err)
			}
			ops, _ := json.Marshal(b.Ops)
			return ops
		}
		texts := [][]byte{f.raw, f.opened}
		parts := strings.Split(filepath.ToSlash(f.rel), "/")
		if n := len(parts); n >= 4 && parts[n-4] == "devices" && parts[n-2] == "ops" {
			seq, _ := strconv.ParseUint(strings.TrimSuffix(parts[n-1], ".age"), 16, 64)
			b, err := openBatch(f.raw, sp.id, &sp.members, parts[n-3], seq)
			if err != nil {
				t.Fatalf("%s does not open with the space key: %v", f.rel, err)
			}
			ops := opened(b)
			texts = append(texts, ops)
		}
		if n := len(parts); n >= 4 && parts[n-4] == "devices" && parts[n-2] == "snapshots" {
			var env envelope
			var snap Snapshot
			if err := json.Unmarshal(f.opened, &env); err != nil || json.Unmarshal(env.Body, &snap) != nil {
				t.Fatalf("%s does not open with the space key: %v", f.rel, err)
			}
			b := Batch{Space: snap.Space, Device: snap.Device, Seq: snap.Seq, Ops: snap.Ops, Boxes: snap.Boxes, People: snap.People}
			ops := opened(b)
			texts = append(texts, env.Body, ops)
		}
		for _, text := range texts {
			for _, w := range words {
				if bytes.Contains(text, []byte(w)) {
					found = append(found, f.rel+": "+w)
				}
			}
		}
	}
	return found
}

// syncFileYields reports where one of words shows in the install's sync
// file: raw, or in any value of any page, freed pages included, unsealed
// with the file's key (the space key's).
func syncFileYields(t *testing.T, in *Install, words ...string) []string {
	t.Helper()
	raw, err := os.ReadFile(in.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	look := func(where string, text []byte) {
		for _, w := range words {
			if bytes.Contains(text, []byte(w)) {
				found = append(found, where+": "+w)
			}
		}
	}
	look("raw", raw)
	for _, kv := range leafValues(raw) {
		for _, ad := range [][]byte{kv[0], keyAD(string(kv[0]))} {
			if plain, err := unseal(in.aead, ad, kv[1]); err == nil {
				look(fmt.Sprintf("value of %q", kv[0]), plain)
			}
		}
	}
	return found
}

// leafValues reads every key and value of every leaf page of a bbolt
// file, in use or freed (a freed page keeps its content until reused),
// inline buckets included.
func leafValues(raw []byte) [][2][]byte {
	if len(raw) < 32 {
		return nil
	}
	pgsz := int(binary.LittleEndian.Uint32(raw[16+8:])) // page header, then meta: magic, version, page size
	var out [][2][]byte
	var page func(p []byte)
	page = func(p []byte) {
		if len(p) < 16 || binary.LittleEndian.Uint16(p[8:])&0x02 == 0 { // leafPageFlag
			return
		}
		count := int(binary.LittleEndian.Uint16(p[10:]))
		for i := range count {
			e := 16 + i*16
			if e+16 > len(p) {
				return
			}
			flags := binary.LittleEndian.Uint32(p[e:])
			pos, ks, vs := int(binary.LittleEndian.Uint32(p[e+4:])), int(binary.LittleEndian.Uint32(p[e+8:])), int(binary.LittleEndian.Uint32(p[e+12:]))
			start := e + pos
			if start < 0 || start+ks+vs > len(p) {
				continue
			}
			k, v := p[start:start+ks], p[start+ks:start+ks+vs]
			if flags&0x01 != 0 { // a bucket: inline when its root is 0
				if len(v) > 16 && binary.LittleEndian.Uint64(v) == 0 {
					page(v[16:])
				}
				continue
			}
			out = append(out, [2][]byte{k, v})
		}
	}
	for off := 0; off+pgsz <= len(raw); off += pgsz {
		overflow := int(binary.LittleEndian.Uint32(raw[off+12:]))
		end := min(len(raw), off+(overflow+1)*pgsz)
		page(raw[off:end])
	}
	return out
}

// TestCryptoShredding: once a person is erased and the erasure synced,
// nothing the current space key opens yields their name or document: not
// a batch on the server (write-once, never rewritten), nor any other file
// there (the trash bin a Nextcloud would keep included), nor any install's
// sync file, freed pages included. Another person's data still opens. An
// install that joins afterwards converges without ever seeing them, and
// one that was offline during the erasure and sends what it typed about
// them then does not bring them back.
func TestCryptoShredding(t *testing.T) {
	dav := datatest.StartApache(t, ncTrash)
	sp := newSpace(t, dav, map[string]data.Role{"norte": data.RoleCoordinator, "sur": data.RoleCoordinator,
		"vieja": data.RoleCoordinator, "nueva": data.RoleCoordinator})
	allRoles(sp)
	north, inN := storeInstall(t, sp, "norte")
	south, inS := storeInstall(t, sp, "sur")
	stale, inV := storeInstall(t, sp, "vieja")
	p := data.Person{FirstName: "Yolanda", LastName: "Quiroga Beltrán", DocKind: data.DocPassport, DocNumber: "QX7788991",
		Phone1: "600998877", Nationality: "CO", Regular: true}
	if err := north.CreatePerson(&p, "Norte"); err != nil {
		t.Fatal(err)
	}
	if err := north.AddEvent(&data.Event{PersonID: p.ID, At: time.Now().Add(-time.Hour), Kind: data.EventCall,
		Text: "Llamada a Yolanda Quiroga"}, "Norte"); err != nil {
		t.Fatal(err)
	}
	other := data.Person{FirstName: "Marta", LastName: "Sigüenza Oliva", DocKind: data.DocPassport, DocNumber: "MS5544332",
		Nationality: "PE", Regular: true}
	if err := north.CreatePerson(&other, "Norte"); err != nil {
		t.Fatal(err)
	}
	for _, in := range []*Install{inN, inS, inV} {
		mustSync(t, in)
	}
	erased := []string{"Quiroga", "QX7788991"}
	// The scans can fail: before the erasure they find the person, and
	// only under the person key (the space key alone opens no name).
	if found := serverYields(t, dav.Dir, sp, erased...); len(found) == 0 {
		t.Fatal("before the erasure the scan of the server finds nothing: it cannot tell")
	}
	if found := syncFileYields(t, inS, erased...); len(found) == 0 {
		t.Fatal("before the erasure the scan of south's sync file finds nothing: it cannot tell")
	}
	for _, dev := range []string{"norte"} {
		ct, err := os.ReadFile(filepath.Join(dav.Dir, "Enlace", "devices", dev, "ops", fmt.Sprintf("%016x.age", 1)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := openBatch(ct, sp.id, &sp.members, dev, 1)
		if err != nil {
			t.Fatal(err)
		}
		outer, _ := json.Marshal(b)
		if bytes.Contains(outer, []byte("Quiroga")) || b.V != batchV3 || len(b.People) == 0 {
			t.Errorf("%s's batch, opened with the space key alone: version %d, %d boxes, name in clear: %v",
				dev, b.V, len(b.People), bytes.Contains(outer, []byte("Quiroga")))
		}
	}
	// A Nextcloud keeps what is deleted in its trash bin: as if the key
	// had been deleted once already, a copy of it is there.
	name := keyName(p.ID, "norte")
	keyCT, err := os.ReadFile(filepath.Join(dav.Dir, "Enlace", "keys", name+".age"))
	if err != nil {
		t.Fatalf("the person's key is not on the server: %v", err)
	}
	root := gowebdav.NewClient(dav.Base+"/remote.php/dav/", dav.User, dav.Password)
	if err := gowebdav.NewClient(dav.URL(""), dav.User, dav.Password).MkdirAll(".nextcloud/trashbin/trash", 0); err != nil {
		t.Fatal(err)
	}
	trashed := "trashbin/ana/trash/" + name + ".age.d1765100000"
	if err := root.Write(trashed, keyCT, 0); err != nil {
		t.Fatal(err)
	}

	// The stale install, offline, renames the person and notes a call.
	v, err := stale.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	v.LastName = "Quiroga Beltrán de Paz"
	if err := stale.UpdatePerson(&v, "Vieja"); err != nil {
		t.Fatal(err)
	}
	if err := stale.AddEvent(&data.Event{PersonID: p.ID, At: time.Now(), Kind: data.EventCall,
		Text: "Yolanda Quiroga vuelve a llamar"}, "Vieja"); err != nil {
		t.Fatal(err)
	}

	if err := north.ErasePerson(p.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	mustSync(t, inN)

	// (a) Nothing the current keys open yields the person.
	if found := serverYields(t, dav.Dir, sp, erased...); len(found) > 0 {
		t.Errorf("after the erasure the server still yields the person: %v", found)
	}
	if found := serverYields(t, dav.Dir, sp, "Sigüenza"); len(found) == 0 {
		t.Error("the other person no longer opens on the server")
	}
	for _, f := range []string{filepath.Join("Enlace", "keys", name+".age"), filepath.Join(".nextcloud", "trashbin", "trash", name+".age.d1765100000")} {
		if _, err := os.Stat(filepath.Join(dav.Dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still on the server (%v)", f, err)
		}
	}
	for dev, in := range map[string]*Install{"norte": inN, "sur": inS} {
		if found := syncFileYields(t, in, erased...); len(found) > 0 {
			t.Errorf("%s's sync file still yields the person: %v", dev, found)
		}
		if len(in.pkeys[p.ID]) > 0 {
			t.Errorf("%s still holds the person's key", dev)
		}
	}

	// (b) An install joining now converges and never sees the person.
	fresh, inF := storeInstall(t, sp, "nueva")
	mustSync(t, inF)
	if _, err := fresh.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the new install has the erased person (%v)", err)
	}
	if got, err := fresh.Person(other.ID); err != nil || got.LastName != "Sigüenza Oliva" {
		t.Errorf("the new install's other person: %+v (%v)", got, err)
	}
	if found := syncFileYields(t, inF, erased...); len(found) > 0 {
		t.Errorf("the new install's sync file yields the person: %v", found)
	}
	if inF.State().Hash() != inN.State().Hash() {
		t.Error("the new install differs from north")
	}

	// (c) The stale install comes back: what it typed goes out, sealed
	// with the key that is gone, and it learns of the erasure.
	mustSync(t, inV)
	for _, in := range []*Install{inN, inS, inF, inV} {
		mustSync(t, in)
	}
	for dev, st := range map[string]*data.Store{"norte": north, "sur": south, "vieja": stale, "nueva": fresh} {
		if _, err := st.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("%s has the person back (%v)", dev, err)
		}
		if tl, _ := st.Timeline(p.ID); len(tl) != 0 {
			t.Errorf("%s shows %d timeline entries of the erased person", dev, len(tl))
		}
	}
	want := inN.State().Hash()
	for dev, in := range map[string]*Install{"sur": inS, "vieja": inV, "nueva": inF} {
		if in.State().Hash() != want {
			t.Errorf("%s differs from north after the stale install came back", dev)
		}
		for _, op := range in.Journal().Ops() {
			if about(op, p.ID) && op.Kind != data.OpPersonErase {
				t.Errorf("%s's journal holds %s (%s) about the erased person", dev, op.ID, op.Kind)
			}
		}
		if found := syncFileYields(t, in, erased...); len(found) > 0 {
			t.Errorf("%s's sync file yields the person: %v", dev, found)
		}
	}
	if found := serverYields(t, dav.Dir, sp, erased...); len(found) > 0 {
		t.Errorf("after the stale install's batch the server yields the person: %v", found)
	}
	if _, err := os.Stat(filepath.Join(dav.Dir, "Enlace", "devices", "vieja", "ops", fmt.Sprintf("%016x.age", 1))); err != nil {
		t.Errorf("the stale install's batch is not on the server, so (c) proves nothing: %v", err)
	}
}

// TestErasureCompactsSyncFile: deleting a person's operations leaves
// them, sealed with the file's key, in freed pages of the sync file; the
// erasure rewrites the file so that none is left, and the install goes
// on working on the new file.
func TestErasureCompactsSyncFile(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleCoordinator, "b": data.RoleCoordinator})
	dir := t.TempDir()
	a := sp.open(t, dir, "a")
	defer a.Close()
	for i := range 200 {
		for _, person := range []string{"p1", "p2"} {
			record(t, a, data.OpEventAdd, fmt.Sprintf("e%d-%s", i, person), person, func(op *data.Op) {
				op.Data = json.RawMessage(fmt.Sprintf(`{"text":"Llamada %d a %s Quiroga"}`, i, person))
			})
		}
	}
	mustSync(t, a)
	if found := syncFileYields(t, a, "p1 Quiroga"); len(found) == 0 {
		t.Fatal("before the erasure the scan finds nothing: it cannot tell")
	}
	record(t, a, data.OpPersonErase, "p1", "p1", nil)
	path := a.db.Path()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var left int
	for _, kv := range leafValues(raw) {
		if plain, err := unseal(a.aead, kv[0], kv[1]); err == nil && bytes.Contains(plain, []byte("p1 Quiroga")) {
			left++
		}
	}
	if left == 0 {
		t.Fatal("right after the erasure no freed page holds the person: the test cannot tell")
	}
	mustSync(t, a)
	if found := syncFileYields(t, a, "p1 Quiroga"); len(found) > 0 {
		t.Errorf("after the erasure's sync the file still yields the person %d times, e.g. %s", len(found), found[0])
	}
	if len(a.State().Events) != 200 {
		t.Errorf("after the compaction the install holds %d events, want p2's 200", len(a.State().Events))
	}
	b := sp.open(t, dir, "b")
	defer b.Close()
	if rep := mustSync(t, b); rep.Received != 201 {
		t.Errorf("b received %d operations, want p2's 200 and the tombstone", rep.Received)
	}
	record(t, a, data.OpEventAdd, "e-after", "p2", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	mustSync(t, a)
	if rep := mustSync(t, b); rep.Received != 1 {
		t.Errorf("after the compaction a's next change reached b as %d operations", rep.Received)
	}
}

// TestErasingAMergedPerson: a duplicate merged into a person is that
// person, so erasing them erases the duplicate too, wherever the merge and
// the erasure meet: north merges south's duplicate into its ficha while
// south, not yet aware, erases its own; after syncing, neither name nor
// document opens anywhere, and both installs hold the same state.
func TestErasingAMergedPerson(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"norte": data.RoleCoordinator, "sur": data.RoleCoordinator})
	allRoles(sp)
	north, inN := storeInstall(t, sp, "norte")
	south, inS := storeInstall(t, sp, "sur")
	a := data.Person{FirstName: "Amina", LastName: "Benali", DocKind: data.DocPassport, DocNumber: "MA445566", Nationality: "MA", Regular: true}
	if err := north.CreatePerson(&a, "Norte"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	b := data.Person{FirstName: "Amina", LastName: "Benali El Idrissi", DocKind: data.DocPassport, DocNumber: "MA445566",
		Phone1: "611002200", Nationality: "MA", Regular: true}
	if err := south.CreatePerson(&b, "Sur"); err != nil {
		t.Fatal(err)
	}
	if err := south.AddEvent(&data.Event{PersonID: b.ID, At: time.Now().Add(-time.Hour), Kind: data.EventNote, Text: "Alta de Amina en sur"}, "Sur"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	mustSync(t, inN)
	words := []string{"Benali", "MA445566", "611002200"}
	if found := serverYields(t, dav.Dir, sp, words...); len(found) == 0 {
		t.Fatal("before the erasure the scan finds nothing: it cannot tell")
	}
	if err := north.MergePeople(a.ID, b.ID, "Norte"); err != nil {
		t.Fatal(err)
	}
	if err := south.ErasePerson(b.ID, "Lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	mustSync(t, inN)
	mustSync(t, inS)
	for name, st := range map[string]*data.Store{"norte": north, "sur": south} {
		for _, id := range []string{a.ID, b.ID} {
			if _, err := st.Person(id); !errors.Is(err, data.ErrNotFound) {
				t.Errorf("%s still has %s (%v)", name, id, err)
			}
		}
		if hits, _ := st.Search("benali", 5); len(hits) != 0 {
			t.Errorf("%s's search still finds %d", name, len(hits))
		}
	}
	if found := serverYields(t, dav.Dir, sp, words...); len(found) > 0 {
		t.Errorf("the server still yields the merged and erased person: %v", found)
	}
	for name, in := range map[string]*Install{"norte": inN, "sur": inS} {
		if found := syncFileYields(t, in, words...); len(found) > 0 {
			t.Errorf("%s's sync file still yields them: %v", name, found)
		}
	}
	if inN.State().Hash() != inS.State().Hash() {
		t.Error("the installs differ after the merge met the erasure")
	}
}

// TestBundledKeys: the keys of a batch that makes many are also in one
// bundle, so an install joining reads them in one request rather than
// one per person; erasing one of those people deletes the bundle as well
// as their key, and the others' keys are still read one by one.
func TestBundledKeys(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"norte": data.RoleCoordinator, "sur": data.RoleCoordinator, "nueva": data.RoleCoordinator})
	allRoles(sp)
	north, inN := storeInstall(t, sp, "norte")
	var people []data.Person
	for i := range 12 {
		p := data.Person{FirstName: "Rosa", LastName: fmt.Sprintf("Apellidoúnico%02d", i), DocKind: data.DocPassport,
			DocNumber: fmt.Sprintf("PX%06d", i), Nationality: "CO", Regular: true}
		if err := north.CreatePerson(&p, "Norte"); err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	mustSync(t, inN)
	bundle := filepath.Join(dav.Dir, "Enlace", "keys", bundleName("norte", 1)+".age")
	if _, err := os.Stat(bundle); err != nil {
		t.Fatalf("no bundle of the first batch's keys: %v", err)
	}
	south, inS := storeInstall(t, sp, "sur")
	// The listing, north's head (once to look for a snapshot, once for
	// its batches), the batch, the bundle and south's first head: not one
	// request per person.
	if rep := mustSync(t, inS); rep.Requests > 7 {
		t.Errorf("joining with 12 people made %d requests, want the listing, head, batch, bundle and its own head", rep.Requests)
	}
	if n := south.PersonCount(); n != 12 {
		t.Fatalf("south joined with %d people, want 12", n)
	}
	gone := people[3]
	if err := south.ErasePerson(gone.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inS)
	mustSync(t, inN)
	for _, f := range []string{bundle, filepath.Join(dav.Dir, "Enlace", "keys", keyName(gone.ID, "norte")+".age")} {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still on the server (%v)", f, err)
		}
	}
	if found := serverYields(t, dav.Dir, sp, gone.LastName, gone.DocNumber); len(found) > 0 {
		t.Errorf("the server still yields the erased person: %v", found)
	}
	if found := serverYields(t, dav.Dir, sp, people[4].LastName); len(found) == 0 {
		t.Error("another person of the bundle no longer opens")
	}
	fresh, inF := storeInstall(t, sp, "nueva")
	mustSync(t, inF)
	if n := fresh.PersonCount(); n != 11 {
		t.Errorf("the new install holds %d people, want the 11 left", n)
	}
	if inF.State().Hash() != inN.State().Hash() || inS.State().Hash() != inN.State().Hash() {
		t.Error("the installs differ")
	}
}

// TestOldBatchesStillOpen: a batch written before per-person keys (no
// format version, operations whole) still opens and applies.
func TestOldBatchesStillOpen(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleTechnician, "b": data.RoleTechnician})
	r := NewRemote(sp.url, dav.User, dav.Password)
	if err := r.Prepare("a"); err != nil {
		t.Fatal(err)
	}
	m := newMaker("a", "u-a")
	old := Batch{Space: sp.members.Space, Device: "a", Seq: 1, Ops: []data.Op{m.event("e1", "p1", "Nota de antes"), m.set("p1", "name", "Rosa Antigua")}}
	ct, err := Seal(old, sp.keys["a"], sp.id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	head, err := sign(headFile{Device: "a", Seq: 1}, sp.keys["a"])
	if err != nil {
		t.Fatal(err)
	}
	if err := r.PutBatch("a", 1, ct); err != nil {
		t.Fatal(err)
	}
	if err := r.PutHead("a", 1, head, 0); err != nil {
		t.Fatal(err)
	}
	b := sp.open(t, t.TempDir(), "b")
	defer b.Close()
	if rep := mustSync(t, b); rep.Received != 2 {
		t.Fatalf("received %d operations of the old batch, want 2", rep.Received)
	}
	st := b.State()
	if e, ok := st.Events["e1"]; !ok || !strings.Contains(string(e.Data), "Nota de antes") {
		t.Errorf("the old batch's event: %+v", st.Events)
	}
	if p, ok := st.People["p1"]; !ok || !strings.Contains(string(p.Groups["name"].Value), "Rosa Antigua") {
		t.Errorf("the old batch's person: %+v", st.People["p1"])
	}
}

// TestSnapshotShredding: a snapshot holds what it holds about a person
// sealed with their key, and its bundle of keys: once the person is
// erased after it was written, nothing on the server opens to them (the
// snapshot included, decompressed), and an install that joins from that
// snapshot has everyone else and not them. The same when the writer
// writes format 2 (one box per operation) as installs did before format
// 3: its batches and snapshot open, and shred, as they did.
func TestSnapshotShredding(t *testing.T) {
	for _, format := range []int{batchV3, batchV2} {
		t.Run(fmt.Sprintf("format %d", format), func(t *testing.T) { testSnapshotShredding(t, format) })
	}
}

func testSnapshotShredding(t *testing.T, format int) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur", "nueva"))
	north, inN := storeInstall(t, sp, "norte")
	inN.format = format
	south, inS := storeInstall(t, sp, "sur")
	p := data.Person{FirstName: "Yolanda", LastName: "Quiroga Beltrán", DocKind: data.DocPassport, DocNumber: "QX7788991",
		Nationality: "CO", Regular: true}
	other := data.Person{FirstName: "Marta", LastName: "Sigüenza Oliva", DocKind: data.DocPassport, DocNumber: "MS5544332",
		Nationality: "PE", Regular: true}
	for _, x := range []*data.Person{&p, &other} {
		if err := north.CreatePerson(x, "Norte"); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, inN)
	mustSync(t, inS)
	ref, err := inN.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	snapFile := filepath.Join(dav.Dir, "Enlace", snapshotPath("norte", ref.Seq))
	raw, err := os.ReadFile(snapFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSnapshot(raw, sp.id, &sp.members, "norte", ref)
	if err != nil {
		t.Fatal(err)
	}
	outer, _ := json.Marshal(s)
	boxes, others := len(s.People), len(s.Boxes) // of its format, of the other
	if format == batchV2 {
		boxes, others = others, boxes
	}
	if bytes.Contains(outer, []byte("Quiroga")) || s.V != format || boxes == 0 || others > 0 || !s.KeyBundle {
		t.Errorf("the snapshot opened with the space key alone: version %d, %d boxes (%d of the other format), bundle %v, name in clear: %v",
			s.V, boxes, others, s.KeyBundle, bytes.Contains(outer, []byte("Quiroga")))
	}
	erased := []string{"Quiroga", "QX7788991"}
	if found := serverYields(t, dav.Dir, sp, erased...); !slices.ContainsFunc(found, func(f string) bool {
		return strings.Contains(f, "snapshots")
	}) {
		t.Fatalf("before the erasure the scan finds the person in no snapshot (%v): it cannot tell", found)
	}

	if err := south.ErasePerson(p.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inS)
	mustSync(t, inN)
	if found := serverYields(t, dav.Dir, sp, erased...); len(found) > 0 {
		t.Errorf("after the erasure the server still yields the person: %v", found)
	}
	if _, err := os.Stat(snapFile); err != nil {
		t.Fatalf("the snapshot is gone (%v): the test no longer joins from it", err)
	}

	// A new install joins from the snapshot (north's head names it).
	newer, inX := storeInstall(t, sp, "nueva")
	mustSync(t, inX)
	var fromSnap uint64
	_ = inX.db.View(func(tx *bolt.Tx) error { fromSnap = getUint(tx.Bucket(bucketMeta).Get(metaSnapBase)); return nil })
	if fromSnap == 0 {
		t.Error("the new install did not join from the snapshot")
	}
	if newer.PersonCount() != 1 {
		t.Errorf("the new install joined with %d people, want Marta alone", newer.PersonCount())
	}
	if hits, _ := newer.Search("Quiroga", 5); len(hits) != 0 {
		t.Errorf("the new install finds the erased person: %v", hits)
	}
	if hits, _ := newer.Search("Sigüenza", 5); len(hits) != 1 {
		t.Errorf("the new install does not find Marta: %v", hits)
	}
}
