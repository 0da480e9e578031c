package forms

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/enlace-madrid/enlace/data"
)

// Referrer is question 18, "Persona que rellena este formulario. Nombre,
// organismo y correo electrónico. [Si eres de la AE indica de qué
// oficina]", read into its parts.
type Referrer struct {
	Name   string    // as data.ProperCase leaves it
	Org    data.Org  // "" when neither the words, the office nor the e-mail say
	Office string    // "AZ Tetuán", "Oficina Norte"; "" when not said
	Email  string    // lower case, as typed otherwise
	Role   data.Role // technician unless the text says otherwise
}

// dashes between spaces separate parts like commas.
var dashes = strings.NewReplacer(" - ", ",", " – ", ",", " — ", ",")

// sentenceEnd is a full stop after a word of three letters or more: it
// separates like a comma ("Nombre: Raúl Iglesias. Organismo: AE"), while
// an initial ("J. M. Pérez") does not.
var sentenceEnd = regexp.MustCompile(`(\p{L}{3,})\.(\s|$)`)

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// ParseReferrer reads question 18 as people type it: "Laura Martín, AE,
// laura.martin@madrid.es, AZ Tetuán", "Pedro Sanz (OMIOPI Oficina Norte)
// psanz@oficinainmigracion.info", "MARTA CABRERA - Agencia para el Empleo -
// Agencia de Zona Latina - cabreragm@madrid.es". known are the offices
// already stored: their names are recognised first, in any of the forms
// "AZ Tetuán" / "Agencia de Zona Tetuán". The organisation comes from the
// words (AE, Agencia para el Empleo, OMIOPI, oficina municipal…), else
// from the office (an AZ is the AE's, Oficina Norte and Sur are OMIOPI), else
// from an @oficinainmigracion.info address.
//
// review lists, in Spanish, what could not be read: no name, no e-mail,
// an AE referrer without office, words it does not understand.
func ParseReferrer(s string, known []data.Office) (ref Referrer, review []string) {
	ref.Role = data.RoleTechnician
	if m := emailRe.FindString(s); m != "" {
		ref.Email = strings.ToLower(m)
	}
	segs := refSegments(emailRe.ReplaceAllString(s, ","))
	var officeOrg, orgWords data.Org
	for _, seg := range segs {
		if ref.Office == "" {
			ref.Office, officeOrg = knownOffice(seg, known)
		}
	}
	for _, seg := range segs {
		if ref.Office == "" {
			ref.Office, officeOrg = azOffice(seg)
		}
		if org := orgPhrases(seg); org != "" && orgWords == "" {
			orgWords = org
		}
	}
	for _, seg := range segs {
		if ref.Office == "" {
			ref.Office, officeOrg = sideOffice(seg, orgWords)
		}
		if role := rolePhrases(seg); role != "" {
			ref.Role = role
		}
	}
	var leftovers int
	for _, seg := range segs {
		words := seg.rest()
		switch {
		case len(words) == 0:
		case ref.Name == "" && hasLetter(words):
			ref.Name = data.ProperCase(strings.Join(words, " "))
		default:
			leftovers++
		}
	}
	switch {
	case orgWords != "":
		ref.Org = orgWords
	case officeOrg != "":
		ref.Org = officeOrg
	case strings.HasSuffix(ref.Email, "oficinainmigracion.info"):
		ref.Org = data.OrgOMIOPI
	}
	return ref, ref.review(officeOrg, leftovers)
}

// review lists what a coordinator should check about ref.
func (ref *Referrer) review(officeOrg data.Org, leftovers int) []string {
	var out []string
	if ref.Name == "" {
		out = append(out, "Falta el nombre de quien rellena el formulario.")
	}
	switch {
	case ref.Email == "":
		out = append(out, "Falta el correo de quien rellena el formulario: sin él no se le puede informar del resultado.")
	case data.CheckEmail(ref.Email) != nil:
		out = append(out, data.CheckEmail(ref.Email).Error())
	}
	if ref.Org == data.OrgAE && ref.Office == "" {
		out = append(out, "Quien deriva es de la AE pero no dice de qué oficina (por ejemplo, «AZ Tetuán»).")
	}
	if officeOrg != "" && ref.Org != "" && officeOrg != ref.Org {
		out = append(out, "El organismo («"+string(ref.Org)+"») no es el de la oficina «"+ref.Office+"».")
	}
	if leftovers > 0 {
		out = append(out, "Parte del texto de quien rellena el formulario no se ha entendido.")
	}
	return out
}

// refWord is one word of question 18: as typed, folded, and whether a
// phrase has claimed it.
type refWord struct {
	text, fold string
	used       bool
}

// refSegment is a run of words between separators.
type refSegment []*refWord

func (seg refSegment) rest() []string {
	var out []string
	for _, w := range seg {
		if !w.used {
			out = append(out, w.text)
		}
	}
	return out
}

// refSegments splits s at commas, semicolons, brackets, slashes, colons,
// line breaks and dashes between spaces.
func refSegments(s string) []refSegment {
	s = dashes.Replace(s)
	s = sentenceEnd.ReplaceAllString(s, "$1,")
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;:()[]{}|/\n\r\t·", r) })
	var out []refSegment
	for _, p := range parts {
		var seg refSegment
		for _, f := range strings.Fields(p) {
			f = strings.Trim(f, ".-–—\"'«»")
			if fold := data.Fold(f); fold != "" {
				seg = append(seg, &refWord{text: f, fold: fold})
			}
		}
		if len(seg) > 0 {
			out = append(out, seg)
		}
	}
	return out
}

// find returns the index where the folded words of phrase start among
// seg's unclaimed words, or -1.
func (seg refSegment) find(phrase string) int {
	p := strings.Fields(phrase)
outer:
	for i := 0; i+len(p) <= len(seg); i++ {
		for j, w := range p {
			if seg[i+j].used || seg[i+j].fold != w {
				continue outer
			}
		}
		return i
	}
	return -1
}

// claim marks seg[i:j] as used and returns their text.
func (seg refSegment) claim(i, j int) []string {
	var out []string
	for k := i; k < j && k < len(seg); k++ {
		seg[k].used = true
		out = append(out, seg[k].text)
	}
	return out
}

// officeKey folds an office name so that "AZ Tetuán" and "Agencia de
// Zona Tetuán" compare equal.
func officeKey(name string) string {
	f := data.Fold(name)
	for _, p := range []string{"agencia de zona ", "ag de zona ", "az de "} {
		if strings.HasPrefix(f, p) {
			return "az " + f[len(p):]
		}
	}
	return f
}

// knownOffice claims the name of one of known in seg, the longest that
// matches, and returns it with its organisation.
func knownOffice(seg refSegment, known []data.Office) (string, data.Org) {
	best, bestLen := -1, 0
	var bestForm string
	for k, o := range known {
		key := officeKey(o.Name)
		if key == "" {
			continue
		}
		forms := []string{key}
		if rest, az := strings.CutPrefix(key, "az "); az {
			forms = append(forms, "agencia de zona "+rest)
		}
		for _, f := range forms {
			if seg.find(f) >= 0 && len(f) > bestLen {
				best, bestLen, bestForm = k, len(f), f
			}
		}
	}
	if best < 0 {
		return "", ""
	}
	i := seg.find(bestForm)
	seg.claim(i, i+len(strings.Fields(bestForm)))
	return known[best].Name, known[best].Org
}

// orgStops end an office's name typed without a separator after it.
var orgStops = map[string]bool{"ae": true, "omiopi": true, "agencia": true, "oficina": true,
	"tecnico": true, "tecnica": true, "jefe": true, "jefa": true, "coordinador": true, "coordinadora": true}

// azOffice claims an AE office written "AZ …" or "Agencia de Zona …".
func azOffice(seg refSegment) (string, data.Org) {
	for _, lead := range []string{"agencia de zona", "az"} {
		i := seg.find(lead)
		if i < 0 {
			continue
		}
		n := len(strings.Fields(lead))
		j := i + n
		for j < len(seg) && j < i+n+4 && !orgStops[seg[j].fold] {
			j++
		}
		if j == i+n {
			continue
		}
		words := seg.claim(i, j)[n:]
		return "AZ " + data.ProperCase(strings.Join(words, " ")), data.OrgAE
	}
	return "", ""
}

// sideOffice claims "Norte" or "Sur" as the OMIOPI office of that name when
// the segment speaks of an office or the organisation is the OMIOPI.
func sideOffice(seg refSegment, org data.Org) (string, data.Org) {
	office := org == data.OrgOMIOPI || seg.has("oficina") || seg.has("oficinas") || seg.has("omiopi")
	for _, side := range []string{"norte", "sur"} {
		if i := seg.find(side); i >= 0 && office {
			seg.claim(i, i+1)
			if k := seg.find("oficina"); k >= 0 {
				seg.claim(k, k+1)
			}
			return "Oficina " + strings.ToUpper(side[:1]) + side[1:], data.OrgOMIOPI
		}
	}
	return "", ""
}

// has reports whether seg holds the folded word w, claimed or not.
func (seg refSegment) has(w string) bool {
	for _, x := range seg {
		if x.fold == w {
			return true
		}
	}
	return false
}

// orgPhrases are the words that name an organisation, longest first.
var orgPhrases = func() func(seg refSegment) data.Org {
	phrases := []struct {
		words string
		org   data.Org
	}{
		{"agencia para el empleo de madrid", data.OrgAE},
		{"agencia para el empleo", data.OrgAE},
		{"agencia de empleo", data.OrgAE},
		{"agencia empleo", data.OrgAE},
		{"agencia", data.OrgAE},
		{"ae", data.OrgAE},
		{"oficinas municipales de informacion orientacion y acompanamiento para la integracion social de la poblacion inmigrante", data.OrgOMIOPI},
		{"oficina municipal de informacion orientacion y acompanamiento para la integracion social de la poblacion inmigrante", data.OrgOMIOPI},
		{"oficina municipal de inmigracion", data.OrgOMIOPI},
		{"oficinas municipales de inmigracion", data.OrgOMIOPI},
		{"oficina de inmigracion", data.OrgOMIOPI},
		{"oficina municipal", data.OrgOMIOPI},
		{"oficina de migracion", data.OrgOMIOPI},
		{"omiopi", data.OrgOMIOPI},
		{"omiop", data.OrgOMIOPI},
		{"omi", data.OrgOMIOPI},
	}
	return func(seg refSegment) data.Org {
		var found data.Org
		for _, p := range phrases {
			for {
				i := seg.find(p.words)
				if i < 0 {
					break
				}
				seg.claim(i, i+len(strings.Fields(p.words)))
				if found == "" {
					found = p.org
				}
			}
		}
		return found
	}
}()

// rolePhrases claims words that say what the referrer does, and returns
// the role when it is not the usual technician.
func rolePhrases(seg refSegment) data.Role {
	phrases := []struct {
		words string
		role  data.Role
	}{
		{"jefa de seccion", data.RoleSectionHead}, {"jefe de seccion", data.RoleSectionHead},
		{"tecnica de enlace", data.RoleLiaison}, {"tecnico de enlace", data.RoleLiaison},
		{"coordinadora", data.RoleCoordinator}, {"coordinador", data.RoleCoordinator},
		{"tecnica de empleo", ""}, {"tecnico de empleo", ""}, {"tecnica", ""}, {"tecnico", ""},
		{"te", ""}, {"orientadora", ""}, {"orientador", ""}, {"trabajadora social", ""},
		{"trabajador social", ""}, {"nombre", ""}, {"organismo", ""}, {"correo electronico", ""},
		{"correo", ""}, {"email", ""}, {"e mail", ""}, {"mail", ""}, {"oficina", ""}, {"de", ""},
	}
	var role data.Role
	for _, p := range phrases {
		if p.words == "de" || p.words == "oficina" {
			// "de" and "oficina" alone are labels only when nothing else is left.
			if len(seg.rest()) != 1 {
				continue
			}
		}
		if i := seg.find(p.words); i >= 0 {
			seg.claim(i, i+len(strings.Fields(p.words)))
			if role == "" {
				role = p.role
			}
		}
	}
	return role
}

func hasLetter(words []string) bool {
	for _, w := range words {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			return true
		}
	}
	return false
}
