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

// openStore opens the database named by --db/ENLACE_DB/default.
func openStore(flagValue string) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	return data.Open(path, nil)
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
	s, err := data.Open(path, &data.Options{ReadOnly: true})
	if !errors.Is(err, data.ErrNeedsUpgrade) {
		return s, err
	}
	rw, err := data.Open(path, nil) // migrates
	if err != nil {
		return nil, err
	}
	if err := rw.Close(); err != nil {
		return nil, err
	}
	return data.Open(path, &data.Options{ReadOnly: true})
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
	}
	return err.Error()
}
