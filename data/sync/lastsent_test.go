package sync

import (
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestStatusLastSent: Status says when this install last shipped a
// batch, by the clock the sync was given; a sync that ships nothing
// leaves it (while it moves LastSync on).
func TestStatusLastSent(t *testing.T) {
	dav := datatest.StartApache(t, "")
	pw := dav.Password
	north := office{name: "norte", s: datatest.Open(t, nil)}
	if _, err := Create(north.s, dav.URL("Enlace"), dav.User, pw, "norte"); err != nil {
		t.Fatal(err)
	}
	north.register(t, "Ana", "Antesdelabaja")
	first := time.Date(2026, 12, 7, 9, 30, 0, 0, data.Madrid())
	rep, st, err := SyncOnce(north.s, pw, first)
	if err != nil || rep.Sent == 0 {
		t.Fatalf("first sync: sent %d, %v", rep.Sent, err)
	}
	if !st.LastSent.Equal(first) {
		t.Errorf("after shipping, LastSent = %v, want %v", st.LastSent, first)
	}
	second := first.Add(time.Hour)
	rep, st, err = SyncOnce(north.s, pw, second)
	if err != nil || rep.Sent != 0 {
		t.Fatalf("second sync: sent %d, %v", rep.Sent, err)
	}
	if !st.LastSent.Equal(first) || !st.LastSync.Equal(second) {
		t.Errorf("after a sync with nothing to ship: LastSent %v (want %v), LastSync %v (want %v)", st.LastSent, first, st.LastSync, second)
	}
}
