package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/enlace-madrid/enlace/data"
)

func runInfo(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("info", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.Count()
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Path   string `json:"path"`
			Schema int    `json:"schema"`
			data.Counts
		}{s.Path(), data.SchemaVersion, c})
	}
	fmt.Fprintf(stdout, "Base de datos: %s\nPersonas: %d\nEventos: %d\nOficinas: %d\nPersonal: %d\n",
		s.Path(), c.People, c.Events, c.Offices, c.Staff)
	return nil
}

func runSearch(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("search", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	limit := fs.Int("limit", 20, "número máximo de resultados")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return &exitError{code: 2, msg: "falta el texto a buscar: enlace search [--db RUTA] TEXTO"}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	query := fs.Arg(0)
	for _, a := range fs.Args()[1:] {
		query += " " + a
	}
	hits, total := s.Search(query, *limit)
	if *asJSON {
		type row struct {
			ID        string `json:"id"`
			Name      string `json:"name"`
			Document  string `json:"document,omitempty"`
			BirthDate string `json:"birth_date,omitempty"`
		}
		out := struct {
			Total int   `json:"total"`
			Hits  []row `json:"hits"`
		}{Total: total, Hits: []row{}}
		for _, h := range hits {
			out.Hits = append(out.Hits, row{h.ID, h.FullName(), h.DocNumber, h.BirthDate.ISO()})
		}
		return json.NewEncoder(stdout).Encode(out)
	}
	for _, h := range hits {
		fmt.Fprintf(stdout, "%-40s %-12s %s\n", h.FullName(), h.DocNumber, h.BirthDate)
	}
	fmt.Fprintf(stdout, "%d de %d resultados\n", len(hits), total)
	return nil
}
