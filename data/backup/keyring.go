package backup

import (
	"errors"
	"fmt"
	"sync"

	"github.com/zalando/go-keyring"
)

// ErrNoSecret is returned by Secrets.Get when nothing is stored under the key.
var ErrNoSecret = errors.New("no hay ninguna contraseña guardada")

// Secrets keeps passwords: the backup passphrase and WebDAV app passwords.
// Keyring is the operating system's credential store; Memory keeps them
// for the session only, where there is no store (and in tests).
type Secrets interface {
	// Get returns the secret under key: ErrNoSecret when there is none,
	// ErrNoKeyring when the system has no credential store.
	Get(key string) (string, error)
	// Set stores value under key; ErrNoKeyring when there is no store.
	Set(key, value string) error
	// Delete forgets key; a missing key is not an error.
	Delete(key string) error
}

// PassphraseKey is the key of the backup passphrase in Secrets.
const PassphraseKey = "backup-passphrase"

// keyringService names Enlace's entries in the credential store (Windows
// Credential Manager: "Enlace"; Secret Service: service=Enlace).
const keyringService = "Enlace"

// Keyring returns the operating system's credential store: Windows
// Credential Manager, or the Secret Service on Linux (GNOME Keyring,
// KWallet). Its calls may block while the system asks the user to unlock
// the store: do not call them on the GUI's goroutine.
func Keyring() Secrets { return osKeyring{} }

type osKeyring struct{}

func (osKeyring) Get(key string) (string, error) {
	v, err := keyring.Get(keyringService, key)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", ErrNoSecret
	case err != nil:
		return "", fmt.Errorf("%w (%v)", ErrNoKeyring, err)
	}
	return v, nil
}

func (osKeyring) Set(key, value string) error {
	if err := keyring.Set(keyringService, key, value); err != nil {
		return fmt.Errorf("%w (%v)", ErrNoKeyring, err)
	}
	return nil
}

func (osKeyring) Delete(key string) error {
	err := keyring.Delete(keyringService, key)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("%w (%v)", ErrNoKeyring, err)
	}
	return nil
}

// Memory returns Secrets held in this process's memory only.
func Memory() Secrets { return &memory{m: map[string]string{}} }

type memory struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memory) Get(key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return "", ErrNoSecret
	}
	return v, nil
}

func (s *memory) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

func (s *memory) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// Layered returns Secrets that read from first and then from second, and
// write to first, falling back to second when first has no store: the
// system store when there is one, this session's memory otherwise.
func Layered(first, second Secrets) Secrets { return layered{first, second} }

type layered struct{ a, b Secrets }

func (l layered) Get(key string) (string, error) {
	v, err := l.a.Get(key)
	if err == nil {
		return v, nil
	}
	if v2, err2 := l.b.Get(key); err2 == nil {
		return v2, nil
	}
	return "", err
}

func (l layered) Set(key, value string) error {
	if err := l.a.Set(key, value); err != nil {
		if err2 := l.b.Set(key, value); err2 != nil {
			return err2
		}
		return err // stored for the session only: the caller may say so
	}
	return nil
}

func (l layered) Delete(key string) error {
	_ = l.b.Delete(key)
	return l.a.Delete(key)
}
