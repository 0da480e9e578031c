package reports_test

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

// docCase returns a demo person with referrals, an accented name, a
// document number, a phone and an address, and gives them a pending
// reminder.
func docCase(t *testing.T, s *data.Store) (data.Person, data.Referral, data.Reminder) {
	t.Helper()
	refs, err := s.Referrals(data.ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	accented := regexp.MustCompile(`[áéíóúñÁÉÍÓÚÑü]`)
	for _, r := range refs {
		p, err := s.Person(r.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if !accented.MatchString(p.FullName()) || p.DocNumber == "" || p.Phone1 == "" || p.Address == "" || len(r.History) < 2 {
			continue
		}
		p.Observations = "Tiene una hija de 3 años; prefiere citas por la mañana."
		p.Disability = "Discapacidad reconocida del 33 %"
		if err := s.UpdatePerson(&p, "Elena Robles Fuentes"); err != nil {
			t.Fatal(err)
		}
		e := data.Event{PersonID: p.ID, At: docNow.Add(-time.Hour), Kind: data.EventCall,
			Text: fmt.Sprintf("Llamada al %s: confirma la cita; trae su documento %s.", data.FormatPhone(p.Phone1), p.DocNumber)}
		if err := s.AddEvent(&e, "Lucía Herrero Campos"); err != nil {
			t.Fatal(err)
		}
		rem := data.Reminder{PersonID: p.ID, At: data.At(data.DateOf(docNow).AddDays(3), 9, 30),
			Text: "Llamar para confirmar la cita de renovación de la TIE (¿trae el 2º justificante?)", AssigneeText: "Elena Robles Fuentes"}
		if err := s.CreateReminder(&rem, "Elena Robles Fuentes"); err != nil {
			t.Fatal(err)
		}
		return p, r, rem
	}
	t.Fatal("no demo person with referrals, an accented name, a document, a phone and an address")
	return data.Person{}, data.Referral{}, data.Reminder{}
}

func TestCaseSummary(t *testing.T) {
	s := docStore(t)
	p, r, rem := docCase(t, s)
	timeline, err := s.Timeline(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	sensitive := []string{p.DocNumber, data.FormatPhone(p.Phone1), p.Address, p.Observations, p.Disability}
	common := []string{
		"Resumen del caso", p.FullName(), "Datos personales", "Documentos y caducidad",
		"Indicadores de empleabilidad", "Autorización de residencia y trabajo y número de NIE", "Acceso al sistema Cl@ve",
		"Derivaciones", r.Direction.Label(), r.CriterionText, r.Status.Label(),
		"Recordatorios pendientes", rem.Text, "Historial", timeline[len(timeline)-1].Text,
		"Documento con datos personales protegidos por el RGPD", "Página 1 de",
	}
	t.Run("complete", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.CaseSummary(w, s, p.ID, false, docOptions(t, s, reports.Spanish))
		})
		mustContain(t, text, common...)
		mustContain(t, text, sensitive...)
	})
	t.Run("redacted", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.CaseSummary(w, s, p.ID, true, docOptions(t, s, reports.Spanish))
		})
		mustContain(t, text, common...)
		mustContain(t, text, "Versión para el otro servicio", "Llamada al [omitido]: confirma la cita; trae su documento [omitido].")
		mustNotContain(t, text, sensitive...)
		mustNotContain(t, text, p.Phone1, p.Phone2, data.FormatPhone(p.Phone2))
	})
	t.Run("english", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.CaseSummary(w, s, p.ID, true, docOptions(t, s, reports.English))
		})
		mustContain(t, text, "Case summary", p.FullName(), "Employment indicators", "Referrals",
			"Pending reminders", "Timeline", "Version for the other service", "Page 1 of")
	})
	t.Run("unknown person", func(t *testing.T) {
		if err := reports.CaseSummary(io.Discard, s, "nadie", false, docOptions(t, s, reports.Spanish)); !isNotFound(err) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

// TestCaseSummaryLongTimeline: 2,000 entries of all lengths break across
// pages between entries, never inside one: each entry's first and last
// words are on the same page, and its text reads whole.
func TestCaseSummaryLongTimeline(t *testing.T) {
	s := docStore(t)
	p := data.Person{FirstName: "Begoña", LastName: "Núñez Ibáñez", Nationality: "PE", Email: "begona.nunez@example.org"}
	if err := s.CreatePerson(&p, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	const n = 2000
	filler := strings.Fields("se llama a la persona para revisar el currículum, la homologación del título y la cita de renovación de la TIE en la oficina de extranjería")
	texts := make(map[int]string, n)
	err := s.Batch("Elena Robles Fuentes", func(b *data.Batch) error {
		for i := range n {
			words := []string{fmt.Sprintf("E%04d-inicio", i)}
			for j := range i % 60 {
				words = append(words, filler[(i+j)%len(filler)])
			}
			words = append(words, fmt.Sprintf("E%04d-fin", i))
			texts[i] = strings.Join(words, " ")
			e := data.Event{PersonID: p.ID, At: docNow.Add(-time.Duration(n-i) * time.Hour), Kind: data.EventKinds[i%len(data.EventKinds)], Text: texts[i]}
			if err := b.AddEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	layout := render(t, "-layout", func(w io.Writer) error {
		return reports.CaseSummary(w, s, p.ID, false, docOptions(t, s, reports.Spanish))
	})
	pageOf := map[string]int{}
	for i, page := range strings.Split(layout, "\f") {
		for _, m := range regexp.MustCompile(`E\d{4}-(inicio|fin)`).FindAllString(page, -1) {
			if _, seen := pageOf[m]; seen {
				t.Errorf("%s appears twice", m)
			}
			pageOf[m] = i + 1
		}
	}
	for i := range n {
		start, okS := pageOf[fmt.Sprintf("E%04d-inicio", i)]
		end, okE := pageOf[fmt.Sprintf("E%04d-fin", i)]
		if !okS || !okE || start != end {
			t.Errorf("entry %d: starts on page %d, ends on page %d; want both on one page", i, start, end)
		}
	}
	if last := pageOf["E0000-inicio"]; last < 40 {
		t.Errorf("the oldest entry is on page %d: expected the timeline to run to dozens of pages", last)
	}
	// In content order (-raw) each entry's lines follow one another: its
	// whole text reads back.
	raw := render(t, "-raw", func(w io.Writer) error {
		return reports.CaseSummary(w, s, p.ID, false, docOptions(t, s, reports.Spanish))
	})
	mustContain(t, raw, "Begoña Núñez Ibáñez")
	flat := oneLine(raw)
	for i := 0; i < n; i += 7 {
		if !strings.Contains(flat, texts[i]) {
			t.Errorf("entry %d does not read whole: %q", i, texts[i])
		}
	}
}

// TestCaseSummaryRedactsNotes: the version for the other service leaves
// out the document numbers, phones, e-mail addresses and IBANs staff
// typed in the timeline and the reminders about other people, says so,
// and keeps the dates and the ordinary numbers around them.
func TestCaseSummaryRedactsNotes(t *testing.T) {
	s := docStore(t)
	p := data.Person{FirstName: "Begoña", LastName: "Núñez Ibáñez", Nationality: "PE", Email: "begona.nunez@example.org"}
	if err := s.CreatePerson(&p, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	notes := []string{
		"La madre tiene NIE Y-7227117-W y el hermano X1234567L; la empleadora, DNI 12345678Z.",
		"El cónyuge aporta ES-12.345.678-Z y pasaporte PAB123456.",
		"Llamar al +34 612 34 56 78, al 612345678 o a la oficina, 91 123 45 67.",
		"Escribir a rrhh.obra@empresa.example.es; ayuda en la cuenta ES91 2100 0418 4502 0005 1332.",
		"Cita el 15/09/2022 a las 10:30 (renovación 2022-09-15); tiene 3 hijos y 2 años en España.",
	}
	for i, n := range notes {
		e := data.Event{PersonID: p.ID, At: docNow.Add(-time.Duration(len(notes)-i) * time.Hour), Kind: data.EventNote, Text: n}
		if err := s.AddEvent(&e, "Lucía Herrero Campos"); err != nil {
			t.Fatal(err)
		}
	}
	rem := data.Reminder{PersonID: p.ID, At: data.At(data.DateOf(docNow).AddDays(3), 9, 30),
		Text: "Confirmar con la hija en el 699 88 77 66", AssigneeText: "Elena Robles Fuentes"}
	if err := s.CreateReminder(&rem, "Elena Robles Fuentes"); err != nil {
		t.Fatal(err)
	}
	typed := []string{"Y-7227117-W", "X1234567L", "12345678Z", "ES-12.345.678-Z", "PAB123456", "+34 612 34 56 78",
		"612345678", "91 123 45 67", "rrhh.obra@empresa.example.es", "ES91 2100 0418 4502 0005 1332", "699 88 77 66",
		"begona.nunez@example.org"} // the last, her own: contact data like her phones
	kept := []string{"Cita el 15/09/2022 a las 10:30 (renovación 2022-09-15); tiene 3 hijos y 2 años en España."}
	t.Run("complete", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.CaseSummary(w, s, p.ID, false, docOptions(t, s, reports.Spanish))
		})
		mustContain(t, text, typed...)
		mustContain(t, text, kept...)
		mustNotContain(t, text, "[omitido]", "se han omitido")
	})
	t.Run("redacted", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.CaseSummary(w, s, p.ID, true, docOptions(t, s, reports.Spanish))
		})
		mustNotContain(t, text, typed...)
		mustNotContain(t, text, "7227117", "1234567", "2345678", "34 56 78", "0418 4502", "empresa.example")
		mustContain(t, text, kept...)
		mustContain(t, text,
			"La madre tiene NIE [omitido] y el hermano [omitido]; la empleadora, DNI [omitido].",
			"El cónyuge aporta [omitido] y pasaporte [omitido].",
			"Llamar al [omitido], al [omitido] o a la oficina, [omitido].",
			"Escribir a [omitido]; ayuda en la cuenta [omitido].",
			"Confirmar con la hija en el [omitido]",
			"En las notas, los recordatorios y el historial se han omitido los números de documento, teléfonos, correos electrónicos, cuentas bancarias y cantidades de siete cifras o más que se escribieron en ellos.")
	})
	t.Run("english", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.CaseSummary(w, s, p.ID, true, docOptions(t, s, reports.English))
		})
		mustNotContain(t, text, typed...)
		mustContain(t, text, "La madre tiene NIE [left out]",
			"Document numbers, phones, e-mail addresses, bank accounts and amounts of seven digits or more written in notes, reminders and the timeline have been left out.")
	})
}
