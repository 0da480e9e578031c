package sync

import (
	"errors"
	"time"

	"filippo.io/age"
)

// Batches that do not open. A batch (or the head that names it) of one
// device that is altered, badly signed, encrypted to a key that does not
// fit, missing from the server, or with a person's box that does not
// open, holds back that device alone, from that batch on, as a refused
// batch does (refused.go): every other device's batches are applied, and
// every install comes to the same set. It is kept with the refusals
// (Refusal.Broken, with its cause) and listed with them in Ajustes →
// Sincronización and `enlace sync status`.
//
// Unlike a refused batch, it cannot be skipped: what it holds is unknown
// or untrusted, so there is nothing to apply "without the actions its
// signer may not take". The ways out:
//
//   - it is read again at each sync (its head and the batch, two
//     requests), so it is taken as soon as it opens: the file repaired on
//     the server (put back from a backup of the folder), a person's key
//     put back, the member list corrected;
//   - its writer, which checks its own batches every so often, publishes
//     it again as a later batch that the head names (repair.go), which
//     readers take in its place, if it still knows its operations;
//   - if it is not, the administration removes the device from the space
//     («Retirar un equipo…»): nothing of it is waited for any more (its batches
//     before the broken one stay applied), and that computer is invited
//     again under a new name.
//
// A network failure (the server down, an error 5xx, a dropped connection)
// is not a broken batch: the whole sync fails, applies nothing, and is
// tried again later.

// The causes of a batch that does not open, as Refusal.Cause words them.
const (
	causeTampered = "el fichero está alterado o no lo firmó ese equipo"
	causeDecrypt  = "no se puede descifrar con las claves del espacio que tiene este equipo"
	causeEpoch    = "está cifrado con una clave del espacio que ese equipo no podía usar"
	causeRemoved  = "es de después de que ese equipo se retirara del espacio"
	causeMissing  = "falta en el servidor"
	causeBox      = "los datos de una persona que lleva no se pueden abrir: su clave falta o está alterada"
	causeHead     = "el estado que publica ese equipo (su último lote) está alterado o no lo firmó él"
	causeDamaged  = "está dañado o es de una versión de Enlace que este equipo no conoce"
)

// HoldCauses lists every cause a batch that does not open can have, for
// the interface's translations.
func HoldCauses() []string {
	return []string{causeTampered, causeDecrypt, causeEpoch, causeRemoved, causeMissing, causeBox, causeHead, causeDamaged}
}

// causeOf words why a batch did not open, from openBatch's error (or
// GetBatch's errMissing).
func causeOf(err error) string {
	var nomatch *age.NoIdentityMatchError
	switch {
	case errors.Is(err, errMissing):
		return causeMissing
	case errors.Is(err, ErrEpoch):
		return causeEpoch
	case errors.Is(err, ErrRemoved):
		return causeRemoved
	case errors.Is(err, ErrTampered):
		return causeTampered
	case errors.As(err, &nomatch):
		return causeDecrypt
	}
	return causeDamaged
}

// hold makes the hold of m's device at its batch seq, which did not open
// for cause (err says how). The first time it was held there is kept.
func (in *Install) hold(m Member, seq uint64, cause string, err error, now time.Time) Refusal {
	r := Refusal{Device: m.Device, Seq: seq, User: m.User, Name: m.Name, Roles: m.rolesFor(seq), At: now,
		Members: membersDigest(in.cfg.Membership), Broken: true, Cause: cause, Detail: err.Error()}
	if old, ok := in.refusal(r.Device, r.Seq); ok {
		r.At = old.At
	}
	return r
}

// brokenAt reports whether a removed device is held back at its batch
// seq because it did not open: nothing can change it any more, so it is
// not read again.
func (in *Install) brokenAt(device string, seq uint64) bool {
	r, ok := in.refusal(device, seq)
	return ok && r.Broken
}
