package sync

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/studio-b12/gowebdav"
)

// On Nextcloud a deleted file is not gone: it goes to the user's trash
// bin, and the versions of a file changed in place are kept too. When a
// person is erased their key must be gone everywhere, so after deleting
// it Enlace also deletes, best effort, its versions
// (remote.php/dav/versions/<user>/versions/<fileid>/…) and its entry in
// the trash bin (remote.php/dav/trashbin/<user>/trash/<name>.d<time>).
// Nextcloud is recognised by the folder's address
// (…/remote.php/dav/files/<user>/…); on any other WebDAV server nothing
// more is done. A failure there (an older Nextcloud, an app disabled, a
// share whose trash is the owner's) does not stop the sync: the key is
// deleted, and Nextcloud empties its trash bin by itself after 30 days
// (trashbin_retention_obligation).

// nextcloud reaches the Nextcloud endpoints around the space's folder.
type nextcloud struct {
	c        *gowebdav.Client // at …/remote.php/dav/
	root     string           // …/remote.php/dav/
	user     string           // the Nextcloud user in the folder's address
	folder   string           // the space's folder inside the user's files, ending in "/"
	login    string           // the WebDAV account and its app password
	password string
}

// newNextcloud returns the Nextcloud endpoints of the folder at url, or
// nil when url is not a Nextcloud files address.
func newNextcloud(raw, login, password string) *nextcloud {
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
	root := raw[:i] + "/remote.php/dav/"
	return &nextcloud{c: gowebdav.NewClient(root, login, password), root: root, user: user,
		folder: strings.TrimRight(folder, "/") + "/", login: login, password: password}
}

// fileID is Nextcloud's ID of the file at path (inside the space's
// folder), "" when it cannot be read.
func (nc *nextcloud) fileID(path string) string {
	body := `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:fileid/></d:prop></d:propfind>`
	u := nc.root + "files/" + url.PathEscape(nc.user) + "/" + nc.folder + path
	req, err := http.NewRequest("PROPFIND", u, strings.NewReader(body))
	if err != nil {
		return ""
	}
	req.SetBasicAuth(nc.login, nc.password)
	req.Header.Set("Depth", "0")
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	rs, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return ""
	}
	defer rs.Body.Close()
	if rs.StatusCode != http.StatusMultiStatus {
		return ""
	}
	return fileIDOf(rs.Body)
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

// purgeVersions deletes every kept version of the file with that ID.
func (nc *nextcloud) purgeVersions(fileID string) {
	if fileID == "" {
		return
	}
	dir := "versions/" + nc.user + "/versions/" + fileID + "/"
	list, err := nc.c.ReadDir(dir)
	if err != nil {
		return
	}
	for _, f := range list {
		_ = nc.c.Remove(dir + f.Name())
	}
}

// purgeTrash deletes from the trash bin every entry of a deleted file
// called name: Nextcloud names them <name>.d<seconds>.
func (nc *nextcloud) purgeTrash(name string) {
	dir := "trashbin/" + nc.user + "/trash/"
	list, err := nc.c.ReadDir(dir)
	if err != nil {
		return
	}
	for _, f := range list {
		rest, ok := strings.CutPrefix(f.Name(), name+".d")
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			_ = nc.c.Remove(dir + f.Name())
		}
	}
}
