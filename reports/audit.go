package reports

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

var auditColumns = []column{
	{"Fecha y hora", 18}, {"Usuario", 24}, {"Operación", 12}, {"Registro", 18},
	{"Identificador", 28}, {"Persona", 28}, {"Campos", 80}, {"Detalle", 50},
}

// ExportAudit writes the audit entries f chooses (newest first) to w in
// format ff and returns how many rows it wrote. Reading the trail is for
// the roles with data.PermExport, and exporting it is itself recorded.
func ExportAudit(w io.Writer, s *data.Store, f data.AuditFilter, ff Format) (int, error) {
	entries, err := s.Audit(f)
	if err != nil {
		return 0, err
	}
	sh := sheet{name: "Registro", cols: auditColumns, rows: func(emit func([]any) error) error {
		for _, e := range entries {
			row := []any{e.At.In(data.Madrid()), e.User, e.Op.Label(), e.Kind, e.Record, e.Subject, AuditFields(e.Fields), e.Detail}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
	return logExport(s, ff, "registro de cambios")(sh.write(w, ff))
}

// AuditFields says which fields changed and how, on one line: a change
// as "phone1: 612345678 → 699112233", a new or deleted record's fields as
// "phone1: 612345678". The record's and the person's IDs, which the entry
// carries anyway, are left out.
func AuditFields(fs []data.AuditField) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		switch {
		case f.Name == "id" || f.Name == "person_id":
		case f.Old == "" && f.New == "": // a creation names the fields it set
			parts = append(parts, f.Name)
		case f.Old == "":
			parts = append(parts, f.Name+": "+shortValue(f.New))
		case f.New == "":
			parts = append(parts, f.Name+": "+shortValue(f.Old))
		default:
			parts = append(parts, f.Name+": "+shortValue(f.Old)+" → "+shortValue(f.New))
		}
	}
	return strings.Join(parts, "; ")
}

// shortValue shows a JSON value: a string without its quotes, anything
// long cut at 200 characters.
func shortValue(raw string) string {
	var s string
	if json.Unmarshal([]byte(raw), &s) != nil {
		s = raw
	}
	if s == "" {
		s = "(vacío)"
	}
	const max = 200
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
