package reports

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/enlace-madrid/enlace/data"
)

// Format is the file format of an export.
type Format string

// The export formats.
const (
	// CSV is UTF-8 text with a byte-order mark and ';' between fields, one
	// header row: what Excel in Spanish opens with accents and columns
	// right on a double click (with ',' it puts each row in one cell).
	// Dates are dd/mm/aaaa, yes/no is Sí/No.
	CSV Format = "csv"
	// XLSX is an Excel workbook with one sheet holding a table (filters on
	// every column, header row frozen); dates are real dates.
	XLSX Format = "xlsx"
)

// ParseFormat reads "csv" or "xlsx" in any case, with or without the dot.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))); f {
	case CSV, XLSX:
		return f, nil
	}
	return "", fmt.Errorf("el formato «%s» no existe: elija csv o xlsx", s)
}

// ExportPeople writes every person's ficha, one row each in the order they
// were recorded, to w in format f, and returns how many rows it wrote.
// It holds a read transaction while it writes.
//
// Only the roles with data.PermExport may export, and every export is
// written to the audit trail.
func ExportPeople(w io.Writer, s *data.Store, f Format) (int, error) {
	if err := s.Allow(data.PermExport); err != nil {
		return 0, err
	}
	staff, err := staffNames(s)
	if err != nil {
		return 0, err
	}
	sh := sheet{name: "Personas", cols: peopleColumns, rows: func(emit func([]any) error) error {
		return s.EachPerson(func(p *data.Person) error { return emit(personRow(p, staff)) })
	}}
	return logExport(s, f, "personas")(sh.write(w, f))
}

// logExport returns a function that records a finished export of what in
// format f in the audit trail, and passes its result on.
func logExport(s *data.Store, f Format, what string) func(int, error) (int, error) {
	return func(n int, err error) (int, error) {
		if err != nil {
			return n, err
		}
		return n, s.LogExport(string(f), "", fmt.Sprintf("%s: %d filas", what, n))
	}
}

// ExportReferrals writes the referrals proposed in p with their states,
// one row each by date: the pilot's "Excel de derivaciones", generated.
// It returns how many rows it wrote.
func ExportReferrals(w io.Writer, s *data.Store, p Period, f Format) (int, error) {
	if err := s.Allow(data.PermExport); err != nil {
		return 0, err
	}
	refs, err := s.ReferralsDated(p.From, p.To)
	if err != nil {
		return 0, fmt.Errorf("exportar derivaciones: %w", err)
	}
	slices.SortStableFunc(refs, func(a, b data.Referral) int {
		return cmp.Or(a.Date.Compare(b.Date), a.Proposed().Compare(b.Proposed()), cmp.Compare(a.ID, b.ID))
	})
	x, err := loadReferralExtras(s, refs)
	if err != nil {
		return 0, err
	}
	sh := sheet{name: "Derivaciones", cols: referralColumns, rows: func(emit func([]any) error) error {
		for i := range refs {
			if err := emit(x.row(i, &refs[i])); err != nil {
				return err
			}
		}
		return nil
	}}
	return logExport(s, f, "derivaciones "+p.String())(sh.write(w, f))
}

// column is one column of an export: its header and its width in Excel.
type column struct {
	title string
	width float64
}

// sheet is one table to export: a name, the columns, and a function that
// emits every row. A row holds string, int, bool, data.Date, time.Time or
// nil (an empty cell) values, one per column.
type sheet struct {
	name string
	cols []column
	rows func(emit func(row []any) error) error
}

func (sh sheet) write(w io.Writer, f Format) (int, error) {
	var n int
	var err error
	switch f {
	case CSV:
		n, err = sh.writeCSV(w)
	case XLSX:
		n, err = sh.writeXLSX(w)
	default:
		_, err = ParseFormat(string(f))
	}
	if err != nil {
		return n, fmt.Errorf("exportar %s: %w", strings.ToLower(sh.name), err)
	}
	return n, nil
}

func (sh sheet) writeCSV(w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	rec := make([]string, len(sh.cols))
	for i, c := range sh.cols {
		rec[i] = c.title
	}
	if err := cw.Write(rec); err != nil {
		return 0, err
	}
	n := 0
	err := sh.rows(func(row []any) error {
		for i, v := range row {
			rec[i] = csvText(v)
		}
		n++
		return cw.Write(rec)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// csvText writes v as the CSV shows it. Text that a spreadsheet would run
// as a formula (starting with =, @, or + or - not followed by a number:
// "=HIPERVINCULO(…)" typed in a form) gets a leading apostrophe, which
// Excel shows as plain text; phone numbers such as +34… are left alone.
func csvText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return defuse(x)
	case int:
		return strconv.Itoa(x)
	case bool:
		if x {
			return "Sí"
		}
		return "No"
	case data.Date:
		return x.String()
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(data.Madrid()).Format("02/01/2006 15:04")
	}
	return defuse(fmt.Sprint(v))
}

func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if _, err := strconv.ParseFloat(strings.ReplaceAll(s[1:], " ", ""), 64); err != nil {
			return "'" + s
		}
	}
	return s
}

func (sh sheet) writeXLSX(w io.Writer) (n int, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", sh.name); err != nil {
		return 0, err
	}
	// The rows are read first: the stream writer writes the sheet's
	// dimension (its used range) before the rows, and readers in streaming
	// mode trust it (excelize's default, A1, made them see one row).
	var rows [][]any
	if err := sh.rows(func(row []any) error {
		rows = append(rows, slices.Clone(row))
		return nil
	}); err != nil {
		return 0, err
	}
	used, _ := excelize.CoordinatesToCellName(len(sh.cols), len(rows)+1)
	if err := f.SetSheetDimension(sh.name, "A1:"+used); err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "Enlace", LastModifiedBy: "Enlace",
		Created: now, Modified: now, Title: sh.name}); err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(sh.name)
	if err != nil {
		return 0, err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return 0, err
	}
	dateFmt, timeFmt := "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return 0, err
	}
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	if err != nil {
		return 0, err
	}
	for i, c := range sh.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return 0, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	cells := make([]any, len(sh.cols))
	for i, c := range sh.cols {
		cells[i] = excelize.Cell{StyleID: header, Value: c.title}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return 0, err
	}
	for _, row := range rows {
		for i, v := range row {
			cells[i] = xlsxValue(v, dateStyle, timeStyle)
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return n, err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(sh.cols), max(n+1, 2))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: sh.name, StyleName: "TableStyleLight9"}); err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	_, err = f.WriteTo(w)
	return n, err
}

// xlsxValue turns a row value into what the stream writer stores: dates
// as date cells, yes/no as Sí/No, text always as text (never a formula).
func xlsxValue(v any, dateStyle, timeStyle int) any {
	switch x := v.(type) {
	case data.Date:
		if x.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: dateStyle, Value: x.Time(time.UTC)}
	case time.Time:
		if x.IsZero() {
			return nil
		}
		x = x.In(data.Madrid()) // the sheet's times are Madrid wall-clock times
		local := time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), 0, 0, time.UTC)
		return excelize.Cell{StyleID: timeStyle, Value: local}
	case bool:
		return csvText(x)
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

// staffNames maps staff IDs to names.
func staffNames(s *data.Store) (map[string]string, error) {
	list, err := s.StaffList()
	if err != nil {
		return nil, fmt.Errorf("leer el personal: %w", err)
	}
	out := make(map[string]string, len(list))
	for _, st := range list {
		out[st.ID] = st.Name
	}
	return out, nil
}

var peopleColumns = []column{
	{"Nombre", 18}, {"Apellidos", 24}, {"Género", 10}, {"Fecha de nacimiento", 12},
	{"Nacionalidad", 16}, {"Código de país", 8}, {"Procedencia", 14}, {"Llegada a España", 12},
	{"Tipo de documento", 14}, {"Número de documento", 14}, {"Caducidad del documento", 12}, {"Situación regular", 10},
	{"Dirección", 30}, {"Código postal", 8}, {"Municipio", 14},
	{"Teléfono 1", 13}, {"Teléfono 2", 13}, {"Correo electrónico", 26},
	{"Prestación por desempleo", 18}, {"Programas especializados", 18},
	{"Formación académica", 30}, {"Nivel de estudios", 20}, {"Estudios homologados", 10},
	{"Formación complementaria", 30}, {"Experiencia laboral", 30}, {"Años de experiencia", 8}, {"Años de experiencia en España", 8},
	{"Idiomas", 20}, {"Situación laboral", 18}, {"Informática (0–3)", 8},
	{"Carné de conducir", 10}, {"Otros carnés", 18}, {"Intereses", 24}, {"Discapacidad", 14}, {"Observaciones", 36},
	{"Rellenó el formulario", 20}, {"Expediente ATLAS", 12},
	{"Fecha del consentimiento", 12}, {"Consiente compartir con la AE", 10}, {"Consiente compartir con la OMIOPI", 10}, {"Forma del consentimiento", 16},
	{"Alta", 16}, {"Última modificación", 16}, {"Modificado por", 20}, {"Id. persona", 28},
}

func personRow(p *data.Person, staff map[string]string) []any {
	filledBy := cmp.Or(staff[p.FilledBy], p.FilledByText)
	return []any{
		p.FirstName, p.LastName, string(p.Gender), p.BirthDate,
		data.CountryName(p.Nationality), p.Nationality, p.Origin, p.ArrivalDate,
		docLabel(p.DocKind), p.DocNumber, p.DocExpiry, p.Regular,
		p.Address, p.PostalCode, p.City,
		data.FormatPhone(p.Phone1), data.FormatPhone(p.Phone2), p.Email,
		p.Benefit, p.BenefitPrograms,
		p.Education, p.EducationLevel, p.Homologated,
		p.Training, p.Experience, p.ExperienceYears, p.SpainYears,
		p.Languages, p.Employment, p.ITLevel,
		p.DrivingLicence, p.OtherLicences, p.Interests, p.Disability, p.Observations,
		filledBy, p.Atlas,
		p.ConsentDate, p.ConsentAE, p.ConsentOMIOPI, p.ConsentHow,
		p.CreatedAt, p.UpdatedAt, p.UpdatedBy, p.ID,
	}
}

func docLabel(k data.DocKind) string {
	if k == "" {
		return ""
	}
	return k.Label()
}

var referralColumns = []column{
	{"Fecha de derivación", 12}, {"Sentido", 14}, {"Nombre", 18}, {"Apellidos", 24},
	{"Tipo de documento", 12}, {"Número de documento", 14}, {"Nacionalidad", 16}, {"Género", 10},
	{"Edad", 6}, {"Nivel de estudios", 20},
	{"Oficina que deriva", 24}, {"Técnico/a que deriva", 22}, {"Expediente ATLAS", 12},
	{"Situación habilitante", 50}, {"Perfil", 30},
	{"Estado", 16}, {"Fecha de decisión", 12}, {"Motivo de exclusión", 28}, {"Áreas", 22},
	{"Resultado", 18}, {"Fecha de cierre", 12}, {"Primer contacto", 12},
	{"Nota de la derivación", 36}, {"Última modificación", 16}, {"Modificada por", 20},
	{"Id. derivación", 28}, {"Id. persona", 28},
}

// referralExtras is what a referral row shows besides the referral: its
// person, office, staff, profile names and first contact.
type referralExtras struct {
	people   map[string]data.Person
	offices  map[string]string
	staff    map[string]string
	profiles map[string]string
	contacts []time.Time
}

func loadReferralExtras(s *data.Store, refs []data.Referral) (*referralExtras, error) {
	x := &referralExtras{offices: map[string]string{}, profiles: map[string]string{}}
	ids := make([]string, len(refs))
	qs := make([]data.ContactQuery, len(refs))
	for i := range refs {
		ids[i] = refs[i].PersonID
		qs[i] = data.ContactQuery{PersonID: refs[i].PersonID, Since: refs[i].Date.Time(data.Madrid())}
	}
	var err error
	if x.people, err = s.PeopleByID(ids); err != nil {
		return nil, err
	}
	if x.contacts, err = s.FirstContacts(qs); err != nil {
		return nil, err
	}
	if x.staff, err = staffNames(s); err != nil {
		return nil, err
	}
	offices, err := s.Offices()
	if err != nil {
		return nil, fmt.Errorf("leer las oficinas: %w", err)
	}
	for _, o := range offices {
		x.offices[o.ID] = o.Name
	}
	prog, err := s.Programme()
	if err != nil {
		return nil, err
	}
	for _, p := range prog.Profiles {
		x.profiles[p.Code] = p.Name
	}
	return x, nil
}

func (x *referralExtras) row(i int, r *data.Referral) []any {
	p := x.people[r.PersonID]
	var age any
	if a := p.Age(r.Date); a >= 0 {
		age = a
	}
	var decided, closed, contact data.Date
	if t := r.Decided(); !t.IsZero() {
		decided = data.DateOf(t.In(data.Madrid()))
	}
	var exclusion string
	for _, t := range r.History {
		if t.Action == data.ActClose && r.Status == data.StatusClosed {
			closed = data.DateOf(t.At.In(data.Madrid()))
		}
		if t.Action == data.ActExclude && r.Status == data.StatusExcluded {
			exclusion = ReasonLabel(t.Exclusion)
			if t.Reason != "" {
				exclusion += ": " + t.Reason
			}
		}
	}
	if !x.contacts[i].IsZero() {
		contact = data.DateOf(x.contacts[i].In(data.Madrid()))
	}
	return []any{
		r.Date, r.Direction.Label(), p.FirstName, p.LastName,
		docLabel(p.DocKind), p.DocNumber, data.CountryName(p.Nationality), string(p.Gender),
		age, p.EducationLevel,
		x.offices[r.OfficeID], x.staff[r.StaffID], r.Atlas,
		r.CriterionText, cmp.Or(x.profiles[r.Profile], r.Profile),
		r.Status.Label(), decided, exclusion, data.AreasLabel(r.Areas),
		outcomeLabel(r.Outcome), closed, contact,
		r.Note, r.UpdatedAt, r.UpdatedBy,
		r.ID, r.PersonID,
	}
}

func outcomeLabel(o data.Outcome) string {
	if o == "" {
		return ""
	}
	return o.Label()
}
