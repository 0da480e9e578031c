package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/studio-b12/gowebdav"
)

// dav is a WebDAV folder destination (Nextcloud, ownCloud, Apache
// mod_dav…), reached with gowebdav. Each call gets a client bound to its
// context, so that cancelling stops a transfer at once.
type dav struct {
	d    Destination
	root string // scheme://host/path/ with the path unescaped: gowebdav escapes it
	tr   *http.Transport
}

func newDAV(d Destination) (*dav, error) {
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("dirección WebDAV no válida %q: %w", d.URL, ErrNoDestination)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	path := u.Path
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	return &dav{
		d:    d,
		root: u.Scheme + "://" + u.Host + path,
		tr: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ExpectContinueTimeout: 5 * time.Second,
			// A server may take minutes to answer after the last byte of a
			// large PUT or of a chunked MOVE (Nextcloud assembles the file).
			ResponseHeaderTimeout: 10 * time.Minute,
			IdleConnTimeout:       60 * time.Second,
			ForceAttemptHTTP2:     true,
		},
	}, nil
}

// client returns a gowebdav client whose requests carry ctx, authenticate
// at once (no unauthenticated first try, which would make gowebdav keep a
// copy of the body to send it again), and ask before sending a PUT's body,
// so that a 401, 413 or 507 comes before the upload rather than after.
func (w *dav) client(ctx context.Context) *gowebdav.Client {
	c := gowebdav.NewAuthClient(w.root, gowebdav.NewPreemptiveAuth(basicAuth{w.d.User, w.d.Password}))
	c.SetTransport(w.tr)
	c.SetInterceptor(func(method string, rq *http.Request) {
		*rq = *rq.WithContext(ctx)
		if method == http.MethodPut {
			rq.Header.Set("Expect", "100-continue")
		}
	})
	return c
}

// err wraps an error from gowebdav with what was being done and the
// sentinel it amounts to.
func (w *dav) err(op string, err error) error {
	var se gowebdav.StatusError
	if errors.As(err, &se) {
		return fmt.Errorf("%s en %s: HTTP %d: %w", op, w.d.URL, se.Status, errStatus(se.Status))
	}
	return fmt.Errorf("%s en %s: %w", op, w.d.URL, classifyNet(err))
}

func (w *dav) list(ctx context.Context) ([]entry, error) {
	fis, err := w.client(ctx).ReadDir("/")
	if err != nil {
		return nil, w.err("listar las copias", err)
	}
	out := make([]entry, 0, len(fis))
	for _, fi := range fis {
		if !fi.IsDir() {
			out = append(out, entry{name: fi.Name(), size: fi.Size(), mod: fi.ModTime()})
		}
	}
	return out, nil
}

func (w *dav) prepare(ctx context.Context) error {
	if err := w.client(ctx).Mkdir("/", 0o700); err != nil {
		return w.err("crear la carpeta", err)
	}
	return nil
}

func (w *dav) open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	c := w.client(ctx)
	fi, err := c.Stat(name)
	if gowebdav.IsErrNotFound(err) {
		return nil, 0, fmt.Errorf("%s en %s: %w", name, w.d.URL, ErrNotFound)
	}
	if err != nil {
		return nil, 0, w.err("leer "+name, err)
	}
	rc, err := c.ReadStream(name)
	if err != nil {
		return nil, 0, w.err("descargar "+name, err)
	}
	return rc, fi.Size(), nil
}

func (w *dav) remove(ctx context.Context, name string) error {
	if err := w.client(ctx).Remove(name); err != nil {
		return w.err("borrar "+name, err)
	}
	return nil
}

// upload sends local under a temporary name, checks the server holds
// every byte, and only then moves it to name: an interrupted upload never
// takes the place of a good backup, nor hides one. Whatever went wrong,
// the temporary upload is removed (best effort: the connection may be
// gone, and pruning removes it a day later).
func (w *dav) upload(ctx context.Context, name, local string, size int64, progress func(int64)) error {
	tmp := tempName(name)
	if err := w.uploadAs(ctx, tmp, name, local, size, progress, false); err != nil {
		w.cleanup(tmp)
		return err
	}
	return nil
}

// replace is upload over an existing backup: the checked upload takes its
// place in one MOVE with Overwrite, so the server holds the old backup or
// the new one, never part of either.
func (w *dav) replace(ctx context.Context, name, local string, size int64, progress func(int64)) error {
	tmp := tempName(name)
	if err := w.uploadAs(ctx, tmp, name, local, size, progress, true); err != nil {
		w.cleanup(tmp)
		return err
	}
	return nil
}

func (w *dav) uploadAs(ctx context.Context, tmp, name, local string, size int64, progress func(int64), overwrite bool) error {
	c := w.client(ctx)
	if err := w.put(ctx, c, tmp, local, size, progress); err != nil {
		return err
	}
	fi, err := c.Stat(tmp)
	if err != nil {
		return w.err("comprobar la copia subida", err)
	}
	if fi.Size() != size {
		return fmt.Errorf("el servidor tiene %d bytes de %d: %w", fi.Size(), size, ErrInterrupted)
	}
	if err := c.Rename(tmp, name, overwrite); err != nil {
		return w.err("renombrar la copia subida", err)
	}
	return nil
}

// put sends the local file to name in one PUT, passing gowebdav the
// *os.File itself so that it streams (and on plain HTTP the kernel sends
// it). A server that refuses a body this large (413) gets Nextcloud's
// chunked upload instead, when the URL is a Nextcloud one.
func (w *dav) put(ctx context.Context, c *gowebdav.Client, name, local string, size int64, progress func(int64)) error {
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close() // the HTTP client closes it too
	stop := watchOffset(f, progress)
	err = c.WriteStream(name, f, 0o600)
	stop()
	if gowebdav.IsErrCode(err, http.StatusRequestEntityTooLarge) {
		uploads, ok := w.chunkBase()
		if !ok {
			return fmt.Errorf("subir la copia (%d MB): %w", size>>20, ErrTooLarge)
		}
		err := w.putChunked(ctx, uploads, name, local, size, progress)
		if errors.Is(err, ErrNoDestination) { // no uploads folder: not a Nextcloud
			return fmt.Errorf("subir la copia (%d MB): %w", size>>20, ErrTooLarge)
		}
		return err
	}
	if err != nil {
		return w.err("subir la copia", err)
	}
	if progress != nil {
		progress(size)
	}
	return nil
}

// watchOffset reports f's read position to progress every 200 ms until
// the returned stop is called.
func watchOffset(f *os.File, progress func(int64)) (stop func()) {
	if progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
					progress(pos)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// cleanup removes a temporary upload, best effort: the connection may be
// gone, and whatever is left is removed by a later backup's pruning.
func (w *dav) cleanup(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = w.client(ctx).Remove(name)
}

// basicAuth sends the user and password with every request.
type basicAuth struct{ user, pass string }

func (b basicAuth) Authorize(_ *http.Client, rq *http.Request, _ string) error {
	if b.user != "" || b.pass != "" {
		rq.SetBasicAuth(b.user, b.pass)
	}
	return nil
}

func (b basicAuth) Verify(_ *http.Client, rs *http.Response, path string) (bool, error) {
	if rs.StatusCode == http.StatusUnauthorized {
		return false, gowebdav.NewPathError("Authorize", path, rs.StatusCode)
	}
	return false, nil
}

func (b basicAuth) Clone() gowebdav.Authenticator { return b }
func (b basicAuth) Close() error                  { return nil }
