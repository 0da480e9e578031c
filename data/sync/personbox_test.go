package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// boxedBatch is a batch of format 3 of rosa's and luis's operations and
// one that carries no personal data (a record's), and the people's keys.
func boxedBatch(t *testing.T) (Batch, []data.Op, map[string][]byte) {
	t.Helper()
	m := newMaker("a", "u-a")
	ops := []data.Op{m.set("rosa", "name", "Rosa Quiroga"), m.event("e1", "luis", "Nota de Luis"),
		m.event("e2", "rosa", "Nota de Rosa"), m.op(data.OpRecordSet, "lugar", "")}
	keys := map[string][]byte{}
	b := Batch{V: batchV3, Space: "espacio", Device: "a", Seq: 1, Ops: make([]data.Op, len(ops))}
	copy(b.Ops, ops)
	for _, p := range []string{"rosa", "luis"} {
		k, err := newPersonKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[p] = k
		var idx []int
		var group []data.Op
		for i, op := range ops {
			if personOf(op) == p {
				idx, group = append(idx, i), append(group, op)
			}
		}
		boxed, pb, err := sealPerson(b.Space, p, "a", k, group)
		if err != nil {
			t.Fatal(err)
		}
		for j, i := range idx {
			b.Ops[i] = boxed[j]
		}
		b.People = append(b.People, pb)
	}
	return b, ops, keys
}

func keysOf(keys map[string][]byte) KeyFunc {
	return func(person, dev string) ([]byte, error) {
		if k, ok := keys[person]; ok && dev == "a" {
			return k, nil
		}
		return nil, errKeyGone
	}
}

// TestPersonBoxes: a batch of format 3 holds one box per person, reads
// back through its JSON, shows no payload outside the boxes, and opens to
// the very operations; a box altered, moved or opened with another's key
// does not open.
func TestPersonBoxes(t *testing.T) {
	b, ops, keys := boxedBatch(t)
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Quiroga", "Nota de"} {
		if bytes.Contains(raw, []byte(w)) {
			t.Errorf("the batch shows %q outside its boxes: %s", w, raw)
		}
	}
	var back Batch
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.People) != 2 || len(back.Boxes) != 0 || !reflect.DeepEqual(back.People[0].Ops, []string{ops[0].ID, ops[2].ID}) {
		t.Fatalf("read back: %d person boxes (%+v), %d of format 2", len(back.People), back.People, len(back.Boxes))
	}
	// An install that knows format 2 alone does not read it (rather than
	// take its operations without their payloads).
	var v2 struct {
		Boxes map[string]Box `json:"boxes"`
	}
	if err := json.Unmarshal(raw, &v2); err == nil {
		t.Error("format 2's reading of a batch of format 3 does not fail")
	}
	opened := back
	if err := opened.unbox(keysOf(keys)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(opened.Ops, ops) {
		t.Errorf("opened:\n%+v\nwant\n%+v", opened.Ops, ops)
	}

	t.Run("erased", func(t *testing.T) {
		c := back
		if err := c.unbox(keysOf(map[string][]byte{"luis": keys["luis"]})); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, op := range c.Ops {
			ids = append(ids, op.ID)
		}
		if want := []string{ops[1].ID, ops[3].ID}; !reflect.DeepEqual(ids, want) {
			t.Errorf("with rosa's key gone the batch holds %v, want luis's and the record's %v", ids, want)
		}
	})

	cases := []struct {
		name  string
		alter func(b *Batch)
		keys  map[string][]byte
	}{
		{"a byte of the box", func(b *Batch) { b.People[0].CT[len(b.People[0].CT)-1] ^= 1 }, keys},
		{"sealed with another's key", nil, map[string][]byte{"rosa": keys["luis"], "luis": keys["luis"]}},
		{"operation moved to another person", func(b *Batch) { b.Ops[2].Subject = "luis" }, keys},
		{"box says another person", func(b *Batch) { b.People[1].Person = "rosa" }, keys},
		{"box names an operation the batch does not hold", func(b *Batch) { b.People[1].Ops = append(b.People[1].Ops, "a-99") }, keys},
		{"box leaves out an operation it holds", func(b *Batch) { b.People[0].Ops = b.People[0].Ops[:1] }, keys},
		{"two boxes hold one operation", func(b *Batch) { b.People = append(b.People, b.People[1]) }, keys},
		{"person that is no key name", func(b *Batch) { b.People[0].Person = "../rosa" }, keys},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var x Batch
			if err := json.Unmarshal(raw, &x); err != nil {
				t.Fatal(err)
			}
			if c.alter != nil {
				c.alter(&x)
			}
			if err := x.unbox(keysOf(c.keys)); !errors.Is(err, ErrTampered) {
				t.Errorf("unbox: %v, want ErrTampered", err)
			}
		})
	}
}

// TestPersonBoxSize: the boxes of a batch of format 3 are smaller than
// format 2's for the same operations (one person's day of events), and
// the file, compressed, smaller again.
func TestPersonBoxSize(t *testing.T) {
	m := newMaker("a", "u-a")
	var ops []data.Op
	for p := range 20 {
		person := fmt.Sprintf("p%02d", p)
		ops = append(ops, m.set(person, "name", "Nombre Apellido"+person))
		for e := range 10 {
			ops = append(ops, m.event(fmt.Sprintf("%s-e%d", person, e), person, "Nota de seguimiento "+strings.Repeat("x", e)))
		}
	}
	size := map[int]int{}
	for _, v := range []int{batchV2, batchV3} {
		in := &Install{cfg: Config{Device: "a", Membership: Membership{Space: "espacio"}}, format: v,
			pkeys: map[string]map[string][]byte{}, unsent: map[string]bool{}, bundles: map[string]string{}}
		for p := range 20 {
			k, _ := newPersonKey()
			in.setKey(fmt.Sprintf("p%02d", p), "a", k)
		}
		sd, err := in.sealOps(ops, "")
		if err != nil {
			t.Fatal(err)
		}
		b := Batch{V: sd.v, Space: "espacio", Device: "a", Seq: 1, Ops: sd.ops, Boxes: sd.boxes, People: sd.people}
		raw, _ := json.Marshal(b)
		size[v] = len(raw)
		if v == batchV3 && len(b.People) != 20 {
			t.Errorf("%d person boxes for 20 people", len(b.People))
		}
	}
	t.Logf("220 operations of 20 people: format 2 %d bytes, format 3 %d", size[batchV2], size[batchV3])
	if size[batchV3]*3 > size[batchV2]*2 {
		t.Errorf("format 3 is %d bytes, format 2 %d: not a third smaller", size[batchV3], size[batchV2])
	}
}
