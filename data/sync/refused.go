package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// Refused batches. Every member of the share can write every file, so a
// batch whose signer may not take one of its actions (a technician's
// install that ships an inclusion) is refused on ingest. Refusing it
// blocks that device only, at that batch: its later batches may build on
// it, so they wait too, while every other device's batches are applied.
// The refusal is kept in the sync file (bucket refused) and listed in
// Ajustes → Sincronización, and there are two ways out:
//
//   - the administration gives the signer the role the action takes
//     (ChangeRoles, a new member list; the batch was on the server before
//     the change, so the added role covers it, see roles.go): the batch
//     is read again and, allowed now, applied whole;
//   - the administration skips it ("Omitir este lote", data.OpBatchSkip,
//     an operation every install takes): the batch is applied without
//     the actions its signer may not take, which no install ever
//     applies, and the device's later batches follow, each checked the
//     same way.

var bucketRefused = []byte("refused") // device + "/" + seq (16 hex digits) → Refusal JSON

// Refusal is a batch this install refused.
type Refusal struct {
	Device string      `json:"device"`
	Seq    uint64      `json:"seq"`
	User   string      `json:"user"` // the signer's login
	Name   string      `json:"name"` // and name, as the lists show it
	Roles  []data.Role `json:"roles"`
	At     time.Time   `json:"at"` // when this install first refused it
	// What lists what the signer may not do, each a phrase that ends
	// "no puede …" ("incluir en el programa"), one per kind of action.
	What   []string `json:"what"`
	Ops    int      `json:"ops"`    // the operations in the batch
	Denied []string `json:"denied"` // the IDs of those its signer may not make
	// Members is a digest of the member list it was refused under: a new
	// list (another role for the signer) has it read again.
	Members string `json:"members"`
	Skipped bool   `json:"skipped,omitempty"` // the skip is recorded; the next sync applies it

	// Broken says the batch does not open or fails a check (see broken.go):
	// nothing in it can be trusted, so it is never skipped, only read
	// again at each sync. Cause is one of HoldCauses, Detail the check's
	// own words (for the log and `enlace sync status`).
	Broken bool   `json:"broken,omitempty"`
	Cause  string `json:"cause,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Reason is the refusal in a sentence: "el usuario Ana López
// (técnico/a) no puede incluir en el programa"; for a batch that does
// not open, "no se puede aplicar: " and its cause.
func (r Refusal) Reason() string {
	if r.Broken {
		return "no se puede aplicar: " + r.Cause
	}
	var roles []string
	for _, role := range r.Roles {
		roles = append(roles, strings.ToLower(role.Label()))
	}
	return fmt.Sprintf("el usuario %s (%s) no puede %s", r.Name, strings.Join(roles, ", "), strings.Join(r.What, " ni "))
}

// key is the refusal's key in the sync file, and its op.Record for a skip.
func (r Refusal) key() string { return refusalKey(r.Device, r.Seq) }

func refusalKey(device string, seq uint64) string { return fmt.Sprintf("%s/%d", device, seq) }

// stepWhat words what each referral action is, to finish "no puede …".
var stepWhat = map[data.Action]string{
	data.ActPropose: "proponer derivaciones", data.ActVerifyYes: "verificar derivaciones", data.ActVerifyNo: "verificar derivaciones",
	data.ActInclude: "incluir en el programa", data.ActExclude: "excluir del programa", data.ActRoute: "derivar a un área",
	data.ActFollowUp: "pasar derivaciones a seguimiento", data.ActClose: "cerrar derivaciones", data.ActReopen: "reabrir derivaciones",
}

// permWhat words each permission the same way, for the other operations.
var permWhat = map[data.Perm]string{
	data.PermEditPeople: "modificar fichas, historial ni recordatorios", data.PermErase: "suprimir los datos de una persona",
	data.PermDecide: "fusionar fichas ni revisar conflictos", data.PermOffices: "modificar oficinas ni personal",
	data.PermSettings: "cambiar los ajustes del programa", data.PermUsers: "gestionar usuarios ni omitir lotes rechazados",
	data.PermRI: "modificar proyectos del programa RI",
}

// RefusalPhrases are every phrase a Refusal's What can hold, for the
// interface's translations.
func RefusalPhrases() []string {
	out := slices.AppendSeq(slices.Collect(maps.Values(stepWhat)), maps.Values(permWhat))
	slices.Sort(out)
	return slices.Compact(out)
}

// whatOf words what op takes, which its signer may not.
func whatOf(op data.Op, p data.Perm) string {
	if op.Kind == data.OpReferralStep {
		var sd StepData
		if json.Unmarshal(op.Data, &sd) == nil {
			if w, ok := stepWhat[sd.Action]; ok {
				return w
			}
		}
	}
	if w, ok := permWhat[p]; ok {
		return w
	}
	return "hacer esta operación"
}

// membersDigest identifies a member list.
func membersDigest(m Membership) string {
	raw, _ := json.Marshal(m)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:8])
}

// Refused lists the batches this install refused and still holds back,
// oldest first, but those of devices removed from the space since.
func (in *Install) Refused() []Refusal {
	var out []Refusal
	_ = in.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRefused).ForEach(func(k, v []byte) error {
			r, ok := in.readRefusal(k, v)
			if _, member := in.cfg.Membership.Member(r.Device); !ok || !member {
				return nil // a device removed since: nothing of it is read any more
			}
			r.Skipped = in.skipped(r.Device, r.Seq, nil)
			out = append(out, r)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Refusal) int { return a.At.Compare(b.At) })
	return out
}

// skipped reports whether the administration skipped the batch seq of
// device: an OpBatchSkip in the journal, or among ops (arriving now).
func (in *Install) skipped(device string, seq uint64, ops []data.Op) bool {
	_, ok := in.skipOf(device, seq, ops)
	return ok
}

// skipOf is the OpBatchSkip of the batch seq of device, if there is one.
func (in *Install) skipOf(device string, seq uint64, ops []data.Op) (data.Op, bool) {
	key := refusalKey(device, seq)
	for _, op := range ops {
		if op.Kind == data.OpBatchSkip && op.Record == key {
			return op, true
		}
	}
	for _, op := range in.journal.ops {
		if op.Kind == data.OpBatchSkip && op.Record == key {
			return op, true
		}
	}
	return data.Op{}, false
}

// unblocked reports whether a batch held back has been skipped since.
func (in *Install) unblocked() bool {
	for _, r := range in.Refused() {
		if r.Skipped {
			return true
		}
	}
	return false
}

// refuse makes the refusal of batch b, whose operations denied its
// signer may not make.
func (in *Install) refuse(m Member, b Batch, denied []deniedOp, now time.Time) Refusal {
	r := Refusal{Device: m.Device, Seq: b.at(), User: m.User, Name: m.Name, Roles: m.rolesFor(b.at()), At: now, Ops: len(b.Ops),
		Members: membersDigest(in.cfg.Membership)}
	for _, d := range denied {
		r.Denied = append(r.Denied, d.op.ID)
		if w := whatOf(d.op, d.perm); !slices.Contains(r.What, w) {
			r.What = append(r.What, w)
		}
	}
	if old, ok := in.refusal(r.Device, r.Seq); ok { // first refused earlier: keep when
		r.At = old.At
	}
	return r
}

// held reports whether the batch seq of device was refused under the
// current member list and is not skipped: it is not read again. A batch
// that did not open (Broken) is read again at each sync.
func (in *Install) held(device string, seq uint64, ops []data.Op) bool {
	r, ok := in.refusal(device, seq)
	return ok && !r.Broken && r.Members == membersDigest(in.cfg.Membership) && !in.skipped(device, seq, ops)
}

// refusal is the stored refusal of the batch seq of device, if any.
func (in *Install) refusal(device string, seq uint64) (r Refusal, ok bool) {
	_ = in.db.View(func(tx *bolt.Tx) error {
		k := []byte(refusalKey(device, seq))
		r, ok = in.readRefusal(k, tx.Bucket(bucketRefused).Get(k))
		return nil
	})
	return r, ok
}

// putRefusals records refused and forgets the refusals of the batches
// now taken (device → last batch applied).
func (in *Install) putRefusals(tx *bolt.Tx, refused []Refusal, taken map[string]uint64) error {
	b := tx.Bucket(bucketRefused)
	var gone [][]byte
	_ = b.ForEach(func(k, v []byte) error {
		if r, ok := in.readRefusal(k, v); !ok || taken[r.Device] >= r.Seq {
			gone = append(gone, slices.Clone(k))
		}
		return nil
	})
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for _, r := range refused {
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		sealed, err := seal(in.aead, []byte(r.key()), raw)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(r.key()), sealed); err != nil {
			return err
		}
	}
	return nil
}

// readRefusal opens the refusal v stored at k (nil: none).
func (in *Install) readRefusal(k, v []byte) (Refusal, bool) {
	var r Refusal
	if v == nil {
		return r, false
	}
	plain, err := unseal(in.aead, k, v)
	return r, err == nil && json.Unmarshal(plain, &r) == nil
}
