package reports

import (
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

// AuditFields says which fields changed and how, on one line:
// "phone1: "612345678" → "699112233"; email: (nada) → "a@b.es"".
func AuditFields(fs []data.AuditField) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Name + ": " + orNothing(f.Old) + " → " + orNothing(f.New)
	}
	return strings.Join(parts, "; ")
}

func orNothing(s string) string {
	if s == "" {
		return "(nada)"
	}
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
