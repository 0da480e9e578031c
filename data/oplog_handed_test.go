package data_test

import (
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestHandedOps: what sync takes from the outbox the store keeps, as
// handed to sync, until sync says it is on the server; an erasure drops
// what is handed about the person too (nothing about them leaves the
// install, not even through a sync file lost and made again).
func TestHandedOps(t *testing.T) {
	s := datatest.Open(t, nil)
	if err := s.EnableSync("norte"); err != nil {
		t.Fatal(err)
	}
	keep := data.Person{FirstName: "Daniela", LastName: "Montes Ruiz", DocKind: data.DocPassport, DocNumber: "PA123456"}
	gone := data.Person{FirstName: "Lucía", LastName: "Pardo Gil", DocKind: data.DocPassport, DocNumber: "PB654321"}
	for _, p := range []*data.Person{&keep, &gone} {
		if err := s.CreatePerson(p, "Norte"); err != nil {
			t.Fatal(err)
		}
	}
	ops, err := s.PendingOps()
	if err != nil || len(ops) == 0 {
		t.Fatalf("pending: %d, %v", len(ops), err)
	}
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	if err := s.TakeOps(ids); err != nil {
		t.Fatal(err)
	}
	about := func(person string) (n int) {
		handed, err := s.HandedOps()
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range handed {
			if op.Subject == person || op.Record == person {
				n++
			}
		}
		return n
	}
	if pending, _ := s.PendingOps(); len(pending) != 0 || about(keep.ID) == 0 || about(gone.ID) == 0 {
		t.Fatalf("after TakeOps: %d pending, %d and %d handed about each person", len(pending), about(keep.ID), about(gone.ID))
	}
	if err := s.ErasePerson(gone.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	if about(gone.ID) != 0 || about(keep.ID) == 0 {
		t.Errorf("after the erasure: %d handed about the person erased, %d about the other", about(gone.ID), about(keep.ID))
	}
	if err := s.ShippedOps(ids); err != nil {
		t.Fatal(err)
	}
	if handed, _ := s.HandedOps(); len(handed) != 0 {
		t.Errorf("after ShippedOps, %d still handed", len(handed))
	}
}

// TestKeepHandedOps: operations a sync file holds unsent, given back to
// the store (taken by a sync of a version from before it kept them), are
// kept as handed until ShippedOps; an erasure drops them as it drops what
// TakeOps keeps, and they are not kept again while it waits to be taken.
func TestKeepHandedOps(t *testing.T) {
	s := datatest.Open(t, nil)
	if err := s.EnableSync("norte"); err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Daniela", LastName: "Montes Ruiz", DocKind: data.DocPassport, DocNumber: "PA123456"}
	if err := s.CreatePerson(&p, "Norte"); err != nil {
		t.Fatal(err)
	}
	ops, err := s.PendingOps()
	if err != nil || len(ops) == 0 {
		t.Fatalf("pending: %d, %v", len(ops), err)
	}
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	if err := s.TakeOps(ids); err != nil {
		t.Fatal(err)
	}
	if err := s.ShippedOps(ids); err != nil { // as the older version left it
		t.Fatal(err)
	}
	if err := s.KeepHandedOps(ops); err != nil {
		t.Fatal(err)
	}
	handed, err := s.HandedOps()
	if err != nil || len(handed) != len(ops) || handed[0].Subject != ops[0].Subject {
		t.Fatalf("handed after KeepHandedOps: %+v, %v; want the %d operations", handed, err, len(ops))
	}
	if err := s.ErasePerson(p.ID, "La persona lo pidió por escrito"); err != nil {
		t.Fatal(err)
	}
	// Given again by a sync that read its file before the erasure, whose
	// operation waits in the outbox.
	if err := s.KeepHandedOps(ops); err != nil {
		t.Fatal(err)
	}
	handed, _ = s.HandedOps()
	for _, op := range handed {
		if op.Subject == p.ID || (op.Record == p.ID && op.Kind != data.OpPersonErase) {
			t.Errorf("after the erasure the store keeps %s about the person", op.ID)
		}
	}
}
