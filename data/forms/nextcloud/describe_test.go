package nextcloud

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
)

// TestDescribeRoundTrip: a form created as Describe says, answered with
// each of its options, imports with nothing to review; its patterns take
// the answers the import reads and refuse the ones it cannot.
func TestDescribeRoundTrip(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "enlace.db"))
	defer s.Close()
	spec, err := Describe(s)
	if err != nil {
		t.Fatal(err)
	}
	crit, _ := s.Criteria(data.FromAE)
	if len(crit) == 0 || !strings.Contains(spec.Description, crit[0].Text) {
		t.Errorf("the description lacks the stored criteria: %q", spec.Description)
	}
	if len(spec.Questions) != 21 {
		t.Fatalf("%d questions", len(spec.Questions))
	}
	// The form as the app would hold it: other texts, mapped by name.
	var f Form
	f.ID = 9
	var level, it *SpecQuestion
	for i := range spec.Questions {
		q := &spec.Questions[i]
		f.Questions = append(f.Questions, Question{ID: 100 + q.Number, Order: q.Number, Type: q.Type, Text: "Pregunta " + q.Name, Name: q.Name})
		switch q.Number {
		case 8:
			level = q
		case 20:
			it = q
		}
	}
	var subs []Submission
	for i := 0; i < len(level.Options); i++ { // more levels than IT options
		lv, opt := level.Options[i], it.Options[i%len(it.Options)]
		subs = append(subs, Submission{ID: i + 1, Timestamp: 1764840225 + int64(i), Answers: []Answer{
			{QuestionID: 101, Text: "Persona De Prueba" + strings.Repeat("a", i)},
			{QuestionID: 107, Text: "NIE X1234567L caduca 12/05/2027"},
			{QuestionID: 108, Text: lv},
			{QuestionID: 118, Text: "Laura Martín, AE, laura.martin@madrid.es, AZ Tetuán"},
			{QuestionID: 120, Text: opt},
		}})
	}
	file, err := File("https://nube.example.org", f, subs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range file.Rows {
		if len(r.Problems) > 0 {
			t.Errorf("answer %d (%q, %q): %v", i, subs[i].Answers[2].Text, subs[i].Answers[4].Text, r.Problems)
		}
		if data.ITLevelLabel(r.Person.ITLevel) != subs[i].Answers[4].Text {
			t.Errorf("IT level %q read as %d", subs[i].Answers[4].Text, r.Person.ITLevel)
		}
	}
	for _, q := range spec.Questions {
		if q.Validation != "regex" {
			continue
		}
		re := regexp.MustCompile("(?i)" + strings.TrimSuffix(strings.TrimPrefix(q.Pattern, "/"), "/i"))
		re = regexp.MustCompile(strings.TrimSuffix(re.String(), "/"))
		good, bad := map[int][]string{
			7:  {"NIE X1234567L caducidad 12/05/2027", "DNI 12345678Z", "Pasaporte AB123456, caduca 01/01/2029", "TIE Y-1234567-X hasta 03/2028"},
			10: {"612 345 678 / 913456789", "+51 987 654 321", "+44 (0)20 7946 0958"},
		}[q.Number], map[int][]string{7: {"no tiene", "NIE"}, 10: {"no", "612 34"}}[q.Number]
		for _, g := range good {
			if !re.MatchString(g) {
				t.Errorf("question %d: the pattern refuses %q", q.Number, g)
			}
		}
		for _, b := range bad {
			if re.MatchString(b) {
				t.Errorf("question %d: the pattern takes %q", q.Number, b)
			}
		}
	}
	if txt := spec.Text(); !strings.Contains(txt, "nombre técnico: p7") || !strings.Contains(txt, "opciones: Ninguno | Básico | Medio | Avanzado") {
		t.Errorf("text:\n%s", txt)
	}
}
