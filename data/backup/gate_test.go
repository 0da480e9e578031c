package backup

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// nopCloser is a buffer that records being closed.
type nopCloser struct {
	bytes.Buffer
	closed bool
}

func (n *nopCloser) Close() error { n.closed = true; return nil }

// TestKeyGate: before the key is ready, writes are held in memory, in
// order, up to maxHeld; past that a write waits for the key; once it is
// ready, what was held goes first.
func TestKeyGate(t *testing.T) {
	key := make(chan struct{})
	out := &nopCloser{}
	g := newKeyGate(func() (io.WriteCloser, error) { <-key; return out, nil }, nil)
	for _, s := range []string{"uno ", "dos "} {
		if _, err := g.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	big := bytes.Repeat([]byte{'x'}, maxHeld)
	wrote := make(chan error, 1)
	go func() { _, err := g.Write(big); wrote <- err }()
	select {
	case err := <-wrote:
		t.Fatalf("a write past maxHeld returned (%v) before the key was ready", err)
	case <-time.After(50 * time.Millisecond):
	}
	if out.Len() != 0 {
		t.Fatalf("%d bytes reached age before the key", out.Len())
	}
	close(key)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if _, err := g.Write([]byte(" tres")); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil || !out.closed {
		t.Fatalf("Close = %v, closed %v", err, out.closed)
	}
	want := "uno dos " + string(big) + " tres"
	if out.String() != want {
		t.Errorf("age got %d bytes, want %d in order", out.Len(), len(want))
	}
}

// TestKeyGateError: an error deriving the key is what every write and
// Close return.
func TestKeyGateError(t *testing.T) {
	bad := errors.New("sin clave")
	g := newKeyGate(func() (io.WriteCloser, error) { return nil, bad }, nil)
	<-g.ready
	if _, err := g.Write([]byte("x")); !errors.Is(err, bad) {
		t.Errorf("Write = %v, want %v", err, bad)
	}
	if err := g.Close(); !errors.Is(err, bad) {
		t.Errorf("Close = %v, want %v", err, bad)
	}
}
