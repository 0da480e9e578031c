package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/enlace-madrid/enlace/data"
)

// newFlags returns a flag set for subcommand name with --db already on it.
// Errors are returned, not printed twice.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "ruta de la base de datos (o variable ENLACE_DB)")
	return fs, db
}

// parse parses args, mapping -h to a clean exit and bad flags to exit 2.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0}
		}
		return &exitError{code: 2, msg: fmt.Sprintf("argumentos no válidos: %v", err)}
	}
	return nil
}

// dbPath resolves --db, then ENLACE_DB, then the default path.
func dbPath(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	return data.DefaultPath()
}

// The database is encrypted: commands unlock it with a user's name and
// passphrase, from these variables (scripts, cron, tests) or, on a
// terminal, asked for.
const (
	envUser    = "ENLACE_USER"
	envDBPass  = "ENLACE_PASSPHRASE"
	envNewName = "ENLACE_NAME" // the first user's full name, on a new file
)

// unlockOptions returns o (a new one when nil) with the user and
// passphrase from the environment or the terminal.
func unlockOptions(o *data.Options) (*data.Options, error) {
	if o == nil {
		o = &data.Options{}
	}
	o.Login, o.Passphrase, o.Name = os.Getenv(envUser), os.Getenv(envDBPass), os.Getenv(envNewName)
	if o.Login != "" && o.Passphrase != "" {
		return o, nil
	}
	tty := terminal(os.Stderr)
	if tty == nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf(
			"la base de datos está cifrada y no hay terminal para preguntar el usuario y la contraseña: escríbalos en %s y %s", envUser, envDBPass)}
	}
	var err error
	if o.Login == "" {
		if o.Login, err = tty.ask("Usuario de Enlace: ", false); err != nil {
			return nil, err
		}
	}
	if o.Passphrase == "" {
		if o.Passphrase, err = tty.ask("Contraseña de "+o.Login+": ", true); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// open opens path with o, unlocked with unlockOptions.
func open(path string, o *data.Options) (*data.Store, error) {
	o, err := unlockOptions(o)
	if err != nil {
		return nil, err
	}
	return data.Open(path, o)
}

// openStore opens the database named by --db/ENLACE_DB/default.
func openStore(flagValue string) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	return open(path, nil)
}

// closeStore closes s when a command that writes is done; a failed Close
// becomes the command's error unless it already has one (deferred with
// the command's named error: defer closeStore(s, &err)).
func closeStore(s *data.Store, err *error) {
	if cerr := s.Close(); *err == nil && cerr != nil {
		*err = cerr
	}
}

// openForBackup opens the database named by --db/ENLACE_DB/default as
// openStore does, without building the search index, which a backup never
// uses (data.Options.DeferIndex): that is most of opening a large file.
func openForBackup(flagValue string) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	return open(path, &data.Options{DeferIndex: true})
}

// openReadOnly opens the database named by --db/ENLACE_DB/default for
// reading only. A file from an older Enlace is migrated first (that needs
// one read-write open), so that a coordinator who has just updated Enlace
// can print or back up without opening the window first.
func openReadOnly(flagValue string) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no existe la base de datos %s", path)
	}
	o, err := unlockOptions(&data.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	s, err := data.Open(path, o)
	if !errors.Is(err, data.ErrNeedsUpgrade) {
		return s, err
	}
	o.ReadOnly = false
	rw, err := data.Open(path, o) // migrates (and encrypts a file from before encryption)
	if err != nil {
		return nil, err
	}
	if err := rw.Close(); err != nil {
		return nil, err
	}
	o.ReadOnly = true
	return data.Open(path, o)
}

// userMessage turns an error into one Spanish line for the terminal.
func userMessage(err error) string {
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		return "datos no válidos: " + ve.Error()
	case errors.Is(err, data.ErrLocked):
		return "la base de datos está abierta en otra ventana o programa de Enlace; ciérrelo y vuelva a intentarlo"
	case errors.Is(err, data.ErrSchemaTooNew):
		return "la base de datos es de una versión más nueva de Enlace; actualice Enlace"
	case errors.Is(err, data.ErrWrongPassphrase):
		return "usuario o contraseña incorrectos (" + envUser + ", " + envDBPass + ")"
	case errors.Is(err, data.ErrNoCredentials):
		return "la base de datos está cifrada: indique el usuario y la contraseña en " + envUser + " y " + envDBPass
	case errors.Is(err, data.ErrNotEncrypted):
		return "la base de datos es de una versión anterior y no está cifrada: indique en " + envUser + " y " + envDBPass +
			" el usuario administrador que se creará y su contraseña, y se cifrará al abrirla"
	case errors.Is(err, data.ErrForbidden):
		return err.Error()
	}
	return err.Error()
}
