package ui

import (
	"github.com/enlace-madrid/enlace/reports"

	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	if err := SetLanguage("es"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// translationDir holds the translation files, relative to this package.
const translationDir = "../resources/translations"

// TestEveryStringHasEnglish finds every string literal passed to T in the
// package's (non-test) source and fails on any without an English entry.
func TestTranslationEveryStringHasEnglish(t *testing.T) {
	used := stringsPassedToT(t)
	if len(used) == 0 {
		t.Fatal("found no T(\"…\") calls: is the parser looking in the right place?")
	}
	english := allEnglish(t)
	var missing []string
	for s, where := range used {
		if _, ok := english[s]; !ok {
			missing = append(missing, where+": "+strconv.Quote(s))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d strings have no English translation in %s/*.en.json:\n%s",
			len(missing), translationDir, strings.Join(missing, "\n"))
	}
}

// TestTranslationFilesAreWellFormed checks every file parses and every
// English entry says something.
func TestTranslationFilesAreWellFormed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(translationDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no translation files in %s (%v)", translationDir, err)
	}
	for _, f := range files {
		tr := readTranslations(t, f)
		if !strings.HasSuffix(f, ".en.json") {
			continue
		}
		for k, v := range tr {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q has an empty translation", filepath.Base(f), k)
			}
		}
	}
}

// stringsPassedToT maps each literal first argument of T(...) in ui/*.go
// (tests excluded) to the first place it is used.
func stringsPassedToT(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	used := map[string]string{}
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
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "T" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			if _, seen := used[s]; !seen {
				used[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	return used
}

// allEnglish merges every *.en.json file: Spanish → English.
func allEnglish(t *testing.T) map[string]string {
	t.Helper()
	english := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(translationDir, "*.en.json"))
	for _, f := range files {
		for k, v := range readTranslations(t, f) {
			english[k] = v
		}
	}
	return english
}

// readTranslations parses a "Spanish": "translation" JSON file. A plural
// entry ({"one": …, "other": …}) counts as empty if any form is empty.
func readTranslations(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		t.Errorf("%s does not parse: %v", filepath.Base(path), err)
		return nil
	}
	tr := make(map[string]string, len(entries))
	for k, v := range entries {
		var s string
		if json.Unmarshal(v, &s) == nil {
			tr[k] = s
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil || len(forms) == 0 {
			t.Errorf("%s: %q is neither a string nor plural forms", filepath.Base(path), k)
			continue
		}
		tr[k] = forms["other"]
		for _, f := range forms {
			if strings.TrimSpace(f) == "" {
				tr[k] = ""
			}
		}
	}
	return tr
}

// TestTranslationAuditLabelsHaveEnglish: the change log's field labels
// and values come from reports and reach T as variables, which the check
// above cannot see.
func TestTranslationAuditLabelsHaveEnglish(t *testing.T) {
	english := allEnglish(t)
	var missing []string
	for _, s := range reports.AuditLabels() {
		if _, ok := english[s]; !ok {
			missing = append(missing, strconv.Quote(s))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d change-log labels have no English translation:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}
