package forms

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Severity says what a problem does to its row.
type Severity int

// Severities.
const (
	Review  Severity = iota // imported; the text is kept as typed and the row flagged
	Invalid                 // the row is not imported
)

// Problem is one thing wrong with one cell of one row, worded for the user.
type Problem struct {
	Line     int    // the line of the file where the row starts
	Column   string // the column's short label (Column.Label), "" for the whole row
	Message  string
	Severity Severity

	fromCheck bool // found by Check, not by Read
}

// String formats p as the command line prints it: «línea 7, columna «Tipo
// de Documento…»: La letra del NIE no es correcta: debería ser L.»
func (p Problem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("línea %d: %s", p.Line, p.Message)
	}
	return fmt.Sprintf("línea %d, columna «%s»: %s", p.Line, p.Column, p.Message)
}

// Row is one answer of the form: the person and referrer read from it, and
// what Check decided to do with it.
type Row struct {
	Line  int      // where the row starts in the file (the header is line 1)
	Cells []string // as read, one per column (more when the row is longer)
	Hash  string   // hex SHA-256 of the cells: the row's key in the store
	// Key, when set before Check, is a second hex SHA-256 that names where
	// the row came from (a Nextcloud Forms submission): a row whose Key
	// was imported is skipped like one whose Hash was, and Import records
	// both in the same transaction.
	Key string
	// Source, when set, says where the row came from for the referral's
	// note, in place of its line ("formulario PDF «x.pdf»").
	Source string
	// Criteria, when the form asks (the PDF form's ticks), are the IDs of
	// the enabling situations ticked, in the form's order: Check takes
	// the first one in force instead of guessing.
	Criteria []string
	When     time.Time // the "Marca temporal" (zero when it could not be read)
	Person   data.Person
	Referrer Referrer
	Problems []Problem

	// Set by Check.
	Status          Status
	Match           data.PersonCard // the stored person, when Status is Existing
	SameAs          int             // index of an earlier row of the file with the same person, or -1
	Direction       data.Direction
	CriterionID     string
	DNI             bool   // the DNI exclusion rule fires on the person
	criterionWhy    string // why the data supports the criterion, "" for the default
	criterionTicked bool   // CriterionID is the one ticked on the form
	note            string // the referral's note
	staff           staffRef
	office          officeRef

	start, end int               // the row's bytes in the file
	cols       []Column          // the file's columns
	fieldCol   map[string]string // Person field → column label, for data's messages
	extra      []string          // "label: text" kept in the observations
	refText    string            // question 18 as typed
	refCol     string            // its column label
	respondent string            // the address Google Forms collected, if any
}

// Status is what importing a row does.
type Status int

// Statuses of a row after Check.
const (
	New      Status = iota // a new person and a referral
	Existing               // a referral for a person already stored
	Imported               // imported before (same cells): skipped
	Repeated               // the same cells as an earlier row of this file: skipped
	Rejected               // invalid: not imported
)

// Valid reports whether r will be imported.
func (r *Row) Valid() bool { return r.Status == New || r.Status == Existing }

// Invalid returns r's problems that keep it out.
func (r *Row) Invalid() []Problem { return r.problems(Invalid) }

// Reviews returns what the coordinator should check once r is imported.
func (r *Row) Reviews() []Problem { return r.problems(Review) }

func (r *Row) problems(s Severity) []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// ReferrerText is question 18 as typed.
func (r *Row) ReferrerText() string { return r.refText }

// referrerText is question 18 for ParseReferrer: as typed, with the
// address Google Forms collected added when the text has none.
func (r *Row) referrerText() string {
	if r.respondent == "" || emailRe.MatchString(r.refText) {
		return r.refText
	}
	return r.refText + ", " + r.respondent
}

func (r *Row) add(col string, sev Severity, msg string) {
	r.addProblem(Problem{Line: r.Line, Column: col, Message: msg, Severity: sev})
}

// addProblem appends p unless the row already has it.
func (r *Row) addProblem(p Problem) {
	for _, q := range r.Problems {
		if q.Column == p.Column && q.Message == p.Message {
			return
		}
	}
	r.Problems = append(r.Problems, p)
}

// keep records text as typed in the person's observations, under label.
func (r *Row) keep(label, text string) {
	if text = strings.TrimSpace(text); text != "" {
		r.extra = append(r.extra, label+": "+text)
	}
}

// rowHash is the hex SHA-256 that identifies a row across exports: the
// trimmed, non-empty cells of the columns the import knows, each tagged
// with its column's identity (so neither the order of the columns nor an
// added or unknown column changes it), the timestamp to the minute (a
// spreadsheet may drop the seconds). Two rows with the same hash are the
// same answer of the form.
func rowHash(cols []Column, cells []string, when time.Time) string {
	h := sha256.New()
	var buf [binary.MaxVarintLen64]byte
	put := func(s string) {
		h.Write(buf[:binary.PutUvarint(buf[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	type cell struct{ key, text string }
	var known []cell
	for i, c := range cols {
		if i >= len(cells) || c.Kind == Unknown || c.Kind == Account {
			continue
		}
		text := strings.TrimSpace(cells[i])
		if c.Kind == Timestamp && !when.IsZero() {
			text = when.Format("2006-01-02T15:04")
		}
		if text != "" {
			known = append(known, cell{fmt.Sprintf("%d.%02d", c.Kind, c.Question), text})
		}
	}
	sort.Slice(known, func(i, j int) bool { return known[i].key < known[j].key })
	for _, c := range known {
		put(c.key)
		put(c.text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// parseRow reads one record: everything but question 18, whose office
// names Check knows.
func parseRow(cols []Column, rec record) Row {
	r := Row{Line: rec.line, Cells: rec.cells, start: rec.start, end: rec.end, cols: cols,
		SameAs: -1, fieldCol: map[string]string{}}
	var obs string
	for i, cell := range rec.cells {
		if i >= len(cols) {
			r.keep(fmt.Sprintf("Columna %d", i+1), cell)
			continue
		}
		c := cols[i]
		cell = strings.TrimSpace(cell)
		switch c.Kind {
		case Timestamp:
			t, err := ParseTimestamp(cell)
			if err != nil {
				r.add(c.Label(), Invalid, err.Error())
			}
			r.When = t
		case Gender:
			g, ok := ParseGender(cell)
			if !ok {
				r.add(c.Label(), Review, "El género «"+userText(cell)+"» no es una de las opciones: se guarda en observaciones.")
				r.keep(c.Label(), cell)
			}
			r.Person.Gender = g
			r.fieldCol["Gender"] = c.Label()
		case BirthDate:
			d, err := data.ParseDate(cell)
			if err != nil {
				r.add(c.Label(), Invalid, err.Error())
			}
			r.Person.BirthDate = d
			r.fieldCol["BirthDate"] = c.Label()
		case Account:
		case RespondentEmail:
			if e := strings.ToLower(cell); data.CheckEmail(e) == nil {
				r.respondent = e
			}
		case Question:
			if c.Question == qObservation {
				obs = cell
				continue
			}
			r.question(c, cell)
		default:
			r.keep(c.Header, cell)
		}
	}
	if r.Person.FirstName == "" {
		col := ""
		for _, c := range cols {
			if c.Kind == Question && c.Question == qName {
				col = c.Label()
			}
		}
		r.add(col, Invalid, "Falta el nombre.")
	}
	r.Person.Observations = observations(obs, r.extra)
	r.Hash = rowHash(cols, rec.cells, r.When)
	return r
}

// observations joins question 15 with what was kept as typed.
func observations(obs string, extra []string) string {
	if len(extra) == 0 {
		return obs
	}
	kept := "Del formulario importado:\n" + strings.Join(extra, "\n")
	if obs == "" {
		return kept
	}
	return obs + "\n\n" + kept
}

var postalCode = regexp.MustCompile(`(?:^|[^\d])((?:0[1-9]|[1-4]\d|5[0-2])\d{3})(?:$|[^\d])`)

// question reads the answer to one of the 21 questions into r.Person.
func (r *Row) question(c Column, cell string) {
	p := &r.Person
	label := c.Label()
	switch c.Question {
	case qName:
		p.FirstName, p.LastName = SplitName(cell)
		r.fieldCol["FirstName"] = label
	case qBenefit:
		p.Benefit = cell
	case qPrograms:
		p.BenefitPrograms = cell
	case qAddress:
		p.Address = cell
		if m := postalCode.FindStringSubmatch(cell); m != nil {
			p.PostalCode = m[1]
		}
		if strings.Contains(data.Fold(cell), "madrid") {
			p.City = "Madrid"
		}
	case qEducation:
		p.Education = cell
	case qDriving:
		p.DrivingLicence = ParseDrivingLicence(cell)
	case qDocument:
		r.document(c, cell)
	case qLevel:
		level, homologated, ok := ParseEducationLevel(cell)
		p.EducationLevel, p.Homologated = level, homologated
		if cell != "" && (!ok || data.Fold(optionText(cell)) != data.Fold(level)) {
			r.keep(c.Header, cell)
		}
		if cell != "" && !ok {
			r.add(label, Review, "El nivel de estudios no es uno de los de Enlace: se guarda en observaciones.")
		}
	case qLicences:
		p.OtherLicences = cell
	case qPhones:
		var review string
		p.Phone1, p.Phone2, review = ParsePhones(cell)
		r.fieldCol["Phone1"], r.fieldCol["Phone2"] = label, label
		if review != "" {
			r.add(label, Review, review)
			r.keep(c.Header, cell)
		}
	case qTraining:
		p.Training = cell
	case qInterests:
		p.Interests = cell
	case qEmail:
		r.email(c, cell)
	case qExperience:
		p.Experience = cell
	case qNationality:
		var review string
		p.Nationality, p.Origin, review = ParseNationality(cell)
		r.fieldCol["Nationality"] = label
		if review != "" {
			r.add(label, Review, review)
		}
	case qLanguages:
		p.Languages = cell
	case qReferrer:
		r.refText, r.refCol = cell, label
	case qEmployment:
		p.Employment = cell
	case qIT:
		level, ok := ParseITLevel(cell)
		p.ITLevel = level
		if cell != "" && (!ok || data.Fold(optionText(cell)) != data.Fold(data.ITLevelLabel(level))) {
			r.keep(c.Header, cell)
		}
		if cell != "" && !ok {
			r.add(label, Review, "El nivel de informática no se ha entendido: queda como «Ninguno» y el texto en observaciones.")
		}
	case qDisability:
		p.Disability = cell
	}
}

// optionText is an answer without the number an option list put before it
// ("2 - Medio" → "Medio"), so that an answer read exactly is not also kept
// as typed.
func optionText(cell string) string {
	if _, hasNumber, word := optionLabel(cell); hasNumber && word != "" {
		return word
	}
	return cell
}

// document reads question 7.
func (r *Row) document(c Column, cell string) {
	label := c.Label()
	r.fieldCol["DocNumber"], r.fieldCol["DocKind"], r.fieldCol["DocExpiry"] = label, label, label
	d, review, err := ParseDocument(cell)
	if err != nil {
		r.add(label, Invalid, err.Error())
		return
	}
	r.Person.DocKind, r.Person.DocNumber, r.Person.DocExpiry = d.Kind, d.Number, d.Expiry
	if review != "" {
		r.add(label, Review, review)
		r.keep(c.Header, cell)
	}
}

// email reads question 13; an address that is not one is kept as typed.
func (r *Row) email(c Column, cell string) {
	label := c.Label()
	r.fieldCol["Email"] = label
	e := strings.ToLower(cell)
	if e == "" || noneAnswers[data.Fold(cell)] || e == "-" {
		return
	}
	if m := emailRe.FindString(e); m != "" && strings.TrimSpace(strings.Replace(e, m, "", 1)) == "" {
		e = m
	}
	if err := data.CheckEmail(e); err != nil {
		r.add(label, Review, err.Error()+" Se guarda en observaciones.")
		r.keep(c.Header, cell)
		return
	}
	r.Person.Email = e
}
