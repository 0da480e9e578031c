package data

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// SaveRIProject normalises and validates p and stores it: a new project
// (empty ID) gets an ID, and so does each new tutor. It returns a
// *ValidationError when p is not valid or its expediente is already
// another project's, and ErrNotFound when a participant names no person
// in Enlace or p.ID names no stored project.
func (b *Batch) SaveRIProject(p *RIProject) error {
	if err := b.allow(PermRI); err != nil {
		return err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	for _, x := range p.Participants {
		if b.tx.Bucket(bucketPeople).Get([]byte(x.PersonID)) == nil {
			return fmt.Errorf("participante %s: %w", x.PersonID, ErrNotFound)
		}
	}
	if other, err := findRIExpediente(b.tx, p.Number, p.Year); err == nil && other != p.ID {
		return &ValidationError{Fields: []FieldError{{Field: "Number",
			Message: fmt.Sprintf("Ya hay un proyecto con el expediente %s.", p.Expediente())}}}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	q := *p
	q.Tutors = slices.Clone(p.Tutors)
	for i := range q.Tutors {
		if q.Tutors[i].ID == "" {
			q.Tutors[i].ID = b.s.newID()
		}
	}
	if err := b.saveRecord(bucketRI, &q.ID, &q.Stamp, &q); err != nil {
		return err
	}
	*p = q
	return nil
}

// SaveRIProject stores p written by author (see Batch.SaveRIProject), then
// brings the reminders of its deadlines in step (SyncRIReminders).
func (s *Store) SaveRIProject(p *RIProject, author string) error {
	if err := s.Batch(author, func(b *Batch) error { return b.SaveRIProject(p) }); err != nil {
		return err
	}
	return s.afterRIWrite("El proyecto " + p.Expediente() + " se ha guardado")
}

// DeleteRIProject removes the project with id and the pending reminders of
// its deadlines. People stay in Enlace. It returns ErrNotFound when there
// is no such project.
func (s *Store) DeleteRIProject(id, author string) error {
	err := s.Batch(author, func(b *Batch) error {
		if err := b.allow(PermRI); err != nil {
			return err
		}
		if b.tx.Bucket(bucketRI).Get([]byte(id)) == nil {
			return fmt.Errorf("proyecto RI %s: %w", id, ErrNotFound)
		}
		return deleteValue(b.tx, bucketRI, []byte(id))
	})
	if err != nil {
		return err
	}
	return s.afterRIWrite("El proyecto se ha borrado")
}

// RIProject returns the project with id, or ErrNotFound.
func (s *Store) RIProject(id string) (RIProject, error) {
	var p RIProject
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketRI, id, &p) })
	if err != nil {
		return RIProject{}, fmt.Errorf("proyecto RI %s: %w", id, err)
	}
	return p, nil
}

// FindRIProject returns the project named by ref: its ID or its
// expediente ("RI/12/2024"). It returns ErrNotFound when none matches.
func (s *Store) FindRIProject(ref string) (RIProject, error) {
	ref = strings.TrimSpace(ref)
	n, y, ok := ParseExpediente(ref)
	if !ok {
		return s.RIProject(ref)
	}
	var p RIProject
	err := s.view(func(tx *bolt.Tx) error {
		id, err := findRIExpediente(tx, n, y)
		if err != nil {
			return err
		}
		return getJSON(tx, bucketRI, id, &p)
	})
	if err != nil {
		return RIProject{}, fmt.Errorf("proyecto %s: %w", ref, err)
	}
	return p, nil
}

// findRIExpediente returns the ID of the project RI/number/year.
func findRIExpediente(tx *bolt.Tx, number, year int) (string, error) {
	var key struct {
		ID     string `json:"id"`
		Number int    `json:"number"`
		Year   int    `json:"year"`
	}
	c := tx.Bucket(bucketRI).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := decodeValue(tx, bucketRI, k, v, &key); err != nil {
			return "", fmt.Errorf("proyecto RI %s: %w", k, err)
		}
		if key.Number == number && key.Year == year {
			return key.ID, nil
		}
	}
	return "", ErrNotFound
}

// RIProjects returns every project, newest year first, then by number.
func (s *Store) RIProjects() ([]RIProject, error) {
	out, err := listAll[RIProject](s, bucketRI)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year > out[j].Year
		}
		return out[i].Number < out[j].Number
	})
	return out, err
}

// RINames returns the display names of p's participants by person ID,
// for Estimate, Check and Deadlines. A person no longer in Enlace shows
// as "persona <id>".
func (s *Store) RINames(p *RIProject) map[string]string {
	names := make(map[string]string, len(p.Participants))
	for _, x := range p.Participants {
		if c, err := s.Card(x.PersonID); err == nil {
			names[x.PersonID] = c.FullName()
		}
	}
	return names
}

// riName returns the name of person id in names.
func riName(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return "persona " + id
}

const keySMI = "ri.smi"

// SMITable returns the stored SMI table, or DefaultSMI when none was saved.
func (s *Store) SMITable() (SMITable, error) {
	var t SMITable
	if err := s.Setting(keySMI, &t); errors.Is(err, ErrNotFound) {
		return DefaultSMI(), nil
	} else if err != nil {
		return nil, err
	}
	return t, nil
}

// SaveSMITable validates and stores t, which replaces the whole table. It
// returns a *ValidationError when t is not valid.
func (s *Store) SaveSMITable(t SMITable, author string) error {
	if err := s.checkWrite(PermSettings, author); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error { return putJSON(tx, bucketConfig, keySMI, t) })
}

// RIEstimate returns the estimate of the project named by ref (its ID or
// expediente) with the stored SMI table and the participants' names. It
// returns ErrNotFound when there is no such project or no SMI for its
// call year.
func (s *Store) RIEstimate(ref string) (RIEstimate, error) {
	p, err := s.FindRIProject(ref)
	if err != nil {
		return RIEstimate{}, err
	}
	smi, err := s.SMITable()
	if err != nil {
		return RIEstimate{}, err
	}
	return p.Estimate(smi, s.RINames(&p))
}
