package sync

import (
	"errors"
	"log"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// keyWorkers is how many key files are fetched or put at once: a first
// join meets every person of the space.
const keyWorkers = 8

// parallel runs do for every name, keyWorkers at a time, and returns the
// first error.
func parallel(names []string, do func(name string) error) error {
	var (
		mu    gosync.Mutex
		first error
		wg    gosync.WaitGroup
	)
	work := make(chan string)
	for range min(keyWorkers, len(names)) {
		wg.Go(func() {
			for name := range work {
				if err := do(name); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	return first
}

// fetchedKey is a key read from the server, and the bundle it came in;
// or, err set, a key file that is there and does not open (altered, or
// not signed by its device): a box that needs it does not open either.
type fetchedKey struct {
	key    []byte
	bundle string
	err    error
}

// splitBundle reads bundleName (or snapBundleName: snap) back.
func splitBundle(name string) (device string, seq uint64, snap bool) {
	rest := strings.TrimPrefix(name, "bundle.")
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return rest, 0, false
	}
	n, snap := strings.CutPrefix(rest[i+1:], "s")
	seq, _ = strconv.ParseUint(n, 16, 64)
	return rest[:i], seq, snap
}

// fetchKeys reads the named keys from the server: first the bundles
// listed, then, one by one, those still missing; a key that is not there
// is left out (its person was erased).
func (in *Install) fetchKeys(need, bundles map[string]bool) (map[string]fetchedKey, error) {
	var mu gosync.Mutex
	got := map[string]fetchedKey{}
	var list []string
	for b := range bundles {
		list = append(list, b)
	}
	var read atomic.Int64 // key files read, for the progress
	total := int64(len(list))
	tick := func() { in.meter.report(StageKeys, read.Add(1), total) }
	if total > 0 {
		in.meter.begin(StageKeys, total)
	}
	err := parallel(list, func(name string) error {
		defer tick()
		ct, err := in.cfg.Remote.GetKey(name)
		if errors.Is(err, errMissing) {
			return nil // deleted by an erasure: each key is in its own file too
		}
		if err != nil {
			return err
		}
		dev, seq, snap := splitBundle(name)
		keys, err := openBundle(ct, in.keys, &in.cfg.Membership, dev, seq, snap)
		if err != nil {
			// Its keys are read one by one instead: a bad bundle holds
			// back no batch whose keys are good.
			log.Printf("sync: el paquete de claves %s no se abre: %v", name, err)
			return nil
		}
		mu.Lock()
		for kn, k := range keys {
			got[kn] = fetchedKey{key: k, bundle: name}
		}
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(need))
	for n := range need {
		if _, ok := got[n]; !ok {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		total += int64(len(names))
		if len(list) == 0 {
			in.meter.begin(StageKeys, total)
		} else {
			in.meter.report(StageKeys, read.Load(), total)
		}
	}
	err = parallel(names, func(name string) error {
		defer tick()
		ct, err := in.cfg.Remote.GetKey(name)
		if errors.Is(err, errMissing) {
			return nil
		}
		if err != nil {
			return err
		}
		person, dev := splitKeyName(name)
		k, err := openKey(ct, in.keys, &in.cfg.Membership, person, dev)
		mu.Lock()
		got[name] = fetchedKey{key: k, err: err} // one that does not open holds back the batch that needs it
		mu.Unlock()
		return nil
	})
	return got, err
}

// keepKeys keeps the keys fetched in the sync file. A bundle that still
// holds the key of a person erased is deleted (it should be gone already).
func (in *Install) keepKeys(tx *bolt.Tx, fetched map[string]fetchedKey, j *Journal) error {
	for name, k := range fetched {
		if k.err != nil {
			continue // did not open: read again when needed
		}
		person, dev := splitKeyName(name)
		if j.erased[person] {
			if k.bundle != "" {
				if err := putShred(tx, []string{k.bundle}); err != nil {
					return err
				}
			}
			continue
		}
		if err := in.putKey(tx, person, dev, k.key, true, k.bundle); err != nil {
			return err
		}
	}
	return nil
}
