package reports

import (
	"bytes"
	"io"
	"slices"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

// ReferralForm writes the fillable PDF referral form of the office with
// officeID to w: an AcroForm, filled in any PDF reader, with the
// referrer's and the person's details, a checkbox for each enabling
// situation in force for the office's direction (read from the same
// stored criteria as the leaflet), the consent and observations. Field
// names are acroform's stable IDs, so that acroform.Import reads it back.
// It prints well too, to be filled in by hand.
//
// It returns data.ErrNotFound for an unknown office and a
// *data.ValidationError for an office that refers no one.
func ReferralForm(w io.Writer, s *data.Store, officeID string, opt Options) error {
	o, dir, criteria, err := criteriaInForce(s, officeID)
	if err != nil {
		return err
	}
	l := opt.Lang
	doc := NewDocument(opt, Info{
		Title:    l.t("Formulario de derivación"),
		Subtitle: l.officeSubtitle(o, dir),
		Personal: true,
	})
	f := &formPage{d: doc, l: l}
	doc.Note(l.t("Rellénelo en el ordenador con cualquier lector de PDF (Adobe Acrobat Reader, el navegador…), guárdelo y entréguelo a la coordinación del programa o súbalo a la carpeta compartida. Los campos marcados con * son obligatorios."))

	doc.Heading(l.t("Quién deriva"))
	f.row(fc(acroform.FieldOffice, 1, o.Name, true), fc(acroform.FieldDate, 0.5, "", false))
	f.row(fc(acroform.FieldReferrerName, 1, "", false), fc(acroform.FieldReferrerEmail, 1, "", false))

	doc.Heading(l.t("Persona derivada"))
	docKinds, genders := acroform.Options(l == English)
	f.row(fc(acroform.FieldFirstName, 1, "", false), fc(acroform.FieldLastName, 1.4, "", false))
	f.row(choice(acroform.FieldDocKind, 1, docKinds), fc(acroform.FieldDocNumber, 0.9, "", false), fc(acroform.FieldDocExpiry, 1, "", false))
	f.row(fc(acroform.FieldBirthDate, 0.8, "", false), choice(acroform.FieldGender, 0.8, genders), fc(acroform.FieldNationality, 1.2, "", false))
	f.row(fc(acroform.FieldPhone, 1, "", false), fc(acroform.FieldPhone2, 1, "", false), fc(acroform.FieldEmail, 1.6, "", false))
	f.row(fc(acroform.FieldAddress, 2.6, "", false), fc(acroform.FieldDistrict, 1, "", false))

	doc.Heading(l.t("Situación habilitante") + " *")
	doc.Note(l.t("Marque la situación que cumple la persona (una basta)."))
	for _, c := range criteria {
		f.check(acroform.CriterionField(c.ID), c.Text, l.t("Situación habilitante"))
	}
	if len(criteria) == 0 {
		doc.Paragraph(l.t("Ahora no hay situaciones habilitantes en vigor para esta dirección: consulte con la coordinación del programa antes de derivar."))
	}
	doc.Callout(l.t("Todas las personas tienen que estar en situación administrativa regular."), true)

	doc.Heading(l.t("Consentimiento"))
	f.check(acroform.FieldConsent, l.t("La persona ha sido informada y consiente que sus datos se compartan entre la Agencia para el Empleo (AE) y las Oficinas Municipales de Inmigración (OMIOPI) para derivarla y hacer el seguimiento de su caso en el programa."), l.t("Consentimiento"))

	doc.Heading(l.t("Observaciones"))
	f.box(acroform.FieldObservations, 24)
	f.hidden(o.ID)
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		return err
	}
	return acroform.AddFields(buf.Bytes(), f.fields, w)
}

// formCell is one field of a row of the form: its name, its share of the
// row's width, a value it starts with, and whether it is read-only.
type formCell struct {
	name    string
	weight  float64
	value   string
	locked  bool
	options []string // a drop-down list when set
}

func fc(name string, weight float64, value string, locked bool) formCell {
	return formCell{name: name, weight: weight, value: value, locked: locked}
}

func choice(name string, weight float64, options []string) formCell {
	return formCell{name: name, weight: weight, options: options}
}

// formPage lays out labelled fields on a Document and collects where
// each one goes, for acroform.AddFields.
type formPage struct {
	d      *Document
	l      Lang
	fields []acroform.Placed
}

// Sizes of the form's parts, in millimetres.
const (
	formGap    = 4.0 // between the fields of a row
	formLabelH = 4.0 // its label above it
	formCheck  = 4.2 // a checkbox's side
)

// pt converts millimetres to PDF points, mmOf points to millimetres.
func pt(mm float64) float64   { return mm * 72 / 25.4 }
func mmOf(pt float64) float64 { return pt * 25.4 / 72 }

// place records a field whose box is at x, y (top left, millimetres on
// the current page) of size w × h.
func (f *formPage) place(p acroform.Placed, x, y, w, h float64) {
	p.Page = f.d.pdf.PageNo()
	p.X, p.Y, p.W, p.H = pt(x), pt(pageH-y-h), pt(w), pt(h)
	f.fields = append(f.fields, p)
}

// label is a field's label as printed, with * when it is required.
func (f *formPage) label(name string) string {
	s := f.l.t(acroform.Labels[name])
	switch name {
	case acroform.FieldDate, acroform.FieldBirthDate, acroform.FieldDocExpiry:
		s += " " + f.l.t("(dd/mm/aaaa)")
	}
	if slices.Contains(acroform.Required, name) {
		s += " *"
	}
	return s
}

// row writes one row of labelled one-line fields across the page.
func (f *formPage) row(cells ...formCell) {
	d := f.d
	total := 0.0
	for _, c := range cells {
		total += c.weight
	}
	free := contentW - formGap*float64(len(cells)-1)
	d.ensure(formLabelH + mmOf(22) + 2)
	x, rowH := marginX, 0.0
	for _, c := range cells {
		w := free * c.weight / total
		d.font("", 8)
		d.color(mutedColor)
		d.cell(x, d.y, w, formLabelH, d.fit(f.label(c.name), w), "L")
		kind := acroform.Text
		if c.options != nil {
			kind = acroform.Choice
		}
		// pdfcpu sizes one-line boxes by their font (10 pt): a text box is
		// 14 pt high, a drop-down list about 22 pt. Their tops align under
		// the labels.
		h := mmOf(14)
		if kind == acroform.Choice {
			h = mmOf(22)
		}
		rowH = max(rowH, h)
		f.place(acroform.Placed{Name: c.name, Kind: kind, Tip: f.label(c.name), Value: c.value,
			Options: c.options, Locked: c.locked}, x, d.y+formLabelH, w, h)
		x += w + formGap
	}
	d.y += formLabelH + rowH + 2.5
}

// check writes a checkbox with its text wrapped beside it.
func (f *formPage) check(name, text, tip string) {
	d := f.d
	lh := lineH(bodySize)
	tw := contentW - formCheck - 3
	d.font("", bodySize)
	lines := d.split(clean(text), tw)
	h := max(float64(len(lines))*lh, formCheck)
	d.ensure(h)
	f.place(acroform.Placed{Name: name, Kind: acroform.Check, Tip: tip}, marginX, d.y+(lh-formCheck)/2, formCheck, formCheck)
	d.font("", bodySize)
	d.color(textColor)
	for j, line := range lines {
		d.cell(marginX+formCheck+3, d.y+float64(j)*lh, tw, lh, line, "L")
	}
	d.y += h + 1.8
}

// box writes a field of several lines, h millimetres high.
func (f *formPage) box(name string, h float64) {
	d := f.d
	d.ensure(h)
	f.place(acroform.Placed{Name: name, Kind: acroform.Multiline, Tip: f.label(name)}, marginX, d.y, contentW, h)
	d.y += h + 2
}

// hidden writes the form's version and the office's ID, read-only and
// small after a label that says what they are, so that an import knows
// the form and its office and a reader does not wonder at two codes.
func (f *formPage) hidden(officeID string) {
	d := f.d
	d.ensure(4)
	d.font("", 6.5)
	d.color(mutedColor)
	label := f.l.t("Códigos del formulario (los lee Enlace al importarlo; no los cambie):")
	lw := d.pdf.GetStringWidth(label) + 2
	d.cell(marginX, d.y, lw, 3.2, label, "L")
	w := (contentW - lw) / 2
	f.place(acroform.Placed{Name: acroform.FieldForm, Kind: acroform.Text, Value: acroform.Version, Locked: true, Size: 6},
		marginX+lw, d.y, w-2, 3.2)
	f.place(acroform.Placed{Name: acroform.FieldOfficeID, Kind: acroform.Text, Value: officeID, Locked: true, Size: 6},
		marginX+lw+w, d.y, w, 3.2)
	d.y += 4
}
