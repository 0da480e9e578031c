package sync

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
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

// space is a test space: its key, member list and the members' keys.
type space struct {
	id      *age.X25519Identity
	members Membership
	keys    map[string]ed25519.PrivateKey
	url     string
	dav     *datatest.DAV
}

// newSpace makes a space on dav with one device per role given.
func newSpace(t testing.TB, dav *datatest.DAV, roles map[string]data.Role) *space {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	sp := &space{id: id, members: Membership{Space: "espacio-prueba", Epoch: 1}, keys: map[string]ed25519.PrivateKey{},
		url: dav.URL("Enlace"), dav: dav}
	for _, dev := range sortedKeys(roles) {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		sp.keys[dev] = priv
		sp.members.Members = append(sp.members.Members, Member{Device: dev, User: "u-" + dev, Name: "Usuaria " + dev,
			Roles: []data.Role{roles[dev]}, SignKey: pub})
	}
	return sp
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

// open opens device's install with its sync file in dir.
func (sp *space) open(t testing.TB, dir, device string) *Install {
	t.Helper()
	in, err := OpenInstall(filepath.Join(dir, device+".sync"), Config{Device: device, SignKey: sp.keys[device],
		Space: sp.id, Membership: sp.members, Remote: NewRemote(sp.url, sp.dav.User, sp.dav.Password)})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// record makes one operation at in and records it.
// recorded is the last counter record used at each sync file.
var recorded = map[string]int{}

func record(t *testing.T, in *Install, kind data.OpKind, rec, subject string, set func(*data.Op)) data.Op {
	t.Helper()
	op := data.Op{Clock: in.Tick(time.Now()), Device: in.cfg.Device, Kind: kind, Record: rec, Subject: subject}
	key := in.db.Path()
	recorded[key] = max(recorded[key], in.journal.Len()) + 1 // not the journal's length alone: erasure shrinks it
	op.ID = fmt.Sprintf("%s-%016x", in.cfg.Device, recorded[key])
	m, _ := in.cfg.Membership.Member(in.cfg.Device)
	op.User = m.User
	if set != nil {
		set(&op)
	}
	if err := in.Record(op); err != nil {
		t.Fatal(err)
	}
	return op
}

func stepData(a data.Action) func(*data.Op) {
	return func(op *data.Op) { op.Data, _ = json.Marshal(StepData{Action: a}) }
}

func mustSync(t *testing.T, in *Install) Report {
	t.Helper()
	rep, err := in.Sync()
	if err != nil {
		t.Fatalf("%s: sync: %v", in.cfg.Device, err)
	}
	return rep
}

// TestProcedureAcrossInstalls: a technician proposes at one install, the
// section head verifies at another, the coordinator includes at a third,
// through a real WebDAV server (Apache with mod_dav, and rclone, which
// ignores If-None-Match); every install ends with the same state.
func TestProcedureAcrossInstalls(t *testing.T) {
	for name, start := range map[string]func(testing.TB) *datatest.DAV{
		"apache": func(t testing.TB) *datatest.DAV { return datatest.StartApache(t, "") },
		"rclone": datatest.StartRclone,
	} {
		t.Run(name, func(t *testing.T) {
			dav := start(t)
			sp := newSpace(t, dav, map[string]data.Role{"tecnica": data.RoleTechnician, "jefa": data.RoleSectionHead, "coordi": data.RoleCoordinator})
			dir := t.TempDir()
			tech, head, coord := sp.open(t, dir, "tecnica"), sp.open(t, dir, "jefa"), sp.open(t, dir, "coordi")
			defer tech.Close()
			defer head.Close()
			defer coord.Close()

			record(t, tech, data.OpPersonSet, "p1", "p1", func(op *data.Op) {
				op.Fields = map[string]json.RawMessage{"name": json.RawMessage(`{"first_name":"Ana","last_name":"Pérez"}`)}
			})
			propose := record(t, tech, data.OpReferralStep, "r1", "p1", stepData(data.ActPropose))
			if rep := mustSync(t, tech); rep.Sent != 2 {
				t.Fatalf("technician sent %d operations, want 2", rep.Sent)
			}
			if rep := mustSync(t, head); rep.Received != 2 {
				t.Fatalf("section head received %d operations, want 2", rep.Received)
			}
			verify := record(t, head, data.OpReferralStep, "r1", "p1", func(op *data.Op) {
				stepData(data.ActVerifyYes)(op)
				op.Follows = propose.ID
			})
			mustSync(t, head)
			mustSync(t, coord)
			record(t, coord, data.OpReferralStep, "r1", "p1", func(op *data.Op) {
				stepData(data.ActInclude)(op)
				op.Follows = verify.ID
			})
			mustSync(t, coord)
			for _, in := range []*Install{tech, head, coord} {
				mustSync(t, in)
			}
			want := coord.State().Hash()
			for _, in := range []*Install{tech, head} {
				if got := in.State().Hash(); got != want {
					t.Errorf("%s has state %s, the coordinator %s", in.cfg.Device, got, want)
				}
			}
			steps := tech.State().Referrals["r1"].Steps
			var actions []string
			for _, s := range steps {
				var sd StepData
				_ = json.Unmarshal(s.Data, &sd)
				actions = append(actions, string(sd.Action))
			}
			if strings.Join(actions, ",") != "proponer,verificar_si,incluir" {
				t.Errorf("the technician sees steps %v", actions)
			}

			// Nothing new: one request per other device (its head), no batch.
			rep := mustSync(t, tech)
			if rep.Received != 0 || rep.Requests > 2 {
				t.Errorf("an idle sync made %d requests and received %d, want ≤ 2 and 0", rep.Requests, rep.Received)
			}
			// The server holds only ciphertext.
			assertNoPlaintext(t, dav.Dir, "Pérez", "proponer")
		})
	}
}

// assertNoPlaintext fails if any file under dir contains one of words.
func assertNoPlaintext(t *testing.T, dir string, words ...string) {
	t.Helper()
	_ = filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		raw, _ := os.ReadFile(path)
		for _, w := range words {
			if strings.Contains(string(raw), w) {
				t.Errorf("%s on the server holds %q in clear", path, w)
			}
		}
		return nil
	})
}

// TestCrashBetweenPutAndHead: an install that dies after putting its
// batch and before its head ships the same operations again under the
// same number when it starts again; the others get each once, on Apache
// (which refuses the second PUT) and on rclone (which overwrites).
func TestCrashBetweenPutAndHead(t *testing.T) {
	for name, start := range map[string]func(testing.TB) *datatest.DAV{
		"apache": func(t testing.TB) *datatest.DAV { return datatest.StartApache(t, "") },
		"rclone": datatest.StartRclone,
	} {
		t.Run(name, func(t *testing.T) {
			dav := start(t)
			sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleTechnician, "b": data.RoleTechnician})
			dir := t.TempDir()
			a := sp.open(t, dir, "a")
			for i := range 3 {
				record(t, a, data.OpEventAdd, fmt.Sprintf("e%d", i), "p1", func(op *data.Op) { op.Data = json.RawMessage(`{"kind":"nota"}`) })
			}
			crash := errors.New("se fue la luz")
			a.afterPut = func() error { return crash }
			if _, err := a.Sync(); !errors.Is(err, crash) {
				t.Fatalf("sync with a crash after the PUT: %v", err)
			}
			a.Close()

			a = sp.open(t, dir, "a") // started again
			defer a.Close()
			if a.Pending() != 3 {
				t.Fatalf("after the crash %d operations pending, want 3", a.Pending())
			}
			record(t, a, data.OpEventAdd, "e9", "p1", func(op *data.Op) { op.Data = json.RawMessage(`{"kind":"nota"}`) })
			mustSync(t, a) // the in-flight batch again, under the same number
			mustSync(t, a) // then the new operation in the next
			if a.Pending() != 0 {
				t.Errorf("%d operations still pending", a.Pending())
			}
			b := sp.open(t, dir, "b")
			defer b.Close()
			rep := mustSync(t, b)
			if rep.Received != 4 || len(b.State().Events) != 4 {
				t.Errorf("b received %d operations, holds %d events; want 4 and 4", rep.Received, len(b.State().Events))
			}
			if b.State().Hash() != a.State().Hash() {
				t.Error("a and b differ after the crash")
			}
		})
	}
}

// TestIngestEnforcesRoles: every member can write every file of the
// share, so a technician's install that ships an inclusion (only the
// coordinator's) is refused on ingest: nothing of its batch is applied,
// the refusal says who may not do what, and a batch altered on the server
// is refused too.
func TestIngestEnforcesRoles(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"tecnica": data.RoleTechnician, "coordi": data.RoleCoordinator})
	dir := t.TempDir()
	tech, coord := sp.open(t, dir, "tecnica"), sp.open(t, dir, "coordi")
	defer tech.Close()
	defer coord.Close()
	record(t, tech, data.OpEventAdd, "e1", "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	record(t, tech, data.OpReferralStep, "r1", "p1", stepData(data.ActInclude))
	mustSync(t, tech)
	mustSync(t, coord)
	if coord.Journal().Len() != 0 {
		t.Errorf("%d operations of the refused batch were applied", coord.Journal().Len())
	}
	refused := coord.Refused()
	if len(refused) != 1 || refused[0].Device != "tecnica" || refused[0].Seq != 1 || refused[0].Ops != 2 ||
		refused[0].Reason() != "el usuario Usuaria tecnica (técnico/a) no puede incluir en el programa" {
		t.Fatalf("refusals %+v", refused)
	}

	// A batch altered on the server is refused too.
	path := filepath.Join(dav.Dir, "Enlace", "devices", "tecnica", "ops", fmt.Sprintf("%016x.age", 1))
	forged, err := Seal(Batch{Space: sp.members.Space, Device: "tecnica", Seq: 1}, sp.keys["coordi"], sp.id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, forged, 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := sp.open(t, t.TempDir(), "coordi") // an install that has not read it yet
	defer fresh.Close()
	if _, err := fresh.Sync(); err != nil {
		t.Fatalf("a batch signed by another key fails the sync: %v", err)
	}
	if r := fresh.Refused(); len(r) != 1 || !r[0].Broken || r[0].Seq != 1 || !strings.Contains(r[0].Detail, ErrTampered.Error()) {
		t.Errorf("a batch signed by another key: holds %+v, want tecnica held at batch 1 as tampered", r)
	}
	if fresh.Journal().Len() != 0 {
		t.Errorf("%d operations of the altered batch were applied", fresh.Journal().Len())
	}
}

// TestRefusedBatchSkipped: a technician's device sends an inclusion in
// its second batch. Every other install holds that device back from
// there (its first batch applied, the third waiting) while the other
// devices' changes still arrive, and a sync that finds it held back
// reads nothing of that device again. The administrator skips it: the
// administrator's install and then the coordinator's apply the second
// batch without the inclusion and the third, and end with the same
// state; a skip is the administration's alone.
func TestRefusedBatchSkipped(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"tecnica": data.RoleTechnician, "coordi": data.RoleCoordinator, "zadmin": data.RoleAdmin})
	coordinatingAdmin(sp, "zadmin")
	dir := t.TempDir()
	tech, coord, admin := sp.open(t, dir, "tecnica"), sp.open(t, dir, "coordi"), sp.open(t, dir, "zadmin")
	defer tech.Close()
	defer coord.Close()
	defer admin.Close()
	event := func(in *Install, id string) {
		record(t, in, data.OpEventAdd, id, "p1", func(op *data.Op) { op.Data = json.RawMessage(`{"id":"` + id + `"}`) })
	}
	event(tech, "e1")
	mustSync(t, tech)
	event(tech, "e2")
	record(t, tech, data.OpReferralStep, "r1", "p1", stepData(data.ActInclude))
	mustSync(t, tech)
	event(tech, "e3")
	mustSync(t, tech)

	for _, in := range []*Install{coord, admin} {
		mustSync(t, in)
		if ev := in.State().Events; len(ev) != 1 || ev["e1"].Data == nil {
			t.Errorf("%s holds events %v, want only e1 (the batch before the refused one)", in.cfg.Device, ev)
		}
		if r := in.Refused(); len(r) != 1 || r[0].Seq != 2 || r[0].Skipped {
			t.Errorf("%s: refusals %+v, want batch 2 of tecnica", in.cfg.Device, r)
		}
	}
	if rep := mustSync(t, coord); rep.Requests != 1 {
		t.Errorf("a sync with tecnica held back made %d requests, want the listing alone", rep.Requests)
	}
	event(admin, "a1") // the other devices are not held back
	mustSync(t, admin)
	mustSync(t, coord)
	if _, ok := coord.State().Events["a1"]; !ok {
		t.Error("the administrator's change did not reach the coordinator while tecnica was held back")
	}

	// A skip signed by the coordinator would be refused in turn.
	if p, err := OpPerm(data.Op{Kind: data.OpBatchSkip}); err != nil || p != data.PermUsers {
		t.Errorf("a skip takes %v (%v), want the administration's", p, err)
	}
	// zadmin comes after tecnica: the coordinator reads the skip after
	// holding tecnica back in the same sync, and reads tecnica again.
	record(t, admin, data.OpBatchSkip, "tecnica/2", "", nil)
	if r := admin.Refused(); len(r) != 1 || !r[0].Skipped {
		t.Errorf("after the skip the administrator's install lists %+v, want it marked skipped", r)
	}
	mustSync(t, admin)
	rep := mustSync(t, coord)
	for _, in := range []*Install{admin, coord} {
		st := in.State()
		if len(st.Events) != 4 || len(st.Referrals) != 0 || len(in.Refused()) != 0 {
			t.Errorf("%s after the skip: %d events, %d referrals, refusals %+v; want e1-e3 and a1, no inclusion, nothing held",
				in.cfg.Device, len(st.Events), len(st.Referrals), in.Refused())
		}
	}
	if rep.Received != 3 { // the skip, e2, e3
		t.Errorf("the coordinator received %d operations with the skip, want 3", rep.Received)
	}
	if admin.State().Hash() != coord.State().Hash() {
		t.Error("the administrator's and the coordinator's installs differ after the skip")
	}
	// Later batches are checked the same way.
	record(t, tech, data.OpReferralStep, "r2", "p1", stepData(data.ActExclude))
	mustSync(t, tech)
	mustSync(t, coord)
	if r := coord.Refused(); len(r) != 1 || r[0].Seq != 4 || r[0].Reason() != "el usuario Usuaria tecnica (técnico/a) no puede excluir del programa" {
		t.Errorf("a later forbidden batch: refusals %+v", r)
	}
	// Once the device is removed from the space, nothing of it is read
	// nor waits for a decision.
	m := coord.cfg.Membership
	m.Members = slices.Clone(m.Members)
	for i := range m.Members {
		m.Members[i].Removed = m.Members[i].Device == "tecnica"
	}
	coord.cfg.Membership = m
	if r := coord.Refused(); len(r) != 0 {
		t.Errorf("refusals of a removed device are still listed: %+v", r)
	}
}

// TestMassDeletionRefused: a sync that would remove most records is not
// applied.
func TestMassDeletionRefused(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleCoordinator, "b": data.RoleCoordinator})
	dir := t.TempDir()
	a, b := sp.open(t, dir, "a"), sp.open(t, dir, "b")
	defer a.Close()
	defer b.Close()
	for i := range 12 {
		record(t, a, data.OpPersonSet, fmt.Sprintf("p%d", i), fmt.Sprintf("p%d", i), func(op *data.Op) {
			op.Fields = map[string]json.RawMessage{"name": json.RawMessage(`"x"`)}
		})
	}
	mustSync(t, a)
	mustSync(t, b)
	for i := range 10 {
		record(t, a, data.OpPersonErase, fmt.Sprintf("p%d", i), fmt.Sprintf("p%d", i), nil)
	}
	mustSync(t, a)
	if _, err := b.Sync(); !errors.Is(err, ErrMassDeletion) || !strings.Contains(err.Error(), "10 de 12") {
		t.Fatalf("sync erasing 10 of 12 people: %v, want ErrMassDeletion", err)
	}
	if n := len(b.State().People); n != 12 {
		t.Errorf("b holds %d people after the refused sync, want 12", n)
	}
}

// TestRemoteMessages: the causes a coordinator can act on are named.
func TestRemoteMessages(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"a": data.RoleTechnician, "b": data.RoleTechnician})
	dir := t.TempDir()
	a := sp.open(t, dir, "a")
	defer a.Close()
	a.cfg.Remote = NewRemote(sp.url, dav.User, "otra contraseña")
	record(t, a, data.OpEventAdd, "e1", "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	if _, err := a.Sync(); !errors.Is(err, ErrAuth) {
		t.Errorf("wrong app password: %v, want ErrAuth", err)
	}
	a.cfg.Remote = NewRemote(datatest.DeadURL("/remote.php/dav/files/ana/Enlace/"), dav.User, dav.Password)
	if _, err := a.Sync(); !errors.Is(err, ErrOffline) {
		t.Errorf("server down: %v, want ErrOffline", err)
	}
	if a.Pending() != 1 {
		t.Errorf("%d pending after failed syncs, want the 1 operation kept", a.Pending())
	}
}

// TestIdleSyncRequests: with twenty installs in a space, a sync with
// nothing new is one request (a listing of heads/), however many other
// devices there are; a change at one of them costs that listing, its
// head and its batch; the first sync, a join, reads each head once.
func TestIdleSyncRequests(t *testing.T) {
	dav := datatest.StartApache(t, "")
	roles := map[string]data.Role{}
	for i := range 20 {
		roles[fmt.Sprintf("d%02d", i)] = data.RoleTechnician
	}
	sp := newSpace(t, dav, roles)
	dir := t.TempDir()
	var ins []*Install
	for _, dev := range sortedKeys(roles) {
		in := sp.open(t, dir, dev)
		defer in.Close()
		record(t, in, data.OpEventAdd, "e-"+dev, "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
		mustSync(t, in)
		ins = append(ins, in)
	}
	me := ins[0]
	// Its first pull is a join: the listing, then each head once
	// (fromSnapshots hands the heads it checked to the pull, which read
	// them all again before), each batch and the key it seals p1 with.
	if rep := mustSync(t, me); rep.Received != 19 || rep.Requests != 1+19*3 {
		t.Fatalf("first sync made %d requests and received %d, want %d (the listing, and 19 heads, batches and keys) and one event from each of the 19 others",
			rep.Requests, rep.Received, 1+19*3)
	}
	if rep := mustSync(t, me); rep.Requests != 1 || rep.Received != 0 {
		t.Errorf("idle sync made %d requests (received %d), want 1", rep.Requests, rep.Received)
	}
	record(t, ins[7], data.OpEventAdd, "e-new", "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
	mustSync(t, ins[7])
	if rep := mustSync(t, me); rep.Requests != 3 || rep.Received != 1 {
		t.Errorf("sync after one change made %d requests and received %d, want 3 and 1", rep.Requests, rep.Received)
	}
	// The replaced head is gone: the folder holds one head per device.
	l, err := me.cfg.Remote.ListHeads()
	if err != nil || len(l.Heads) != 20 || l.Heads[ins[7].cfg.Device] != 2 {
		t.Errorf("heads/ lists %+v (%v), want 20 devices, %s at 2", l, err, ins[7].cfg.Device)
	}
	files, _ := os.ReadDir(filepath.Join(dav.Dir, "Enlace", "heads"))
	if len(files) != 20 {
		t.Errorf("heads/ holds %d files, want one per device", len(files))
	}
}

// coordinatingAdmin gives device's member of sp the administration's
// role beside the coordinator's (newSpace gives one role each).
func coordinatingAdmin(sp *space, device string) {
	for i, m := range sp.members.Members {
		if m.Device == device {
			sp.members.Members[i].Roles = []data.Role{data.RoleCoordinator, data.RoleAdmin}
		}
	}
}
