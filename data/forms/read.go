package forms

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/enlace-madrid/enlace/data"
)

// MaxFileSize is the largest export Read accepts: far more than any form
// will produce (10,000 rows take about 10 MB), small enough to hold in
// memory.
const MaxFileSize = 64 << 20

// Encoding names how an export's text was encoded.
type Encoding string

// The encodings Read recognises. Google Forms writes UTF-8; Excel writes
// UTF-8 with a byte-order mark ("CSV UTF-8") or, as "CSV (delimitado por
// comas)" on a Spanish Windows, Windows-1252.
const (
	UTF8        Encoding = "UTF-8"
	UTF8BOM     Encoding = "UTF-8 con BOM"
	Windows1252 Encoding = "Windows-1252"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// File is an export as read: how it was written, its columns and its rows,
// each parsed into a person and a referrer but not yet checked against a
// store.
type File struct {
	Encoding  Encoding
	Delimiter rune
	Columns   []Column
	Rows      []Row

	orig      []byte // the file as read, for writing rows back untouched
	headerEnd int    // where the header record ends in orig (after a BOM, if any)
	newline   string // "\r\n" or "\n", as the header line ends
}

// Read decodes and parses an export. It returns an error, a
// *data.ValidationError with a Spanish sentence, only when the file as a
// whole cannot be read: not text, broken quoting, no timestamp, name or
// referrer column. Problems with single rows are in each Row.
func Read(r io.Reader) (*File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("leer el fichero: %w", err)
	}
	if len(raw) > MaxFileSize {
		return nil, fileError("El fichero pasa de %d MB: no parece una exportación del formulario.", MaxFileSize>>20)
	}
	text, enc, err := decode(raw)
	if err != nil {
		return nil, err
	}
	f := &File{Encoding: enc, Delimiter: sniffDelimiter(text), orig: raw}
	recs, err := readRecords(text, f.Delimiter)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fileError("El fichero está vacío.")
	}
	toOrig := offsetMapper(text, enc)
	for i := range recs {
		recs[i].start, recs[i].end = toOrig(recs[i].start), toOrig(recs[i].end)
	}
	f.headerEnd = recs[0].end
	f.newline = "\n"
	if bytes.HasSuffix(raw[:f.headerEnd], []byte("\r\n")) {
		f.newline = "\r\n"
	}
	if f.Columns, err = matchHeader(recs[0].cells); err != nil {
		return nil, err
	}
	for _, rec := range recs[1:] {
		if blank(rec.cells) {
			continue
		}
		for i, c := range rec.cells {
			rec.cells[i] = unescapeFormula(c)
		}
		f.Rows = append(f.Rows, parseRow(f.Columns, rec))
	}
	return f, nil
}

// unescapeFormula undoes the quote the Forms app of Nextcloud (and other
// exporters) puts before a value that starts with =, +, -, @, a tab or a
// carriage return so that a spreadsheet does not run it as a formula:
// "'+34 612 345 678" is "+34 612 345 678".
func unescapeFormula(c string) string {
	if len(c) >= 2 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(c[1])) {
		return c[1:]
	}
	return c
}

// fileError is an error with the whole file, worded for the user.
func fileError(format string, args ...any) error {
	return &data.ValidationError{Fields: []data.FieldError{{Field: "File", Message: fmt.Sprintf(format, args...)}}}
}

// decode returns raw as text: UTF-8 with or without a byte-order mark, or
// else Windows-1252 (which can decode any byte sequence).
func decode(raw []byte) (string, Encoding, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return "", "", fileError("El fichero está en UTF-16 («Texto Unicode» de Excel): guárdelo como «CSV UTF-8 (delimitado por comas)».")
	case bytes.HasPrefix(raw, bom):
		raw = raw[len(bom):]
		if !utf8.Valid(raw) {
			return "", "", fileError("El fichero dice estar en UTF-8 pero tiene caracteres que no lo son.")
		}
		return string(raw), UTF8BOM, nil
	case utf8.Valid(raw):
		return string(raw), UTF8, nil
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("decodificar Windows-1252: %w", err)
	}
	return string(text), Windows1252, nil
}

// offsetMapper returns a function from byte offsets in text (ascending
// from one call to the next) to offsets in the file text was decoded from:
// a byte-order mark shifts them, and Windows-1252 has one byte per
// character.
func offsetMapper(text string, enc Encoding) func(int) int {
	switch enc {
	case UTF8BOM:
		return func(off int) int { return off + len(bom) }
	case Windows1252:
		lastText, lastOrig := 0, 0
		return func(off int) int {
			if off < lastText { // not ascending: count from the start
				lastText, lastOrig = 0, 0
			}
			lastOrig += utf8.RuneCountInString(text[lastText:off])
			lastText = off
			return lastOrig
		}
	}
	return func(off int) int { return off }
}

// sniffDelimiter picks ';' (Excel in a Spanish locale), '\t' or ',' (Google
// Forms) by which appears most often outside quotes in the header line.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
scan:
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			break scan
		case r == ',' || r == ';' || r == '\t':
			counts[r]++
		}
	}
	best := ','
	for _, d := range []rune{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// record is one CSV record: its cells, the line it starts on and where
// its text (line break included) starts and ends.
type record struct {
	cells      []string
	line       int
	start, end int
}

// readRecords splits text into records. Quoted cells may hold the
// delimiter, doubled quotes and line breaks.
func readRecords(text string, delim rune) ([]record, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	var out []record
	var prev int64
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fileError("Línea %d: hay unas comillas sin cerrar o mal puestas; el fichero no se puede leer a partir de ahí.", pe.StartLine)
		}
		if err != nil {
			return nil, fmt.Errorf("leer el CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		start, end := int(prev), int(cr.InputOffset())
		for { // blank lines before the record are not part of it
			if strings.HasPrefix(text[start:end], "\n") {
				start++
			} else if strings.HasPrefix(text[start:end], "\r\n") {
				start += 2
			} else {
				break
			}
		}
		prev = int64(end)
		out = append(out, record{cells: cells, line: line, start: start, end: end})
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// WriteRejected writes the header and the rows at the given indexes of
// f.Rows byte for byte as they are in the file (same encoding, delimiter,
// quoting and line breaks; a byte-order mark kept), for the user to fix
// and import again.
func (f *File) WriteRejected(w io.Writer, rows []int) error {
	var b bytes.Buffer
	line := func(raw []byte) {
		b.Write(raw)
		switch {
		case bytes.HasSuffix(raw, []byte("\n")):
		case bytes.HasSuffix(raw, []byte("\r")): // the last line, ended by a bare CR
			b.WriteString("\n")
		default: // the last line, without a line break
			b.WriteString(f.newline)
		}
	}
	line(f.orig[:f.headerEnd])
	for _, i := range rows {
		r := &f.Rows[i]
		line(f.orig[r.start:r.end])
	}
	_, err := w.Write(b.Bytes())
	return err
}
