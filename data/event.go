package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// EventKind says what happened in a timeline entry.
type EventKind string

// Event kinds, from DOMAIN.md.
const (
	EventCall         EventKind = "llamada"
	EventEmail        EventKind = "email"
	EventVisit        EventKind = "visita"
	EventNote         EventKind = "nota"
	EventInterview    EventKind = "entrevista"
	EventTraining     EventKind = "formacion"
	EventJobOffer     EventKind = "oferta"
	EventDocument     EventKind = "documento"
	EventStatus       EventKind = "estado"
	EventReminderDone EventKind = "recordatorio"
)

// EventKinds lists the kinds in display order.
var EventKinds = []EventKind{
	EventCall, EventEmail, EventVisit, EventNote, EventInterview,
	EventTraining, EventJobOffer, EventDocument, EventStatus, EventReminderDone,
}

// System reports whether Enlace itself writes events of this kind (a
// referral or indicator changing state, a reminder marked done): nobody
// types them, so nobody corrects them by hand either.
func (k EventKind) System() bool { return k == EventStatus || k == EventReminderDone }

// Label returns the kind's Spanish name.
func (k EventKind) Label() string {
	switch k {
	case EventCall:
		return "Llamada"
	case EventEmail:
		return "Correo electrónico"
	case EventVisit:
		return "Visita o cita"
	case EventNote:
		return "Nota"
	case EventInterview:
		return "Entrevista"
	case EventTraining:
		return "Formación"
	case EventJobOffer:
		return "Oferta de empleo"
	case EventDocument:
		return "Documento recibido"
	case EventStatus:
		return "Cambio de estado"
	case EventReminderDone:
		return "Recordatorio hecho"
	}
	return string(k)
}

// Event is one dated entry in a person's timeline. Events are append-only:
// a mistake is fixed by a new event whose Corrects names the old one, and
// the timeline shows both.
type Event struct {
	ID       string    `json:"id"`
	PersonID string    `json:"person_id"`
	At       time.Time `json:"at"` // when it happened (may be earlier than it was written)
	Kind     EventKind `json:"kind"`
	Text     string    `json:"text"`
	Corrects string    `json:"corrects,omitempty"` // ID of the event this one corrects
	Author   string    `json:"author"`
	Written  time.Time `json:"written"` // when it was recorded

	// CorrectedBy is filled when reading a timeline: the IDs of later
	// events that correct this one. It is not stored.
	CorrectedBy []string `json:"-"`
}

// Validate checks e and returns a *ValidationError or nil.
func (e *Event) Validate(now time.Time) error {
	var pr problems
	if !oneOf(e.Kind, EventKinds) {
		pr.add("Kind", "Elija el tipo de evento.")
	}
	if strings.TrimSpace(e.Text) == "" {
		pr.add("Text", "Escriba qué ha pasado.")
	}
	if e.At.IsZero() {
		pr.add("At", "Falta la fecha del evento.")
	} else if e.At.Year() < 1990 {
		pr.add("At", "La fecha del evento es demasiado antigua: revísela.")
	} else if e.At.After(now.Add(24 * time.Hour)) {
		pr.add("At", "La fecha del evento no puede ser futura: para algo pendiente use un recordatorio.")
	}
	return pr.err()
}

// eventKey is person ID + big-endian event time + event ID: a person's
// events are contiguous and in time order, so a timeline is one range scan.
func eventKey(personID string, at time.Time, id string) []byte {
	k := make([]byte, 0, len(personID)+8+len(id))
	k = append(k, personID...)
	k = binary.BigEndian.AppendUint64(k, uint64(at.UnixNano()))
	return append(k, id...)
}

// AddEvent validates e, gives it an ID and stores it on e.PersonID's
// timeline, written by author. It returns ErrNotFound when the person does
// not exist, or a *ValidationError. Corrections go through CorrectEvent.
func (s *Store) AddEvent(e *Event, author string) error {
	if e.Corrects != "" {
		return fmt.Errorf("añadir evento: use CorrectEvent para corregir")
	}
	return s.Batch(author, func(b *Batch) error { return b.AddEvent(e) })
}

// CorrectEvent adds e as a correction of the event with id wrong on the
// same person's timeline. The original stays, marked as corrected.
func (s *Store) CorrectEvent(personID, wrong string, e *Event, author string) error {
	e.PersonID, e.Corrects = personID, wrong
	return s.Batch(author, func(b *Batch) error { return b.AddEvent(e) })
}

// findEvent returns the event with id on personID's timeline.
func findEvent(tx *bolt.Tx, personID, id string) (Event, error) {
	c := tx.Bucket(bucketEvents).Cursor()
	prefix := []byte(personID)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if string(k[len(prefix)+8:]) == id {
			var e Event
			err := decodeValue(tx, bucketEvents, k, v, &e)
			return e, err
		}
	}
	return Event{}, fmt.Errorf("evento %s: %w", id, ErrNotFound)
}

// Timeline returns personID's events, newest first; when kinds is not
// empty, only events of those kinds. Each event's CorrectedBy lists the
// events that correct it. It returns ErrNotFound for an unknown person.
func (s *Store) Timeline(personID string, kinds ...EventKind) ([]Event, error) {
	var out []Event
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketPeople).Get([]byte(personID)) == nil {
			return fmt.Errorf("persona %s: %w", personID, ErrNotFound)
		}
		c := tx.Bucket(bucketEvents).Cursor()
		prefix := []byte(personID)
		var keys, raws [][]byte // valid until the transaction ends
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			keys, raws = append(keys, k), append(raws, v)
		}
		out = make([]Event, len(raws))
		return decodeParallel(tx, bucketEvents, keys, raws, out)
	})
	if err != nil {
		return nil, err
	}
	pos := make(map[string]int, len(out))
	for i := range out {
		pos[out[i].ID] = i
	}
	for i := range out {
		if j, ok := pos[out[i].Corrects]; ok {
			out[j].CorrectedBy = append(out[j].CorrectedBy, out[i].ID)
		}
	}
	if len(kinds) > 0 {
		keep := out[:0]
		for _, e := range out {
			if oneOf(e.Kind, kinds) {
				keep = append(keep, e)
			}
		}
		out = keep
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// decodeParallel opens and decodes the values raws, found at keys in
// bucket, into out, splitting the work across the CPUs when there is
// enough of it.
func decodeParallel[T any](tx *bolt.Tx, bucket []byte, keys, raws [][]byte, out []T) error {
	const perWorker = 256
	workers := min(runtime.GOMAXPROCS(0), (len(raws)+perWorker-1)/perWorker)
	if workers <= 1 {
		for i, v := range raws {
			if err := decodeValue(tx, bucket, keys[i], v, &out[i]); err != nil {
				return fmt.Errorf("%s %d: %w", bucket, i, err)
			}
		}
		return nil
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	step := (len(raws) + workers - 1) / workers
	for w := range workers {
		lo, hi := w*step, min((w+1)*step, len(raws))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if err := decodeValue(tx, bucket, keys[i], raws[i], &out[i]); err != nil {
					errs[w] = fmt.Errorf("%s %d: %w", bucket, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
