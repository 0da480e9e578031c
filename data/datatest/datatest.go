// Package datatest opens Enlace stores for the tests of other packages.
// The stores are the real encrypted ones; only the key derivation is made
// cheap, so that a test does not pay argon2id's quarter of a second each
// time it opens a file.
package datatest

import (
	"path/filepath"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// The test user: every role, so that a test of screens or reports can
// take any step of the procedure.
const (
	Login      = "prueba"
	Passphrase = "contraseña de prueba"
	Name       = "Persona de Pruebas"
)

// KDF is the cheapest argon2id cost: for tests only.
var KDF = data.KDF{Time: 1, Memory: 64, Threads: 1}

// Options returns o (a new one when o is nil) with the test user's
// credentials, every role for the first user and the cheap KDF.
func Options(o *data.Options) *data.Options {
	if o == nil {
		o = &data.Options{}
	}
	o.Login, o.Passphrase, o.Name = Login, Passphrase, Name
	o.Roles = data.UserRoles
	o.KDF = KDF
	return o
}

// Open opens a new store in t's temporary folder with Options(o), fails
// t when it cannot, and closes it when the test ends.
func Open(t testing.TB, o *data.Options) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "enlace.db"), Options(o))
	if err != nil {
		t.Fatalf("abrir la base de datos de prueba: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
