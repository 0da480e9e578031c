package reports

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// AuditReader says audit entries the way a coordinator reads them: the
// form's label of each field, dates as dd/mm/aaaa, Madrid times, Sí/No,
// the names of states and outcomes, and the names of offices, staff,
// users, criteria and RI projects instead of their IDs.
//
// Labels and values are Spanish; T, when set, translates each of them
// (the interface passes its own translator, so the log follows the
// language picked). Its second argument fills {{.Name}} fields.
type AuditReader struct {
	T        func(string, ...any) string
	names    map[string]string // record ID → what people call it
	profiles map[string]string // profile code → name
}

// NewAuditReader loads the names the entries refer to. A name that cannot
// be loaded (a role that may not read offices, say) is shown as "otro
// registro" rather than failing the whole log.
func NewAuditReader(s *data.Store, t func(string, ...any) string) *AuditReader {
	r := &AuditReader{T: t, names: map[string]string{}, profiles: map[string]string{}}
	if offices, err := s.Offices(); err == nil {
		for _, o := range offices {
			r.names[o.ID] = o.Name
		}
	}
	if staff, err := s.StaffList(); err == nil {
		for _, st := range staff {
			r.names[st.ID] = st.Name
		}
	}
	if users, err := s.Users(); err == nil {
		for _, u := range users {
			if _, known := r.names[u.ID]; !known {
				r.names[u.ID] = u.Name
			}
		}
	}
	for _, d := range data.Directions {
		if cs, err := s.Criteria(d); err == nil {
			for _, c := range cs {
				r.names[c.ID] = c.Text
			}
		}
	}
	if ps, err := s.RIProjects(); err == nil {
		for _, p := range ps {
			r.names[p.ID] = p.Expediente()
		}
	}
	if prog, err := s.Programme(); err == nil {
		for _, p := range prog.Profiles {
			r.profiles[p.Code] = p.Name
		}
	}
	return r
}

// tr translates s (and fills its fields) with T, or fills them only.
func (r *AuditReader) tr(s string, args ...any) string {
	if r.T != nil {
		return r.T(s, args...)
	}
	if len(args) == 1 {
		if m, ok := args[0].(map[string]any); ok {
			for k, v := range m {
				s = strings.ReplaceAll(s, "{{."+k+"}}", fmt.Sprint(v))
			}
		}
	}
	return s
}

// Kind names the kind of record an entry is about: "Persona",
// "Derivación"… An export names what was exported.
func (r *AuditReader) Kind(e data.AuditEntry) string {
	if l, ok := settingLabels[e.Record]; ok && e.Kind == "ajuste" {
		return r.tr(l)
	}
	if l, ok := kindLabels[e.Kind]; ok {
		return r.tr(l)
	}
	if e.Kind == "" {
		return ""
	}
	return r.tr(upperFirst(e.Kind))
}

var kindLabels = map[string]string{
	"persona": "Persona", "historial": "Historial", "oficina": "Oficina", "personal": "Personal",
	"ajuste": "Ajuste", "situación habilitante": "Situación habilitante", "derivación": "Derivación",
	"recordatorio": "Recordatorio", "proyecto RI": "Proyecto RI", "usuario": "Usuario",
	"documento adjunto": "Documento adjunto",
	// What an export wrote.
	"pdf": "PDF", "csv": "CSV", "xlsx": "Excel", "copia de seguridad": "Copia de seguridad",
	"datos de la persona": "Datos de la persona",
}

// settingLabels name the settings by their record's key.
var settingLabels = map[string]string{
	"programme": "Ajuste: programa", "rules": "Ajuste: propuestas de exclusión",
	"reminders.leadtimes": "Ajuste: avisos de caducidad", "ri.holidays": "Ajuste: festivos (RI)",
	"ri.smi": "Ajuste: SMI (RI)", "retention": "Ajuste: conservación de los datos",
}

// Fields says what an entry changed, one field a line: "Teléfono 1:
// 612 345 678 → 699 112 233" for a change, "Teléfono 1: 612 345 678" for
// what a deletion took away, and for a new record the fields it set, in
// one line. Fields that only link records (IDs) are left out.
func (r *AuditReader) Fields(e data.AuditEntry) []string {
	var set, lines []string
	fields := slices.Clone(e.Fields)
	slices.SortStableFunc(fields, func(a, b data.AuditField) int { return r.rank(e.Kind, a.Name) - r.rank(e.Kind, b.Name) })
	for _, f := range fields {
		label, show := r.label(e.Kind, f.Name)
		if !show {
			continue
		}
		switch {
		case f.Old == "" && f.New == "":
			set = append(set, label)
		case f.Old == "" && e.Op != data.AuditUpdate:
			lines = append(lines, label+": "+r.value(f.Name, f.New))
		case f.New == "" && e.Op != data.AuditUpdate:
			lines = append(lines, label+": "+r.value(f.Name, f.Old))
		default: // a change; a field that was or became empty is absent
			lines = append(lines, label+": "+r.value(f.Name, f.Old)+" → "+r.value(f.Name, f.New))
		}
	}
	if len(set) > 0 {
		lines = append([]string{r.tr("Datos: {{.Fields}}", map[string]any{"Fields": strings.Join(set, ", ")})}, lines...)
	}
	return lines
}

// hiddenFields link records or are Enlace's own bookkeeping: the entry
// already says which record and which person, and a referral's or a
// criterion's history only repeats the state or the text that changed.
var hiddenFields = map[string]bool{
	"id": true, "person_id": true, "referral_id": true, "project_id": true, "key": true,
	"sha256": true, "type": true, "history": true, "suggested": true, "criterion_text": true,
}

// fieldTable names each field as the forms do, in the forms' order. A kind's own label
// ("derivación.date") wins over the shared one ("date").
var fieldTable = [][2]string{
	// People (the person form).
	{"first_name", "Nombre"}, {"last_name", "Apellidos"}, {"gender", "Género"}, {"birth_date", "Fecha de nacimiento"},
	{"nationality", "Nacionalidad"}, {"origin", "Procedencia"}, {"arrival_date", "Llegada a España"},
	{"doc_kind", "Tipo de documento"}, {"doc_number", "Número de documento"}, {"doc_expiry", "Caducidad del documento"},
	{"regular", "En situación administrativa regular"}, {"address", "Dirección"}, {"postal_code", "Código postal"},
	{"city", "Municipio"}, {"phone1", "Teléfono 1"}, {"phone2", "Teléfono 2"}, {"email", "Correo electrónico"},
	{"benefit", "Prestación por desempleo"}, {"benefit_programs", "Programas especializados"},
	{"education", "Formación académica"}, {"education_level", "Nivel de estudios"},
	{"homologated", "Estudios homologados en España"}, {"training", "Formación complementaria"},
	{"experience", "Experiencia laboral"}, {"experience_years", "Años de experiencia"},
	{"spain_years", "Años de experiencia en España"}, {"languages", "Idiomas"}, {"employment", "Situación laboral"},
	{"it_level", "Informática"}, {"driving_licence", "Carnet de conducir"}, {"other_licences", "Otros carnés"},
	{"interests", "Intereses"}, {"disability", "Discapacidad"}, {"observations", "Observaciones"},
	{"filled_by", "Rellenado por"}, {"filled_by_text", "Rellenado por"}, {"atlas", "Expediente ATLAS"},
	{"consent_date", "Fecha del consentimiento"}, {"consent_ae", "Puede compartirse con la AE"},
	{"consent_omiopi", "Puede compartirse con las OMIOPI"}, {"consent_how", "Cómo se dio"},
	{"indicators", "Indicadores"},
	// Timeline.
	{"historial.at", "Fecha"}, {"historial.kind", "Tipo"}, {"historial.text", "Texto"}, {"historial.author", "Autor"},
	{"historial.written", "Escrito el"}, {"historial.corrects", "Corrige otra entrada"},
	// Offices and staff.
	{"name", "Nombre"}, {"org", "Organismo"}, {"phones", "Teléfonos"}, {"emails", "Correos electrónicos"},
	{"web", "Web"}, {"hours", "Horario"}, {"liaison", "Técnico/a de enlace"}, {"office_id", "Oficina"},
	{"role", "Función"}, {"phone", "Teléfono"}, {"active", "Activo"},
	// Users.
	{"login", "Usuario"}, {"roles", "Funciones"}, {"staff_id", "Personal"},
	// Referrals.
	{"derivación.staff_id", "Técnico/a que deriva"}, {"derivación.office_id", "Oficina que deriva"},
	{"direction", "Dirección de la derivación"}, {"criterion_id", "Situación habilitante"}, {"profile", "Perfil"},
	{"derivación.date", "Fecha de la propuesta"}, {"note", "Nota"}, {"status", "Estado"}, {"areas", "Áreas"},
	{"outcome", "Resultado"}, {"exclusion", "Motivo de exclusión"},
	// Reminders.
	{"recordatorio.at", "Fecha"}, {"snoozed", "Pospuesto hasta"}, {"repeat", "Repetición"},
	{"repeat_day", "Día del mes"}, {"text", "Texto"}, {"assignee", "Responsable"}, {"assignee_text", "Responsable"},
	{"source", "Origen"}, {"basis", "Dato de partida"}, {"done", "Hecho el"}, {"done_by", "Hecho por"},
	{"done_note", "Nota al hacerlo"}, {"snoozes", "Veces pospuesto"},
	// Criteria.
	{"order", "Orden"},
	// RI projects.
	{"number", "Número"}, {"year", "Año"}, {"entity", "Entidad beneficiaria"}, {"call_year", "Año de la convocatoria"},
	{"tutors", "Tutores"}, {"participants", "Participantes"}, {"notes", "Notas"},
	// Attachments.
	{"size", "Tamaño"},
	// Settings (the record's key says which).
	{"target", "Objetivo"}, {"profiles", "Perfiles"}, {"start", "Inicio"}, {"end", "Fin"},
	{"dni", "Proponer excluir a quien tiene DNI español"}, {"irregular", "Proponer excluir a quien no está en situación regular"},
	{"valor", "Valor"},
}

// fieldLabels and fieldRank index fieldTable: a creation lists the
// fields it set in the form's order.
var fieldLabels, fieldRank = func() (map[string]string, map[string]int) {
	labels, rank := map[string]string{}, map[string]int{}
	for i, f := range fieldTable {
		labels[f[0]], rank[f[0]] = f[1], i
	}
	return labels, rank
}()

// label returns how field name of a record of kind reads, and whether it
// is shown at all. A field no table knows is shown by its own name, so
// nothing that changed is hidden.
func (r *AuditReader) label(kind, name string) (string, bool) {
	if hiddenFields[name] {
		return "", false
	}
	if l, ok := fieldLabels[kind+"."+name]; ok {
		return r.tr(l), true
	}
	if l, ok := fieldLabels[name]; ok {
		return r.tr(l), true
	}
	return name, true
}

// rank is where field name comes in the forms; unknown fields go last.
func (r *AuditReader) rank(kind, name string) int {
	if i, ok := fieldRank[kind+"."+name]; ok {
		return i
	}
	if i, ok := fieldRank[name]; ok {
		return i
	}
	return len(fieldTable)
}

// AuditLabels lists every Spanish string the reader may show, for the
// interface's translation check.
func AuditLabels() []string {
	var out []string
	for _, l := range fieldLabels {
		out = append(out, l)
	}
	for _, m := range []map[string]string{kindLabels, settingLabels} {
		for _, l := range m {
			out = append(out, l)
		}
	}
	return append(out, "Datos: {{.Fields}}", "Sí", "No", "(vacío)", "otro registro")
}

var anID = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`) // a ULID, as the store makes them

// value shows one JSON value of field name as the screens do.
func (r *AuditReader) value(name, raw string) string {
	if raw == "" {
		return r.tr("(vacío)")
	}
	var v any
	if json.Unmarshal([]byte(raw), &v) != nil {
		return cut(raw)
	}
	return r.render(name, v)
}

func (r *AuditReader) render(name string, v any) string {
	switch v := v.(type) {
	case nil:
		return r.tr("(vacío)")
	case bool:
		if v {
			return r.tr("Sí")
		}
		return r.tr("No")
	case float64:
		switch name {
		case "it_level":
			if l := data.ITLevelLabel(int(v)); l != "" {
				return fmt.Sprintf("%d — %s", int(v), r.tr(l))
			}
		case "size":
			return data.FormatSize(int64(v))
		}
		return fmt.Sprint(v)
	case string:
		return r.text(name, v)
	case []any:
		if len(v) == 0 {
			return r.tr("(vacío)")
		}
		parts := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok { // tutors, participants, times put off: how many
				return fmt.Sprint(len(v))
			}
			parts = append(parts, r.text(name, s))
		}
		return cut(strings.Join(parts, ", "))
	case map[string]any:
		if len(v) == 0 {
			return r.tr("(vacío)")
		}
		return fmt.Sprint(len(v)) // indicators: how many
	}
	return cut(fmt.Sprint(v))
}

// text shows a string value: a code by its name, a date as dd/mm/aaaa, an
// instant in Madrid time, an ID by the name of what it names.
func (r *AuditReader) text(name, s string) string {
	if s == "" {
		return r.tr("(vacío)")
	}
	switch name {
	case "status", "from", "to":
		return r.tr(data.Status(s).Label())
	case "historial.kind", "kind":
		return r.tr(data.EventKind(s).Label())
	case "outcome":
		return r.tr(data.Outcome(s).Label())
	case "areas":
		return r.tr(data.Area(s).Label())
	case "exclusion":
		return r.tr(data.ExclusionLabel(s))
	case "direction":
		return r.tr(data.Direction(s).Label())
	case "role", "roles":
		return r.tr(data.Role(s).Label())
	case "org":
		return r.tr(data.Org(s).Label())
	case "repeat":
		return r.tr(data.Repeat(s).Label())
	case "source":
		return r.tr(data.Source(s).Label())
	case "doc_kind":
		return r.tr(data.DocKind(s).Label())
	case "gender":
		return r.tr(upperFirst(s))
	case "nationality":
		if n := data.CountryName(s); n != "" {
			return n
		}
	case "profile":
		if n, ok := r.profiles[s]; ok {
			return n
		}
	}
	// Dates and reminder times as the store writes them (aaaa-mm-dd,
	// aaaa-mm-ddThh:mm), read back by their own types.
	var d data.Date
	var w data.Wall
	switch {
	case len(s) == len("2006-01-02") && d.UnmarshalText([]byte(s)) == nil:
		return d.String()
	case len(s) == len("2006-01-02T15:04") && w.UnmarshalText([]byte(s)) == nil:
		return w.String()
	case anID.MatchString(s):
		if n, ok := r.names[s]; ok {
			return n
		}
		return r.tr("otro registro")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(data.Madrid()).Format("02/01/2006 15:04")
	}
	return cut(s)
}

// cut shortens a long value to 200 characters.
func cut(s string) string {
	const max = 200
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func upperFirst(s string) string {
	for i, c := range s {
		return strings.ToUpper(string(c)) + s[i+len(string(c)):]
	}
	return s
}
