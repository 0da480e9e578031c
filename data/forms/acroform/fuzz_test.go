package acroform_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

// FuzzRead: whatever bytes come in (a damaged download, a scan named
// .pdf), Read returns the form or a *data.ValidationError, never panics.
// Seeded with a blank form (testdata/fuzz-seed.pdf, made by
// reports.ReferralForm for a demo office), half of it, and text.
func FuzzRead(f *testing.F) {
	f.Add([]byte("%PDF-1.7\n"))
	f.Add([]byte("Nombre: Ana"))
	if raw, err := os.ReadFile(filepath.Join("testdata", "fuzz-seed.pdf")); err == nil {
		f.Add(raw)
		f.Add(raw[:len(raw)/2])
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, err := acroform.Read(raw, "x.pdf", time.Time{})
		var ve *data.ValidationError
		if err != nil && !errors.As(err, &ve) {
			t.Errorf("Read error %v is not a ValidationError", err)
		}
	})
}
