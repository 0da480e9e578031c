package data

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RI deadlines as generated reminders (SourceRI). Each communication an
// RI project still owes (RIProject.Deadlines) has one reminder, keyed by
// the deadline's Key and based on the date it counts from, due at 09:00
// on its last day. A reminder's text names the expediente and what must
// be communicated, never the person: notifications may show on a locked
// screen. The reminder of a participant's deadline is on that person, so
// it shows on their page; a tutor's is on nobody (tutors are not people
// in Enlace).

// riWants returns the reminders the RI deadlines ask for: every project's,
// or only those about personID when it is not "". A deadline ending on a
// weekend or holiday (a leave's 5 calendar days may) is reminded on the
// working day before, when the office can still send the communication.
func riWants(tx *bolt.Tx, today Date, personID string) ([]want, error) {
	hol := MadridHolidays()
	if err := getJSON(tx, bucketConfig, keyHolidays, &hol); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	var wants []want
	err := tx.Bucket(bucketRI).ForEach(func(k, v []byte) error {
		var p RIProject
		if err := decodeValue(tx, bucketRI, k, v, &p); err != nil {
			return fmt.Errorf("proyecto RI %s: %w", k, err)
		}
		for _, d := range p.Deadlines(today, hol, nil) {
			if personID != "" && d.PersonID != personID {
				continue
			}
			wants = append(wants, want{create: true, Reminder: Reminder{
				PersonID: d.PersonID, Source: SourceRI, Key: d.Key, Basis: d.Basis,
				At: At(riLastWorkingDay(d.Due, d.From, hol), generatedHour, 0), Text: riReminderText(&d),
			}})
		}
		return nil
	})
	return wants, err
}

// riLastWorkingDay returns due, or the last working day before it, but not
// before from.
func riLastWorkingDay(due, from Date, hol Holidays) Date {
	at := due
	for !hol.IsWorkingDay(at) && at.After(from) {
		at = riAddDays(at, -1)
	}
	if !hol.IsWorkingDay(at) {
		return due
	}
	return at
}

// riReminderText says what deadline d asks for, without the person's name.
func riReminderText(d *RIDeadline) string {
	switch d.Kind {
	case RIDeadlineLeave:
		return fmt.Sprintf("Expediente %s: comunicar a la Oficina de Empleo la baja definitiva de un participante "+
			"(baja del %s; plazo hasta el %s, art. 18.6).", d.Expediente, d.From, d.Due)
	case RIDeadlineReplacement:
		return fmt.Sprintf("Expediente %s: comunicar a la Dirección General del Servicio Público de Empleo, con el Anexo III-bis, "+
			"el contrato del participante sustituto (contratado el %s; plazo hasta el %s, 5 días hábiles, art. 18.6).", d.Expediente, d.From, d.Due)
	case RIDeadlineTutorReplacement:
		return fmt.Sprintf("Expediente %s: comunicar a la Dirección General del Servicio Público de Empleo, con el Anexo II-bis, "+
			"el contrato del tutor de inserción sustituto (contratado el %s; plazo hasta el %s, 5 días hábiles, art. 17.5).", d.Expediente, d.From, d.Due)
	}
	return fmt.Sprintf("Expediente %s: comunicación pendiente hasta el %s.", d.Expediente, d.Due)
}

// SyncRIReminders creates, moves and removes the reminders of the RI
// deadlines only (see riWants), leaving the other generated reminders
// alone. SaveRIProject, DeleteRIProject and SaveHolidays run it; the
// whole SyncReminders covers RI deadlines too.
func (s *Store) SyncRIReminders(now time.Time) (SyncReport, error) {
	today := WallOf(now).Day
	return s.sync(func(tx *bolt.Tx) ([]syncOp, error) {
		all, err := generatedReminders(tx, "")
		if err != nil {
			return nil, err
		}
		have := map[string][]Reminder{}
		for key, rs := range all {
			for _, r := range rs {
				if r.Source == SourceRI {
					have[key] = append(have[key], r)
				}
			}
		}
		wants, err := riWants(tx, today, "")
		if err != nil {
			return nil, err
		}
		return plan(wants, have), nil
	})
}

// afterRIWrite brings the RI reminders in step after a write that already
// committed; what failed is said with what was saved.
func (s *Store) afterRIWrite(what string) error {
	if _, err := s.SyncRIReminders(s.Now()); err != nil {
		return fmt.Errorf("%s, pero no se han podido actualizar los recordatorios de plazos: %w", what, err)
	}
	return nil
}
