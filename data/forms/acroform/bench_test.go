package acroform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

// BenchmarkReadForm reads the fields of one blank referral form (52 kB,
// the size of a filled one): the cost per file of an import.
func BenchmarkReadForm(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "fuzz-seed.pdf"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := acroform.Read(raw, "x.pdf", testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport50Forms imports a folder of 50 forms filled by pdftk
// (a week's referrals of all offices, generously), each a new person,
// into a fresh store: reading, checking, the transaction and deleting
// the files.
func BenchmarkImport50Forms(b *testing.B) {
	f := newFixture(b)
	const n = 50
	var raws [][]byte
	for i := 0; i < n; i++ {
		v := f.good(b)
		v[acroform.FieldFirstName] = fmt.Sprintf("Persona%d", i)
		v[acroform.FieldDocKind], v[acroform.FieldDocNumber] = "Pasaporte", fmt.Sprintf("AB%06d", 100000+i)
		raw, err := os.ReadFile(f.fill(b, fmt.Sprintf("f%02d.pdf", i), v))
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		f2 := newFixture(b)
		dir := b.TempDir()
		var paths []string
		for i, raw := range raws {
			p := filepath.Join(dir, fmt.Sprintf("f%02d.pdf", i))
			if err := os.WriteFile(p, raw, 0o600); err != nil {
				b.Fatal(err)
			}
			paths = append(paths, p)
		}
		b.StartTimer()
		im, err := acroform.Import(f2.s, paths, "Coordinadora", nil)
		if err != nil || im.Result.NewPeople != n {
			b.Fatalf("%s, %v", im.Summary(), err)
		}
	}
}
