package acroform

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
)

// columns are the pipeline's columns the form's fields fill, in the order
// of cells' cells.
var columns = []forms.Column{
	{Header: Labels[FieldDate], Kind: forms.Timestamp},
	{Header: Labels[FieldFirstName], Kind: forms.Question, Question: 1},
	{Header: Labels[FieldDocNumber], Kind: forms.Question, Question: 7},
	{Header: Labels[FieldBirthDate], Kind: forms.BirthDate},
	{Header: Labels[FieldGender], Kind: forms.Gender},
	{Header: Labels[FieldNationality], Kind: forms.Question, Question: 16},
	{Header: Labels[FieldPhone], Kind: forms.Question, Question: 10},
	{Header: Labels[FieldEmail], Kind: forms.Question, Question: 13},
	{Header: Labels[FieldAddress], Kind: forms.Question, Question: 4},
	{Header: Labels[FieldReferrerName], Kind: forms.Question, Question: 18},
	{Header: Labels[FieldObservations], Kind: forms.Question, Question: 15},
}

// File turns filled-in forms into a forms.File, one row per form in the
// order given, each row's Key the file's SHA-256. The office is read from
// the store by the form's office ID (its name as printed when the office
// is gone), so that the referrer's office and organisation are the
// stored ones. Missing required fields, no situation ticked and no
// consent are the rows' problems.
func File(s *data.Store, filled []*Filled) (*forms.File, error) {
	offices, err := s.Offices()
	if err != nil {
		return nil, err
	}
	subs := make([][]string, len(filled))
	dateProblems := make([]string, len(filled))
	for i, f := range filled {
		g := *f
		if now := s.Now(); g.When.IsZero() || g.When.After(now) {
			g.When = now // a file's clock is no later than the store's
		}
		g.Values, dateProblems[i] = checkDate(f.Values, s.Today())
		subs[i] = cells(&g, offices)
	}
	file := forms.Answers(columns, subs)
	for i, f := range filled {
		r := &file.Rows[i]
		if msg := dateProblems[i]; msg != "" {
			r.Problems = append(r.Problems, forms.Problem{Line: r.Line, Column: Labels[FieldDate], Message: msg, Severity: forms.Invalid})
		}
		r.Key, r.Source, r.Criteria = f.Hash, "formulario PDF «"+f.Name+"»", f.Criteria
		// The same answers are the same cells, situations ticked, consent
		// and date as typed.
		h := sha256.Sum256([]byte(r.Hash + "\x00" + strings.Join(f.Criteria, "\x00") + "\x00" + f.Values[FieldConsent] +
			"\x00" + f.Values[FieldDate]))
		r.Hash = hex.EncodeToString(h[:])
		for _, name := range Required[1:] { // the pipeline itself says when the name is missing
			if f.Values[name] == "" {
				r.Problems = append(r.Problems, forms.Problem{Line: r.Line, Column: Labels[name],
					Message: "Falta «" + Labels[name] + "», que es obligatorio.", Severity: forms.Invalid})
			}
		}
		if len(f.Criteria) == 0 {
			r.Problems = append(r.Problems, forms.Problem{Line: r.Line, Column: "Situación habilitante",
				Message: "No hay ninguna situación habilitante marcada: marque la que cumple la persona.", Severity: forms.Invalid})
		}
		if f.Values[FieldConsent] != "" {
			p := &r.Person
			p.ConsentDate, p.ConsentAE, p.ConsentOMIOPI = data.DateOf(r.When), true, true
			p.ConsentHow = "Casilla del formulario PDF de derivación"
		} else {
			r.Problems = append(r.Problems, forms.Problem{Line: r.Line, Column: Labels[FieldConsent],
				Message: "No está marcada la casilla del consentimiento: recójalo antes de compartir sus datos.", Severity: forms.Review})
		}
	}
	return file, nil
}

// checkDate reads the form's date of referral, which the pipeline would
// read as a CSV's timestamp and word as one: a date that is not one, or
// is later than today, is the row's problem, and the file's date stands
// in for it (so that it is the only problem said about it).
func checkDate(v map[string]string, today data.Date) (map[string]string, string) {
	typed := v[FieldDate]
	if typed == "" {
		return v, ""
	}
	d, err := data.ParseDate(typed)
	msg := ""
	switch {
	case err != nil:
		msg = "La fecha de la derivación «" + typed + "» no es una fecha: escríbala como dd/mm/aaaa."
	case d.After(today):
		msg = "La fecha de la derivación (" + typed + ") no puede ser posterior a hoy."
	default:
		return v, ""
	}
	out := make(map[string]string, len(v))
	for k, val := range v {
		out[k] = val
	}
	out[FieldDate] = ""
	return out, msg
}

// cells are f's answers as the cells of columns.
func cells(f *Filled, offices []data.Office) []string {
	v := f.Values
	when := v[FieldDate]
	if when == "" {
		when = f.When.In(data.Madrid()).Format(time.RFC3339)
	}
	name := v[FieldFirstName]
	if last := v[FieldLastName]; last != "" && name != "" {
		name = last + ", " + name // SplitName reads "Apellidos, Nombre" exactly
	}
	doc := v[FieldDocNumber]
	if doc != "" {
		if k := docKindOf(v[FieldDocKind]); k != "" {
			doc = k.Label() + " " + doc
		}
		if exp := v[FieldDocExpiry]; exp != "" {
			doc += " caduca " + exp
		}
	}
	phones := join(" / ", v[FieldPhone], v[FieldPhone2])
	addr := v[FieldAddress]
	if d := v[FieldDistrict]; d != "" {
		addr = join(", ", addr, "distrito "+d)
	}
	return []string{when, name, doc, v[FieldBirthDate], genderOf(v[FieldGender]), v[FieldNationality],
		phones, v[FieldEmail], addr, referrer(f, offices), v[FieldObservations]}
}

// referrer is question 18 ("Persona que rellena este formulario. Nombre,
// organismo y correo electrónico") as the form's fields answer it.
func referrer(f *Filled, offices []data.Office) string {
	v := f.Values
	office, org := v[FieldOffice], ""
	for _, o := range offices {
		if o.ID == v[FieldOfficeID] && o.ID != "" {
			office, org = o.Name, string(o.Org)
		}
	}
	if v[FieldReferrerName] == "" && v[FieldReferrerEmail] == "" {
		return ""
	}
	return join(", ", v[FieldReferrerName], office, org, v[FieldReferrerEmail])
}

func join(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
