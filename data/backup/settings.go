package backup

import (
	"errors"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Setting keys in the store. Neither holds a secret.
const (
	configKey = "backup.config"
	statusKey = "backup.status"
)

// Config is what Ajustes keeps about backups.
type Config struct {
	Destinations []Destination `json:"destinations"`
	Daily        bool          `json:"daily"`    // back up once a day while Enlace is open
	OnClose      bool          `json:"on_close"` // back up when the window closes

	// Check lets a typed passphrase be compared with the one of the
	// backups already made (see NewCheck). Empty until the first is set.
	Check string `json:"check,omitempty"`
}

// DefaultConfig is the configuration before the user changes anything:
// no destinations, both automatic backups on (they start with the first
// destination).
func DefaultConfig() Config { return Config{Daily: true, OnClose: true} }

// LoadConfig reads the configuration stored in s, or DefaultConfig.
func LoadConfig(s *data.Store) (Config, error) {
	c := DefaultConfig()
	if err := s.Setting(configKey, &c); err != nil && !errors.Is(err, data.ErrNotFound) {
		return DefaultConfig(), err
	}
	return c, nil
}

// SaveConfig stores c in s.
func SaveConfig(s *data.Store, c Config) error { return s.SetSetting(configKey, c) }

// Status is the record of the backups made to one destination.
type Status struct {
	LastOK   time.Time `json:"last_ok,omitzero"`    // when the last successful backup was made
	LastName string    `json:"last_name,omitempty"` // its name
	LastSize int64     `json:"last_size,omitempty"` // its size, encrypted
	LastTry  time.Time `json:"last_try,omitzero"`   // when the last attempt ended, successful or not
	Failure  string    `json:"failure,omitempty"`   // the last attempt's error code (see Code); "" when it succeeded

	// ScrubbedTo is the newest erasure (data.Store.LastErasure) the
	// backups at the destination were scrubbed of: the ones made before
	// it no longer hold anyone erased up to then (Scrub).
	ScrubbedTo time.Time `json:"scrubbed_to,omitzero"`
	// ScrubPending is how many backups at the destination were found,
	// at the last scrub that did not finish, still to be scrubbed; and
	// ScrubFailure why it did not (a Code).
	ScrubPending int    `json:"scrub_pending,omitempty"`
	ScrubFailure string `json:"scrub_failure,omitempty"`
}

// Failed reports whether the last attempt failed.
func (st Status) Failed() bool { return st.Failure != "" }

// Err is the sentinel error of the last attempt's failure, nil when it
// succeeded.
func (st Status) Err() error {
	if st.Failure == "" {
		return nil
	}
	if err, ok := codes[st.Failure]; ok {
		return err
	}
	return errOther
}

// errOther stands for a failure with no sentinel of its own.
var errOther = errors.New("la copia no se pudo hacer; los detalles están en el registro de Enlace")

// codes names the sentinels in stored statuses, so that the GUI can
// translate them.
var codes = map[string]error{
	"passphrase":   ErrWrongPassphrase,
	"corrupt":      ErrCorrupt,
	"nopassphrase": ErrNoPassphrase,
	"nopassword":   ErrNoPassword,
	"auth":         ErrAuth,
	"nowrite":      ErrNoWrite,
	"certificate":  ErrCertificate,
	"full":         ErrServerFull,
	"unreachable":  ErrUnreachable,
	"interrupted":  ErrInterrupted,
	"diskfull":     ErrDiskFull,
	"nodest":       ErrNoDestination,
	"notfound":     ErrNotFound,
	"nokeyring":    ErrNoKeyring,
	"insecure":     ErrInsecure,
	"server":       ErrServer,
}

// Code is the stored name of err's sentinel: "auth", "full"…, or "other".
func Code(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			for code, e := range codes {
				if e == s {
					return code
				}
			}
		}
	}
	return "other"
}

// Statuses are the statuses of every destination, by Destination.Key.
type Statuses map[string]Status

// LoadStatuses reads the statuses stored in s (empty when none).
func LoadStatuses(s *data.Store) (Statuses, error) {
	st := Statuses{}
	if err := s.Setting(statusKey, &st); err != nil && !errors.Is(err, data.ErrNotFound) {
		return Statuses{}, err
	}
	if st == nil {
		st = Statuses{}
	}
	return st, nil
}

// SaveStatuses stores st in s.
func SaveStatuses(s *data.Store, st Statuses) error { return s.SetState(statusKey, st) }

// Record notes in st the outcome of a backup to d that ended at now: res
// when err is nil, err's code otherwise.
func (st Statuses) Record(d Destination, res Result, err error, now time.Time) {
	s := st[d.Key()]
	s.LastTry = now
	if err != nil {
		s.Failure = Code(err)
	} else {
		s.Failure = ""
		s.LastOK, s.LastName, s.LastSize = now, res.Info.Name, res.Info.Size
	}
	st[d.Key()] = s
}

// MaxAge is how old the last successful backup may be before Enlace warns.
const MaxAge = 24 * time.Hour

// retryAfter is how long an automatic backup waits after a failed attempt
// before trying the same destination again.
const retryAfter = time.Hour

// Due lists the destinations of c that an automatic daily backup should go
// to at now: those with no successful backup in the last MaxAge, and no
// failed attempt in the last hour.
func Due(c Config, st Statuses, now time.Time) []Destination {
	var out []Destination
	for _, d := range c.Destinations {
		s := st[d.Key()]
		if now.Sub(s.LastOK) < MaxAge {
			continue
		}
		if s.Failed() && now.Sub(s.LastTry) < retryAfter {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Overdue lists the destinations of c whose last attempt failed or whose
// last successful backup is older than MaxAge (or never happened).
func Overdue(c Config, st Statuses, now time.Time) []Destination {
	var out []Destination
	for _, d := range c.Destinations {
		s := st[d.Key()]
		if s.Failed() || now.Sub(s.LastOK) >= MaxAge {
			out = append(out, d)
		}
	}
	return out
}

// RecordScrub notes in st the outcome of a scrub of d's backups: up to
// res.Upto when err is nil, the backups still pending and err's code
// otherwise.
func (st Statuses) RecordScrub(d Destination, res Scrubbed, err error) {
	s := st[d.Key()]
	if err != nil {
		s.ScrubFailure = Code(err)
		s.ScrubPending = res.Pending
	} else {
		s.ScrubFailure, s.ScrubPending = "", 0
		if res.Upto.After(s.ScrubbedTo) {
			s.ScrubbedTo = res.Upto
		}
	}
	st[d.Key()] = s
}

// ScrubDue reports whether d's backups may still hold someone erased at
// or before last (data.Store.LastErasure): the last scrub there did not
// reach that erasure.
func (st Statuses) ScrubDue(d Destination, last time.Time) bool {
	return !last.IsZero() && st[d.Key()].ScrubbedTo.Before(last)
}

// ScrubErr is the sentinel error of the last scrub's failure at d, nil
// when it did not fail.
func (st Status) ScrubErr() error {
	if st.ScrubFailure == "" {
		return nil
	}
	if err, ok := codes[st.ScrubFailure]; ok {
		return err
	}
	return errOther
}
