package acroform

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
)

// Problem is why one file was not imported, worded for the user.
type Problem struct {
	Path     string
	Messages []string
}

// String is p as the command line prints it.
func (p Problem) String() string {
	return filepath.Base(p.Path) + ": " + strings.Join(p.Messages, " ")
}

// Imported is what an import of PDF forms did.
type Imported struct {
	Result   forms.Result
	Files    int         // PDF files found
	Deleted  []string    // files imported (now or before) and deleted after the commit
	Problems []Problem   // files left where they were, for review
	Plan     *forms.Plan // what was checked, for listing what to review; nil when no file could be read
}

// Summary is im in Spanish, as the command line prints it.
func (im Imported) Summary() string {
	s := fmt.Sprintf("Formularios PDF leídos: %d. ", im.Files) + im.Result.Summary()
	if n := len(im.Deleted); n > 0 {
		s += fmt.Sprintf(" Ficheros importados y borrados de la carpeta: %d.", n)
	}
	if n := len(im.Problems); n > 0 {
		s += fmt.Sprintf(" Sin importar y en su sitio para revisar: %d.", n)
	}
	return s
}

// Paths expands files and folders into the PDF files to import, sorted:
// a folder gives the .pdf files directly in it.
func Paths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fileError("No existe %s.", a)
		}
		if err != nil {
			return nil, fmt.Errorf("abrir %s: %w", a, err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("leer la carpeta %s: %w", a, err)
		}
		for _, e := range entries {
			if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".pdf") {
				out = append(out, filepath.Join(a, e.Name()))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// Import imports the filled-in forms at paths into s as author, all the
// valid ones in one transaction (each file's SHA-256 recorded in it), and
// then deletes every file the store holds as imported: a crash before the
// commit leaves the files to import again, one after it only leaves a
// file that the next import deletes without importing twice. A file that
// cannot be imported (not a PDF, no fields, a required field missing, a
// wrong NIE…) is written nowhere, stays where it is and is listed in
// Problems.
//
// preview, when set, sees the plan before anything is written or deleted
// and may refuse it by returning false (a dry run).
func Import(s *data.Store, paths []string, author string, preview func(*forms.Plan) bool) (Imported, error) {
	out := Imported{Files: len(paths)}
	var filled []*Filled
	var from []string
	for _, p := range paths {
		f, err := readFile(p)
		var ve *data.ValidationError
		if errors.As(err, &ve) {
			out.Problems = append(out.Problems, Problem{Path: p, Messages: messages(ve)})
			continue
		}
		if err != nil {
			return out, err
		}
		filled, from = append(filled, f), append(from, p)
	}
	if len(filled) == 0 {
		return out, nil
	}
	file, err := File(s, filled)
	if err != nil {
		return out, err
	}
	plan, err := forms.Check(s, file)
	if err != nil {
		return out, err
	}
	out.Plan = plan
	for i := range file.Rows {
		if r := &file.Rows[i]; r.Status == forms.Rejected {
			var msgs []string
			for _, pr := range r.Invalid() {
				msgs = append(msgs, problemText(pr))
			}
			out.Problems = append(out.Problems, Problem{Path: from[i], Messages: msgs})
		}
	}
	if preview != nil && !preview(plan) {
		return out, nil
	}
	if out.Result, err = plan.Import(s, author, true); err != nil {
		return out, err
	}
	return out, deleteImported(s, file, from, &out)
}

// deleteImported deletes the files whose form (or the same answers from
// another file) the store holds as imported, as it holds them now: never
// a file that is not recorded.
func deleteImported(s *data.Store, file *forms.File, from []string, out *Imported) error {
	keys := make([]string, 0, 2*len(file.Rows))
	for i := range file.Rows {
		keys = append(keys, file.Rows[i].Key, file.Rows[i].Hash)
	}
	done, err := s.ImportedRows(keys)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range file.Rows {
		_, byKey := done[file.Rows[i].Key]
		_, byHash := done[file.Rows[i].Hash] // the same answers in another file
		if !byKey && !byHash || seen[from[i]] {
			continue
		}
		seen[from[i]] = true
		if err := os.Remove(from[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("el formulario %s ya está importado pero no se ha podido borrar (bórrelo a mano; no se volverá a importar): %w", from[i], err)
		}
		out.Deleted = append(out.Deleted, from[i])
	}
	return nil
}

// readFile reads one PDF, dated by its modification time.
func readFile(path string) (*Filled, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("abrir %s: %w", path, err)
	}
	if st.Size() > MaxFileSize {
		return nil, tooLarge(filepath.Base(path))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("leer %s: %w", path, err)
	}
	return Read(raw, filepath.Base(path), st.ModTime())
}

func messages(ve *data.ValidationError) []string {
	out := make([]string, len(ve.Fields))
	for i, fe := range ve.Fields {
		out[i] = fe.Message
	}
	return out
}

// problemText is a row's problem without the line, which a PDF has not.
func problemText(p forms.Problem) string {
	if p.Column == "" {
		return p.Message
	}
	return "«" + p.Column + "»: " + p.Message
}
