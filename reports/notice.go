package reports

import (
	"io"

	"github.com/enlace-madrid/enlace/data"
)

// Notice writes the end-of-programme notice for the professionals of the
// service the office with officeID belongs to, as the pilot sent it when
// its evaluation began: the closing message and the other service's
// contacts, so that people keep being referred the ordinary way.
//
// It returns data.ErrNotFound for an unknown office and a
// *data.ValidationError for an office that is neither AE nor OMIOPI.
func Notice(w io.Writer, s *data.Store, officeID string, opt Options) error {
	o, _, err := referringOffice(s, officeID)
	if err != nil {
		return err
	}
	book, err := loadDirectory(s)
	if err != nil {
		return err
	}
	l := opt.Lang
	title := l.t("Información para profesionales de las OMIOPI")
	if o.Org == data.OrgAE {
		title = l.t("Información para profesionales de la Agencia para el Empleo")
	}
	doc := NewDocument(opt, Info{Title: title, Subtitle: l.t("Fin del programa: fase de evaluación")})

	doc.Strong(l.tf("%s comienza la fase de evaluación.", book.prog.Name))
	if end := book.prog.End; !end.IsZero() {
		doc.Paragraph(l.tf("El periodo de derivaciones terminó el %s.", l.longDate(end)))
	}
	doc.Paragraph(l.t("Todas las derivaciones realizadas, tanto por las oficinas de la Agencia para el Empleo como por las Oficinas Municipales de Información, Orientación y Acompañamiento para la Integración Social de la Población Inmigrante, han sido gestionadas y han recibido la atención correspondiente en cada uno de los casos."))

	other := otherOrg(o.Org)
	if other == data.OrgOMIOPI {
		doc.ContactSection(l.t("Información general a personas migrantes"), "",
			l.t("Para información general a personas migrantes, estos son los datos de contacto telefónico, correo electrónico o consulta online de las Oficinas Municipales de Información, Orientación y Acompañamiento para la Integración Social de la Población Inmigrante. El asesoramiento en extranjería también se da por teléfono."),
			book.serviceCards(l, other))
	} else {
		doc.ContactSection(l.t("Cita en la Agencia para el Empleo"), "", l.t("Para pedir cita en la Agencia para el Empleo:"),
			book.serviceCards(l, other))
	}
	if e := book.prog.Email; e != "" {
		doc.Paragraph(l.tf("Para dudas sobre el programa puede escribir a %s.", e))
	}
	doc.Space(4)
	doc.Paragraph(l.t("Gracias por su colaboración."))
	doc.Paragraph(l.tf("Madrid, %s", l.longDate(data.MadridDate(doc.opt.Now))))
	return doc.Write(w)
}
