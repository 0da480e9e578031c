package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The audit trail: an append-only log of every change to a record (who,
// when, which record, which fields, the old and the new value) and of
// every export. Entries are sealed like any value. Enlace has no way to
// change or delete one; only the erasure of a person (the right to be
// forgotten) removes that person's entries, leaving a tombstone that
// names nobody.
var (
	bucketAudit   = []byte("audit")           // by entry ID (time-ordered): AuditEntry
	bucketAuditBy = []byte("audit.bysubject") // subject ID + entry ID, empty value
)

// AuditOp is what an audit entry records.
type AuditOp string

// The operations.
const (
	AuditCreate AuditOp = "alta"
	AuditUpdate AuditOp = "cambio"
	AuditDelete AuditOp = "baja"
	AuditExport AuditOp = "exportacion"
	AuditErase  AuditOp = "supresion"      // a person erased: the tombstone
	AuditSync   AuditOp = "sincronizacion" // a decision about sync, such as skipping a refused batch
)

// Label returns the operation as the log shows it.
func (o AuditOp) Label() string {
	switch o {
	case AuditCreate:
		return "Alta"
	case AuditUpdate:
		return "Cambio"
	case AuditDelete:
		return "Baja"
	case AuditExport:
		return "Exportación"
	case AuditErase:
		return "Supresión"
	case AuditSync:
		return "Sincronización"
	}
	return string(o)
}

// AuditField is one changed field: its JSON name and its old and new
// values as JSON text ("" when absent). A creation gives names only (the
// values are the record's); a change gives both; a deletion the old.
type AuditField struct {
	Name string `json:"name"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	ID      string       `json:"id"`
	At      time.Time    `json:"at"`
	User    string       `json:"user"`    // the unlocked user's name
	UserID  string       `json:"user_id"` // and ID
	Op      AuditOp      `json:"op"`
	Kind    string       `json:"kind"`              // the kind of record (its bucket), or of export
	Record  string       `json:"record,omitempty"`  // the record's key
	Subject string       `json:"subject,omitempty"` // the person the record is about, if any
	Fields  []AuditField `json:"fields,omitempty"`
	Detail  string       `json:"detail,omitempty"` // what was exported, and where
}

// auditedKinds names the buckets whose changes are logged, as the log
// names them. Derived data (cards, indexes, imported-row hashes), the
// keyring and the log itself are not.
var auditedKinds = map[string]string{
	string(bucketPeople): "persona", string(bucketEvents): "historial", string(bucketOffices): "oficina",
	string(bucketStaff): "personal", string(bucketConfig): "ajuste", string(bucketCriteria): "situación habilitante",
	string(bucketReferrals): "derivación", string(bucketReminders): "recordatorio", string(bucketRI): "proyecto RI",
	string(bucketUsers): "usuario", string(bucketAttachments): "documento adjunto",
}

// AuditKind returns how the log names the records of bucket name, and
// whether they are logged.
func auditKind(bucket []byte) (string, bool) {
	k, ok := auditedKinds[string(bucket)]
	return k, ok
}

// stores maps each open database to its store, so that putValue, which
// sees only the transaction, knows who is writing and when.
var stores sync.Map // *bolt.DB → *Store

// stampFields are left out of the diff: every write changes them.
var stampFields = []string{"created_at", "created_by", "updated_at", "updated_by"}

// auditPut logs the write of plain over old (nil for a new record) at
// bucket/key, when the bucket is logged and the store is open.
func auditPut(tx *bolt.Tx, bucket, key, old, plain []byte) error {
	kind, ok := auditKind(bucket)
	v, open := stores.Load(tx.DB())
	if !ok || !open {
		return nil
	}
	s := v.(*Store)
	op := AuditUpdate
	if old == nil {
		op = AuditCreate
	}
	fields, err := diffJSON(old, plain)
	if err != nil || (op == AuditUpdate && len(fields) == 0) {
		return err // an unchanged record is not a change
	}
	if op == AuditCreate {
		// A new record's values are in the record, and every later change
		// or deletion logs the values it replaces: the creation names the
		// fields it set, which keeps the log a fraction of the data's size.
		for i := range fields {
			fields[i].New = ""
		}
	}
	e := AuditEntry{Op: op, Kind: kind, Record: string(key), Subject: subjectOf(bucket, key, plain), Fields: fields}
	return s.appendAudit(tx, &e)
}

// auditDelete logs the deletion of the value old at bucket/key.
func auditDelete(tx *bolt.Tx, bucket, key, old []byte) error {
	kind, ok := auditKind(bucket)
	v, open := stores.Load(tx.DB())
	if !ok || !open {
		return nil
	}
	fields, err := diffJSON(old, nil)
	if err != nil {
		return err
	}
	e := AuditEntry{Op: AuditDelete, Kind: kind, Record: string(key), Subject: subjectOf(bucket, key, old), Fields: fields}
	return v.(*Store).appendAudit(tx, &e)
}

// appendAudit stamps e with the user and the time and stores it.
func (s *Store) appendAudit(tx *bolt.Tx, e *AuditEntry) error {
	u := s.User()
	e.ID, e.At, e.User, e.UserID = s.newID(), s.now(), u.Name, u.ID
	if s.apply.tx.Load() == tx && s.apply.by != "" {
		e.User, e.UserID = s.apply.by, "" // another install's change, applied by sync
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// Entry IDs only grow: full pages, where bbolt would leave them half
	// empty for inserts in the middle.
	tx.Bucket(bucketAudit).FillPercent = 1.0
	if err := putRaw(tx, bucketAudit, []byte(e.ID), raw); err != nil {
		return err
	}
	if e.Subject == "" {
		return nil
	}
	return tx.Bucket(bucketAuditBy).Put([]byte(e.Subject+e.ID), nil)
}

// subjectOf returns the person a record is about: the key of a person,
// the person of an event (the key's prefix), or the person_id field.
func subjectOf(bucket, key, plain []byte) string {
	switch {
	case bytes.Equal(bucket, bucketPeople):
		return string(key)
	case bytes.Equal(bucket, bucketEvents) && len(key) >= 26:
		return string(key[:26])
	}
	var p struct {
		PersonID string `json:"person_id"`
	}
	if json.Unmarshal(plain, &p) == nil {
		return p.PersonID
	}
	return ""
}

// diffJSON returns the top-level fields that differ between two JSON
// objects (either may be nil), stamps left out, by name. Values that are
// not objects count as one field called "valor".
func diffJSON(old, plain []byte) ([]AuditField, error) {
	a, err := fieldsOf(old)
	if err != nil {
		return nil, err
	}
	b, err := fieldsOf(plain)
	if err != nil {
		return nil, err
	}
	var out []AuditField
	for name := range joinKeys(a, b) {
		if slices.Contains(stampFields, name) || bytes.Equal(a[name], b[name]) {
			continue
		}
		out = append(out, AuditField{Name: name, Old: string(a[name]), New: string(b[name])})
	}
	slices.SortFunc(out, func(x, y AuditField) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

func fieldsOf(raw []byte) (map[string]json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return map[string]json.RawMessage{"valor": raw}, nil
	}
	return m, nil
}

func joinKeys(a, b map[string]json.RawMessage) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// LogExport records that the unlocked user exported something: what
// (kind: "pdf", "csv", "xlsx", "copia de seguridad", "datos de la
// persona"…), about whom (subject, a person ID, or ""), and detail (which
// document, and where it went).
func (s *Store) LogExport(kind, subject, detail string) error {
	return s.update(func(tx *bolt.Tx) error {
		return s.appendAudit(tx, &AuditEntry{Op: AuditExport, Kind: kind, Subject: subject, Detail: detail})
	})
}

// AuditFilter chooses audit entries. The zero value is every entry.
type AuditFilter struct {
	Subject string // only this person's
	Limit   int    // at most this many, newest first; 0: all
}

// Audit returns the entries f chooses, newest first. Reading the trail is
// for the roles with PermExport (section head, coordinator,
// administrator).
func (s *Store) Audit(f AuditFilter) ([]AuditEntry, error) {
	if err := s.Allow(PermExport); err != nil {
		return nil, err
	}
	var out []AuditEntry
	err := s.view(func(tx *bolt.Tx) error {
		add := func(id []byte) (bool, error) {
			var e AuditEntry
			if err := getJSON(tx, bucketAudit, string(id), &e); err != nil {
				return false, fmt.Errorf("registro %s: %w", id, err)
			}
			out = append(out, e)
			return f.Limit > 0 && len(out) >= f.Limit, nil
		}
		if f.Subject == "" {
			c := tx.Bucket(bucketAudit).Cursor()
			for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
				if stop, err := add(k); stop || err != nil {
					return err
				}
			}
			return nil
		}
		return eachSubjectEntry(tx, f.Subject, true, add)
	})
	return out, err
}

// eachSubjectEntry calls fn with the ID of each of subject's entries,
// newest first when backwards, until fn says stop or fails.
func eachSubjectEntry(tx *bolt.Tx, subject string, backwards bool, fn func(id []byte) (bool, error)) error {
	prefix := []byte(subject)
	c := tx.Bucket(bucketAuditBy).Cursor()
	var ids [][]byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, append([]byte(nil), k[len(prefix):]...))
	}
	if backwards {
		slices.Reverse(ids)
	}
	for _, id := range ids {
		if stop, err := fn(id); stop || err != nil {
			return err
		}
	}
	return nil
}

// eraseAudit removes every entry about subject and leaves one tombstone
// that says a person was erased, by whom and when, and how many entries
// went, without naming them, and the reason given (which ErasePerson
// has checked does not name the person). Part of ErasePerson's
// transaction.
func (s *Store) eraseAudit(tx *bolt.Tx, subject, reason string) error {
	n := 0
	err := eachSubjectEntry(tx, subject, false, func(id []byte) (bool, error) {
		n++
		if err := tx.Bucket(bucketAudit).Delete(id); err != nil {
			return true, err
		}
		return false, tx.Bucket(bucketAuditBy).Delete(append([]byte(subject), id...))
	})
	if err != nil {
		return err
	}
	return s.appendAudit(tx, &AuditEntry{Op: AuditErase, Kind: "persona",
		Detail: fmt.Sprintf("Datos de una persona suprimidos; %d entradas del registro retiradas. Motivo: %s", n, reason)})
}
