package sync

import (
	"errors"
	"fmt"
	"maps"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
)

// Removal is what taking devices out of the space did.
type Removal struct {
	Devices []string // the devices removed
	Epoch   int      // the key epoch their removal started
	// Unkeyed are remaining devices set up before key epochs that have not
	// synced since the upgrade, so have no recipient to be given the new
	// key to: they get it when they sync and the administrator's install
	// syncs after them.
	Unkeyed []string
}

// Remove takes device out of the space (a lost laptop, someone who
// left). The member list marks it removed, so no install accepts a batch
// it signs from then on; what it had sent stays. And a new key epoch
// starts: a new space key, encrypted to each remaining device only, which
// every new batch is sealed to, so the removed device cannot read
// anything written from then on. Only the administrator's install can,
// unlocked by an administrator, and not for itself.
func Remove(s Store, password, device string) (Removal, error) {
	return remove(s, password, func(m Member) bool { return m.Device == device },
		fmt.Sprintf("no hay ningún equipo «%s» en el espacio", device))
}

// RemoveUser takes every device of the user with that login out of the
// space, in one new key epoch (see Remove).
func RemoveUser(s Store, password, login string) (Removal, error) {
	return remove(s, password, func(m Member) bool { return m.User == login },
		fmt.Sprintf("el usuario «%s» no tiene ningún equipo en el espacio", login))
}

// remove takes out the active devices that match, as Remove says.
func remove(s Store, password string, match func(Member) bool, none string) (Removal, error) {
	st, err := LoadSettings(s)
	if err != nil {
		return Removal{}, err
	}
	if st.AdminKey == nil {
		return Removal{}, errors.New("solo el equipo de la administración que creó el espacio puede retirar equipos")
	}
	if u := s.User(); !u.Has(data.RoleAdmin) {
		return Removal{}, fmt.Errorf("retirar equipos del espacio es tarea de la administración; %s no lo es", u.Name)
	}
	remote := NewRemote(st.URL, st.User, password)
	m, err := fetchMembership(remote, st.AdminPub, nil)
	if err != nil {
		return Removal{}, err
	}
	if err := learnKeys(&st, m); err != nil {
		return Removal{}, err
	}
	listing := remote.keptListing()
	rm := Removal{Epoch: m.Epoch + 1}
	for i, x := range m.Members {
		if x.Removed || !match(x) {
			continue
		}
		if x.Device == st.Device {
			return Removal{}, errors.New("el equipo de la administración no puede retirarse a sí mismo")
		}
		m.Members[i].Removed, m.Members[i].RemovedIn, m.Members[i].Until = true, rm.Epoch, listing.Heads[x.Device]
		rm.Devices = append(rm.Devices, x.Device)
	}
	if len(rm.Devices) == 0 {
		return Removal{}, errors.New(none)
	}
	if st.DeviceKey == "" { // saved first: the new key's copy for this install is encrypted to it
		if st.DeviceKey, _, err = newDeviceKey(); err != nil {
			return Removal{}, err
		}
		if err := saveSettings(s, st); err != nil {
			return Removal{}, err
		}
	}
	if err := st.adoptKeys(remote, &m); err != nil {
		return Removal{}, err
	}
	key, err := age.GenerateX25519Identity()
	if err != nil {
		return Removal{}, err
	}
	ring := maps.Clone(st.ring())
	ring[rm.Epoch] = key.String()
	m.Epoch = rm.Epoch
	if rm.Unkeyed, err = wrapKeys(&m, ring); err != nil {
		return Removal{}, err
	}
	if err := publish(remote, m, st.AdminKey); err != nil {
		return Removal{}, err
	}
	// Should this fail, the next session reads the key back from its copy.
	st.addKeys(ring)
	st.MembersRaw, st.MembersSig = nil, ""
	return rm, saveSettings(s, st)
}
