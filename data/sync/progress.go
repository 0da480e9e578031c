package sync

import (
	"bytes"
	"io"
	gosync "sync"
	"time"
)

// Progress is told how far a sync has gone: done of total units of
// stage, one of the Stage constants (total 0 when it is not known: a
// snapshot named by a head written before heads gave its size). Within
// a stage done only grows, never past total, and the stage's last call
// has done == total. It is called from the sync's goroutine (and the
// key fetchers'), at most every progressEvery but for each stage's first
// and last call, so that a window can show it without slowing the sync.
type Progress func(done, total int64, stage string)

// The stages of a sync as Progress names them, in the order a first
// join goes through them, with the unit of their counts. They are
// Spanish, as data speaks; the ui translates them (data.en.json).
const (
	StageHeads    = "Leyendo el estado de los equipos"    // heads read, of the members with one
	StageSnapshot = "Descargando el resumen del espacio"  // bytes of the snapshot
	StageBatches  = "Leyendo los cambios"                 // batches read, of those to read
	StageKeys     = "Recibiendo las claves de las fichas" // key files read (bundles and single keys)
	StageSave     = "Guardando en este equipo"            // people written to the database
	StageHistory  = "Guardando los historiales"           // timeline events written to the database
	StageRecord   = "Anotando lo recibido"                // operations written to the sync file
)

// Stages lists the Stage constants in order (for the ui's translations
// and their tests).
var Stages = []string{StageHeads, StageSnapshot, StageBatches, StageKeys, StageSave, StageHistory, StageRecord}

// progressEvery is the least time between two calls of a Progress
// within a stage: at most 20 a second.
const progressEvery = 50 * time.Millisecond

// meter throttles a Progress; the zero meter (no Progress) does nothing.
type meter struct {
	fn    Progress
	mu    gosync.Mutex
	stage string
	done  int64
	last  time.Time
}

// on reports whether m tells a Progress.
func (m *meter) on() bool { return m != nil && m.fn != nil }

// begin starts stage again: its next count is told even if lower than
// the last (a second snapshot tried, a second round of keys).
func (m *meter) begin(stage string, total int64) {
	if !m.on() {
		return
	}
	m.mu.Lock()
	m.stage = ""
	m.mu.Unlock()
	m.report(stage, 0, total)
}

// report tells fn that done of total of stage are done, unless the last
// call of the same stage was less than progressEvery ago and this is not
// the stage's end. done never goes back within a stage, nor past total.
func (m *meter) report(stage string, done, total int64) {
	if !m.on() {
		return
	}
	m.mu.Lock()
	if total > 0 {
		done = min(done, total)
	}
	now := time.Now()
	switch {
	case stage != m.stage:
		m.stage, m.done = stage, -1
	case done <= m.done, (total <= 0 || done < total) && now.Sub(m.last) < progressEvery:
		m.mu.Unlock()
		return
	}
	m.done, m.last = done, now
	m.mu.Unlock()
	m.fn(done, total, stage)
}

// countingReader tells a meter how many bytes have been read through it.
type countingReader struct {
	r     io.Reader
	n     int64
	total int64
	m     *meter
	stage string
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n > 0 {
		c.m.report(c.stage, c.n, c.total)
	}
	return n, err
}

// readCounted reads path in one GET, as Read does, telling m the bytes
// read of size (0 when not known).
func (r *Remote) readCounted(path string, size int64, m *meter, stage string) ([]byte, error) {
	if !m.on() {
		b, err := r.c.Read(path)
		return b, describe(err)
	}
	m.begin(stage, size)
	rc, err := r.c.ReadStream(path)
	if err != nil {
		return nil, describe(err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if size > 0 {
		buf.Grow(int(size) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(&countingReader{r: rc, total: size, m: m, stage: stage}); err != nil {
		return nil, describe(err)
	}
	if size <= 0 || int64(buf.Len()) != size { // the end, whatever the head said
		m.report(stage, int64(buf.Len()), int64(buf.Len()))
	}
	return buf.Bytes(), nil
}
