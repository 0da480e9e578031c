// Package reports writes Enlace's printable documents as PDF: the referral
// leaflet of an office, a person's case summary, the follow-up report of a
// referring office or technician, and the end-of-programme notice, plus the
// building blocks (Document, Table, BarChart) other reports are made of.
//
// Every document shares one Style (programme name, logos, primary colour,
// footer text) set in Ajustes, is A4, numbers its pages and says in its
// footer when and by whom it was made; documents with personal data carry a
// data-protection line. Text is Spanish, or English when Options.Lang says
// so (see i18n.go). Fonts are the Go fonts (golang.org/x/image/font/gofont,
// BSD licence), compiled into the binary and embedded in each PDF, so every
// Spanish character prints the same on any machine.
//
// The PDF library (github.com/go-pdf/fpdf) stays behind this package: no
// other package sees its types. The package does not depend on Fyne.
package reports
