package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// runStats prints the programme's statistics over the referrals dated in
// --from..--to (every date when neither is given): a summary to read, or
// with --json one object whose keys other tools rely on (see
// reports.Stats.MarshalJSON).
func runStats(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("stats", stderr)
	period := periodFlags(fs)
	asJSON := fs.Bool("json", false, "salida en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("sobra «%s»: enlace stats [--db RUTA] [--from dd/mm/aaaa] [--to dd/mm/aaaa] [--json]", fs.Arg(0))}
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
	st, err := reports.Statistics(s, p)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false) // "Perú & Bolivia" as written
		return enc.Encode(st)
	}
	printStats(stdout, st)
	return nil
}

// statsDoc is `enlace pdf stats [--from dd/mm/aaaa] [--to dd/mm/aaaa] -o
// ARCHIVO`, the statistics report as PDF: one entry of pdfKinds.
func statsDoc(fs *flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
	period := periodFlags(fs)
	return func(w io.Writer, s *data.Store, opt reports.Options) (string, error) {
		p, err := period()
		if err != nil {
			return "", err
		}
		st, err := reports.Statistics(s, p)
		if err != nil {
			return "", err
		}
		return "estadísticas (" + p.String() + ")", reports.StatsReport(w, st, opt)
	}
}

// openExisting is openStore for the commands that only read: a mistyped
// --db is an error, not a new empty database whose statistics are zeros.
func openExisting(flagValue string) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("no existe la base de datos %s (elíjala con --db RUTA o ENLACE_DB)", path)}
	}
	return openStore(path)
}

// periodFlags adds --from and --to to fs; the function it returns reads
// them once fs is parsed, refusing a date that does not parse (exit 2).
func periodFlags(fs *flag.FlagSet) func() (reports.Period, error) {
	from := fs.String("from", "", "primera fecha de derivación, dd/mm/aaaa (incluida)")
	to := fs.String("to", "", "última fecha de derivación, dd/mm/aaaa (incluida)")
	return func() (reports.Period, error) {
		var p reports.Period
		var err error
		if p.From, err = data.ParseDate(*from); err != nil {
			return p, &exitError{code: 2, msg: "--from: " + err.Error()}
		}
		if p.To, err = data.ParseDate(*to); err != nil {
			return p, &exitError{code: 2, msg: "--to: " + err.Error()}
		}
		if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
			return p, &exitError{code: 2, msg: "--to es anterior a --from"}
		}
		return p, nil
	}
}

// printStats writes st for a person to read.
func printStats(w io.Writer, st reports.Stats) {
	fmt.Fprintf(w, "Derivaciones: %s\n", st.Period)
	fmt.Fprintf(w, "Recibidas:                     %s (AE → OMIOPI %s, OMIOPI → AE %s)\n",
		thousands(st.Total), thousands(st.FromAE), thousands(st.FromOMIOPI))
	fmt.Fprintf(w, "Excluidas:                     %s%s\n", thousands(st.Excluded), inBrackets(st.ExcludedBy))
	fmt.Fprintf(w, "No verificadas por jefatura:   %s\n", thousands(st.NotVerified))
	fmt.Fprintf(w, "Pendientes de decisión:        %s\n", thousands(st.Pending))
	fmt.Fprintf(w, "Bajas voluntarias:             %s\n", thousands(st.Withdrawn))
	fmt.Fprintf(w, "Incluidas por la coordinación: %s\n", thousands(st.Included))
	fmt.Fprintf(w, "En el programa:                %s (recibidas menos excluidas y bajas)\n", thousands(st.InProgramme))
	fmt.Fprintf(w, "Objetivo:                      %s de %s (%d %%)\n", thousands(st.Total), thousands(st.Target), st.TargetPct)
	fmt.Fprintf(w, "Días hasta el primer contacto: %s\n", medianText(st.ToFirstContact))
	fmt.Fprintf(w, "Días hasta la decisión:        %s\n", medianText(st.ToDecision))
	fmt.Fprintln(w)
	for _, b := range []struct {
		title string
		cs    []reports.Count
	}{
		{"Por género", st.ByGender}, {"Por nivel de estudios", st.ByEducation},
		{"Por nacionalidad", st.ByNationality}, {"Por edad", st.ByAge},
		{"Por área", st.ByArea}, {"Por resultado", st.ByOutcome},
	} {
		fmt.Fprintf(w, "%s: %s\n", b.title, listCounts(b.cs))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Perfil                                                        Objetivo  Derivaciones  En el programa")
	for _, p := range st.ByProfile {
		fmt.Fprintf(w, "%-60s %9d %13d %15d\n", cut(p.Name, 60), p.Target, p.Result, p.InProgramme)
	}
}

// listCounts writes the groups with referrals: "Venezuela 11, Perú 10".
func listCounts(cs []reports.Count) string {
	var parts []string
	for _, c := range cs {
		if c.N > 0 {
			parts = append(parts, c.Label+" "+thousands(c.N))
		}
	}
	if len(parts) == 0 {
		return "ninguna"
	}
	return strings.Join(parts, ", ")
}

func inBrackets(cs []reports.Count) string {
	if l := listCounts(cs); l != "ninguna" {
		return " (" + l + ")"
	}
	return ""
}

func medianText(m reports.Median) string {
	if m.N == 0 {
		return "sin datos"
	}
	d := strings.Replace(fmt.Sprint(m.Days), ".", ",", 1)
	return fmt.Sprintf("mediana %s (de %s derivaciones)", d, thousands(m.N))
}

// cut shortens s to n characters with "…".
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
