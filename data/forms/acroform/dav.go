package acroform

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/studio-b12/gowebdav"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
)

// Folder is a WebDAV folder technicians drop filled-in forms into: the
// folder behind a Nextcloud upload-only share ("Solo subida" / file
// drop), seen through the account of the coordinator who owns it
// (https://nube/remote.php/dav/files/USUARIO/Derivaciones/), with an app
// password. A file-drop link itself cannot be listed.
type Folder struct {
	URL      string
	User     string
	Password string
}

// Pull downloads the folder's PDFs into a private temporary folder,
// imports them as Import does and then deletes on the server each one the
// store holds as imported (now or before), never one that is not
// recorded; those that cannot be imported stay on the server for review.
// The local copies are removed whatever happens. The paths in the
// result's Deleted and Problems are the files' names on the server.
func (f Folder) Pull(s *data.Store, author string, preview func(*forms.Plan) bool) (Imported, error) {
	// The app password must not travel in clear: https, or http only to
	// this computer, as for the Forms app.
	base, err := nextcloud.CheckURL(f.URL)
	if err != nil {
		return Imported{}, err
	}
	c := gowebdav.NewClient(base+"/", f.User, f.Password)
	c.SetTimeout(60 * time.Second)
	infos, err := c.ReadDir("")
	if err != nil {
		return Imported{}, davError(f.URL, err)
	}
	tmp, err := os.MkdirTemp("", "enlace-pdf-")
	if err != nil {
		return Imported{}, err
	}
	defer os.RemoveAll(tmp)
	var local []string
	remote := map[string]string{} // local path → name on the server
	for _, fi := range infos {
		if fi.IsDir() || !strings.EqualFold(path.Ext(fi.Name()), ".pdf") || fi.Size() > MaxFileSize {
			continue
		}
		p := filepath.Join(tmp, filepath.Base(fi.Name()))
		if err := download(c, fi.Name(), p, fi.ModTime()); err != nil {
			return Imported{}, davError(f.URL, err)
		}
		local, remote[p] = append(local, p), fi.Name()
	}
	im, err := Import(s, local, author, preview)
	for i := range im.Problems {
		im.Problems[i].Path = remote[im.Problems[i].Path]
	}
	deleted := im.Deleted
	im.Deleted = nil
	for _, p := range deleted {
		if rerr := c.Remove(remote[p]); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return im, errors.Join(err, fmt.Errorf("el formulario %s ya está importado pero no se ha podido borrar del servidor (se volverá a intentar en la próxima descarga): %w", remote[p], rerr))
		}
		im.Deleted = append(im.Deleted, remote[p])
	}
	return im, err
}

// download copies the server's file name to p (readable only by the
// user), dated as on the server.
func download(c *gowebdav.Client, name, p string, mod time.Time) error {
	r, err := c.ReadStream(name)
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, io.LimitReader(r, MaxFileSize+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && !mod.IsZero() {
		err = os.Chtimes(p, mod, mod)
	}
	return err
}

// davError words a WebDAV failure for the user, keeping the cause.
func davError(url string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		var se gowebdav.StatusError
		if errors.As(pe.Err, &se) {
			switch se.Status {
			case http.StatusUnauthorized:
				return fmt.Errorf("el servidor no acepta el usuario o la contraseña de aplicación (HTTP 401): %w", err)
			case http.StatusNotFound:
				return fmt.Errorf("no existe la carpeta %s en el servidor (HTTP 404): compruebe la dirección: %w", url, err)
			}
		}
	}
	return fmt.Errorf("no se puede leer la carpeta de formularios %s: compruebe la dirección y la conexión: %w", url, err)
}
