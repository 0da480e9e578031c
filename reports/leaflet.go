package reports

import (
	"io"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
)

// Leaflet writes the referral leaflet of the office with officeID to w:
// what the programme is, the profile of the people the office can refer
// (the active enabling situations of its direction, read from the same
// stored criteria the referral form uses), how to refer, and the contacts
// of the other service and of the programme. It fits on one or two pages
// and prints well in black and white.
//
// It returns data.ErrNotFound for an unknown office and a
// *data.ValidationError for an office that refers no one (neither AE nor
// OMIOPI).
func Leaflet(w io.Writer, s *data.Store, officeID string, opt Options) error {
	o, dir, criteria, err := criteriaInForce(s, officeID)
	if err != nil {
		return err
	}
	book, err := loadDirectory(s)
	if err != nil {
		return err
	}
	link, err := nextcloud.Link(s)
	if err != nil {
		return err
	}
	l := opt.Lang
	doc := NewDocument(opt, Info{
		Title:    l.t("Folleto informativo para profesionales"),
		Subtitle: l.officeSubtitle(o, dir),
	})

	doc.Heading(l.t("Qué es el programa"))
	doc.Paragraph(l.tf("%s es un procedimiento de coordinación entre la Agencia para el Empleo del Ayuntamiento de Madrid (AE) y las Oficinas Municipales de Información, Orientación y Acompañamiento para la Integración Social de la Población Inmigrante (OMIOPI) para compartir recursos entre ambos servicios y mejorar la eficacia en la intervención con la población migrante.", book.prog.Name))
	doc.Paragraph(l.t("La coordinación del programa recibe cada derivación, confirma la inclusión, orienta a la persona al área que le corresponde (Jurídico, Formación o Empleo) y hace un seguimiento semanal de cada caso. El personal técnico que derivó recibe el resultado."))
	if p := book.prog; !p.Start.IsZero() && !p.End.IsZero() {
		doc.Paragraph(l.tf("El programa se desarrolla del %s al %s.", l.longDate(p.Start), l.longDate(p.End)))
	}

	doc.Heading(l.t("Situaciones habilitantes"))
	if dir == data.FromAE {
		doc.Paragraph(l.t("Situaciones habilitantes para la derivación de personas con situación legal en España desde la Agencia para el Empleo (AE) a las Oficinas Municipales de Información, Orientación y Acompañamiento para la Integración Social de la Población Inmigrante (OMIOPI):"))
	} else {
		doc.Paragraph(l.t("Situaciones habilitantes para la derivación de personas con situación legal en España desde las Oficinas Municipales de Información, Orientación y Acompañamiento para la Integración Social de la Población Inmigrante (OMIOPI) a la Agencia para el Empleo (AE):"))
	}
	var items []string
	for _, c := range criteria {
		items = append(items, c.Text)
	}
	if len(items) == 0 {
		doc.Paragraph(l.t("Ahora no hay situaciones habilitantes en vigor para esta dirección: consulte con la coordinación del programa antes de derivar."))
	}
	doc.Bullets(items)
	doc.Callout(l.t("Todas las personas tienen que estar en situación administrativa regular."), true)

	doc.Heading(l.t("Cómo derivar"))
	doc.Numbered(procedure(l, dir))
	doc.Callout(l.t("Para derivar a este programa a las personas que cumplan los requisitos anteriores hay que cumplimentar el formulario de derivación y nos pondremos en contacto con ellas desde el Programa."), false)
	if link != "" {
		if err := doc.QR(l.t("Formulario de derivación: ábralo en el navegador o escanee el código con el móvil."), link); err != nil {
			return err
		}
	}

	other := otherOrg(o.Org)
	if other == data.OrgOMIOPI {
		doc.ContactSection(l.t("Contactos"), l.t("Oficinas Municipales de Inmigración (OMIOPI)"),
			l.t("Para información general a personas migrantes, deles el teléfono, el correo electrónico o la web de consulta de la Oficina Municipal de Información, Orientación y Acompañamiento para la Integración Social de la Población Inmigrante:"),
			book.serviceCards(l, other))
	} else {
		doc.ContactSection(l.t("Contactos"), l.t("Agencia para el Empleo (AE)"), l.t("Para pedir cita en la Agencia para el Empleo:"),
			book.serviceCards(l, other))
	}
	if cards := book.programmeCards(l, o); len(cards) > 0 {
		doc.ContactSection("", l.t("Programa"), "", cards)
	}
	return doc.Write(w)
}

// procedure is how an office of direction dir refers a person, in steps.
// The AE's steps are the pilot's "Procedimiento de derivación de casos
// desde la Agencia para el Empleo"; the OMIOPI's follow its leaflet.
func procedure(l Lang, dir data.Direction) []string {
	if dir == data.FromAE {
		return []string{
			l.t("Cuando el personal técnico de empleo atienda a una persona migrante que presente una de las situaciones habilitantes, rellenará el formulario de derivación con la información de la persona y con su nombre, organismo y datos de contacto (el correo electrónico es obligatorio)."),
			l.t("En la gestión que registre en el expediente de la persona en ATLAS, mencionará que la persona es derivada al programa."),
			l.t("Comunicará la derivación a su jefe/a de sección con, al menos, el número de expediente de ATLAS y la situación que habilita a la persona para ser derivada."),
			l.t("El/la jefe/a de sección verificará que la persona cumple las condiciones de una de las situaciones habilitantes y marcará «Sí» o «No»."),
			l.t("La coordinación verificará la situación de la persona y decidirá qué casos se envían a la Oficina Municipal. Informará del resultado al personal técnico que derivó."),
		}
	}
	return []string{
		l.t("Cuando el personal técnico de la Oficina atienda a una persona que presente una de las situaciones habilitantes, rellenará el formulario de derivación con la información de la persona y con su nombre, organismo y correo electrónico."),
		l.t("La coordinación verificará la situación de la persona y decidirá su inclusión en el programa."),
		l.t("Desde el programa nos pondremos en contacto con la persona y la orientaremos al área que corresponda: Jurídico, Formación o Empleo."),
		l.t("La coordinación hará un seguimiento semanal del caso e informará del resultado al personal técnico que derivó."),
	}
}
