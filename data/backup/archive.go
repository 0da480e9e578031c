package backup

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"

	"github.com/enlace-madrid/enlace/data"
)

// A backup file is an age file (https://age-encryption.org/v1) encrypted
// with an scrypt passphrase, whose plaintext is a zstd-compressed tar
// archive (gzip in backups made before December 2026: compress.go) of three entries: manifest.json (data.Manifest without its SHA-256, plus the
// format), enlace.db (the database file, exactly Manifest.Size bytes) and
// enlace.db.sha256 (the SHA-256, in sha256sum's format). The manifest goes
// first, so that a restore refuses a backup from a newer Enlace before
// downloading the rest; the sum goes last because it is known only once
// the database has been read. In an emergency, standard tools recover the
// database: age -d copia.age | tar --zstd -x && sha256sum -c enlace.db.sha256.
// (Compressing before encrypting makes the backup about ten times
// smaller; that its size says something of how repetitive the data is
// tells nothing useful about any record.)
const (
	formatVersion = 1
	manifestEntry = "manifest.json"
	databaseEntry = "enlace.db"
	sumEntry      = "enlace.db.sha256"

	// DefaultWorkFactor is age's scrypt cost (2^18: about a second and
	// 256 MiB on a laptop), which makes guessing a passphrase from a
	// stolen backup slow.
	DefaultWorkFactor = 18

	// maxWorkFactor is the most a backup may ask of the machine restoring
	// it (2^20: 1 GiB). A file asking for more is refused as damaged.
	maxWorkFactor = 20

	// MinPassphrase is the shortest passphrase accepted for new backups.
	MinPassphrase = 10
)

// header is manifest.json.
type header struct {
	Format int    `json:"format"`
	App    string `json:"app"`
	data.Manifest
}

// sealer writes a backup: begin, the database's bytes, finish.
type sealer struct {
	gate *keyGate
	z    *zstd.Encoder
	tar  *tar.Writer
	date time.Time
}

// newSealer starts an encrypted archive on dst. It derives the key from
// passphrase at 2^logN and writes age's header on a goroutine (keyGate),
// which then calls after (when not nil): the archive can be written at
// once, and the second or so of scrypt overlaps the snapshot.
func newSealer(dst io.Writer, passphrase string, logN int, after func()) (*sealer, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoPassphrase, err)
	}
	r.SetWorkFactor(logN)
	g := newKeyGate(func() (io.WriteCloser, error) { return age.Encrypt(dst, r) }, after)
	z, err := newCompressor(g)
	if err != nil {
		g.abort()
		return nil, fmt.Errorf("comprimir: %w", err)
	}
	return &sealer{gate: g, z: z, tar: tar.NewWriter(z)}, nil
}

// begin writes manifest.json and the header of enlace.db, and returns the
// writer for the database's m.Size bytes.
func (s *sealer) begin(m data.Manifest) (io.Writer, error) {
	m.SHA256 = ""
	man, err := json.MarshalIndent(header{Format: formatVersion, App: "Enlace", Manifest: m}, "", "  ")
	if err != nil {
		return nil, err
	}
	s.date = m.Created
	if err := s.entry(manifestEntry, man); err != nil {
		return nil, err
	}
	if err := s.tar.WriteHeader(s.tarHeader(databaseEntry, m.Size)); err != nil {
		return nil, fmt.Errorf("cifrar: %w", err)
	}
	return s.tar, nil
}

// finish writes enlace.db.sha256 and closes the archive and the age file.
// It fails if the database's bytes fell short of m.Size.
func (s *sealer) finish(m data.Manifest) error {
	if err := s.entry(sumEntry, []byte(m.SHA256+"  "+databaseEntry+"\n")); err != nil {
		return err
	}
	if err := s.tar.Close(); err != nil {
		return fmt.Errorf("cifrar: %w", err)
	}
	if err := s.z.Close(); err != nil {
		return fmt.Errorf("cifrar: %w", err)
	}
	if err := s.gate.Close(); err != nil {
		return fmt.Errorf("cifrar: %w", err)
	}
	return nil
}

// abort ends a backup that will not be finished: it stops the
// compressor's goroutines and waits for the key's, whose output is to be
// thrown away.
func (s *sealer) abort() {
	_ = s.z.Close()
	s.gate.abort()
}

func (s *sealer) entry(name string, b []byte) error {
	if err := s.tar.WriteHeader(s.tarHeader(name, int64(len(b)))); err != nil {
		return fmt.Errorf("cifrar: %w", err)
	}
	if _, err := s.tar.Write(b); err != nil {
		return fmt.Errorf("cifrar: %w", err)
	}
	return nil
}

func (s *sealer) tarHeader(name string, size int64) *tar.Header {
	return &tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: s.date, Format: tar.FormatPAX}
}

// decrypt reads a backup from src, writes the database file to out and
// returns the manifest once the bytes written match its size and SHA-256.
// check, when not nil, sees the manifest before the database is read, and
// can refuse it.
//
// It returns ErrWrongPassphrase, ErrCorrupt (damaged, cut short, not a
// backup, SHA-256 mismatch), data.ErrSchemaTooNew (from check), and src's
// own read errors wrapped as they came (see srcReader).
func decrypt(src io.Reader, passphrase string, out io.Writer, check func(data.Manifest) error, progress func(int64)) (data.Manifest, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return data.Manifest{}, fmt.Errorf("%w: %v", ErrNoPassphrase, err)
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	sr := &srcReader{r: src}
	plain, err := age.Decrypt(sr, id)
	if err != nil {
		return data.Manifest{}, sr.blame(ageHeaderError(err))
	}
	z, err := newDecompressor(plain)
	if err != nil {
		return data.Manifest{}, sr.blame(err)
	}
	defer z.Close()
	tr := tar.NewReader(z)
	m, err := readManifest(tr)
	if err != nil {
		return m, sr.blame(err)
	}
	if check != nil {
		if err := check(m); err != nil {
			return m, err
		}
	}
	th, err := tr.Next()
	if err != nil || th.Name != databaseEntry || th.Size != m.Size {
		return m, sr.blame(fmt.Errorf("%w: falta la base de datos en la copia", ErrCorrupt))
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(localWriter{out}, h), &countReader{r: tr, fn: progress})
	if err != nil {
		var lw *localWriteError
		if errors.As(err, &lw) {
			return m, classifyLocal(lw.err)
		}
		return m, sr.blame(fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	if n != m.Size {
		return m, sr.blame(fmt.Errorf("%w: la base de datos de la copia está incompleta", ErrCorrupt))
	}
	if m.SHA256, err = readSum(tr); err != nil {
		return m, sr.blame(err)
	}
	// The rest of the tar and of the age stream must be there and intact:
	// age authenticates its last chunk only when it is read.
	if _, err := tr.Next(); err != io.EOF {
		return m, sr.blame(fmt.Errorf("%w: datos de más tras la base de datos", ErrCorrupt))
	}
	if _, err := io.Copy(io.Discard, z); err != nil {
		return m, sr.blame(fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return m, fmt.Errorf("%w: la suma SHA-256 no coincide (%s, se esperaba %s)", ErrCorrupt, got, m.SHA256)
	}
	return m, nil
}

// readManifest reads and checks manifest.json, the first entry.
func readManifest(tr *tar.Reader) (data.Manifest, error) {
	th, err := tr.Next()
	if err != nil || th.Name != manifestEntry || th.Size > 64<<10 {
		return data.Manifest{}, fmt.Errorf("%w: no es una copia de Enlace", ErrCorrupt)
	}
	var h header
	if err := json.NewDecoder(tr).Decode(&h); err != nil {
		return data.Manifest{}, fmt.Errorf("%w: manifiesto ilegible: %v", ErrCorrupt, err)
	}
	if h.Format != formatVersion || h.App != "Enlace" {
		if h.Format > formatVersion {
			return h.Manifest, fmt.Errorf("formato de copia %d: %w", h.Format, data.ErrSchemaTooNew)
		}
		return h.Manifest, fmt.Errorf("%w: formato de copia %d desconocido", ErrCorrupt, h.Format)
	}
	if h.Size < 0 {
		return h.Manifest, fmt.Errorf("%w: manifiesto incompleto", ErrCorrupt)
	}
	return h.Manifest, nil
}

// readSum reads enlace.db.sha256, the last entry.
func readSum(tr *tar.Reader) (string, error) {
	th, err := tr.Next()
	if err != nil || th.Name != sumEntry || th.Size > 1024 {
		return "", fmt.Errorf("%w: falta la suma SHA-256", ErrCorrupt)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	sum, _, _ := strings.Cut(string(b), " ")
	if _, err := hex.DecodeString(sum); err != nil || len(sum) != 64 {
		return "", fmt.Errorf("%w: suma SHA-256 ilegible", ErrCorrupt)
	}
	return sum, nil
}

// ageHeaderError tells a wrong passphrase from a file that is not an age
// file at all. (A changed byte in the header also reads as a wrong
// passphrase: age cannot tell them apart, and says so.)
func ageHeaderError(err error) error {
	var nm *age.NoIdentityMatchError
	if errors.As(err, &nm) || errors.Is(err, age.ErrIncorrectIdentity) {
		return fmt.Errorf("%w (%v)", ErrWrongPassphrase, err)
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// srcReader remembers the first error reading the backup's source (other
// than EOF), so that a connection cut mid-download is not reported as a
// damaged backup.
type srcReader struct {
	r   io.Reader
	err error
}

func (s *srcReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// blame returns the source's error when there was one (classified as a
// network or disk error), and otherwise what, the caller's reading of the
// error it got.
func (s *srcReader) blame(what error) error {
	if s.err != nil {
		return classifyNet(s.err)
	}
	return what
}

// countReader reports the running total of bytes read to fn.
type countReader struct {
	r  io.Reader
	n  int64
	fn func(int64)
	at time.Time
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.fn != nil && (err != nil || time.Since(c.at) > 100*time.Millisecond) {
		c.at = time.Now()
		c.fn(c.n)
	}
	return n, err
}

// localWriteError marks an error writing the restored file locally.
type localWriteError struct{ err error }

func (e *localWriteError) Error() string { return e.err.Error() }
func (e *localWriteError) Unwrap() error { return e.err }

// localWriter tags its writer's errors as local ones.
type localWriter struct{ w io.Writer }

func (l localWriter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if err != nil {
		err = &localWriteError{err}
	}
	return n, err
}
