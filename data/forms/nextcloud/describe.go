package nextcloud

import (
	"fmt"
	"strings"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
)

// Spec is the referral form to create in the Forms app so that its
// answers import as they are: its description (the enabling situations
// in force, from the stored criteria) and its questions.
type Spec struct {
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Questions   []SpecQuestion `json:"questions"`
}

// SpecQuestion is one question to create. Name is the technical name
// ("Nombre técnico" in the question's menu) that Pull maps by; Type is
// the Forms app's type (short, long, multiple_unique, dropdown);
// Validation is the app's validationType for a short answer (email,
// phone, regex) with Pattern for regex.
type SpecQuestion struct {
	Number     int      `json:"number"`
	Name       string   `json:"name"`
	Text       string   `json:"text"`
	Type       string   `json:"type"`
	Required   bool     `json:"isRequired"`
	Options    []string `json:"options,omitempty"`
	Validation string   `json:"validationType,omitempty"`
	Pattern    string   `json:"validationRegex,omitempty"`
	Hint       string   `json:"hint,omitempty"`
}

// Patterns for the short answers the import checks (the app writes a
// regex as /…/flags). The document answer holds kind, number and expiry,
// so the pattern asks for a DNI, an NIE or a passport-like number in it;
// the phone answer may hold two numbers, so it asks for nine digits at
// least.
const (
	documentPattern = `/(\b[XYZ][- ]?\d{7}[- ]?[A-Z]\b|\b\d{8}[- ]?[A-Z]\b|\b[A-Z]{1,3}\d{5,9}\b)/i`
	phonePattern    = `/(\+?\d[\d .()-]{7,}\d)/`
)

// Describe works out the form from the store's active criteria and the
// 21 questions the import reads.
func Describe(s *data.Store) (Spec, error) {
	spec := Spec{Title: "Formulario de derivaciones"}
	var desc []string
	desc = append(desc, "Rellene una respuesta por persona derivada. Todas las personas tienen que estar en situación administrativa regular.")
	for _, dir := range []data.Direction{data.FromAE, data.FromOMIOPI} {
		crit, err := s.Criteria(dir)
		if err != nil {
			return Spec{}, err
		}
		var items []string
		for _, c := range crit {
			if c.Active {
				items = append(items, "- "+c.Text)
			}
		}
		if len(items) > 0 {
			desc = append(desc, fmt.Sprintf("Situaciones habilitantes %s:\n%s", dir.Label(), strings.Join(items, "\n")))
		}
	}
	spec.Description = strings.Join(desc, "\n\n")
	long := map[int]bool{3: true, 5: true, 9: true, 11: true, 12: true, 14: true, 15: true, 17: true}
	for i, text := range forms.Questions {
		n := i + 1
		q := SpecQuestion{Number: n, Name: fmt.Sprintf("p%d", n), Text: text, Type: "short"}
		if long[n] {
			q.Type = "long"
		}
		switch n {
		case 1:
			q.Required, q.Hint = true, "Nombre y apellidos, como en el documento."
		case 2:
			q.Type, q.Options = "multiple_unique", []string{"Sí", "No"}
		case 7:
			q.Required, q.Validation, q.Pattern = true, "regex", documentPattern
			q.Hint = "Por ejemplo: NIE X1234567L caduca 12/05/2027. Con DNI español la persona queda propuesta para exclusión."
		case 8:
			q.Type = "dropdown"
			for _, l := range data.EducationLevels {
				q.Options = append(q.Options, l+" (homologado)")
			}
			q.Options = append(q.Options, "No tiene estudios homologados")
		case 10:
			q.Validation, q.Pattern = "regex", phonePattern
			q.Hint = "Uno o dos teléfonos; los extranjeros con su prefijo (+51 …)."
		case 13:
			q.Validation = "email"
		case 18:
			q.Required, q.Hint = true, "Nombre, AE u OMIOPI (y la oficina) y correo electrónico."
		case 20:
			q.Type = "dropdown"
			for l := 0; data.ITLevelLabel(l) != ""; l++ {
				q.Options = append(q.Options, data.ITLevelLabel(l))
			}
		}
		spec.Questions = append(spec.Questions, q)
	}
	return spec, nil
}

// Text is spec as the command line prints it, for whoever creates the
// form by hand in the Forms app.
func (spec Spec) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Título: %s\n\nDescripción:\n%s\n\nPreguntas (en este orden; el nombre técnico está en el menú «…» de cada pregunta):\n", spec.Title, spec.Description)
	types := map[string]string{"short": "respuesta corta", "long": "respuesta larga", "multiple_unique": "una opción", "dropdown": "desplegable"}
	for _, q := range spec.Questions {
		req := ""
		if q.Required {
			req = ", obligatoria"
		}
		fmt.Fprintf(&b, "\n%d. %s\n   tipo: %s%s; nombre técnico: %s\n", q.Number, q.Text, types[q.Type], req, q.Name)
		if len(q.Options) > 0 {
			fmt.Fprintf(&b, "   opciones: %s\n", strings.Join(q.Options, " | "))
		}
		switch q.Validation {
		case "email":
			b.WriteString("   validación: correo electrónico\n")
		case "regex":
			fmt.Fprintf(&b, "   validación: expresión regular %s\n", q.Pattern)
		}
		if q.Hint != "" {
			fmt.Fprintf(&b, "   ayuda: %s\n", q.Hint)
		}
	}
	return b.String()
}
