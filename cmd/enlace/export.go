package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/enlace-madrid/enlace/reports"
)

const exportUsage = "enlace export people|referrals [--db RUTA] [--format csv|xlsx] [--from --to] -o FICHERO"

// runExport writes the people or the referrals (with their states, dated
// in --from..--to) to a CSV or XLSX file. The format comes from --format
// or else from the file's extension; "-o -" writes to standard output.
// The file appears only once it is complete: a failed export leaves
// nothing half-written.
func runExport(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("export", stderr)
	format := fs.String("format", "", "csv o xlsx (por defecto, la extensión del fichero)")
	out := fs.String("o", "", "fichero de salida («-» para la salida estándar)")
	period := periodFlags(fs)
	// The subject may come before the flags (enlace export people -o x.csv)
	// or after them; the flag package stops at the first non-flag.
	var what string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		what, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if what == "" && fs.NArg() > 0 {
		what = fs.Arg(0)
		if err := parse(fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("sobra «%s»: %s", fs.Arg(0), exportUsage)}
	}
	if what != "people" && what != "referrals" {
		return &exitError{code: 2, msg: "diga qué exportar, people o referrals: " + exportUsage}
	}
	if *out == "" {
		return &exitError{code: 2, msg: "falta el fichero de salida, -o FICHERO: " + exportUsage}
	}
	f, err := exportFormat(*format, *out)
	if err != nil {
		return err
	}
	p, err := period()
	if err != nil {
		return err
	}
	s, err := openExisting(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	write := func(w io.Writer) (int, error) {
		if what == "people" {
			return reports.ExportPeople(w, s, f)
		}
		return reports.ExportReferrals(w, s, p, f)
	}
	if *out == "-" {
		_, err := write(stdout)
		return err
	}
	n, err := writeAtomically(*out, write)
	if err != nil {
		return err
	}
	rows := count(n, "derivación", "derivaciones")
	if what == "people" {
		rows = count(n, "persona", "personas")
	}
	fmt.Fprintf(stderr, "Exportación: %s en %s.\n", rows, *out)
	return nil
}

// exportFormat reads --format, or the extension of the output file.
func exportFormat(flagValue, out string) (reports.Format, error) {
	v := flagValue
	if v == "" {
		v = filepath.Ext(out)
		if v == "" || out == "-" {
			return "", &exitError{code: 2, msg: "diga el formato con --format csv o --format xlsx"}
		}
	}
	f, err := reports.ParseFormat(v)
	if err != nil {
		return "", &exitError{code: 2, msg: err.Error()}
	}
	return f, nil
}

// writeAtomically writes to a temporary file next to path (mode 0600:
// personal data, for the user only) and renames it over path once write
// and the flush to disk succeed.
func writeAtomically(path string, write func(io.Writer) (int, error)) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("crear %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	n, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return n, fmt.Errorf("escribir %s: %w", path, err)
	}
	return n, nil
}
