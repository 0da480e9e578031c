package forms

// Answers builds a File from forms filled in outside a spreadsheet (the
// PDF referral form): each of subs is one submission, its cells placed by
// cols, and is parsed as a row of a CSV export with those columns would
// be. Row i has Line i+1; the caller sets each row's Key, Source and
// Criteria before Check. The File has no bytes to write rejected rows
// back from: WriteRejected writes nothing useful for it.
func Answers(cols []Column, subs [][]string) *File {
	f := &File{Encoding: UTF8, Delimiter: ',', Columns: cols, newline: "\n"}
	for i, cells := range subs {
		f.Rows = append(f.Rows, parseRow(cols, record{cells: cells, line: i + 1}))
	}
	return f
}
