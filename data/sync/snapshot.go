package sync

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"github.com/enlace-madrid/enlace/data"
)

// A snapshot is a device's journal as of a version vector (device → the
// last batch of it applied), in one write-once file of its own folder,
// devices/<device>/snapshots/<n>.age, sealed as a batch is (signed with
// the device key, encrypted to the space) and compressed. It holds
// operations, not tables, so the merge rules and erasure tombstones hold
// for whoever starts from it: the operations of an erased person were
// forgotten before it was written, and only the tombstone is in it; the
// payloads of the others are sealed with their person's key, as in a
// batch, so a person erased after it was written is shredded in it too. A new
// install reads the snapshots its members' heads list, then only the
// batches after their vectors (Install.pull); gc.go removes the batches
// every active member has read and a snapshot covers.

// SnapshotRef is how a head names its device's newest snapshot.
type SnapshotRef struct {
	Seq    uint64            `json:"seq"`    // its number, 1, 2, 3… per device
	Vector map[string]uint64 `json:"vector"` // device → last batch whose operations it holds
	Ops    int               `json:"ops"`
	// Size is the file's size in bytes, for a join's progress (0 in heads
	// written before it was kept).
	Size int64 `json:"size,omitempty"`
}

// Snapshot is the sealed content of a snapshot file.
type Snapshot struct {
	Space  string            `json:"space"`
	Device string            `json:"device"`
	Seq    uint64            `json:"seq"`
	Epoch  int               `json:"epoch"` // the key epoch it is sealed to, as a batch names its own
	Vector map[string]uint64 `json:"vector"`
	// V, Ops, Boxes and People are as in a Batch: the payloads of the
	// operations about a person are sealed with that person's key (one
	// box per person in format 3), so that erasing them shreds what a
	// snapshot holds too.
	V      int            `json:"v,omitempty"`
	Ops    []data.Op      `json:"ops"`
	Boxes  map[string]Box `json:"boxes,omitempty"`
	People []PersonBox    `json:"-"`
	// KeyBundle says that every key its boxes use is also in one file,
	// keys/bundle.<device>.s<seq>.age (snapBundleName), so that a join
	// reads them at once; erasing anyone deletes it.
	KeyBundle bool `json:"key_bundle,omitempty"`
}

// ErrGone is returned by a first sync when batches already removed from
// the server are covered by no snapshot that opens.
var ErrGone = errors.New("faltan en el servidor lotes ya retirados, y ninguna instantánea válida los contiene: pida a un equipo al día que sincronice (escribirá una instantánea) y vuelva a intentarlo")

// Keys of the sync file's meta bucket that snapshots and collection use.
var (
	metaSnapSeq   = []byte("snapseq")   // last snapshot number used (set before its PUT)
	metaSnapshot  = []byte("snapshot")  // the SnapshotRef the head names
	metaSnapGone  = []byte("snapgone")  // own snapshots removed up to this number
	metaPruned    = []byte("pruned")    // own batches up to this one to be removed, as the head says
	metaAnnounced = []byte("announced") // …and as a head put on the server said: removed only up to here
	metaRemoved   = []byte("removed")   // own batches up to this one deleted from the server
	metaGCTry     = []byte("gctry")     // own batch number at the last collection try
	metaReadPub   = []byte("readpub")   // the sum of the last published read vector
	metaHeadZero  = []byte("headzero")  // a head numbered 0 was published (a device that had not shipped)
	metaHeadAt    = []byte("headat")    // when this device last wrote its head (Unix nanoseconds, its clock)
	metaSnapBase  = []byte("snapbase")  // operations held by the last snapshot written or joined from
)

func snapshotPath(device string, seq uint64) string {
	return fmt.Sprintf("devices/%s/snapshots/%016x.age", device, seq)
}

// PutSnapshot writes a snapshot once, making its folder if missing.
func (r *Remote) PutSnapshot(device string, seq uint64, ct []byte) error {
	if err := r.mkdirs("devices/", "devices/"+device+"/", "devices/"+device+"/snapshots/"); err != nil {
		return err
	}
	return r.putOnce(snapshotPath(device, seq), ct)
}

// GetSnapshot reads a snapshot.
func (r *Remote) GetSnapshot(device string, seq uint64) ([]byte, error) {
	return r.readCounted(snapshotPath(device, seq), 0, nil, "")
}

// getSnapshot reads the snapshot ref names, telling m the bytes read.
func (r *Remote) getSnapshot(device string, ref SnapshotRef, m *meter) ([]byte, error) {
	return r.readCounted(snapshotPath(device, ref.Seq), ref.Size, m, StageSnapshot)
}

// sealSnapshot signs s with the device's key, as Seal signs a batch, and
// encrypts it, compressed, to the space key of its epoch.
func sealSnapshot(s Snapshot, key ed25519.PrivateKey, to age.Recipient) ([]byte, error) {
	signed, err := sign(s, key)
	if err != nil {
		return nil, err
	}
	return encrypt(to, packed(signed))
}

// openSnapshot decrypts the snapshot ref of device (id is a Keyring or
// one key), checks it is signed by that active member and is the one its
// head names (space, device, number, vector), sealed to the epoch it
// names as a batch must be, and that every operation in it was one its
// author's roles allow (each operation's author is checked, as on ingest
// of a batch: the snapshot's writer vouches only for having received
// them).
func openSnapshot(ct []byte, id age.Identity, m *Membership, device string, ref SnapshotRef) (Snapshot, error) {
	member, ok := m.Member(device)
	if !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrNotMember, device)
	}
	r, used, err := decrypt(ct, id)
	if err != nil {
		return Snapshot{}, fmt.Errorf("no se puede descifrar la instantánea %d de %s con la clave del espacio: %w", ref.Seq, device, err)
	}
	signed, err := unpack(r, true)
	if err != nil {
		return Snapshot{}, fmt.Errorf("la instantánea %d de %s está dañada: %w", ref.Seq, device, err)
	}
	var s Snapshot
	if err := verify(signed, member.SignKey, &s); err != nil {
		return Snapshot{}, fmt.Errorf("instantánea %d de %s: %w", ref.Seq, device, err)
	}
	if s.Space != m.Space || s.Device != device || s.Seq != ref.Seq || !maps.Equal(s.Vector, ref.Vector) {
		return Snapshot{}, fmt.Errorf("instantánea %d de %s: %w (no es la que anuncia su estado)", ref.Seq, device, ErrTampered)
	}
	// As for a batch (openBatch): a snapshot encrypted to another epoch's
	// key than the one its signed body names was re-encrypted by someone
	// else, the file is altered (ErrTampered); one that names, and is
	// sealed to, an epoch its writer could not use is ErrEpoch.
	epoch := max(s.Epoch, firstEpoch)
	if used != 0 && used != epoch {
		return Snapshot{}, fmt.Errorf("instantánea %d de %s: %w (dice ser de la clave %d y está cifrada con la %d)", ref.Seq, device, ErrTampered, epoch, used)
	}
	if epoch < member.Since || epoch > m.Epoch {
		return Snapshot{}, fmt.Errorf("instantánea %d de %s: %w (clave %d)", ref.Seq, device, ErrEpoch, epoch)
	}
	return s, nil
}

// unboxSnapshot opens the boxes of s, with the keys held or fetched (its
// bundle first), and checks every operation's author and roles, which
// for a referral step need its payload. An operation about a person
// erased (a tombstone in it, or known here) is left out. It returns the
// operations and the keys fetched, to keep.
func (in *Install) unboxSnapshot(s Snapshot) ([]data.Op, map[string]fetchedKey, error) {
	m := &in.cfg.Membership
	b := Batch{Space: s.Space, Device: s.Device, Seq: s.Seq, Ops: s.Ops, Boxes: s.Boxes, People: s.People}
	erased := in.erasedWith([]*Batch{&b}, func(_ *Batch, op data.Op) bool { return allowed(m, op) == nil })
	need := map[string]bool{}
	in.missingKeys(&b, erased, nil, need)
	fetched := map[string]fetchedKey{}
	if len(need) > 0 {
		bundles := map[string]bool{}
		if s.KeyBundle {
			bundles[snapBundleName(s.Device, s.Seq)] = true
		}
		var err error
		if fetched, err = in.fetchKeys(need, bundles); err != nil {
			return nil, nil, err
		}
	}
	if err := b.unbox(in.keyFunc(erased, fetched, nil)); err != nil {
		return nil, nil, fmt.Errorf("instantánea %d de %s: %w", s.Seq, s.Device, err)
	}
	for _, op := range b.Ops {
		if err := allowed(m, op); err != nil {
			return nil, nil, fmt.Errorf("instantánea %d de %s: %w", s.Seq, s.Device, err)
		}
	}
	return b.Ops, fetched, nil
}

// allowed checks that op's author is a member (removed since or not),
// that op says so, and that their roles allow it.
func allowed(m *Membership, op data.Op) error {
	i := slices.IndexFunc(m.Members, func(x Member) bool { return x.Device == op.Device })
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotMember, op.Device)
	}
	author := m.Members[i]
	if op.User != author.User {
		return fmt.Errorf("%w: la operación %s dice ser de %s", ErrTampered, op.ID, op.User)
	}
	p, err := OpPerm(op)
	if err != nil {
		return err
	}
	if u := (data.User{Login: author.User, Roles: author.rolesAt(op.Clock.Wall)}); !u.Can(p) {
		return fmt.Errorf("%w: %v", ErrForbidden, &data.ForbiddenError{Perm: p, User: author.Name})
	}
	return nil
}

// Snapshot writes a snapshot of every operation the install has applied
// or shipped (not what is still waiting to go: that comes in its own
// batch; nor an operation its author's roles do not allow, which the
// others refuse and the administration skips), names it in the device's head, and removes the device's older
// snapshots but the one before it, which a join under way may be reading.
func (in *Install) Snapshot() (SnapshotRef, error) {
	var ref SnapshotRef
	var seq uint64
	pending := map[string]bool{}
	err := in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		ref.Seq = getUint(meta.Get(metaSnapSeq)) + 1
		seq = getUint(meta.Get([]byte("seq")))
		ref.Vector = readCursors(tx)
		if seq > 0 {
			ref.Vector[in.cfg.Device] = seq
		}
		_ = tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error { pending[string(k)] = true; return nil })
		return meta.Put(metaSnapSeq, putUint(ref.Seq)) // never reused, even after a crash after the PUT
	})
	if err != nil {
		return ref, err
	}
	epoch := in.cfg.Membership.current() // sealed as a new batch is: a removed device cannot read it
	s := Snapshot{Space: in.cfg.Membership.Space, Device: in.cfg.Device, Seq: ref.Seq, Epoch: epoch, Vector: ref.Vector}
	for _, op := range in.journal.Ops() {
		// Not an operation its author may not take (this device's own, in a
		// batch the others refuse): the snapshot would be refused whole.
		if !pending[op.ID] && allowed(&in.cfg.Membership, op) == nil {
			s.Ops = append(s.Ops, op)
		}
	}
	ref.Ops = len(s.Ops)
	if err := in.sealSnapshotOps(&s); err != nil {
		return ref, err
	}
	ct, err := sealSnapshot(s, in.cfg.SignKey, in.keys[epoch].Recipient())
	if err != nil {
		return ref, err
	}
	if err := in.cfg.Remote.PutSnapshot(in.cfg.Device, ref.Seq, ct); err != nil {
		return ref, fmt.Errorf("subir la instantánea: %w", err)
	}
	ref.Size = int64(len(ct))
	var prev SnapshotRef
	err = in.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if raw := meta.Get(metaSnapshot); raw != nil {
			if err := json.Unmarshal(raw, &prev); err != nil {
				return err
			}
		}
		raw, err := json.Marshal(ref)
		if err != nil {
			return err
		}
		if err := meta.Put(metaSnapBase, putUint(uint64(ref.Ops))); err != nil {
			return err
		}
		return meta.Put(metaSnapshot, raw)
	})
	if err != nil {
		return ref, err
	}
	if err := in.publishHead(); err != nil {
		return ref, err
	}
	return ref, in.dropSnapshots(prev.Seq)
}

// sealSnapshotOps seals the payloads of s's operations with their
// people's keys, one box per person as in a batch (a key made here for
// anyone who had none: operations from before per-person keys), puts the
// new keys on the server, and puts every key it uses in the snapshot's
// bundle.
func (in *Install) sealSnapshotOps(s *Snapshot) error {
	sd, err := in.sealOps(s.Ops, "")
	if err != nil {
		return err
	}
	s.V, s.Ops, s.Boxes, s.People = sd.v, sd.ops, sd.boxes, sd.people
	if len(sd.used) == 0 {
		return nil
	}
	if err := in.sendKeys(sd.unsent, ""); err != nil {
		return err
	}
	bf := bundleFile{Space: s.Space, Device: s.Device, Seq: s.Seq, Snapshot: true, Named: map[string][]byte{}}
	for name := range sd.used {
		person, dev := splitKeyName(name)
		bf.Named[name] = in.pkeys[person][dev]
	}
	ct, err := sealSigned(bf, in.cfg.SignKey, in.keys[s.Epoch].Recipient())
	if err != nil {
		return err
	}
	if err := in.cfg.Remote.PutKey(snapBundleName(s.Device, s.Seq), ct); err != nil && !errors.Is(err, ErrExists) {
		return err
	}
	s.KeyBundle = true
	return nil
}

// dropSnapshots removes the device's snapshots before keep (and any a
// crash left between a PUT and the head).
func (in *Install) dropSnapshots(keep uint64) error {
	var gone uint64
	_ = in.db.View(func(tx *bolt.Tx) error { gone = getUint(tx.Bucket(bucketMeta).Get(metaSnapGone)); return nil })
	if keep <= gone+1 {
		return nil
	}
	for n := gone + 1; n < keep; n++ {
		if err := in.cfg.Remote.remove(snapshotPath(in.cfg.Device, n)); err != nil {
			return err
		}
	}
	return in.setMeta(metaSnapGone, keep-1)
}
