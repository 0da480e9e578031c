package data

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) != 249 {
		t.Errorf("Countries() has %d countries, want the 249 of ISO 3166-1", len(cs))
	}
	if !sort.SliceIsSorted(cs, func(i, j int) bool { return Fold(cs[i].Name) < Fold(cs[j].Name) }) {
		t.Error("Countries() is not sorted by Spanish name")
	}
	if cs[0].Code != "AF" {
		t.Errorf("first country = %+v, want Afganistán", cs[0])
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if len(c.Code) != 2 || c.Code[0] < 'A' || c.Code[0] > 'Z' || c.Code[1] < 'A' || c.Code[1] > 'Z' {
			t.Errorf("bad code %q", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("code %q twice", c.Code)
		}
		seen[c.Code] = true
		if c.Name == "" || c.NameEN == "" {
			t.Errorf("%s has no name: %+v", c.Code, c)
		}
		for _, text := range []string{c.Code, c.Name, c.NameEN} {
			if got, ok := LookupCountry(text); !ok || got != c.Code {
				t.Errorf("LookupCountry(%q) = %q, %v, want %s", text, got, ok, c.Code)
			}
		}
	}
	cs[0].Name = "changed"
	if Countries()[0].Name == "changed" {
		t.Error("Countries() returns shared storage")
	}
}

func TestCountryTableHasNoConflicts(t *testing.T) {
	if c := countryIndex().conflicts; len(c) > 0 {
		t.Errorf("names or demonyms claimed by two countries: %q", c)
	}
}

func TestCountriesOfOriginHaveDemonyms(t *testing.T) {
	// Latin America, the EU and the usual African and Asian origins.
	codes := "AR BO BR CL CO CR CU DO EC GT HN HT MX NI PA PE PR PY SV UY VE " +
		"AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK " +
		"DZ MA TN EG SN ML GN GQ GM GH NG CM CI MR SD SS ER ET SO " +
		"CN PH PK BD IN NP GE RU UA AM AZ SY IQ IR AF VN KR JP TR GB US AL MD RS BA"
	for _, code := range strings.Fields(codes) {
		i, ok := countryIndex().byCode[code]
		if !ok {
			t.Errorf("%s not in table", code)
			continue
		}
		if countryTable[i].demonyms == "" {
			t.Errorf("%s (%s) has no demonym", code, countryTable[i].name)
		}
	}
}

func TestCountryName(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"VE", "Venezuela"}, {"ve", "Venezuela"}, {"ES", "España"}, {"CI", "Costa de Marfil"},
		{"XX", ""}, {"", ""}, {"XK", ""},
	} {
		if got := CountryName(tc.code); got != tc.want {
			t.Errorf("CountryName(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestLookupCountry(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"venezolana", "VE"}, {"PERU", "PE"}, {"Peruano", "PE"}, {"hondureña", "HN"}, {"marroquí", "MA"},
		{"ucraniano", "UA"}, {"colombiana", "CO"}, {"ecuatoriano", "EC"}, {"sudanés", "SD"},
		{"salvadoreña", "SV"}, {"argentino", "AR"}, {"boliviana", "BO"}, {"española", "ES"},
		{"rumana", "RO"}, {"china", "CN"}, {"dominicana", "DO"}, {"paraguaya", "PY"},
		{"brasileña", "BR"}, {"nigeriana", "NG"}, {"senegalés", "SN"}, {"filipina", "PH"},
		{"pakistaní", "PK"}, {"bangladesí", "BD"}, {"georgiana", "GE"}, {"rusa", "RU"},
		{"siria", "SY"}, {"maliense", "ML"}, {"guineana", "GN"}, {"cubana", "CU"},
		{"nicaragüense", "NI"}, {"mexicana", "MX"}, {"chilena", "CL"}, {"uruguaya", "UY"},
		{"estadounidense", "US"}, {"francesa", "FR"}, {"italiana", "IT"}, {"portuguesa", "PT"},
		{"británica", "GB"}, {"alemana", "DE"},
		{"venezolanos", "VE"}, {"marroquíes", "MA"}, {"senegaleses", "SN"}, {"alemanes", "DE"},
		{"españoles", "ES"}, {"NICARAGUENSE", "NI"}, {"  Ecuatoriana ", "EC"}, {"sursudanés", "SS"},
		{"ecuatoguineana", "GQ"}, {"marfileño", "CI"}, {"letona", "LV"}, {"belgas", "BE"},
		{"ve", "VE"}, {"MA", "MA"}, {"Venezuela", "VE"}, {"Perú", "PE"}, {"Morocco", "MA"},
		{"Spain", "ES"}, {"EE. UU.", "US"}, {"EEUU", "US"}, {"U.S.A.", "US"}, {"Holanda", "NL"},
		{"Côte d'Ivoire", "CI"}, {"costa de marfil", "CI"}, {"República Dominicana", "DO"},
		{"Guinea-Bissau", "GW"}, {"guinea bissau", "GW"}, {"Birmania", "MM"}, {"Türkiye", "TR"},
		{"Reino Unido", "GB"}, {"Inglaterra", "GB"}, {"RD Congo", "CD"}, {"Congo", "CG"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got, ok := LookupCountry(tc.in); !ok || got != tc.want {
				t.Errorf("LookupCountry(%q) = %q, %v, want %s", tc.in, got, ok, tc.want)
			}
		})
	}
	for _, in := range []string{"", "  ", "Atlantis", "coreano", "congoleño", "latino", "XX", "."} {
		t.Run("unknown "+in, func(t *testing.T) {
			if got, ok := LookupCountry(in); ok || got != "" {
				t.Errorf("LookupCountry(%q) = %q, %v, want nothing", in, got, ok)
			}
		})
	}
}

func TestDemonymForms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"venezolano", []string{"venezolano", "venezolana", "venezolanos", "venezolanas"}},
		{"frances", []string{"frances", "francesa", "franceses", "francesas"}},
		{"aleman", []string{"aleman", "alemana", "alemanes", "alemanas"}},
		{"espanol", []string{"espanol", "espanola", "espanoles", "espanolas"}},
		{"marroqui", []string{"marroqui", "marroquies", "marroquis"}},
		{"estadounidense", []string{"estadounidense", "estadounidenses"}},
		{"belga", []string{"belga", "belgas"}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := demonymForms(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("demonymForms(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
