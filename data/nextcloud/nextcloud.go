// Package nextcloud reaches what Nextcloud keeps around a WebDAV folder
// beyond its files: the versions of a file changed in place and the
// trash bin of deleted ones. Sync (data/sync) and backups (data/backup)
// purge them when what they held must be gone: a person's key after an
// erasure, a backup rewritten without an erased person.
//
// On Nextcloud a deleted file is not gone: it goes to the user's trash
// bin, and the versions of a file changed in place are kept too. After
// deleting or replacing a file, Enlace also deletes, best effort, its
// versions (remote.php/dav/versions/<user>/versions/<fileid>/…) and its
// entries in the trash bin (remote.php/dav/trashbin/<user>/trash/<name>.d<time>).
// Nextcloud is recognised by the folder's address
// (…/remote.php/dav/files/<user>/…); on any other WebDAV server New
// returns nil and nothing more is done. A failure there (an older
// Nextcloud, an app disabled, a share whose trash is the owner's) is not
// reported: the file itself is dealt with, and Nextcloud empties its
// trash bin by itself after 30 days (trashbin_retention_obligation).
//
// It depends on gowebdav only; never on Fyne.
package nextcloud

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/studio-b12/gowebdav"
)

// Folder reaches the Nextcloud endpoints around a folder of the user's files.
type Folder struct {
	c        *gowebdav.Client // at …/remote.php/dav/
	hc       *http.Client     // for PROPFIND of the file ID
	root     string           // …/remote.php/dav/
	user     string           // the Nextcloud user in the folder's address
	folder   string           // the folder inside the user's files, ending in "/"
	login    string           // the WebDAV account and its app password
	password string
}

// New returns the Nextcloud endpoints of the folder at raw, or nil when
// raw is not a Nextcloud files address.
func New(raw, login, password string) *Folder {
	const files = "/remote.php/dav/files/"
	i := strings.Index(raw, files)
	if i < 0 {
		return nil
	}
	user, folder, ok := strings.Cut(raw[i+len(files):], "/")
	if !ok || user == "" {
		return nil
	}
	if u, err := url.PathUnescape(user); err == nil {
		user = u
	}
	if f, err := url.PathUnescape(folder); err == nil {
		folder = f
	}
	root := raw[:i] + "/remote.php/dav/"
	return &Folder{c: gowebdav.NewClient(root, login, password), hc: &http.Client{Timeout: 30 * time.Second},
		root: root, user: user, folder: strings.TrimRight(folder, "/") + "/", login: login, password: password}
}

// Client is the WebDAV client at …/remote.php/dav/, for its transport
// and timeouts.
func (nc *Folder) Client() *gowebdav.Client { return nc.c }

// SetTransport makes every request go through tr.
func (nc *Folder) SetTransport(tr http.RoundTripper) {
	nc.c.SetTransport(tr)
	nc.hc.Transport = tr
}

// FileID is Nextcloud's ID of the file at path (inside the folder), ""
// when it cannot be read.
func (nc *Folder) FileID(path string) string {
	body := `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:fileid/></d:prop></d:propfind>`
	u := nc.root + "files/" + url.PathEscape(nc.user) + "/" + escapePath(nc.folder+path)
	req, err := http.NewRequest("PROPFIND", u, strings.NewReader(body))
	if err != nil {
		return ""
	}
	req.SetBasicAuth(nc.login, nc.password)
	req.Header.Set("Depth", "0")
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	rs, err := nc.hc.Do(req)
	if err != nil {
		return ""
	}
	defer rs.Body.Close()
	if rs.StatusCode != http.StatusMultiStatus {
		return ""
	}
	return fileIDOf(rs.Body)
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// fileIDOf reads the oc:fileid of a PROPFIND answer.
func fileIDOf(r io.Reader) string {
	d := xml.NewDecoder(r)
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "fileid" && se.Name.Space == "http://owncloud.org/ns" {
			var id string
			if d.DecodeElement(&id, &se) != nil {
				return ""
			}
			return strings.TrimSpace(id)
		}
	}
}

// PurgeVersions deletes every kept version of the file with that ID, and
// returns how many went.
func (nc *Folder) PurgeVersions(fileID string) int {
	if fileID == "" {
		return 0
	}
	dir := "versions/" + nc.user + "/versions/" + fileID + "/"
	list, err := nc.c.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, f := range list {
		if nc.c.Remove(dir+f.Name()) == nil {
			n++
		}
	}
	return n
}

// PurgeTrash deletes from the trash bin every entry of a deleted file
// called name: Nextcloud names them <name>.d<seconds>.
func (nc *Folder) PurgeTrash(name string) int {
	return nc.PurgeTrashFunc(func(n string) bool { return n == name })
}

// PurgeTrashFunc deletes from the trash bin every entry of a deleted
// file whose name match accepts, and returns how many went.
func (nc *Folder) PurgeTrashFunc(match func(name string) bool) int {
	dir := "trashbin/" + nc.user + "/trash/"
	list, err := nc.c.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, f := range list {
		name, ok := TrashedName(f.Name())
		if ok && match(name) && nc.c.Remove(dir+f.Name()) == nil {
			n++
		}
	}
	return n
}

// TrashedName is the name of the deleted file a trash bin entry stands
// for (<name>.d<seconds>), and false for another name.
func TrashedName(entry string) (string, bool) {
	i := strings.LastIndex(entry, ".d")
	if i <= 0 {
		return "", false
	}
	rest := entry[i+2:]
	if rest == "" || strings.Trim(rest, "0123456789") != "" {
		return "", false
	}
	return entry[:i], true
}
