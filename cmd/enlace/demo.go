package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/demo"
)

// progressFrom is the number of people from which `enlace demo` reports
// its progress on stderr.
const progressFrom = 5000

func runDemo(args []string, stdout, stderr io.Writer) error {
	flags, db := newFlags("demo", stderr)
	people := flags.Int("people", 200, "número de personas ficticias")
	events := flags.Int("events", 8, "eventos por persona, de media")
	seed := flags.Uint64("seed", 2022, "semilla: la misma semilla da las mismas personas")
	force := flags.Bool("force", false, "añadir las personas aunque la base de datos ya tenga otras")
	if err := parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("sobra «%s»: enlace demo [--db RUTA] [--people N] [--force]", flags.Arg(0))}
	}
	if *people < 1 || *events < 0 {
		return &exitError{code: 2, msg: "--people tiene que ser al menos 1 y --events no puede ser negativo"}
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	// A new file can be written without fsync and flushed once at the end;
	// an existing one (perhaps real data, with --force) keeps every commit
	// durable.
	_, statErr := os.Stat(path)
	fresh := errors.Is(statErr, fs.ErrNotExist)
	// A demo database's first user can take every step, so that the demo
	// can move referrals through the whole procedure.
	s, err := open(path, &data.Options{NoSync: fresh, Roles: data.UserRoles})
	if err != nil {
		return err
	}
	defer s.Close()
	if n := s.PersonCount(); n > 0 && !*force {
		return &exitError{code: 1, msg: fmt.Sprintf(
			"la base de datos %s ya tiene %s: no se mezclan con las de demostración. Use otra ruta con --db, o --force para añadirlas igualmente", path, count(n, "persona", "personas"))}
	}
	opt := demo.Options{People: *people, EventsPerPerson: *events, Seed: *seed}
	if *events == 0 {
		opt.EventsPerPerson = -1 // Options reads 0 as the default
	}
	if *people >= progressFrom {
		opt.Progress = progressPrinter(stderr)
	}
	sum, err := demo.Populate(s, opt)
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("cerrar %s: %w", path, err)
	}
	if fresh {
		if err := syncFile(path); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Base de datos de demostración creada en %s: %s, %s, %s, %s, %s.\n", path,
		count(sum.Offices, "oficina", "oficinas"), count(sum.Staff, "persona de personal", "personas de personal"),
		count(sum.People, "persona", "personas"), count(sum.Events, "evento", "eventos"),
		count(sum.Referrals, "derivación", "derivaciones"))
	return nil
}

// progressPrinter reports every 5 % on stderr: on one line rewritten in
// place on a terminal, a line each time otherwise (a log file).
func progressPrinter(w io.Writer) func(done, total int) {
	start, last := time.Now(), -1
	lineEnd := "\n"
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			lineEnd = ""
		}
	}
	return func(done, total int) {
		pct := done * 100 / total
		if pct/5 == last/5 && done != total {
			return
		}
		last = pct
		if lineEnd == "" {
			fmt.Fprint(w, "\r")
		}
		fmt.Fprintf(w, "Creando personas: %s de %s (%d %%), %s%s", thousands(done), thousands(total), pct,
			time.Since(start).Round(time.Second), lineEnd)
		if lineEnd == "" && done == total {
			fmt.Fprintln(w)
		}
	}
}

// syncFile flushes path to disk: the store was written without fsync.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("guardar %s en el disco: %w", path, err)
	}
	return nil
}

// count writes n and the noun for it: "1 persona", "1.612 eventos".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands writes n with dots between thousands, as Spanish does: 1.612.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
