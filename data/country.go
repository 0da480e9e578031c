package data

import (
	"sort"
	"strings"
	"sync"
)

// Country is a country or territory of ISO 3166-1, as a nationality or a
// country of origin.
type Country struct {
	Code   string // ISO 3166-1 alpha-2, e.g. "VE"; what records store
	Name   string // Spanish, e.g. "Venezuela"
	NameEN string // English, e.g. "Venezuela"
}

// Countries returns every ISO 3166-1 country sorted by Spanish name, for
// pick lists. The slice is the caller's to keep or change.
func Countries() []Country {
	ix := countryIndex()
	out := make([]Country, len(ix.sorted))
	copy(out, ix.sorted)
	return out
}

// CountryName returns the Spanish name of the country with ISO code code
// ("VE" → "Venezuela"), or "" when there is no such code.
func CountryName(code string) string {
	if i, ok := countryIndex().byCode[strings.ToUpper(code)]; ok {
		return countryTable[i].name
	}
	return ""
}

// LookupCountry finds the country a person typed as a nationality or
// origin: its ISO code, its Spanish or English name, a common alternative
// name ("Holanda", "EE. UU.") or a Spanish demonym in masculine, feminine or
// plural ("venezolana", "peruanos", "marroquí"), in any case and with or
// without accents. It returns false for unknown or ambiguous text.
func LookupCountry(text string) (code string, ok bool) {
	k := countryKey(text)
	if k == "" {
		return "", false
	}
	code = countryIndex().byKey[k]
	return code, code != ""
}

// countryKey folds text for matching and drops dots, so that "EE. UU." and
// "ee uu" match.
func countryKey(text string) string {
	f := Fold(text)
	if strings.Contains(f, ".") {
		f = strings.Join(strings.Fields(strings.ReplaceAll(f, ".", "")), " ")
	}
	return f
}

// countryLookup holds the indexes over countryTable.
type countryLookup struct {
	byCode    map[string]int    // "VE" → index in countryTable
	byKey     map[string]string // countryKey of a name or demonym → code; "" when ambiguous
	conflicts []string          // keys claimed by two countries, for tests
	sorted    []Country
}

// countryIndex builds the indexes once, on first use.
var countryIndex = sync.OnceValue(func() *countryLookup {
	ix := &countryLookup{
		byCode: make(map[string]int, len(countryTable)),
		byKey:  make(map[string]string, 8*len(countryTable)),
		sorted: make([]Country, len(countryTable)),
	}
	for i, r := range countryTable {
		ix.byCode[r.code] = i
		ix.sorted[i] = Country{Code: r.code, Name: r.name, NameEN: r.nameEN}
		for _, n := range append([]string{r.code, r.name, r.nameEN}, strings.Split(r.aliases, "|")...) {
			ix.add(countryKey(n), r.code)
		}
	}
	for _, r := range countryTable {
		for _, d := range strings.Fields(r.demonyms) {
			for _, form := range demonymForms(Fold(d)) {
				ix.add(form, r.code)
			}
		}
	}
	sort.SliceStable(ix.sorted, func(i, j int) bool {
		return Fold(ix.sorted[i].Name) < Fold(ix.sorted[j].Name)
	})
	return ix
})

// add maps key to code; two countries claiming the same key make it
// ambiguous.
func (ix *countryLookup) add(key, code string) {
	if key == "" {
		return
	}
	old, seen := ix.byKey[key]
	switch {
	case !seen:
		ix.byKey[key] = code
	case old != code:
		ix.byKey[key] = ""
		ix.conflicts = append(ix.conflicts, key)
	}
}

// demonymForms returns the folded masculine singular m with its feminine
// and plural forms, by the regular Spanish endings: venezolano/a/os/as,
// francés/esa/eses/esas, alemán/ana/anes/anas, español/a/es/as,
// marroquí/íes/ís, estadounidense/es, belga/as.
func demonymForms(m string) []string {
	switch {
	case strings.HasSuffix(m, "o"):
		s := m[:len(m)-1]
		return []string{m, s + "a", s + "os", s + "as"}
	case strings.HasSuffix(m, "es"), strings.HasSuffix(m, "an"), strings.HasSuffix(m, "on"), strings.HasSuffix(m, "l"):
		return []string{m, m + "a", m + "es", m + "as"}
	case strings.HasSuffix(m, "i"), strings.HasSuffix(m, "u"):
		return []string{m, m + "es", m + "s"}
	case strings.HasSuffix(m, "e"), strings.HasSuffix(m, "a"):
		return []string{m, m + "s"}
	}
	return []string{m}
}

// countryTable lists ISO 3166-1 (2024) by code: code, Spanish name, English
// name, Spanish demonyms (masculine singular; feminine and plural are
// derived), other names separated by '|'. Kosovo (XK) is not in ISO 3166-1.
var countryTable = []struct {
	code, name, nameEN, demonyms, aliases string
}{
	{"AD", "Andorra", "Andorra", "andorrano", ""},
	{"AE", "Emiratos Árabes Unidos", "United Arab Emirates", "emiratí", "Emiratos"},
	{"AF", "Afganistán", "Afghanistan", "afgano", ""},
	{"AG", "Antigua y Barbuda", "Antigua and Barbuda", "antiguano", ""},
	{"AI", "Anguila", "Anguilla", "", ""},
	{"AL", "Albania", "Albania", "albanés", ""},
	{"AM", "Armenia", "Armenia", "armenio", ""},
	{"AO", "Angola", "Angola", "angoleño", ""},
	{"AQ", "Antártida", "Antarctica", "", ""},
	{"AR", "Argentina", "Argentina", "argentino", ""},
	{"AS", "Samoa Americana", "American Samoa", "", ""},
	{"AT", "Austria", "Austria", "austriaco austríaco", ""},
	{"AU", "Australia", "Australia", "australiano", ""},
	{"AW", "Aruba", "Aruba", "arubeño", ""},
	{"AX", "Islas Åland", "Åland Islands", "", "Åland"},
	{"AZ", "Azerbaiyán", "Azerbaijan", "azerbaiyano azerí", ""},
	{"BA", "Bosnia y Herzegovina", "Bosnia and Herzegovina", "bosnio", "Bosnia"},
	{"BB", "Barbados", "Barbados", "barbadense", ""},
	{"BD", "Bangladés", "Bangladesh", "bangladesí bangladeshí", "Bangladesh"},
	{"BE", "Bélgica", "Belgium", "belga", ""},
	{"BF", "Burkina Faso", "Burkina Faso", "burkinés burkinabé", ""},
	{"BG", "Bulgaria", "Bulgaria", "búlgaro", ""},
	{"BH", "Baréin", "Bahrain", "bareiní bahreiní", "Bahréin"},
	{"BI", "Burundi", "Burundi", "burundés burundiano", ""},
	{"BJ", "Benín", "Benin", "beninés", ""},
	{"BL", "San Bartolomé", "Saint Barthélemy", "", "Saint-Barthélemy"},
	{"BM", "Bermudas", "Bermuda", "bermudeño", ""},
	{"BN", "Brunéi", "Brunei", "bruneano", "Brunei Darussalam"},
	{"BO", "Bolivia", "Bolivia", "boliviano", "Estado Plurinacional de Bolivia"},
	{"BQ", "Bonaire, San Eustaquio y Saba", "Bonaire, Sint Eustatius and Saba", "", ""},
	{"BR", "Brasil", "Brazil", "brasileño brasilero", ""},
	{"BS", "Bahamas", "Bahamas", "bahameño", "Las Bahamas"},
	{"BT", "Bután", "Bhutan", "butanés", ""},
	{"BV", "Isla Bouvet", "Bouvet Island", "", ""},
	{"BW", "Botsuana", "Botswana", "botsuano", ""},
	{"BY", "Bielorrusia", "Belarus", "bielorruso", "Belarús"},
	{"BZ", "Belice", "Belize", "beliceño", ""},
	{"CA", "Canadá", "Canada", "canadiense", ""},
	{"CC", "Islas Cocos", "Cocos (Keeling) Islands", "", ""},
	{"CD", "República Democrática del Congo", "Democratic Republic of the Congo", "", "RD Congo|RDC|Congo-Kinshasa|Zaire"},
	{"CF", "República Centroafricana", "Central African Republic", "centroafricano", ""},
	{"CG", "Congo", "Republic of the Congo", "", "República del Congo|Congo-Brazzaville"},
	{"CH", "Suiza", "Switzerland", "suizo", ""},
	{"CI", "Costa de Marfil", "Côte d'Ivoire", "marfileño ivoriense ivoriano", "Ivory Coast"},
	{"CK", "Islas Cook", "Cook Islands", "", ""},
	{"CL", "Chile", "Chile", "chileno", ""},
	{"CM", "Camerún", "Cameroon", "camerunés", ""},
	{"CN", "China", "China", "chino", ""},
	{"CO", "Colombia", "Colombia", "colombiano", ""},
	{"CR", "Costa Rica", "Costa Rica", "costarricense", ""},
	{"CU", "Cuba", "Cuba", "cubano", ""},
	{"CV", "Cabo Verde", "Cape Verde", "caboverdiano", ""},
	{"CW", "Curazao", "Curaçao", "curazoleño", ""},
	{"CX", "Isla de Navidad", "Christmas Island", "", ""},
	{"CY", "Chipre", "Cyprus", "chipriota", ""},
	{"CZ", "Chequia", "Czechia", "checo", "República Checa|Czech Republic"},
	{"DE", "Alemania", "Germany", "alemán", ""},
	{"DJ", "Yibuti", "Djibouti", "yibutiano", ""},
	{"DK", "Dinamarca", "Denmark", "danés", ""},
	{"DM", "Dominica", "Dominica", "dominiqués", ""},
	{"DO", "República Dominicana", "Dominican Republic", "dominicano", "Rep. Dominicana"},
	{"DZ", "Argelia", "Algeria", "argelino", ""},
	{"EC", "Ecuador", "Ecuador", "ecuatoriano", ""},
	{"EE", "Estonia", "Estonia", "estonio", ""},
	{"EG", "Egipto", "Egypt", "egipcio", ""},
	{"EH", "Sáhara Occidental", "Western Sahara", "saharaui", "Sahara"},
	{"ER", "Eritrea", "Eritrea", "eritreo", ""},
	{"ES", "España", "Spain", "español", ""},
	{"ET", "Etiopía", "Ethiopia", "etíope", ""},
	{"FI", "Finlandia", "Finland", "finlandés", ""},
	{"FJ", "Fiyi", "Fiji", "fiyiano", ""},
	{"FK", "Islas Malvinas", "Falkland Islands", "malvinense", "Malvinas|Falklands"},
	{"FM", "Micronesia", "Micronesia", "micronesio", ""},
	{"FO", "Islas Feroe", "Faroe Islands", "feroés", ""},
	{"FR", "Francia", "France", "francés", ""},
	{"GA", "Gabón", "Gabon", "gabonés", ""},
	{"GB", "Reino Unido", "United Kingdom", "británico inglés escocés galés", "Gran Bretaña|Inglaterra|Escocia|Gales|Irlanda del Norte|Great Britain|England|Scotland|Wales|UK"},
	{"GD", "Granada", "Grenada", "granadino", ""},
	{"GE", "Georgia", "Georgia", "georgiano", ""},
	{"GF", "Guayana Francesa", "French Guiana", "", ""},
	{"GG", "Guernsey", "Guernsey", "", ""},
	{"GH", "Ghana", "Ghana", "ghanés", ""},
	{"GI", "Gibraltar", "Gibraltar", "gibraltareño", ""},
	{"GL", "Groenlandia", "Greenland", "groenlandés", ""},
	{"GM", "Gambia", "Gambia", "gambiano", ""},
	{"GN", "Guinea", "Guinea", "guineano", ""},
	{"GP", "Guadalupe", "Guadeloupe", "guadalupeño", ""},
	{"GQ", "Guinea Ecuatorial", "Equatorial Guinea", "ecuatoguineano", ""},
	{"GR", "Grecia", "Greece", "griego", ""},
	{"GS", "Islas Georgia del Sur y Sandwich del Sur", "South Georgia and South Sandwich Islands", "", ""},
	{"GT", "Guatemala", "Guatemala", "guatemalteco", ""},
	{"GU", "Guam", "Guam", "guameño", ""},
	{"GW", "Guinea-Bisáu", "Guinea-Bissau", "bisauguineano", "Guinea Bissau"},
	{"GY", "Guyana", "Guyana", "guyanés", ""},
	{"HK", "Hong Kong", "Hong Kong", "hongkonés", ""},
	{"HM", "Islas Heard y McDonald", "Heard Island and McDonald Islands", "", ""},
	{"HN", "Honduras", "Honduras", "hondureño", ""},
	{"HR", "Croacia", "Croatia", "croata", ""},
	{"HT", "Haití", "Haiti", "haitiano", ""},
	{"HU", "Hungría", "Hungary", "húngaro", ""},
	{"ID", "Indonesia", "Indonesia", "indonesio", ""},
	{"IE", "Irlanda", "Ireland", "irlandés", ""},
	{"IL", "Israel", "Israel", "israelí", ""},
	{"IM", "Isla de Man", "Isle of Man", "", ""},
	{"IN", "India", "India", "indio hindú", ""},
	{"IO", "Territorio Británico del Océano Índico", "British Indian Ocean Territory", "", ""},
	{"IQ", "Irak", "Iraq", "iraquí", ""},
	{"IR", "Irán", "Iran", "iraní persa", "Persia"},
	{"IS", "Islandia", "Iceland", "islandés", ""},
	{"IT", "Italia", "Italy", "italiano", ""},
	{"JE", "Jersey", "Jersey", "", ""},
	{"JM", "Jamaica", "Jamaica", "jamaicano jamaiquino", ""},
	{"JO", "Jordania", "Jordan", "jordano", ""},
	{"JP", "Japón", "Japan", "japonés", ""},
	{"KE", "Kenia", "Kenya", "keniano keniata", ""},
	{"KG", "Kirguistán", "Kyrgyzstan", "kirguís kirguisa kirguiso", "Kirguizistán"},
	{"KH", "Camboya", "Cambodia", "camboyano", ""},
	{"KI", "Kiribati", "Kiribati", "kiribatiano", ""},
	{"KM", "Comoras", "Comoros", "comorense", ""},
	{"KN", "San Cristóbal y Nieves", "Saint Kitts and Nevis", "sancristobaleño", ""},
	{"KP", "Corea del Norte", "North Korea", "norcoreano", "República Popular Democrática de Corea"},
	{"KR", "Corea del Sur", "South Korea", "surcoreano", "República de Corea"},
	{"KW", "Kuwait", "Kuwait", "kuwaití", ""},
	{"KY", "Islas Caimán", "Cayman Islands", "caimanés", ""},
	{"KZ", "Kazajistán", "Kazakhstan", "kazajo", "Kazajstán"},
	{"LA", "Laos", "Laos", "laosiano", ""},
	{"LB", "Líbano", "Lebanon", "libanés", ""},
	{"LC", "Santa Lucía", "Saint Lucia", "santalucense", ""},
	{"LI", "Liechtenstein", "Liechtenstein", "liechtensteiniano", ""},
	{"LK", "Sri Lanka", "Sri Lanka", "ceilandés esrilanqués", ""},
	{"LR", "Liberia", "Liberia", "liberiano", ""},
	{"LS", "Lesoto", "Lesotho", "lesotense", ""},
	{"LT", "Lituania", "Lithuania", "lituano", ""},
	{"LU", "Luxemburgo", "Luxembourg", "luxemburgués", ""},
	{"LV", "Letonia", "Latvia", "letón", ""},
	{"LY", "Libia", "Libya", "libio", ""},
	{"MA", "Marruecos", "Morocco", "marroquí", ""},
	{"MC", "Mónaco", "Monaco", "monegasco", ""},
	{"MD", "Moldavia", "Moldova", "moldavo", "Moldova|República de Moldavia"},
	{"ME", "Montenegro", "Montenegro", "montenegrino", ""},
	{"MF", "San Martín", "Saint Martin", "", ""},
	{"MG", "Madagascar", "Madagascar", "malgache", ""},
	{"MH", "Islas Marshall", "Marshall Islands", "marshalés", ""},
	{"MK", "Macedonia del Norte", "North Macedonia", "macedonio", "Macedonia"},
	{"ML", "Mali", "Mali", "maliense malí", ""},
	{"MM", "Myanmar", "Myanmar", "birmano", "Birmania|Burma"},
	{"MN", "Mongolia", "Mongolia", "mongol", ""},
	{"MO", "Macao", "Macao", "macaense", "Macau"},
	{"MP", "Islas Marianas del Norte", "Northern Mariana Islands", "", ""},
	{"MQ", "Martinica", "Martinique", "martiniqués", ""},
	{"MR", "Mauritania", "Mauritania", "mauritano", ""},
	{"MS", "Montserrat", "Montserrat", "", ""},
	{"MT", "Malta", "Malta", "maltés", ""},
	{"MU", "Mauricio", "Mauritius", "mauriciano", ""},
	{"MV", "Maldivas", "Maldives", "maldivo", ""},
	{"MW", "Malaui", "Malawi", "malauí", ""},
	{"MX", "México", "Mexico", "mexicano mejicano", ""},
	{"MY", "Malasia", "Malaysia", "malasio", ""},
	{"MZ", "Mozambique", "Mozambique", "mozambiqueño", ""},
	{"NA", "Namibia", "Namibia", "namibio", ""},
	{"NC", "Nueva Caledonia", "New Caledonia", "neocaledonio", ""},
	{"NE", "Níger", "Niger", "nigerino", ""},
	{"NF", "Isla Norfolk", "Norfolk Island", "", ""},
	{"NG", "Nigeria", "Nigeria", "nigeriano", ""},
	{"NI", "Nicaragua", "Nicaragua", "nicaragüense", ""},
	{"NL", "Países Bajos", "Netherlands", "neerlandés holandés", "Holanda|Holland"},
	{"NO", "Noruega", "Norway", "noruego", ""},
	{"NP", "Nepal", "Nepal", "nepalí nepalés", ""},
	{"NR", "Nauru", "Nauru", "nauruano", ""},
	{"NU", "Niue", "Niue", "", ""},
	{"NZ", "Nueva Zelanda", "New Zealand", "neozelandés", ""},
	{"OM", "Omán", "Oman", "omaní", ""},
	{"PA", "Panamá", "Panama", "panameño", ""},
	{"PE", "Perú", "Peru", "peruano", ""},
	{"PF", "Polinesia Francesa", "French Polynesia", "polinesio", ""},
	{"PG", "Papúa Nueva Guinea", "Papua New Guinea", "papú", ""},
	{"PH", "Filipinas", "Philippines", "filipino", ""},
	{"PK", "Pakistán", "Pakistan", "pakistaní paquistaní", ""},
	{"PL", "Polonia", "Poland", "polaco", ""},
	{"PM", "San Pedro y Miquelón", "Saint Pierre and Miquelon", "", ""},
	{"PN", "Islas Pitcairn", "Pitcairn Islands", "", ""},
	{"PR", "Puerto Rico", "Puerto Rico", "puertorriqueño portorriqueño", ""},
	{"PS", "Palestina", "Palestine", "palestino", "Territorios Palestinos|Palestinian Territories"},
	{"PT", "Portugal", "Portugal", "portugués", ""},
	{"PW", "Palaos", "Palau", "palauano", ""},
	{"PY", "Paraguay", "Paraguay", "paraguayo", ""},
	{"QA", "Catar", "Qatar", "catarí qatarí", ""},
	{"RE", "Reunión", "Réunion", "reunionés", ""},
	{"RO", "Rumanía", "Romania", "rumano", ""},
	{"RS", "Serbia", "Serbia", "serbio", ""},
	{"RU", "Rusia", "Russia", "ruso", "Federación de Rusia|Russian Federation"},
	{"RW", "Ruanda", "Rwanda", "ruandés", ""},
	{"SA", "Arabia Saudí", "Saudi Arabia", "saudí saudita", "Arabia Saudita"},
	{"SB", "Islas Salomón", "Solomon Islands", "salomonense", ""},
	{"SC", "Seychelles", "Seychelles", "seychellense", ""},
	{"SD", "Sudán", "Sudan", "sudanés", ""},
	{"SE", "Suecia", "Sweden", "sueco", ""},
	{"SG", "Singapur", "Singapore", "singapurense", ""},
	{"SH", "Santa Elena", "Saint Helena", "", ""},
	{"SI", "Eslovenia", "Slovenia", "esloveno", ""},
	{"SJ", "Svalbard y Jan Mayen", "Svalbard and Jan Mayen", "", ""},
	{"SK", "Eslovaquia", "Slovakia", "eslovaco", ""},
	{"SL", "Sierra Leona", "Sierra Leone", "sierraleonés", ""},
	{"SM", "San Marino", "San Marino", "sanmarinense", ""},
	{"SN", "Senegal", "Senegal", "senegalés", ""},
	{"SO", "Somalia", "Somalia", "somalí", ""},
	{"SR", "Surinam", "Suriname", "surinamés", ""},
	{"SS", "Sudán del Sur", "South Sudan", "sursudanés", ""},
	{"ST", "Santo Tomé y Príncipe", "São Tomé and Príncipe", "santotomense", ""},
	{"SV", "El Salvador", "El Salvador", "salvadoreño", ""},
	{"SX", "Sint Maarten", "Sint Maarten", "", ""},
	{"SY", "Siria", "Syria", "sirio", ""},
	{"SZ", "Esuatini", "Eswatini", "suazi", "Suazilandia|Swaziland"},
	{"TC", "Islas Turcas y Caicos", "Turks and Caicos Islands", "", ""},
	{"TD", "Chad", "Chad", "chadiano", ""},
	{"TF", "Territorios Australes Franceses", "French Southern Territories", "", ""},
	{"TG", "Togo", "Togo", "togolés", ""},
	{"TH", "Tailandia", "Thailand", "tailandés", ""},
	{"TJ", "Tayikistán", "Tajikistan", "tayiko", ""},
	{"TK", "Tokelau", "Tokelau", "", ""},
	{"TL", "Timor Oriental", "Timor-Leste", "timorense", "East Timor"},
	{"TM", "Turkmenistán", "Turkmenistan", "turcomano turkmeno", ""},
	{"TN", "Túnez", "Tunisia", "tunecino", ""},
	{"TO", "Tonga", "Tonga", "tongano", ""},
	{"TR", "Turquía", "Turkey", "turco", "Türkiye"},
	{"TT", "Trinidad y Tobago", "Trinidad and Tobago", "trinitense", ""},
	{"TV", "Tuvalu", "Tuvalu", "tuvaluano", ""},
	{"TW", "Taiwán", "Taiwan", "taiwanés", ""},
	{"TZ", "Tanzania", "Tanzania", "tanzano", ""},
	{"UA", "Ucrania", "Ukraine", "ucraniano", ""},
	{"UG", "Uganda", "Uganda", "ugandés", ""},
	{"UM", "Islas Ultramarinas Menores de Estados Unidos", "United States Minor Outlying Islands", "", ""},
	{"US", "Estados Unidos", "United States", "estadounidense norteamericano", "EE. UU.|EEUU|USA|Estados Unidos de América|United States of America"},
	{"UY", "Uruguay", "Uruguay", "uruguayo", ""},
	{"UZ", "Uzbekistán", "Uzbekistan", "uzbeko", ""},
	{"VA", "Ciudad del Vaticano", "Vatican City", "vaticano", "Vaticano|Santa Sede|Holy See"},
	{"VC", "San Vicente y las Granadinas", "Saint Vincent and the Grenadines", "sanvicentino", ""},
	{"VE", "Venezuela", "Venezuela", "venezolano", "República Bolivariana de Venezuela"},
	{"VG", "Islas Vírgenes Británicas", "British Virgin Islands", "", ""},
	{"VI", "Islas Vírgenes de los Estados Unidos", "United States Virgin Islands", "", ""},
	{"VN", "Vietnam", "Vietnam", "vietnamita", "Viet Nam"},
	{"VU", "Vanuatu", "Vanuatu", "vanuatuense", ""},
	{"WF", "Wallis y Futuna", "Wallis and Futuna", "", ""},
	{"WS", "Samoa", "Samoa", "samoano", ""},
	{"YE", "Yemen", "Yemen", "yemení", ""},
	{"YT", "Mayotte", "Mayotte", "", ""},
	{"ZA", "Sudáfrica", "South Africa", "sudafricano", ""},
	{"ZM", "Zambia", "Zambia", "zambiano", ""},
	{"ZW", "Zimbabue", "Zimbabwe", "zimbabuense", ""},
}
