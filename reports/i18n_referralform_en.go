package reports

// englishReferralForm is the English of the fillable referral form
// (ReferralForm), its field labels included, merged into english.
var englishReferralForm = map[string]string{
	"Formulario de derivación": "Referral form",
	"Rellénelo en el ordenador con cualquier lector de PDF (Adobe Acrobat Reader, el navegador…), guárdelo y entréguelo a la coordinación del programa o súbalo a la carpeta compartida. Los campos marcados con * son obligatorios.": "Fill it in on the computer with any PDF reader (Adobe Acrobat Reader, a web browser…), save it and hand it to the programme's coordination or upload it to the shared folder. Fields marked * are required.",
	"Quién deriva":     "Who refers",
	"Persona derivada": "Person referred",
	"Marque la situación que cumple la persona (una basta).":                "Tick the situation the person is in (one is enough).",
	"Códigos del formulario (los lee Enlace al importarlo; no los cambie):": "Form codes (Enlace reads them on import; do not change them):",
	"Consentimiento": "Consent",
	"La persona ha sido informada y consiente que sus datos se compartan entre la Agencia para el Empleo (AE) y las Oficinas Municipales de Inmigración (OMIOPI) para derivarla y hacer el seguimiento de su caso en el programa.": "The person has been informed and agrees that their details are shared between the Employment Agency (AE) and the Municipal Immigration Offices (OMIOPI) to refer them and follow their case up in the programme.",
	"Observaciones": "Notes",
	"(dd/mm/aaaa)":  "(dd/mm/yyyy)",
	// Field labels (acroform.Labels).
	"Oficina":                            "Office",
	"Técnico/a que deriva":               "Referring staff member",
	"Correo electrónico del técnico/a":   "Staff member's e-mail",
	"Fecha de la derivación":             "Date of referral",
	"Nombre":                             "First name",
	"Apellidos":                          "Surnames",
	"Tipo de documento":                  "Document type",
	"Número de documento":                "Document number",
	"Caducidad del documento":            "Document expiry",
	"Fecha de nacimiento":                "Date of birth",
	"Género":                             "Gender",
	"Nacionalidad":                       "Nationality",
	"Teléfono":                           "Phone",
	"Otro teléfono":                      "Other phone",
	"Correo electrónico":                 "E-mail",
	"Dirección completa y código postal": "Full address and postcode",
	"Distrito":                           "District",
}

func init() {
	for es, en := range englishReferralForm {
		if _, ok := english[es]; !ok {
			english[es] = en
		}
	}
}
