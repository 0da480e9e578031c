// Package acroform makes and reads the fillable PDF referral form: an
// AcroForm whose fields carry stable names, so that a form filled in any
// PDF reader (and saved, or printed to PDF with its fields) imports with
// the same pipeline as a CSV export (forms.Check, Plan.Import): same
// validation, free-text parsing, matching and exclusion rules.
//
// Package reports lays the form out; AddFields puts the fields on its
// page with pdfcpu. Read gets the values back (pdfcpu too) and maps them,
// by field name, into a forms.File; Import runs the pipeline over files
// and folders, records each file's SHA-256 in the import's transaction
// and only then deletes the files it imported. Folder.Pull does the same
// with the PDFs dropped into a WebDAV folder (a Nextcloud upload-only
// share), deleting them on the server after the commit.
//
// The package depends on the standard library, pdfcpu, gowebdav, data
// and forms.
package acroform

import (
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// Version is the value of the form's FieldForm: it tells Enlace's
// referral form from any other PDF form.
const Version = "enlace-derivacion-1"

// Field names. They are stable IDs: a form made by one version of Enlace
// imports in the next. Never rename one.
const (
	FieldForm          = "enlace_formulario" // Version, read-only
	FieldOfficeID      = "oficina_id"        // the office's ID in the store, read-only
	FieldOffice        = "oficina"           // the office's name, read-only
	FieldReferrerName  = "tecnico_nombre"
	FieldReferrerEmail = "tecnico_correo"
	FieldDate          = "fecha_derivacion"
	FieldFirstName     = "nombre"
	FieldLastName      = "apellidos"
	FieldDocKind       = "documento_tipo"
	FieldDocNumber     = "documento_numero"
	FieldDocExpiry     = "documento_caducidad"
	FieldBirthDate     = "fecha_nacimiento"
	FieldGender        = "genero"
	FieldNationality   = "nacionalidad"
	FieldPhone         = "telefono"
	FieldPhone2        = "telefono_2"
	FieldEmail         = "correo"
	FieldAddress       = "direccion"
	FieldDistrict      = "distrito"
	FieldConsent       = "consentimiento"
	FieldObservations  = "observaciones"
	// CriterionPrefix starts the name of each enabling situation's
	// checkbox; the criterion's ID follows.
	CriterionPrefix = "criterio_"
)

// Labels are the Spanish labels of the fields as the form prints them
// (reports translates them) and as import problems name them.
var Labels = map[string]string{
	FieldOffice:        "Oficina",
	FieldReferrerName:  "Técnico/a que deriva",
	FieldReferrerEmail: "Correo electrónico del técnico/a",
	FieldDate:          "Fecha de la derivación",
	FieldFirstName:     "Nombre",
	FieldLastName:      "Apellidos",
	FieldDocKind:       "Tipo de documento",
	FieldDocNumber:     "Número de documento",
	FieldDocExpiry:     "Caducidad del documento",
	FieldBirthDate:     "Fecha de nacimiento",
	FieldGender:        "Género",
	FieldNationality:   "Nacionalidad",
	FieldPhone:         "Teléfono",
	FieldPhone2:        "Otro teléfono",
	FieldEmail:         "Correo electrónico",
	FieldAddress:       "Dirección completa y código postal",
	FieldDistrict:      "Distrito",
	FieldConsent:       "Consentimiento",
	FieldObservations:  "Observaciones",
}

// Required are the fields without which a form is not imported.
var Required = []string{FieldFirstName, FieldLastName, FieldDocNumber, FieldReferrerName, FieldReferrerEmail}

// CriterionField is the name of the checkbox of the criterion with id.
// A field name cannot hold a dot (it separates a name's parts).
func CriterionField(id string) string {
	return CriterionPrefix + strings.ReplaceAll(id, ".", "_")
}

// GenderOptions are the choices of FieldGender, in Spanish; the first is
// empty (not answered).
var GenderOptions = []string{"", "Mujer", "Hombre", "No binario", "Prefiero no decirlo"}

// englishDocKinds and englishGenders are the English choices of the form
// in English, in the order of the Spanish ones.
var (
	englishDocKinds = map[data.DocKind]string{data.DocDNI: "DNI (Spanish ID card)", data.DocNIE: "NIE",
		data.DocTIE: "TIE (foreign national identity card)", data.DocPassport: "Passport",
		data.DocStudent: "Student card", data.DocAsylum: "Asylum applicant's document", data.DocOther: "Other"}
	englishGenders = []string{"", "Woman", "Man", "Non-binary", "Prefer not to say"}
)

// Options are the choices of FieldDocKind and FieldGender in Spanish or,
// with english, in English. Read understands both.
func Options(english bool) (docKinds, genders []string) {
	for _, k := range data.DocKinds {
		if english {
			docKinds = append(docKinds, englishDocKinds[k])
		} else {
			docKinds = append(docKinds, k.Label())
		}
	}
	if english {
		return docKinds, englishGenders
	}
	return docKinds, GenderOptions
}

// docKindOf is the document type a choice of FieldDocKind names, in
// either language; "" when it names none.
func docKindOf(choice string) data.DocKind {
	f := data.Fold(choice)
	for _, k := range data.DocKinds {
		if f == data.Fold(k.Label()) || f == data.Fold(englishDocKinds[k]) || f == data.Fold(string(k)) {
			return k
		}
	}
	return ""
}

// genderOf is the Spanish choice of FieldGender for a choice in either
// language.
func genderOf(choice string) string {
	for i, en := range englishGenders {
		if choice == en && en != "" {
			return GenderOptions[i]
		}
	}
	return choice
}
