package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/enlace-madrid/enlace/data/forms"
)

const importUsage = "enlace import forms [--db RUTA] [--dry-run] [--skip-invalid] FICHERO.csv|.xlsx"

// runImport is `enlace import forms`: it imports the referral form's CSV
// export. By default all or nothing: one invalid row and nothing is
// written (exit 1, every problem on stderr). --skip-invalid imports the
// valid rows and writes the rejected ones, untouched, beside the input.
// --dry-run says what would happen and writes nothing.
func runImport(args []string, stdout, stderr io.Writer) (err error) {
	if len(args) > 0 && args[0] == "pdf" {
		return runImportPDF(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "forms" {
		return &exitError{code: 2, msg: "falta qué importar: " + importUsage + " | " + importPDFUsage}
	}
	flags, db := newFlags("import forms", stderr)
	dry := flags.Bool("dry-run", false, "comprobar el fichero y decir qué se importaría, sin escribir nada")
	skip := flags.Bool("skip-invalid", false, "importar las filas válidas y dejar las otras en FICHERO-rechazadas.csv")
	author := flags.String("author", "", authorUsage)
	files, err := parseAnywhere(flags, args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return &exitError{code: 2, msg: "indique un fichero CSV: " + importUsage}
	}
	path := files[0]
	f, err := readForms(path)
	if err != nil {
		return err
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer closeStore(s, &err)
	plan, err := forms.Check(s, f)
	if err != nil {
		return err
	}
	if *dry {
		return dryRun(plan, *skip, stdout, stderr)
	}
	res, err := plan.Import(s, signer(s, *author), *skip)
	var rows *forms.RowsError
	if errors.As(err, &rows) {
		printProblems(stderr, rows.Problems)
		return &exitError{code: 1, msg: fmt.Sprintf("no se ha importado nada: %s. Corríjalas en el fichero o use --skip-invalid para importar solo las válidas.",
			rowCount(rows.Rows, "fila no es válida", "filas no son válidas"))}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res.Summary())
	printReviews(stdout, plan)
	if bad := plan.Rejected(); len(bad) > 0 {
		out, err := writeRejected(plan.File, path, bad)
		if err != nil {
			return err
		}
		printProblems(stderr, plan.Problems()[:invalidCount(plan)])
		fmt.Fprintf(stderr, "Las filas rechazadas, tal como estaban, están en %s: corríjalas e impórtelo.\n", out)
	}
	return nil
}

// parseAnywhere parses flags written before or after the file name.
func parseAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func readForms(path string) (*forms.File, error) {
	in, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no existe el fichero %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("abrir %s: %w", path, err)
	}
	defer in.Close()
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return forms.ReadXLSX(in)
	}
	return forms.Read(in)
}

// dryRun prints what Import would do. It exits 1 when invalid rows would
// stop the import.
func dryRun(plan *forms.Plan, skip bool, stdout, stderr io.Writer) error {
	res := plan.Preview(skip)
	if n := len(plan.Rejected()); n > 0 && !skip {
		printProblems(stderr, plan.Problems()[:invalidCount(plan)])
		return &exitError{code: 1, msg: fmt.Sprintf("prueba: no se importaría nada: %s.", rowCount(n, "fila no es válida", "filas no son válidas"))}
	}
	fmt.Fprintln(stdout, "Prueba, no se ha escrito nada. "+res.DrySummary())
	printReviews(stdout, plan)
	printProblems(stderr, plan.Problems()[:invalidCount(plan)])
	return nil
}

// invalidCount is how many of plan.Problems() are rejections (they come first).
func invalidCount(plan *forms.Plan) int {
	n := 0
	for _, p := range plan.Problems() {
		if p.Severity == forms.Invalid {
			n++
		}
	}
	return n
}

func printProblems(w io.Writer, probs []forms.Problem) {
	for _, p := range probs {
		fmt.Fprintln(w, p.String())
	}
}

// printReviews lists what the coordinator should check, one per line.
func printReviews(w io.Writer, plan *forms.Plan) {
	for _, p := range plan.Problems()[invalidCount(plan):] {
		fmt.Fprintln(w, "revisar: "+p.String())
	}
}

// writeRejected writes the rejected rows beside the input as
// NAME-rechazadas.csv and returns its path.
func writeRejected(f *forms.File, input string, rows []int) (string, error) {
	ext := filepath.Ext(input)
	out := strings.TrimSuffix(input, ext) + "-rechazadas" + ext
	if ext == "" {
		out += ".csv"
	}
	// 0600 like every export: the rows carry names, documents and phones.
	if _, err := writeAtomically(out, func(w io.Writer) (int, error) { return len(rows), f.WriteRejected(w, rows) }); err != nil {
		return "", fmt.Errorf("escribir las filas rechazadas: %w", err)
	}
	return out, nil
}

func rowCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
