package main

import (
	"encoding/json"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

const auditUsage = "enlace audit [--db RUTA] [--person ID] [--limit N] [--json | -o FICHERO.xlsx|.csv]"

// runAudit shows the audit trail, newest first: every change (who, when,
// which record and fields, old and new values) and every export. With -o
// it exports the whole trail (or one person's) to Excel or CSV, which is
// itself recorded.
func runAudit(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("audit", stderr)
	person := fs.String("person", "", "solo las entradas sobre esta persona (su identificador)")
	limit := fs.Int("limit", 50, "cuántas entradas mostrar (0: todas)")
	asJSON := fs.Bool("json", false, "JSON, para programas")
	out := fs.String("o", "", "exportar a este fichero (.xlsx o .csv)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("sobra «%s»: %s", fs.Arg(0), auditUsage)}
	}
	s, err := openExisting(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	f := data.AuditFilter{Subject: *person}
	if *out != "" {
		format, err := exportFormat("", *out)
		if err != nil {
			return err
		}
		n, err := writeAtomically(*out, func(w io.Writer) (int, error) { return reports.ExportAudit(w, s, f, format) })
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "Registro: %s en %s.\n", count(n, "entrada", "entradas"), *out)
		return nil
	}
	f.Limit = *limit
	entries, err := s.Audit(f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	r := reports.NewAuditReader(s, nil)
	for _, e := range entries {
		record := e.Record
		if !printable(record) { // a timeline entry's key: person, time, ID
			record = ""
		}
		fmt.Fprintf(stdout, "%s  %s  %s %s %s\n", e.At.In(data.Madrid()).Format("02/01/2006 15:04"), e.User, e.Op.Label(), r.Kind(e), record)
		for _, line := range r.Fields(e) {
			fmt.Fprintf(stdout, "    %s\n", line)
		}
		if e.Detail != "" {
			fmt.Fprintf(stdout, "    %s\n", e.Detail)
		}
	}
	return nil
}

// printable reports whether s is text a terminal shows as such.
func printable(s string) bool {
	for _, c := range s {
		if !unicode.IsPrint(c) {
			return false
		}
	}
	return utf8.ValidString(s)
}
