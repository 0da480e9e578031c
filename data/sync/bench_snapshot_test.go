package sync

import (
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// BenchmarkJoinSnapshot: BenchmarkJoin's space, with a snapshot of it
// written by the device that shipped it: the new install reads the one
// snapshot (checking its signature and each operation's author) instead
// of the ten batches, and writes the same into its store. Reports the
// snapshot's size on the server and how long its writer took to make and
// put it.
func BenchmarkJoinSnapshot(b *testing.B) {
	sp, took := joinSpace(b, true)
	fi, err := os.Stat(filepath.Join(sp.folder(), filepath.FromSlash(snapshotPath("a", 1))))
	if err != nil {
		b.Fatal(err)
	}
	benchJoin(b, sp)
	b.ReportMetric(float64(fi.Size())/1e6, "snapshot-MB")
	b.ReportMetric(took.Seconds(), "write-s")
}

// BenchmarkSnapshotEncoding: how much of the snapshot of BenchmarkJoin's
// space, and of its 10 batches, is base64, for the design of a binary
// format (doc.go, format 4). No server: the snapshot and the batches are
// sealed, signed, compressed and encrypted in memory as Install.Snapshot
// and push do (snapshot-MB and log-MB, the files as they are), then the
// same with the signed envelope binary (signature and body side by side,
// not base64 in JSON: binenv-MB), and with the person boxes' raw
// ciphertext after the compressed body as well (binary-MB, log-binary-MB).
// base64-% is the share of the snapshot the two base64 encodings cost;
// boxes-MB the snapshot's boxes' ciphertext alone, which no encoding
// makes smaller.
// `go test ./data/sync -run '^$' -bench SnapshotEncoding -benchtime 1x`.
func BenchmarkSnapshotEncoding(b *testing.B) {
	people := datatest.BenchPeople(b, 10_000)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		b.Fatal(err)
	}
	_, sk, _ := ed25519.GenerateKey(nil)
	m := newMaker("a", datatest.Login)
	in := &Install{cfg: Config{Device: "a", Membership: Membership{Space: "espacio"}},
		pkeys: map[string]map[string][]byte{}, unsent: map[string]bool{}, bundles: map[string]string{}}
	var ops []data.Op
	var chunks [][]data.Op // the batches, as joinSpace ships them
	for i := range people {
		ops = append(ops, joinPerson(m, i, 10)...)
		if n := len(chunks); n == 0 || len(chunks[n-1]) >= 11_000 {
			chunks = append(chunks, nil)
		}
		chunks[len(chunks)-1] = append(chunks[len(chunks)-1], ops[len(ops)-11:]...)
		k, err := newPersonKey()
		if err != nil {
			b.Fatal(err)
		}
		in.setKey(fmt.Sprintf("p%05d", i), "a", k)
	}
	size := func(write func(io.Writer) error) float64 {
		ct, err := encrypt(id.Recipient(), write)
		if err != nil {
			b.Fatal(err)
		}
		return float64(len(ct))
	}
	// binaries is the size of v (a Batch or Snapshot whose person boxes
	// are boxes) with a binary envelope, then with the boxes binary too;
	// it takes the ciphertext out of boxes.
	binaries := func(v any, boxes []PersonBox) (env, whole float64) {
		body, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		sig := ed25519.Sign(sk, body)
		env = size(packed(append(sig, body...)))
		var raw []byte // the boxes' ciphertext, each after its length
		for i := range boxes {
			raw = binaryAppendLen(raw, boxes[i].CT)
			boxes[i].CT = nil
		}
		bare, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		whole = size(func(w io.Writer) error {
			if err := packed(append(sig, bare...))(w); err != nil {
				return err
			}
			_, err := w.Write(raw)
			return err
		})
		return env, whole
	}
	var file, binEnv, bin, boxes, log, logBin float64
	b.ResetTimer()
	for range b.N {
		sd, err := in.sealOps(ops, "")
		if err != nil {
			b.Fatal(err)
		}
		s := Snapshot{Space: "espacio", Device: "a", Seq: 1, Epoch: 1, Vector: map[string]uint64{"a": uint64(len(chunks))},
			V: sd.v, Ops: sd.ops, People: sd.people, KeyBundle: true}
		ct, err := sealSnapshot(s, sk, id.Recipient())
		if err != nil {
			b.Fatal(err)
		}
		file, boxes = float64(len(ct)), 0
		for _, pb := range s.People {
			boxes += float64(len(pb.CT))
		}
		binEnv, bin = binaries(s, s.People)
		log, logBin = 0, 0
		for i, chunk := range chunks {
			sd, err := in.sealOps(chunk, "")
			if err != nil {
				b.Fatal(err)
			}
			bt := Batch{V: sd.v, Space: "espacio", Device: "a", Seq: uint64(i + 1), Ops: sd.ops, People: sd.people}
			ct, err := Seal(bt, sk, id.Recipient())
			if err != nil {
				b.Fatal(err)
			}
			log += float64(len(ct))
			_, whole := binaries(bt, bt.People)
			logBin += whole
		}
	}
	b.ReportMetric(file/1e6, "snapshot-MB")
	b.ReportMetric(binEnv/1e6, "binenv-MB")
	b.ReportMetric(bin/1e6, "binary-MB")
	b.ReportMetric(boxes/1e6, "boxes-MB")
	b.ReportMetric(100*(file-bin)/file, "base64-%")
	b.ReportMetric(log/1e6, "log-MB")
	b.ReportMetric(logBin/1e6, "log-binary-MB")
}

// binaryAppendLen appends p to out after its length (uvarint).
func binaryAppendLen(out, p []byte) []byte {
	return append(binary.AppendUvarint(out, uint64(len(p))), p...)
}
