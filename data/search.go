package data

import (
	"container/heap"
	"fmt"
	"slices"
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
	tokens *btree.BTreeG[*posting]
	sorted []int32  // live slots in name order, rebuilt lazily
	dirty  bool     // sorted must be rebuilt
	mark   []uint32 // by slot: the search that last reached it
	rank   []int32  // by slot: position in sorted, -1 when removed
	epoch  uint32
}

// posting is one distinct token and the slots of the people who have it,
// ascending.
type posting struct {
	tok   string
	slots []int32
}

func postingLess(a, b *posting) bool { return a.tok < b.tok }

type indexedCard struct {
	PersonCard
	tokens []string // folded, deduplicated
	key    string   // folded "last first" for name order
}

func newSearchIndex(n int) *searchIndex {
	return &searchIndex{
		cards:  make([]*indexedCard, 0, n),
		slots:  make(map[string]int32, n),
		tokens: btree.NewG[*posting](32, postingLess),
		dirty:  true,
	}
}

// buildIndex reads every card and indexes it.
func (s *Store) buildIndex() error {
	ix, err := s.readIndex()
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.index = ix
	s.ready.Store(true)
	s.mu.Unlock()
	return nil
}

// loadIndex builds the index that Open deferred (Options.DeferIndex), if
// nobody has yet; the callers that read the index call it before taking
// s.mu. The cards are read outside s.mu, so that writers, and readers
// inside a transaction, never wait for a transaction behind it; the
// changes committed meanwhile are applied once it is built (changeIndex).
// Should reading fail, the index stays empty and the next call tries again.
func (s *Store) loadIndex() {
	if s.ready.Load() {
		return
	}
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	if s.ready.Load() {
		return
	}
	s.mu.Lock()
	s.indexing = true
	s.mu.Unlock()
	ix, err := s.readIndex()
	if s.afterRead != nil {
		s.afterRead()
	}
	s.mu.Lock()
	if err == nil {
		for _, change := range s.pending {
			change(ix)
		}
		s.index = ix
		s.ready.Store(true)
	}
	s.indexing, s.pending = false, nil
	s.mu.Unlock()
	if err == nil {
		s.releaseMapped()
	}
}

// changeIndex applies change to the index, holding s.mu for writing. An
// index Open deferred and nobody has built yet has nothing to change (it
// will read the records as committed), unless it is being built: then
// change waits to be applied to the new index. (put and remove can be
// applied twice.)
func (s *Store) changeIndex(change func(*searchIndex)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ready.Load():
		change(s.index)
	case s.indexing:
		s.pending = append(s.pending, change)
	}
}

// readIndex reads every card into a new index.
func (s *Store) readIndex() (*searchIndex, error) {
	var ix *searchIndex
	err := s.view(func(tx *bolt.Tx) error {
		// Decrypting and decoding is most of the work: it runs on every
		// CPU, over the raw values (valid until the transaction ends).
		// (Bucket.Stats would count them by checking every page.)
		var keys, raws [][]byte
		_ = tx.Bucket(bucketCards).ForEach(func(k, v []byte) error {
			keys, raws = append(keys, k), append(raws, v)
			return nil
		})
		ix = newSearchIndex(len(raws))
		byTok := make(map[string][]int32, len(raws))
		cards := make([]PersonCard, len(raws))
		if err := decodeParallel(tx, bucketCards, keys, raws, cards); err != nil {
			return fmt.Errorf("índice: %w", err)
		}
		for _, c := range cards {
			slot, ic := ix.addCard(c)
			for _, t := range ic.tokens {
				byTok[t] = append(byTok[t], slot)
			}
		}
		// Inserting in order is much faster than at random.
		all := make([]*posting, 0, len(byTok))
		for t, slots := range byTok {
			all = append(all, &posting{t, slots})
		}
		slices.SortFunc(all, func(a, b *posting) int { return strings.Compare(a.tok, b.tok) })
		for _, p := range all {
			ix.tokens.ReplaceOrInsert(p)
		}
		ix.resort()
		return nil
	})
	return ix, err
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
	ix.mark = append(ix.mark, 0)
	ix.rank = append(ix.rank, -1)
	ix.slots[c.ID] = slot
	return slot, ic
}

// put adds or replaces the card for c.ID.
func (ix *searchIndex) put(c PersonCard) {
	ix.remove(c.ID)
	slot, ic := ix.addCard(c)
	for _, t := range ic.tokens {
		if p, ok := ix.tokens.Get(&posting{tok: t}); ok {
			p.slots = append(p.slots, slot) // the new slot is the highest
		} else {
			ix.tokens.ReplaceOrInsert(&posting{t, []int32{slot}})
		}
	}
	if !ix.dirty {
		pos, _ := slices.BinarySearchFunc(ix.sorted, slot, func(a, b int32) int { return ix.nameCmp(a, b) })
		ix.sorted = slices.Insert(ix.sorted, pos, slot)
		ix.renumber(pos)
	}
}

// nameCmp orders slots by name, then ID.
func (ix *searchIndex) nameCmp(a, b int32) int {
	ca, cb := ix.cards[a], ix.cards[b]
	if c := strings.Compare(ca.key, cb.key); c != 0 {
		return c
	}
	return strings.Compare(ca.ID, cb.ID)
}

// renumber sets the rank of every slot in sorted from position from on.
func (ix *searchIndex) renumber(from int) {
	for i := from; i < len(ix.sorted); i++ {
		ix.rank[ix.sorted[i]] = int32(i)
	}
}

// resort rebuilds the name order from scratch.
func (ix *searchIndex) resort() {
	ix.sorted = ix.sorted[:0]
	for slot, c := range ix.cards {
		if c != nil {
			ix.sorted = append(ix.sorted, int32(slot))
		}
	}
	slices.SortFunc(ix.sorted, ix.nameCmp)
	ix.renumber(0)
	ix.dirty = false
}

// remove drops the person with id, if present.
func (ix *searchIndex) remove(id string) {
	slot, ok := ix.slots[id]
	if !ok {
		return
	}
	for _, t := range ix.cards[slot].tokens {
		p, ok := ix.tokens.Get(&posting{tok: t})
		if !ok {
			continue
		}
		if i, found := slices.BinarySearch(p.slots, slot); found {
			p.slots = slices.Delete(p.slots, i, i+1)
		}
		if len(p.slots) == 0 {
			ix.tokens.Delete(p)
		}
	}
	if !ix.dirty {
		pos := int(ix.rank[slot])
		ix.sorted = slices.Delete(ix.sorted, pos, pos+1)
		ix.renumber(pos)
	}
	ix.rank[slot] = -1
	ix.cards[slot] = nil
	delete(ix.slots, id)
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
	s.loadIndex()
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
	if len(q) > 1 {
		for i, t := range q {
			n := ix.countPrefix(t, size)
			if size < 0 || n < size {
				driver, size = i, n
			}
		}
	}
	if ix.dirty {
		ix.resort()
	}
	ix.epoch++
	if ix.epoch == 0 { // wrapped: forget every mark
		clear(ix.mark)
		ix.epoch = 1
	}
	top := &hitHeap{}
	total := 0
	ix.tokens.AscendGreaterOrEqual(&posting{tok: q[driver]}, func(p *posting) bool {
		if !strings.HasPrefix(p.tok, q[driver]) {
			return false
		}
		for _, slot := range p.slots {
			if ix.mark[slot] == ix.epoch {
				continue // reached through an earlier token
			}
			ix.mark[slot] = ix.epoch
			ic := ix.cards[slot]
			score, ok := 1, true
			switch {
			case len(q) > 1:
				score, ok = matchScore(ic.tokens, q)
			case p.tok == q[0]: // the exact token sorts before its extensions
				score = 3
			}
			if !ok {
				continue
			}
			total++
			h := rankedHit{ic: ic, score: score, rank: ix.rank[slot]}
			if top.Len() < limit {
				heap.Push(top, h)
			} else if limit > 0 && h.better((*top)[0]) {
				(*top)[0] = h
				heap.Fix(top, 0)
			}
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

// countPrefix counts entries starting with prefix, stopping once it passes
// stop (when stop ≥ 0): only the smallest count matters.
func (ix *searchIndex) countPrefix(prefix string, stop int) int {
	n := 0
	ix.tokens.AscendGreaterOrEqual(&posting{tok: prefix}, func(p *posting) bool {
		if !strings.HasPrefix(p.tok, prefix) || (stop >= 0 && n > stop) {
			return false
		}
		n += len(p.slots)
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
		ix.resort()
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
	rank  int32 // position in name order
}

func (h rankedHit) better(o rankedHit) bool {
	if h.score != o.score {
		return h.score > o.score
	}
	return h.rank < o.rank
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
	s.loadIndex()
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[int32]bool{}
	var out []PersonCard
	consider := func(tok string, match func(*indexedCard) bool) {
		ix := s.index
		post, ok := ix.tokens.Get(&posting{tok: tok})
		if !ok {
			return
		}
		for _, slot := range post.slots {
			c := ix.cards[slot]
			if !seen[slot] && c.ID != p.ID && match(c) {
				seen[slot] = true
				out = append(out, c.PersonCard)
			}
		}
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
