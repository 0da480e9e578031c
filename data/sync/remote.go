package sync

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/studio-b12/gowebdav"

	"github.com/enlace-madrid/enlace/data/nextcloud"
)

// Remote is the space's folder on a WebDAV server (Nextcloud's
// /remote.php/dav/files/USER/Enlace/, or any WebDAV share):
//
//	heads/space-members.json            the administrator-signed member list
//	heads/<device>.<seq>.json           the device's last batch number, in its name and signed inside
//	heads/<device>.age.json             its age recipient, signed by it (a device set up before key epochs)
//	devices/<device>/ops/<seq>.age      its batches, write-once, <seq> in 16 hex digits
//	devices/<device>/snapshots/<n>.age  its snapshots, write-once (snapshot.go)
//	keys/<person>.<device>.age          a person's key, made by that device (deleted when the person is erased)
//	keys/bundle.<device>.<seq>.age      the keys one batch made, together (a first join reads them at once)
//
// A device never writes another's files, so no file is ever written by
// two installs and If-Match is never needed (rclone's WebDAV ignores it).
// The heads and the member list share one small folder so that a sync
// with nothing new is one PROPFIND of it: a device's new batches show as
// a head with a higher number in its name (the old one is then deleted),
// which does not depend on the server's ETags or dates. Only that head is
// read, to check its signature. (Device names have no "-", so no device
// can be called like the member list.)
// Batches are put with If-None-Match: * so that a server that honours it
// refuses to overwrite one; correctness does not depend on it (see
// Install.push).
type Remote struct {
	c, once  *gowebdav.Client // once sends If-None-Match: *
	requests atomic.Int64

	mu      gosync.Mutex
	listing *Listing // the last ListHeads, until taken

	nc *nextcloud.Folder // nil on a WebDAV server that is not Nextcloud
}

// NewRemote returns the remote for the folder at url.
func NewRemote(url, user, password string) *Remote {
	url = strings.TrimRight(url, "/") + "/"
	r := &Remote{c: gowebdav.NewClient(url, user, password), once: gowebdav.NewClient(url, user, password)}
	r.once.SetHeader("If-None-Match", "*")
	clients := []*gowebdav.Client{r.c, r.once}
	if r.nc = nextcloud.New(url, user, password); r.nc != nil {
		clients = append(clients, r.nc.Client())
	}
	// Keys are fetched keyWorkers at a time: keep that many connections.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = keyWorkers
	for _, c := range clients {
		c.SetTransport(tr)
		c.SetTimeout(30 * time.Second)
		c.SetInterceptor(func(string, *http.Request) { r.requests.Add(1) })
	}
	return r
}

// Requests is how many HTTP requests the remote has made.
func (r *Remote) Requests() int64 { return r.requests.Load() }

func headPath(device string, seq uint64) string {
	return fmt.Sprintf("heads/%s.%016x.json", device, seq)
}

const membersPath = "heads/space-members.json"

func recipientPath(device string) string { return "heads/" + device + ".age.json" }

func batchPath(device string, seq uint64) string {
	return fmt.Sprintf("devices/%s/ops/%016x.age", device, seq)
}

// ErrExists is returned by PutBatch when that batch is already there.
var ErrExists = errors.New("ese lote ya está en el servidor")

// errMissing is a file that is not there (404).
var errMissing = errors.New("no está en el servidor")

// Prepare makes the space's folder and the device's folders, those that
// are missing (a first sync).
func (r *Remote) Prepare(device string) error {
	return r.mkdirs("/", "heads/", "keys/", "devices/", "devices/"+device+"/", "devices/"+device+"/ops/")
}

// mkdirs makes the folders, in order, that are missing.
func (r *Remote) mkdirs(dirs ...string) error {
	for _, dir := range dirs {
		err := r.c.Mkdir(dir, 0)
		if err == nil || gowebdav.IsErrCode(err, http.StatusMethodNotAllowed) { // 405: it exists
			continue
		}
		return describe(err)
	}
	return nil
}

// PutBatch writes a batch once.
func (r *Remote) PutBatch(device string, seq uint64, ct []byte) error {
	return r.putOnce(batchPath(device, seq), ct)
}

// putOnce writes a write-once file; ErrExists when it is already there.
func (r *Remote) putOnce(path string, ct []byte) error {
	err := r.once.Write(path, ct, 0)
	if gowebdav.IsErrCode(err, http.StatusPreconditionFailed) {
		return ErrExists
	}
	return describe(err)
}

// GetBatch reads a batch.
func (r *Remote) GetBatch(device string, seq uint64) ([]byte, error) {
	b, err := r.c.Read(batchPath(device, seq))
	return b, describe(err)
}

func keyPath(name string) string { return "keys/" + name + ".age" }

// PutKey writes a person key once (its folder made if missing).
func (r *Remote) PutKey(name string, ct []byte) error {
	err := r.once.Write(keyPath(name), ct, 0)
	if gowebdav.IsErrCode(err, http.StatusPreconditionFailed) {
		return ErrExists
	}
	return describe(err)
}

// GetKey reads a person key; errMissing when it is gone.
func (r *Remote) GetKey(name string) ([]byte, error) {
	b, err := r.c.Read(keyPath(name))
	return b, describe(err)
}

// DeleteKey deletes a person key (one already gone is no error) and, on
// Nextcloud, its versions and what the deletion put in the trash bin, so
// that no copy of it stays on the server.
func (r *Remote) DeleteKey(name string) error {
	var fileID string
	if r.nc != nil {
		fileID = r.nc.FileID(keyPath(name)) // before the deletion, which ends it
		r.nc.PurgeVersions(fileID)
	}
	if err := describe(r.c.Remove(keyPath(name))); err != nil && !errors.Is(err, errMissing) {
		return err
	}
	if r.nc != nil {
		r.nc.PurgeTrash(name + ".age")
	}
	return nil
}

// PutHead writes the device's signed head for batch seq, then deletes
// its head for prev (0: none). A crash in between leaves both, and the
// higher counts.
func (r *Remote) PutHead(device string, seq uint64, raw []byte, prev uint64) error {
	if err := describe(r.c.Write(headPath(device, seq), raw, 0)); err != nil {
		return err
	}
	if prev == 0 || prev == seq {
		return nil
	}
	return r.remove(headPath(device, prev))
}

// remove deletes a file; one already gone is no error.
func (r *Remote) remove(path string) error {
	if err := describe(r.c.Remove(path)); err != nil && !errors.Is(err, errMissing) {
		return err
	}
	return nil
}

// GetHead reads a device's head for batch seq; errMissing when it is gone.
func (r *Remote) GetHead(device string, seq uint64) ([]byte, error) {
	b, err := r.c.Read(headPath(device, seq))
	return b, describe(err)
}

// PutMembership writes the member list (the administrator's install only).
func (r *Remote) PutMembership(raw []byte) error {
	return describe(r.c.Write(membersPath, raw, 0))
}

// GetMembership reads the member list.
func (r *Remote) GetMembership() ([]byte, error) {
	b, err := r.c.Read(membersPath)
	return b, describe(err)
}

// PutRecipient writes the device's signed age recipient.
func (r *Remote) PutRecipient(device string, raw []byte) error {
	return describe(r.c.Write(recipientPath(device), raw, 0))
}

// GetRecipient reads a device's signed age recipient.
func (r *Remote) GetRecipient(device string) ([]byte, error) {
	b, err := r.c.Read(recipientPath(device))
	return b, describe(err)
}

// Listing is what one PROPFIND of heads/ says: each device's highest
// head, and a signature (ETag, size, date) of the member list.
type Listing struct {
	Heads   map[string]uint64
	Shipped map[string]time.Time // when each device last shipped a batch (the server's date of its head)
	// Seen is the server's date of each device's highest head, numbered 0
	// too: when it last wrote it, which a sync does at least hourly
	// (seenEvery), so when it last synced, to within an hour.
	Seen       map[string]time.Time
	Members    string          // "" when there is no member list
	Recipients map[string]bool // the devices that published an age recipient
}

// ListHeads lists heads/ in one request.
func (r *Remote) ListHeads() (*Listing, error) {
	files, err := r.c.ReadDir("heads/")
	if err != nil {
		return nil, describe(err)
	}
	l := &Listing{Heads: map[string]uint64{}, Shipped: map[string]time.Time{}, Seen: map[string]time.Time{}, Recipients: map[string]bool{}}
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		if f.Name() == "space-members.json" {
			etag := ""
			if wf, ok := f.(gowebdav.File); ok {
				etag = wf.ETag()
			}
			l.Members = fmt.Sprintf("%s|%d|%d", etag, f.Size(), f.ModTime().UnixNano())
			continue
		}
		// <device>.<16 hex digits>.json; anything else is not a head.
		name, ok := strings.CutSuffix(f.Name(), ".json")
		if dev, isKey := strings.CutSuffix(name, ".age"); ok && isKey {
			l.Recipients[dev] = true
			continue
		}
		dot := strings.LastIndexByte(name, '.')
		if !ok || dot < 1 || len(name)-dot-1 != 16 {
			continue
		}
		seq, err := strconv.ParseUint(name[dot+1:], 16, 64)
		if err != nil {
			continue
		}
		// A head numbered 0 is a device that has read but not shipped.
		if dev := name[:dot]; seq > l.Heads[dev] || seq == 0 && !hasKey(l.Heads, dev) {
			l.Heads[dev] = seq
			l.Seen[dev] = f.ModTime()
			if seq > 0 {
				l.Shipped[dev] = f.ModTime()
			}
		}
	}
	return l, nil
}

// KeepListing keeps l for the next TakeListing, so that opening a
// session and its sync share one listing.
func (r *Remote) KeepListing(l *Listing) {
	r.mu.Lock()
	r.listing = l
	r.mu.Unlock()
}

// keptListing is the listing kept by KeepListing, left for TakeListing.
func (r *Remote) keptListing() *Listing {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.listing
}

// TakeListing returns the listing kept by KeepListing and forgets it
// (nil when there is none), so that each listing serves one sync.
func (r *Remote) TakeListing() *Listing {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.listing
	r.listing = nil
	return l
}

// The causes of a failed sync, worded for a coordinator.
var (
	ErrAuth        = errors.New("el servidor no acepta el usuario o la contraseña de aplicación (401)")
	ErrNoWrite     = errors.New("el usuario no tiene permiso para escribir en la carpeta de sincronización (403): pida a quien la comparte que le dé permiso de edición")
	ErrNoFolder    = errors.New("no se encuentra la carpeta de sincronización en el servidor (404): compruebe la dirección")
	ErrLocked      = errors.New("el servidor tiene la carpeta bloqueada en este momento (423): se volverá a intentar en unos minutos")
	ErrServerFull  = errors.New("no queda espacio en el servidor (507): libere espacio o pida más cuota")
	ErrCertificate = errors.New("el certificado del servidor no es de confianza: compruebe la dirección o pida al administrador del servidor que lo renueve")
	ErrOffline     = errors.New("sin conexión con el servidor: los cambios se guardan en este equipo y se enviarán al volver la conexión")
	ErrServer      = errors.New("el servidor respondió con un error: se volverá a intentar más tarde")
)

// describe turns a WebDAV or network error into one that names its cause.
func describe(err error) error {
	if err == nil {
		return nil
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		var se gowebdav.StatusError
		if errors.As(pe.Err, &se) {
			switch se.Status {
			case http.StatusUnauthorized:
				return fmt.Errorf("%w: %s", ErrAuth, pe.Path)
			case http.StatusForbidden:
				return fmt.Errorf("%w: %s", ErrNoWrite, pe.Path)
			case http.StatusNotFound:
				return fmt.Errorf("%w: %s", errMissing, pe.Path)
			case http.StatusLocked:
				return fmt.Errorf("%w: %s", ErrLocked, pe.Path)
			case http.StatusInsufficientStorage:
				return fmt.Errorf("%w: %s", ErrServerFull, pe.Path)
			case http.StatusMethodNotAllowed, http.StatusConflict:
				return fmt.Errorf("%w: %s", ErrNoFolder, pe.Path)
			}
			return fmt.Errorf("%w (%d): %s", ErrServer, se.Status, pe.Path)
		}
		if errors.Is(pe.Err, os.ErrNotExist) || strings.Contains(pe.Err.Error(), "404") {
			return fmt.Errorf("%w: %s", errMissing, pe.Path)
		}
	}
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	if errors.As(err, &cert) || errors.As(err, &unknown) || errors.As(err, &host) {
		return fmt.Errorf("%w: %v", ErrCertificate, err)
	}
	var ne net.Error
	var op *net.OpError
	if errors.As(err, &ne) || errors.As(err, &op) || strings.Contains(err.Error(), "EOF") ||
		strings.Contains(err.Error(), "connection reset") {
		return fmt.Errorf("%w: %v", ErrOffline, err)
	}
	return err
}
