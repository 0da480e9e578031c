package nextcloud

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud/nextcloudtest"
)

func TestParseFormRef(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     FormRef
		bad      bool
	}{
		{"number", " 7 ", FormRef{ID: 7}, false},
		{"edit link", "https://nube.example.org/apps/forms/em4djk8B9BpXnkYG/edit", FormRef{Hash: "em4djk8B9BpXnkYG", Base: "https://nube.example.org"}, false},
		{"results link with index.php", "https://nube.example.org/index.php/apps/forms/em4djk8B9BpXnkYG/results", FormRef{Hash: "em4djk8B9BpXnkYG", Base: "https://nube.example.org"}, false},
		{"public link", "https://nube.example.org/nc/apps/forms/s/dYcTWjrSsxjMFFQzFAywzq5J", FormRef{Share: "dYcTWjrSsxjMFFQzFAywzq5J", Base: "https://nube.example.org/nc"}, false},
		{"embedded", "https://nube.example.org/apps/forms/embed/dYcTWjrSsxjMFFQzFAywzq5J", FormRef{Share: "dYcTWjrSsxjMFFQzFAywzq5J", Base: "https://nube.example.org"}, false},
		{"old numbered link", "https://nube.example.org/apps/forms/12", FormRef{ID: 12, Base: "https://nube.example.org"}, false},
		{"a word", "derivaciones", FormRef{}, true},
		{"another app", "https://nube.example.org/apps/files/", FormRef{}, true},
		{"zero", "0", FormRef{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFormRef(tc.in)
			var ve *data.ValidationError
			if tc.bad {
				if !errors.As(err, &ve) || !strings.Contains(err.Error(), "no es el número de un formulario") {
					t.Fatalf("ParseFormRef(%q) = %+v, %v; want the Spanish refusal", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseFormRef(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name string
		ref  FormRef
		want int    // form ID; 0 for an error
		msg  string // in the error
	}{
		{"by number", FormRef{ID: 7}, 7, ""},
		{"by hash", FormRef{Hash: nextcloudtest.Hash}, 7, ""},
		{"by public link, past a form it may not open", FormRef{Share: nextcloudtest.Share}, 7, ""},
		{"unknown link", FormRef{Share: "AAAAAAAAAAAAAAAAAAAAAAAA"}, 0, "Ningún formulario de coordinacion"},
		{"unknown number", FormRef{ID: 8}, 0, "No existe el formulario 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newServer(t)
			f, err := c.Resolve(tc.ref)
			if tc.want == 0 {
				if err == nil || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("Resolve(%+v) = form %d, %v; want «%s»", tc.ref, f.ID, err, tc.msg)
				}
				return
			}
			if err != nil || f.ID != tc.want || f.Title != "Formulario de derivaciones" {
				t.Fatalf("Resolve(%+v) = %d %q, %v", tc.ref, f.ID, f.Title, err)
			}
		})
	}
}

func TestSaveConnection(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "enlace.db"))
	defer s.Close()
	if _, err := LoadConnection(s); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("before saving: %v, want ErrNotFound", err)
	}
	for _, tc := range []struct {
		name string
		c    Connection
		msg  string // "" when it saves
	}{
		{"http to another machine", Connection{URL: "http://nube.example.org", User: "c", FormID: 7}, "debe empezar por https://"},
		{"not an address", Connection{URL: "nube", User: "c", FormID: 7}, "no es la dirección de un Nextcloud"},
		{"no user", Connection{URL: "https://nube.example.org", FormID: 7}, "Faltan el usuario"},
		{"good", Connection{URL: "https://nube.example.org/ ", User: " coordinacion ", FormID: 7, Title: "Derivaciones"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := SaveConnection(s, tc.c)
			if tc.msg != "" {
				var ve *data.ValidationError
				if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("err = %v, want «%s»", err, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := LoadConnection(s)
			want := Connection{URL: "https://nube.example.org", User: "coordinacion", FormID: 7, Title: "Derivaciones"}
			if err != nil || got != want {
				t.Errorf("loaded %+v, %v; want %+v", got, err, want)
			}
			if got.SecretKey() != "forms:coordinacion@https://nube.example.org" {
				t.Errorf("secret key %q", got.SecretKey())
			}
		})
	}
}
