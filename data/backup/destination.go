package backup

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Kind is the kind of place backups go to.
type Kind string

// The kinds of destination.
const (
	KindFolder Kind = "folder" // a local folder: a USB disk, a synced folder
	KindWebDAV Kind = "webdav" // a WebDAV folder, such as Nextcloud's
)

// Destination is a place backups go to and come back from. It is what
// Ajustes stores (as JSON, without the password) and what the command line
// parses from --to and --from.
type Destination struct {
	Kind Kind `json:"kind"`

	// Path is the folder, for KindFolder. Absolute.
	Path string `json:"path,omitempty"`

	// URL is the folder's address, for KindWebDAV, e.g.
	// https://nube.example.org/remote.php/dav/files/ana/Enlace/.
	URL string `json:"url,omitempty"`

	// User is the WebDAV user name.
	User string `json:"user,omitempty"`

	// Password is the WebDAV (app) password. Never stored with the rest:
	// it comes from the credential store or from the user.
	Password string `json:"-"`
}

// ParseDestination reads a destination typed by the user: an http(s) URL
// is a WebDAV folder (a user name in the URL, https://ana@host/…, becomes
// User), anything else a local folder.
func ParseDestination(s string) (Destination, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Destination{}, fmt.Errorf("destino vacío: %w", ErrNoDestination)
	}
	low := strings.ToLower(s)
	if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return Destination{}, fmt.Errorf("dirección no válida %q: %w", s, ErrNoDestination)
		}
		if err := checkScheme(u); err != nil {
			return Destination{}, err
		}
		d := Destination{Kind: KindWebDAV}
		if u.User != nil {
			d.User = u.User.Username()
			d.Password, _ = u.User.Password()
			u.User = nil
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		d.URL = u.String()
		return d, nil
	}
	abs, err := filepath.Abs(s)
	if err != nil {
		return Destination{}, fmt.Errorf("carpeta %q: %w", s, err)
	}
	return Destination{Kind: KindFolder, Path: abs}, nil
}

// checkScheme refuses plain http except to this machine (tests, a local
// proxy): basic authentication would send the app password in clear.
func checkScheme(u *url.URL) error {
	if strings.EqualFold(u.Scheme, "https") || data.LocalHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%s: %w", u.Redacted(), ErrInsecure)
}

// Key identifies the destination in stored results and in the credential
// store: the same folder or the same user at the same URL, the same key.
func (d Destination) Key() string {
	if d.Kind == KindWebDAV {
		return "webdav:" + d.User + "@" + strings.TrimSuffix(d.URL, "/")
	}
	return "folder:" + filepath.Clean(d.Path)
}

// String is the destination as shown to the user (never the password).
func (d Destination) String() string {
	if d.Kind == KindWebDAV {
		if d.User != "" {
			return d.URL + " (" + d.User + ")"
		}
		return d.URL
	}
	return d.Path
}

// Info is one backup found at a destination.
type Info struct {
	Name string    // file name, e.g. enlace-20261125T100000Z.age
	Size int64     // bytes, encrypted
	Time time.Time // when it was made (from the name), UTC
}

// remote is what a destination does. Folders and WebDAV implement it.
type remote interface {
	// list returns every file in the destination folder; ErrNoDestination
	// when the folder is not there.
	list(ctx context.Context) ([]entry, error)

	// prepare makes sure the destination folder exists, creating its last
	// component when its parent does (never a whole missing path: an
	// unplugged USB disk must not become a folder on the laptop).
	prepare(ctx context.Context) error

	// upload copies the local file (size bytes) to the destination under
	// a temporary name, checks the destination holds every byte, and only
	// then moves it to name: an interrupted upload never replaces or hides
	// a good backup. progress, when not nil, is told how many bytes went.
	upload(ctx context.Context, name, local string, size int64, progress func(done int64)) error

	// replace is upload over the existing backup called name: the
	// checked upload takes its place in one step (a rename, a MOVE with
	// Overwrite), so that at every moment the destination holds the old
	// backup or the new one.
	replace(ctx context.Context, name, local string, size int64, progress func(done int64)) error

	// open reads the backup called name; ErrNotFound when it is not there.
	open(ctx context.Context, name string) (io.ReadCloser, int64, error)

	// remove deletes name; a missing file is not an error.
	remove(ctx context.Context, name string) error
}

// entry is one file in a destination folder.
type entry struct {
	name string
	size int64
	mod  time.Time
}

// backups picks the finished backups out of a folder listing, newest first.
func backups(entries []entry) []Info {
	var out []Info
	for _, e := range entries {
		if t, ok := parseName(e.name); ok {
			out = append(out, Info{Name: e.name, Size: e.size, Time: t})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.After(out[j].Time)
		}
		return out[i].Name > out[j].Name
	})
	return out
}

// Backup file names: enlace-20261125T100000Z.age (UTC: no colons, which
// Windows forbids; no daylight-saving ambiguity), with -2, -3… when two
// are made in the same second. While uploading, a backup is called
// .enlace-….age.tmp: hidden, and not ending in .part, which Nextcloud
// refuses.
const (
	namePrefix = "enlace-"
	nameSuffix = ".age"
	nameTime   = "20060102T150405Z"
	tmpPrefix  = "."
	tmpSuffix  = ".tmp"
)

// backupName is the name of a backup made at t, the n-th in that second.
func backupName(t time.Time, n int) string {
	name := namePrefix + t.UTC().Format(nameTime)
	if n > 1 {
		name += fmt.Sprintf("-%d", n)
	}
	return name + nameSuffix
}

// parseName reads the time out of a backup's name.
func parseName(name string) (time.Time, bool) {
	if !strings.HasPrefix(name, namePrefix) || !strings.HasSuffix(name, nameSuffix) {
		return time.Time{}, false
	}
	stamp := strings.TrimSuffix(strings.TrimPrefix(name, namePrefix), nameSuffix)
	if len(stamp) > len(nameTime) && stamp[len(nameTime)] == '-' {
		stamp = stamp[:len(nameTime)]
	}
	t, err := time.Parse(nameTime, stamp)
	return t, err == nil
}

// isTemp reports whether name is an upload in progress (or abandoned).
func isTemp(name string) bool {
	if !strings.HasPrefix(name, tmpPrefix) || !strings.HasSuffix(name, tmpSuffix) {
		return false
	}
	_, ok := parseName(strings.TrimSuffix(strings.TrimPrefix(name, tmpPrefix), tmpSuffix))
	return ok
}

func tempName(name string) string { return tmpPrefix + name + tmpSuffix }

// validName reports whether name can be the name of a backup: a plain file
// name, so that a name from the user cannot reach outside the destination.
func validName(name string) bool {
	_, ok := parseName(name)
	return ok && !strings.ContainsAny(name, `/\`) && name == filepath.Base(name)
}

// remote returns the implementation for d.
func (d Destination) remote() (remote, error) {
	switch d.Kind {
	case KindFolder:
		if d.Path == "" {
			return nil, fmt.Errorf("carpeta vacía: %w", ErrNoDestination)
		}
		return &folder{dir: d.Path}, nil
	case KindWebDAV:
		return newDAV(d)
	}
	return nil, fmt.Errorf("tipo de destino %q: %w", d.Kind, ErrNoDestination)
}
