package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/nextcloud"
)

// Carrying an erasure into the backups (RGPD art. 17): a backup made
// before a person was erased still holds them, so each one is
// downloaded, decrypted, scrubbed of the people of the database's
// erasure list (data.Store.ScrubCopy) and, when it held any, encrypted
// again and put in the old one's place under the same name. The backup
// path itself is untouched: a backup made after an erasure is of a file
// compacted since, and needs nothing.

// Scrubbed is what a scrub of one destination did.
type Scrubbed struct {
	Checked   int       // backups made before the newest erasure, downloaded and looked at
	Rewritten int       // of those, rewritten without the erased people
	People    int       // people erased from them, counted once per backup
	Pending   int       // backups still to scrub when the scrub stopped on an error
	Skipped   []string  // backups the passphrase and the data key do not open (or damaged), left as they were
	Upto      time.Time // the newest erasure carried to the destination (when it succeeded)
	Purged    int       // Nextcloud versions and trash-bin entries removed
}

// Scrub rewrites every backup at d made before s's newest erasure and
// still holding someone of s's erasure list, without them: it downloads
// and decrypts it next to the database (or in o.TempDir), as Fetch does,
// scrubs the copy (data.Store.ScrubCopy: erased, audit reduced to a
// tombstone, compacted), encrypts it again with passphrase under a fresh
// manifest (the snapshot's date kept) and replaces the old file under the
// same name, through a checked upload under a temporary name and one
// rename or MOVE: at every moment the destination holds the old backup or
// the new one. A backup holding none of them is not rewritten. On
// Nextcloud, the rewritten files' old versions and the trash bin's
// entries of Enlace's backups go too. o.Progress is told StepScrub with
// the backups done of those to look at.
//
// A backup that passphrase or s's data key does not open (made before
// the passphrase was changed, a backup of another database) or that is
// damaged is left alone and listed in Skipped.
//
// On an error the backups not yet rewritten stay as they were and Pending
// says how many were left; calling Scrub again carries on. Errors: those
// of List, Fetch and Backup's upload; ErrWrongPassphrase when o.Check
// refuses passphrase, or when, without o.Check, not one backup opened;
// and ctx's.
func Scrub(ctx context.Context, s *data.Store, d Destination, passphrase string, o *Options) (Scrubbed, error) {
	if o == nil {
		o = &Options{}
	}
	var res Scrubbed
	if passphrase == "" {
		return res, ErrNoPassphrase
	}
	if o.Check != "" {
		if err := VerifyCheck(o.Check, passphrase); err != nil {
			return res, err
		}
	}
	last, cutoff, pending, err := s.ScrubCutoff()
	if err != nil || last.IsZero() {
		return res, err
	}
	r, err := d.remote()
	if err != nil {
		return res, err
	}
	entries, err := r.list(ctx)
	if err != nil {
		return res, err
	}
	var todo []Info
	for _, b := range backups(entries) {
		if b.Time.Before(cutoff) {
			todo = append(todo, b)
		}
	}
	tempDir := o.TempDir
	if tempDir == "" {
		tempDir = filepath.Dir(s.Path())
	}
	report := o.progress(StepScrub, int64(len(todo)))
	nc := d.nextcloud()
	for i, b := range todo {
		if err := ctx.Err(); err != nil {
			res.Pending = len(todo) - i
			return res, err
		}
		n, rewritten, purged, err := scrubOne(ctx, s, r, d, nc, b.Name, passphrase, tempDir, o)
		res.Purged += purged
		switch {
		case unreadable(err):
			// Not a backup the current passphrase and data key open (made
			// before the passphrase changed, of another database, damaged):
			// left alone, and said.
			res.Skipped = append(res.Skipped, b.Name)
		case err != nil:
			res.Pending = len(todo) - i
			return res, fmt.Errorf("limpiar %s: %w", b.Name, err)
		default:
			res.Checked++
		}
		if rewritten {
			res.Rewritten++
			res.People += n
		}
		if report != nil {
			report(int64(i + 1))
		}
	}
	if nc != nil {
		// The trash bin keeps what pruning and replacing removed: backups
		// from before the erasure, and abandoned uploads of them.
		res.Purged += nc.PurgeTrashFunc(func(name string) bool { _, ok := parseName(name); return ok || isTemp(name) })
	}
	if len(res.Skipped) > 0 && res.Checked == 0 && o.Check == "" {
		// Not one opened, and nothing says the passphrase is the one of
		// these backups: most likely it is not.
		res.Pending = len(res.Skipped)
		return res, ErrWrongPassphrase
	}
	if !pending { // else the backups made until the compaction need it too
		res.Upto = last
	}
	return res, nil
}

// unreadable reports whether err says a backup does not open with the
// current passphrase and data key, or is damaged: one a scrub leaves.
func unreadable(err error) bool {
	return errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrCorrupt) || errors.Is(err, data.ErrOtherDatabase)
}

// scrubOne scrubs the backup called name at r and returns how many
// people it erased from it, whether it was rewritten (it may be with no
// one erased: taken before an erasure was compacted, see
// data.Store.ScrubCopy), and how many Nextcloud versions went.
func scrubOne(ctx context.Context, s *data.Store, r remote, d Destination, nc *nextcloud.Folder, name, passphrase, tempDir string, o *Options) (n int, rewritten bool, purged int, err error) {
	quiet := *o
	quiet.Progress = nil
	st, err := Fetch(ctx, d, name, passphrase, filepath.Join(tempDir, "enlace.db"), &quiet)
	if err != nil {
		return 0, false, 0, err
	}
	defer st.Discard()
	clean, err := os.CreateTemp(tempDir, restorePattern)
	if err != nil {
		return 0, false, 0, fmt.Errorf("archivo temporal: %w", classifyLocal(err))
	}
	_ = clean.Close()
	defer os.Remove(clean.Name())
	if n, err = s.ScrubCopy(st.path, clean.Name()); err != nil {
		return 0, false, 0, err
	}
	if fi, err := os.Stat(clean.Name()); err != nil || fi.Size() == 0 {
		return 0, false, 0, nil // nothing to scrub: left as it was
	}
	m, err := data.Inspect(clean.Name())
	if err != nil {
		return 0, false, 0, err
	}
	m.Created = st.Manifest.Created // the same snapshot, less the erased
	enc, size, err := sealFile(clean.Name(), m, passphrase, tempDir, o)
	if err != nil {
		return 0, false, 0, err
	}
	defer os.Remove(enc)
	oldID := ""
	if nc != nil {
		oldID = nc.FileID(name) // the old file's versions, before the MOVE ends it
	}
	if err := r.replace(ctx, name, enc, size, nil); err != nil {
		return 0, false, 0, err
	}
	if nc != nil {
		purged = nc.PurgeVersions(oldID)
		if id := nc.FileID(name); id != oldID {
			purged += nc.PurgeVersions(id)
		}
	}
	return n, true, purged, nil
}

// sealFile writes the database file at path, described by m, as an
// encrypted backup into a new temporary file of dir, and returns its
// name and size.
func sealFile(path string, m data.Manifest, passphrase, dir string, o *Options) (string, int64, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	f, err := os.CreateTemp(dir, encryptedPattern)
	if err != nil {
		return "", 0, fmt.Errorf("archivo temporal: %w", classifyLocal(err))
	}
	ok := false
	defer func() {
		if !ok {
			discard(f)
		}
	}()
	logN := o.WorkFactor
	if logN == 0 {
		logN = DefaultWorkFactor
	}
	out := bufferedSink(f)
	cw := &countWriter{w: out}
	sl, err := newSealer(cw, passphrase, logN, nil)
	if err != nil {
		return "", 0, err
	}
	w, err := sl.begin(m)
	if err == nil {
		_, err = io.Copy(w, in)
	}
	if err != nil {
		sl.abort()
		return "", 0, classifyLocal(err)
	}
	if err := sl.finish(m); err != nil {
		return "", 0, classifyLocal(err)
	}
	if err := out.Flush(); err != nil {
		return "", 0, classifyLocal(err)
	}
	if err := f.Sync(); err != nil {
		return "", 0, classifyLocal(err)
	}
	if err := f.Close(); err != nil {
		return "", 0, classifyLocal(err)
	}
	ok = true
	return f.Name(), cw.n, nil
}

// nextcloud returns the Nextcloud endpoints around d's folder, nil when d
// is not a Nextcloud folder.
func (d Destination) nextcloud() *nextcloud.Folder {
	if d.Kind != KindWebDAV || !strings.Contains(d.URL, "/remote.php/dav/files/") {
		return nil
	}
	return nextcloud.New(d.URL, d.User, d.Password)
}

// ScrubIfDue scrubs d's backups when st says an erasure of s is not yet
// carried there (Statuses.ScrubDue), and records the outcome in st. It
// returns whether it ran. Enlace calls it after each successful backup,
// so that a destination unreachable at the erasure is scrubbed at its
// next backup.
func ScrubIfDue(ctx context.Context, s *data.Store, d Destination, passphrase string, st Statuses, o *Options) (Scrubbed, bool, error) {
	last, err := s.LastErasure()
	if err != nil || !st.ScrubDue(d, last) {
		return Scrubbed{}, false, err
	}
	res, err := Scrub(ctx, s, d, passphrase, o)
	st.RecordScrub(d, res, err)
	return res, true, err
}
