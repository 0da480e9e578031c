package backup

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

func TestPgzipRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, pgzipBlock - 1, pgzipBlock, pgzipBlock + 1, 3*pgzipBlock + 5} {
		in := make([]byte, n)
		for i := range in {
			in[i] = byte('a' + r.IntN(4)) // compressible, not trivially
		}
		var out bytes.Buffer
		z := newPgzip(&out)
		for p := in; len(p) > 0; { // uneven writes
			k := min(len(p), 1+r.IntN(1<<20))
			if _, err := z.Write(p[:k]); err != nil {
				t.Fatal(err)
			}
			p = p[k:]
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			if out.Len() != 0 {
				t.Errorf("empty input wrote %d bytes", out.Len())
			}
			continue
		}
		zr, err := gzip.NewReader(&out)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, in) {
			t.Errorf("%d bytes: round trip gave %d bytes, %v", n, len(got), err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disco lleno") }

func TestPgzipWriteError(t *testing.T) {
	z := newPgzip(failingWriter{})
	var err error
	for i := 0; i < 10 && err == nil; i++ {
		_, err = z.Write(make([]byte, pgzipBlock))
	}
	if cerr := z.Close(); cerr == nil {
		t.Error("Close after a failed write = nil, want the error")
	}
	z2 := newPgzip(io.Discard)
	_, _ = z2.Write([]byte("abc"))
	z2.abort() // returns: no goroutine left waiting
}
