package data

import (
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// countPages, which a snapshot's manifest uses, counts what Bucket.Stats
// counts (countTx, which Inspect uses and a restore compares with): on a
// new file, whose buckets are inline, and on one whose events make a tree
// of three levels, with values spilling over several pages and the pages
// of erased people freed.
func TestCountPages(t *testing.T) {
	s, _ := openTest(t)
	same := func(what string, want Counts) {
		t.Helper()
		err := s.view(func(tx *bolt.Tx) error {
			got, err := countPages(tx)
			if err != nil {
				return err
			}
			if stats := countTx(tx); got != stats || got != want {
				t.Errorf("%s: countPages = %+v, Bucket.Stats = %+v, want %+v", what, got, stats, want)
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: countPages: %v", what, err)
		}
	}
	same("new file", Counts{})

	const people, events = 1500, 12
	var ids []string
	err := s.Batch("Ana", func(b *Batch) error {
		for i := range people {
			p := Person{FirstName: "Persona", LastName: fmt.Sprintf("Número %d", i)}
			if err := b.CreatePerson(&p); err != nil {
				return err
			}
			ids = append(ids, p.ID)
			for j := range events {
				text := fmt.Sprintf("Entrevista %d de %d", j, i)
				if j == 0 && i%100 == 0 {
					text = strings.Repeat("Una nota muy larga. ", 1000) // 20 kB: overflow pages
				}
				e := Event{PersonID: p.ID, At: fixedNow.Add(-time.Duration(j) * time.Hour), Kind: EventNote, Text: text}
				if err := b.AddEvent(&e); err != nil {
					return err
				}
			}
		}
		o := Office{Name: "Oficina de prueba", Org: OrgOMIOPI}
		return b.SaveOffice(&o)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:100] {
		if err := s.ErasePerson(id, "Lo pide por escrito"); err != nil {
			t.Fatal(err)
		}
	}
	var depth int
	_ = s.view(func(tx *bolt.Tx) error {
		depth = tx.Bucket(bucketEvents).Stats().Depth
		return nil
	})
	if depth < 3 {
		t.Fatalf("the events make a tree of %d levels: too few to test branches of branches", depth)
	}
	same("after writing and erasing", Counts{People: people - 100, Events: (people - 100) * events, Offices: 1})
}
