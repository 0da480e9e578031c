package ui

import (
	"errors"
	"strings"

	esync "github.com/enlace-madrid/enlace/data/sync"
)

// The state of the sync as the user reads it: a failed sync's cause
// without the server's paths or the network's own words (those go to the
// log), and the window's strip.

// syncCauses are data/sync's causes of a failed sync.
var syncCauses = []error{esync.ErrAuth, esync.ErrNoWrite, esync.ErrNoFolder, esync.ErrLocked,
	esync.ErrServerFull, esync.ErrCertificate, esync.ErrOffline, esync.ErrServer}

// syncCause is the cause among syncCauses that msg, a failed sync's
// message, names; nil when none.
func syncCause(msg string) error {
	for _, c := range syncCauses {
		if strings.Contains(msg, c.Error()) {
			return c
		}
	}
	return nil
}

// syncErrorText is a failed sync's message in the interface's language:
// what leads to its cause (which batch, say) and the cause, with the HTTP
// status a server error gives, but not the file's path on the server or
// the network's own words after it ("ReadDir /heads/: dial tcp …").
func syncErrorText(msg string) string {
	c := syncCause(msg)
	if c == nil {
		return dataText(msg)
	}
	i := strings.Index(msg, c.Error()) + len(c.Error())
	rest := msg[i:]
	if errors.Is(c, esync.ErrServer) && strings.HasPrefix(rest, " (") {
		if j := strings.IndexByte(rest, ')'); j > 0 {
			i += j + 1
		}
	}
	return dataText(msg[:i])
}

// syncErr is syncErrorText of err.
func syncErr(err error) string { return syncErrorText(err.Error()) }

// stripFailure is the strip's short account of the failed sync msg.
func stripFailure(msg string) string {
	switch syncCause(msg) {
	case esync.ErrOffline:
		return T("Sin conexión con el servidor: se volverá a intentar")
	case esync.ErrAuth:
		return T("Sin sincronizar: el servidor no acepta la contraseña de aplicación (401)")
	case esync.ErrNoWrite:
		return T("Sin sincronizar: sin permiso para escribir en la carpeta (403)")
	case esync.ErrNoFolder:
		return T("Sin sincronizar: no se encuentra la carpeta en el servidor (404)")
	case esync.ErrLocked:
		return T("Sin sincronizar: la carpeta está bloqueada en el servidor (423); se volverá a intentar")
	case esync.ErrServerFull:
		return T("Sin sincronizar: no queda espacio en el servidor (507)")
	case esync.ErrCertificate:
		return T("Sin sincronizar: el certificado del servidor no es de confianza")
	}
	return T("Sin sincronizar: se volverá a intentar")
}

// pendingCount is how many changes made here are not yet on the server:
// those the database still holds, and those the sync file took and had
// not sent at the last sync that opened it.
func (p *syncPanel) pendingCount() int {
	local, _ := p.u.store.PendingOps()
	return len(local) + p.unsent
}
