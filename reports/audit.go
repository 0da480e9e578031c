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
	r := NewAuditReader(s, nil)
	people := map[string]string{} // subject ID → name, "" once erased
	sh := sheet{name: "Registro", cols: auditColumns, rows: func(emit func([]any) error) error {
		for _, e := range entries {
			name, seen := people[e.Subject]
			if !seen && e.Subject != "" {
				if p, err := s.Person(e.Subject); err == nil {
					name = p.FullName()
				}
				people[e.Subject] = name
			}
			row := []any{e.At.In(data.Madrid()), e.User, e.Op.Label(), r.Kind(e), e.Record, name,
				strings.Join(r.Fields(e), "; "), e.Detail}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
	return logExport(s, ff, "registro de cambios")(sh.write(w, ff))
}
