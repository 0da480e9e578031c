package backup

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sync"

	"filippo.io/age"
)

// checkText is what a passphrase check holds.
const checkText = "Enlace: contraseña de las copias\n"

// NewCheck returns a token, safe to keep in the settings, that lets
// VerifyCheck tell later whether a passphrase typed by the user is the one
// of the backups already made, so that a typo does not quietly start a
// series of backups nobody can open. It is a small age file encrypted with
// the passphrase at the same scrypt cost (2^logN; 0 means
// DefaultWorkFactor) as the backups themselves, so it tells an attacker no
// more than any backup file would.
func NewCheck(passphrase string, logN int) (string, error) {
	if logN == 0 {
		logN = DefaultWorkFactor
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoPassphrase, err)
	}
	r.SetWorkFactor(logN)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return "", err
	}
	if _, err := io.WriteString(w, checkText); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// VerifyCheck returns nil when passphrase is the one check was made with,
// and ErrWrongPassphrase otherwise. It takes as long as opening a backup.
func VerifyCheck(check, passphrase string) error {
	raw, err := base64.StdEncoding.DecodeString(check)
	if err != nil {
		return fmt.Errorf("%w: comprobación ilegible", ErrCorrupt)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoPassphrase, err)
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	r, err := age.Decrypt(bytes.NewReader(raw), id)
	if err != nil {
		return ageHeaderError(err)
	}
	b, err := io.ReadAll(r)
	if err != nil || string(b) != checkText {
		return fmt.Errorf("%w: comprobación dañada", ErrCorrupt)
	}
	return nil
}

// passCheck verifies a backup's passphrase against Options.Check, once.
type passCheck struct {
	check, pass string
	once        sync.Once
	err         error
}

// verify returns nil when there is no check or the passphrase matches it,
// and an error wrapping ErrWrongPassphrase otherwise (an unreadable check
// too: nothing says the passphrase is the one of the backups before). A
// call while another is verifying waits for its outcome.
func (c *passCheck) verify() error {
	c.once.Do(func() {
		if c.check == "" {
			return
		}
		if err := VerifyCheck(c.check, c.pass); err != nil {
			if !errors.Is(err, ErrWrongPassphrase) {
				err = fmt.Errorf("%w (%v)", ErrWrongPassphrase, err)
			}
			c.err = err
		}
	})
	return c.err
}
