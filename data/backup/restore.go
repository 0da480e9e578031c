package backup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// restorePattern names decrypted backups waiting to replace the database.
const restorePattern = ".enlace-restore-*.tmp"

// Staged is a backup downloaded, decrypted and checked, waiting in the
// database's folder to take the database's place.
type Staged struct {
	Name     string        // the backup's name at its destination
	Manifest data.Manifest // what it holds, checked against the file

	path   string // the decrypted file
	dbPath string
}

// Fetch downloads the backup called name from d, decrypts it with
// passphrase into a 0600 temporary file next to dbPath, and checks it: its
// size and SHA-256 against its manifest, then opened read-only, its schema,
// record counts and structure (data.Inspect). The database at dbPath is
// not touched, and may stay open meanwhile. A backup from a newer Enlace
// is refused as soon as its manifest is read, before the rest is
// downloaded.
//
// Errors: ErrNotFound, ErrWrongPassphrase, ErrCorrupt, data.ErrSchemaTooNew,
// ErrDiskFull, ErrAuth, ErrUnreachable, ErrInterrupted, ErrServer, or ctx's
// error. On any of them nothing is left behind.
func Fetch(ctx context.Context, d Destination, name, passphrase, dbPath string, o *Options) (*Staged, error) {
	if o == nil {
		o = &Options{}
	}
	if passphrase == "" {
		return nil, ErrNoPassphrase
	}
	if !validName(name) {
		return nil, fmt.Errorf("%q no es el nombre de una copia de Enlace: %w", name, ErrNotFound)
	}
	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, classifyLocal(err)
	}
	Sweep(dir)
	r, err := d.remote()
	if err != nil {
		return nil, err
	}
	rc, size, err := r.open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	f, err := os.CreateTemp(dir, restorePattern)
	if err != nil {
		return nil, fmt.Errorf("archivo temporal: %w", classifyLocal(err))
	}
	st := &Staged{Name: name, path: f.Name(), dbPath: dbPath}
	if err := st.fill(ctx, f, rc, size, passphrase, o); err != nil {
		st.Discard()
		return nil, err
	}
	return st, nil
}

// fill decrypts src into f, then checks the result.
func (st *Staged) fill(ctx context.Context, f *os.File, src io.Reader, size int64, passphrase string, o *Options) error {
	bw := bufio.NewWriterSize(f, 1<<20)
	newer := func(m data.Manifest) error {
		if m.Schema > data.SchemaVersion {
			return fmt.Errorf("la copia tiene la versión %d y esta versión de Enlace entiende hasta la %d: %w",
				m.Schema, data.SchemaVersion, data.ErrSchemaTooNew)
		}
		return nil
	}
	src = &ctxReader{ctx: ctx, r: &countReader{r: src, fn: o.progress(StepDownload, size)}}
	m, err := decrypt(src, passphrase, bw, newer, nil)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return classifyLocal(err)
	}
	o.progress(StepCheck, 0)
	got, err := data.Inspect(st.path)
	switch {
	case errors.Is(err, data.ErrNotDatabase):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case err != nil:
		return err
	case got.Schema != m.Schema || got.Counts != m.Counts || got.SHA256 != m.SHA256 || got.Size != m.Size:
		return fmt.Errorf("%w: la base de datos restaurada (%+v) no coincide con su manifiesto (%+v)", ErrCorrupt, got, m)
	}
	st.Manifest = m
	return nil
}

// Swap puts the staged database in dbPath's place, keeping the current
// one, if any, as dbPath.YYYY-MM-DDTHHMMSS.before-restore (now's date).
// The database file is replaced in one rename: at every moment dbPath is
// either the old database or the new one. The database must be closed:
// Swap returns data.ErrLocked when a process has it open. It returns the
// name of the .before-restore copy ("" when there was no database).
func (st *Staged) Swap(now time.Time) (string, error) {
	if err := data.CheckClosed(st.dbPath); err != nil {
		return "", err
	}
	before := ""
	if _, err := os.Stat(st.dbPath); err == nil {
		before = beforeName(st.dbPath, now)
		if err := os.Link(st.dbPath, before); err != nil {
			if err := copyFile(st.dbPath, before); err != nil {
				_ = os.Remove(before)
				return "", fmt.Errorf("guardar la base de datos actual: %w", classifyLocal(err))
			}
		}
	}
	// Nobody erased from the database comes back with a backup made
	// before: the database's erasure list goes with the backup, whose
	// first Open erases them (if Scrub has not already).
	if err := data.CarryErasures(st.dbPath, st.path); err != nil {
		return "", fmt.Errorf("preparar la copia: %w", err)
	}
	// A database that syncs starts a new series of operation IDs: the
	// counter is where the backup was, and the IDs after it are on the
	// sync server already (see data.RenewOpSeries).
	if err := data.RenewOpSeries(st.path); err != nil {
		return "", fmt.Errorf("preparar la copia para la sincronización: %w", err)
	}
	if err := os.Rename(st.path, st.dbPath); err != nil {
		return "", fmt.Errorf("poner la copia en su sitio: %w", err)
	}
	syncDir(filepath.Dir(st.dbPath))
	return before, nil
}

// Scrub erases from the staged backup, before it takes the database's
// place, every person of s's erasure list it still holds (s is the open
// database it is to replace; see data.Store.ScrubCopy), and returns how
// many. The manifest then describes the scrubbed file. Swap carries the
// erasure list in any case; Scrub does the erasing before the file is in
// place rather than when it is first opened.
func (st *Staged) Scrub(s *data.Store) (int, error) {
	clean := strings.TrimSuffix(st.path, ".tmp") + "-limpia.tmp" // Sweep knows it
	n, err := s.ScrubCopy(st.path, clean)
	if err != nil {
		_ = os.Remove(clean)
		return 0, err
	}
	if _, serr := os.Stat(clean); serr != nil {
		return 0, nil // nothing to scrub
	}
	m, err := data.Inspect(clean)
	if err == nil {
		err = os.Rename(clean, st.path)
	}
	if err != nil {
		_ = os.Remove(clean)
		return 0, err
	}
	m.Created = st.Manifest.Created
	st.Manifest = m
	return n, nil
}

// Discard removes the staged file. Safe to call after Swap.
func (st *Staged) Discard() { _ = os.Remove(st.path) }

// beforeName is a free name for the copy of dbPath kept by a restore.
func beforeName(dbPath string, now time.Time) string {
	base := dbPath + "." + now.Format("2006-01-02T150405")
	name := base + ".before-restore"
	for n := 2; ; n++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d.before-restore", base, n)
	}
}

// copyFile copies src to a new file dst and flushes it to disk.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// Restored is what Restore did.
type Restored struct {
	Manifest data.Manifest // what the restored database holds
	Before   string        // where the replaced database was kept ("" if there was none)
}

// Restore replaces the database at dbPath, which must be closed, with the
// backup called name at d: Fetch, then Swap. It checks first that the
// database is closed, so as not to download for nothing.
// Errors: those of Fetch and Swap; the current database is untouched on
// every one of them.
func Restore(ctx context.Context, d Destination, name, passphrase, dbPath string, o *Options) (Restored, error) {
	if err := data.CheckClosed(dbPath); err != nil {
		return Restored{}, err
	}
	st, err := Fetch(ctx, d, name, passphrase, dbPath, o)
	if err != nil {
		return Restored{}, err
	}
	defer st.Discard()
	before, err := st.Swap(time.Now())
	if err != nil {
		return Restored{}, err
	}
	return Restored{Manifest: st.Manifest, Before: before}, nil
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
