package sync

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// office is one install of a test through sessions: a real store.
type office struct {
	name string
	s    *data.Store
}

func (o office) sync(t *testing.T, pw string) {
	t.Helper()
	if _, _, err := SyncOnce(o.s, pw, time.Now()); err != nil {
		t.Fatalf("%s: sync: %v", o.name, err)
	}
}

func (o office) register(t *testing.T, first, last string) {
	t.Helper()
	p := data.Person{FirstName: first, LastName: last, DocKind: data.DocPassport,
		DocNumber: strings.ToUpper(last[:3]) + fmt.Sprint(time.Now().UnixNano()%1000000), Regular: true}
	if err := o.s.CreatePerson(&p, o.name); err != nil {
		t.Fatal(err)
	}
}

func (o office) finds(name string) bool {
	hits, _ := o.s.Search(name, 5)
	return len(hits) == 1
}

func (o office) hash(t *testing.T, pw string) string {
	t.Helper()
	ss, err := OpenSession(o.s, pw)
	if err != nil {
		t.Fatalf("%s: %v", o.name, err)
	}
	defer ss.Close()
	return ss.Status().StateHash
}

// join invites device at admin and joins it from a new store.
func join(t *testing.T, admin office, dav *datatest.DAV, device string) office {
	t.Helper()
	inv, err := Invite(admin.s, dav.Password, device, datatest.Login, "Oficina "+device, data.UserRoles)
	if err != nil {
		t.Fatal(err)
	}
	o := office{name: device, s: datatest.Open(t, nil)}
	if _, err := Join(o.s, inv, dav.User, dav.Password); err != nil {
		t.Fatalf("%s joins: %v", device, err)
	}
	return o
}

// threeOffices: norte creates a space on dav and invites sur and este,
// norte registers Ana Antesdelabaja and este Elena Deleste, and the three
// sync twice round.
func threeOffices(t *testing.T, dav *datatest.DAV) (north, south, east office) {
	t.Helper()
	pw := dav.Password
	north = office{name: "norte", s: datatest.Open(t, nil)}
	if _, err := Create(north.s, dav.URL("Enlace"), dav.User, pw, "norte"); err != nil {
		t.Fatal(err)
	}
	south, east = join(t, north, dav, "sur"), join(t, north, dav, "este")
	north.register(t, "Ana", "Antesdelabaja")
	east.register(t, "Elena", "Deleste")
	for range 2 {
		for _, o := range []office{north, south, east} {
			o.sync(t, pw)
		}
	}
	return north, south, east
}

// serverBatches are the batch files on the server of device, by number.
func serverBatches(t *testing.T, dav *datatest.DAV, device string) map[uint64][]byte {
	t.Helper()
	dir := filepath.Join(dav.Dir, "Enlace", "devices", device, "ops")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64][]byte{}
	for _, f := range files {
		var seq uint64
		if _, err := fmt.Sscanf(f.Name(), "%016x.age", &seq); err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[seq] = raw
	}
	return out
}

// opens says whether any of ids decrypts ct.
func opens(ct []byte, ids ...age.Identity) bool {
	_, err := age.Decrypt(bytes.NewReader(ct), ids...)
	return err == nil
}

// stolen is what a removed install's file holds: its device identity and
// every space key it was given.
func stolen(t *testing.T, o office) []age.Identity {
	t.Helper()
	st := o.settings(t)
	dev, err := st.deviceIdentity()
	if err != nil || dev == nil {
		t.Fatalf("%s has no device identity (%v)", o.name, err)
	}
	ring, err := parseRing(st.ring())
	if err != nil {
		t.Fatal(err)
	}
	ids := []age.Identity{dev}
	for _, k := range ring {
		ids = append(ids, k)
	}
	return ids
}

// TestRemovalStartsEpoch: three offices sync through Apache; the
// administrator removes the third. The other two keep syncing and end
// the same; the removed one, with every key its file holds, opens none of
// the batches written since nor any copy of the new key in the member
// list, and its sync says it was removed. An office invited afterwards
// reads the history from before the removal (the removed office's own
// work included) and after.
func TestRemovalStartsEpoch(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	north, south, east := threeOffices(t, dav)
	if !south.finds("antesdelabaja") || !south.finds("deleste") || !east.finds("antesdelabaja") {
		t.Fatal("the three offices did not share their work before the removal")
	}
	before := map[string]map[uint64][]byte{"norte": serverBatches(t, dav, "norte"), "sur": serverBatches(t, dav, "sur")}
	membersBefore, err := os.ReadFile(filepath.Join(dav.Dir, "Enlace", membersPath))
	if err != nil {
		t.Fatal(err)
	}

	if _, err := Remove(south.s, pw, "este"); err == nil {
		t.Error("a joined install removed a device")
	}
	rm, err := Remove(north.s, pw, "este")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rm.Devices, []string{"este"}) || rm.Epoch != 2 || len(rm.Unkeyed) != 0 {
		t.Errorf("removal: %+v, want este out and epoch 2 for everyone else", rm)
	}

	north.register(t, "Nuria", "Despuesnorte")
	south.register(t, "Sara", "Despuessur")
	for _, o := range []office{north, south, north} {
		o.sync(t, pw)
	}
	for _, o := range []office{north, south} {
		for _, name := range []string{"antesdelabaja", "deleste", "despuesnorte", "despuessur"} {
			if !o.finds(name) {
				t.Errorf("%s does not find %s after the removal", o.name, name)
			}
		}
	}
	if north.hash(t, pw) != south.hash(t, pw) {
		t.Error("north and south differ after the removal")
	}

	// The removed office, with its own keys, against the server's files.
	keys := stolen(t, east)
	newBatches := 0
	for dev, old := range before {
		for seq, ct := range serverBatches(t, dav, dev) {
			if _, ok := old[seq]; ok {
				if !opens(ct, keys...) {
					t.Errorf("este cannot open %s's batch %d from before the removal: the test proves nothing", dev, seq)
				}
				continue
			}
			newBatches++
			if opens(ct, keys...) {
				t.Errorf("este, removed, opens %s's batch %d written after its removal", dev, seq)
			}
		}
	}
	if newBatches < 2 {
		t.Errorf("%d batches written after the removal, want north's and south's", newBatches)
	}
	st, _ := LoadSettings(north.s)
	var old, now Membership
	if old, err = OpenMembership(membersBefore, st.AdminPub); err != nil || !opens(old.Keys["este"], keys...) {
		t.Fatalf("este could not open its copy of the keys before the removal (%v): the test proves nothing", err)
	}
	raw, _ := os.ReadFile(filepath.Join(dav.Dir, "Enlace", membersPath))
	if now, err = OpenMembership(raw, st.AdminPub); err != nil || now.Epoch != 2 {
		t.Fatalf("member list after the removal: epoch %d, %v", now.Epoch, err)
	}
	if _, ok := now.Keys["este"]; ok || len(now.Keys) != 2 {
		t.Errorf("the new member list has copies of the keys for %v, want norte and sur only", slices.Sorted(maps.Keys(now.Keys)))
	}
	for dev, ct := range now.Keys {
		if opens(ct, keys...) {
			t.Errorf("este opens %s's copy of the new keys", dev)
		}
	}
	if _, _, err := SyncOnce(east.s, pw, time.Now()); !errors.Is(err, ErrRemoved) {
		t.Errorf("the removed office's sync: %v, want ErrRemoved", err)
	}

	// Its signing key cannot add anything: a batch after its removal is
	// refused, sealed with the old key (the only one it has).
	estSt, _ := LoadSettings(east.s)
	ring, _ := parseRing(st.ring())
	member := now.Members[slices.IndexFunc(now.Members, func(m Member) bool { return m.Device == "este" })]
	forged, err := Seal(Batch{Space: now.Space, Device: "este", Seq: member.Until + 1, Epoch: 1}, estSt.SignKey, ring[1].Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(forged, ring, &now, "este", member.Until+1, nil); !errors.Is(err, ErrRemoved) {
		t.Errorf("a batch of the removed device after its removal: %v, want ErrRemoved", err)
	}

	// A new office, invited after the removal, reads everything.
	listFile := filepath.Join(dav.Dir, "Enlace", membersPath)
	beforeWest, _ := os.ReadFile(listFile)
	west := join(t, north, dav, "oeste")
	west.sync(t, pw)
	for _, name := range []string{"antesdelabaja", "deleste", "despuesnorte", "despuessur"} {
		if !west.finds(name) {
			t.Errorf("the office invited after the removal does not find %s", name)
		}
	}
	west.register(t, "Olga", "Deloeste")
	west.sync(t, pw)
	north.sync(t, pw)
	south.sync(t, pw)
	if !north.finds("deloeste") || !south.finds("deloeste") {
		t.Error("what the new office wrote did not reach the others")
	}
	if h := west.hash(t, pw); h != north.hash(t, pw) || h != south.hash(t, pw) {
		t.Error("the offices differ after the new one joined")
	}

	// An older signed member list put back on the server is refused: the
	// one from before the removal (which would readmit este), and the
	// one from before oeste was invited.
	current, _ := os.ReadFile(listFile)
	for name, old := range map[string][]byte{"before the removal": membersBefore, "before inviting oeste": beforeWest} {
		if err := os.WriteFile(listFile, old, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := SyncOnce(south.s, pw, time.Now()); !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), "más antigua") {
			t.Errorf("south syncs with the member list from %s put back: %v, want it refused", name, err)
		}
	}
	if err := os.WriteFile(listFile, current, 0o644); err != nil {
		t.Fatal(err)
	}
	south.sync(t, pw)

	// Batches must name the epoch they are sealed to, and one invited in
	// epoch 2 seals nothing older.
	westSt, _ := LoadSettings(west.s)
	mislabelled, _ := Seal(Batch{Space: now.Space, Device: "sur", Seq: 99, Epoch: 2}, south.settings(t).SignKey, ring[1].Recipient())
	if _, err := Open(mislabelled, ring, &now, "sur", 99, nil); !errors.Is(err, ErrTampered) {
		t.Errorf("a batch naming epoch 2 sealed with epoch 1's key: %v, want ErrTampered", err)
	}
	raw, _ = os.ReadFile(filepath.Join(dav.Dir, "Enlace", membersPath))
	now, _ = OpenMembership(raw, st.AdminPub)
	stale, _ := Seal(Batch{Space: now.Space, Device: "oeste", Seq: 99, Epoch: 1}, westSt.SignKey, ring[1].Recipient())
	if _, err := Open(stale, ring, &now, "oeste", 99, nil); !errors.Is(err, ErrEpoch) {
		t.Errorf("a batch of a device invited in epoch 2 sealed with epoch 1: %v, want ErrEpoch", err)
	}
}

// settings are o's sync settings.
func (o office) settings(t *testing.T) Settings {
	t.Helper()
	st, err := LoadSettings(o.s)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestRemoveUser: removing a user takes every device of theirs out, in
// one new epoch, and leaves the others.
func TestRemoveUser(t *testing.T) {
	dav := datatest.StartApache(t, "")
	north := office{name: "norte", s: datatest.Open(t, nil)}
	if _, err := Create(north.s, dav.URL("Enlace"), dav.User, dav.Password, "norte"); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"luis_casa", "luis_oficina", "marta"} {
		login := "luis"
		if d == "marta" {
			login = "marta"
		}
		if _, err := Invite(north.s, dav.Password, d, login, d, []data.Role{data.RoleTechnician}); err != nil {
			t.Fatal(err)
		}
	}
	rm, err := RemoveUser(north.s, dav.Password, "luis")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rm.Devices, []string{"luis_casa", "luis_oficina"}) || rm.Epoch != 2 {
		t.Errorf("removing luis: %+v, want both his devices in epoch 2", rm)
	}
	st, _ := LoadSettings(north.s)
	m, err := fetchMembership(NewRemote(st.URL, dav.User, dav.Password), st.AdminPub, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range m.Members {
		if x.Removed != strings.HasPrefix(x.Device, "luis") {
			t.Errorf("%s removed: %v", x.Device, x.Removed)
		}
		if _, ok := m.Keys[x.Device]; ok == x.Removed {
			t.Errorf("%s (removed %v) has a copy of the new keys: %v", x.Device, x.Removed, ok)
		}
	}
	if _, err := RemoveUser(north.s, dav.Password, "luis"); err == nil || !strings.Contains(err.Error(), "no tiene ningún equipo") {
		t.Errorf("removing luis again: %v", err)
	}
	if _, err := Invite(north.s, dav.Password, "luis_casa", "luis", "Luis", []data.Role{data.RoleTechnician}); err == nil {
		t.Error("a removed device's name was given to a new one")
	}
}

// legacySpace sets up offices as Enlace did before key epochs: one space
// key in every install's settings, no device identities, a member list
// without recipients nor copies of keys. The first is the administrator.
func legacySpace(t *testing.T, dav *datatest.DAV, devices ...string) (map[string]office, *age.X25519Identity) {
	t.Helper()
	adminPub, adminKey, _ := ed25519.GenerateKey(rand.Reader)
	space, _ := age.GenerateX25519Identity()
	m := Membership{Space: "antiguo", Epoch: 1}
	remote := NewRemote(dav.URL("Enlace"), dav.User, dav.Password)
	out := map[string]office{}
	for i, d := range devices {
		pub, key, _ := ed25519.GenerateKey(rand.Reader)
		st := Settings{URL: dav.URL("Enlace"), User: dav.User, SpaceID: m.Space, Device: d, SignKey: key,
			SpaceKey: space.String(), AdminPub: adminPub}
		if i == 0 {
			st.AdminKey = adminKey
		}
		o := office{name: d, s: datatest.Open(t, nil)}
		if err := saveSettings(o.s, st); err != nil {
			t.Fatal(err)
		}
		if err := o.s.EnableSync(d); err != nil {
			t.Fatal(err)
		}
		if err := remote.Prepare(d); err != nil {
			t.Fatal(err)
		}
		m.Members = append(m.Members, Member{Device: d, User: datatest.Login, Name: d, Roles: data.UserRoles, SignKey: pub})
		out[d] = o
	}
	if err := publish(remote, m, adminKey); err != nil {
		t.Fatal(err)
	}
	return out, space
}

// TestLegacySpaceMovesToEpochs: a space made before key epochs keeps
// syncing after the upgrade; each install makes its own identity at its
// first sync, the administrator's install gives it its copy of the keys,
// and the next removal starts epoch 2. An install that had not synced
// since the upgrade gets the new key once it has and the administrator's
// install has after it.
func TestLegacySpaceMovesToEpochs(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	offices, space := legacySpace(t, dav, "norte", "sur", "oeste", "este")
	north, south, west := offices["norte"], offices["sur"], offices["oeste"]

	// A batch of the old Enlace names no epoch: it is the first's.
	sealed, err := Seal(Batch{Space: "antiguo", Device: "sur", Seq: 7}, south.settings(t).SignKey, space.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	old, _ := fetchMembership(NewRemote(dav.URL("Enlace"), dav.User, pw), north.settings(t).AdminPub, nil)
	if _, err := Open(sealed, Keyring{1: space}, &old, "sur", 7, nil); err != nil {
		t.Errorf("a batch without an epoch from before the upgrade: %v", err)
	}

	north.register(t, "Lara", "Legado")
	north.sync(t, pw)
	south.sync(t, pw)
	north.sync(t, pw)
	if !south.finds("legado") {
		t.Fatal("the upgraded space does not sync")
	}
	m, _ := fetchMembership(NewRemote(dav.URL("Enlace"), dav.User, pw), north.settings(t).AdminPub, nil)
	for _, x := range m.Members {
		_, copied := m.Keys[x.Device]
		if synced := x.Device == "norte" || x.Device == "sur"; (x.AgeKey != "") != synced || copied != synced {
			t.Errorf("%s: recipient %q, copy of the keys %v, after %s", x.Device, x.AgeKey, copied,
				map[bool]string{true: "syncing since the upgrade", false: "not syncing"}[synced])
		}
	}

	rm, err := Remove(north.s, pw, "este")
	if err != nil {
		t.Fatal(err)
	}
	if rm.Epoch != 2 || !slices.Equal(rm.Unkeyed, []string{"oeste"}) {
		t.Errorf("removal in the old space: %+v, want epoch 2 and oeste still without its copy", rm)
	}
	north.register(t, "Paula", "Posterior")
	north.sync(t, pw)
	south.sync(t, pw)
	if !south.finds("posterior") {
		t.Error("south, upgraded, does not read what was written in epoch 2")
	}
	if _, _, err := SyncOnce(west.s, pw, time.Now()); !errors.Is(err, ErrNoKey) {
		t.Errorf("west, not upgraded before the removal, syncs: %v, want ErrNoKey", err)
	}
	north.sync(t, pw) // gives west its copy
	west.sync(t, pw)
	if !west.finds("legado") || !west.finds("posterior") {
		t.Error("west does not read the history once it has the new key")
	}
	if h := west.hash(t, pw); h != north.hash(t, pw) || h != south.hash(t, pw) {
		t.Error("the old space's offices differ")
	}
}
