package sync

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"testing"

	"filippo.io/age"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestEpochFaultsAlike: a batch and a snapshot are judged alike on their
// key epoch, through a real WebDAV server. Encrypted to another epoch's
// key than the one its signed body names, the file was re-encrypted by
// someone holding a space key: ErrTampered. Naming, and sealed to, an
// epoch its signer could not use (older than the one it was invited in):
// ErrEpoch. Sealed as it should be, it opens.
func TestEpochFaultsAlike(t *testing.T) {
	dav := datatest.StartApache(t, "")
	remote := NewRemote(dav.URL("Enlace"), dav.User, dav.Password)
	if err := remote.Prepare("oeste"); err != nil {
		t.Fatal(err)
	}
	ring := Keyring{}
	for e := 1; e <= 2; e++ {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		ring[e] = id
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// oeste was invited in epoch 2: it seals nothing to epoch 1.
	m := Membership{Space: "s", Epoch: 2, Members: []Member{{Device: "oeste", User: "u", Name: "Oeste",
		Roles: []data.Role{data.RoleTechnician}, SignKey: pub, Since: 2}}}
	for i, c := range []struct {
		name      string
		names, to int // the epoch the body names, the one it is encrypted to
		want      error
	}{
		{"sealed to the epoch it names", 2, 2, nil},
		{"names epoch 2, encrypted to epoch 1", 2, 1, ErrTampered},
		{"names epoch 1, encrypted to epoch 2", 1, 2, ErrTampered},
		{"names and is sealed to an epoch before its invitation", 1, 1, ErrEpoch},
	} {
		seq := uint64(i + 1)
		t.Run("batch/"+c.name, func(t *testing.T) {
			ct, err := Seal(Batch{Space: m.Space, Device: "oeste", Seq: seq, Epoch: c.names}, key, ring[c.to].Recipient())
			if err != nil {
				t.Fatal(err)
			}
			if err := remote.PutBatch("oeste", seq, ct); err != nil {
				t.Fatal(err)
			}
			got, err := remote.GetBatch("oeste", seq)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := openBatch(got, ring, &m, "oeste", seq); !errIs(err, c.want) {
				t.Errorf("openBatch: %v, want %v", err, c.want)
			}
		})
		t.Run("snapshot/"+c.name, func(t *testing.T) {
			ref := SnapshotRef{Seq: seq, Vector: map[string]uint64{"oeste": 1}}
			ct, err := sealSnapshot(Snapshot{Space: m.Space, Device: "oeste", Seq: seq, Epoch: c.names, Vector: ref.Vector}, key,
				ring[c.to].Recipient())
			if err != nil {
				t.Fatal(err)
			}
			if err := remote.PutSnapshot("oeste", seq, ct); err != nil {
				t.Fatal(err)
			}
			got, err := remote.GetSnapshot("oeste", seq)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := openSnapshot(got, ring, &m, "oeste", ref); !errIs(err, c.want) {
				t.Errorf("openSnapshot: %v, want %v", err, c.want)
			}
		})
	}
}

// errIs is errors.Is, with a nil target meaning no error.
func errIs(err, target error) bool {
	if target == nil {
		return err == nil
	}
	return errors.Is(err, target) && (target == ErrTampered) != errors.Is(err, ErrEpoch)
}
