package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// TestBackupScrub: a backup made before an erasure, then `enlace backup
// scrub`, says what it did, and the backup, restored with the
// passphrase, no longer holds the person; a second run rewrites nothing.
func TestBackupScrub(t *testing.T) {
	db := backupSetup(t)
	t.Setenv(envPassphrase, cliPassphrase)
	dest := t.TempDir()
	s, err := data.Open(db, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Zuriñe", LastName: "Etxeberria Goikoetxea", DocKind: data.DocNIE, DocNumber: "Y1234567X"}
	if err := s.CreatePerson(&p, "Test"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errs := runCmd(t, "backup", "scrub", "--db", db, "--to", dest)
	if code != 0 || !strings.Contains(out, "No se ha suprimido a nadie") {
		t.Errorf("scrub before any erasure: exit %d, %q, %q", code, out, errs)
	}
	if code, out, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 0 {
		t.Fatalf("backup: exit %d, %q, %q", code, out, errs)
	}
	name := onlyBackup(t, dest)
	code, out, errs = runCmd(t, "gdpr", "erase", "--db", db, "--person", p.ID, "--reason", "Lo pide por escrito", "--yes")
	if code != 0 {
		t.Fatalf("gdpr erase: exit %d, %q, %q", code, out, errs)
	}
	code, out, errs = runCmd(t, "backup", "scrub", "--db", db, "--to", dest)
	if code != 0 || !strings.Contains(out, "Limpieza de las copias de "+dest+": 1 copia revisada, 1 reescrita sin las personas suprimidas.") {
		t.Fatalf("backup scrub: exit %d, out %q, err %q", code, out, errs)
	}
	if onlyBackup(t, dest) != name {
		t.Errorf("the backup was renamed: %s, want %s", onlyBackup(t, dest), name)
	}
	restored := filepath.Join(t.TempDir(), "restaurada.db")
	if _, err := backup.Restore(context.Background(), backup.Destination{Kind: backup.KindFolder, Path: dest}, name, cliPassphrase, restored, nil); err != nil {
		t.Fatalf("restore the scrubbed backup: %v", err)
	}
	if raw, _ := os.ReadFile(restored); strings.Contains(string(raw), p.ID) {
		t.Error("the scrubbed backup still holds the person's ID")
	}
	r, err := data.Open(restored, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Person(p.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("Person in the scrubbed backup = %v", err)
	}
	if hits, n := r.Search("Etxeberria", 5); n != 0 {
		t.Errorf("the scrubbed backup still finds %+v", hits)
	}
	if r.PersonCount() != 120 {
		t.Errorf("the scrubbed backup has %d people, want the 120 others", r.PersonCount())
	}
	r.Close()

	code, out, _ = runCmd(t, "backup", "scrub", "--db", db, "--to", dest)
	if code != 0 || !strings.Contains(out, "1 copia revisada, 0 reescritas") {
		t.Errorf("second scrub: exit %d, %q", code, out)
	}
}

// TestRestoreUnscrubbedBackup: a backup made before an erasure and never
// scrubbed, restored from the command line, does not bring the person
// back: the next command does not find them.
func TestRestoreUnscrubbedBackup(t *testing.T) {
	db := backupSetup(t)
	t.Setenv(envPassphrase, cliPassphrase)
	dest := t.TempDir()
	s, err := data.Open(db, datatest.Options(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := data.Person{FirstName: "Zuriñe", LastName: "Etxeberria Goikoetxea", DocKind: data.DocNIE, DocNumber: "Y1234567X"}
	if err := s.CreatePerson(&p, "Test"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, errs := runCmd(t, "backup", "--db", db, "--to", dest); code != 0 {
		t.Fatalf("backup: exit %d, %q, %q", code, out, errs)
	}
	if code, out, errs := runCmd(t, "gdpr", "erase", "--db", db, "--person", p.ID, "--reason", "Lo pide por escrito", "--yes"); code != 0 {
		t.Fatalf("gdpr erase: exit %d, %q, %q", code, out, errs)
	}
	if code, out, errs := runCmd(t, "restore", "latest", "--db", db, "--from", dest); code != 0 {
		t.Fatalf("restore: exit %d, %q, %q", code, out, errs)
	}
	code, out, errs := runCmd(t, "search", "--db", db, "Etxeberria")
	if code != 0 || strings.Contains(out, "Etxeberria") {
		t.Errorf("search after restoring a backup from before the erasure: exit %d, %q, %q", code, out, errs)
	}
	if raw, _ := os.ReadFile(db); strings.Contains(string(raw), p.ID) {
		t.Error("the restored database still holds the person's ID")
	}
}
