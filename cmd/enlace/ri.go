package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

const riUsage = "enlace ri estimate|list|deadlines [--db RUTA] [--json] [--project ID|RI/n/año]"

// runRI runs the RI programme subcommands: list, estimate, deadlines.
func runRI(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: "falta qué hacer: " + riUsage}
	}
	switch args[0] {
	case "list":
		return runRIList(args[1:], stdout, stderr)
	case "estimate":
		return runRIEstimate(args[1:], stdout, stderr)
	case "deadlines":
		return runRIDeadlines(args[1:], stdout, stderr)
	}
	return &exitError{code: 2, msg: fmt.Sprintf("no existe «ri %s»: %s", args[0], riUsage)}
}

// riProjectRow is a project as ri list --json prints it.
type riProjectRow struct {
	ID           string `json:"id"`
	Expediente   string `json:"expediente"`
	Entity       string `json:"entity"`
	CallYear     int    `json:"call_year"`
	Tutors       int    `json:"tutors"`
	Participants int    `json:"participants"`
	Referred     int    `json:"referred"`
	TotalCents   *int64 `json:"total_cents,omitempty"` // absent when the SMI of the call year is missing
}

func runRIList(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("ri list", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "sobra «" + fs.Arg(0) + "»: enlace ri list [--db RUTA] [--json]"}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	projects, err := s.RIProjects()
	if err != nil {
		return err
	}
	smi, err := s.SMITable()
	if err != nil {
		return err
	}
	rows := []riProjectRow{}
	for i := range projects {
		p := &projects[i]
		row := riProjectRow{ID: p.ID, Expediente: p.Expediente(), Entity: p.Entity, CallYear: p.SMIYear(),
			Tutors: len(p.Tutors), Participants: len(p.Participants), Referred: p.Referred()}
		if e, err := p.Estimate(smi, nil); err == nil {
			row.TotalCents = &e.Total
		}
		rows = append(rows, row)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rows)
	}
	for _, r := range rows {
		total := "sin SMI del año"
		if r.TotalCents != nil {
			total = data.FormatEuros(*r.TotalCents)
		}
		fmt.Fprintf(stdout, "%-14s %-40s convocatoria %d  %s  %s (%d derivados)  %s\n", r.Expediente, r.Entity, r.CallYear,
			riPlural(r.Tutors, "tutor", "tutores"), riPlural(r.Participants, "participante", "participantes"), r.Referred, total)
	}
	fmt.Fprintln(stdout, riPlural(len(rows), "proyecto", "proyectos"))
	return nil
}

func runRIEstimate(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("ri estimate", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	ref := fs.String("project", "", "proyecto: su identificador o su expediente, como RI/12/2024")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" && fs.NArg() == 1 { // enlace ri estimate RI/12/2024
		*ref = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "sobra «" + fs.Arg(0) + "»: enlace ri estimate --project ID|RI/n/año"}
	}
	if strings.TrimSpace(*ref) == "" {
		return &exitError{code: 2, msg: "falta el proyecto: enlace ri estimate --project ID|RI/n/año"}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	e, err := s.RIEstimate(*ref)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(e)
	}
	printEstimate(stdout, &e)
	return nil
}

// printEstimate writes e as a table with each line's rule under it.
func printEstimate(w io.Writer, e *data.RIEstimate) {
	fmt.Fprintf(w, "Expediente %s · %s\n", e.Expediente, e.Entity)
	fmt.Fprintf(w, "SMI %d: %s al mes · %s derivados · %s\n\n", e.SMIYear, data.FormatEuros(e.SMI),
		riPlural(e.Referred, "participante", "participantes"), riPlural(e.TutorsRequired, "tutor necesario", "tutores necesarios"))
	for _, l := range e.Lines {
		unit := "/mes"
		if l.Concept == data.RIConceptTraining {
			unit = "/h"
		}
		fmt.Fprintf(w, "%-25s %-32s %-18s %14s %16s\n", l.Concept.Label(), l.Who, l.Period(),
			data.FormatEuros(l.Rate)+unit, data.FormatEuros(l.Amount))
		fmt.Fprintf(w, "    %s\n", l.Rule)
	}
	fmt.Fprintln(w)
	for _, t := range []struct {
		name  string
		cents int64
	}{{"Tutores de inserción", e.Tutors}, {"Contratos de participantes", e.Contracts}, {"Formación", e.Training}, {"TOTAL", e.Total}} {
		fmt.Fprintf(w, "%-28s %16s\n", t.name, data.FormatEuros(t.cents))
	}
	if len(e.Notes) > 0 {
		fmt.Fprintln(w, "\nNotas:")
		for _, n := range e.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}

func runRIDeadlines(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("ri deadlines", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "sobra «" + fs.Arg(0) + "»: enlace ri deadlines [--db RUTA] [--json]"}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.RIDeadlines(time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []data.RIDeadline{}
		}
		return json.NewEncoder(stdout).Encode(list)
	}
	for _, d := range list {
		state := ""
		if d.Overdue {
			state = " (VENCIDO)"
		}
		fmt.Fprintf(stdout, "%s%s  %s\n    %s\n", d.Due, state, d.Text, d.Explanation)
	}
	fmt.Fprintln(stdout, riPlural(len(list), "plazo pendiente", "plazos pendientes"))
	return nil
}

// riPlural writes n with the singular or plural noun: "1 tutor", "2 tutores".
func riPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
