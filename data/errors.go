package data

import (
	"errors"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; the UI turns them into
// a sentence a coordinator understands.
var (
	// ErrNotFound is returned when a record with the given ID does not exist.
	ErrNotFound = errors.New("no encontrado")

	// ErrInvalid is returned (wrapped in a *ValidationError) when a record
	// fails validation. Nothing is written.
	ErrInvalid = errors.New("datos no válidos")

	// ErrLocked is returned by Open when another Enlace already has the
	// database file open.
	ErrLocked = errors.New("la base de datos está abierta en otra ventana o programa de Enlace")

	// ErrSchemaTooNew is returned by Open when the file was written by a
	// newer version of Enlace than this one.
	ErrSchemaTooNew = errors.New("la base de datos es de una versión más nueva de Enlace")

	// ErrAppendOnly is returned when a caller tries to change or delete a
	// timeline event: events are corrected by adding a new one.
	ErrAppendOnly = errors.New("los eventos del historial no se modifican: añada una corrección")

	// ErrNeedsUpgrade is returned by Open with ReadOnly when the file was
	// written by an older Enlace and must be migrated first, which needs
	// write access.
	ErrNeedsUpgrade = errors.New("la base de datos es de una versión anterior de Enlace y tiene que actualizarse")

	// ErrReadOnly is returned by writes on a store opened read-only.
	ErrReadOnly = errors.New("la base de datos está abierta solo para lectura")

	// ErrNotDatabase is returned by Inspect when the file is not an Enlace
	// database (not a bbolt file, damaged pages, buckets missing), and by
	// a read-only Open of an empty file.
	ErrNotDatabase = errors.New("el archivo no es una base de datos de Enlace o está dañado")

	// ErrNoCredentials is returned by Open when no user name or
	// passphrase was given: the file is encrypted, or new.
	ErrNoCredentials = errors.New("hace falta el usuario y la contraseña para abrir la base de datos")

	// ErrWrongPassphrase is returned by Open and Reauth when the user does
	// not exist or the passphrase is not theirs (deliberately the same
	// answer for both).
	ErrWrongPassphrase = errors.New("usuario o contraseña incorrectos")

	// ErrNotEncrypted is returned by Open, without credentials, on a file
	// from an Enlace before encryption: opening it with a user name and a
	// passphrase creates that user and encrypts it.
	ErrNotEncrypted = errors.New("la base de datos es de una versión anterior y no está cifrada: cree el primer usuario para cifrarla")

	// ErrForbidden is returned (wrapped in a *ForbiddenError) when the
	// unlocked user's roles do not allow an action. Nothing is written.
	ErrForbidden = errors.New("no tiene permiso")

	// ErrOtherDatabase is returned by ScrubCopy when the file to scrub
	// does not open with this database's data key: a copy of another
	// database.
	ErrOtherDatabase = errors.New("es una copia de otra base de datos: no se abre con la clave de esta")
)

// FieldError is one problem with one field, worded for the user.
type FieldError struct {
	Field   string // the Go field name, e.g. "DocNumber"
	Message string // in Spanish, e.g. "La letra del NIE no es correcta: debería ser L."
}

// ValidationError lists every problem found in a record. It wraps ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message
	}
	return strings.Join(msgs, " ")
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// For returns the message for field, or "" when that field is fine.
func (e *ValidationError) For(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// problems collects field errors while validating a record.
type problems []FieldError

func (p *problems) add(field, msg string) {
	*p = append(*p, FieldError{Field: field, Message: msg})
}

// check records err's message against field when err is not nil.
func (p *problems) check(field string, err error) {
	if err != nil {
		p.add(field, err.Error())
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: p}
}
