package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// storeInstall opens a real store for device, with sync enabled, and its
// install on sp's folder.
func storeInstall(t *testing.T, sp *space, device string) (*data.Store, *Install) {
	t.Helper()
	s := datatest.Open(t, nil)
	if err := s.EnableSync(device); err != nil {
		t.Fatal(err)
	}
	in, err := OpenInstall(filepath.Join(t.TempDir(), device+".sync"), Config{Device: device, SignKey: sp.keys[device],
		Space: sp.id, Membership: sp.members, Remote: NewRemote(sp.url, sp.dav.User, sp.dav.Password), Local: s})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return s, in
}

// allRoles makes every member of sp the test user with every role (the
// stores are opened with datatest's user), and returns sp.
func allRoles(sp *space) *space {
	for i := range sp.members.Members {
		sp.members.Members[i].User = datatest.Login
		sp.members.Members[i].Roles = data.UserRoles
	}
	return sp
}

// TestStoresConverge: two real stores, each with its install, through
// Apache. What one coordinator types reaches the other's tables (the
// person, searchable; the timeline; the referral and its steps), and a
// change made on each side at once ends the same on both.
func TestStoresConverge(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	north, inN := storeInstall(t, sp, "norte")
	south, inS := storeInstall(t, sp, "sur")

	p := data.Person{FirstName: "Daniela", LastName: "Montes Ruiz", DocKind: data.DocPassport, DocNumber: "PA123456",
		Phone1: "600112233", Nationality: "VE", Regular: true}
	if err := north.CreatePerson(&p, "Norte"); err != nil {
		t.Fatal(err)
	}
	e := data.Event{PersonID: p.ID, At: time.Now().Add(-time.Hour), Kind: data.EventCall, Text: "Primera llamada"}
	if err := north.AddEvent(&e, "Norte"); err != nil {
		t.Fatal(err)
	}
	r := data.Referral{PersonID: p.ID, Direction: data.FromOMIOPI, CriterionID: "omiopi-6m-1a",
		Date: data.DateOf(time.Now()), Profile: "otros"}
	if err := north.Propose(&r, "Norte"); err != nil {
		t.Fatal(err)
	}
	if _, err := north.Apply(r.ID, data.Change{Action: data.ActInclude}, "Norte"); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, inN); rep.Sent == 0 {
		t.Fatal("north sent nothing")
	}
	mustSync(t, inS)

	got, err := south.Person(p.ID)
	if err != nil {
		t.Fatalf("south does not have the person: %v", err)
	}
	if got.FirstName != "Daniela" || got.Phone1 != "600112233" || got.DocNumber != "PA123456" {
		t.Errorf("south has %+v", got)
	}
	if hits, _ := south.Search("montes", 5); len(hits) != 1 {
		t.Errorf("search at south finds %d, want the person", len(hits))
	}
	tl, err := south.Timeline(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range tl {
		found = found || ev.Text == "Primera llamada"
	}
	if !found {
		t.Errorf("south's timeline lacks the call: %+v", tl)
	}
	ref, err := south.Referral(r.ID)
	if err != nil || ref.Status != data.StatusIncluded {
		t.Errorf("south's referral: %+v, %v; want included", ref.Status, err)
	}

	// South's change log names who made the change, and where.
	entries, err := south.Audit(data.AuditFilter{Subject: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Error("south's change log has nothing on the person")
	}
	for _, e := range entries {
		if e.User != datatest.Login+", en «norte»" {
			t.Errorf("south's change log: %s %s by %q, want %s at norte", e.Op, e.Kind, e.User, datatest.Login)
		}
	}

	// Both change the person at once, different groups and the same one.
	a, _ := north.Person(p.ID)
	a.Phone1, a.Address = "611223344", "Calle Norte 1"
	if err := north.UpdatePerson(&a, "Norte"); err != nil {
		t.Fatal(err)
	}
	b, _ := south.Person(p.ID)
	b.LastName, b.Address = "Montes Díaz", "Calle Sur 2"
	if err := south.UpdatePerson(&b, "Sur"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	mustSync(t, inN)
	n, _ := north.Person(p.ID)
	s, _ := south.Person(p.ID)
	if n.Phone1 != "611223344" || n.LastName != "Montes Díaz" || n.Address != s.Address ||
		s.Phone1 != n.Phone1 || s.LastName != n.LastName {
		t.Errorf("after concurrent edits north has %s %s %s, south %s %s %s",
			n.LastName, n.Phone1, n.Address, s.LastName, s.Phone1, s.Address)
	}
	if inN.State().Hash() != inS.State().Hash() {
		t.Error("the two installs' journals differ")
	}
	conflicts := inS.State().Conflicts
	if len(conflicts) != 1 || conflicts[0].Group != "address" {
		t.Errorf("conflicts = %+v, want the address (written on both sides) to review", conflicts)
	}
	// Each store keeps it for the ficha's "Cambios simultáneos".
	for name, st := range map[string]*data.Store{"north": north, "south": south} {
		kept, err := st.SyncConflicts(p.ID)
		if err != nil || len(kept) != 1 || !st.HasSyncConflicts(p.ID) || kept[0].Loser != conflicts[0].Loser.Op {
			t.Errorf("%s keeps conflicts %+v (%v), want the address's", name, kept, err)
		}
	}
	if ops, _ := north.PendingOps(); len(ops) != 0 {
		t.Errorf("%d operations left in north's outbox", len(ops))
	}
	// What an install applied is not sent back as its own.
	if rep := mustSync(t, inS); rep.Sent != 0 {
		t.Errorf("south sent %d operations on a sync with nothing new", rep.Sent)
	}

	// The coordinator at north reviews it and takes the address that lost;
	// after syncing, both installs hold it and neither lists the conflict.
	if len(conflicts) == 1 {
		c := conflicts[0]
		var lost struct {
			Address string `json:"address"`
		}
		if err := json.Unmarshal(c.Loser.Value, &lost); err != nil || lost.Address == "" || lost.Address == n.Address {
			t.Fatalf("losing value %s (%v), applied %q", c.Loser.Value, err, n.Address)
		}
		if err := north.ResolveConflict(c.Subject, c.Group, c.Loser.Op, c.Loser.Value, "Norte"); err != nil {
			t.Fatal(err)
		}
		if north.HasSyncConflicts(p.ID) {
			t.Error("north still flags the person right after the review")
		}
		mustSync(t, inN)
		mustSync(t, inS)
		if south.HasSyncConflicts(p.ID) {
			t.Error("south still flags the person after the review reached it")
		}
		for name, st := range map[string]*data.Store{"north": north, "south": south} {
			got, _ := st.Person(p.ID)
			if got.Address != lost.Address {
				t.Errorf("%s has address %q after the review, want the other one, %q", name, got.Address, lost.Address)
			}
		}
		for name, in := range map[string]*Install{"north": inN, "south": inS} {
			if c := in.State().Conflicts; len(c) != 0 {
				t.Errorf("%s still lists %+v after the review", name, c)
			}
		}
		if inN.State().Hash() != inS.State().Hash() {
			t.Error("the two installs differ after the review")
		}
	}
	// Reviewing takes the coordinator's role on ingest too: every member
	// can write to the folder.
	if perm, err := OpPerm(data.Op{Kind: data.OpConflictResolve}); err != nil || perm != data.PermDecide {
		t.Errorf("a review takes %v (%v), want the coordinator's decision permission", perm, err)
	}
}

// TestErasureSyncs: a person erased at one office (RGPD art. 17) goes at
// every install: from the store, the search, the sync file and its
// journal, leaving only the tombstone; an edit typed at another office
// before the erasure reached it does not bring them back anywhere. The
// sync files, like the stores, show no name to someone who reads them raw.
func TestErasureSyncs(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
	north, inN := storeInstall(t, sp, "norte")
	south, inS := storeInstall(t, sp, "sur")
	p := data.Person{FirstName: "Yolanda", LastName: "Quiroga Beltrán", DocKind: data.DocPassport, DocNumber: "QX7788991",
		Phone1: "600998877", Nationality: "CO", Regular: true}
	if err := north.CreatePerson(&p, "Norte"); err != nil {
		t.Fatal(err)
	}
	e := data.Event{PersonID: p.ID, At: time.Now().Add(-time.Hour), Kind: data.EventCall, Text: "Llamada a Yolanda"}
	if err := north.AddEvent(&e, "Norte"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	if _, err := south.Person(p.ID); err != nil {
		t.Fatalf("south does not have the person before the erasure: %v", err)
	}
	raw := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, f := range []string{inN.db.Path(), inS.db.Path()} {
		if bytes.Contains(raw(f), []byte("Quiroga")) || bytes.Contains(raw(f), []byte("QX7788991")) {
			t.Errorf("%s holds the person's name or document in clear", f)
		}
	}

	// South edits the person; before it hears of the erasure, north erases.
	b, _ := south.Person(p.ID)
	b.Phone2 = "699887766"
	if err := south.UpdatePerson(&b, "Sur"); err != nil {
		t.Fatal(err)
	}
	if err := north.ErasePerson(p.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	if ops, _ := north.PendingOps(); len(ops) != 1 || ops[0].Kind != data.OpPersonErase {
		t.Errorf("north's outbox after the erasure: %+v, want only the tombstone", ops)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	mustSync(t, inN)
	for name, st := range map[string]*data.Store{"north": north, "south": south} {
		if _, err := st.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("%s still has the person after the erasure synced (%v)", name, err)
		}
		if hits, _ := st.Search("quiroga", 5); len(hits) != 0 {
			t.Errorf("%s's search still finds %d", name, len(hits))
		}
		if tl, _ := st.Timeline(p.ID); len(tl) != 0 {
			t.Errorf("%s still shows %d timeline entries", name, len(tl))
		}
	}
	for name, in := range map[string]*Install{"north": inN, "south": inS} {
		for _, op := range in.Journal().Ops() {
			if about(op, p.ID) && op.Kind != data.OpPersonErase {
				t.Errorf("%s's journal still holds %s (%s) about the erased person", name, op.ID, op.Kind)
			}
		}
		if !in.State().Erased[p.ID] {
			t.Errorf("%s has no tombstone", name)
		}
	}
	if inN.State().Hash() != inS.State().Hash() {
		t.Error("the installs differ after the erasure")
	}
}

// TestDuplicatesMerged: the same person registered at two offices while
// offline shows, after syncing, as a duplicate by document at both; the
// coordinator merges them at one, and after syncing both hold one ficha
// with both timelines and the phone only the other office had.
func TestDuplicatesMerged(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := allRoles(coordinators(t, dav, "norte", "sur"))
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
	for st, p := range map[*data.Store]string{north: a.ID, south: b.ID} {
		e := data.Event{PersonID: p, At: time.Now().Add(-time.Hour), Kind: data.EventNote, Text: "Alta en " + st.SyncDevice()}
		if err := st.AddEvent(&e, "x"); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, inN)
	mustSync(t, inS)
	mustSync(t, inN)
	groups := north.DuplicateGroups()
	if len(groups) != 1 || len(groups[0]) != 2 || groups[0][0].ID != a.ID {
		t.Fatalf("north's duplicates: %+v, want the two Aminas, north's (older) first", groups)
	}
	if err := north.MergePeople(groups[0][0].ID, groups[0][1].ID, "Norte"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inN)
	mustSync(t, inS)
	for name, st := range map[string]*data.Store{"north": north, "south": south} {
		if st.PersonCount() != 1 || len(st.DuplicateGroups()) != 0 {
			t.Errorf("%s holds %d people and %d duplicate groups after the merge", name, st.PersonCount(), len(st.DuplicateGroups()))
		}
		got, err := st.Person(a.ID)
		if err != nil || got.Phone1 != "611002200" || got.LastName != "Benali" {
			t.Errorf("%s's merged ficha: %+v (%v); want north's name and south's phone", name, got, err)
		}
		if _, err := st.Person(b.ID); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("%s still has the merged person (%v)", name, err)
		}
		tl, _ := st.Timeline(a.ID)
		var texts []string
		for _, e := range tl {
			texts = append(texts, e.Text)
		}
		joined := strings.Join(texts, " | ")
		if !strings.Contains(joined, "Alta en norte") || !strings.Contains(joined, "Alta en sur") {
			t.Errorf("%s's timeline after the merge: %s", name, joined)
		}
	}
	if inN.State().Hash() != inS.State().Hash() {
		t.Error("the installs differ after the merge")
	}
}

// TestSkippedBatchInChangeLog: real stores. A technician's install
// (whose own database lets its user create offices, the coordinator's
// and the administration's task) sends a new office between two
// timeline entries. The administrator's store skips that batch; at the
// coordinator's, after the skip arrives, both entries are there, the
// office is not, and the change log says who skipped what.
func TestSkippedBatchInChangeLog(t *testing.T) {
	dav := datatest.StartApache(t, "")
	sp := newSpace(t, dav, map[string]data.Role{"coordi": data.RoleCoordinator, "tecnica": data.RoleTechnician, "zadmin": data.RoleAdmin})
	for i := range sp.members.Members {
		sp.members.Members[i].User = datatest.Login
		if sp.members.Members[i].Device == "zadmin" {
			sp.members.Members[i].Roles = []data.Role{data.RoleCoordinator, data.RoleAdmin}
		}
	}
	tech, inT := storeInstall(t, sp, "tecnica")
	admin, inA := storeInstall(t, sp, "zadmin")
	coord, inC := storeInstall(t, sp, "coordi")
	p := data.Person{FirstName: "Amina", LastName: "Benali", Phone1: "612345678"}
	if err := tech.CreatePerson(&p, "Técnica"); err != nil {
		t.Fatal(err)
	}
	note := func(text string) {
		e := data.Event{PersonID: p.ID, At: time.Now().Add(-time.Hour), Kind: data.EventNote, Text: text}
		if err := tech.AddEvent(&e, "Técnica"); err != nil {
			t.Fatal(err)
		}
		mustSync(t, inT)
	}
	note("Primera entrevista")
	if err := tech.SaveOffice(&data.Office{Name: "Oficina Inventada", Org: data.OrgOMIOPI}, "Técnica"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inT)
	note("Segunda entrevista")
	mustSync(t, inA)
	mustSync(t, inC)
	r := inA.Refused()
	if len(r) != 1 || r[0].Seq != 2 || !strings.Contains(r[0].Reason(), "no puede modificar oficinas ni personal") {
		t.Fatalf("the administrator's install refused %+v, want batch 2 of tecnica (the office)", r)
	}
	if err := admin.SkipBatch("tecnica", 2, r[0].Reason()); err != nil {
		t.Fatal(err)
	}
	mustSync(t, inA)
	mustSync(t, inC)
	for name, s := range map[string]*data.Store{"admin": admin, "coord": coord} {
		tl, _ := s.Timeline(p.ID)
		offices, _ := s.Offices()
		if len(tl) != 2 || len(offices) != 0 {
			t.Errorf("%s holds %d timeline entries and %d offices after the skip, want both entries and no office", name, len(tl), len(offices))
		}
	}
	log, err := coord.Audit(data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		if e.Op == data.AuditSync && strings.Contains(e.Detail, "Lote 2 del equipo «tecnica» omitido") &&
			strings.Contains(e.Detail, "modificar oficinas ni personal") && e.User == datatest.Login+", en «zadmin»" {
			found = true
		}
	}
	if !found {
		t.Errorf("the coordinator's change log does not say the administrator skipped the batch: %+v", log[:min(len(log), 3)])
	}
}
