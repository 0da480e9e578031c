package reports

// englishForms is the English of the referral form's link on the leaflet,
// merged into english.
var englishForms = map[string]string{
	"Formulario de derivación: ábralo en el navegador o escanee el código con el móvil.": "Referral form: open it in a browser or scan the code with a phone.",
}

func init() {
	for es, en := range englishForms {
		english[es] = en
	}
}
