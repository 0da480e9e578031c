package forms

import (
	"fmt"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Result counts what an import did (or, from Plan.Preview, would do).
type Result struct {
	Rows        int // rows imported
	NewPeople   int // people created
	Existing    int // rows whose person was already stored (or created by an earlier row)
	Referrals   int // referrals proposed
	DNI         int // of those, with the DNI exclusion rule fired
	DNIExcluded int // of those, excluded at once (OMIOPI → AE); the rest await the AE's verification
	Skipped     int // rows imported before, or repeated in the file
	Rejected    int // invalid rows: left out, or (without skipInvalid) the reason nothing was written
	Review      int // imported rows flagged for review
	NewOffices  int
	NewStaff    int
}

// Summary is r in Spanish, as the command line prints it: «Importadas 31
// filas: 28 personas nuevas, 3 ya existentes, 31 derivaciones propuestas, 5
// propuestas de exclusión (DNI).», then what was excluded, created, skipped,
// rejected and flagged, each only when there is some.
func (r Result) Summary() string { return r.summary(false) }

// DrySummary is Summary for Plan.Preview: what an import would do.
func (r Result) DrySummary() string { return r.summary(true) }

func (r Result) summary(dry bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s, %d ya %s, %s, %d %s de exclusión (DNI).", pick(dry, pick(r.Rows == 1, "Se importaría", "Se importarían"), pick(r.Rows == 1, "Importada", "Importadas")),
		plural(r.Rows, "fila", "filas"), plural(r.NewPeople, "persona nueva", "personas nuevas"),
		r.Existing, pick(r.Existing == 1, "existente", "existentes"),
		plural(r.Referrals, "derivación propuesta", "derivaciones propuestas"),
		r.DNI, pick(r.DNI == 1, "propuesta", "propuestas"))
	if r.DNI > 0 {
		fmt.Fprintf(&b, " %s por tener DNI: %d; a la espera de la verificación de la jefatura de sección de la AE: %d.",
			pick(dry, "Se excluirían", "Excluidas"), r.DNIExcluded, r.DNI-r.DNIExcluded)
	}
	if r.NewOffices+r.NewStaff > 0 {
		fmt.Fprintf(&b, " %s al personal: %s; oficinas nuevas: %d.", pick(dry, "Se añadirían", "Añadidas"),
			plural(r.NewStaff, "persona", "personas"), r.NewOffices)
	}
	if r.Skipped > 0 {
		fmt.Fprintf(&b, " %s ya %s antes (o repetidas en el fichero): %s.",
			capital(plural(r.Skipped, "fila", "filas")), pick(r.Skipped == 1, "estaba importada", "estaban importadas"),
			pick(dry, "no se volverían a importar", "no se han vuelto a importar"))
	}
	if r.Rejected > 0 {
		fmt.Fprintf(&b, " %s: %s.", capital(plural(r.Rejected, "fila no válida", "filas no válidas")),
			pick(dry, pick(r.Rejected == 1, "no se importaría", "no se importarían"),
				pick(r.Rejected == 1, "no se ha importado", "no se han importado")))
	}
	if r.Review > 0 {
		fmt.Fprintf(&b, " %s para revisar: vea la nota de cada derivación.", capital(plural(r.Review, "fila", "filas")))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func pick(one bool, a, b string) string {
	if one {
		return a
	}
	return b
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// RowsError is returned by Import when rows are invalid and skipInvalid is
// false: nothing was written. It wraps data.ErrInvalid.
type RowsError struct {
	Problems []Problem // every problem of the invalid rows, in file order
	Rows     int       // how many rows are invalid
}

func (e *RowsError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%s no %s: no se ha importado nada.\n%s", capital(plural(e.Rows, "fila", "filas")),
		pick(e.Rows == 1, "es válida", "son válidas"), strings.Join(lines, "\n"))
}

// Unwrap lets errors.Is(err, data.ErrInvalid) match.
func (e *RowsError) Unwrap() error { return data.ErrInvalid }
