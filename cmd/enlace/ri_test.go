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

// riDB creates a database with RI/12/2024: one tutor hired for 15 months
// and 30 participants referred to training, group 5, hired for 12 months
// with 100 hours of training. It returns the path and the project's ID.
func riDB(t *testing.T) (string, string) {
	t.Helper()
	t.Setenv("ENLACE_DB", filepath.Join(t.TempDir(), "no-usar.db"))
	path := filepath.Join(t.TempDir(), "ri.db")
	s, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := data.RIProject{Number: 12, Year: 2024, Entity: "Ayuntamiento de Getafe", Tutors: []data.RITutor{{
		Name: "Lucía Martín Gil", DNI: "12345678Z", Degree: data.RIDegreePsychology, ExperienceYears: 2, MarketKnowledge: true,
		ContractStart: data.Date{Year: 2024, Month: time.March, Day: 1}, ContractEnd: data.Date{Year: 2025, Month: time.May, Day: 31}}}}
	for i := range 30 {
		person := data.Person{FirstName: "Participante", LastName: thousands(i + 1)}
		if err := s.CreatePerson(&person, "Coordinación"); err != nil {
			t.Fatal(err)
		}
		p.Participants = append(p.Participants, data.RIParticipant{PersonID: person.ID, Alternance: true, Group: 5,
			ContractStart: data.Date{Year: 2024, Month: time.April, Day: 1}, ContractEnd: data.Date{Year: 2025, Month: time.March, Day: 31},
			Courses: []data.RICourse{{Name: "Competencias digitales", Hours: 100}}})
	}
	if err := s.SaveRIProject(&p, "Coordinación"); err != nil {
		t.Fatal(err)
	}
	return path, p.ID
}

func TestRIEstimateCommand(t *testing.T) {
	path, id := riDB(t)
	// Tutor with 30 participants: 75 % of 3 × 1.134,00 = 2.551,50 €/mes × 15
	// = 38.272,50 €. Contracts: 30 × 2 × 1.134,00 × 12 = 816.480,00 €.
	// Training: 30 × 100 h × 8 € = 24.000,00 €. Total 878.752,50 €.
	for _, ref := range []string{id, "RI/12/2024"} {
		code, out, errs := runCmd(t, "ri", "estimate", "--db", path, "--project", ref, "--json")
		if code != 0 {
			t.Fatalf("ri estimate %s: exit %d, stderr %q", ref, code, errs)
		}
		var e data.RIEstimate
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			t.Fatalf("--json printed %q: %v", out, err)
		}
		if e.Tutors != 3827250 || e.Contracts != 81648000 || e.Training != 2400000 || e.Total != 87875250 || len(e.Lines) != 61 {
			t.Errorf("estimate of %s: tutors %d contracts %d training %d total %d, %d lines", ref, e.Tutors, e.Contracts, e.Training, e.Total, len(e.Lines))
		}
	}
	code, out, errs := runCmd(t, "ri", "estimate", "--db", path, "RI/12/2024")
	if code != 0 {
		t.Fatalf("text estimate: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"Expediente RI/12/2024 · Ayuntamiento de Getafe", "SMI 2024: 1.134,00 € al mes",
		"Lucía Martín Gil", "2.551,50 €/mes", "38.272,50 €", "75 % de 3 × SMI 2024", "TOTAL", "878.752,50 €"} {
		if !strings.Contains(out, want) {
			t.Errorf("text estimate lacks %q:\n%s", want, out)
		}
	}
}

func TestRIListCommand(t *testing.T) {
	path, id := riDB(t)
	code, out, errs := runCmd(t, "ri", "list", "--db", path, "--json")
	if code != 0 {
		t.Fatalf("ri list: exit %d, stderr %q", code, errs)
	}
	var rows []riProjectRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if len(rows) != 1 || rows[0].ID != id || rows[0].Expediente != "RI/12/2024" || rows[0].Referred != 30 ||
		rows[0].TotalCents == nil || *rows[0].TotalCents != 87875250 {
		t.Errorf("ri list = %+v", rows)
	}
	_, out, _ = runCmd(t, "ri", "list", "--db", path)
	if !strings.Contains(out, "RI/12/2024") || !strings.Contains(out, "878.752,50 €") || !strings.HasSuffix(out, "1 proyecto\n") {
		t.Errorf("ri list printed %q", out)
	}
	code, out, _ = runCmd(t, "ri", "deadlines", "--db", path, "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("ri deadlines: exit %d, %q; want an empty list", code, out)
	}
}

func TestRICommandErrors(t *testing.T) {
	path, _ := riDB(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ri"}, 2, "falta qué hacer"},
		{[]string{"ri", "borrar"}, 2, "no existe «ri borrar»"},
		{[]string{"ri", "estimate", "--db", path}, 2, "falta el proyecto"},
		{[]string{"ri", "estimate", "--db", path, "--project", "RI/99/2024"}, 1, "proyecto RI/99/2024: no encontrado"},
		{[]string{"ri", "list", "--db", path, "sobra"}, 2, "sobra «sobra»"},
		{[]string{"ri", "list", "--nada"}, 2, "argumentos no válidos"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errs := runCmd(t, tc.args...)
			if code != tc.code || out != "" || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errs, tc.code, tc.want)
			}
		})
	}
}
