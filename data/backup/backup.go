package backup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Step is a stage of a backup or a restore, for progress reports.
type Step int

// The steps, in the order a backup (encrypt, upload, prune) or a restore
// (download, check) goes through them.
const (
	StepEncrypt  Step = iota // copying and encrypting the database
	StepUpload               // sending it to the destination
	StepPrune                // removing old backups
	StepDownload             // downloading and decrypting a backup
	StepCheck                // checking the restored file
	StepScrub                // rewriting the backups made before an erasure without the person: Done of Total backups
)

// String is the step in Spanish, for the command line.
func (s Step) String() string {
	return [...]string{"Cifrando la copia", "Enviando", "Borrando copias antiguas",
		"Descargando y descifrando", "Comprobando", "Limpiando las copias anteriores a una supresión"}[s]
}

// Progress is how far a step has gone: Done of Total bytes (Total is 0
// when unknown).
type Progress struct {
	Step        Step
	Done, Total int64
}

// Options configure Backup and Fetch. The zero value is usable.
type Options struct {
	// Progress, when set, is called from the working goroutine as each
	// step advances, at most about ten times a second per step.
	Progress func(Progress)

	// TempDir holds the encrypted backup while it is being uploaded (a
	// backup never exists unencrypted outside the database). Empty means
	// the database's own folder: a fast local disk, so that the read
	// transaction does not wait for a USB disk or the network.
	TempDir string

	// WorkFactor is the scrypt cost of new backups as a power of two.
	// Zero means DefaultWorkFactor; tests use less.
	WorkFactor int

	// Location is the calendar retention counts days and weeks in. Nil
	// means Europe/Madrid.
	Location *time.Location

	// Check, when set, is the passphrase check of the backups already
	// made (Config.Check, from NewCheck): a passphrase that does not match
	// it ends the backup with ErrWrongPassphrase, with the destination
	// untouched, even when the backup failed for another reason too.
	// Verifying it is a scrypt as costly as the backup's own key, so it
	// runs while the snapshot is compressed and encrypted: on the
	// goroutine that derived the key, once it has, where it reuses the
	// key's memory (afterKey).
	Check string
}

func (o *Options) progress(step Step, total int64) func(int64) {
	if o == nil || o.Progress == nil {
		return nil
	}
	o.Progress(Progress{Step: step, Total: total})
	return func(done int64) { o.Progress(Progress{Step: step, Done: done, Total: total}) }
}

// Result is what one backup did.
type Result struct {
	Info     Info          // the new backup at the destination
	Manifest data.Manifest // what it holds
	Pruned   []string      // old backups and abandoned uploads removed
	PruneErr error         // why pruning stopped, if it did; the backup itself is fine
	Took     time.Duration
}

// Backup makes a backup of s at d, encrypted with passphrase, while s stays
// in use. In order: it starts deriving the key (scrypt, about a second of
// one core) and lists d, so that a wrong password or a missing folder
// fails before any work on the database; copies the database in one read
// transaction through tar, zstd and age into a 0600 temporary file in
// o.TempDir, hashing it (SHA-256) on the reading goroutine while other
// goroutines compress and encrypt, and holding the compressed bytes in
// memory until the key is ready (keyGate); uploads the file, outside the
// transaction, under a temporary name, checks its size and moves it into
// place; and then, only then, prunes backups past the retention
// (KeepDaily, KeepWeekly) and uploads abandoned more than a day ago.
//
// The database is encrypted as it is read: no plaintext copy is ever
// written, not even a temporary one. The read transaction lasts as long
// as compressing and encrypting the file to the local disk (CPU-bound:
// about two seconds for 100,000 people on two cores, scrypt alongside),
// never as long as the upload.
//
// Errors: ErrNoPassphrase, ErrNoDestination, ErrInsecure, ErrAuth,
// ErrServerFull, ErrUnreachable, ErrInterrupted, ErrDiskFull, ErrServer,
// ErrWrongPassphrase (o.Check), or ctx's error. On any of them the
// destination's existing backups are untouched and no temporary file is
// left behind.
func Backup(ctx context.Context, s *data.Store, d Destination, passphrase string, o *Options) (Result, error) {
	if o == nil {
		o = &Options{}
	}
	if passphrase == "" {
		return Result{}, ErrNoPassphrase
	}
	chk := &passCheck{check: o.Check, pass: passphrase}
	res, err := backup(ctx, s, d, chk, o)
	if err != nil {
		if cerr := chk.verify(); cerr != nil {
			return Result{}, cerr // the wrong passphrase is what the user must fix first
		}
	}
	return res, err
}

// backup is Backup once the passphrase is known not to be empty.
func backup(ctx context.Context, s *data.Store, d Destination, chk *passCheck, o *Options) (Result, error) {
	start := time.Now()
	tempDir := o.TempDir
	if tempDir == "" {
		tempDir = filepath.Dir(s.Path())
	}
	Sweep(tempDir)
	r, err := d.remote()
	if err != nil {
		return Result{}, err
	}
	enc, err := os.CreateTemp(tempDir, encryptedPattern) // 0600
	if err != nil {
		return Result{}, fmt.Errorf("archivo temporal: %w", classifyLocal(err))
	}
	defer discard(enc)
	// The key (scrypt, a second) is derived while the destination answers
	// and while the snapshot is compressed.
	k, err := startSealer(enc, chk, linksInto(tempDir, d), o)
	defer k.out.Close()
	if err != nil {
		return Result{}, err
	}
	entries, err := r.list(ctx)
	if errors.Is(err, ErrNoDestination) {
		if err = r.prepare(ctx); err == nil {
			entries, err = r.list(ctx)
		}
	}
	if err != nil {
		go k.sl.abort() // scrypt cannot be interrupted; nothing waits for it
		return Result{}, err
	}
	name := uniqueName(s.Now(), entries)
	m, size, err := k.seal(s, o)
	if err != nil {
		return Result{}, err
	}
	// Closed before the upload: on Windows a file still open here (without
	// FILE_SHARE_DELETE, as Go opens files) cannot be removed through its
	// second name when a folder upload hard-links it, nor removed at all.
	if err := enc.Close(); err != nil {
		return Result{}, fmt.Errorf("guardar %s: %w", enc.Name(), classifyLocal(err))
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := chk.verify(); err != nil {
		return Result{}, err
	}
	if err := r.upload(ctx, name, enc.Name(), size, o.progress(StepUpload, size)); err != nil {
		return Result{}, err
	}
	res := Result{Info: Info{Name: name, Size: size, Time: mustParse(name)}, Manifest: m}
	res.Pruned, res.PruneErr = prune(ctx, r, entries, res.Info, o)
	res.Took = time.Since(start)
	return res, nil
}

// localSealer is a sealer writing to the local temporary file.
type localSealer struct {
	f   *countWriter // age's output, counted, into out
	out sink
	sl  *sealer
}

// sink is what the encrypted backup goes through into the temporary
// file: Flush, once it is all written, writes what is still held, and
// Close releases what the sink holds (the file stays open).
type sink interface {
	io.Writer
	Flush() error
	Close()
}

// bufferedSink buffers the writes to w in 1 MiB.
func bufferedSink(w io.Writer) sink { return bufWriter{bufio.NewWriterSize(w, 1<<20)} }

type bufWriter struct{ *bufio.Writer }

func (bufWriter) Close() {}

// startSealer starts deriving the key and writing the age header to f,
// and then verifying chk. link says f is to become the backup itself by
// a hard link (fileSink writes it differently then). The caller closes
// k.out.
func startSealer(f *os.File, chk *passCheck, link bool, o *Options) (*localSealer, error) {
	logN := o.WorkFactor
	if logN == 0 {
		logN = DefaultWorkFactor
	}
	k := &localSealer{out: fileSink(f, link)}
	k.f = &countWriter{w: k.out}
	var err error
	k.sl, err = newSealer(k.f, chk.pass, logN, func() { afterKey(chk) })
	return k, err
}

// afterKey verifies the passphrase check on the goroutine that has just
// derived the backup's key. The key's scrypt has left 256 MiB of garbage:
// collecting it first lets the check's scrypt reuse those pages, already
// touched, instead of new ones (on a VM each first touch of a page costs
// microseconds: two scrypts one after the other with a collection between
// took 2.0 core-seconds, against 2.9 side by side). One after the other on
// one goroutine also leaves the other cores to the snapshot, which waits
// for the key, not for the check.
func afterKey(chk *passCheck) {
	if chk.check == "" {
		return
	}
	runtime.GC()
	_ = chk.verify()
}

// seal writes the encrypted backup of s and returns its manifest and size.
func (k *localSealer) seal(s *data.Store, o *Options) (data.Manifest, int64, error) {
	var total int64
	if fi, err := os.Stat(s.Path()); err == nil {
		total = fi.Size()
	}
	report := o.progress(StepEncrypt, total)
	m, err := s.SnapshotFunc(func(m data.Manifest) (io.Writer, error) {
		w, err := k.sl.begin(m)
		return &countWriter{w: w, fn: report}, err
	})
	if err != nil {
		k.sl.abort()
		return m, 0, classifyLocal(err)
	}
	if err := k.sl.finish(m); err != nil {
		return m, 0, classifyLocal(err)
	}
	if err := k.out.Flush(); err != nil {
		return m, 0, classifyLocal(err)
	}
	return m, k.f.n, nil
}

// encryptedPattern names encrypted backups waiting to be uploaded.
const encryptedPattern = ".enlace-upload-*.tmp"

// discard closes a temporary file (if still open) and removes it.
func discard(f *os.File) {
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// staleTempFile is how old a temporary file in the database's folder must
// be before Sweep treats it as left by a crash: no backup or restore takes
// this long to write one, even of a large database on a slow disk.
const staleTempFile = time.Hour

// Sweep removes from dir the temporary files a crashed backup or restore
// may have left, older than an hour: encrypted backups waiting to be
// uploaded, and decrypted restores waiting to be swapped in. Backup and
// Fetch call it; Enlace calls it when it starts, too.
func Sweep(dir string) {
	for _, pattern := range []string{encryptedPattern, restorePattern} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > staleTempFile {
				_ = os.Remove(m)
			}
		}
	}
}

// uniqueName is the name for a backup made at t that no entry has.
func uniqueName(t time.Time, entries []entry) string {
	taken := map[string]bool{}
	for _, e := range entries {
		taken[strings.TrimSuffix(strings.TrimPrefix(e.name, tmpPrefix), tmpSuffix)] = true
	}
	for n := 1; ; n++ {
		if name := backupName(t, n); !taken[name] {
			return name
		}
	}
}

func mustParse(name string) time.Time {
	t, _ := parseName(name)
	return t
}

// prune removes what the retention drops, counting the new backup, and
// uploads abandoned more than staleTemp ago. It stops at the first error.
func prune(ctx context.Context, r remote, entries []entry, added Info, o *Options) ([]string, error) {
	loc := o.Location
	if loc == nil {
		loc = data.Madrid()
	}
	_, drop := retain(append(backups(entries), added), loc)
	var names []string
	for _, b := range drop {
		names = append(names, b.Name)
	}
	for _, e := range entries {
		if isTemp(e.name) && !e.mod.IsZero() && time.Since(e.mod) > staleTemp {
			names = append(names, e.name)
		}
	}
	report := o.progress(StepPrune, int64(len(names)))
	var removed []string
	for i, n := range names {
		if err := r.remove(ctx, n); err != nil {
			return removed, err
		}
		removed = append(removed, n)
		if report != nil {
			report(int64(i + 1))
		}
	}
	return removed, nil
}

// List returns the backups at d, newest first.
// Errors: ErrNoDestination, ErrAuth, ErrUnreachable, ErrServer.
func List(ctx context.Context, d Destination) ([]Info, error) {
	r, err := d.remote()
	if err != nil {
		return nil, err
	}
	entries, err := r.list(ctx)
	if err != nil {
		return nil, err
	}
	return backups(entries), nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w  io.Writer
	n  int64
	fn func(int64)
	at time.Time
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.fn != nil && time.Since(c.at) > 100*time.Millisecond {
		c.at = time.Now()
		c.fn(c.n)
	}
	return n, err
}
