package acroform_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

// TestReadOnceImportAfter: the forms read for a preview import later
// without reading them again, as long as each file is still the one
// read: one changed since (another form saved over it) is neither
// imported nor deleted, one gone is not imported, and both are said.
func TestReadOnceImportAfter(t *testing.T) {
	f := newFixture(t)
	other := f.good(t)
	other[acroform.FieldFirstName], other[acroform.FieldDocNumber] = "Rosa", "Y2345678Z"
	third := f.good(t)
	third[acroform.FieldFirstName], third[acroform.FieldDocKind], third[acroform.FieldDocNumber] = "Ana", "Pasaporte", "AB123456"
	kept := f.fill(t, "a.pdf", f.good(t))
	overwritten := f.fill(t, "b.pdf", other)
	gone := f.fill(t, "c.pdf", third)
	if err := os.WriteFile(filepath.Join(f.dir, "d.pdf"), []byte("no"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths, err := acroform.Paths([]string{f.dir})
	if err != nil {
		t.Fatal(err)
	}
	var read []int
	fr, err := acroform.ReadFiles(context.Background(), paths, func(n int) { read = append(read, n) })
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(read) != "[1 2 3 4]" || fr.Files != 4 || len(fr.Problems) != 1 {
		t.Fatalf("progress %v, %d files, problems %v", read, fr.Files, fr.Problems)
	}
	var preview forms.Result
	if _, err := fr.Import(f.s, "Coordinadora", func(p *forms.Plan) bool { preview = p.Preview(true); return false }); err != nil {
		t.Fatal(err)
	}
	if preview.NewPeople != 3 {
		t.Fatalf("preview %+v, want 3 new people", preview)
	}

	// Between the preview and the import: b.pdf is another form now, c.pdf is gone.
	newer := f.good(t)
	newer[acroform.FieldFirstName] = "Otra"
	f.fill(t, "b.pdf", newer)
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	im, err := fr.Import(f.s, "Coordinadora", nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Result.NewPeople != 1 || len(im.Deleted) != 1 || im.Deleted[0] != kept {
		t.Errorf("import %s, deleted %v; want only a.pdf", im.Summary(), im.Deleted)
	}
	said := map[string]string{}
	for _, p := range im.Problems {
		said[filepath.Base(p.Path)] = p.String()
	}
	for name, want := range map[string]string{
		"b.pdf": "«b.pdf» ha cambiado desde que se leyó: se queda en su carpeta para importarlo de nuevo.",
		"c.pdf": "«c.pdf» ya no está en su carpeta: no se ha importado.",
		"d.pdf": "no es un PDF",
	} {
		if !strings.Contains(said[name], want) {
			t.Errorf("%s: problem %q, want %q", name, said[name], want)
		}
	}
	if _, err := os.Stat(overwritten); err != nil {
		t.Errorf("the changed file is gone: %v", err)
	}
	if people, _ := countPeople(t, f.s); people != 1 {
		t.Errorf("%d people, want 1 (a.pdf's)", people)
	}
}

// TestReadFilesCancelled: a reading cancelled between two files ends
// with the context's error.
func TestReadFilesCancelled(t *testing.T) {
	f := newFixture(t)
	a, b := f.fill(t, "a.pdf", f.good(t)), f.fill(t, "b.pdf", f.good(t))
	ctx, cancel := context.WithCancel(context.Background())
	var read []int
	fr, err := acroform.ReadFiles(ctx, []string{a, b}, func(n int) { read = append(read, n); cancel() })
	if !errors.Is(err, context.Canceled) || fr != nil || len(read) != 1 {
		t.Errorf("ReadFiles = %v, %v after reading %v; want it cancelled after one", fr, err, read)
	}
}
