package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// reminderDB stores one person with a reminder due yesterday and one due
// in ten days (the CLI runs on the wall clock), and returns the path.
func reminderDB(t *testing.T) string {
	t.Helper()
	t.Setenv("ENLACE_DB", filepath.Join(t.TempDir(), "no-usar.db"))
	path := filepath.Join(t.TempDir(), "enlace.db")
	wall := time.Now()
	s, err := data.Open(path, datatest.Options(&data.Options{Now: func() time.Time { return wall.Add(-48 * time.Hour) }}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := data.Person{FirstName: "Ana María", LastName: "Pérez López"}
	if err := s.CreatePerson(&p, "Prueba"); err != nil {
		t.Fatal(err)
	}
	today := data.WallOf(wall).Day
	for _, r := range []data.Reminder{
		{PersonID: p.ID, At: data.At(today.AddDays(-1), 9, 0), Text: "Llamar por la cita de huellas", AssigneeText: "Laura Martín"},
		{PersonID: p.ID, At: data.At(today.AddDays(10), 9, 0), Text: "Revisar el contrato", Repeat: data.RepeatWeekly},
	} {
		if err := s.CreateReminder(&r, "Prueba"); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestRemindersDueJSON(t *testing.T) {
	path := reminderDB(t)
	code, out, errs := runCmd(t, "reminders", "--db", path, "--due", "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var got struct {
		Now       string        `json:"now"`
		Count     int           `json:"count"`
		Reminders []reminderRow `json:"reminders"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("printed %q: %v", out, err)
	}
	if got.Count != 1 || len(got.Reminders) != 1 {
		t.Fatalf("got %+v, want the one due yesterday", got)
	}
	r := got.Reminders[0]
	if r.Text != "Llamar por la cita de huellas" || r.Person != "Ana María Pérez López" || !r.Overdue ||
		r.Time != "09:00" || r.Assignee != "Laura Martín" || r.Source != "manual" {
		t.Errorf("row %+v", r)
	}
	due, err := time.Parse(time.RFC3339, r.Due)
	if err != nil {
		t.Fatalf("due %q: %v", r.Due, err)
	}
	if h := due.In(data.Madrid()).Hour(); h != 9 || !due.Before(time.Now()) {
		t.Errorf("due %v: want 09:00 Madrid, in the past", due)
	}
	if _, err := time.Parse(time.RFC3339, got.Now); err != nil {
		t.Errorf("now %q: %v", got.Now, err)
	}
}

func TestRemindersAllText(t *testing.T) {
	path := reminderDB(t)
	code, out, errs := runCmd(t, "reminders", "--db", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "! ") || !strings.Contains(lines[0], "(Laura Martín)") ||
		!strings.Contains(lines[1], "Revisar el contrato") || lines[2] != "2 recordatorios pendientes" {
		t.Errorf("printed:\n%s", out)
	}
	if code, _, _ := runCmd(t, "reminders", "--db", path, "de más"); code != 2 {
		t.Errorf("an extra argument exits %d, want 2", code)
	}
}
