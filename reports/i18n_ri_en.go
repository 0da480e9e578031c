package reports

// englishRI is the English of the RI programme's documents, merged into
// english. The rules and findings the data package writes (legal text
// citing a Spanish order) print in Spanish in either language.
var englishRI = map[string]string{
	riOrder: "Order of 30 August 2017, amended by the Order of 27 June 2018",

	// Selection record (Anexo II).
	"Acta de selección de tutores de inserción": "Selection record of insertion tutors",
	"Anexo II":             "Annex II",
	"Expediente %s":        "File %s",
	"Entidad beneficiaria": "Beneficiary entity",
	"Expediente":           "File number",
	"Convocatoria":         "Call",
	"Fecha del acta":       "Date of the record",
	"De acuerdo con el artículo 17 de la %s (Programa de reactivación e inserción laboral para personas desempleadas de larga duración), la entidad beneficiaria selecciona como tutores de inserción del proyecto a las personas candidatas siguientes de la lista única de candidatos, por orden de puntuación:": "Under article 17 of the %s (Reactivation and job placement programme for the long-term unemployed), the beneficiary entity selects the following candidates from the single candidate list as the project's insertion tutors, by score:",
	"Todavía no hay tutores seleccionados en este proyecto: añádalos en la pestaña Tutores del proyecto.": "No tutors have been selected for this project yet: add them in the project's Tutors tab.",
	"N.º":                "No.",
	"Apellidos y nombre": "Full name",
	"DNI/NIE":            "DNI/NIE",
	"Puntuación":         "Score",
	"Los tutores que sustituyen a otro no figuran en este acta: su contratación se comunica con el Anexo II-bis (art. 17.5).": "Tutors who replace another are not listed in this record: their hiring is reported with Annex II-bis (art. 17.5).",
	"Y para que así conste, se firma la presente acta.":                                                                       "In witness whereof, this record is signed.",
	"Por la entidad beneficiaria":            "For the beneficiary entity",
	"Secretaría de la comisión de selección": "Secretary of the selection committee",
	"Firma:":          "Signature:",
	"Nombre y cargo:": "Name and position:",
	"Fecha:":          "Date:",

	// Subsidy estimate.
	"Estimación de la subvención": "Subsidy estimate",
	"participantes derivados":     "participants referred",
	"tutores necesarios":          "tutors required",
	"tutores en el proyecto":      "tutors in the project",
	"avisos":                      "warnings",
	"Total estimado: %s (tutores de inserción %s · contratos %s · formación %s)": "Estimated total: %s (insertion tutors %s · contracts %s · training %s)",
	"SMI aplicado": "Minimum wage applied",
	"%d: %s al mes, sin prorrata de pagas extraordinarias (art. 7.2.a)": "%d: %s a month, without prorated extra payments (art. 7.2.a)",
	"Situación a":                                      "As of",
	"Participantes derivados":                          "Participants referred",
	"Tutores necesarios":                               "Tutors required",
	"%d (en el proyecto: %d)":                          "%d (in the project: %d)",
	"Tutores de inserción (art. 7.2.a.i)":              "Insertion tutors (art. 7.2.a.i)",
	"Contratos de participantes (art. 7.2.a.ii y iii)": "Participants' contracts (art. 7.2.a.ii and iii)",
	"Formación (art. 7.2.b)":                           "Training (art. 7.2.b)",
	"Total":                                            "Total",
	"Concepto":                                         "Item",
	"Importe":                                          "Amount",
	"Tutores de inserción":                             "Insertion tutors",
	"Contratos de participantes":                       "Participants' contracts",
	"Total estimado":                                   "Estimated total",
	"/mes":                                             "/month",
	"/h":                                               "/h",
	"Participante":                                     "Participant",
	"Tutor/a":                                          "Tutor",
	"Periodo":                                          "Period",
	"Meses u horas":                                    "Months or hours",
	"Tarifa":                                           "Rate",
	"Regla aplicada":                                   "Rule applied",
	"Subtotal (%d líneas)":                             "Subtotal (%d lines)",
	"Avisos":                                           "Warnings",
	"El proyecto cumple los requisitos de la Orden que Enlace comprueba.": "The project meets the requirements of the Order that Enlace checks.",
	"Notas del cálculo": "Notes on the calculation",
	"Estimación orientativa según el artículo 7 de la %s. La cuantía la fija la resolución de concesión.": "An estimate under article 7 of the %s. The amount is set by the grant decision.",
}

func init() {
	for es, en := range englishRI {
		english[es] = en
	}
}
