package sync

import (
	"errors"
	"testing"

	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestCreateNamesABadAddress: a folder address that is not a whole
// http(s) URL is refused as such, before anything is sent, rather than
// read as a lost connection.
func TestCreateNamesABadAddress(t *testing.T) {
	s := datatest.Open(t, nil)
	for _, url := range []string{"", "nube.example.org/remote.php/dav/files/ana/Enlace/", "ftp://nube.example.org/Enlace/", "https:///Enlace/"} {
		_, err := Create(s, url, "ana", "x", "norte")
		want := "la dirección de la carpeta «" + url + "» no vale: escriba la dirección WebDAV entera, que empieza por https:// (en Nextcloud, Archivos → Ajustes de archivos → WebDAV)"
		if err == nil || err.Error() != want || errors.Is(err, ErrOffline) {
			t.Errorf("Create(%q) = %v, want %q", url, err, want)
		}
	}
	if _, err := LoadSettings(s); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("after the refusals the install is in a space: %v", err)
	}
}
