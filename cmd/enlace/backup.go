package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
)

// Environment variables the backup commands read, for scripts and cron.
const (
	envPassphrase = "ENLACE_BACKUP_PASSPHRASE"
	envDAVUser    = "ENLACE_WEBDAV_USER"
	envDAVPass    = "ENLACE_WEBDAV_PASSWORD"
)

const noTerminal = "no hay terminal para preguntar %s: " +
	"escríbala en la variable %s o ejecute la orden en un terminal"

// terminal returns a way to ask the user, or nil when stdin is not a
// terminal (cron, a pipe). Tests replace it.
var terminal = func(stderr io.Writer) asker {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil
	}
	return ttyAsker{stderr}
}

// asker asks the user for a line, secret (no echo) or not.
type asker interface {
	ask(prompt string, secret bool) (string, error)
}

type ttyAsker struct{ out io.Writer }

func (a ttyAsker) ask(prompt string, secret bool) (string, error) {
	fmt.Fprint(a.out, prompt)
	if secret {
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(a.out)
		return string(b), err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	return strings.TrimSpace(line), err
}

func runBackup(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "list" {
		return runBackupList(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "scrub" {
		return runBackupScrub(args[1:], stdout, stderr)
	}
	s, cfg, dests, err := backupTargets("backup", " (¿quería «enlace backup list»?)", args, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	pass, err := passphrase(stderr, cfg.Check == "")
	if err != nil {
		return err
	}
	check, err := checkPassphrase(s, &cfg, pass)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := backup.LoadStatuses(s)
	if err != nil {
		return err
	}
	var failed error
	for _, d := range dests {
		if d, err = withPassword(d, stderr); err != nil {
			return err
		}
		res, err := backup.Backup(ctx, s, d, pass, &backup.Options{Progress: progress(stderr), Check: check})
		if errors.Is(err, backup.ErrWrongPassphrase) {
			// Not the passphrase of the backups before: nothing to record.
			return &exitError{code: 2, msg: "esa no es la contraseña de las copias anteriores de esta base de datos; " +
				"si la ha olvidado, póngale una nueva en Ajustes (las copias ya hechas seguirán necesitando la anterior)"}
		}
		check = "" // Backup verified it: the next destinations need not
		if err == nil {
			err = s.LogExport("copia de seguridad", "", d.String()+": "+res.Info.Name)
		}
		st.Record(d, res, err, time.Now())
		if err != nil {
			fmt.Fprintf(stderr, "enlace: copia en %s: %s\n", d, backup.Message(err))
			failed = err
			continue
		}
		fmt.Fprintf(stdout, "Copia guardada en %s: %s (%s, %s personas, %s eventos).\n", d, res.Info.Name,
			data.FormatSize(res.Info.Size), thousands(res.Manifest.Counts.People), thousands(res.Manifest.Counts.Events))
		if res.PruneErr != nil {
			fmt.Fprintf(stderr, "enlace: no se pudieron borrar las copias antiguas de %s: %s\n", d, backup.Message(res.PruneErr))
		}
		// The backups made there before an erasure not yet carried there
		// (the destination was unplugged or down then) lose the person now.
		sc, ran, err := backup.ScrubIfDue(ctx, s, d, pass, st, &backup.Options{Progress: progress(stderr), Check: cfg.Check})
		if ran {
			printScrub(stdout, stderr, d, sc, err)
		}
	}
	if err := backup.SaveStatuses(s, st); err != nil {
		fmt.Fprintf(stderr, "enlace: no se pudo anotar el resultado de la copia: %v\n", err)
	}
	if failed != nil {
		return &exitError{code: 1}
	}
	return nil
}

// backupTargets parses the flags of a command that writes to the
// backup destinations (--db, --to), opens the store and finds the
// destinations: the one of --to, or those of Ajustes. hint follows the
// message for an extra argument. The caller closes the store.
func backupTargets(name, hint string, args []string, stderr io.Writer) (*data.Store, backup.Config, []backup.Destination, error) {
	fs, db := newFlags(name, stderr)
	to := fs.String("to", "", "destino: una carpeta o una dirección WebDAV (https://…); sin él, los destinos de Ajustes")
	if err := parse(fs, args); err != nil {
		return nil, backup.Config{}, nil, err
	}
	if fs.NArg() > 0 {
		return nil, backup.Config{}, nil, &exitError{code: 2, msg: fmt.Sprintf("argumento de más: %q%s", fs.Arg(0), hint)}
	}
	s, err := openForBackup(*db)
	if err != nil {
		return nil, backup.Config{}, nil, err
	}
	cfg, err := backup.LoadConfig(s)
	if err == nil {
		var dests []backup.Destination
		if dests, err = destinations(*to, cfg); err == nil {
			return s, cfg, dests, nil
		}
	}
	s.Close()
	return nil, backup.Config{}, nil, err
}

// runBackupScrub rewrites, at each destination, the backups made before
// an erasure without the erased people (see backup.Scrub).
func runBackupScrub(args []string, stdout, stderr io.Writer) error {
	s, cfg, dests, err := backupTargets("backup scrub", "", args, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	last, err := s.LastErasure()
	if err != nil {
		return err
	}
	if last.IsZero() {
		fmt.Fprintln(stdout, "No se ha suprimido a nadie de esta base de datos: no hay copias que limpiar.")
		return nil
	}
	pass, err := passphrase(stderr, false)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := backup.LoadStatuses(s)
	if err != nil {
		return err
	}
	var failed error
	for _, d := range dests {
		if d, err = withPassword(d, stderr); err != nil {
			return err
		}
		res, err := backup.Scrub(ctx, s, d, pass, &backup.Options{Progress: progress(stderr), Check: cfg.Check})
		if errors.Is(err, backup.ErrWrongPassphrase) {
			return &exitError{code: 2, msg: "esa no es la contraseña de las copias de esta base de datos"}
		}
		st.RecordScrub(d, res, err)
		printScrub(stdout, stderr, d, res, err)
		if err != nil {
			failed = err
		}
	}
	if err := backup.SaveStatuses(s, st); err != nil {
		fmt.Fprintf(stderr, "enlace: no se pudo anotar el resultado de la limpieza: %v\n", err)
	}
	if failed != nil {
		return &exitError{code: 1}
	}
	return nil
}

// printScrub says what a scrub of d did.
func printScrub(stdout, stderr io.Writer, d backup.Destination, res backup.Scrubbed, err error) {
	if err != nil {
		fmt.Fprintf(stderr, "enlace: limpieza de las copias de %s: %s; %s quedan pendientes y se limpiarán en la próxima copia\n",
			d, backup.Message(err), copias(res.Pending))
		return
	}
	fmt.Fprintf(stdout, "Limpieza de las copias de %s: %s, %s sin las personas suprimidas.\n", d,
		plural(res.Checked, "copia revisada", "copias revisadas"), plural(res.Rewritten, "reescrita", "reescritas"))
	if len(res.Skipped) > 0 {
		fmt.Fprintf(stdout, "  %s no se abren con la contraseña actual de las copias (o están dañadas) y quedan como estaban: %s\n",
			copias(len(res.Skipped)), strings.Join(res.Skipped, ", "))
	}
	if res.Purged > 0 {
		fmt.Fprintf(stdout, "  Borradas en Nextcloud %d versiones antiguas o entradas de la papelera.\n", res.Purged)
	}
}

// copias is "1 copia" or "N copias".
func copias(n int) string { return plural(n, "copia", "copias") }

// plural is n and one or many, as n asks.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func runBackupList(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("backup list", stderr)
	from := fs.String("from", "", "destino: una carpeta o una dirección WebDAV (https://…); sin él, los destinos de Ajustes")
	if err := parse(fs, args); err != nil {
		return err
	}
	var cfg backup.Config
	if *from == "" { // only then is the database needed: a new laptop has none yet
		s, err := openStore(*db)
		if err != nil {
			return err
		}
		cfg, err = backup.LoadConfig(s)
		s.Close()
		if err != nil {
			return err
		}
	}
	dests, err := destinations(*from, cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	for _, d := range dests {
		if d, err = withPassword(d, stderr); err != nil {
			return err
		}
		list, err := backup.List(ctx, d)
		if err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("%s: %s", d, backup.Message(err))}
		}
		fmt.Fprintf(stdout, "%s: %d copias\n", d, len(list))
		for _, b := range list {
			fmt.Fprintf(stdout, "  %-32s %s  %10s\n", b.Name, b.Time.In(data.Madrid()).Format("02/01/2006 15:04"), data.FormatSize(b.Size))
		}
	}
	return nil
}

func runRestore(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("restore", stderr)
	from := fs.String("from", "", "destino donde está la copia: una carpeta o una dirección WebDAV; sin él, los destinos de Ajustes")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return &exitError{code: 2, msg: "falta la copia: enlace restore COPIA [--from DESTINO] (vea «enlace backup list»; «latest» es la más reciente)"}
	}
	name := fs.Arg(0)
	if err := parse(fs, fs.Args()[1:]); err != nil { // flags after the name
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("argumento de más: %q", fs.Arg(0))}
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	d, name, err := restoreSource(ctx, *from, name, path, stderr)
	if err != nil {
		return err
	}
	pass, err := passphrase(stderr, false)
	if err != nil {
		return err
	}
	res, err := backup.Restore(ctx, d, name, pass, path, &backup.Options{Progress: progress(stderr)})
	if err != nil {
		return &exitError{code: 1, msg: backup.Message(err)}
	}
	c := res.Manifest.Counts
	fmt.Fprintf(stdout, "Restaurada la copia %s del %s en %s: %s personas, %s eventos, %s oficinas, %s personas de personal.\n",
		name, res.Manifest.Created.In(data.Madrid()).Format("02/01/2006 15:04"), path,
		thousands(c.People), thousands(c.Events), thousands(c.Offices), thousands(c.Staff))
	if res.Before != "" {
		fmt.Fprintf(stdout, "La base de datos anterior queda guardada en %s.\n", res.Before)
	}
	return nil
}

// restoreSource finds where the backup called name is: --from; a backup
// file given by its path; or the destinations configured in the database.
// "latest" is the newest backup there.
func restoreSource(ctx context.Context, from, name, dbPath string, stderr io.Writer) (backup.Destination, string, error) {
	var dests []backup.Destination
	switch {
	case from != "":
		d, err := backup.ParseDestination(from)
		if err != nil {
			return d, "", &exitError{code: 2, msg: backup.Message(err)}
		}
		dests = []backup.Destination{d}
	case strings.ContainsAny(name, `/\`):
		abs, err := filepath.Abs(name)
		if err != nil {
			return backup.Destination{}, "", err
		}
		return backup.Destination{Kind: backup.KindFolder, Path: filepath.Dir(abs)}, filepath.Base(abs), nil
	default:
		s, err := openReadOnly(dbPath)
		if err != nil {
			return backup.Destination{}, "", fmt.Errorf("leer los destinos de Ajustes (o use --from): %w", err)
		}
		cfg, err := backup.LoadConfig(s)
		s.Close()
		if err != nil {
			return backup.Destination{}, "", err
		}
		if dests = cfg.Destinations; len(dests) == 0 {
			return backup.Destination{}, "", &exitError{code: 2, msg: "no hay destinos de copia configurados: indique dónde está la copia con --from"}
		}
	}
	for _, d := range dests {
		d, err := withPassword(d, stderr)
		if err != nil {
			return d, "", err
		}
		list, err := backup.List(ctx, d)
		if err != nil {
			if len(dests) == 1 {
				return d, "", &exitError{code: 1, msg: fmt.Sprintf("%s: %s", d, backup.Message(err))}
			}
			continue
		}
		for _, b := range list {
			if b.Name == name || name == "latest" {
				return d, b.Name, nil
			}
		}
	}
	return backup.Destination{}, "", &exitError{code: 1, msg: fmt.Sprintf("no se encuentra la copia %q (vea «enlace backup list»)", name)}
}

// destinations is flag's destination, or else the configured ones.
func destinations(flag string, cfg backup.Config) ([]backup.Destination, error) {
	if flag != "" {
		d, err := backup.ParseDestination(flag)
		if err != nil {
			return nil, &exitError{code: 2, msg: backup.Message(err)}
		}
		return []backup.Destination{d}, nil
	}
	if len(cfg.Destinations) == 0 {
		return nil, &exitError{code: 2, msg: "no hay destinos de copia configurados: use --to CARPETA o --to https://… (o configúrelos en Ajustes)"}
	}
	return cfg.Destinations, nil
}

// passphrase finds the backup passphrase: ENLACE_BACKUP_PASSPHRASE, the
// credential store (where Ajustes keeps it), or the terminal; a new one
// (confirm) is asked twice. Without any of them it exits 2.
func passphrase(stderr io.Writer, confirm bool) (string, error) {
	if v := os.Getenv(envPassphrase); v != "" {
		return v, nil
	}
	if v, err := backup.Keyring().Get(backup.PassphraseKey); err == nil && v != "" {
		return v, nil
	}
	a := terminal(stderr)
	if a == nil {
		return "", &exitError{code: 2, msg: fmt.Sprintf(noTerminal, "la contraseña de las copias", envPassphrase)}
	}
	v, err := a.ask("Contraseña de las copias: ", true)
	if err != nil {
		return "", err
	}
	if !confirm {
		return v, nil
	}
	if len([]rune(v)) < backup.MinPassphrase {
		return "", &exitError{code: 2, msg: fmt.Sprintf("la contraseña de las copias necesita al menos %d caracteres", backup.MinPassphrase)}
	}
	again, err := a.ask("Repítala: ", true)
	if err != nil {
		return "", err
	}
	if again != v {
		return "", &exitError{code: 2, msg: "las dos contraseñas no coinciden"}
	}
	return v, nil
}

// checkPassphrase returns the check of the backups already made
// (Ajustes keeps a check of the passphrase, never the passphrase), which
// backup.Backup verifies pass against (backup.Options.Check), so that a
// typo or a stale ENLACE_BACKUP_PASSPHRASE does not start a series of
// backups nobody can open. Verifying it is a scrypt as costly as the
// backup's own key: the backup does it while the snapshot is compressed,
// and before anything reaches the destination. The first passphrase sets
// the check, and there is then nothing to verify.
func checkPassphrase(s *data.Store, cfg *backup.Config, pass string) (string, error) {
	if cfg.Check != "" {
		return cfg.Check, nil
	}
	if len([]rune(pass)) < backup.MinPassphrase {
		return "", &exitError{code: 2, msg: fmt.Sprintf("la contraseña de las copias necesita al menos %d caracteres", backup.MinPassphrase)}
	}
	check, err := backup.NewCheck(pass, 0)
	if err != nil {
		return "", err
	}
	cfg.Check = check
	return "", backup.SaveConfig(s, *cfg)
}

// withPassword completes a WebDAV destination's credentials from
// ENLACE_WEBDAV_USER and ENLACE_WEBDAV_PASSWORD, the credential store or
// the terminal.
func withPassword(d backup.Destination, stderr io.Writer) (backup.Destination, error) {
	if d.Kind != backup.KindWebDAV || d.Password != "" {
		return d, nil
	}
	if d.User == "" {
		d.User = os.Getenv(envDAVUser)
	}
	if v := os.Getenv(envDAVPass); v != "" {
		d.Password = v
		return d, nil
	}
	if v, err := backup.Keyring().Get(d.Key()); err == nil {
		d.Password = v
		return d, nil
	}
	a := terminal(stderr)
	if a == nil {
		return d, &exitError{code: 2, msg: fmt.Sprintf(noTerminal, "la contraseña de WebDAV", envDAVPass)}
	}
	var err error
	if d.User == "" {
		if d.User, err = a.ask("Usuario de "+d.URL+": ", false); err != nil {
			return d, err
		}
	}
	d.Password, err = a.ask("Contraseña de aplicación de "+d.User+": ", true)
	return d, err
}

// progress prints the steps on a terminal's stderr, one line rewritten.
func progress(stderr io.Writer) func(backup.Progress) {
	if f, ok := stderr.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	last := ""
	return func(p backup.Progress) {
		line := p.Step.String() + "…"
		if p.Total > 0 {
			line += fmt.Sprintf(" %3d %%", min(100, p.Done*100/p.Total))
		}
		if line != last {
			fmt.Fprintf(stderr, "\r%-50s", line)
			last = line
		}
		if p.Total > 0 && p.Done >= p.Total {
			fmt.Fprint(stderr, "\r", strings.Repeat(" ", 50), "\r")
		}
	}
}
