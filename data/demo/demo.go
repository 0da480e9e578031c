// Package demo fills a store with a demonstration database: the real
// offices of the pilot with their published contacts, fictional staff, and
// fictional but realistic people with their timelines. It is what
// `enlace demo` writes and what the benchmarks measure.
//
// Everything is drawn from seeded random streams, one per person, so the
// same seed gives the same people, documents and phones whatever the day;
// with the same Now too, the same dates and timelines. IDs and write stamps
// come from the store and differ from run to run.
package demo

import (
	"fmt"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Options configure Populate. The zero value gives 200 people with about
// 8 events each, seed 0.
type Options struct {
	// People is how many people to add. Zero means 200.
	People int

	// EventsPerPerson is the average number of timeline events per person;
	// each person gets between half and one and a half times as many.
	// Zero means 8; a negative number means none.
	EventsPerPerson int

	// Seed picks the random streams: the same seed gives the same people.
	Seed uint64

	// Author writes the offices and staff. Empty means
	// "Generador de demostración". People and their events are written by
	// the fictional staff who referred them or followed them up.
	Author string

	// Now bounds the dates drawn: every event happens no later than Now.
	// Zero means the store's clock.
	Now time.Time

	// Progress, when set, is called after each batch with how many people
	// have been written out of how many.
	Progress func(done, total int)

	// Referrals is how many referrals to propose and move along the
	// procedure. Zero means a quarter of People, at most 80; negative none.
	Referrals int
}

// Summary counts what Populate wrote.
type Summary struct {
	Offices   int // offices created (an office already stored under the same name is reused)
	Staff     int // staff created (reused by e-mail likewise)
	People    int
	Events    int
	Referrals int
}

// chunkSize is how many people, with their events, one round of batches
// writes: large enough to amortise commits, small enough to keep each
// transaction's dirty pages in a few megabytes.
const chunkSize = 1000

// Populate adds the demonstration records to s: the pilot's four offices
// (reused when already stored), nine fictional staff and opt.People people
// with their timelines. People are written in rounds of a thousand, one
// transaction per author, so it scales to 100,000 people; on an error the
// rounds already written stay. It returns what it wrote and the first
// error, such as data.ErrReadOnly or a *data.ValidationError (a bug here).
func Populate(s *data.Store, opt Options) (Summary, error) {
	opt = opt.withDefaults(s)
	var sum Summary
	t, offices, staff, err := setUpTeam(s, opt.Author)
	if err != nil {
		return sum, fmt.Errorf("demostración: %w", err)
	}
	sum.Offices, sum.Staff = offices, staff

	// One goroutine draws the chunks while this one writes them: drawing
	// is about a third of the work and the two overlap on two cores.
	chunks := make(chan *chunk, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(chunks)
		g := newGen(opt.Seed, opt.Now, t)
		for first := 0; first < opt.People; first += chunkSize {
			c := g.chunk(first, min(chunkSize, opt.People-first), opt.EventsPerPerson)
			select {
			case chunks <- c:
			case <-done:
				return
			}
		}
	}()
	for c := range chunks {
		if err := writeChunk(s, t, c); err != nil {
			return sum, fmt.Errorf("demostración, personas %d a %d: %w", sum.People+1, sum.People+len(c.people), err)
		}
		sum.People += len(c.people)
		sum.Events += len(c.events)
		if opt.Progress != nil {
			opt.Progress(sum.People, opt.People)
		}
	}
	sum.Referrals, err = addReferrals(s, t, opt.Referrals, opt.Seed)
	if err == nil && opt.People >= opt.Referrals+riParticipants {
		err = addRIProject(s, t, opt.Referrals)
	}
	return sum, err
}

func (opt Options) withDefaults(s *data.Store) Options {
	if opt.People <= 0 {
		opt.People = 200
	}
	switch {
	case opt.EventsPerPerson == 0:
		opt.EventsPerPerson = 8
	case opt.EventsPerPerson < 0:
		opt.EventsPerPerson = 0
	}
	switch {
	case opt.Referrals == 0:
		opt.Referrals = min(opt.People/4, 80)
	case opt.Referrals < 0:
		opt.Referrals = 0
	}
	if opt.Author == "" {
		opt.Author = "Generador de demostración"
	}
	if opt.Now.IsZero() {
		opt.Now = s.Now()
	}
	return opt
}

// chunk is a round of people and their events, drawn but not yet stored.
type chunk struct {
	people []data.Person
	by     []int // staff index of who referred each person (and writes the record)
	events []plannedEvent
}

// chunk draws n people, the first being the run's person number first.
func (g *gen) chunk(first, n, avgEvents int) *chunk {
	c := &chunk{
		people: make([]data.Person, n),
		by:     make([]int, n),
		events: make([]plannedEvent, 0, n*avgEvents+n),
	}
	for i := range n {
		p, pl := g.person(first + i)
		c.events = g.timeline(&p, pl, avgEvents, i, c.events)
		c.people[i], c.by[i] = p, pl.referrer
	}
	return c
}

// writeChunk stores a chunk: first each author's people, then each
// author's events, one transaction per author so that every record and
// event carries the name of the staff member who wrote it.
func writeChunk(s *data.Store, t *team, c *chunk) error {
	people := make([]int, len(t.staff))
	events := make([]int, len(t.staff))
	for _, a := range c.by {
		people[a]++
	}
	for i := range c.events {
		events[c.events[i].author]++
	}
	for a := range t.staff {
		if people[a] == 0 {
			continue
		}
		err := s.Batch(t.staff[a].Name, func(b *data.Batch) error {
			for i := range c.people {
				if c.by[i] != a {
					continue
				}
				if err := b.CreatePerson(&c.people[i]); err != nil {
					return fmt.Errorf("%s: %w", c.people[i].FullName(), err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for a := range t.staff {
		if events[a] == 0 {
			continue
		}
		err := s.Batch(t.staff[a].Name, func(b *data.Batch) error {
			for i := range c.events {
				pe := &c.events[i]
				if pe.author != a {
					continue
				}
				pe.e.PersonID = c.people[pe.person].ID
				if err := b.AddEvent(&pe.e); err != nil {
					return fmt.Errorf("evento de %s: %w", c.people[pe.person].FullName(), err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
