package ui

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/test"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// inEnglish switches the interface to English for the rest of t.
func inEnglish(t *testing.T) {
	t.Helper()
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLanguage("es") })
}

// TestDataMessagesHaveEnglish finds every message the packages under
// ../data word for the user (see dataMessageRules) and fails on any
// without an entry in data.en.json.
func TestDataMessagesHaveEnglish(t *testing.T) {
	found := dataMessageLiterals(t)
	entries, err := dataMessageEntries()
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for s, where := range found {
		if _, ok := entries[s]; !ok {
			missing = append(missing, where+": "+strconv.Quote(s))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d data messages have no English in %s/data.en.json:\n%s",
			len(missing), translationDir, strings.Join(missing, "\n"))
	}
}

// dataMessageRule says which formats of one package under ../data reach
// the user.
type dataMessageRule struct {
	// chains: the ui shows this package's errors whole, the chain of
	// wrapping contexts included ("No se pudo sincronizar: lote 3 de
	// oficina_1: …"), so every errors.New and fmt.Errorf format with a
	// word in it is a message, lower case or not. Otherwise only those
	// that read as a sentence are (the ui turns the rest into its own
	// sentence with errors.Is and logs the detail).
	chains bool
	// records: the package's fmt.Sprintf formats are the text of records
	// it writes (demonstration data), not messages, and stay in Spanish
	// like anything a coordinator typed.
	records bool
	// prefixes: the package builds wrapping prefixes and messages with
	// fmt.Sprintf too ("claves del lote %d de %s", then "%s: %w"), so its
	// Sprintf formats with a word in them are messages like its errors'.
	prefixes bool
	// chainFiles are files of a package without chains whose errors
	// still reach the user whole: data's that data/sync's chains carry
	// (ApplyRemote, TakeOps, ResolveConflict, SkipBatch and what they
	// call), shown in the sync panel and its dialogs. Their errors.New
	// and fmt.Errorf formats with a word are messages.
	chainFiles []string
	// min is how many messages the package has at least, so that a
	// parser looking in the wrong place fails.
	min int
}

// notDataMessages are formats the rules would take for messages that
// are not: the text of records.
var notDataMessages = map[string]bool{
	"%s, en «%s»": true, // data/sync: the change log's author of another install's change
}

// dataMessageRules has a rule for every package under ../data; a new
// package makes TestDataMessagesHaveEnglish fail until it has one.
var dataMessageRules = map[string]dataMessageRule{
	"data":                               {min: 100, chainFiles: []string{"oplog.go", "sync_skip.go", "crypt.go", "merge.go", "audit.go", "errors.go"}},
	"data/sync":                          {chains: true, prefixes: true, min: 90}, // ui/sync*.go: panel, strip and dialogs show the chain
	"data/backup":                        {},                                      // ui/backup_banner.go's backupMessage, by errors.Is
	"data/forms":                         {chains: true, min: 10},                 // ui/import*.go: dataText of a problem or error
	"data/forms/acroform":                {chains: true, min: 5},
	"data/forms/nextcloud":               {chains: true, min: 10},
	"data/forms/nextcloud/nextcloudtest": {}, // a test server
	"data/demo":                          {records: true},
	"data/datatest":                      {}, // test helpers
	"data/nextcloud":                     {}, // best-effort purges: no message of its own
}

// dataMessageLiterals maps each user-facing message literal in the
// packages under ../data (tests excluded) to the first place it is
// written.
func dataMessageLiterals(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	err := filepath.WalkDir("../data", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		if len(files) == 0 {
			return nil
		}
		pkg := filepath.ToSlash(strings.TrimPrefix(dir, "../"))
		rule, ok := dataMessageRules[pkg]
		if !ok {
			t.Errorf("%s: no rule in dataMessageRules: say which of its messages reach the user", pkg)
			return nil
		}
		n := len(found)
		for _, name := range files {
			if !strings.HasSuffix(name, "_test.go") {
				dataFileMessages(t, name, rule, found)
			}
		}
		if got := len(found) - n; got < rule.min {
			t.Errorf("%s: found only %d messages, want at least %d: is the parser looking in the right place?", pkg, got, rule.min)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// dataFileMessages adds the messages of one file to found: the formats
// of fmt.Errorf, fmt.Sprintf and errors.New that the rule makes messages,
// FieldError messages and the validators' pr.add messages.
func dataFileMessages(t *testing.T, name string, rule dataMessageRule, found map[string]string) {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	note := func(e ast.Expr, isMessage func(string) bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
		}
		if _, seen := found[s]; !seen && !notDataMessages[s] && isMessage(s) {
			found[s] = fset.Position(lit.Pos()).String()
		}
	}
	always := func(string) bool { return true }
	errorFormat := readsAsSentence
	if rule.chains || slices.Contains(rule.chainFiles, filepath.Base(name)) {
		errorFormat = hasWords
	}
	sprintfFormat := readsAsSentence
	if rule.prefixes {
		sprintfFormat = hasWords
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || len(n.Args) == 0 {
				return true
			}
			pkg, _ := sel.X.(*ast.Ident)
			switch {
			case pkg != nil && pkg.Name == "fmt" && sel.Sel.Name == "Errorf",
				pkg != nil && pkg.Name == "errors" && sel.Sel.Name == "New":
				note(n.Args[0], errorFormat)
			case pkg != nil && pkg.Name == "fmt" && sel.Sel.Name == "Sprintf":
				if !rule.records {
					note(n.Args[0], sprintfFormat)
				}
			case sel.Sel.Name == "add" && len(n.Args) == 2: // problems.add(field, msg)
				note(n.Args[1], always)
			}
		case *ast.CompositeLit:
			if !isFieldError(n.Type) {
				return true
			}
			for _, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
						note(kv.Value, always)
					}
				}
			}
		}
		return true
	})
}

// isFieldError reports whether a composite literal's type is FieldError
// (data's own) or data.FieldError (a sub-package's).
func isFieldError(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "FieldError"
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "data" && e.Sel.Name == "FieldError"
	}
	return false
}

// readsAsSentence reports whether a format is worded for a person: it
// starts with a capital or «, or is several words ending in a full stop.
// Wrapping contexts such as "abrir %s: %w" are neither: they go to the
// log, and the user sees the sentence ErrorMessage makes of the error.
func readsAsSentence(s string) bool {
	s = strings.TrimLeft(s, " ")
	if !strings.Contains(s, " ") {
		return false // "RI/%d/%d", "%d h": codes and units
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || r == '«' || strings.HasSuffix(s, ".")
}

// hasWords reports whether a format says something besides its values:
// a word of two letters or more outside its verbs. "%w: %s" and
// "%w (%d): %s" only join messages (dataText translates each side), and
// one word alone ("formato") is a token that never reaches anyone.
func hasWords(s string) bool {
	if !strings.Contains(strings.TrimSpace(s), " ") {
		return false
	}
	run := 0
	for _, r := range fmtVerb.ReplaceAllString(s, " ") {
		if unicode.IsLetter(r) {
			if run++; run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// TestDataMessagesRoundTrip fills each Spanish format with sample values
// and checks dataText, in English, gives the English format filled with
// the same values.
func TestDataMessagesRoundTrip(t *testing.T) {
	entries, err := dataMessageEntries()
	if err != nil {
		t.Fatal(err)
	}
	inEnglish(t)
	for es, en := range entries {
		t.Run(es, func(t *testing.T) {
			esVerbs, enVerbs := verbsOf(es), verbsOf(en)
			if strings.Join(esVerbs, " ") != strings.Join(enVerbs, " ") {
				t.Fatalf("verbs differ: Spanish %v, English %v (%q)", esVerbs, enVerbs, en)
			}
			args := sampleArgs(esVerbs)
			msg := fmt.Sprintf(es, args...)
			want := fmt.Sprintf(en, args...)
			if got := dataText(msg); got != want {
				t.Errorf("dataText(%q)\n got %q\nwant %q", msg, got, want)
			}
		})
	}
}

// verbsOf lists the verbs of a format, %% left out.
func verbsOf(format string) []string {
	var out []string
	for _, v := range fmtVerb.FindAllString(format, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// sampleArgs gives a value for each verb that no translation knows.
func sampleArgs(verbs []string) []any {
	args := make([]any, len(verbs))
	for i, v := range verbs {
		switch v[len(v)-1] {
		case 'd':
			args[i] = 41 + i
		case 'c':
			args[i] = 'K'
		case 'w':
			args[i] = errors.New("zq-" + strconv.Itoa(i))
		default:
			args[i] = "zq-" + strconv.Itoa(i)
		}
	}
	return args
}

// TestDataTextValues: the values a message carries are translated too
// when they are data wordings (roles, what a permission allows, a stay in
// years and months), and a message without a format stays as it is.
func TestDataTextValues(t *testing.T) {
	inEnglish(t)
	forbidden := (&data.ForbiddenError{Perm: data.PermEditPeople, User: "laura"}).Error()
	cases := []struct{ name, in, want string }{
		{"forbidden", forbidden, "Your user (laura) cannot change records, timelines or reminders: that is a task for technician, section head or coordinator."},
		{"stay", "Lleva 2 años y 3 meses en España (llegó el 01/01/2022): menos de 6 meses.", "Has been in Spain for 2 years and 3 months (arrived on 01/01/2022): less than 6 months."},
		{"nested", "La puntuación de el tutor n.º 2 debe ser un número, como 7,25.", "The score of tutor no. 2 must be a number, like 7.25."},
		{"without its full stop", "La letra del DNI no es correcta: debería ser K (el tutor n.º 1).", "The DNI letter is not correct: it should be K (tutor no. 1)."},
		{"timeline", "Derivación AE → OMIOPI. Excluida: Derivación duplicada. Ya vino ayer.", "Referral AE → OMIOPI. Excluded: Duplicate referral. Ya vino ayer."},
		{"areas", "Derivación OMIOPI → AE. Derivada a Jurídico, Formación y Empleo.", "Referral OMIOPI → AE. Routed to Legal, Training and Employment."},
		{"unknown", "Algo que data no dice.", "Algo que data no dice."},
		{"sync chain", "lote 3 de sur: el dispositivo no es miembro del espacio: sur", "batch 3 from sur: the device is not a member of the space: sur"},
		{"cause with a colon, then a path", "el usuario no tiene permiso para escribir en la carpeta de sincronización (403): pida a quien la comparte que le dé permiso de edición: /heads/",
			"the user may not write to the sync folder (403): ask whoever shares it to give you edit permission: /heads/"},
		{"status and path", "el servidor respondió con un error: se volverá a intentar más tarde (500): /heads/", "the server answered with an error: it will be tried again later (500): /heads/"},
		{"detail after a value", "claves del lote 3 de sur: la firma no es válida: el fichero se ha alterado o no es de ese dispositivo (la de p1.sur)",
			"keys of batch 3 from sur: the signature is not valid: the file has been altered or is not from that device (the one for p1.sur)"},
		{"a colon inside %w", "lote 3 de sur: clave de persona p1.sur: la firma no es válida: el fichero se ha alterado o no es de ese dispositivo",
			"batch 3 from sur: person key p1.sur: the signature is not valid: the file has been altered or is not from that device"},
		{"unknown chain", "algo: otra cosa: y otra (más): fin", "algo: otra cosa: y otra (más): fin"},
		{"most specific", "Tiene 3 años de experiencia laboral en España y estudios superiores (Grado).", "Has 3 years of work experience in Spain and higher education (Grado)."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := dataText(tc.in); got != tc.want {
				t.Errorf("dataText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
	if err := SetLanguage("es"); err != nil {
		t.Fatal(err)
	}
	if got := dataText(forbidden); got != forbidden {
		t.Errorf("in Spanish dataText changed %q to %q", forbidden, got)
	}
}

// TestDataMessagesAgreeWithOtherFiles: data.en.json is loaded with the
// other files, so a Spanish string in both must have the same English.
func TestDataMessagesAgreeWithOtherFiles(t *testing.T) {
	entries, err := dataMessageEntries()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(translationDir, "*.en.json"))
	for _, f := range files {
		if filepath.Base(f) == "data.en.json" {
			continue
		}
		for k, v := range readTranslations(t, f) {
			if en, ok := entries[k]; ok && en != v {
				t.Errorf("%q: data.en.json says %q, %s says %q", k, en, filepath.Base(f), v)
			}
		}
	}
}

// TestErrorMessageInEnglish: a validation error's messages and a refusal
// naming the roles reach an English user in English.
func TestErrorMessageInEnglish(t *testing.T) {
	inEnglish(t)
	ve := &data.ValidationError{Fields: []data.FieldError{
		{Field: "FirstName", Message: "Falta el nombre."},
		{Field: "DocNumber", Message: "La letra del NIE no es correcta: debería ser L."},
	}}
	want := T("Revise los datos:") + " The first name is missing. The NIE letter is not correct: it should be L."
	if got := ErrorMessage(fmt.Errorf("guardar: %w", ve)); got != want {
		t.Errorf("ErrorMessage = %q, want %q", got, want)
	}
	fe := &data.ForbiddenError{Perm: data.PermUsers, User: "pepe"}
	if got := ErrorMessage(fe); got != "Your user (pepe) cannot manage users: that is a task for administrator." {
		t.Errorf("ErrorMessage(forbidden) = %q", got)
	}
}

// TestPeopleFormErrorsInEnglish: an NIE with the wrong letter is reported
// under the field in English when the interface speaks English.
func TestPeopleFormErrorsInEnglish(t *testing.T) {
	inEnglish(t)
	u, store := peopleTestApp(t)
	s := u.people
	s.onNew()
	f := s.form
	if f == nil {
		t.Fatal("onNew opened no form")
	}
	test.Type(f.firstName, "Lucía")
	test.Type(f.lastName, "Gómez")
	f.docKind.SetSelected(T(data.DocNIE.Label()))
	test.Type(f.docNumber, "X1234567A")
	test.Tap(f.save)

	if n := store.PersonCount(); n != 0 {
		t.Fatalf("invalid form saved: %d people", n)
	}
	want := "The NIE letter is not correct: it should be L."
	if l := f.errs["DocNumber"]; !l.Visible() || l.Text != want {
		t.Errorf("NIE error = %q (visible %v), want %q", l.Text, l.Visible(), want)
	}
}

// TestSyncChainsInEnglish: sync errors as the sync panel shows them,
// wrapping prefixes built with fmt.Sprintf and data's own included, have
// no Spanish left in English.
func TestSyncChainsInEnglish(t *testing.T) {
	inEnglish(t)
	sig := "la firma no es válida: el fichero se ha alterado o no es de ese dispositivo"
	cases := []struct{ in, want string }{
		{"lote 3 de sur: claves del lote 3 de sur: " + sig,
			"batch 3 from sur: keys of batch 3 from sur: the signature is not valid: the file has been altered or is not from that device"},
		{"claves de la instantánea 7 de norte: " + sig,
			"keys of snapshot 7 from norte: the signature is not valid: the file has been altered or is not from that device"},
		{(&esync.MassDeletionError{Removed: 90, Live: 100}).Error(),
			dataText(esync.ErrMassDeletion.Error()) + " (90 of 100)"},
		{"lote 4 de sur: persona p1.sur, grupo contacto: no encontrado", "batch 4 from sur: person p1.sur, group contacto: not found"},
		{"revisar conflicto: el otro valor no se puede leer: " + data.ErrNotFound.Error(), "review conflict: the other value cannot be read: not found"},
		{"omitir lote: este equipo no sincroniza", "skip batch: this computer does not sync"},
	}
	spanish := []string{"lote", "claves", "instantánea", "persona", "grupo", "encontrado", "revisar", "omitir", " de "}
	for _, c := range cases {
		got := dataText(c.in)
		if got != c.want {
			t.Errorf("dataText(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		for _, w := range spanish {
			if strings.Contains(got, w) {
				t.Errorf("dataText(%q) = %q keeps Spanish %q", c.in, got, w)
			}
		}
	}
}
