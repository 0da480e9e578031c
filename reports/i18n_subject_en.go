package reports

// subjectEnglish is the English of the right-of-access document
// (subject.go), added to english by init so that the shared table stays
// untouched by it. Entries the table already has are kept as they are.
var subjectEnglish = map[string]string{
	"(sin nombre)":                                       "(no name)",
	"Datos personales (derecho de acceso)":               "Personal data (right of access)",
	"Todo lo que Enlace guarda sobre esta persona el %s": "Everything Enlace holds on this person on %s",
	"Copia de los datos personales que constan en Enlace, entregada a petición de la persona (artículo 15 del RGPD). El archivo JSON que la acompaña contiene los mismos datos y los documentos adjuntos.": "Copy of the personal data held in Enlace, given at the person's request (GDPR article 15). The JSON file that comes with it holds the same data and the attached files.",
	"No consta ningún consentimiento.": "No consent is recorded.",
	"Fecha del consentimiento":         "Date of consent",
	"Compartir con la AE":              "Share with the AE",
	"Compartir con las OMIOPI":         "Share with the OMIOPI",
	"Cómo se dio":                      "How it was given",
	"Recordatorios":                    "Reminders",
	"No hay recordatorios.":            "There are no reminders.",
	"Pendiente":                        "Pending",
	"Hecho el %s":                      "Done on %s",
	"Documentos adjuntos":              "Attachments",
	"No hay documentos adjuntos.":      "There are no attachments.",
	"Archivo":                          "File",
	"Tamaño":                           "Size",
	"Añadido":                          "Added",
	"Programa RI":                      "RI programme",
	"No participa en ningún proyecto del programa RI.": "Takes part in no RI programme project.",
	"Expediente":          "File number",
	"Entidad":             "Entity",
	"Orientación":         "Guidance",
	"Contrato":            "Contract",
	"Grupo":               "Group",
	"Baja definitiva":     "Definitive leave",
	"Baja":                "Deleted",
	"Registro de cambios": "Audit trail",
	"El registro de cambios no tiene entradas sobre esta persona.":                                          "The audit trail has no entries about this person.",
	"%d entradas: cada alta, cambio, baja y exportación de sus datos, de la más antigua a la más reciente.": "%d entries: every creation, change, deletion and export of their data, oldest first.",
	"Registro nuevo":   "New record",
	"Registro borrado": "Record deleted",
	"Ficha creada":     "Record created",
	"Último cambio":    "Last change",
	"Cuándo":           "When",
	"Qué":              "What",
	"Alta":             "Created",
	"Cambio":           "Changed",
	"Exportación":      "Export",
	"Supresión":        "Erasure",
}

func init() {
	for es, en := range subjectEnglish {
		if _, ok := english[es]; !ok {
			english[es] = en
		}
	}
}
