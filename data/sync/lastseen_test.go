package sync

import (
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestLastSeen: a device that syncs with nothing to send writes its head
// again once its last is an hour old (one PUT, signed with its time), and
// not at the next idle sync; the other device's status then shows it
// synced, by the server's date of that head, with no request more.
func TestLastSeen(t *testing.T) {
	for _, server := range []struct {
		name  string
		start func(testing.TB) *datatest.DAV
	}{
		{"apache", func(t testing.TB) *datatest.DAV { return datatest.StartApache(t, "") }},
		{"rclone", datatest.StartRclone},
	} {
		t.Run(server.name, func(t *testing.T) {
			dav := server.start(t)
			sp := newSpace(t, dav, map[string]data.Role{"norte": data.RoleTechnician, "sur": data.RoleTechnician})
			dir := t.TempDir()
			north, south := sp.open(t, dir, "norte"), sp.open(t, dir, "sur")
			defer north.Close()
			defer south.Close()
			later := time.Now()
			south.clock0 = func() time.Time { return later }
			south.cfg.Compact.CheckEvery = 100 * time.Hour // the hourly check of its own batches is repair_test's
			for _, in := range []*Install{north, south} {
				record(t, in, data.OpEventAdd, "e-"+in.cfg.Device, "p1", func(op *data.Op) { op.Data = json.RawMessage(`{}`) })
				mustSync(t, in)
			}
			mustSync(t, north)
			before := north.lastSeen()["sur"]
			if before.IsZero() {
				t.Fatalf("norte's listing has no date for sur's head: %v", north.lastSeen())
			}
			if rep := mustSync(t, south); rep.Requests != 1 {
				t.Errorf("sur's idle sync made %d requests, want 1 (its head is new)", rep.Requests)
			}
			time.Sleep(1100 * time.Millisecond) // the server dates files to the second
			later = later.Add(61 * time.Minute)
			if rep := mustSync(t, south); rep.Requests != 2 || rep.Sent != 0 {
				t.Errorf("sur's idle sync an hour on made %d requests and sent %d, want 2 (the listing, its head again) and 0", rep.Requests, rep.Sent)
			}
			if rep := mustSync(t, south); rep.Requests != 1 {
				t.Errorf("sur's next idle sync made %d requests, want 1", rep.Requests)
			}
			raw, err := south.cfg.Remote.GetHead("sur", 1)
			if err != nil {
				t.Fatal(err)
			}
			var h headFile
			if err := verify(raw, sp.keys["sur"].Public().(ed25519.PublicKey), &h); err != nil {
				t.Fatal(err)
			}
			if !h.Seen.Equal(later.UTC()) {
				t.Errorf("sur's head says seen %v, want %v (its clock at the hourly write)", h.Seen, later.UTC())
			}
			if rep := mustSync(t, north); rep.Requests != 1 {
				t.Errorf("norte's sync after sur's head was written again made %d requests, want 1 (the listing only)", rep.Requests)
			}
			if after := north.lastSeen()["sur"]; !after.After(before) {
				t.Errorf("norte sees sur last at %v, want after %v (sur's idle sync wrote its head again)", after, before)
			}
		})
	}
}
