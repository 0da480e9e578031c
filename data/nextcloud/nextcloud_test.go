package nextcloud

import (
	"strings"
	"testing"
)

// TestRecognised: the Nextcloud endpoints are found from the folder's
// address, and nothing is done on another WebDAV server.
func TestRecognised(t *testing.T) {
	tests := []struct {
		name, url          string
		root, user, folder string // root "" for not Nextcloud
	}{
		{"nextcloud", "https://nube.example.org/remote.php/dav/files/ana/Enlace/", "https://nube.example.org/remote.php/dav/", "ana", "Enlace/"},
		{"subfolder, no slash", "https://nube.example.org/nc/remote.php/dav/files/ana%20l%C3%B3pez/Oficinas/Enlace", "https://nube.example.org/nc/remote.php/dav/", "ana lópez", "Oficinas/Enlace/"},
		{"escaped folder", "https://nube.example.org/remote.php/dav/files/ana/Copias%20Enlace/", "https://nube.example.org/remote.php/dav/", "ana", "Copias Enlace/"},
		{"plain webdav", "https://dav.example.org/Enlace/", "", "", ""},
		{"rclone", "http://127.0.0.1:8080/", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nc := New(tc.url, "ana", "x")
			if tc.root == "" {
				if nc != nil {
					t.Fatalf("%s taken for Nextcloud: %+v", tc.url, nc)
				}
				return
			}
			if nc == nil || nc.root != tc.root || nc.user != tc.user || nc.folder != tc.folder {
				t.Fatalf("%s: %+v, want root %s, user %s, folder %s", tc.url, nc, tc.root, tc.user, tc.folder)
			}
		})
	}
}

// TestFileIDOf reads oc:fileid from a PROPFIND answer as Nextcloud
// sends it.
func TestFileIDOf(t *testing.T) {
	answer := `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
 <d:response>
  <d:href>/remote.php/dav/files/ana/Enlace/keys/p1.norte.age</d:href>
  <d:propstat><d:prop><oc:fileid>48213</oc:fileid></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
</d:multistatus>`
	if got := fileIDOf(strings.NewReader(answer)); got != "48213" {
		t.Errorf("fileid %q, want 48213", got)
	}
	apache := `<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/x</D:href>
<D:propstat><D:prop><fileid xmlns="http://owncloud.org/ns"/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response></D:multistatus>`
	if got := fileIDOf(strings.NewReader(apache)); got != "" {
		t.Errorf("Apache's answer gave fileid %q, want none", got)
	}
}

func TestTrashedName(t *testing.T) {
	tests := []struct {
		entry, name string
		ok          bool
	}{
		{"p1.norte.age.d1733650000", "p1.norte.age", true},
		{"enlace-20261125T100000Z.age.d17", "enlace-20261125T100000Z.age", true},
		{"enlace-20261125T100000Z.age", "", false},
		{"x.d", "", false},
		{"x.d12a", "", false},
	}
	for _, tc := range tests {
		if name, ok := TrashedName(tc.entry); name != tc.name || ok != tc.ok {
			t.Errorf("TrashedName(%q) = %q, %v; want %q, %v", tc.entry, name, ok, tc.name, tc.ok)
		}
	}
}
