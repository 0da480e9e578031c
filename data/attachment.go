package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"path"
	"slices"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// Attachments: files on a person (a CV, the scan of a document). The
// description of each file is a record like any other, logged in the audit
// trail; the file's bytes are sealed in a bucket of their own and left out
// of the trail, which names the file, its size and its hash but never
// keeps a copy of it.
var (
	bucketAttachments    = []byte("attachments")      // key: person ID + attachment ID → Attachment
	bucketAttachmentData = []byte("attachments.data") // key: attachment ID → the file's bytes
)

// MaxAttachment is the largest file Enlace keeps: 20 MB. A file is held
// in memory while it is sealed, and every backup carries it.
const MaxAttachment = 20 << 20

// ErrDamagedAttachment is returned by AttachmentContent when a file's
// bytes do not match the SHA-256 taken when it was added.
var ErrDamagedAttachment = errors.New("el documento está dañado: no coincide con el que se guardó")

// Attachment describes a file on a person. The bytes are read with
// AttachmentContent.
type Attachment struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	Name     string `json:"name"`   // the file's name, without folders: "cv.pdf"
	Type     string `json:"type"`   // MIME type, from the name's extension
	Size     int64  `json:"size"`   // in bytes
	SHA256   string `json:"sha256"` // of the content, in hex
	Note     string `json:"note,omitempty"`
	Stamp           // CreatedBy is who added it
}

// AddAttachment stores the file read from content as name on personID's
// ficha, with a note, and writes "Documento adjunto: …" on their
// timeline, all in one transaction. It reads at most MaxAttachment+1
// bytes. It returns a *ForbiddenError without PermEditPeople, a
// *ValidationError for an empty or larger file (nothing is written), and
// ErrNotFound when the person does not exist.
func (s *Store) AddAttachment(personID, name string, content io.Reader, note string) (Attachment, error) {
	if err := s.Allow(PermEditPeople); err != nil {
		return Attachment{}, err
	}
	a := Attachment{PersonID: personID, Name: attachmentName(name), Note: strings.TrimSpace(note)}
	if a.Name == "" {
		return Attachment{}, &ValidationError{Fields: []FieldError{{Field: "Name", Message: "Falta el nombre del archivo."}}}
	}
	body, err := readAttachment(a.Name, content)
	if err != nil {
		return Attachment{}, err
	}
	sum := sha256.Sum256(body)
	a.Type, a.Size, a.SHA256 = attachmentType(a.Name), int64(len(body)), hex.EncodeToString(sum[:])
	if err := s.Batch("", func(b *Batch) error { return b.addAttachment(&a, body) }); err != nil {
		return Attachment{}, err
	}
	return a, nil
}

// addAttachment stores a's description and body and notes it on the
// person's timeline.
func (b *Batch) addAttachment(a *Attachment, body []byte) error {
	if err := b.allow(PermEditPeople); err != nil {
		return err
	}
	if b.tx.Bucket(bucketPeople).Get([]byte(a.PersonID)) == nil {
		return fmt.Errorf("persona %s: %w", a.PersonID, ErrNotFound)
	}
	a.ID, a.Stamp = b.s.newID(), Stamp{}
	a.touch(b.author, b.now)
	if err := putJSON(b.tx, bucketAttachments, a.PersonID+a.ID, a); err != nil {
		return err
	}
	if err := putRaw(b.tx, bucketAttachmentData, []byte(a.ID), body); err != nil { // not logged: no copy in the trail
		return err
	}
	text := fmt.Sprintf("Documento adjunto: %s (%s)", a.Name, FormatSize(a.Size))
	if a.Note != "" {
		text += ". " + a.Note
	}
	return b.AddEvent(&Event{PersonID: a.PersonID, At: b.now, Kind: EventDocument, Text: text})
}

// readAttachment reads the file name from r, refusing an empty one and
// one larger than MaxAttachment.
func readAttachment(name string, r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxAttachment+1))
	if err != nil {
		return nil, fmt.Errorf("leer el archivo: %w", err)
	}
	var pr problems
	switch {
	case len(body) == 0:
		pr.add("Content", fmt.Sprintf("El archivo «%s» está vacío.", name))
	case len(body) > MaxAttachment:
		size, limit := fullSize(r), FormatSize(MaxAttachment)
		said := FormatSize(size)
		if size <= MaxAttachment || said == limit {
			said = "más de " + limit
		}
		pr.add("Content", fmt.Sprintf("El archivo «%s» ocupa %s: el máximo es %s.", name, said, limit))
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	return body, nil
}

// fullSize is the size of the file behind r when r can tell (a file, a
// reader over memory), or 0: the rest of r is never read.
func fullSize(r io.Reader) int64 {
	switch f := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := f.Stat(); err == nil {
			return fi.Size()
		}
	case interface{ Size() int64 }:
		return f.Size()
	}
	return 0
}

// attachmentName keeps the base name of a file name from any system,
// without control characters, and with the characters Windows does not
// allow in names replaced, so the file can be saved anywhere under it.
func attachmentName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return -1
		case strings.ContainsRune(`:*?"<>|`, r):
			return '-'
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if strings.Trim(name, ".") == "" {
		return ""
	}
	return name
}

// knownTypes are the files technicians attach, so their types do not
// depend on the system's MIME tables.
var knownTypes = map[string]string{
	".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
	".heic": "image/heic", ".tif": "image/tiff", ".tiff": "image/tiff", ".txt": "text/plain",
	".doc": "application/msword", ".odt": "application/vnd.oasis.opendocument.text",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// attachmentType is the MIME type of a file called name.
func attachmentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := knownTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// FormatSize writes n bytes the Spanish way: "850 bytes", "12 KB",
// "1,2 MB", "20 MB" (1 KB = 1024 bytes).
func FormatSize(n int64) string {
	const kb, mb, gb = 1 << 10, 1 << 20, 1 << 30
	switch {
	case n == 1:
		return "1 byte"
	case n < kb:
		return fmt.Sprintf("%d bytes", n)
	case n < mb:
		return fmt.Sprintf("%d KB", (n+kb/2)/kb)
	case n < gb:
		return decimalComma(float64(n)/mb) + " MB"
	}
	return decimalComma(float64(n)/gb) + " GB"
}

// decimalComma writes x with one decimal after a comma, without ",0".
func decimalComma(x float64) string {
	s := strings.Replace(fmt.Sprintf("%.1f", x), ".", ",", 1)
	return strings.TrimSuffix(s, ",0")
}

// Attachments returns personID's attachments, newest first, or
// ErrNotFound when the person does not exist.
func (s *Store) Attachments(personID string) ([]Attachment, error) {
	var out []Attachment
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketPeople).Get([]byte(personID)) == nil {
			return fmt.Errorf("persona %s: %w", personID, ErrNotFound)
		}
		var err error
		out, err = attachmentsOf(tx, personID)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(x, y Attachment) int {
		if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(y.ID, x.ID)
	})
	return out, nil
}

// attachmentsOf returns personID's attachments in key order (oldest
// first), for Attachments and the right of access.
func attachmentsOf(tx *bolt.Tx, personID string) ([]Attachment, error) {
	var out []Attachment
	prefix := []byte(personID)
	c := tx.Bucket(bucketAttachments).Cursor()
	for k, v := c.Seek(prefix); k != nil && len(prefix) > 0 && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var a Attachment
		if err := decodeValue(tx, bucketAttachments, k, v, &a); err != nil {
			return nil, fmt.Errorf("documento %s: %w", k[len(prefix):], err)
		}
		out = append(out, a)
	}
	return out, nil
}

// findAttachment returns the key and the description of the attachment
// with id, or ErrNotFound. Keys start with the person, so it scans them
// (keys only: the values it does not open).
func findAttachment(tx *bolt.Tx, id string) ([]byte, Attachment, error) {
	c := tx.Bucket(bucketAttachments).Cursor()
	for k, v := c.First(); k != nil && id != ""; k, v = c.Next() {
		if len(k) <= len(id) || !bytes.HasSuffix(k, []byte(id)) {
			continue
		}
		var a Attachment
		if err := decodeValue(tx, bucketAttachments, k, v, &a); err != nil {
			return nil, Attachment{}, fmt.Errorf("documento %s: %w", id, err)
		}
		if a.ID == id {
			return append([]byte(nil), k...), a, nil
		}
	}
	return nil, Attachment{}, fmt.Errorf("documento %s: %w", id, ErrNotFound)
}

// AttachmentContent returns the bytes of the attachment with id and its
// description. It returns ErrNotFound when there is no such attachment,
// and ErrDamagedAttachment when the bytes are not those that were added.
func (s *Store) AttachmentContent(id string) ([]byte, Attachment, error) {
	var body []byte
	var a Attachment
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		if _, a, err = findAttachment(tx, id); err != nil {
			return err
		}
		body, err = attachmentData(tx, a)
		return err
	})
	if err != nil {
		return nil, Attachment{}, err
	}
	return body, a, nil
}

// attachmentData returns the bytes of a, checked against its SHA-256,
// for AttachmentContent and the right of access.
func attachmentData(tx *bolt.Tx, a Attachment) ([]byte, error) {
	body, err := getValue(tx, bucketAttachmentData, []byte(a.ID))
	if err != nil {
		return nil, fmt.Errorf("contenido del documento %s: %w", a.ID, err)
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != a.SHA256 {
		return nil, fmt.Errorf("documento %s: %w", a.ID, ErrDamagedAttachment)
	}
	return body, nil
}

// DeleteAttachment deletes the attachment with id, description and file,
// and writes "Documento borrado: …" on the person's timeline. It returns
// a *ForbiddenError without PermEditPeople and ErrNotFound when there is
// no such attachment.
func (s *Store) DeleteAttachment(id string) error {
	return s.Batch("", func(b *Batch) error { return b.deleteAttachment(id) })
}

func (b *Batch) deleteAttachment(id string) error {
	if err := b.allow(PermEditPeople); err != nil {
		return err
	}
	key, a, err := findAttachment(b.tx, id)
	if err != nil {
		return err
	}
	if err := deleteValue(b.tx, bucketAttachments, key); err != nil { // logged: name, size, hash
		return err
	}
	if err := b.tx.Bucket(bucketAttachmentData).Delete([]byte(id)); err != nil {
		return err
	}
	return b.AddEvent(&Event{PersonID: a.PersonID, At: b.now, Kind: EventNote, Text: "Documento borrado: " + a.Name})
}

// eraseAttachments deletes every attachment of personID, descriptions and
// files, without logging them one by one: it is part of ErasePerson's
// transaction (the right to be forgotten), whose tombstone is all the
// audit trail keeps, so it has exactly this name and signature for it.
func eraseAttachments(tx *bolt.Tx, personID string) error {
	if personID == "" {
		return fmt.Errorf("borrar los documentos: falta la persona: %w", ErrNotFound)
	}
	prefix := []byte(personID)
	meta, files := tx.Bucket(bucketAttachments), tx.Bucket(bucketAttachmentData)
	var keys [][]byte
	c := meta.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := files.Delete(k[len(prefix):]); err != nil {
			return fmt.Errorf("borrar un documento: %w", err)
		}
		if err := meta.Delete(k); err != nil {
			return fmt.Errorf("borrar un documento: %w", err)
		}
	}
	return nil
}
