package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strings"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// pdfKind is one document `enlace pdf` makes: its flags and how to write it.
type pdfKind struct {
	usage string
	// flags declares the kind's own flags on fs and returns the function
	// that writes the document once they are parsed.
	flags func(fs *flag.FlagSet) func(w io.Writer, s *data.Store, opt reports.Options) (what string, err error)
}

// pdfKinds are the documents by subcommand name. A new document is one
// more entry.
func pdfKinds() map[string]pdfKind {
	return map[string]pdfKind{
		"leaflet":  {"enlace pdf leaflet --office ID|NOMBRE -o ARCHIVO", officeDoc("folleto", reports.Leaflet)},
		"form":     {"enlace pdf form --office ID|NOMBRE -o ARCHIVO", officeDoc("formulario de derivación", reports.ReferralForm)},
		"notice":   {"enlace pdf notice --office ID|NOMBRE -o ARCHIVO", officeDoc("aviso de fin de programa", reports.Notice)},
		"case":     {"enlace pdf case --person ID -o ARCHIVO [--redacted]", caseDoc},
		"followup": {"enlace pdf followup --office ID|NOMBRE [--staff ID|NOMBRE] -o ARCHIVO", followUpDoc},
		"stats":    {"enlace pdf stats [--from dd/mm/aaaa] [--to dd/mm/aaaa] -o ARCHIVO", statsDoc},
		"acta":     {"enlace pdf acta --project ID|RI/n/año -o ARCHIVO", riDoc("acta de selección de tutores (Anexo II)", reports.RISelection)},
		"estimate": {"enlace pdf estimate --project ID|RI/n/año -o ARCHIVO", riDoc("estimación de la subvención", reports.RIEstimate)},
	}
}

func officeDoc(what string, write func(io.Writer, *data.Store, string, reports.Options) error) func(*flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
	return func(fs *flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
		office := fs.String("office", "", "oficina: su ID o su nombre")
		return func(w io.Writer, s *data.Store, opt reports.Options) (string, error) {
			o, err := findOffice(s, *office)
			if err != nil {
				return "", err
			}
			return what + " de " + o.Name, write(w, s, o.ID, opt)
		}
	}
}

// riDoc makes a document of an RI project named by --project.
func riDoc(what string, write func(io.Writer, *data.Store, string, reports.Options) error) func(*flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
	return func(fs *flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
		project := fs.String("project", "", "proyecto RI: su identificador o su expediente, como RI/12/2024")
		return func(w io.Writer, s *data.Store, opt reports.Options) (string, error) {
			if strings.TrimSpace(*project) == "" {
				return "", &exitError{code: 2, msg: "falta --project ID|RI/n/año (véalos con enlace ri list)"}
			}
			p, err := s.FindRIProject(*project)
			if err != nil {
				return "", err
			}
			return what + " del expediente " + p.Expediente(), write(w, s, p.ID, opt)
		}
	}
}

func caseDoc(fs *flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
	person := fs.String("person", "", "ID de la persona")
	redacted := fs.Bool("redacted", false, "versión para el otro servicio: sin documento, dirección, teléfonos, correo, discapacidad ni observaciones, ni documentos, teléfonos, correos, cuentas o cantidades de siete cifras o más escritos en las notas")
	return func(w io.Writer, s *data.Store, opt reports.Options) (string, error) {
		if *person == "" {
			return "", &exitError{code: 2, msg: "falta --person ID (búsquelo con enlace search)"}
		}
		what := "resumen del caso"
		if *redacted {
			what += " (versión para el otro servicio)"
		}
		return what, reports.CaseSummary(w, s, *person, *redacted, opt)
	}
}

func followUpDoc(fs *flag.FlagSet) func(io.Writer, *data.Store, reports.Options) (string, error) {
	office := fs.String("office", "", "oficina: su ID o su nombre")
	staff := fs.String("staff", "", "técnico/a que derivó: su ID, nombre o correo (opcional)")
	return func(w io.Writer, s *data.Store, opt reports.Options) (string, error) {
		var q reports.FollowUpQuery
		what := "informe de seguimiento"
		if *office != "" || *staff == "" {
			o, err := findOffice(s, *office)
			if err != nil {
				return "", err
			}
			q.OfficeID, what = o.ID, what+" de "+o.Name
		}
		if *staff != "" {
			st, err := findStaff(s, *staff)
			if err != nil {
				return "", err
			}
			q.StaffID, what = st.ID, what+" ("+st.Name+")"
		}
		return what, reports.FollowUp(w, s, q, opt)
	}
}

func runPDF(args []string, stdout, stderr io.Writer) error {
	kinds := pdfKinds()
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return &exitError{code: 2, msg: "diga qué documento: enlace pdf " + strings.Join(names, "|") + " … -o ARCHIVO"}
	}
	kind, ok := kinds[args[0]]
	if !ok {
		return &exitError{code: 2, msg: fmt.Sprintf("no existe el documento «%s»: elija %s", args[0], strings.Join(names, ", "))}
	}
	fs, db := newFlags("pdf "+args[0], stderr)
	out := fs.String("o", "", "archivo PDF que escribir («-» para la salida estándar)")
	lang := fs.String("lang", "es", "idioma del documento: es o en")
	author := fs.String("author", "", authorUsage)
	write := kind.flags(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("sobra «%s»: %s", fs.Arg(0), kind.usage)}
	}
	if *out == "" {
		return &exitError{code: 2, msg: "falta -o ARCHIVO: " + kind.usage}
	}
	s, err := openStore(*db) // read-write: the export goes to the audit trail
	if err != nil {
		return err
	}
	defer s.Close()
	style, err := reports.LoadStyle(s)
	if err != nil {
		return err
	}
	opt := reports.Options{Style: style, Lang: reports.LangOf(*lang), Author: signer(s, *author), Now: s.Now()}
	var buf bytes.Buffer
	what, err := write(&buf, s, opt)
	if err != nil {
		return err
	}
	// The audit trail records the export, against the person for a case
	// summary (so that erasing them takes it too).
	subject := ""
	if f := fs.Lookup("person"); f != nil {
		if p, err := s.Person(f.Value.String()); err == nil {
			subject = p.ID
		}
	}
	if err := s.LogExport("pdf", subject, what+" → "+*out); err != nil {
		return err
	}
	if *out == "-" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return fmt.Errorf("guardar %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "PDF guardado en %s: %s.\n", *out, what)
	return nil
}

// findOffice finds an office by ID or by name (any case, with or without
// accents).
func findOffice(s *data.Store, ref string) (data.Office, error) {
	if ref == "" {
		return data.Office{}, &exitError{code: 2, msg: "falta --office ID|NOMBRE"}
	}
	offices, err := s.Offices()
	if err != nil {
		return data.Office{}, err
	}
	var names []string
	for _, o := range offices {
		if o.ID == ref || data.Fold(o.Name) == data.Fold(ref) {
			return o, nil
		}
		names = append(names, "«"+o.Name+"»")
	}
	return data.Office{}, &exitError{code: 1, msg: fmt.Sprintf("no hay ninguna oficina «%s»; las oficinas son: %s", ref, strings.Join(names, ", "))}
}

// findStaff finds a staff member by ID, name or e-mail.
func findStaff(s *data.Store, ref string) (data.Staff, error) {
	list, err := s.StaffList()
	if err != nil {
		return data.Staff{}, err
	}
	for _, st := range list {
		if st.ID == ref || data.Fold(st.Name) == data.Fold(ref) || strings.EqualFold(st.Email, ref) {
			return st, nil
		}
	}
	return data.Staff{}, &exitError{code: 1, msg: fmt.Sprintf("no hay nadie en el personal que se llame o tenga el correo «%s»", ref)}
}

// authorUsage is the help of the --author flag of the commands that sign
// documents or changes.
const authorUsage = "quién lo firma (por defecto, el usuario de Enlace que abre la base de datos; solo si no lo hay, el usuario del sistema)"

// signer is who signs what a command makes, a document or changes: the
// name given with --author, else the Enlace user who unlocked s, else,
// for a store with no signed-in user, the operating system's account.
// The OS account says who sat at the PC, not who is accountable in
// Enlace, so it is only the last resort.
func signer(s *data.Store, flagValue string) string {
	if a := strings.TrimSpace(flagValue); a != "" {
		return a
	}
	if name := s.User().Name; name != "" {
		return name
	}
	return systemUser()
}

// systemUser is the operating system's name for the account running
// Enlace, or "" when it cannot be told.
func systemUser() string {
	if u, err := user.Current(); err == nil {
		if u.Name != "" {
			return u.Name
		}
		return u.Username
	}
	return ""
}

// writeFileAtomic writes b to a temporary file beside path and renames it
// over path, so that a failure never leaves half a PDF.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".enlace-*.pdf")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}
