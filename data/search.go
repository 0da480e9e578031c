package data

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/google/btree"
	bolt "go.etcd.io/bbolt"
)

// searchIndex finds people by the prefix of any name token, document
// number, phone or e-mail, ignoring case and accents. It lives in memory:
// built at Open from the cards bucket and kept in step with every write.
// The Store's mutex guards it.
type searchIndex struct {
	cards  []*indexedCard   // by slot; nil where a person was removed
	slots  map[string]int32 // person ID → slot
	tokens *btree.BTreeG[entry]
	sorted []int32 // live slots in name order, rebuilt lazily
	dirty  bool    // sorted must be rebuilt
}

type indexedCard struct {
	PersonCard
	tokens []string // folded, deduplicated
	key    string   // folded "last first" for name order
}

// entry is one token of one person in the B-tree.
type entry struct {
	tok  string
	slot int32
}

func entryLess(a, b entry) bool {
	if a.tok != b.tok {
		return a.tok < b.tok
	}
	return a.slot < b.slot
}

func newSearchIndex(n int) *searchIndex {
	return &searchIndex{
		cards:  make([]*indexedCard, 0, n),
		slots:  make(map[string]int32, n),
		tokens: btree.NewG[entry](32, entryLess),
		dirty:  true,
	}
}

// buildIndex reads every card and indexes it.
func (s *Store) buildIndex() error {
	var ix *searchIndex
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCards)
		ix = newSearchIndex(b.Stats().KeyN)
		var all []entry
		err := b.ForEach(func(k, v []byte) error {
			var c PersonCard
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("índice, persona %s: %w", k, err)
			}
			slot, ic := ix.addCard(c)
			for _, t := range ic.tokens {
				all = append(all, entry{t, slot})
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Inserting in order is much faster than at random.
		sort.Slice(all, func(i, j int) bool { return entryLess(all[i], all[j]) })
		for _, e := range all {
			ix.tokens.ReplaceOrInsert(e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.index = ix
	s.mu.Unlock()
	return nil
}

func (ix *searchIndex) len() int { return len(ix.slots) }

func (ix *searchIndex) card(id string) (PersonCard, bool) {
	slot, ok := ix.slots[id]
	if !ok {
		return PersonCard{}, false
	}
	return ix.cards[slot].PersonCard, true
}

// addCard stores c in a new slot without touching the token tree.
func (ix *searchIndex) addCard(c PersonCard) (int32, *indexedCard) {
	ic := &indexedCard{PersonCard: c, tokens: cardTokens(&c), key: Fold(c.LastName + " " + c.FirstName)}
	slot := int32(len(ix.cards))
	ix.cards = append(ix.cards, ic)
	ix.slots[c.ID] = slot
	ix.dirty = true
	return slot, ic
}

// put adds or replaces the card for c.ID.
func (ix *searchIndex) put(c PersonCard) {
	ix.remove(c.ID)
	slot, ic := ix.addCard(c)
	for _, t := range ic.tokens {
		ix.tokens.ReplaceOrInsert(entry{t, slot})
	}
}

// remove drops the person with id, if present.
func (ix *searchIndex) remove(id string) {
	slot, ok := ix.slots[id]
	if !ok {
		return
	}
	for _, t := range ix.cards[slot].tokens {
		ix.tokens.Delete(entry{t, slot})
	}
	ix.cards[slot] = nil
	delete(ix.slots, id)
	ix.dirty = true
}

// cardTokens returns the folded tokens a person can be found by.
func cardTokens(c *PersonCard) []string {
	toks := Tokens(c.FirstName + " " + c.LastName)
	for _, v := range []string{c.DocNumber, c.Phone1, c.Phone2, c.Email} {
		if v != "" {
			toks = append(toks, strings.ToLower(strings.TrimPrefix(v, "+")))
		}
	}
	sort.Strings(toks)
	out := toks[:0]
	for i, t := range toks {
		if t != "" && (i == 0 || t != toks[i-1]) {
			out = append(out, t)
		}
	}
	return out
}

// Hit is one search result: the card and how well it matched.
type Hit struct {
	PersonCard
	Score int
}

// Search returns up to limit people matching query, best first, and how
// many matched in all. Every word of the query must be the start of one of
// the person's words (name, surnames), or of their document number, phone
// or e-mail. Exact words rank above prefixes; ties go in name order.
// An empty query lists everyone in name order.
func (s *Store) Search(query string, limit int) ([]Hit, int) {
	s.mu.Lock() // sorting order may be rebuilt
	defer s.mu.Unlock()
	return s.index.search(query, limit)
}

func (ix *searchIndex) search(query string, limit int) ([]Hit, int) {
	q := queryTokens(query)
	if len(q) == 0 {
		return ix.all(limit)
	}
	// Drive the search by the query word with the fewest matches.
	driver, size := 0, -1
	for i, t := range q {
		n := ix.countPrefix(t, size)
		if size < 0 || n < size {
			driver, size = i, n
		}
	}
	top := &hitHeap{}
	total := 0
	ix.tokens.AscendGreaterOrEqual(entry{tok: q[driver]}, func(e entry) bool {
		if !strings.HasPrefix(e.tok, q[driver]) {
			return false
		}
		ic := ix.cards[e.slot]
		if ix.isDuplicateVisit(e, q[driver]) {
			return true
		}
		score, ok := matchScore(ic.tokens, q)
		if !ok {
			return true
		}
		total++
		h := rankedHit{ic: ic, score: score}
		if top.Len() < limit {
			heap.Push(top, h)
		} else if limit > 0 && h.better((*top)[0]) {
			(*top)[0] = h
			heap.Fix(top, 0)
		}
		return true
	})
	out := make([]Hit, top.Len())
	for i := len(out) - 1; i >= 0; i-- {
		h := heap.Pop(top).(rankedHit)
		out[i] = Hit{PersonCard: h.ic.PersonCard, Score: h.score}
	}
	return out, total
}

// isDuplicateVisit reports whether the driver prefix already reached this
// slot through an earlier (shorter or equal) token of the same person, so
// each person is counted once.
func (ix *searchIndex) isDuplicateVisit(e entry, prefix string) bool {
	for _, t := range ix.cards[e.slot].tokens {
		if t == e.tok {
			return false
		}
		if strings.HasPrefix(t, prefix) && t < e.tok {
			return true
		}
	}
	return false
}

// countPrefix counts entries starting with prefix, stopping once it passes
// stop (when stop ≥ 0): only the smallest count matters.
func (ix *searchIndex) countPrefix(prefix string, stop int) int {
	n := 0
	ix.tokens.AscendGreaterOrEqual(entry{tok: prefix}, func(e entry) bool {
		if !strings.HasPrefix(e.tok, prefix) || (stop >= 0 && n > stop) {
			return false
		}
		n++
		return true
	})
	return n
}

// matchScore gives 3 points for each query word equal to one of the
// person's words and 1 for each that is only a prefix; ok is false when
// some query word matches nothing.
func matchScore(tokens, q []string) (score int, ok bool) {
	for _, w := range q {
		best := 0
		for _, t := range tokens {
			if t == w {
				best = 3
				break
			}
			if strings.HasPrefix(t, w) {
				best = 1
			}
		}
		if best == 0 {
			return 0, false
		}
		score += best
	}
	return score, true
}

// queryTokens folds the query into words. A query that is all digits and
// separators (a phone typed "917 58 14 37") becomes one word.
func queryTokens(query string) []string {
	q := Tokens(query)
	for i, t := range q {
		q[i] = strings.TrimPrefix(t, "+")
	}
	if len(q) > 1 {
		joined := strings.Join(q, "")
		if strings.IndexFunc(joined, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			return []string{joined}
		}
	}
	return q
}

// all lists everyone in name order.
func (ix *searchIndex) all(limit int) ([]Hit, int) {
	if ix.dirty {
		ix.sorted = ix.sorted[:0]
		for slot, c := range ix.cards {
			if c != nil {
				ix.sorted = append(ix.sorted, int32(slot))
			}
		}
		sort.Slice(ix.sorted, func(i, j int) bool {
			a, b := ix.cards[ix.sorted[i]], ix.cards[ix.sorted[j]]
			if a.key != b.key {
				return a.key < b.key
			}
			return a.ID < b.ID
		})
		ix.dirty = false
	}
	n := min(limit, len(ix.sorted))
	out := make([]Hit, n)
	for i := range out {
		out[i] = Hit{PersonCard: ix.cards[ix.sorted[i]].PersonCard}
	}
	return out, len(ix.sorted)
}

// rankedHit orders results: higher score first, then name order.
type rankedHit struct {
	ic    *indexedCard
	score int
}

func (h rankedHit) better(o rankedHit) bool {
	if h.score != o.score {
		return h.score > o.score
	}
	if h.ic.key != o.ic.key {
		return h.ic.key < o.ic.key
	}
	return h.ic.ID < o.ic.ID
}

// hitHeap is a min-heap on rank: its root is the worst of the kept hits.
type hitHeap []rankedHit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return h[j].better(h[i]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(rankedHit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// FindDuplicates returns the people who look like p: the same document
// number, or the same name and birth date. p itself (by ID) is left out.
func (s *Store) FindDuplicates(p *Person) []PersonCard {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[int32]bool{}
	var out []PersonCard
	consider := func(tok string, match func(*indexedCard) bool) {
		ix := s.index
		ix.tokens.AscendGreaterOrEqual(entry{tok: tok}, func(e entry) bool {
			if e.tok != tok {
				return false
			}
			c := ix.cards[e.slot]
			if !seen[e.slot] && c.ID != p.ID && match(c) {
				seen[e.slot] = true
				out = append(out, c.PersonCard)
			}
			return true
		})
	}
	if doc := NormalizeDocNumber(p.DocNumber); doc != "" {
		consider(strings.ToLower(doc), func(c *indexedCard) bool { return c.DocNumber == doc })
	}
	if name := Tokens(p.FirstName); len(name) > 0 && !p.BirthDate.IsZero() {
		full := Fold(p.FirstName + " " + p.LastName)
		consider(name[0], func(c *indexedCard) bool {
			return c.BirthDate == p.BirthDate && Fold(c.FirstName+" "+c.LastName) == full
		})
	}
	return out
}
