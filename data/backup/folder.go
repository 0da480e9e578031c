package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// folder is a local folder destination: a USB disk, a synced folder.
type folder struct{ dir string }

func (f *folder) list(ctx context.Context) ([]entry, error) {
	des, err := os.ReadDir(f.dir)
	if err != nil {
		if fi, serr := os.Stat(f.dir); serr != nil || !fi.IsDir() {
			return nil, fmt.Errorf("%s: %w", f.dir, ErrNoDestination)
		}
		return nil, fmt.Errorf("leer %s: %w", f.dir, err)
	}
	var out []entry
	for _, de := range des {
		if de.IsDir() {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, entry{name: de.Name(), size: fi.Size(), mod: fi.ModTime()})
	}
	return out, nil
}

func (f *folder) prepare(ctx context.Context) error {
	fi, err := os.Stat(f.dir)
	if err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s no es una carpeta: %w", f.dir, ErrNoDestination)
		}
		return nil
	}
	parent := filepath.Dir(f.dir)
	if pfi, perr := os.Stat(parent); perr != nil || !pfi.IsDir() {
		return fmt.Errorf("%s (¿está conectado el disco?): %w", f.dir, ErrNoDestination)
	}
	if err := os.Mkdir(f.dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("crear %s: %w", f.dir, classifyLocal(err))
	}
	return nil
}

// upload puts local into the folder under a hidden temporary name,
// flushed to the disk (a USB disk may be pulled out right after), checks
// its size, and renames it into place.
func (f *folder) upload(ctx context.Context, name, local string, size int64, progress func(int64)) error {
	return f.put(ctx, name, local, size, progress, false)
}

// replace is upload over an existing backup: the rename replaces it in
// one step, so the folder holds the old backup or the new one, never
// part of either.
func (f *folder) replace(ctx context.Context, name, local string, size int64, progress func(int64)) error {
	return f.put(ctx, name, local, size, progress, true)
}

func (f *folder) put(ctx context.Context, name, local string, size int64, progress func(int64), overwrite bool) (err error) {
	tmp := filepath.Join(f.dir, tempName(name))
	if err := place(ctx, tmp, local, progress); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	got := int64(-1)
	if fi, err := os.Stat(tmp); err == nil {
		got = fi.Size()
	}
	if got != size {
		return fmt.Errorf("%s tiene %d bytes de %d: %w", tmp, got, size, ErrInterrupted)
	}
	final := filepath.Join(f.dir, name)
	if _, err := os.Stat(final); err == nil && !overwrite {
		return fmt.Errorf("%s ya existe: %w", final, fs.ErrExist)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("renombrar %s: %w", tmp, err)
	}
	syncDir(f.dir)
	if progress != nil {
		progress(size)
	}
	return nil
}

// place makes tmp, a new file, hold local's bytes on the disk: as a second
// name of local when both are on one file system (a synced folder beside
// the database: nothing to copy, only to flush), otherwise as a copy (a
// USB disk, or a file system without hard links). On error tmp is gone.
func place(ctx context.Context, tmp, local string, progress func(int64)) (err error) {
	if os.Link(local, tmp) == nil {
		err = syncFile(tmp)
		if err != nil {
			_ = os.Remove(tmp)
		}
		return err
	}
	in, err := os.Open(local)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("crear %s: %w", tmp, classifyLocal(err))
	}
	defer func() {
		if err != nil {
			_ = out.Close()
			_ = os.Remove(tmp)
		}
	}()
	stop := watchOffset(in, progress)
	_, err = copyCtx(ctx, out, in)
	stop()
	if err != nil {
		return fmt.Errorf("copiar a %s: %w", filepath.Dir(tmp), classifyLocal(err))
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("guardar %s: %w", tmp, classifyLocal(err))
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("guardar %s: %w", tmp, classifyLocal(err))
	}
	return nil
}

// syncFile flushes the file at path to the disk. It opens it for writing:
// Windows' FlushFileBuffers refuses a handle opened only for reading
// ("Access denied"), where Linux's fsync takes any descriptor.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("guardar %s: %w", path, classifyLocal(err))
	}
	return nil
}

func (f *folder) open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	file, err := os.Open(filepath.Join(f.dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%s en %s: %w", name, f.dir, ErrNotFound)
	}
	if err != nil {
		return nil, 0, err
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, 0, err
	}
	return file, fi.Size(), nil
}

func (f *folder) remove(ctx context.Context, name string) error {
	err := os.Remove(filepath.Join(f.dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// copyCtx copies in to out in 64 MiB steps, so that a cancellation is
// heard between them, while each step still goes through the kernel's
// file-to-file copy.
func copyCtx(ctx context.Context, out, in *os.File) (int64, error) {
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := io.CopyN(out, in, 64<<20)
		total += n
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// syncDir flushes a folder's entries, so that a rename survives a power
// cut. Windows cannot open folders this way and journals renames anyway.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
