package backup

import (
	"bytes"
	"io"
	"sync"
)

// maxHeld is how much compressed archive a keyGate holds in memory while
// the key is derived: the database of JSON records compresses to less
// than this in the second scrypt takes; random values fill it sooner, and
// the snapshot then waits for the key.
const maxHeld = 64 << 20

// keyGate is the writer between the compressor and age. Deriving the key
// from the passphrase (scrypt, up to a second of one core) and writing
// age's header happen on a goroutine while the snapshot is already being
// read, hashed and compressed on the other cores: until the key is there
// the compressed bytes are held in memory (never on disk), and then they
// are encrypted ahead of the rest.
type keyGate struct {
	ready chan struct{} // closed once age and err are set
	age   io.WriteCloser
	err   error // from opening age, then the first error writing to it

	mu    sync.Mutex // orders writes: a compressor may write from two goroutines in turn
	held  [][]byte   // copies of what was written before the key, in order
	heldN int        // their bytes
}

// newKeyGate runs open (which derives the key and writes age's header) on
// a goroutine and returns the gate to write the plaintext to. The
// goroutine then runs after, when not nil, which nothing waits for.
func newKeyGate(open func() (io.WriteCloser, error), after func()) *keyGate {
	g := &keyGate{ready: make(chan struct{})}
	go func() {
		g.age, g.err = open()
		close(g.ready)
		if after != nil {
			after()
		}
	}()
	return g
}

// Write encrypts p, or holds it while the key is being derived and less
// than maxHeld is held; past that it waits for the key.
func (g *keyGate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.ready:
	default:
		if g.heldN+len(p) <= maxHeld {
			// One copy per write, never regrown: the compressor writes
			// whole jobs of megabytes, and new memory costs page faults.
			g.held = append(g.held, bytes.Clone(p))
			g.heldN += len(p)
			return len(p), nil
		}
	}
	if err := g.release(); err != nil {
		return 0, err
	}
	n, err := g.age.Write(p)
	if err != nil {
		g.err = err
	}
	return n, err
}

// release waits for the key and encrypts what is held. g.mu is held.
func (g *keyGate) release() error {
	<-g.ready
	for len(g.held) > 0 && g.err == nil {
		_, g.err = g.age.Write(g.held[0])
		g.held[0], g.held = nil, g.held[1:] // encrypted: free it
	}
	g.held, g.heldN = nil, 0
	return g.err
}

// Close waits for the key, encrypts what is held and ends the age file.
// It does not close the file age writes to.
func (g *keyGate) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.release(); err != nil {
		return err
	}
	return g.age.Close()
}

// abort drops what is held and waits for the key's goroutine to end, so
// that nothing writes to age's file afterwards.
func (g *keyGate) abort() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held, g.heldN = nil, 0
	<-g.ready
}
