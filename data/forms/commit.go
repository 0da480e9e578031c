package forms

import (
	"errors"
	"fmt"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Preview counts what Import would do with skipInvalid, writing nothing.
func (p *Plan) Preview(skipInvalid bool) Result {
	var res Result
	valid := p.validRows()
	for i := range p.File.Rows {
		r := &p.File.Rows[i]
		switch r.Status {
		case Imported, Repeated:
			res.Skipped++
		case Rejected:
			res.Rejected++
		}
	}
	if res.Rejected > 0 && !skipInvalid {
		return Result{Rejected: res.Rejected}
	}
	offices, staff := map[int]bool{}, map[int]bool{}
	for i := range p.File.Rows {
		r := &p.File.Rows[i]
		if !r.Valid() {
			continue
		}
		res.Rows++
		res.Referrals++
		if r.Status == Existing || (r.SameAs >= 0 && valid[r.SameAs]) {
			res.Existing++
		} else {
			res.NewPeople++
		}
		if r.DNI {
			res.DNI++
			if r.Direction == data.FromOMIOPI {
				res.DNIExcluded++
			}
		}
		if len(r.Reviews()) > 0 {
			res.Review++
		}
		if r.office.new >= 0 {
			offices[r.office.new] = true
		}
		if r.staff.new >= 0 {
			staff[r.staff.new] = true
		}
	}
	res.NewOffices, res.NewStaff = len(offices), len(staff)
	return res
}

// validRows marks the rows that will be imported.
func (p *Plan) validRows() []bool {
	out := make([]bool, len(p.File.Rows))
	for i := range p.File.Rows {
		out[i] = p.File.Rows[i].Valid()
	}
	return out
}

// Import writes the plan into s as author, in one transaction: every
// valid row or, on any error, nothing. With invalid rows and skipInvalid
// false it writes nothing and returns a *RowsError listing them; with
// skipInvalid it imports the valid rows and counts the others as
// rejected (write them out with File.WriteRejected).
//
// For each row it creates the person, or completes the stored one's empty
// fields; creates the referrer's office and staff record when they are
// new; proposes the referral (data.Batch.Propose, which runs the
// exclusion rules); excludes it at once for a DNI when it comes from an
// OMIOPI (an AE referral must first be verified by the AE's section head,
// so it stays proposed with the exclusion suggested, and its note says
// so); and records the row's hash so it is never imported twice.
func (p *Plan) Import(s *data.Store, author string, skipInvalid bool) (Result, error) {
	if bad := p.Rejected(); len(bad) > 0 && !skipInvalid {
		var probs []Problem
		for _, i := range bad {
			probs = append(probs, p.File.Rows[i].Invalid()...)
		}
		return Result{Rejected: len(bad)}, &RowsError{Problems: probs, Rows: len(bad)}
	}
	if res := p.Preview(skipInvalid); res.Rows == 0 {
		return res, nil // nothing to write: no transaction at all
	}
	var res Result
	err := s.Batch(author, func(b *data.Batch) error {
		im := &importer{p: p, b: b, res: Result{}, people: make([]string, len(p.File.Rows)),
			offices: make([]string, len(p.newOffices)), staff: make([]string, len(p.newStaff))}
		for i := range p.File.Rows {
			if err := im.row(i); err != nil {
				return fmt.Errorf("línea %d: %w", p.File.Rows[i].Line, err)
			}
		}
		res = im.res
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// importer carries one import's transaction and what it has created.
type importer struct {
	p       *Plan
	b       *data.Batch
	res     Result
	people  []string // person ID of each row imported
	offices []string // ID of each of p.newOffices once created
	staff   []string // ID of each of p.newStaff once created
}

// row imports row i, if it is to be imported.
func (im *importer) row(i int) error {
	r := &im.p.File.Rows[i]
	switch r.Status {
	case Imported, Repeated:
		im.res.Skipped++
		return nil
	case Rejected:
		im.res.Rejected++
		return nil
	}
	for _, k := range []string{r.Hash, r.Key} {
		if k == "" {
			continue
		}
		if _, done, err := im.b.ImportedRow(k); err != nil {
			return err
		} else if done {
			im.res.Skipped++ // imported since Check ran
			return nil
		}
	}
	officeID, err := im.office(r.office)
	if err != nil {
		return err
	}
	staffID, err := im.staffMember(r.staff)
	if err != nil {
		return err
	}
	personID, err := im.person(r, staffID)
	if err != nil {
		return err
	}
	im.people[i] = personID
	ref := data.Referral{PersonID: personID, Direction: r.Direction, StaffID: staffID, OfficeID: officeID,
		CriterionID: r.CriterionID, Date: data.DateOf(r.When), Note: r.note}
	if err := im.b.Propose(&ref); err != nil {
		return err
	}
	im.res.Rows++
	im.res.Referrals++
	if len(r.Reviews()) > 0 {
		im.res.Review++
	}
	if err := im.dni(&ref); err != nil {
		return err
	}
	if r.Key != "" {
		if err := im.b.MarkImported(r.Key, personID, ref.ID); err != nil {
			return err
		}
	}
	return im.b.MarkImported(r.Hash, personID, ref.ID)
}

// dni excludes an OMIOPI referral whose person holds a DNI, as the rule
// proposes; an AE referral keeps the proposal until it is verified.
func (im *importer) dni(ref *data.Referral) error {
	fired := false
	for _, f := range ref.Suggested {
		fired = fired || f.Reason == data.ExclusionDNI
	}
	if !fired {
		return nil
	}
	im.res.DNI++
	if ref.Direction != data.FromOMIOPI {
		return nil
	}
	_, err := im.b.Apply(ref.ID, data.Change{Action: data.ActExclude, Exclusion: data.ExclusionDNI,
		Reason: "Exclusión automática al importar el formulario: tiene DNI español."})
	if err == nil {
		im.res.DNIExcluded++
	}
	return err
}

// person returns the ID of r's person: the stored one it matched (its
// empty fields completed from the form), the one an earlier row of this
// import created, or a new one.
func (im *importer) person(r *Row, staffID string) (string, error) {
	if r.Status == Existing {
		im.res.Existing++
		return r.Match.ID, im.complete(r.Match.ID, r)
	}
	if r.SameAs >= 0 && im.people[r.SameAs] != "" {
		im.res.Existing++
		return im.people[r.SameAs], im.complete(im.people[r.SameAs], r)
	}
	p := r.Person
	p.FilledBy = staffID
	if err := im.b.CreatePerson(&p); err != nil {
		return "", err
	}
	im.res.NewPeople++
	return p.ID, nil
}

// complete fills the stored person's empty fields from the form. Nothing
// typed before is overwritten; a record that no longer validates (older
// rules) is left as it is.
func (im *importer) complete(id string, r *Row) error {
	stored, err := im.b.Person(id)
	if err != nil {
		return err
	}
	if !fillBlanks(&stored, &r.Person) {
		return nil
	}
	err = im.b.UpdatePerson(&stored)
	if errors.Is(err, data.ErrInvalid) {
		return nil
	}
	return err
}

// fillBlanks copies into dst the fields of src that dst lacks, and adds
// src's observations when dst does not hold them yet. It reports whether
// dst changed.
func fillBlanks(dst, src *data.Person) bool {
	changed := false
	str := func(d *string, s string) {
		if *d == "" && s != "" {
			*d, changed = s, true
		}
	}
	for _, f := range []struct {
		d *string
		s string
	}{
		{&dst.LastName, src.LastName}, {&dst.Nationality, src.Nationality}, {&dst.Origin, src.Origin},
		{&dst.Address, src.Address}, {&dst.PostalCode, src.PostalCode}, {&dst.City, src.City},
		{&dst.Email, src.Email}, {&dst.Benefit, src.Benefit},
		{&dst.BenefitPrograms, src.BenefitPrograms}, {&dst.Education, src.Education},
		{&dst.EducationLevel, src.EducationLevel}, {&dst.Training, src.Training},
		{&dst.Experience, src.Experience}, {&dst.Languages, src.Languages},
		{&dst.Employment, src.Employment}, {&dst.DrivingLicence, src.DrivingLicence},
		{&dst.OtherLicences, src.OtherLicences}, {&dst.Interests, src.Interests},
		{&dst.Disability, src.Disability}, {&dst.FilledByText, src.FilledByText},
	} {
		str(f.d, f.s)
	}
	for _, ph := range []string{src.Phone1, src.Phone2} {
		switch {
		case ph == "" || ph == dst.Phone1 || ph == dst.Phone2:
		case dst.Phone1 == "":
			dst.Phone1, changed = ph, true
		case dst.Phone2 == "":
			dst.Phone2, changed = ph, true
		}
	}
	if dst.Gender == "" && src.Gender != "" {
		dst.Gender, changed = src.Gender, true
	}
	if dst.ConsentDate.IsZero() && !src.ConsentDate.IsZero() {
		dst.ConsentDate, dst.ConsentAE, dst.ConsentOMIOPI, dst.ConsentHow = src.ConsentDate, src.ConsentAE, src.ConsentOMIOPI, src.ConsentHow
		changed = true
	}
	if dst.BirthDate.IsZero() && !src.BirthDate.IsZero() {
		dst.BirthDate, changed = src.BirthDate, true
	}
	switch {
	case dst.DocKind == "" && dst.DocNumber == "" && src.DocNumber != "":
		dst.DocKind, dst.DocNumber, dst.DocExpiry, changed = src.DocKind, src.DocNumber, src.DocExpiry, true
	case dst.DocNumber == src.DocNumber && dst.DocExpiry.IsZero() && !src.DocExpiry.IsZero():
		dst.DocExpiry, changed = src.DocExpiry, true
	}
	if src.Observations != "" && !strings.Contains(dst.Observations, src.Observations) {
		if dst.Observations != "" {
			dst.Observations += "\n\n"
		}
		dst.Observations, changed = dst.Observations+src.Observations, true
	}
	return changed
}

// office returns the ID of the office ref names, creating it the first
// time a planned one is needed.
func (im *importer) office(ref officeRef) (string, error) {
	if ref.new < 0 {
		return ref.id, nil
	}
	if id := im.offices[ref.new]; id != "" {
		return id, nil
	}
	o := im.p.newOffices[ref.new]
	if err := im.b.SaveOffice(&o); err != nil {
		return "", err
	}
	im.offices[ref.new] = o.ID
	im.res.NewOffices++
	return o.ID, nil
}

// staffMember returns the ID of the staff member ref names, creating the
// record (in its office) the first time a planned one is needed.
func (im *importer) staffMember(ref staffRef) (string, error) {
	if ref.new < 0 {
		return ref.id, nil
	}
	if id := im.staff[ref.new]; id != "" {
		return id, nil
	}
	st := im.p.newStaff[ref.new]
	officeID, err := im.office(im.p.staffOffice[ref.new])
	if err != nil {
		return "", err
	}
	st.OfficeID = officeID
	if err := im.b.SaveStaff(&st); err != nil {
		return "", err
	}
	im.staff[ref.new] = st.ID
	im.res.NewStaff++
	return st.ID, nil
}
