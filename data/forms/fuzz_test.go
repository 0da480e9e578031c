package forms

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/enlace-madrid/enlace/data"
)

// FuzzRead feeds Read anything: it must not panic, every row it returns
// must have a hash and its line, and writing every row back must give a
// file that reads to the same rows.
func FuzzRead(f *testing.F) {
	// Small seeds: the fuzzer minimises every input that finds new code,
	// and minimising the 3 KB testdata files takes most of a short run.
	head := "Marca temporal,1. Nombre,7. Tipo de documento,10. Teléfono,16. Nacionalidad,18. Persona que rellena este formulario,Género\r\n"
	for _, seed := range []string{
		head + "15/09/2022 10:23:45,MARÍA PÉREZ,NIE X1234567L caducidad 12/05/2024,612 345 678 / 913456789,venezolana,\"Laura Martín, AE, laura@madrid.es, AZ Tetuán\",Mujer\r\n",
		head + "16/09/2022 9:05:00,Jorge,\"Pasaporte AB123456, caduca 01/01/2027\",,PERU,\"Pedro \"\"Sanz\"\"\r\nOMIOPI\",x,extra\r\n",
		strings.ReplaceAll(head, ",", ";") + "17/09/2022;\xc9MILE;DNI 12345678Z;;Peruano;Oficina Norte;H\n",
		"\xef\xbb\xbf" + head + "31/02/2022,Ana,X1234567A,,,AE,\n,,,,,,\n",
		csvText([][]string{minimalHeader, {"15/09/2022", "ANA", "AE", "peru"}}, '\t', "\n"),
		"Marca temporal,Nombre,18\n\"a\nb\",\"c\"\"d\",e\r\n,,\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		file, err := Read(strings.NewReader(in))
		if err != nil {
			return
		}
		all := make([]int, len(file.Rows))
		for i, r := range file.Rows {
			all[i] = i
			if len(r.Hash) != 64 || r.Line < 2 {
				t.Fatalf("row %d: hash %q, line %d", i, r.Hash, r.Line)
			}
			for _, p := range r.Problems {
				if p.Line != r.Line || !utf8.ValidString(p.Message) {
					t.Fatalf("row at line %d has problem %+v", r.Line, p)
				}
			}
		}
		var out bytes.Buffer
		if err := file.WriteRejected(&out, all); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&out)
		if err != nil {
			t.Fatalf("rows written back do not read: %v\n%q", err, out.Bytes())
		}
		if len(back.Rows) != len(file.Rows) {
			t.Fatalf("%d rows written back read as %d", len(file.Rows), len(back.Rows))
		}
		for i := range back.Rows {
			if back.Rows[i].Hash != file.Rows[i].Hash || !slices.Equal(back.Rows[i].Cells, file.Rows[i].Cells) {
				t.Fatalf("row %d changed when written back: %q → %q", i, file.Rows[i].Cells, back.Rows[i].Cells)
			}
		}
	})
}

// FuzzParseDocument: no panic; what it accepts passes data.CheckDocument.
func FuzzParseDocument(f *testing.F) {
	for _, tc := range documentCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, review, err := ParseDocument(s)
		if err != nil {
			if d != (Document{}) {
				t.Fatalf("ParseDocument(%q) = %+v with error %v", s, d, err)
			}
			return
		}
		if d.Number != "" && data.CheckDocument(d.Kind, d.Number) != nil {
			t.Fatalf("ParseDocument(%q) = %+v, which CheckDocument refuses: %v", s, d, data.CheckDocument(d.Kind, d.Number))
		}
		if d.Number != data.NormalizeDocNumber(d.Number) {
			t.Fatalf("ParseDocument(%q) number %q is not normalised", s, d.Number)
		}
		if d.Number == "" && d.Kind != "" {
			t.Fatalf("ParseDocument(%q) = kind %q without a number", s, d.Kind)
		}
		if data.Fold(s) != "" && d.Number == "" && review == "" {
			t.Fatalf("ParseDocument(%q) read nothing and flagged nothing", s)
		}
	})
}

// FuzzParseReferrer: no panic; the parts are well formed.
func FuzzParseReferrer(f *testing.F) {
	for _, tc := range referrerCases {
		f.Add(tc.in)
	}
	known := []data.Office{{Name: "AZ Tetuán", Org: data.OrgAE}, {Name: "Oficina Norte", Org: data.OrgOMIOPI}, {Name: "", Org: data.OrgOther}}
	f.Fuzz(func(t *testing.T, s string) {
		ref, review := ParseReferrer(s, known)
		if ref.Email != strings.ToLower(ref.Email) || strings.ContainsAny(ref.Email, " \n") {
			t.Fatalf("ParseReferrer(%q) e-mail %q", s, ref.Email)
		}
		if ref.Org != "" && ref.Org != data.OrgAE && ref.Org != data.OrgOMIOPI {
			t.Fatalf("ParseReferrer(%q) organisation %q", s, ref.Org)
		}
		if ref.Name != strings.TrimSpace(ref.Name) || (ref.Name == "" && len(review) == 0) {
			t.Fatalf("ParseReferrer(%q) name %q, review %q", s, ref.Name, review)
		}
		if !slices.Contains(data.Roles, ref.Role) {
			t.Fatalf("ParseReferrer(%q) role %q", s, ref.Role)
		}
	})
}

// FuzzFreeText runs the other parsers of free text: names, nationality,
// phones, timestamp, gender, IT and education levels, driving licence.
func FuzzFreeText(f *testing.F) {
	for _, tc := range nameCases {
		f.Add(tc.in)
	}
	for _, tc := range nationalityCases {
		f.Add(tc.in)
	}
	for _, tc := range phoneCases {
		f.Add(tc.in)
	}
	f.Add("15/09/2022 10:23:45")
	f.Add("Sí, B y C1")
	f.Fuzz(func(t *testing.T, s string) {
		first, last := SplitName(s)
		if n, want := len(strings.Fields(first))+len(strings.Fields(last)), len(strings.Fields(strings.Replace(s, ",", " ", 1))); n != want {
			t.Fatalf("SplitName(%q) = %q, %q: %d words, want %d", s, first, last, n, want)
		}
		if code, origin, review := ParseNationality(s); code != "" && data.CountryName(code) == "" || review != "" && origin == "" {
			t.Fatalf("ParseNationality(%q) = %q, %q, %q", s, code, origin, review)
		}
		p1, p2, _ := ParsePhones(s)
		for _, p := range []string{p1, p2} {
			if n, err := data.NormalizePhone(p); err != nil || n != p {
				t.Fatalf("ParsePhones(%q) gave %q, not a stored phone (%q, %v)", s, p, n, err)
			}
		}
		if p2 != "" && (p1 == "" || p1 == p2) {
			t.Fatalf("ParsePhones(%q) = %q, %q", s, p1, p2)
		}
		if ts, err := ParseTimestamp(s); err == nil && ts.IsZero() {
			t.Fatalf("ParseTimestamp(%q) = zero time, no error", s)
		}
		if g, ok := ParseGender(s); ok && g != "" && !slices.Contains(data.Genders, g) {
			t.Fatalf("ParseGender(%q) = %q", s, g)
		}
		if l, ok := ParseITLevel(s); ok && data.CheckITLevel(l) != nil {
			t.Fatalf("ParseITLevel(%q) = %d", s, l)
		}
		if l, _, _ := ParseEducationLevel(s); l != "" && !slices.Contains(data.EducationLevels, l) {
			t.Fatalf("ParseEducationLevel(%q) = %q", s, l)
		}
		_ = ParseDrivingLicence(s)
	})
}
