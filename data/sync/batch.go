package sync

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
)

// Member is one device of the space: whose it is, the key that signs
// its batches and the age recipient its copy of the space keys is
// encrypted to.
type Member struct {
	Device  string      `json:"device"`
	User    string      `json:"user"` // the login
	Name    string      `json:"name"` // as the lists show it
	Roles   []data.Role `json:"roles"`
	SignKey []byte      `json:"sign_key"`          // ed25519 public key
	AgeKey  string      `json:"age_key,omitempty"` // the device's own age recipient ("" on a device not yet upgraded)
	Since   int         `json:"since,omitempty"`   // the key epoch it was invited in: it seals nothing older
	Removed bool        `json:"removed,omitempty"`
	// RemovedIn is the key epoch its removal started, and Until its last
	// batch on the server then: its batches up to Until, sealed before
	// RemovedIn, are still read (a join gets what it wrote while a
	// member); nothing else of it is.
	RemovedIn int    `json:"removed_in,omitempty"`
	Until     uint64 `json:"until,omitempty"`
	// Earlier are the roles it held before each change of its roles,
	// oldest first: they still judge its batches from before (roles.go).
	Earlier []RoleSpan `json:"earlier_roles,omitempty"`
}

// Membership is the administrator-signed list of the space's devices,
// and its key epoch: Epoch is the space key batches are sealed to now,
// and Keys holds, for each active device with an age recipient, every
// epoch's key encrypted to that device (see wrapKeys).
type Membership struct {
	Space   string            `json:"space"`
	Epoch   int               `json:"epoch"`
	Members []Member          `json:"members"`
	Keys    map[string][]byte `json:"keys,omitempty"` // device → its sealed keyring
	// Version goes up by one at each change of the list: an install
	// refuses one older than it has seen.
	Version int `json:"version,omitempty"`
}

// Member returns the active member with that device.
func (m *Membership) Member(device string) (Member, bool) {
	i := slices.IndexFunc(m.Members, func(x Member) bool { return x.Device == device && !x.Removed })
	if i < 0 {
		return Member{}, false
	}
	return m.Members[i], true
}

// envelope is a signed body: the signature is over Body's bytes.
type envelope struct {
	Body []byte `json:"body"`
	Sig  []byte `json:"sig"`
}

func sign(v any, key ed25519.PrivateKey) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Body: body, Sig: ed25519.Sign(key, body)})
}

// verify checks raw's signature with pub and decodes its body into v.
func verify(raw []byte, pub ed25519.PublicKey, v any) error {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%w: %v", ErrTampered, err)
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, env.Body, env.Sig) {
		return ErrTampered
	}
	return json.Unmarshal(env.Body, v)
}

// SignMembership signs m with the administrator's key.
func SignMembership(m Membership, admin ed25519.PrivateKey) ([]byte, error) { return sign(m, admin) }

// OpenMembership checks the administrator's signature and decodes.
func OpenMembership(raw []byte, admin ed25519.PublicKey) (Membership, error) {
	var m Membership
	if err := verify(raw, admin, &m); err != nil {
		return Membership{}, fmt.Errorf("la lista de miembros del espacio no está firmada por su administración: %w", err)
	}
	return m, nil
}

// Batch is one device's write-once file of operations.
type Batch struct {
	// V is the format: batchV3 when the operations about a person carry
	// their payloads in People, one box per person; batchV2 when in
	// Boxes, one per operation; 0 for the first spaces' batches, whose
	// operations are whole.
	V      int       `json:"v,omitempty"`
	Space  string    `json:"space"`
	Device string    `json:"device"`
	Seq    uint64    `json:"seq"`             // 1, 2, 3… per device, never reused
	Epoch  int       `json:"epoch,omitempty"` // the key epoch it is sealed to (none: 1, from before epochs)
	Ops    []data.Op `json:"ops"`
	// Boxes holds, by operation ID, the payload of each operation about a
	// person, sealed with that person's key (see keys.go): format 2.
	Boxes map[string]Box `json:"boxes,omitempty"`
	// People holds the payloads of the operations about each person,
	// one box per person (personbox.go): format 3. Its JSON is "boxes",
	// a list (MarshalJSON).
	People []PersonBox `json:"-"`
	// KeyBundle says that the keys this batch made are also in one file,
	// keys/bundle.<device>.<seq>.age, while none of their people is erased.
	KeyBundle bool `json:"key_bundle,omitempty"`
	// Repairs is the batch of the same device this one publishes again
	// (repair.go): it holds that batch's operations, which was found
	// broken on the server. 0: none.
	Repairs uint64 `json:"repairs,omitempty"`

	// standsFor is, once read, the batch this one is taken in the place
	// of (its Repairs), for the reader's sequence; 0: its own place.
	standsFor uint64
}

// Errors of opening a batch.
var (
	ErrTampered  = errors.New("la firma no es válida: el fichero se ha alterado o no es de ese dispositivo")
	ErrNotMember = errors.New("el dispositivo no es miembro del espacio")
	ErrForbidden = errors.New("el lote contiene una acción que su autor no puede hacer")
	ErrRemoved   = errors.New("el equipo se ha retirado del espacio de sincronización")
	ErrEpoch     = errors.New("el lote está cifrado con una clave del espacio que su autor no podía usar")
)

// Seal signs b with the device's key and encrypts it to the space key of
// b.Epoch, whose recipient is to; a batch of format 3 is compressed
// before it is encrypted.
func Seal(b Batch, key ed25519.PrivateKey, to age.Recipient) ([]byte, error) {
	if b.V < batchV3 {
		return sealSigned(b, key, to)
	}
	signed, err := sign(b, key)
	if err != nil {
		return nil, err
	}
	return encrypt(to, packed(signed))
}

// sealSigned signs v with key and encrypts it to to.
func sealSigned(v any, key ed25519.PrivateKey, to age.Recipient) ([]byte, error) {
	signed, err := sign(v, key)
	if err != nil {
		return nil, err
	}
	return encrypt(to, func(w io.Writer) error { _, err := w.Write(signed); return err })
}

// encrypt is what write writes, encrypted to to.
func encrypt(to age.Recipient, write func(io.Writer) error) ([]byte, error) {
	var out bytes.Buffer
	w, err := age.Encrypt(&out, to)
	if err != nil {
		return nil, err
	}
	if err := write(w); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// decrypt opens ct with id, a Keyring or one key, and says which epoch's
// key of a Keyring opened it (0 for one key).
func decrypt(ct []byte, id age.Identity) (r io.Reader, epoch int, err error) {
	ids := []age.Identity{id}
	if kr, ok := id.(Keyring); ok {
		ids = kr.tagged(&epoch)
	}
	r, err = age.Decrypt(bytes.NewReader(ct), ids...)
	return r, epoch, err
}

// Open decrypts a batch written by device, checks it is signed by that
// member's key, that it is the batch it claims to be (space, device, seq,
// epoch), opens the payload of each operation about a person with that
// person's key (from keys) and checks that its author's roles allow every
// operation in it. A batch that fails any check is refused whole: nothing
// of it is applied. id is a Keyring (every epoch's key the install holds)
// or one key. An operation whose person key is gone (the person was
// erased) is left out, and is no error; keys may be nil for a batch with
// no boxes.
//
// The epochs: a batch must be sealed with the key of the epoch it names;
// a member's batch with an epoch older than the one it was invited in is
// refused (ErrEpoch), and a removed device's batch is read only if it was
// on the server when the device was removed and sealed before its
// removal (else ErrRemoved).
func Open(ct []byte, id age.Identity, m *Membership, device string, seq uint64, keys KeyFunc) (Batch, error) {
	b, err := openBatch(ct, id, m, device, seq)
	if err != nil {
		return Batch{}, err
	}
	if err := b.unbox(keys); err != nil {
		return Batch{}, err
	}
	member, _ := memberOf(m, device)
	denied, err := checkPerms(b, member)
	if err != nil {
		return Batch{}, err
	}
	if len(denied) > 0 {
		return Batch{}, fmt.Errorf("lote %d de %s: %w: %v", seq, device, ErrForbidden,
			&data.ForbiddenError{Perm: denied[0].perm, User: member.Name})
	}
	return b, nil
}

// memberOf is the member with that device, active or removed since.
func memberOf(m *Membership, device string) (Member, bool) {
	i := slices.IndexFunc(m.Members, func(x Member) bool { return x.Device == device })
	if i < 0 {
		return Member{}, false
	}
	return m.Members[i], true
}

// openBatch decrypts and checks a batch, its boxes still closed: every
// check but the roles (membership, epochs, signature, place, authorship),
// each of which refuses the batch whole. Whether its signer may make its
// operations is checkPerms's, once the boxes are open (a referral step's
// permission depends on its payload).
func openBatch(ct []byte, id age.Identity, m *Membership, device string, seq uint64) (Batch, error) {
	member, ok := memberOf(m, device)
	if !ok {
		return Batch{}, fmt.Errorf("%w: %s", ErrNotMember, device)
	}
	if member.Removed && (member.RemovedIn == 0 || seq > member.Until) {
		return Batch{}, fmt.Errorf("lote %d de %s: %w (no se acepta nada de lo que escribió después)", seq, device, ErrRemoved)
	}
	r, used, err := decrypt(ct, id)
	if err != nil {
		return Batch{}, fmt.Errorf("no se puede descifrar el lote %d de %s con la clave del espacio: %w", seq, device, err)
	}
	signed, err := unpack(r, false)
	if err != nil {
		return Batch{}, fmt.Errorf("el lote %d de %s está dañado: %w", seq, device, err)
	}
	var b Batch
	if err := verify(signed, member.SignKey, &b); err != nil {
		return Batch{}, fmt.Errorf("lote %d de %s: %w", seq, device, err)
	}
	if b.Space != m.Space || b.Device != device || b.Seq != seq {
		return Batch{}, fmt.Errorf("lote %d de %s: %w (dice ser el %d de %s en otro espacio o lugar)", seq, device, ErrTampered, b.Seq, b.Device)
	}
	// Two different faults, two errors (openSnapshot words them alike).
	// The signature covers the epoch the body names, not the encryption
	// around it: anyone who holds a space key can open a signed batch and
	// encrypt it again to another epoch's key, so a batch encrypted to a
	// key other than the one it names has been altered (ErrTampered). A
	// batch that names, and is sealed to, an epoch its signer could not
	// use (older than its invitation, newer than the member list) was
	// written so by the signer's own key: ErrEpoch.
	epoch := max(b.Epoch, firstEpoch)
	if used != 0 && used != epoch {
		return Batch{}, fmt.Errorf("lote %d de %s: %w (dice ser de la clave %d y está cifrado con la %d)", seq, device, ErrTampered, epoch, used)
	}
	if epoch < member.Since || epoch > m.Epoch {
		return Batch{}, fmt.Errorf("lote %d de %s: %w (clave %d)", seq, device, ErrEpoch, epoch)
	}
	if member.Removed && epoch >= member.RemovedIn {
		return Batch{}, fmt.Errorf("lote %d de %s: %w (no se acepta nada de lo que escribió después)", seq, device, ErrRemoved)
	}
	for _, op := range b.Ops {
		if op.Device != device || op.User != member.User {
			return Batch{}, fmt.Errorf("lote %d de %s: %w: la operación %s dice ser de %s (%s)", seq, device, ErrTampered, op.ID, op.Device, op.User)
		}
	}
	return b, nil
}

// boxKeys are the keys b's boxes need, by name.
func (b *Batch) boxKeys() map[string]bool {
	need := map[string]bool{}
	for _, op := range b.Ops {
		if box, ok := b.Boxes[op.ID]; ok {
			need[keyName(op.Subject, box.Key)] = true
		}
	}
	for _, pb := range b.People {
		if validPerson(pb.Person) == nil && pb.Key != "" { // else unbox refuses it
			need[keyName(pb.Person, pb.Key)] = true
		}
	}
	return need
}

// errNoKeys is a batch with boxes opened without person keys.
var errNoKeys = errors.New("el lote lleva datos de personas y no se han dado sus claves")

// unbox opens b's boxes in place; an operation whose key is gone leaves
// the batch.
func (b *Batch) unbox(keys KeyFunc) error {
	if len(b.Boxes) == 0 && len(b.People) == 0 {
		return nil
	}
	if keys == nil {
		return fmt.Errorf("lote %d de %s: %w", b.Seq, b.Device, errNoKeys)
	}
	if len(b.People) > 0 { // format 3 (a batch's JSON holds one kind of box or the other)
		return b.unboxPeople(keys)
	}
	ops := b.Ops[:0:0]
	for _, op := range b.Ops {
		box, ok := b.Boxes[op.ID]
		if !ok {
			ops = append(ops, op)
			continue
		}
		key, err := keys(op.Subject, box.Key)
		if errors.Is(err, errKeyGone) {
			continue // about a person erased
		}
		if err != nil {
			return fmt.Errorf("lote %d de %s: %w", b.Seq, b.Device, err)
		}
		opened, err := unboxOp(b.Space, op, box, key)
		if err != nil {
			return fmt.Errorf("lote %d de %s, operación %s: %w", b.Seq, b.Device, op.ID, err)
		}
		ops = append(ops, opened)
	}
	b.Ops, b.Boxes = ops, nil
	return nil
}

// deniedOp is an operation of a batch its signer may not make, and the
// permission it takes.
type deniedOp struct {
	op   data.Op
	perm data.Perm
}

// checkPerms returns the operations of b (its boxes open) its author may
// not make, for the engine to hold the batch back or, skipped, apply the
// rest. An operation of no known kind refuses the batch whole.
func checkPerms(b Batch, member Member) ([]deniedOp, error) {
	user := data.User{Login: member.User, Roles: member.rolesFor(b.at())} // the roles it held then too (roles.go); a repair is judged as the batch it repairs
	var denied []deniedOp
	for _, op := range b.Ops {
		p, err := OpPerm(op)
		if err != nil {
			return nil, fmt.Errorf("lote %d de %s: %w", b.Seq, b.Device, err)
		}
		if !user.Can(p) {
			denied = append(denied, deniedOp{op: op, perm: p})
		}
	}
	return denied, nil
}
