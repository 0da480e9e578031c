package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"filippo.io/age"
)

// goldenGzip is a backup made by the gzip code of November 2026 (12
// demonstration people, seed 7, scrypt 2^10, testPassphrase), and what its
// manifest said.
const (
	goldenGzip       = "testdata/gzip-backup.age"
	goldenGzipName   = "enlace-20261125T100000Z.age"
	goldenGzipSHA256 = "8872298f59aae6647d0e88b2502d9c8bf76b36934dc21d1de7e17ae33afa43a3"
)

// ageOpen decrypts an age file made with testPassphrase.
func ageOpen(t testing.TB, b []byte) []byte {
	t.Helper()
	id, err := age.NewScryptIdentity(testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(b), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// ageSeal encrypts plain with testPassphrase at scrypt 2^10.
func ageSeal(t testing.TB, plain []byte) []byte {
	t.Helper()
	r, err := age.NewScryptRecipient(testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err == nil {
		_, err = w.Write(plain)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// twoMembers recompresses the gzip stream gz as two gzip members, cut in
// the middle, as the old code wrote databases over 4 MiB.
func twoMembers(t testing.TB, gz []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	archive, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, part := range [][]byte{archive[:len(archive)/2], archive[len(archive)/2:]} {
		zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
		if _, err := zw.Write(part); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out.Bytes()
}

// TestRestoreOldGzipBackups restores backups made before zstd: the file the
// gzip code wrote, and the same archive in two gzip members. A plaintext
// that is neither zstd nor gzip is refused as damaged.
func TestRestoreOldGzipBackups(t *testing.T) {
	golden, err := os.ReadFile(goldenGzip)
	if err != nil {
		t.Fatal(err)
	}
	gz := ageOpen(t, golden)
	if !bytes.HasPrefix(gz, gzipMagic) {
		t.Fatalf("%s does not hold gzip: % x", goldenGzip, gz[:4])
	}
	for _, tc := range []struct {
		name string
		file []byte
		want error
	}{
		{"gzip, as written", golden, nil},
		{"gzip, two members", ageSeal(t, twoMembers(t, gz)), nil},
		{"not compressed", ageSeal(t, []byte("manifest.json")), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, goldenGzipName), tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			dbPath := filepath.Join(t.TempDir(), "enlace.db")
			got, err := Restore(context.Background(), Destination{Kind: KindFolder, Path: dir}, goldenGzipName, testPassphrase, dbPath, fastOpts())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Restore = %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				noTempFiles(t, filepath.Dir(dbPath))
				return
			}
			if got.Manifest.SHA256 != goldenGzipSHA256 || got.Manifest.Counts.People != 12 {
				t.Errorf("restored %+v, want 12 people and SHA-256 %s", got.Manifest, goldenGzipSHA256)
			}
			if h := fileHash(t, dbPath); hex.EncodeToString(h[:]) != goldenGzipSHA256 {
				t.Errorf("restored file's SHA-256 is %x", h)
			}
		})
	}
}

// TestNewBackupIsZstd: a new backup holds a zstd stream, restores to the
// same bytes, and opens with the standard tools the README names for an
// emergency (tar --zstd, which runs the zstd command; skipped without it).
func TestNewBackupIsZstd(t *testing.T) {
	dir := t.TempDir()
	s := testStore(t, 200)
	res, err := Backup(context.Background(), s, Destination{Kind: KindFolder, Path: dir}, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, res.Info.Name))
	if err != nil {
		t.Fatal(err)
	}
	plain := ageOpen(t, raw)
	if !bytes.HasPrefix(plain, zstdMagic) {
		t.Fatalf("new backup's plaintext starts % x, want zstd's magic", plain[:4])
	}
	st, err := Fetch(context.Background(), Destination{Kind: KindFolder, Path: dir}, res.Info.Name, testPassphrase, filepath.Join(t.TempDir(), "enlace.db"), fastOpts())
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	st.Discard()
	if st.Manifest != res.Manifest {
		t.Errorf("fetched %+v, backed up %+v", st.Manifest, res.Manifest)
	}
	emergencyExtract(t, plain, res.Manifest.SHA256)
}

// emergencyExtract runs the README's emergency commands on a backup's
// plaintext (what `age -d` prints), `tar --zstd -x` and `zstd -d | tar x`,
// and checks enlace.db against enlace.db.sha256 with sha256sum -c.
func emergencyExtract(t *testing.T, plain []byte, sum string) {
	if _, err := exec.LookPath("zstd"); err != nil {
		t.Skipf("the zstd command is not installed: %v", err)
	}
	for _, command := range []string{"tar --zstd -x", "zstd -d | tar x"} {
		t.Run(command, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command("sh", "-c", command)
			cmd.Dir, cmd.Stdin = out, bytes.NewReader(plain)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", command, err, b)
			}
			db, err := os.ReadFile(filepath.Join(out, databaseEntry))
			if err != nil {
				t.Fatal(err)
			}
			if h := sha256.Sum256(db); hex.EncodeToString(h[:]) != sum {
				t.Errorf("extracted enlace.db has SHA-256 %x, the manifest says %s", h, sum)
			}
			check := exec.Command("sha256sum", "-c", sumEntry)
			check.Dir = out
			if b, err := check.CombinedOutput(); err != nil {
				t.Errorf("sha256sum -c: %v\n%s", err, b)
			}
		})
	}
}

// TestSealerEntries: the archive is manifest.json, enlace.db and its sum,
// in that order, whatever the compressor.
func TestSealerEntries(t *testing.T) {
	s := testStore(t, 20)
	var buf bytes.Buffer
	sl, err := newSealer(&buf, testPassphrase, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.SnapshotFunc(sl.begin)
	if err == nil {
		err = sl.finish(m)
	}
	if err != nil {
		t.Fatal(err)
	}
	z, err := newDecompressor(bytes.NewReader(ageOpen(t, buf.Bytes())))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	tr := tar.NewReader(z)
	var names []string
	for {
		th, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if th.Mode != 0o600 {
			t.Errorf("%s: mode %o, want 0600", th.Name, th.Mode)
		}
		names = append(names, th.Name)
	}
	if want := []string{manifestEntry, databaseEntry, sumEntry}; !slices.Equal(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}
}
