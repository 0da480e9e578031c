package reports

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// TestEnglishForEveryDocumentString finds every literal passed to a
// Lang's t or tf in the package's source and fails on any without an
// English entry.
func TestEnglishForEveryDocumentString(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "t" && sel.Sel.Name != "tf") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			found++
			if _, ok := english[s]; !ok {
				t.Errorf("%s: %q has no English in i18n_en.go", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if found < 100 {
		t.Errorf("found only %d strings: is the parser looking in the right place?", found)
	}
}

// TestEnglishForDataLabels checks the labels documents take from the data
// package have English too.
func TestEnglishForDataLabels(t *testing.T) {
	var labels []string
	for _, s := range data.Statuses {
		labels = append(labels, s.Label())
	}
	for _, a := range data.Areas {
		labels = append(labels, a.Label())
	}
	for _, o := range data.Outcomes {
		labels = append(labels, o.Label())
	}
	for _, r := range data.ExclusionReasons {
		labels = append(labels, data.ExclusionLabel(r))
	}
	for _, k := range data.EventKinds {
		labels = append(labels, k.Label())
	}
	for _, ind := range data.Indicators {
		labels = append(labels, ind.Label)
	}
	for _, k := range data.DocKinds {
		labels = append(labels, k.Label())
	}
	for n := 0; n <= data.ITLevelMax; n++ {
		labels = append(labels, data.ITLevelLabel(n))
	}
	labels = append(labels, data.EducationLevels...)
	for _, p := range data.DefaultProgramme().Profiles {
		labels = append(labels, p.Name)
	}
	for _, l := range labels {
		if _, ok := english[l]; !ok {
			t.Errorf("data label %q has no English in i18n_en.go", l)
		}
	}
}

// TestEnglishKeepsVerbsAndGlyphs checks each translation has the same
// formatting verbs as its Spanish, and that the fonts can draw every
// character of both.
func TestEnglishKeepsVerbsAndGlyphs(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	cov := coverage()
	for es, en := range english {
		if a, b := verbs.FindAllString(es, -1), verbs.FindAllString(en, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%q has verbs %v but its English %q has %v", es, a, en, b)
		}
		for _, r := range es + en {
			if !cov[r] {
				t.Errorf("the fonts cannot draw %q (in %q)", r, es)
			}
		}
	}
}

func TestLangOf(t *testing.T) {
	for code, want := range map[string]Lang{"en": English, "en-GB": English, "EN_us": English, "es": Spanish, "": Spanish, "fr": Spanish} {
		if got := LangOf(code); got != want {
			t.Errorf("LangOf(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestLongDate(t *testing.T) {
	d := data.Date{Year: 2022, Month: 11, Day: 30}
	if got := Spanish.longDate(d); got != "30 de noviembre de 2022" {
		t.Errorf("Spanish: %q", got)
	}
	if got := English.longDate(d); got != "30 November 2022" {
		t.Errorf("English: %q", got)
	}
}
