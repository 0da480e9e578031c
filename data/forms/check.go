package forms

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Plan is what importing a File would do, worked out against a store
// without writing to it. Its rows are the File's.
type Plan struct {
	File  *File
	Today data.Date // the store's day when Check ran

	newOffices  []data.Office // to create, first seen first
	newStaff    []data.Staff  // to create; OfficeID is filled in at import
	staffOffice []officeRef   // the office of each of newStaff
}

// officeRef names an office: a stored one by ID, or one of Plan.newOffices.
type officeRef struct {
	id  string
	new int // index in Plan.newOffices, or -1
}

// staffRef names a staff member the same way.
type staffRef struct {
	id  string
	new int // index in Plan.newStaff, or -1
}

// checker holds what Check reads from the store once.
type checker struct {
	p           *Plan
	s           *data.Store
	offices     []data.Office
	officeByKey map[string]data.Office
	staffByMail map[string]data.Staff
	staffByName map[string][]data.Staff
	criteria    map[data.Direction][]data.Criterion // active ones, in order
	rules       data.Rules
	newOffice   map[string]int // officeKey → index in p.newOffices
	newStaff    map[string]int // e-mail → index in p.newStaff
	byHash      map[string]int // row hash → first row index
	byDoc       map[string]int // document number → first row index
	byName      map[string]int // folded name + birth date → first row index
}

// Check works out, for every row of f, what importing it into s would do:
// skip it (imported before, or repeated in the file), reject it (with its
// problems), or create or match its person, its referrer's office and
// staff record and its referral. It writes nothing; it reads s's offices,
// staff, criteria, rules, imported rows and people.
func Check(s *data.Store, f *File) (*Plan, error) {
	c := &checker{p: &Plan{File: f, Today: s.Today()}, s: s,
		officeByKey: map[string]data.Office{}, staffByMail: map[string]data.Staff{},
		staffByName: map[string][]data.Staff{}, criteria: map[data.Direction][]data.Criterion{},
		newOffice: map[string]int{}, newStaff: map[string]int{}, byHash: map[string]int{},
		byDoc: map[string]int{}, byName: map[string]int{}}
	if err := c.load(); err != nil {
		return nil, err
	}
	hashes := make([]string, 0, len(f.Rows))
	for i := range f.Rows {
		hashes = append(hashes, f.Rows[i].Hash)
		if f.Rows[i].Key != "" {
			hashes = append(hashes, f.Rows[i].Key)
		}
	}
	done, err := s.ImportedRows(hashes)
	if err != nil {
		return nil, err
	}
	for i := range f.Rows {
		r := &f.Rows[i]
		r.reset()
		_, ok := done[r.Hash]
		if _, byKey := done[r.Key]; byKey && r.Key != "" {
			ok = true
		}
		if ok {
			r.Status = Imported
			r.Referrer, _ = ParseReferrer(r.referrerText(), c.offices) // for display
			continue
		}
		if j, ok := c.byHash[r.Hash]; ok {
			r.Status, r.SameAs = Repeated, j
			r.Referrer, _ = ParseReferrer(r.referrerText(), c.offices)
			continue
		}
		c.byHash[r.Hash] = i
		c.row(i)
	}
	return c.p, nil
}

func (c *checker) load() error {
	var err error
	if c.offices, err = c.s.Offices(); err != nil {
		return err
	}
	for _, o := range c.offices {
		c.officeByKey[officeKey(o.Name)] = o
	}
	staff, err := c.s.StaffList()
	if err != nil {
		return err
	}
	for _, st := range staff {
		if st.Email != "" {
			c.staffByMail[st.Email] = st
		}
		k := data.Fold(st.Name)
		c.staffByName[k] = append(c.staffByName[k], st)
	}
	crit, err := c.s.Criteria("")
	if err != nil {
		return err
	}
	for _, cr := range crit {
		if cr.Active {
			c.criteria[cr.Direction] = append(c.criteria[cr.Direction], cr)
		}
	}
	for d := range c.criteria {
		sort.SliceStable(c.criteria[d], func(i, j int) bool { return c.criteria[d][i].Order < c.criteria[d][j].Order })
	}
	c.rules, err = c.s.Rules()
	return err
}

// reset forgets what an earlier Check decided, keeping what Read found.
func (r *Row) reset() {
	n := 0
	for _, p := range r.Problems {
		if !p.fromCheck {
			r.Problems[n] = p
			n++
		}
	}
	r.Problems = r.Problems[:n]
	r.Status, r.Match, r.SameAs, r.Direction, r.CriterionID, r.DNI, r.note = New, data.PersonCard{}, -1, "", "", false, ""
	r.criterionWhy, r.criterionTicked = "", false
	r.staff, r.office = staffRef{new: -1}, officeRef{new: -1}
}

// row checks row i.
func (c *checker) row(i int) {
	r := &c.p.File.Rows[i]
	c.referrer(r)
	p := &r.Person
	p.FilledByText = r.refText
	p.Normalize()
	if err := p.Validate(c.p.Today); err != nil {
		var ve *data.ValidationError
		if errors.As(err, &ve) {
			for _, fe := range ve.Fields {
				r.check(r.fieldCol[fe.Field], Invalid, fe.Message)
			}
		}
	}
	p.Regular = regular(p, data.DateOf(r.When))
	c.match(i)
	c.criterion(r)
	r.DNI = c.rules.DNI && p.DocKind == data.DocDNI
	if len(r.Invalid()) > 0 {
		r.Status = Rejected
	}
	r.note = c.note(r)
}

// check adds a problem found by Check (as opposed to Read).
func (r *Row) check(col string, sev Severity, msg string) {
	r.addProblem(Problem{Line: r.Line, Column: col, Message: msg, Severity: sev, fromCheck: true})
}

// regular infers a regular administrative situation, which the form does
// not ask: a residence document that carries an NIE (TIE, student card,
// asylum applicant's document, NIE) with an expiry date not passed on the
// day of the form. Anything else is "not recorded", and the exclusion rule
// for irregular situations proposes (never applies) an exclusion.
func regular(p *data.Person, on data.Date) bool {
	switch p.DocKind {
	case data.DocNIE, data.DocTIE, data.DocStudent, data.DocAsylum:
		return !p.DocExpiry.IsZero() && !p.DocExpiry.Before(on)
	}
	return false
}

// referrer reads question 18 and finds or plans the referrer's staff
// record and office.
func (c *checker) referrer(r *Row) {
	if r.refText == "" {
		r.check(r.refCol, Invalid, "Falta quién rellena el formulario: sin el organismo no se sabe la dirección de la derivación.")
		return
	}
	ref, reviews := ParseReferrer(r.referrerText(), c.offices)
	st, found := c.staffByMail[ref.Email]
	if !found && ref.Name != "" {
		if same := c.staffByName[data.Fold(ref.Name)]; len(same) == 1 {
			st, found = same[0], true
		}
	}
	if found {
		r.staff.id = st.ID
		if ref.Office == "" && st.OfficeID != "" {
			for _, o := range c.offices {
				if o.ID == st.OfficeID {
					ref.Office = o.Name
					if ref.Org == "" {
						ref.Org = o.Org
					}
				}
			}
		}
		reviews = dropEmailReview(reviews, ref.Email == "")
	}
	r.Referrer = ref
	for _, msg := range reviews {
		r.check(r.refCol, Review, msg)
	}
	dir, ok := data.DirectionFrom(ref.Org)
	if !ok {
		r.check(r.refCol, Invalid, "No se sabe si quien rellena el formulario es de la AE o de una oficina de inmigración (OMIOPI): escriba «AE» u «OMIOPI», o el nombre de la oficina.")
		return
	}
	r.Direction = dir
	r.office = c.office(ref)
	if !found && ref.Name != "" && data.CheckEmail(ref.Email) == nil {
		r.staff = c.plannedStaff(ref, r.office)
	}
}

// dropEmailReview leaves out the missing e-mail complaint for a referrer
// found in the staff list (the record has the address).
func dropEmailReview(reviews []string, missing bool) []string {
	if !missing {
		return reviews
	}
	out := reviews[:0]
	for _, m := range reviews {
		if !strings.HasPrefix(m, "Falta el correo") {
			out = append(out, m)
		}
	}
	return out
}

// office finds the referrer's office among the stored ones or plans it.
func (c *checker) office(ref Referrer) officeRef {
	if ref.Office == "" {
		return officeRef{new: -1}
	}
	k := officeKey(ref.Office)
	if o, ok := c.officeByKey[k]; ok {
		return officeRef{id: o.ID, new: -1}
	}
	if i, ok := c.newOffice[k]; ok {
		return officeRef{new: i}
	}
	c.p.newOffices = append(c.p.newOffices, data.Office{Name: ref.Office, Org: ref.Org})
	c.newOffice[k] = len(c.p.newOffices) - 1
	return officeRef{new: len(c.p.newOffices) - 1}
}

// plannedStaff plans a staff record for a referrer not in the list yet.
func (c *checker) plannedStaff(ref Referrer, office officeRef) staffRef {
	if i, ok := c.newStaff[ref.Email]; ok {
		return staffRef{new: i}
	}
	c.p.newStaff = append(c.p.newStaff, data.Staff{Name: ref.Name, Email: ref.Email, Role: ref.Role, Active: true})
	c.p.staffOffice = append(c.p.staffOffice, office)
	c.newStaff[ref.Email] = len(c.p.newStaff) - 1
	return staffRef{new: len(c.p.newStaff) - 1}
}

// match finds row i's person among the stored people (document number, or
// name and birth date), else among the earlier rows of the file.
func (c *checker) match(i int) {
	r := &c.p.File.Rows[i]
	p := &r.Person
	if p.FirstName == "" {
		return
	}
	if dups := c.s.FindDuplicates(p); len(dups) > 0 {
		r.Status, r.Match = Existing, dups[0]
		switch {
		case len(dups) > 1:
			r.check("", Review, fmt.Sprintf("Se parece a %d personas ya registradas: se ha tomado a %s.", len(dups), dups[0].FullName()))
		case data.Fold(dups[0].FullName()) != data.Fold(p.FullName()):
			r.check(r.fieldCol["DocNumber"], Review, fmt.Sprintf("El documento %s es el de %s, ya registrada con otro nombre: se ha tomado esa ficha.", p.DocNumber, dups[0].FullName()))
		}
		return
	}
	docKey := data.NormalizeDocNumber(p.DocNumber)
	nameKey := ""
	if !p.BirthDate.IsZero() {
		nameKey = data.Fold(p.FirstName+" "+p.LastName) + "|" + p.BirthDate.ISO()
	}
	if j, ok := c.byDoc[docKey]; ok && docKey != "" {
		r.SameAs = j
	} else if j, ok := c.byName[nameKey]; ok && nameKey != "" {
		r.SameAs = j
	}
	if docKey != "" {
		if _, ok := c.byDoc[docKey]; !ok {
			c.byDoc[docKey] = i
		}
	}
	if nameKey != "" {
		if _, ok := c.byName[nameKey]; !ok {
			c.byName[nameKey] = i
		}
	}
}

// criterion picks the referral's enabling situation, which the form does
// not ask: the first active criterion of the direction that the person's
// data supports (data.SuggestCriteria on the day of the form), else the
// first active criterion of the direction. Either way the note asks the
// coordinator to check it.
func (c *checker) criterion(r *Row) {
	if r.Direction == "" {
		return
	}
	crit := c.criteria[r.Direction]
	if len(crit) == 0 {
		r.check("", Invalid, fmt.Sprintf("No hay ninguna situación habilitante en vigor para %s: active una en Programa.", r.Direction.Label()))
		return
	}
	if len(r.Criteria) > 0 && c.ticked(r, crit) {
		return
	}
	r.CriterionID = crit[0].ID
	if sug := data.SuggestCriteria(&r.Person, crit, data.DateOf(r.When)); len(sug) > 0 {
		r.CriterionID = sug[0].CriterionID
		r.criterionWhy = sug[0].Why
	}
}

// ticked takes the first situation ticked on the form that is in force
// for the row's direction, and reports whether there was one.
func (c *checker) ticked(r *Row, crit []data.Criterion) bool {
	for _, id := range r.Criteria {
		for _, cr := range crit {
			if cr.ID == id {
				r.CriterionID, r.criterionTicked = id, true
				if len(r.Criteria) > 1 {
					r.check("", Review, fmt.Sprintf("Hay %d situaciones habilitantes marcadas: se ha tomado la primera en vigor.", len(r.Criteria)))
				}
				return true
			}
		}
	}
	r.check("", Review, "La situación habilitante marcada en el formulario ya no está en vigor para esta dirección: se propone otra.")
	return false
}

// note is the referral's note: where it came from and what to check.
func (c *checker) note(r *Row) string {
	var b strings.Builder
	if r.Source != "" {
		fmt.Fprintf(&b, "Importada del %s (fecha %s).", r.Source, r.When.Format("02/01/2006"))
	} else {
		fmt.Fprintf(&b, "Importada del formulario de derivaciones (línea %d, marca temporal %s).", r.Line, r.When.Format("02/01/2006 15:04:05"))
	}
	switch {
	case r.criterionTicked:
		b.WriteString(" Situación habilitante marcada en el formulario.")
	case r.criterionWhy != "":
		fmt.Fprintf(&b, " Situación habilitante propuesta por los datos del formulario (%s): revísela.", strings.TrimSuffix(r.criterionWhy, "."))
	default:
		b.WriteString(" Situación habilitante puesta por defecto al importar (el formulario no la pregunta): revísela.")
	}
	if r.DNI && r.Direction == data.FromAE {
		b.WriteString(" Tiene DNI: la exclusión queda propuesta hasta que la jefatura de sección de la AE verifique la derivación.")
	}
	if rev := r.Reviews(); len(rev) > 0 {
		b.WriteString(" Revisar:")
		for _, p := range rev {
			b.WriteString(" ")
			if p.Column != "" {
				b.WriteString("«" + p.Column + "»: ")
			}
			b.WriteString(p.Message)
		}
	}
	return b.String()
}

// Rejected returns the indexes of the rows that will not be imported
// because they are invalid.
func (p *Plan) Rejected() []int {
	var out []int
	for i := range p.File.Rows {
		if p.File.Rows[i].Status == Rejected {
			out = append(out, i)
		}
	}
	return out
}

// Problems returns every problem of the rows to import or reject (not of
// those skipped), rejections first, in file order.
func (p *Plan) Problems() []Problem {
	var bad, review []Problem
	for i := range p.File.Rows {
		r := &p.File.Rows[i]
		switch r.Status {
		case Rejected:
			bad = append(bad, r.Invalid()...)
		case New, Existing:
			review = append(review, r.Reviews()...)
		}
	}
	return append(bad, review...)
}
