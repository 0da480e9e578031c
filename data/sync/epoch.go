package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"filippo.io/age"
)

// Key epochs. Batches are sealed to the space key of the current epoch;
// each removal starts a new epoch whose key only the remaining devices
// get, each its copy encrypted to its own age recipient in the signed
// member list. So a removed or lost laptop cannot read anything written
// after its removal, while every install (and a later join) keeps the
// old epochs' keys to read what was written before.

// firstEpoch is the epoch of a space's first key: what spaces made before
// epochs are at, and what a batch that names no epoch is sealed to.
const firstEpoch = 1

// current is the epoch new batches and snapshots are sealed to: m's, or
// the first for a list from before epochs.
func (m *Membership) current() int { return max(m.Epoch, firstEpoch) }

// Keyring is every epoch's space key an install holds, by epoch. It is
// an age.Identity that opens a file sealed to any of them.
type Keyring map[int]*age.X25519Identity

// Unwrap implements age.Identity with every key of the ring.
func (k Keyring) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	var used int
	for _, id := range k.tagged(&used) {
		if key, err := id.Unwrap(stanzas); err == nil {
			return key, nil
		} else if !errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, err
		}
	}
	return nil, age.ErrIncorrectIdentity
}

// tagged is the ring's keys, oldest first, each of which writes its
// epoch into *used when it opens a file: Open learns which epoch's key a
// batch was sealed with.
func (k Keyring) tagged(used *int) []age.Identity {
	var ids []age.Identity
	for _, e := range slices.Sorted(maps.Keys(k)) {
		ids = append(ids, epochIdentity{epoch: e, id: k[e], used: used})
	}
	return ids
}

type epochIdentity struct {
	epoch int
	id    *age.X25519Identity
	used  *int
}

func (e epochIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	key, err := e.id.Unwrap(stanzas)
	if err == nil {
		*e.used = e.epoch
	}
	return key, err
}

// parseRing reads the ring as Settings keep it (epoch → identity text).
func parseRing(keys map[int]string) (Keyring, error) {
	k := Keyring{}
	for e, s := range keys {
		id, err := age.ParseX25519Identity(s)
		if err != nil {
			return nil, fmt.Errorf("la clave %d del espacio guardada está dañada: %w", e, err)
		}
		k[e] = id
	}
	return k, nil
}

// ring is the install's keys as text: Keys, or for an install set up
// before epochs its one space key, which is the first epoch's.
func (st *Settings) ring() map[int]string {
	if len(st.Keys) > 0 {
		return st.Keys
	}
	if st.SpaceKey != "" {
		return map[int]string{firstEpoch: st.SpaceKey}
	}
	return nil
}

// addKeys merges keys into the install's ring and makes the newest the
// current space key.
func (st *Settings) addKeys(keys map[int]string) {
	ring := maps.Clone(st.ring())
	if ring == nil {
		ring = map[int]string{}
	}
	maps.Copy(ring, keys)
	st.Keys = ring
	e := slices.Max(slices.Collect(maps.Keys(ring)))
	st.SpaceKey = ring[e]
}

// wrapKeys encrypts the whole ring to every active member with an age
// recipient, into m.Keys: a member gets the old epochs' keys too, so that
// a device invited after a removal reads the history from before it.
// It returns the active devices it could not wrap to (not yet upgraded:
// no recipient in the member list).
func wrapKeys(m *Membership, ring map[int]string) ([]string, error) {
	plain, err := json.Marshal(ring)
	if err != nil {
		return nil, err
	}
	m.Keys = map[string][]byte{}
	var left []string
	for _, x := range m.Members {
		if x.Removed {
			continue
		}
		if x.AgeKey == "" {
			left = append(left, x.Device)
			continue
		}
		to, err := age.ParseX25519Recipient(x.AgeKey)
		if err != nil {
			return nil, fmt.Errorf("la clave pública del equipo %s no es válida: %w", x.Device, err)
		}
		ct, err := encrypt(to, func(w io.Writer) error { _, err := w.Write(plain); return err })
		if err != nil {
			return nil, err
		}
		m.Keys[x.Device] = ct
	}
	return left, nil
}

// ErrNoKey is returned when the member list has no copy of the current
// space key for this device: it was removed, or has not been given the
// new key yet.
var ErrNoKey = errors.New("este equipo no tiene la clave actual del espacio: si no lo han retirado, pida a la administración que sincronice o que lo invite de nuevo")

// unwrapKeys opens device's copy of the ring in m with its identity.
func unwrapKeys(m Membership, device string, id *age.X25519Identity) (map[int]string, error) {
	ct, ok := m.Keys[device]
	if !ok || id == nil {
		return nil, ErrNoKey
	}
	r, _, err := decrypt(ct, id)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoKey, err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var ring map[int]string
	if err := json.Unmarshal(plain, &ring); err != nil {
		return nil, fmt.Errorf("la copia de las claves del espacio está dañada: %w", err)
	}
	return ring, nil
}

// learnKeys brings the install's ring up to m's epoch, from its copy in
// m, and refuses a member list older than the newest epoch or version it
// knows (an old signed list put back on the server would readmit a
// removed device, or drop an invited one).
func learnKeys(st *Settings, m Membership) error {
	if m.Version < st.MembersVersion {
		return fmt.Errorf("%w: la lista de miembros del servidor (versión %d) es más antigua que la que ya conoce este equipo (%d)", ErrTampered, m.Version, st.MembersVersion)
	}
	st.MembersVersion = m.Version
	ring := st.ring()
	known := 0
	for e := range ring {
		known = max(known, e)
	}
	if m.Epoch < known {
		return fmt.Errorf("%w: la lista de miembros del servidor es de la clave %d, y este equipo ya conoce la %d", ErrTampered, m.Epoch, known)
	}
	if _, ok := ring[m.Epoch]; ok && len(ring) > 0 {
		return nil
	}
	if self, ok := m.Member(st.Device); !ok {
		return fmt.Errorf("%w: este equipo («%s») ya no envía ni recibe cambios; si es un error, pida a la administración una invitación nueva", ErrRemoved, st.Device)
	} else if self.AgeKey == "" {
		return ErrNoKey
	}
	id, err := st.deviceIdentity()
	if err != nil {
		return err
	}
	got, err := unwrapKeys(m, st.Device, id)
	if err != nil {
		return err
	}
	if _, ok := got[m.Epoch]; !ok {
		return fmt.Errorf("%w (falta la clave %d)", ErrNoKey, m.Epoch)
	}
	st.addKeys(got)
	return nil
}

// deviceIdentity is the device's own age identity (nil when it has none
// yet: an install set up before epochs, until its next sync).
func (st *Settings) deviceIdentity() (*age.X25519Identity, error) {
	if st.DeviceKey == "" {
		return nil, nil
	}
	id, err := age.ParseX25519Identity(st.DeviceKey)
	if err != nil {
		return nil, fmt.Errorf("la clave de este equipo guardada está dañada: %w", err)
	}
	return id, nil
}

// newDeviceKey is a fresh age identity for a device, and its recipient.
func newDeviceKey() (identity, recipient string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", err
	}
	return id.String(), id.Recipient().String(), nil
}

// recipientFile is heads/<device>.age.json: the age recipient a device
// set up before key epochs made for itself, signed with its device key,
// for the administrator's install to list in the member list.
type recipientFile struct {
	Device string `json:"device"`
	AgeKey string `json:"age_key"`
}

// keepKeys, when a session opens, keeps the install's keys up with the
// member list m: it learns a new epoch's key from its copy in m; an
// install set up before key epochs makes its own age identity and
// publishes its recipient; the administrator's install lists the
// recipients published since and gives those devices their copy of the
// keys. The settings are saved when they change. It returns m as the
// administrator's install may have republished it.
func (st *Settings) keepKeys(s Store, r *Remote, m Membership) (Membership, error) {
	before := fmt.Sprint(st.DeviceKey, st.ring(), st.MembersVersion)
	if st.DeviceKey == "" {
		id, _, err := newDeviceKey()
		if err != nil {
			return m, err
		}
		st.DeviceKey = id
		if err := saveSettings(s, *st); err != nil {
			return m, err
		}
	}
	if st.AdminKey == nil { // first: without it, the administrator cannot give this device a new key
		if err := st.publishRecipient(r, m); err != nil {
			return m, err
		}
	}
	if err := learnKeys(st, m); err != nil {
		return m, err
	}
	if fmt.Sprint(st.DeviceKey, st.ring(), st.MembersVersion) != before {
		if err := saveSettings(s, *st); err != nil {
			return m, err
		}
	}
	if st.AdminKey == nil {
		return m, nil
	}
	next := m
	next.Members = slices.Clone(m.Members)
	if err := st.adoptKeys(r, &next); err != nil {
		return m, err
	}
	stale := false
	for _, x := range next.Members {
		if _, ok := next.Keys[x.Device]; !x.Removed && x.AgeKey != "" && !ok {
			stale = true
		}
	}
	if !stale {
		return m, nil
	}
	if _, err := wrapKeys(&next, st.ring()); err != nil {
		return m, err
	}
	if err := publish(r, next, st.AdminKey); err != nil {
		return m, err
	}
	st.MembersRaw, st.MembersSig = nil, "" // read the new list at the next session
	return next, nil
}

// publishRecipient puts this device's recipient on the server when the
// member list does not have one for it yet (an install set up before key
// epochs), unless it is there already.
func (st *Settings) publishRecipient(r *Remote, m Membership) error {
	self, ok := m.Member(st.Device)
	if !ok || self.AgeKey != "" {
		return nil
	}
	if l := r.keptListing(); l != nil && l.Recipients[st.Device] {
		return nil
	}
	id, err := st.deviceIdentity()
	if err != nil {
		return err
	}
	raw, err := sign(recipientFile{Device: st.Device, AgeKey: id.Recipient().String()}, st.SignKey)
	if err != nil {
		return err
	}
	return r.PutRecipient(st.Device, raw)
}

// adoptKeys fills in the age recipients m lacks: the administrator's
// own, and those other devices set up before key epochs have published,
// each checked with that device's signing key.
func (st *Settings) adoptKeys(r *Remote, m *Membership) error {
	l := r.keptListing()
	for i, x := range m.Members {
		if x.Removed || x.AgeKey != "" {
			continue
		}
		if x.Device == st.Device {
			if id, err := st.deviceIdentity(); err == nil && id != nil {
				m.Members[i].AgeKey = id.Recipient().String()
			}
			continue
		}
		if l == nil || !l.Recipients[x.Device] {
			continue
		}
		raw, err := r.GetRecipient(x.Device)
		if errors.Is(err, errMissing) {
			continue
		} else if err != nil {
			return err
		}
		var rf recipientFile
		if verify(raw, x.SignKey, &rf) != nil || rf.Device != x.Device {
			continue // not the device's: ignored
		}
		if _, err := age.ParseX25519Recipient(rf.AgeKey); err == nil {
			m.Members[i].AgeKey = rf.AgeKey
		}
	}
	return nil
}
