package acroform

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/form"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/enlace-madrid/enlace/data"
)

// MaxFileSize is the largest PDF Read accepts: a filled form is some tens
// of kilobytes; a scan saved over it, a few megabytes.
const MaxFileSize = 32 << 20

// Filled is one filled-in form as read: its field values by name.
type Filled struct {
	Name     string            // the file's name, for messages
	Hash     string            // hex SHA-256 of the file: its key in the store
	When     time.Time         // when it was filled in, if the form does not say (the file's time)
	Values   map[string]string // text fields and choices as typed; checkboxes "" or the ticked state
	Criteria []string          // IDs of the enabling situations ticked, in the form's order
}

// fileError is a problem with a whole file, worded for the user.
func fileError(format string, args ...any) error {
	return &data.ValidationError{Fields: []data.FieldError{{Field: "File", Message: fmt.Sprintf(format, args...)}}}
}

// tooLarge is the problem of a file past MaxFileSize, named name.
func tooLarge(name string) error {
	return fileError("«%s» pasa de %d MB: no parece un formulario de derivación.", name, MaxFileSize>>20)
}

// Read reads the fields of a filled-in referral form. name is the file's
// name, for messages; when is the day to date the referral by when the
// form's date is blank. It returns a *data.ValidationError, in Spanish,
// when raw is not a PDF, cannot be read, has no form fields or is not
// Enlace's referral form.
func Read(raw []byte, name string, when time.Time) (*Filled, error) {
	if len(raw) > MaxFileSize {
		return nil, tooLarge(name)
	}
	if !bytes.HasPrefix(bytes.TrimLeft(raw[:min(len(raw), 1024)], "\x00\t\r\n "), []byte("%PDF-")) {
		return nil, fileError("«%s» no es un PDF.", name)
	}
	fields, err := formFields(raw)
	if errors.Is(err, api.ErrNoFormFieldsAffected) || (err == nil && len(fields) == 0) ||
		(err != nil && strings.Contains(err.Error(), "no form available")) { // pdfcpu has no sentinel for it
		return nil, fileError("«%s» no tiene campos de formulario: puede que se imprimiera o escaneara. Pida que lo rellenen en el PDF y lo guarden.", name)
	}
	if err != nil {
		return nil, fileError("«%s» no se puede leer como PDF: está dañado, incompleto o tiene contraseña.", name)
	}
	h := sha256.Sum256(raw)
	f := &Filled{Name: name, Hash: hex.EncodeToString(h[:]), When: when, Values: map[string]string{}}
	for _, fl := range fields {
		v := strings.TrimSpace(fl.V)
		if fl.Typ == form.FTCheckBox {
			if v == "" || strings.EqualFold(v, "Off") || strings.EqualFold(v, "false") {
				v = ""
			}
			if id, ok := strings.CutPrefix(fl.Name, CriterionPrefix); ok && v != "" {
				f.Criteria = append(f.Criteria, id)
			}
		}
		f.Values[fl.Name] = v
	}
	if f.Values[FieldForm] != Version {
		return nil, fileError("«%s» tiene campos de formulario pero no es el formulario de derivación de Enlace: use el que da Enlace para cada oficina.", name)
	}
	return f, nil
}

// formFields lists raw's fields; a PDF that makes pdfcpu panic is one it
// cannot read.
func formFields(raw []byte) (fields []form.Field, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdfcpu: %v", r)
		}
	}()
	return api.FormFields(bytes.NewReader(raw), model.NewDefaultConfiguration())
}
