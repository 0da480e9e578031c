package sync

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
	"slices"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
)

// settingsKey is where an install keeps its sync settings: in the store,
// sealed like every value, so that the keys are as safe as the data.
const settingsKey = "sync.space"

// Settings are one install's part in a space.
type Settings struct {
	URL      string `json:"url"`  // the space's WebDAV folder
	User     string `json:"user"` // the WebDAV account (the app password is not kept here)
	SpaceID  string `json:"space_id"`
	Device   string `json:"device"`
	SignKey  []byte `json:"sign_key"`  // this device's ed25519 private key
	SpaceKey string `json:"space_key"` // the current epoch's space key (an age identity)
	// Keys is every epoch's space key this install holds (epoch → age
	// identity), to read old batches; empty on an install set up before
	// key epochs, whose SpaceKey is then the first epoch's.
	Keys map[int]string `json:"keys,omitempty"`
	// DeviceKey is this device's own age identity: the member list holds
	// the space keys encrypted to its recipient.
	DeviceKey string `json:"device_key,omitempty"`
	AdminPub  []byte `json:"admin_pub"`           // the administrator's ed25519 public key
	AdminKey  []byte `json:"admin_key,omitempty"` // only on the administrator's install

	LastSync  time.Time `json:"last_sync,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	// LastSent is when a sync of this install last shipped a batch (this
	// computer's clock); zero before the first, or on an install that has
	// not shipped since it started keeping it.
	LastSent time.Time `json:"last_sent,omitempty"`
	// MassDeletion says the last sync was refused because it would
	// remove most records (ErrMassDeletion): nothing is applied until the
	// administration looks at the folder.
	MassDeletion bool `json:"mass_deletion,omitempty"`
	// Refused are the batches held back at the last sync, for the panel
	// to list before the next one.
	Refused []Refusal `json:"refused,omitempty"`
	// Repairs and Lost are this device's batches found broken on the
	// server, published again or not to be repaired here (repair.go), as
	// the last sync left them.
	Repairs []Repair `json:"repairs,omitempty"`
	Lost    []Lost   `json:"lost,omitempty"`

	// The member list as last read, and its signature in the heads/
	// listing: read again only when that changes.
	MembersRaw []byte `json:"members_raw,omitempty"`
	MembersSig string `json:"members_sig,omitempty"`
	// MembersVersion is the newest version of the member list seen: an
	// older one is refused.
	MembersVersion int `json:"members_version,omitempty"`
}

// Store is what space setup needs of a data.Store.
type Store interface {
	Local
	User() data.User
	EnableSync(device string) error
	Setting(key string, v any) error
	SetState(key string, v any) error
	Path() string
}

// ErrNotConfigured is returned when this install is in no space.
var ErrNotConfigured = errors.New("este equipo no está en ningún espacio de sincronización: créelo (administración) o únase con una invitación")

// LoadSettings reads the install's settings.
func LoadSettings(s Store) (Settings, error) {
	var st Settings
	if err := s.Setting(settingsKey, &st); errors.Is(err, data.ErrNotFound) {
		return Settings{}, ErrNotConfigured
	} else if err != nil {
		return Settings{}, err
	}
	return st, nil
}

func saveSettings(s Store, st Settings) error { return s.SetState(settingsKey, st) }

// validDevice checks a device name: letters, digits, dots and
// underscores, as it becomes a folder name on the server.
func validDevice(d string) error {
	if d == "" || len(d) > 40 || strings.IndexFunc(d, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.')
	}) >= 0 {
		return fmt.Errorf("el nombre del equipo «%s» no vale: use minúsculas sin acentos, cifras, puntos o guiones bajos (por ejemplo «oficina_norte_1»)", d)
	}
	return nil
}

// validFolder checks the folder's address: a whole http(s) URL, so that
// a mistyped one is named as such and not taken for a lost connection.
func validFolder(url string) error {
	u, err := neturl.Parse(url)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("la dirección de la carpeta «%s» no vale: escriba la dirección WebDAV entera, que empieza por https:// (en Nextcloud, Archivos → Ajustes de archivos → WebDAV)", url)
	}
	return nil
}

// Create makes a new space in the folder at url, with this install (its
// unlocked user, an administrator) as its first device.
func Create(s Store, url, user, password, device string) (Settings, error) {
	if err := validFolder(url); err != nil {
		return Settings{}, err
	}
	if err := validDevice(device); err != nil {
		return Settings{}, err
	}
	u := s.User()
	if !u.Has(data.RoleAdmin) {
		return Settings{}, fmt.Errorf("crear el espacio de sincronización es tarea de la administración; %s no lo es", u.Name)
	}
	if _, err := LoadSettings(s); err == nil {
		return Settings{}, errors.New("este equipo ya está en un espacio de sincronización")
	}
	adminPub, adminKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Settings{}, err
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Settings{}, err
	}
	space, err := age.GenerateX25519Identity()
	if err != nil {
		return Settings{}, err
	}
	devKey, devRecipient, err := newDeviceKey()
	if err != nil {
		return Settings{}, err
	}
	idBytes := make([]byte, 8)
	_, _ = rand.Read(idBytes)
	st := Settings{URL: url, User: user, SpaceID: fmt.Sprintf("%x", idBytes), Device: device, SignKey: key,
		AdminPub: adminPub, AdminKey: adminKey, DeviceKey: devKey}
	st.addKeys(map[int]string{firstEpoch: space.String()})
	m := Membership{Space: st.SpaceID, Epoch: firstEpoch, Members: []Member{{Device: device, User: u.Login, Name: u.Name,
		Roles: u.Roles, SignKey: pub, AgeKey: devRecipient, Since: firstEpoch}}}
	if _, err := wrapKeys(&m, st.Keys); err != nil {
		return Settings{}, err
	}
	remote := NewRemote(url, user, password)
	if err := remote.Prepare(device); err != nil {
		return Settings{}, err
	}
	if err := publish(remote, m, adminKey); err != nil {
		return Settings{}, err
	}
	if err := s.EnableSync(device); err != nil {
		return Settings{}, err
	}
	return st, saveSettings(s, st)
}

// publish signs m, one version after the one it was read as, and puts it.
func publish(r *Remote, m Membership, adminKey ed25519.PrivateKey) error {
	m.Version++
	raw, err := SignMembership(m, adminKey)
	if err != nil {
		return err
	}
	return r.PutMembership(raw)
}

// Invitation is what the administrator hands over, in person, for a new
// install to join: whoever holds it can join as that device. It carries
// the device's own keys; the space keys are in the member list, encrypted
// to the device.
type Invitation struct {
	URL       string `json:"url"`
	SpaceID   string `json:"space_id"`
	SpaceKey  string `json:"space_key,omitempty"` // only in invitations made before key epochs
	AdminPub  []byte `json:"admin_pub"`
	Device    string `json:"device"`
	SignKey   []byte `json:"sign_key"`
	DeviceKey string `json:"device_key,omitempty"` // the device's age identity
}

// Code is the invitation as one line of text.
func (inv Invitation) Code() string {
	raw, _ := json.Marshal(inv)
	return "ENLACE1-" + base64.RawURLEncoding.EncodeToString(raw)
}

// ParseInvitation reads Code's text back.
func ParseInvitation(code string) (Invitation, error) {
	var inv Invitation
	b64, ok := strings.CutPrefix(strings.TrimSpace(code), "ENLACE1-")
	raw, err := base64.RawURLEncoding.DecodeString(b64)
	if !ok || err != nil || json.Unmarshal(raw, &inv) != nil || inv.Device == "" || len(inv.SignKey) != ed25519.PrivateKeySize {
		return Invitation{}, errors.New("la invitación no es válida: cópiela entera, empieza por «ENLACE1-»")
	}
	return inv, nil
}

// Invite adds a device for login (with roles) to the space and returns
// the invitation for it. Only the administrator's install can, unlocked
// by an administrator.
func Invite(s Store, password, device, login, name string, roles []data.Role) (Invitation, error) {
	st, err := LoadSettings(s)
	if err != nil {
		return Invitation{}, err
	}
	if st.AdminKey == nil {
		return Invitation{}, errors.New("solo el equipo de la administración que creó el espacio puede invitar")
	}
	if u := s.User(); !u.Has(data.RoleAdmin) {
		return Invitation{}, fmt.Errorf("invitar un equipo al espacio es tarea de la administración; %s no lo es", u.Name)
	}
	if err := validDevice(device); err != nil {
		return Invitation{}, err
	}
	for _, r := range roles {
		if !slices.Contains(data.UserRoles, r) {
			return Invitation{}, fmt.Errorf("función desconocida: %s", r)
		}
	}
	if len(roles) == 0 {
		return Invitation{}, errors.New("indique al menos una función (por ejemplo «tecnico»)")
	}
	remote := NewRemote(st.URL, st.User, password)
	m, err := fetchMembership(remote, st.AdminPub, nil)
	if err != nil {
		return Invitation{}, err
	}
	if i := slices.IndexFunc(m.Members, func(x Member) bool { return x.Device == device }); i >= 0 {
		if m.Members[i].Removed {
			return Invitation{}, fmt.Errorf("el equipo «%s» se retiró del espacio: invite al nuevo con otro nombre", device)
		}
		return Invitation{}, fmt.Errorf("ya hay un equipo «%s» en el espacio", device)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Invitation{}, err
	}
	devKey, devRecipient, err := newDeviceKey()
	if err != nil {
		return Invitation{}, err
	}
	m.Members = append(m.Members, Member{Device: device, User: login, Name: name, Roles: roles, SignKey: pub,
		AgeKey: devRecipient, Since: m.Epoch})
	if err := st.adoptKeys(remote, &m); err != nil {
		return Invitation{}, err
	}
	if _, err := wrapKeys(&m, st.ring()); err != nil {
		return Invitation{}, err
	}
	if err := publish(remote, m, st.AdminKey); err != nil {
		return Invitation{}, err
	}
	return Invitation{URL: st.URL, SpaceID: st.SpaceID, AdminPub: st.AdminPub,
		Device: device, SignKey: key, DeviceKey: devKey}, nil
}

// Join makes this install the invited device, for its unlocked user.
func Join(s Store, inv Invitation, user, password string) (Settings, error) {
	if _, err := LoadSettings(s); err == nil {
		return Settings{}, errors.New("este equipo ya está en un espacio de sincronización")
	}
	remote := NewRemote(inv.URL, user, password)
	m, err := fetchMembership(remote, inv.AdminPub, nil)
	if err != nil {
		return Settings{}, err
	}
	member, ok := m.Member(inv.Device)
	if !ok || m.Space != inv.SpaceID {
		return Settings{}, errors.New("la invitación no corresponde a ningún equipo del espacio: pida otra a la administración")
	}
	if !ed25519.PrivateKey(inv.SignKey).Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(member.SignKey)) {
		return Settings{}, errors.New("la invitación ya no vale (el equipo se volvió a invitar): pida otra a la administración")
	}
	if u := s.User(); u.Login != member.User {
		return Settings{}, fmt.Errorf("la invitación es para el usuario «%s», y este equipo está abierto con «%s»", member.User, u.Login)
	}
	st := Settings{URL: inv.URL, User: user, SpaceID: inv.SpaceID, Device: inv.Device, SignKey: inv.SignKey,
		SpaceKey: inv.SpaceKey, AdminPub: inv.AdminPub, DeviceKey: inv.DeviceKey}
	if err := learnKeys(&st, m); err != nil {
		return Settings{}, fmt.Errorf("la invitación no da acceso a las claves del espacio: %w", err)
	}
	if err := remote.Prepare(inv.Device); err != nil {
		return Settings{}, err
	}
	if err := s.EnableSync(inv.Device); err != nil {
		return Settings{}, err
	}
	return st, saveSettings(s, st)
}

// fetchMembership reads the member list, checked with the administrator's
// key: from st's copy when the heads/ listing (one request, which the
// sync then reuses) says it has not changed, else from the server, and
// keeps it in st (when st is not nil).
func fetchMembership(r *Remote, adminPub []byte, st *Settings) (Membership, error) {
	listing, err := r.ListHeads()
	if errors.Is(err, errMissing) {
		return Membership{}, fmt.Errorf("%w: falta la carpeta heads/ con la lista de miembros", ErrNoFolder)
	}
	if err != nil {
		return Membership{}, err
	}
	r.KeepListing(listing)
	sig := listing.Members
	if sig == "" {
		return Membership{}, fmt.Errorf("%w: falta la lista de miembros (heads/space-members.json)", ErrNoFolder)
	}
	if st != nil && st.MembersSig == sig && len(st.MembersRaw) > 0 {
		if m, err := OpenMembership(st.MembersRaw, adminPub); err == nil {
			return m, nil
		}
	}
	raw, err := r.GetMembership()
	if err == nil && st != nil {
		st.MembersRaw, st.MembersSig = raw, sig
	}
	if errors.Is(err, errMissing) {
		return Membership{}, fmt.Errorf("%w: falta la lista de miembros (heads/space-members.json)", ErrNoFolder)
	}
	if err != nil {
		return Membership{}, err
	}
	return OpenMembership(raw, adminPub)
}

// Status is what `enlace sync status` and the window show.
type Status struct {
	Device  string `json:"device"`
	URL     string `json:"url"`
	Pending int    `json:"pending"`
	// Unsent is the part of Pending the sync file holds: taken from the
	// database, not yet on the server.
	Unsent    int        `json:"unsent"`
	LastSync  time.Time  `json:"last_sync,omitempty"`
	LastSent  time.Time  `json:"last_sent,omitempty"` // when this install last shipped a batch (Settings.LastSent)
	LastError string     `json:"last_error,omitempty"`
	Conflicts int        `json:"conflicts"`
	Review    []Conflict `json:"review,omitempty"` // the conflicts, for "Revisar conflictos"
	// RefusedBatches counts the batches held back because their signer
	// may not take one of their actions; Refused lists them.
	RefusedBatches int                  `json:"refused_batches"`
	Refused        []Refusal            `json:"refused,omitempty"`
	MassDeletion   bool                 `json:"mass_deletion,omitempty"` // the last sync would have removed most records
	Shipped        map[string]time.Time `json:"shipped,omitempty"`       // the server's date of each device's head that names a batch, as the last sync saw it
	// Seen is when each device last synced, as the last sync saw it: the
	// server's date of its head, which a sync writes again at least every
	// hour (seenEvery), so to within an hour; this device's own is LastSync.
	Seen      map[string]time.Time `json:"seen,omitempty"`
	Devices   []Member             `json:"devices"`
	StateHash string               `json:"state_hash"` // the same on two installs that hold the same data
	// Repairs are this device's batches found broken on the server and
	// published again (repair.go); Lost those it cannot repair (WhyLost).
	Repairs []Repair `json:"repairs,omitempty"`
	Lost    []Lost   `json:"lost,omitempty"`
}

// Session is an install's engine opened from its settings.
type Session struct {
	st      Settings
	s       Store
	install *Install
}

// OpenSession opens the engine of a configured install: its sync file
// next to the database, the member list from the server (checked with
// the administrator's key).
func OpenSession(s Store, password string) (*Session, error) {
	st, err := LoadSettings(s)
	if err != nil {
		return nil, err
	}
	remote := NewRemote(st.URL, st.User, password)
	m, err := fetchMembership(remote, st.AdminPub, &st)
	if err != nil {
		return nil, err
	}
	if m, err = st.keepKeys(s, remote, m); err != nil {
		return nil, err
	}
	ring, err := parseRing(st.ring())
	if err != nil {
		return nil, err
	}
	in, err := OpenInstall(s.Path()+".sync", Config{Device: st.Device, SignKey: st.SignKey, Space: ring[m.Epoch],
		Keys: ring, Membership: m, Remote: remote, Local: s})
	if err != nil {
		return nil, err
	}
	return &Session{st: st, s: s, install: in}, nil
}

// Close closes the sync file.
func (ss *Session) Close() error { return ss.install.Close() }

// Sync runs one sync and records its result.
func (ss *Session) Sync(now time.Time) (Report, error) {
	rep, err := ss.install.Sync()
	ss.st.LastError = ""
	if err != nil {
		ss.st.LastError = err.Error()
	} else {
		ss.st.LastSync = now
	}
	if rep.Sent > 0 { // shipped, even when what came after failed
		ss.st.LastSent = now
	}
	if err == nil || errors.Is(err, ErrMassDeletion) { // another failure says nothing of it
		ss.st.MassDeletion = err != nil
	}
	ss.st.Refused = ss.install.Refused()
	ss.st.Repairs, ss.st.Lost = ss.install.Repairs(), ss.install.LostBatches()
	if serr := saveSettings(ss.s, ss.st); err == nil {
		err = serr
	}
	return rep, err
}

// Status reports the install's state.
func (ss *Session) Status() Status {
	local, _ := ss.s.PendingOps()
	state := ss.install.State()
	refused := ss.install.Refused()
	return Status{Device: ss.st.Device, URL: ss.st.URL, Pending: ss.install.Pending() + len(local), Unsent: ss.install.Pending(),
		LastSync: ss.st.LastSync, LastSent: ss.st.LastSent, LastError: ss.st.LastError, Conflicts: len(state.Conflicts), Review: state.Conflicts,
		RefusedBatches: len(refused), Refused: refused, MassDeletion: ss.st.MassDeletion,
		Devices: ss.install.cfg.Membership.Members, StateHash: state.Hash(), Shipped: ss.install.shipped(), Seen: ss.install.lastSeen(),
		Repairs: ss.install.Repairs(), Lost: ss.install.LostBatches()}
}

// Repair runs one sync that first checks every batch of this device that
// some member has not read yet (`enlace sync repair`), and records its
// result as Sync does.
func (ss *Session) Repair(now time.Time) (Report, error) {
	ss.install.forceCheck = true
	return ss.Sync(now)
}

// SyncOnce opens the install's session, syncs once and closes it. Any
// failure, opening included, is kept as the install's last error, which
// the window and `enlace sync status` show.
func SyncOnce(s Store, password string, now time.Time) (Report, Status, error) {
	return SyncOnceProgress(s, password, now, nil)
}

// SyncOnceProgress is SyncOnce telling progress (when not nil) how far
// the sync goes: the window shows a first join's (Progress).
func SyncOnceProgress(s Store, password string, now time.Time, progress Progress) (Report, Status, error) {
	ss, err := OpenSession(s, password)
	if err != nil {
		if st, lerr := LoadSettings(s); lerr == nil {
			st.LastError = err.Error()
			_ = saveSettings(s, st)
		}
		return Report{}, Status{}, err
	}
	defer ss.Close()
	ss.install.meter = &meter{fn: progress}
	rep, err := ss.Sync(now)
	return rep, ss.Status(), err
}

// shipped is when each device last shipped, from the last listing.
func (in *Install) shipped() map[string]time.Time {
	if in.seen == nil {
		return nil
	}
	return in.seen.Shipped
}

// lastSeen is when each device last wrote its head, from the last
// listing: the last sync's, or the one opening the session made
// (`enlace sync status` lists heads/ and does not sync).
func (in *Install) lastSeen() map[string]time.Time {
	l := in.seen
	if l == nil {
		l = in.cfg.Remote.keptListing()
	}
	if l == nil {
		return nil
	}
	return l.Seen
}
