package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/studio-b12/gowebdav"
)

// chunkSize is the size of each part of a chunked upload. Nextcloud wants
// 5 MiB to 5 GiB for every part but the last. Tests make it smaller.
var chunkSize int64 = 10 << 20

// chunkBase returns the uploads collection of the user of a Nextcloud
// files URL (…/remote.php/dav/files/USER/… → …/remote.php/dav/uploads/USER/),
// and false when the URL is not a Nextcloud one.
func (w *dav) chunkBase() (string, bool) {
	const files = "/remote.php/dav/files/"
	i := strings.Index(w.root, files)
	if i < 0 {
		return "", false
	}
	rest := w.root[i+len(files):]
	user, _, ok := strings.Cut(rest, "/")
	if !ok || user == "" {
		return "", false
	}
	return w.root[:i] + "/remote.php/dav/uploads/" + user + "/", true
}

// putChunked uploads local to name with Nextcloud's chunked upload v2:
// MKCOL a transfer folder, PUT numbered parts into it, then MOVE its
// ".file" to the destination, where the server assembles them. Every
// request names the destination, so that the server can check the quota
// first. On failure the transfer folder is deleted.
func (w *dav) putChunked(ctx context.Context, uploads, name, local string, size int64, progress func(int64)) (err error) {
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	dir := uploads + "enlace-" + hex.EncodeToString(id)
	dest := gowebdav.PathEscape(w.root + name)
	hdr := http.Header{"Destination": {dest}, "OC-Total-Length": {strconv.FormatInt(size, 10)}}
	escDir := gowebdav.PathEscape(dir)
	if err := w.do(ctx, "MKCOL", escDir, nil, 0, hdr); err != nil {
		return fmt.Errorf("empezar la subida por partes: %w", err)
	}
	defer func() {
		if err != nil {
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = w.do(cctx, http.MethodDelete, escDir, nil, 0, nil)
		}
	}()
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	var off int64
	for part := 1; off < size || part == 1; part++ {
		n := min(chunkSize, size-off)
		body := io.NewSectionReader(f, off, n)
		if err := w.do(ctx, http.MethodPut, fmt.Sprintf("%s/%05d", escDir, part), body, n, hdr); err != nil {
			return fmt.Errorf("subir la parte %d: %w", part, err)
		}
		off += n
		if progress != nil {
			progress(off)
		}
		if size == 0 {
			break
		}
	}
	mv := hdr.Clone()
	mv.Set("Overwrite", "T")
	if err := w.do(ctx, "MOVE", escDir+"/.file", nil, 0, mv); err != nil {
		return fmt.Errorf("unir las partes: %w", err)
	}
	return nil
}

// do sends one request with the destination's credentials and returns an
// error for any answer that is not a success.
func (w *dav) do(ctx context.Context, method, url string, body io.Reader, size int64, hdr http.Header) error {
	rq, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	if body != nil {
		rq.ContentLength = size
		rq.Header.Set("Expect", "100-continue")
	}
	for k, v := range hdr {
		rq.Header[k] = v
	}
	if w.d.User != "" || w.d.Password != "" {
		rq.SetBasicAuth(w.d.User, w.d.Password)
	}
	rs, err := w.tr.RoundTrip(rq)
	if err != nil {
		return classifyNet(err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(rs.Body, 64<<10))
	_ = rs.Body.Close()
	if rs.StatusCode < 200 || rs.StatusCode > 299 {
		return fmt.Errorf("%s: HTTP %d: %w", method, rs.StatusCode, errStatus(rs.StatusCode))
	}
	return nil
}
