package forms

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// ReadXLSX reads an export saved as an Excel workbook (the Forms app of
// Nextcloud's «Descargar … XLSX», or a CSV opened and saved in Excel):
// the first sheet, first row the questions, as Read reads a CSV. The
// workbook's cells are taken as Excel shows them; a number the exporter
// stored as a number (a phone written without spaces) comes back as its
// digits. Rejected rows are written back (File.WriteRejected) as CSV.
func ReadXLSX(r io.Reader) (*File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("leer el fichero: %w", err)
	}
	if len(raw) > MaxFileSize {
		return nil, fileError("El fichero pasa de %d MB: no parece una exportación del formulario.", MaxFileSize>>20)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fileError("El fichero no es un libro de Excel (.xlsx) que se pueda leer.")
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("El libro de Excel no tiene ninguna hoja.")
	}
	rows, err := wb.GetRows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("leer la hoja «%s»: %w", sheets[0], err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("pasar la hoja a CSV: %w", err)
	}
	return Read(&b)
}
