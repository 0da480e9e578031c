package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
	"github.com/enlace-madrid/enlace/reports"
)

// The demo of 200 people has 50 referrals (a quarter), referral i coming
// from the AE when i%18 < 7: i = 0–6, 18–24 and 36–42, 21 of them.
const (
	demoReferrals = 50
	demoFromAE    = 21
)

func TestStatsJSONKeys(t *testing.T) {
	path := newDemo(t, "200")
	code, out, errs := runCmd(t, "stats", "--db", path, "--json")
	if code != 0 {
		t.Fatalf("stats --json: exit %d, stderr %q", code, errs)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("stats --json printed %q: %v", out, err)
	}
	keys := []string{"referrals_total", "from_ae", "from_omiopi", "excluded", "excluded_by_reason", "in_programme", "included",
		"target", "target_pct", "by_gender", "by_nationality", "by_profile", "by_area", "by_outcome"}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("stats --json lacks %q: %s", k, out)
		}
	}
	var st struct {
		Total, AE, OMIOPI, Excluded, In, Included, Target, NotVerified, Pending, Withdrawn int
		Pct                                                                                float64
		ByReason, ByGender, ByNationality, ByArea, ByOutcome                               map[string]int
		ByProfile                                                                          map[string]struct {
			Target int `json:"target"`
			Result int `json:"result"`
		}
	}
	decode := map[string]any{
		"referrals_total": &st.Total, "from_ae": &st.AE, "from_omiopi": &st.OMIOPI, "excluded": &st.Excluded,
		"in_programme": &st.In, "included": &st.Included, "target": &st.Target, "target_pct": &st.Pct, "not_verified": &st.NotVerified,
		"pending": &st.Pending, "withdrawn": &st.Withdrawn, "excluded_by_reason": &st.ByReason,
		"by_gender": &st.ByGender, "by_nationality": &st.ByNationality, "by_profile": &st.ByProfile,
		"by_area": &st.ByArea, "by_outcome": &st.ByOutcome,
	}
	for k, v := range decode {
		if err := json.Unmarshal(m[k], v); err != nil {
			t.Errorf("%s = %s: %v", k, m[k], err)
		}
	}
	if st.Total != demoReferrals || st.AE != demoFromAE || st.OMIOPI != demoReferrals-demoFromAE {
		t.Errorf("total %d, AE %d, OMIOPI %d; want %d, %d, %d", st.Total, st.AE, st.OMIOPI,
			demoReferrals, demoFromAE, demoReferrals-demoFromAE)
	}
	if st.Target != 50 || st.Pct != 100 {
		t.Errorf("target %d, %v %%; want 50 and 100 %%", st.Target, st.Pct)
	}
	if st.In != st.Total-st.Excluded-st.Withdrawn {
		t.Errorf("in_programme = %d, want received − excluded − withdrawn = %d", st.In, st.Total-st.Excluded-st.Withdrawn)
	}
	if sum := st.Excluded + st.NotVerified + st.Pending + st.Withdrawn + st.Included; sum != st.Total {
		t.Errorf("the groups add up to %d, not %d", sum, st.Total)
	}
	if sum(st.ByReason) != st.Excluded || sum(st.ByGender) != st.Total || sum(st.ByNationality) != st.Total {
		t.Errorf("breakdowns do not add up: reasons %v, genders %v, nationalities %v", st.ByReason, st.ByGender, st.ByNationality)
	}
	for code := range st.ByNationality {
		if len(code) != 2 || strings.ToUpper(code) != code {
			t.Errorf("nationality key %q is not an ISO 3166-1 alpha-2 code", code)
		}
	}
	if len(st.ByProfile) < 6 || st.ByProfile["otros"].Target != 5 {
		t.Errorf("by_profile = %v, want the six profiles with their targets", st.ByProfile)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestStatsText(t *testing.T) {
	path := newDemo(t, "200")
	code, out, errs := runCmd(t, "stats", "--db", path)
	if code != 0 {
		t.Fatalf("stats: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"Derivaciones: todas las fechas", "Recibidas:                     50 (AE → OMIOPI 21, OMIOPI → AE 29)",
		"Objetivo:                      50 de 50 (100 %)", "Por nacionalidad: ", "Acceso al primer empleo"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats printed\n%s\nwant it to contain %q", out, want)
		}
	}
	// The demo's referrals are all dated today: none before 2000.
	code, out, _ = runCmd(t, "stats", "--db", path, "--to", "31/12/1999", "--json")
	if code != 0 || !strings.Contains(out, `"referrals_total":0`) || !strings.Contains(out, `"to":"1999-12-31"`) {
		t.Errorf("stats --to 31/12/1999: exit %d, %s", code, out)
	}
}

func TestExportFiles(t *testing.T) {
	path := newDemo(t, "200")
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		file string
		rows int
	}{
		{"referrals xlsx", []string{"export", "referrals", "--db", path, "--format", "xlsx", "-o"}, "derivaciones.xlsx", demoReferrals},
		{"people csv by extension", []string{"export", "people", "--db", path, "-o"}, "personas.csv", 200},
		{"flags first", []string{"export", "--db", path, "--format", "csv", "referrals", "-o"}, "d.csv", demoReferrals},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.file)
			code, stdout, errs := runCmd(t, append(tc.args, out)...)
			if code != 0 || stdout != "" || !strings.Contains(errs, "Exportación: ") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errs)
			}
			if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("file %v (%v), want mode 0600", fi, err)
			}
			if rows := countRows(t, out); rows != tc.rows+1 {
				t.Errorf("%d rows with the header, want %d", rows, tc.rows+1)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}

// countRows counts the rows of a CSV or XLSX export.
func countRows(t *testing.T, path string) int {
	t.Helper()
	if strings.HasSuffix(path, ".xlsx") {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

func TestStatsAndExportBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"stats", "--from", "32/01/2026"},
		{"stats", "--from", "02/01/2026", "--to", "01/01/2026"},
		{"stats", "sobra"},
		{"export", "-o", "x.csv"},
		{"export", "personas", "-o", "x.csv"},
		{"export", "people"},
		{"export", "people", "-o", "x.ods"},
		{"export", "people", "-o", "sin-extension"},
		{"export", "people", "--format", "pdf", "-o", "x.pdf"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Setenv("ENLACE_DB", filepath.Join(t.TempDir(), "x.db"))
			if code, out, errs := runCmd(t, args...); code != 2 || errs == "" || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 with a message", code, out, errs)
			}
		})
	}
}

func TestStatsMissingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-existe.db")
	for _, args := range [][]string{{"stats", "--db", missing}, {"export", "people", "--db", missing, "-o", filepath.Join(t.TempDir(), "p.csv")}} {
		code, _, errs := runCmd(t, args...)
		if code != 1 || !strings.Contains(errs, "no existe la base de datos") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and a message", args[0], code, errs)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%s created the database it was pointed at by mistake", args[0])
		}
	}
}

// TestStatsDoc makes the statistics PDF as `enlace pdf stats` does.
func TestStatsDoc(t *testing.T) {
	path := newDemo(t, "40")
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fs := flag.NewFlagSet("pdf stats", flag.ContinueOnError)
	write := statsDoc(fs)
	if err := fs.Parse([]string{"--from", "01/01/2000"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	what, err := write(&buf, s, reports.Options{Style: reports.DefaultStyle(), Author: "Prueba"})
	if err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("statsDoc: %v, %d bytes", err, buf.Len())
	}
	if what != "estadísticas (desde el 01/01/2000)" {
		t.Errorf("what = %q", what)
	}
}

// TestStatsPilotFile: a file of the pilot's 36 referrals, five of them of
// people holding a DNI (excluded on import, as the OMIOPI proposes them),
// the rest not yet decided, gives the pilot's "31 en el programa":
// received minus excluded and withdrawn. The coordinator has included
// none yet, and says so under its own key.
func TestStatsPilotFile(t *testing.T) {
	db := newDB(t)
	var b strings.Builder
	b.WriteString("Marca temporal,1. Nombre,\"7. Tipo de Documento, número y fecha de caducidad\",\"18. Persona que rellena este formulario. Nombre, organismo y correo electrónico. [Si eres de la AE indica de qué oficina].\"\n")
	for i := range 36 {
		doc := fmt.Sprintf("Pasaporte PA%06d", i)
		if i%7 == 0 && i < 35 { // 0, 7, 14, 21, 28
			n := 10000000 + i
			doc = fmt.Sprintf("DNI %d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
		}
		fmt.Fprintf(&b, "%02d/10/2022 10:00:00,Persona Piloto %s,%s,\"Pedro Sanz, OMIOPI, psanz@oficinainmigracion.info, Oficina Norte\"\n",
			1+i%28, strings.Repeat("a", i+1), doc)
	}
	csv := filepath.Join(t.TempDir(), "piloto.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCmd(t, "import", "forms", "--db", db, csv); code != 0 {
		t.Fatalf("import: exit %d, %s %s", code, out, errs)
	}
	code, out, errs := runCmd(t, "stats", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("stats --json: exit %d, %s", code, errs)
	}
	var st struct {
		Total    int `json:"referrals_total"`
		Excluded int `json:"excluded"`
		In       int `json:"in_programme"`
		Included int `json:"included"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Total != 36 || st.Excluded != 5 || st.In != 31 || st.Included != 0 {
		t.Errorf("received %d, excluded %d, in_programme %d, included %d; want 36, 5, 31, 0", st.Total, st.Excluded, st.In, st.Included)
	}
	code, out, _ = runCmd(t, "stats", "--db", db)
	if code != 0 || !strings.Contains(out, "En el programa:                31") || !strings.Contains(out, "Incluidas por la coordinación: 0") {
		t.Errorf("stats printed %s", out)
	}
}
