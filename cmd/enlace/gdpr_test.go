package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// referredPerson returns a person of the database at path who has a
// referral.
func referredPerson(t *testing.T, path string) data.Person {
	t.Helper()
	s, err := data.Open(path, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	refs, err := s.Referrals(data.ReferralFilter{})
	if err != nil || len(refs) == 0 {
		t.Fatalf("no referrals: %v", err)
	}
	p, err := s.Person(refs[0].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// auditOf returns the audit entries about personID and the tombstones.
func auditOf(t *testing.T, path, personID string) (about, tombs []data.AuditEntry) {
	t.Helper()
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if about, err = s.Audit(data.AuditFilter{Subject: personID}); err != nil {
		t.Fatal(err)
	}
	all, _ := s.Audit(data.AuditFilter{})
	for _, e := range all {
		if e.Op == data.AuditErase {
			tombs = append(tombs, e)
		}
	}
	if _, err := s.Person(personID); errors.Is(err, data.ErrNotFound) {
		about = append(about, data.AuditEntry{Op: "gone"})
	}
	return about, tombs
}

func TestGdprExport(t *testing.T) {
	path := newDemo(t, "20")
	p := referredPerson(t, path)
	dir := filepath.Join(t.TempDir(), "rgpd")
	code, out, errs := runCmd(t, "gdpr", "export", "--db", path, "--person", p.ID, "-o", dir)
	if code != 0 || !strings.Contains(out, p.FullName()) {
		t.Fatalf("export: exit %d, %q, %q", code, out, errs)
	}
	raw, err := os.ReadFile(filepath.Join(dir, p.ID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var d data.SubjectData
	if err := json.Unmarshal(raw, &d); err != nil || d.Person.ID != p.ID || len(d.Referrals) == 0 || len(d.Events) == 0 {
		t.Errorf("JSON export: %v, person %q, %d referrals, %d events", err, d.Person.ID, len(d.Referrals), len(d.Events))
	}
	pdf, err := os.ReadFile(filepath.Join(dir, p.ID+".pdf"))
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("PDF export: %v, starts %.8q", err, pdf)
	}
	about, _ := auditOf(t, path, p.ID)
	if len(about) == 0 || about[0].Op != data.AuditExport || about[0].Kind != "datos de la persona" {
		t.Errorf("the export is not the last audit entry about the person: %+v", about[:min(1, len(about))])
	}
	if code, _, errs := runCmd(t, "gdpr", "export", "--db", path, "--person", p.ID); code != 2 || !strings.Contains(errs, "uso:") {
		t.Errorf("without -o: exit %d, %q", code, errs)
	}
}

func TestGdprErase(t *testing.T) {
	path := newDemo(t, "20")
	p := referredPerson(t, path)
	args := []string{"gdpr", "erase", "--db", path, "--person", p.ID, "--reason", "Lo pide por escrito"}
	code, _, errs := runCmd(t, args...)
	if code != 2 || !strings.Contains(errs, "--yes") || !strings.Contains(errs, p.FullName()) {
		t.Errorf("without --yes: exit %d, %q", code, errs)
	}
	if about, _ := auditOf(t, path, p.ID); len(about) == 0 || about[len(about)-1].Op == "gone" {
		t.Fatal("erased without --yes")
	}
	code, out, errs := runCmd(t, append(args, "--yes")...)
	if code != 0 || !strings.Contains(out, "suprimida") {
		t.Fatalf("erase --yes: exit %d, %q, %q", code, out, errs)
	}
	about, tombs := auditOf(t, path, p.ID)
	if len(about) != 1 || about[0].Op != "gone" || len(tombs) != 1 {
		t.Errorf("after erasure: %d entries about the person (and gone marker), %d tombstones", len(about), len(tombs))
	}
	raw, err := os.ReadFile(path)
	if err != nil || strings.Contains(string(raw), p.ID) {
		t.Errorf("the compacted file still holds the person's ID (%v)", err)
	}
	if _, err := os.Stat(path + ".compactando"); !os.IsNotExist(err) {
		t.Errorf("a temporary file is left: %v", err)
	}
}

func TestGdprRetention(t *testing.T) {
	path := newDemo(t, "20")
	code, out, errs := runCmd(t, "gdpr", "retention", "--db", path, "--json")
	var list []data.RetentionCandidate
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || !strings.HasPrefix(out, "[") {
		t.Errorf("retention --json: exit %d, %q, %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "gdpr", "retention", "--db", path)
	if code != 0 || !strings.Contains(out, "más de 2 años") || strings.Count(out, "\n") != len(list)+min(len(list), 1)+1 {
		t.Errorf("retention: exit %d, %q", code, out)
	}
	if code, _, errs := runCmd(t, "gdpr", "borrar"); code != 2 || !strings.Contains(errs, "export") {
		t.Errorf("unknown gdpr subcommand: exit %d, %q", code, errs)
	}
}

// TestGdprExportIsSignedByTheEnlaceUser: without --author the right-of-
// access PDF is signed, in its footer and its Author, by the Enlace user
// who unlocked the database, not by the operating system's account; and
// neither its Title nor its file names carry the person's name.
// enlaceUser is the name of the Enlace user the tests unlock the
// database at path as.
func enlaceUser(t *testing.T, path string) string {
	t.Helper()
	s, err := data.Open(path, datatest.Options(&data.Options{ReadOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.User().Name == "" {
		t.Fatal("the test database has no signed-in user")
	}
	return s.User().Name
}

func TestGdprExportIsSignedByTheEnlaceUser(t *testing.T) {
	path := newDemo(t, "20")
	p := referredPerson(t, path)
	dir := t.TempDir()
	if code, out, errs := runCmd(t, "gdpr", "export", "--db", path, "--person", p.ID, "-o", dir); code != 0 {
		t.Fatalf("export: exit %d, %q, %q", code, out, errs)
	}
	me := enlaceUser(t, path)
	pdf := filepath.Join(dir, p.ID+".pdf")
	text := pdfText(t, pdf)
	if !strings.Contains(text, "Generado el ") || !strings.Contains(text, " por "+me) {
		t.Errorf("the PDF is not signed by the Enlace user %q: %q", me, text[max(0, len(text)-400):])
	}
	if os := systemUser(); os != "" && os != me && strings.Contains(text, " por "+os) {
		t.Errorf("the PDF is signed by the system account %q", os)
	}
	if !strings.Contains(text, "Datos personales (derecho de acceso)") || !strings.Contains(text, p.FullName()) {
		t.Errorf("the PDF lacks its title or, in its body, the person's name")
	}
	info := pdfInfo(t, pdf)
	if info["Author"] != me {
		t.Errorf("PDF Author %q, want the Enlace user %q", info["Author"], me)
	}
	names := append(strings.Fields(p.FirstName), strings.Fields(p.LastName)...)
	files, _ := os.ReadDir(dir)
	for _, part := range names {
		if strings.Contains(info["Title"], part) {
			t.Errorf("PDF Title %q names the person (%q)", info["Title"], part)
		}
		for _, f := range files {
			if strings.Contains(f.Name(), part) {
				t.Errorf("file %s names the person (%q)", f.Name(), part)
			}
		}
	}
	if code, _, errs := runCmd(t, "gdpr", "export", "--db", path, "--person", p.ID, "-o", dir, "--author", "Elena Robles"); code != 0 ||
		pdfInfo(t, pdf)["Author"] != "Elena Robles" || !strings.Contains(pdfText(t, pdf), "por Elena Robles") {
		t.Errorf("--author Elena Robles: exit %d, %q; Author %q", code, errs, pdfInfo(t, pdf)["Author"])
	}
}
