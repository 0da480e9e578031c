// Package forms imports the CSV export of the pilot's referral form (the
// Google Form of seed 000, "Preguntas del formulario de derivaciones", or
// the same answers saved from a Spanish-locale Excel) into a data.Store.
//
// Importing is two steps so that a screen can show what will happen before
// anything is written:
//
//	f, err := forms.Read(r)              // decode, split, parse every row
//	plan, err := forms.Check(store, f)   // match people, staff, offices; nothing written
//	res, err := plan.Import(store, author, skipInvalid)
//
// Each valid row becomes a person (or is matched to one already stored, by
// document number or by name and birth date) and a proposed referral dated
// by the form's timestamp. A row the import has seen before (same cells,
// by SHA-256) is skipped, so importing the same export twice creates no
// duplicates. What a parser cannot read is kept as typed and the row is
// flagged for review; a row that cannot be imported is rejected with its
// line number, column and reason.
//
// It also reads the CSV and XLSX exports of the Forms app of Nextcloud
// (ReadXLSX for the workbook); package nextcloud pulls the answers from
// the app's API instead.
//
// The package depends only on the standard library, golang.org/x/text,
// excelize (for XLSX) and data.
package forms
