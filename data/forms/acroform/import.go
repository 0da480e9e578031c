package acroform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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
	fr, err := ReadFiles(context.Background(), paths, nil)
	if err != nil {
		return Imported{Files: len(paths)}, err
	}
	return fr.Import(s, author, preview)
}

// Forms are the filled-in forms of some files as read, before they are
// checked against a store. Reading is an import's slow part (pdfcpu,
// some milliseconds a file): a preview and the import after it share one
// reading.
type Forms struct {
	Files    int       // PDF files given
	Problems []Problem // files that cannot be read as a referral form
	filled   []*Filled
	from     []string // the path of each of filled
}

// ReadFiles reads the forms at paths, in order, calling progress (when
// set) after each file with how many are read. A file that is not a
// referral form is listed in Problems; it returns the error of a file
// that cannot be read at all, or ctx.Err() once ctx is done, checked
// before each file.
func ReadFiles(ctx context.Context, paths []string, progress func(read int)) (*Forms, error) {
	out := &Forms{Files: len(paths)}
	for i, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := readFile(p)
		var ve *data.ValidationError
		switch {
		case errors.As(err, &ve):
			out.Problems = append(out.Problems, Problem{Path: p, Messages: messages(ve)})
		case err != nil:
			return nil, err
		default:
			out.filled, out.from = append(out.filled, f), append(out.from, p)
		}
		if progress != nil {
			progress(i + 1)
		}
	}
	return out, nil
}

// Import imports the forms read into s as author, as the package's
// Import does. It may run more than once (a preview refused, then the
// import). It first takes each file's SHA-256 again: a file that changed
// since it was read (or went) is neither imported nor deleted, and is
// listed in Problems, so that the store never records as imported, nor
// the folder loses, anything but the file that was read.
func (fr *Forms) Import(s *data.Store, author string, preview func(*forms.Plan) bool) (Imported, error) {
	out := Imported{Files: fr.Files, Problems: append([]Problem(nil), fr.Problems...)}
	var filled []*Filled
	var from []string
	for i, f := range fr.filled {
		pr, err := unchanged(fr.from[i], f)
		if err != nil {
			return out, err
		}
		if pr != nil {
			out.Problems = append(out.Problems, *pr)
			continue
		}
		filled, from = append(filled, f), append(from, fr.from[i])
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

// unchanged checks that the file at path is still f as read: its problem
// when it changed or went, nil when it is the same file.
func unchanged(path string, f *Filled) (*Problem, error) {
	h, err := fileHash(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Problem{Path: path, Messages: []string{fmt.Sprintf("«%s» ya no está en su carpeta: no se ha importado.", f.Name)}}, nil
	case err != nil:
		return nil, err
	case h != f.Hash:
		return &Problem{Path: path, Messages: []string{changed(f.Name)}}, nil
	}
	return nil, nil
}

// changed is the problem of a file that is not the one read.
func changed(name string) string {
	return fmt.Sprintf("«%s» ha cambiado desde que se leyó: se queda en su carpeta para importarlo de nuevo.", name)
}

// fileHash is the hex SHA-256 of the file at path, as Read takes it; a
// file past MaxFileSize hashes only that far (it is no form Read took).
func fileHash(path string) (string, error) {
	r, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(r, MaxFileSize+1)); err != nil {
		return "", fmt.Errorf("leer %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
		if h, err := fileHash(from[i]); err == nil && h != file.Rows[i].Key {
			// Changed since it was read: what the store holds is the
			// file as it was, not this one.
			out.Problems = append(out.Problems, Problem{Path: from[i], Messages: []string{changed(filepath.Base(from[i]))}})
			continue
		}
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
