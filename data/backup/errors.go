package backup

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"syscall"

	"github.com/enlace-madrid/enlace/data"
)

// Sentinel errors. Callers test them with errors.Is; each one's text is
// the Spanish sentence the command line prints, and the GUI has its own
// translated sentence for each.
var (
	// ErrWrongPassphrase is returned by Restore, Fetch and List... when the
	// passphrase does not open the backup (or its header is damaged, which
	// age cannot tell apart).
	ErrWrongPassphrase = errors.New("la contraseña no abre esta copia: compruebe que es la que se usó al hacerla")

	// ErrCorrupt is returned when a backup is damaged or incomplete: a
	// changed byte, a cut file, a SHA-256 or record count that does not
	// match its manifest, or a file that is not an Enlace backup.
	ErrCorrupt = errors.New("la copia está dañada o incompleta; pruebe con otra copia")

	// ErrNoPassphrase is returned when a backup is asked for without a
	// passphrase, or a new passphrase is too short.
	ErrNoPassphrase = errors.New("falta la contraseña de las copias (al menos 10 caracteres)")

	// ErrNoPassword is returned (by the callers that look for it) when a
	// WebDAV destination's app password is neither stored nor typed.
	ErrNoPassword = errors.New("falta la contraseña de aplicación del servidor WebDAV")

	// ErrAuth is returned when the server refuses the user or the app
	// password (HTTP 401).
	ErrAuth = errors.New("el servidor no acepta el usuario o la contraseña de aplicación")

	// ErrNoWrite is returned when the server knows the user but does not
	// let them use the folder (HTTP 403): no write permission.
	ErrNoWrite = errors.New("el servidor no da permiso a este usuario para escribir en esa carpeta (403): pida a quien la comparte que le dé permiso de edición")

	// ErrCertificate is returned when the server's TLS certificate is not
	// trusted (unknown authority, self-signed, expired, another name).
	ErrCertificate = errors.New("el certificado del servidor no es de confianza: compruebe la dirección o pida al administrador del servidor que lo renueve")

	// ErrServerFull is returned when the server has no room left (HTTP 507
	// or 413 with no chunked upload to fall back on).
	ErrServerFull = errors.New("no queda espacio en el servidor para la copia; libere espacio o pida más cuota")

	// ErrUnreachable is returned when the server cannot be reached: no
	// network, wrong address, server down, certificate refused.
	ErrUnreachable = errors.New("no se puede conectar con el servidor; compruebe la conexión a internet y la dirección")

	// ErrInterrupted is returned when a transfer stopped halfway: the
	// connection was cut or the uploaded copy is not complete. Nothing was
	// replaced; trying again is safe.
	ErrInterrupted = errors.New("se cortó la conexión durante la transferencia; no se ha perdido nada, vuelva a intentarlo")

	// ErrDiskFull is returned when a local disk (the database's folder or a
	// destination folder) has no room left.
	ErrDiskFull = errors.New("no queda espacio en el disco; libere espacio y vuelva a intentarlo")

	// ErrNoDestination is returned when a destination folder or WebDAV
	// folder does not exist or is not a folder, or when none is configured.
	ErrNoDestination = errors.New("no se encuentra la carpeta de destino de las copias")

	// ErrNotFound is returned when the named backup is not at the destination.
	ErrNotFound = errors.New("esa copia no está en el destino")

	// ErrNoKeyring is returned by the credential store when the operating
	// system offers none (no Secret Service on this Linux desktop, say).
	ErrNoKeyring = errors.New("este equipo no tiene almacén de contraseñas: se le pedirá la contraseña cada vez")

	// ErrInsecure is returned for a WebDAV address with http:// to another
	// machine: the user and app password would travel unencrypted.
	ErrInsecure = errors.New("la dirección WebDAV debe empezar por https:// (con http:// la contraseña viajaría sin cifrar)")

	// ErrTooLarge is returned when the server refuses a backup this large
	// in one request (HTTP 413) and has no Nextcloud chunked upload to
	// take it in parts: a plain WebDAV server with a size limit.
	ErrTooLarge = errors.New("el servidor rechaza un archivo de este tamaño (413, una regla del servidor) y no ofrece la subida por partes de Nextcloud: " +
		"pida al administrador del servidor que admita archivos más grandes o use el Nextcloud de la organización")

	// ErrServer is returned for any other answer of the server that is not
	// a success (HTTP 5xx, unexpected 4xx).
	ErrServer = errors.New("el servidor respondió con un error; vuelva a intentarlo más tarde")
)

// sentinels lists the errors above, most specific first.
var sentinels = []error{ErrWrongPassphrase, ErrCorrupt, ErrNoPassphrase, ErrNoPassword, ErrAuth, ErrNoWrite, ErrCertificate, ErrTooLarge, ErrServerFull,
	ErrUnreachable, ErrInterrupted, ErrDiskFull, ErrNoDestination, ErrNotFound, ErrNoKeyring, ErrInsecure, ErrServer}

// Message is the Spanish sentence for err, for the command line: the
// sentence of the first sentinel err wraps, or data's, or err's own text.
func Message(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	switch {
	case errors.Is(err, data.ErrSchemaTooNew):
		return "la copia es de una versión más nueva de Enlace; actualice Enlace para restaurarla"
	case errors.Is(err, data.ErrLocked):
		return "la base de datos está abierta en Enlace; cierre la ventana de Enlace y vuelva a intentarlo"
	case errors.Is(err, context.Canceled):
		return "cancelado"
	}
	return err.Error()
}

// errStatus maps an HTTP status that is not a success to a sentinel.
func errStatus(code int) error {
	switch code {
	case http.StatusUnauthorized:
		return ErrAuth
	case http.StatusForbidden:
		return ErrNoWrite
	case http.StatusInsufficientStorage, http.StatusRequestEntityTooLarge:
		return ErrServerFull
	case http.StatusNotFound, http.StatusConflict, http.StatusMethodNotAllowed:
		return ErrNoDestination
	}
	return ErrServer
}

// isDiskFull reports whether err is "no space left on device" (ENOSPC on
// Unix; ERROR_DISK_FULL 112 or ERROR_HANDLE_DISK_FULL 39 on Windows), or
// "quota exceeded".
func isDiskFull(err error) bool {
	var en syscall.Errno
	if !errors.As(err, &en) {
		return false
	}
	return en == syscall.ENOSPC || en == syscall.EDQUOT || en == 112 || en == 39
}

// classifyLocal wraps a local file error as ErrDiskFull when it is one.
func classifyLocal(err error) error {
	if err == nil || !isDiskFull(err) || errors.Is(err, ErrDiskFull) {
		return err
	}
	return &wrapped{sentinel: ErrDiskFull, err: err}
}

// classifyNet wraps an error from talking to a server as ErrUnreachable
// (no connection could be made: name, route, refused, certificate, no
// answer in time) or ErrInterrupted (the connection broke during the
// transfer), unless it already is a sentinel or a cancellation.
func classifyNet(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || isSentinel(err) {
		return err
	}
	if isDiskFull(err) {
		return &wrapped{sentinel: ErrDiskFull, err: err}
	}
	var dns *net.DNSError
	var op *net.OpError
	var cert *tls.CertificateVerificationError
	var hostname x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var timeout interface{ Timeout() bool }
	switch {
	case errors.As(err, &cert), errors.As(err, &hostname), errors.As(err, &unknown):
		return &wrapped{sentinel: ErrCertificate, err: err}
	case errors.As(err, &dns), errors.As(err, &op) && op.Op == "dial",
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &timeout) && timeout.Timeout():
		return &wrapped{sentinel: ErrUnreachable, err: err}
	}
	return &wrapped{sentinel: ErrInterrupted, err: err}
}

// isSentinel reports whether err already wraps one of this package's errors.
func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return errors.Is(err, data.ErrSchemaTooNew) || errors.Is(err, data.ErrLocked)
}

// wrapped is an error that matches sentinel with errors.Is and keeps the
// detail for the log.
type wrapped struct {
	sentinel error
	err      error
}

func (w *wrapped) Error() string   { return w.sentinel.Error() + ": " + w.err.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.sentinel, w.err} }
