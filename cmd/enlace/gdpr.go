package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/reports"
)

const gdprUsage = "enlace gdpr export --person ID -o CARPETA | erase --person ID --reason TEXTO --yes | retention [--json]"

// runGDPR runs the data-protection subcommands: the right of access
// (export), the right to erasure (erase) and the review of closed cases
// past the retention period (retention).
func runGDPR(args []string, stdout, stderr io.Writer) error {
	subs := map[string]func([]string, io.Writer, io.Writer) error{
		"export": runGDPRExport, "erase": runGDPRErase, "retention": runGDPRRetention,
	}
	if len(args) == 0 || subs[args[0]] == nil {
		return &exitError{code: 2, msg: "diga qué hacer: " + gdprUsage}
	}
	return subs[args[0]](args[1:], stdout, stderr)
}

// runGDPRExport writes everything held on one person to DIR/<ID>.json
// and DIR/<ID>.pdf, and records the export in the audit trail.
func runGDPRExport(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("gdpr export", stderr)
	person := fs.String("person", "", "ID de la persona (búsquelo con enlace search)")
	dir := fs.String("o", "", "carpeta donde escribir ID.json e ID.pdf")
	lang := fs.String("lang", "es", "idioma del PDF: es o en")
	author := fs.String("author", "", authorUsage)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *person == "" || *dir == "" || fs.NArg() > 0 {
		return &exitError{code: 2, msg: "uso: enlace gdpr export --person ID -o CARPETA"}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.SubjectData(*person)
	if err != nil {
		return err
	}
	style, err := reports.LoadStyle(s)
	if err != nil {
		return err
	}
	opt := reports.Options{Style: style, Lang: reports.LangOf(*lang), Author: signer(s, *author), Now: s.Now()}
	var js, pdf bytes.Buffer
	if err := data.WriteSubjectJSON(&js, d); err != nil {
		return err
	}
	if err := reports.SubjectReport(&pdf, d, opt); err != nil {
		return err
	}
	paths, err := writeSubjectFiles(s, d.Person.ID, *dir, js.Bytes(), pdf.Bytes())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Datos de %s exportados en %s y %s.\n", d.Person.FullName(), paths[0], paths[1])
	return nil
}

// writeSubjectFiles logs the export of personID's data and writes the
// JSON and the PDF to dir, returning their paths. The log comes first:
// nothing leaves Enlace unrecorded.
func writeSubjectFiles(s *data.Store, personID, dir string, js, pdf []byte) ([2]string, error) {
	paths := [2]string{filepath.Join(dir, personID+".json"), filepath.Join(dir, personID+".pdf")}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return paths, fmt.Errorf("crear la carpeta %s: %w", dir, err)
	}
	detail := "Derecho de acceso: JSON y PDF → " + dir
	if err := s.LogExport("datos de la persona", personID, detail); err != nil {
		return paths, err
	}
	for i, b := range [][]byte{js, pdf} {
		if err := writeFileAtomic(paths[i], b); err != nil {
			return paths, fmt.Errorf("guardar %s: %w", paths[i], err)
		}
	}
	return paths, nil
}

// runGDPRErase erases one person for good and compacts the file.
func runGDPRErase(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("gdpr erase", stderr)
	person := fs.String("person", "", "ID de la persona (búsquelo con enlace search)")
	reason := fs.String("reason", "", "motivo de la supresión, sin el nombre de la persona (queda en el registro)")
	yes := fs.Bool("yes", false, "confirma la supresión, que no se puede deshacer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *person == "" || strings.TrimSpace(*reason) == "" || fs.NArg() > 0 {
		return &exitError{code: 2, msg: "uso: enlace gdpr erase --person ID --reason TEXTO --yes"}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Person(*person)
	if err != nil {
		return err
	}
	if !*yes {
		return &exitError{code: 2, msg: fmt.Sprintf("esto suprime para siempre a %s con sus derivaciones, historial, recordatorios y documentos; "+
			"si es lo que quiere, repita la orden con --yes (haga antes enlace gdpr export si la persona pidió sus datos)", p.FullName())}
	}
	if err := s.ErasePerson(p.ID, *reason); err != nil {
		return err
	}
	if err := s.Compact(); err != nil {
		return fmt.Errorf("la persona está suprimida, pero no se pudo compactar la base de datos (repita la supresión o use la ventana): %w", err)
	}
	fmt.Fprintf(stdout, "Persona %s suprimida; la base de datos está compactada y no guarda rastro de sus datos.\n", p.ID)
	if cfg, err := backup.LoadConfig(s); err == nil && len(cfg.Destinations) > 0 {
		fmt.Fprintln(stdout, "Las copias de seguridad anteriores se limpiarán de ella en la próxima copia; para hacerlo ya: enlace backup scrub.")
	}
	return nil
}

// runGDPRRetention lists the closed cases past the retention period.
func runGDPRRetention(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("gdpr retention", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	years := fs.Int("years", 0, "plazo en años (por defecto, el de Ajustes: 2 si no se ha cambiado)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openReadOnly(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	if *years <= 0 {
		if *years, err = s.RetentionYears(); err != nil {
			return err
		}
	}
	list, err := s.RetentionCandidates(*years)
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []data.RetentionCandidate{} // [] rather than null
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintf(stdout, "Ningún caso cerrado lleva más de %d años sin actividad.\n", *years)
		return nil
	}
	fmt.Fprintf(stdout, "Casos cerrados sin actividad desde hace más de %d años (%d): revíselos y suprima los que ya no haga falta conservar.\n", *years, len(list))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNOMBRE\tÚLTIMA ACTIVIDAD\tRESULTADO\tRI")
	for _, c := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.PersonID, c.Name, data.MadridDate(c.LastActivity), c.Outcome, c.RI)
	}
	return tw.Flush()
}
