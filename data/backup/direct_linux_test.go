package backup

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestDirectWriter: what goes through a directWriter is the file's exact
// content, whole blocks or not, written in age's chunks or in others.
func TestDirectWriter(t *testing.T) {
	sizes := []int{0, 100, directAlign, directChunk, 3*directChunk + 12345, directBufs*directChunk*2 + 1}
	for _, size := range sizes {
		want := make([]byte, size)
		rng := rand.New(rand.NewPCG(uint64(size), 1))
		for i := range want {
			want[i] = byte(rng.Uint32())
		}
		f, err := os.CreateTemp(t.TempDir(), encryptedPattern)
		if err != nil {
			t.Fatal(err)
		}
		w, err := newDirectWriter(f)
		if err != nil {
			t.Skipf("O_DIRECT: %v", err)
		}
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 64<<10+16+rng.IntN(3)*1000) // age's chunks, and others
			if k, err := w.Write(rest[:n]); err != nil || k != n {
				t.Fatalf("size %d: Write = %d, %v", size, k, err)
			}
			rest = rest[n:]
		}
		if err := w.Flush(); err != nil {
			t.Fatalf("size %d: Flush: %v", size, err)
		}
		w.Close()
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("size %d: the file holds %d bytes, not what was written", size, len(got))
		}
	}
	if !linksInto(t.TempDir(), Destination{Kind: KindFolder, Path: filepath.Join(t.TempDir(), "nueva")}) {
		t.Error("linksInto: two folders under the same temporary folder are on one file system")
	}
}
