package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// cvText is the content of the test CV: a string that must never be
// readable in the database file nor in the audit trail.
const cvText = "CURRICULUM VITAE de prueba: camarera en Caracas 2015-2022, sello 7f3a9c"

func addAttachmentT(t *testing.T, s *Store, personID, name, content string) Attachment {
	t.Helper()
	a, err := s.AddAttachment(personID, name, strings.NewReader(content), "")
	if err != nil {
		t.Fatalf("AddAttachment %s: %v", name, err)
	}
	return a
}

func TestAttachmentAddListReadDelete(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	cv := addAttachmentT(t, s, p.ID, "/home/ana/Descargas/cv.pdf", cvText)
	scan, err := s.AddAttachment(p.ID, `C:\Users\ana\Escaneos\pasaporte.JPG`, strings.NewReader("jpeg"), " Caducado ")
	if err != nil {
		t.Fatal(err)
	}
	if cv.ID == "" || cv.Name != "cv.pdf" || cv.Type != "application/pdf" || cv.Size != int64(len(cvText)) ||
		len(cv.SHA256) != 64 || cv.CreatedBy != testName || cv.PersonID != p.ID {
		t.Errorf("cv stored as %+v", cv)
	}
	if scan.Name != "pasaporte.JPG" || scan.Type != "image/jpeg" || scan.Note != "Caducado" {
		t.Errorf("scan stored as %+v", scan)
	}

	list, err := s.Attachments(p.ID)
	if err != nil || len(list) != 2 || list[0].ID != scan.ID || list[1].ID != cv.ID {
		t.Fatalf("Attachments = %+v, %v; want the scan, then the cv", list, err)
	}
	body, got, err := s.AttachmentContent(cv.ID)
	if err != nil || string(body) != cvText || got.ID != cv.ID || got.SHA256 != cv.SHA256 || !got.CreatedAt.Equal(cv.CreatedAt) {
		t.Errorf("AttachmentContent = %q, %+v, %v", body, got, err)
	}
	wantTimeline(t, s, p.ID, "Documento adjunto: pasaporte.JPG (4 bytes). Caducado", "Documento adjunto: cv.pdf ("+FormatSize(int64(len(cvText)))+")")

	if err := s.DeleteAttachment(cv.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Attachments(p.ID); len(list) != 1 || list[0].ID != scan.ID {
		t.Errorf("after deleting the cv: %+v", list)
	}
	if _, _, err := s.AttachmentContent(cv.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("content of a deleted attachment: %v, want ErrNotFound", err)
	}
	if err := s.DeleteAttachment(cv.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
	wantTimeline(t, s, p.ID, "Documento borrado: cv.pdf")
	if n := countKeys(t, s, bucketAttachmentData); n != 1 {
		t.Errorf("%d files stored after the delete, want 1", n)
	}
}

// wantTimeline fails t unless personID's newest events say texts, newest
// first.
func wantTimeline(t *testing.T, s *Store, personID string, texts ...string) {
	t.Helper()
	events, err := s.Timeline(personID)
	if err != nil || len(events) < len(texts) {
		t.Fatalf("Timeline = %d events, %v; want at least %d", len(events), err, len(texts))
	}
	for i, want := range texts {
		if events[i].Text != want {
			t.Errorf("event %d = %q, want %q", i, events[i].Text, want)
		}
	}
}

func countKeys(t *testing.T, s *Store, bucket []byte) int {
	t.Helper()
	n := 0
	if err := s.view(func(tx *bolt.Tx) error { n = tx.Bucket(bucket).Stats().KeyN; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// sparseFile is a file of size bytes that takes no room on disk.
func sparseFile(t *testing.T, size int64) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "grande.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return f
}

// zeros is a stream of left zero bytes that counts what was read of it.
type zeros struct{ left, read int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.left)
	clear(p[:n])
	z.left, z.read = z.left-n, z.read+n
	return n, nil
}

func TestAttachmentSizeLimit(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	tests := []struct {
		name    string
		content func(t *testing.T) io.Reader
		want    string // the error, "" for accepted
	}{
		{"empty", func(*testing.T) io.Reader { return strings.NewReader("") },
			"El archivo «grande.pdf» está vacío."},
		{"one byte over", func(*testing.T) io.Reader {
			return bytes.NewReader(make([]byte, MaxAttachment+1))
		}, "El archivo «grande.pdf» ocupa más de 20 MB: el máximo es 20 MB."},
		{"a 23.4 MB file", func(t *testing.T) io.Reader {
			return sparseFile(t, 234*MaxAttachment/200)
		}, "El archivo «grande.pdf» ocupa 23,4 MB: el máximo es 20 MB."},
		{"a stream that does not tell its size", func(*testing.T) io.Reader { return &zeros{left: 30 << 20} },
			"El archivo «grande.pdf» ocupa más de 20 MB: el máximo es 20 MB."},
		{"exactly 20 MB", func(*testing.T) io.Reader {
			return bytes.NewReader(make([]byte, MaxAttachment))
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.content(t)
			a, err := s.AddAttachment(p.ID, "grande.pdf", r, "")
			if tc.want == "" {
				if err != nil || a.Size != MaxAttachment {
					t.Fatalf("AddAttachment = %+v, %v; want it kept", a, err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || err.Error() != tc.want {
				t.Fatalf("AddAttachment error = %v, want the validation error %q", err, tc.want)
			}
			if z, ok := r.(*zeros); ok && z.read > MaxAttachment+1 {
				t.Errorf("read %d bytes of the stream, want at most %d", z.read, MaxAttachment+1)
			}
			if list, _ := s.Attachments(p.ID); len(list) != 0 {
				t.Errorf("refused file written: %+v", list)
			}
			if n := countKeys(t, s, bucketAttachmentData); n != 0 {
				t.Errorf("refused file left %d values", n)
			}
		})
	}
	if _, err := s.AddAttachment("01JNOBODY0000000000000000", "cv.pdf", strings.NewReader("x"), ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown person: %v, want ErrNotFound", err)
	}
}

func TestAttachmentNotReadableInFile(t *testing.T) {
	s, path := openTest(t)
	p := createPersonT(t, s, samplePerson())
	const name = "CV Maria Garcia firmado.pdf"
	addAttachmentT(t, s, p.ID, name, cvText)
	gone := addAttachmentT(t, s, p.ID, "borrado.txt", "texto del documento borrado 51c0")
	if err := s.DeleteAttachment(gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{cvText, "sello 7f3a9c", name, "Maria Garcia", "texto del documento borrado 51c0", "borrado.txt"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the database file contains %q", secret)
		}
	}
}

func TestAttachmentRoles(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	switchUser(t, s, "tecnica", "Técnica de Empleo", RoleTechnician)
	a := addAttachmentT(t, s, p.ID, "cv.pdf", cvText)
	if a.CreatedBy != "Técnica de Empleo" {
		t.Errorf("added by %q", a.CreatedBy)
	}
	switchUser(t, s, "admin", "Solo Administración", RoleAdmin)
	if _, err := s.AddAttachment(p.ID, "otro.pdf", strings.NewReader("x"), ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("an administrator adds: %v, want ErrForbidden", err)
	}
	if err := s.DeleteAttachment(a.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("an administrator deletes: %v, want ErrForbidden", err)
	}
	if list, err := s.Attachments(p.ID); err != nil || len(list) != 1 {
		t.Errorf("after the refusals: %+v, %v; want the cv only", list, err)
	}
}

func TestAttachmentAuditNamesTheFileNotItsContent(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	a := addAttachmentT(t, s, p.ID, "cv.pdf", cvText)
	if err := s.DeleteAttachment(a.ID); err != nil {
		t.Fatal(err)
	}
	entries, err := s.Audit(AuditFilter{}) // all of them: the file's bytes name no person
	if err != nil {
		t.Fatal(err)
	}
	ops := map[AuditOp]bool{}
	for _, e := range entries {
		raw, _ := json.Marshal(e)
		if strings.Contains(string(raw), "7f3a9c") {
			t.Errorf("%s %s entry holds the content: %s", e.Op, e.Kind, raw)
		}
		if e.Kind != "documento adjunto" || e.Subject != p.ID {
			continue
		}
		ops[e.Op] = true
		// The creation names the fields set (the record holds the values);
		// the deletion keeps the name and the hash of what went.
		if e.Op == AuditCreate && (!strings.Contains(string(raw), `"name":"sha256"`) || strings.Contains(string(raw), "cv.pdf")) {
			t.Errorf("alta entry should list the fields set, without values: %s", raw)
		}
		if e.Op == AuditDelete && (!strings.Contains(string(raw), "cv.pdf") || !strings.Contains(string(raw), a.SHA256)) {
			t.Errorf("baja entry does not name the file and its hash: %s", raw)
		}
	}
	if !ops[AuditCreate] || !ops[AuditDelete] {
		t.Errorf("audit operations on the attachment: %v, want alta and baja", ops)
	}
}

func TestAttachmentDamagedContentIsAnError(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	a := addAttachmentT(t, s, p.ID, "cv.pdf", cvText)
	if err := s.update(func(tx *bolt.Tx) error {
		return putRaw(tx, bucketAttachmentData, []byte(a.ID), []byte("otro contenido"))
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AttachmentContent(a.ID); !errors.Is(err, ErrDamagedAttachment) {
		t.Errorf("AttachmentContent of changed bytes: %v, want ErrDamagedAttachment", err)
	}
}

func TestAttachmentEraseOnePerson(t *testing.T) {
	s, _ := openTest(t)
	p := createPersonT(t, s, samplePerson())
	other := samplePerson()
	other.FirstName, other.DocKind, other.DocNumber = "Rosa", DocPassport, "PA1234567"
	q := createPersonT(t, s, other)
	addAttachmentT(t, s, p.ID, "cv.pdf", cvText)
	addAttachmentT(t, s, p.ID, "nie.png", "png")
	kept := addAttachmentT(t, s, q.ID, "cv.pdf", "el de Rosa")
	if err := s.update(func(tx *bolt.Tx) error { return eraseAttachments(tx, p.ID) }); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Attachments(p.ID); len(list) != 0 {
		t.Errorf("erased person keeps %+v", list)
	}
	if body, _, err := s.AttachmentContent(kept.ID); err != nil || string(body) != "el de Rosa" {
		t.Errorf("the other person's file: %q, %v", body, err)
	}
	if n := countKeys(t, s, bucketAttachmentData); n != 1 {
		t.Errorf("%d files left, want 1", n)
	}
	if err := s.update(func(tx *bolt.Tx) error { return eraseAttachments(tx, "") }); err == nil {
		t.Error("erasing the attachments of no one succeeded")
	}
	if n := countKeys(t, s, bucketAttachmentData); n != 1 {
		t.Errorf("erasing for no one left %d files, want 1", n)
	}
}

var attachmentNameCases = []struct{ in, want string }{
	{"cv.pdf", "cv.pdf"},
	{"/home/ana/CV final.docx", "CV final.docx"},
	{`C:\Users\ana\pasaporte.jpg`, "pasaporte.jpg"},
	{" nota:¿válida?.txt ", "nota-¿válida-.txt"},
	{"línea\nrota.pdf", "línearota.pdf"},
	{"..", ""},
	{"carpeta/", ""},
	{"  ", ""},
}

func TestAttachmentName(t *testing.T) {
	for _, tc := range attachmentNameCases {
		t.Run(tc.in, func(t *testing.T) {
			if got := attachmentName(tc.in); got != tc.want {
				t.Errorf("attachmentName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzAttachmentName(f *testing.F) {
	for _, tc := range attachmentNameCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := attachmentName(in)
		if strings.ContainsAny(got, `/\:*?"<>|`) || strings.IndexFunc(got, unicode.IsControl) >= 0 {
			t.Errorf("attachmentName(%q) = %q: not a plain file name", in, got)
		}
		if again := attachmentName(got); again != got {
			t.Errorf("attachmentName not idempotent: %q → %q → %q", in, got, again)
		}
	})
}

func TestAttachmentFormatSizeAndType(t *testing.T) {
	sizes := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {850, "850 bytes"}, {12 * 1024, "12 KB"},
		{1258291, "1,2 MB"}, {MaxAttachment, "20 MB"}, {3 << 29, "1,5 GB"},
	}
	for _, tc := range sizes {
		if got := FormatSize(tc.n); got != tc.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	types := map[string]string{"CV.PDF": "application/pdf", "foto.jpeg": "image/jpeg", "sin extension": "application/octet-stream"}
	for name, want := range types {
		if got := attachmentType(name); got != want {
			t.Errorf("attachmentType(%q) = %q, want %q", name, got, want)
		}
	}
}
