package backup

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestSettingsRoundTrip(t *testing.T) {
	s := testStore(t, 0)
	c, err := LoadConfig(s)
	if err != nil || !c.Daily || !c.OnClose || len(c.Destinations) != 0 {
		t.Fatalf("LoadConfig on a new database = %+v, %v; want the defaults", c, err)
	}
	c.Destinations = []Destination{{Kind: KindWebDAV, URL: "https://nube.example.org/remote.php/dav/files/ana/Enlace/", User: "ana", Password: "no se guarda"}}
	c.OnClose = false
	if err := SaveConfig(s, c); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(s)
	if err != nil || got.OnClose || len(got.Destinations) != 1 || got.Destinations[0].Password != "" || got.Destinations[0].User != "ana" {
		t.Errorf("LoadConfig = %+v, %v; want the saved config without the password", got, err)
	}

	st, _ := LoadStatuses(s)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	st.Record(c.Destinations[0], Result{Info: Info{Name: "enlace-x.age", Size: 10}}, nil, now)
	st.Record(c.Destinations[0], Result{}, fmt.Errorf("subir: %w", ErrServerFull), now.Add(time.Hour))
	if err := SaveStatuses(s, st); err != nil {
		t.Fatal(err)
	}
	back, _ := LoadStatuses(s)
	got1 := back[c.Destinations[0].Key()]
	if !got1.LastOK.Equal(now) || got1.LastName != "enlace-x.age" || !errors.Is(got1.Err(), ErrServerFull) {
		t.Errorf("status = %+v, want last OK at %v and the 507 after it", got1, now)
	}
}

func TestDueAndOverdue(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a := Destination{Kind: KindFolder, Path: "/media/usb/Enlace"}
	b := Destination{Kind: KindWebDAV, URL: "https://nube/remote.php/dav/files/ana/Enlace/", User: "ana"}
	c := Config{Destinations: []Destination{a, b}}
	for _, tc := range []struct {
		name         string
		st           Statuses
		due, overdue int
	}{
		{"never backed up", Statuses{}, 2, 2},
		{"both fresh", Statuses{a.Key(): {LastOK: now.Add(-time.Hour)}, b.Key(): {LastOK: now.Add(-23 * time.Hour)}}, 0, 0},
		{"one a day old", Statuses{a.Key(): {LastOK: now.Add(-time.Hour)}, b.Key(): {LastOK: now.Add(-25 * time.Hour)}}, 1, 1},
		{"failed just now", Statuses{a.Key(): {LastOK: now.Add(-30 * time.Hour), LastTry: now.Add(-time.Minute), Failure: "auth"}, b.Key(): {LastOK: now}}, 0, 1},
		{"failed but recent OK", Statuses{a.Key(): {LastOK: now.Add(-2 * time.Hour), LastTry: now.Add(-time.Minute), Failure: "full"}, b.Key(): {LastOK: now}}, 0, 1},
		{"failed two hours ago", Statuses{a.Key(): {LastOK: now.Add(-30 * time.Hour), LastTry: now.Add(-2 * time.Hour), Failure: "unreachable"}, b.Key(): {LastOK: now}}, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Due(c, tc.st, now); len(got) != tc.due {
				t.Errorf("Due = %v, want %d", got, tc.due)
			}
			if got := Overdue(c, tc.st, now); len(got) != tc.overdue {
				t.Errorf("Overdue = %v, want %d", got, tc.overdue)
			}
		})
	}
}

func TestParseDestination(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Destination
	}{
		{"https://ana@nube.example.org/remote.php/dav/files/ana/Enlace", Destination{Kind: KindWebDAV, URL: "https://nube.example.org/remote.php/dav/files/ana/Enlace/", User: "ana"}},
		{"http://127.0.0.1:8080/dav/", Destination{Kind: KindWebDAV, URL: "http://127.0.0.1:8080/dav/"}},
		{"/media/ana/USB/Enlace", Destination{Kind: KindFolder, Path: "/media/ana/USB/Enlace"}},
	} {
		got, err := ParseDestination(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDestination(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	if _, err := ParseDestination("  "); !errors.Is(err, ErrNoDestination) {
		t.Errorf("empty destination: %v", err)
	}
	if _, err := ParseDestination("http://nube.example.org/remote.php/dav/files/ana/"); !errors.Is(err, ErrInsecure) {
		t.Errorf("plain http to another machine: %v, want ErrInsecure", err)
	}
}

func TestLayeredSecrets(t *testing.T) {
	none := failing{}
	mem := Memory()
	l := Layered(none, mem)
	if err := l.Set(PassphraseKey, "frase de prueba larga"); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Set without a system store = %v, want ErrNoKeyring (kept for the session)", err)
	}
	if v, err := l.Get(PassphraseKey); err != nil || v != "frase de prueba larga" {
		t.Errorf("Get = %q, %v; want the session's copy", v, err)
	}
	if _, err := Layered(Memory(), Memory()).Get("x"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Get of a missing key = %v, want ErrNoSecret", err)
	}
}

// failing is a credential store that does not exist.
type failing struct{}

func (failing) Get(string) (string, error) { return "", ErrNoKeyring }
func (failing) Set(string, string) error   { return ErrNoKeyring }
func (failing) Delete(string) error        { return ErrNoKeyring }

func TestPassphraseCheck(t *testing.T) {
	check, err := NewCheck(testPassphrase, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyCheck(check, testPassphrase); err != nil {
		t.Errorf("the right passphrase: %v", err)
	}
	if err := VerifyCheck(check, "otra frase cualquiera"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("another passphrase: %v, want ErrWrongPassphrase", err)
	}
}
