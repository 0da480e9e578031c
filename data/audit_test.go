package data

import (
	"strings"
	"testing"
)

func TestAuditRecordsEveryChangeWithWhoAndWhat(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	p.Phone1 = "699 11 22 33"
	if err := s.UpdatePerson(&p, "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdatePerson(&p, "x"); err != nil { // nothing changed: nothing logged
		t.Fatal(err)
	}
	e := Event{PersonID: p.ID, At: fixedNow, Kind: EventCall, Text: "Llamada"}
	if err := s.AddEvent(&e, "x"); err != nil {
		t.Fatal(err)
	}
	r := Reminder{PersonID: p.ID, At: At(DateOf(fixedNow).AddDays(2), 9, 0), Text: "Revisar"}
	if err := s.CreateReminder(&r, "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteReminder(r.ID, "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.LogExport("pdf", p.ID, "Resumen del caso, /tmp/caso.pdf"); err != nil {
		t.Fatal(err)
	}
	mine, err := s.Audit(AuditFilter{Subject: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range mine {
		got = append(got, string(a.Op)+" "+a.Kind)
		if a.User != testName || a.UserID == "" || a.At.IsZero() {
			t.Errorf("entry %+v is not attributed", a)
		}
	}
	want := "exportacion pdf | baja recordatorio | alta recordatorio | alta historial | cambio persona | alta persona"
	if strings.Join(got, " | ") != want {
		t.Fatalf("person's log = %q, want %q (newest first)", strings.Join(got, " | "), want)
	}
	change := mine[4]
	if len(change.Fields) != 1 || change.Fields[0].Name != "phone1" ||
		change.Fields[0].Old != `"612345678"` || change.Fields[0].New != `"699112233"` {
		t.Errorf("phone change logged as %+v", change.Fields)
	}
	if del := mine[1]; len(del.Fields) == 0 || del.Record != r.ID {
		t.Errorf("a deletion keeps what was deleted: %+v", del)
	}
	all, _ := s.Audit(AuditFilter{Limit: 2})
	if len(all) != 2 || all[0].Op != AuditExport {
		t.Errorf("overall log, newest 2: %+v", all)
	}
}

func TestRefusedAndInvalidWritesLogNothing(t *testing.T) {
	s, _ := openTest(t)
	before, _ := s.Audit(AuditFilter{})
	bad := samplePerson()
	bad.DocNumber = "X1234567A" // wrong letter
	if err := s.CreatePerson(&bad, "x"); err == nil {
		t.Fatal("invalid person saved")
	}
	switchUser(t, s, "jefa", "Jefa de Sección", RoleSectionHead)
	if err := s.SaveProgramme(DefaultProgramme(), "x"); err == nil {
		t.Fatal("a section head changed the programme")
	}
	after, _ := s.Audit(AuditFilter{})
	// switchUser created a user: that is one logged change.
	if len(after) != len(before)+1 || after[0].Kind != "usuario" {
		t.Errorf("log grew by %d, want only the new user: %+v", len(after)-len(before), after[0])
	}
}
