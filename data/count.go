package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// countSnapshot counts the records of each kind that tx sees, as countTx
// does, for a snapshot. countTx's Bucket.Stats reaches every page through
// bbolt's memory map, and on a large file the first touch of each of
// those pages costs more than the rest of counting (0.2–0.3 s of a core
// for the 100,000 pages of 50,000 people, against 25 ms once touched):
// countPages reads the same pages' headers with pread, as the snapshot
// then reads the file, in runs of neighbouring pages. Should it meet a
// page it does not expect, countTx counts instead.
func countSnapshot(tx *bolt.Tx) Counts {
	if c, err := countPages(tx); err == nil {
		return c
	}
	return countTx(tx)
}

// bbolt's page layout (internal/common), in the machine's byte order: a
// 16-byte header (id uint64, flags uint16, count uint16, overflow uint32),
// then count elements of 16 bytes; a branch element ends with its child's
// page id, a leaf element starts with its flags.
const (
	pageHeader     = 16
	elementSize    = 16
	branchPageFlag = 0x01
	leafPageFlag   = 0x02
	bucketLeafFlag = 0x01
	maxRun         = 256 // pages read at once
	maxGap         = 8   // pages between two wanted ones read through rather than skipped
)

var errUnexpectedPage = errors.New("página inesperada")

// countPages counts the keys of the counted buckets from the file's page
// headers. The pages a read transaction reaches are never rewritten while
// it is open, so reading them from the file is as consistent as the
// memory map (bbolt's Tx.WriteTo reads the file the same way).
func countPages(tx *bolt.Tx) (Counts, error) {
	f, err := os.Open(tx.DB().Path())
	if err != nil {
		return Counts{}, err
	}
	defer f.Close()
	r := &pageReader{f: f, size: int(tx.DB().Info().PageSize)}
	var c Counts
	for _, k := range c.buckets() {
		b := tx.Bucket(k.name)
		switch {
		case b == nil:
		case b.Root() == 0: // inline: its keys live in its parent's page, already read
			*k.n = b.Stats().KeyN
		default:
			if *k.n, err = r.keys(uint64(b.Root())); err != nil {
				return c, fmt.Errorf("contar %s: %w", k.name, err)
			}
		}
	}
	return c, nil
}

type pageReader struct {
	f    *os.File
	size int // bytes in a page
	buf  []byte
}

// keys counts the keys of the B+tree whose root page is root, level by
// level: every branch level's children make the next level, and the
// leaves, all on the last one, say how many keys they hold. A leaf holding
// a nested bucket is unexpected (Bucket.Stats would count its keys too).
func (r *pageReader) keys(root uint64) (int, error) {
	level, n := []uint64{root}, 0
	for len(level) > 0 {
		slices.Sort(level)
		var next []uint64
		err := r.each(level, func(id uint64, p []byte) error {
			ne := binary.NativeEndian
			flags, count := ne.Uint16(p[8:]), int(ne.Uint16(p[10:]))
			if ne.Uint64(p) != id {
				return errUnexpectedPage
			}
			if len(p) < pageHeader+count*elementSize {
				var err error
				if p, err = r.whole(id, p); err != nil {
					return err
				}
			}
			switch flags {
			case branchPageFlag:
				for i := 0; i < count; i++ {
					next = append(next, ne.Uint64(p[pageHeader+i*elementSize+8:]))
				}
			case leafPageFlag:
				for i := 0; i < count; i++ {
					if ne.Uint32(p[pageHeader+i*elementSize:])&bucketLeafFlag != 0 {
						return errUnexpectedPage
					}
				}
				n += count
			default:
				return errUnexpectedPage
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		level = next
	}
	return n, nil
}

// each reads the pages ids (sorted) in runs of neighbours and calls fn
// with each one's bytes as far as the run holds them (at least its first
// page).
func (r *pageReader) each(ids []uint64, fn func(id uint64, p []byte) error) error {
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j]-ids[j-1] <= maxGap && ids[j]-ids[i] < maxRun {
			j++
		}
		first, last := ids[i], ids[j-1]
		buf, err := r.read(first, int(last-first)+1)
		if err != nil {
			return err
		}
		for _, id := range ids[i:j] {
			if err := fn(id, buf[int(id-first)*r.size:]); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// whole reads page id with its overflow pages, when p (its start) is too
// short for its elements.
func (r *pageReader) whole(id uint64, p []byte) ([]byte, error) {
	overflow := int(binary.NativeEndian.Uint32(p[12:]))
	out := make([]byte, (overflow+1)*r.size)
	if _, err := r.f.ReadAt(out, int64(id)*int64(r.size)); err != nil {
		return nil, err
	}
	return out, nil
}

// read reads n pages from page id into r's buffer.
func (r *pageReader) read(id uint64, n int) ([]byte, error) {
	if cap(r.buf) < n*r.size {
		r.buf = make([]byte, maxRun*r.size)
	}
	b := r.buf[:n*r.size]
	if _, err := r.f.ReadAt(b, int64(id)*int64(r.size)); err != nil {
		return nil, err
	}
	return b, nil
}
