package reports_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// benchPerson adds a person with n timeline entries (calls, notes, visits
// of realistic length) to s and returns their ID.
func benchPerson(b testing.TB, s *data.Store, n int) string {
	b.Helper()
	p := data.Person{FirstName: "José Ángel", LastName: "Peña Muñoz", Nationality: "VE", DocKind: data.DocNIE,
		DocNumber: "X1234567L", Phone1: "612345678", Address: "Calle de Bravo Murillo, 120, 3º B"}
	if err := s.CreatePerson(&p, "Elena Robles Fuentes"); err != nil {
		b.Fatal(err)
	}
	err := s.Batch("Lucía Herrero Campos", func(bt *data.Batch) error {
		for i := range n {
			e := data.Event{PersonID: p.ID, At: docNow.Add(-time.Duration(n-i) * 5 * time.Hour),
				Kind: data.EventKinds[i%len(data.EventKinds)],
				Text: fmt.Sprintf("Seguimiento nº %d: se llama a la persona para revisar la cita de renovación de la TIE y el currículum; confirma asistencia el martes en la Oficina Norte.", i)}
			if err := bt.AddEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return p.ID
}

// BenchmarkCaseSummary200 measures a case summary of a person with 200
// timeline entries, from the store to the PDF bytes. Target: ≤ 100 ms.
func BenchmarkCaseSummary200(b *testing.B) {
	s := docStore(b)
	id := benchPerson(b, s, 200)
	opt := docOptions(b, s, reports.Spanish)
	b.ResetTimer()
	for b.Loop() {
		if err := reports.CaseSummary(io.Discard, s, id, false, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCaseSummary2000 is the same with 2,000 entries (127 pages).
func BenchmarkCaseSummary2000(b *testing.B) {
	s := docStore(b)
	id := benchPerson(b, s, 2000)
	opt := docOptions(b, s, reports.Spanish)
	b.ResetTimer()
	for b.Loop() {
		if err := reports.CaseSummary(io.Discard, s, id, false, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeaflet measures an office's leaflet. Target: ≤ 50 ms.
func BenchmarkLeaflet(b *testing.B) {
	s := docStore(b)
	o := docOffice(b, s, "AZ Tetuán")
	opt := docOptions(b, s, reports.Spanish)
	b.ResetTimer()
	for b.Loop() {
		if err := reports.Leaflet(io.Discard, s, o.ID, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFollowUp measures an office's follow-up report.
func BenchmarkFollowUp(b *testing.B) {
	s := docStore(b)
	o := docOffice(b, s, "Oficina Norte")
	opt := docOptions(b, s, reports.Spanish)
	b.ResetTimer()
	for b.Loop() {
		if err := reports.FollowUp(io.Discard, s, reports.FollowUpQuery{OfficeID: o.ID}, opt); err != nil {
			b.Fatal(err)
		}
	}
}
