package data

// The rights of the people in the records (RGPD, Reglamento General de
// Protección de Datos): consent to share with the other service, access to
// everything held on them, erasure (gdpr_erase.go) and the review of
// closed cases kept past the retention period (gdpr_retention.go).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ConsentWarning returns "" when p consented, on a known date, to share
// their data with the service that receives a referral in direction d
// (AE → OMIOPI needs consent for the OMIOPI, OMIOPI → AE for the AE), and
// otherwise a Spanish sentence for the referral form. It is a warning,
// not a rule: Propose does not refuse a referral without consent.
func ConsentWarning(p *Person, d Direction) string {
	to, ok := "la OMIOPI", p.ConsentOMIOPI
	if d == FromOMIOPI {
		to, ok = "la AE", p.ConsentAE
	}
	switch {
	case d != FromAE && d != FromOMIOPI:
		return ""
	case !ok:
		return fmt.Sprintf("No consta el consentimiento de la persona para compartir sus datos con %s: recójalo antes de derivar.", to)
	case p.ConsentDate.IsZero():
		return fmt.Sprintf("Falta la fecha en que la persona consintió compartir sus datos con %s: anótela en su ficha antes de derivar.", to)
	}
	return ""
}

// SubjectData is everything Enlace holds on one person, for the right of
// access: their ficha, timeline, referrals with their history, reminders,
// attachments, participation in RI projects and the audit entries about
// them.
type SubjectData struct {
	Exported    time.Time           `json:"exported"`
	Person      Person              `json:"person"`
	Events      []Event             `json:"events"`
	Referrals   []Referral          `json:"referrals"`
	Reminders   []Reminder          `json:"reminders"`
	Attachments []SubjectAttachment `json:"attachments"`
	RI          []SubjectRI         `json:"ri_projects"`
	Audit       []AuditEntry        `json:"audit"`

	// Names are the display names of the staff, offices and programme
	// profiles the records refer to, by ID or code.
	Names map[string]string `json:"names"`
}

// SubjectAttachment is one file on the person. Content is written to the
// JSON export (base64); the PDF lists the files only.
type SubjectAttachment struct {
	Attachment
	Content []byte `json:"content_base64,omitempty"`
}

// SubjectRI is the person's participation in one RI project.
type SubjectRI struct {
	ProjectID   string        `json:"project_id"`
	Expediente  string        `json:"expediente"`
	Entity      string        `json:"entity"`
	Participant RIParticipant `json:"participant"`
}

// SubjectData returns everything held on personID, read in one
// transaction, oldest first within each kind. It returns an error
// wrapping ErrNotFound for an unknown person, and ErrForbidden when the
// unlocked user may not export data.
func (s *Store) SubjectData(personID string) (SubjectData, error) {
	if err := s.Allow(PermExport); err != nil {
		return SubjectData{}, err
	}
	d := SubjectData{Exported: s.now()}
	err := s.view(func(tx *bolt.Tx) error {
		if err := getJSON(tx, bucketPeople, personID, &d.Person); err != nil {
			return fmt.Errorf("persona %s: %w", personID, err)
		}
		steps := []func(*bolt.Tx, string, *SubjectData) error{
			subjectEvents, subjectReferrals, subjectReminders, subjectAttachments, subjectRI, subjectAudit, subjectNames,
		}
		for _, step := range steps {
			if err := step(tx, personID, &d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return SubjectData{}, fmt.Errorf("datos de la persona %s: %w", personID, err)
	}
	return d, nil
}

// WriteSubjectJSON writes d as indented JSON to w.
func WriteSubjectJSON(w io.Writer, d SubjectData) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// eachPrefix calls fn with every key of bucket that starts with prefix
// (a copy, safe to keep) and its value, in key order.
func eachPrefix(tx *bolt.Tx, bucket []byte, prefix string, fn func(k, v []byte) error) error {
	p := []byte(prefix)
	c := tx.Bucket(bucket).Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if err := fn(append([]byte(nil), k...), v); err != nil {
			return err
		}
	}
	return nil
}

func subjectEvents(tx *bolt.Tx, id string, d *SubjectData) error {
	return eachPrefix(tx, bucketEvents, id, func(k, v []byte) error {
		var e Event
		if err := decodeValue(tx, bucketEvents, k, v, &e); err != nil {
			return fmt.Errorf("evento: %w", err)
		}
		d.Events = append(d.Events, e)
		return nil
	})
}

func subjectReferrals(tx *bolt.Tx, id string, d *SubjectData) error {
	return eachPrefix(tx, bucketPersonRefs, id, func(k, _ []byte) error {
		var r Referral
		if err := getJSON(tx, bucketReferrals, string(k[len(id):]), &r); err != nil {
			return fmt.Errorf("derivación %s: %w", k[len(id):], err)
		}
		d.Referrals = append(d.Referrals, r)
		return nil
	})
}

func subjectReminders(tx *bolt.Tx, id string, d *SubjectData) error {
	return tx.Bucket(bucketReminders).ForEach(func(k, v []byte) error {
		var r Reminder
		if err := decodeValue(tx, bucketReminders, k, v, &r); err != nil {
			return fmt.Errorf("recordatorio %s: %w", k, err)
		}
		if r.PersonID == id {
			d.Reminders = append(d.Reminders, r)
		}
		return nil
	})
}

func subjectRI(tx *bolt.Tx, id string, d *SubjectData) error {
	return eachRIParticipation(tx, id, func(p *RIProject, x *RIParticipant) {
		d.RI = append(d.RI, SubjectRI{ProjectID: p.ID, Expediente: p.Expediente(), Entity: p.Entity, Participant: *x})
	})
}

// eachRIParticipation calls fn for each RI project personID takes part in.
func eachRIParticipation(tx *bolt.Tx, personID string, fn func(p *RIProject, x *RIParticipant)) error {
	return tx.Bucket(bucketRI).ForEach(func(k, v []byte) error {
		var p RIProject
		if err := decodeValue(tx, bucketRI, k, v, &p); err != nil {
			return fmt.Errorf("proyecto RI %s: %w", k, err)
		}
		if x, ok := p.Participant(personID); ok {
			fn(&p, x)
		}
		return nil
	})
}

func subjectAudit(tx *bolt.Tx, id string, d *SubjectData) error {
	return eachSubjectEntry(tx, id, false, func(eid []byte) (bool, error) {
		var e AuditEntry
		if err := getJSON(tx, bucketAudit, string(eid), &e); err != nil {
			return true, fmt.Errorf("registro %s: %w", eid, err)
		}
		d.Audit = append(d.Audit, e)
		return false, nil
	})
}

func subjectAttachments(tx *bolt.Tx, id string, d *SubjectData) error {
	return eachPrefix(tx, bucketAttachments, id, func(k, v []byte) error {
		var a SubjectAttachment
		if err := decodeValue(tx, bucketAttachments, k, v, &a.Attachment); err != nil {
			return fmt.Errorf("documento %s: %w", k[len(id):], err)
		}
		body, err := getValue(tx, bucketAttachmentData, []byte(a.ID))
		if err != nil {
			return fmt.Errorf("contenido del documento %s: %w", a.ID, err)
		}
		a.Content = body
		d.Attachments = append(d.Attachments, a)
		return nil
	})
}

// subjectNames fills d.Names for the staff, offices and profiles the
// records name.
func subjectNames(tx *bolt.Tx, _ string, d *SubjectData) error {
	d.Names = make(map[string]string)
	ids := []string{d.Person.FilledBy}
	for _, r := range d.Referrals {
		ids = append(ids, r.StaffID, r.OfficeID)
	}
	for _, r := range d.Reminders {
		ids = append(ids, r.Assignee)
	}
	for _, id := range ids {
		var rec struct {
			Name string `json:"name"`
		}
		for _, b := range [][]byte{bucketStaff, bucketOffices} {
			if id != "" && getJSON(tx, b, id, &rec) == nil {
				d.Names[id] = rec.Name
			}
		}
	}
	prog := DefaultProgramme()
	if err := getJSON(tx, bucketConfig, keyProgramme, &prog); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	for _, r := range d.Referrals {
		if pr, ok := prog.Profile(r.Profile); ok {
			d.Names[r.Profile] = pr.Name
		}
	}
	return nil
}
