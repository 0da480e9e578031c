package ui

import (
	"errors"
	"fmt"
	"testing"

	esync "github.com/enlace-madrid/enlace/data/sync"
)

// TestSyncCauseTexts: each cause of a failed sync, wrapped as data/sync
// words it (the path on the server, the network's words after it, a
// batch before it), reads in the panel as its cause alone and in the
// strip in a few words, in Spanish and in English.
func TestSyncCauseTexts(t *testing.T) {
	cases := []struct {
		name           string
		err            error
		panel, panelEN string
		strip, stripEN string
	}{
		{"403", fmt.Errorf("%w: %s", esync.ErrNoWrite, "/batches/norte/"),
			esync.ErrNoWrite.Error(), "the user may not write to the sync folder (403): ask whoever shares it to give you edit permission",
			"Sin sincronizar: sin permiso para escribir en la carpeta (403)", "Not synced: no permission to write in the folder (403)"},
		{"423", fmt.Errorf("lote 3 de norte: %w", fmt.Errorf("%w: %s", esync.ErrLocked, "/batches/norte/3.age")),
			"lote 3 de norte: " + esync.ErrLocked.Error(), "batch 3 from norte: the server has the folder locked right now (423): it will be tried again in a few minutes",
			"Sin sincronizar: la carpeta está bloqueada en el servidor (423); se volverá a intentar", "Not synced: the folder is locked on the server (423); will try again"},
		{"507", fmt.Errorf("%w: %s", esync.ErrServerFull, "/batches/norte/4.age"),
			esync.ErrServerFull.Error(), "there is no space left on the server (507): free some space or ask for more quota",
			"Sin sincronizar: no queda espacio en el servidor (507)", "Not synced: no space left on the server (507)"},
		{"TLS", fmt.Errorf("%w: %v", esync.ErrCertificate, errors.New("x509: certificate signed by unknown authority")),
			esync.ErrCertificate.Error(), "the server's certificate is not trusted: check the address or ask the server's administrator to renew it",
			"Sin sincronizar: el certificado del servidor no es de confianza", "Not synced: the server's certificate is not trusted"},
		{"500", fmt.Errorf("%w (%d): %s", esync.ErrServer, 500, "/heads/"),
			esync.ErrServer.Error() + " (500)", "the server answered with an error: it will be tried again later (500)",
			"Sin sincronizar: se volverá a intentar", "Not synced: will try again"},
		{"offline", fmt.Errorf("%w: %v", esync.ErrOffline, errors.New(`ReadDir /heads/: Propfind "http://127.0.0.1:1/heads/": dial tcp 127.0.0.1:1: connect: connection refused`)),
			esync.ErrOffline.Error(), "no connection to the server: changes are kept on this computer and will be sent when the connection is back",
			"Sin conexión con el servidor: se volverá a intentar", "No connection to the server: will try again"},
	}
	for _, lang := range []string{"es", "en"} {
		t.Run(lang, func(t *testing.T) {
			if lang == "en" {
				inEnglish(t)
			}
			for _, c := range cases {
				panel, strip := c.panel, c.strip
				if lang == "en" {
					panel, strip = c.panelEN, c.stripEN
				}
				if got := syncErr(c.err); got != panel {
					t.Errorf("%s: the panel says %q, want %q", c.name, got, panel)
				}
				if got := stripFailure(c.err.Error()); got != strip {
					t.Errorf("%s: the strip says %q, want %q", c.name, got, strip)
				}
			}
		})
	}
}
