package ui

import (
	"encoding/json"
	"errors"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/resources"
)

// dataMessagesFile maps each message format of the data package, in
// Spanish exactly as it is written there, to its English format with the
// same verbs in the same order. data speaks Spanish (the CLI does too) and
// knows nothing of the interface's language; dataText turns what it says
// into English when the interface speaks English.
const dataMessagesFile = "translations/data.en.json"

// dataFormat is one Spanish message format of data and its English.
type dataFormat struct {
	re     *regexp.Regexp // the whole Spanish message, a group per verb
	en     []string       // the English format's literal parts, around its verbs
	weight int            // literal characters: the more, the more specific
	wraps  []bool         // which verbs are %w: an error, itself a message
}

// dataCatalog is data.en.json compiled, and the keys of the other
// translation files, which captured values may be.
type dataCatalog struct {
	formats []dataFormat
	keys    map[string]bool
}

// fmtVerb matches a fmt verb with its flags, width, precision and argument
// index, or a literal %%.
var fmtVerb = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// dataMessages is compiled once, on first use.
var dataMessages = sync.OnceValues(loadDataCatalog)

// dataText returns msg, a message of the data package, in the interface's
// language: in Spanish as it is, in English the English of the Spanish
// format that matches the whole of msg (the most specific when several
// do), filled with the values msg carries, themselves translated when they
// are data wordings or interface strings (a document kind, a role). A
// message without a format is returned as it is.
func dataText(msg string) string {
	if msg == "" || !english() {
		return msg
	}
	c, err := dataMessages()
	if err != nil {
		return msg
	}
	out, _ := c.translate(msg, 0)
	return out
}

// dataErrorText is dataText of err's message.
func dataErrorText(err error) string { return dataText(err.Error()) }

// validationText is ve.Error() with each field's message in the
// interface's language.
func validationText(ve *data.ValidationError) string {
	msgs := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		msgs[i] = dataText(f.Message)
	}
	return strings.Join(msgs, " ")
}

// maxDataDepth bounds how deep values inside values are translated.
const maxDataDepth = 8

// translate returns s in English and whether anything knew it: s whole,
// or the messages an error chain joins.
func (c *dataCatalog) translate(s string, depth int) (string, bool) {
	if out, ok := c.whole(s, depth); ok {
		return out, true
	}
	return c.translateJoined(s, depth)
}

// whole returns s in English when a format, a key or a list knows all
// of it.
func (c *dataCatalog) whole(s string, depth int) (string, bool) {
	if depth > maxDataDepth || s == "" {
		return s, false
	}
	if out, ok := c.byFormat(s, depth); ok {
		return out, true
	}
	if c.keys[s] {
		return T(s), true
	}
	if !strings.HasSuffix(s, ".") && strings.Contains(s, " ") {
		// A sentence data quotes inside another without its full stop.
		if out, ok := c.whole(s+".", depth+1); ok {
			return strings.TrimSuffix(out, "."), true
		}
	}
	return c.translateList(s, depth)
}

// byFormat returns s in the English of the format that matches it, the
// most specific first, its values translated. Where a format's lazy
// groups split s at the wrong ": " (an error held in %w with a colon of
// its own), the error comes out untranslated; a less specific format
// whose every %w translates is then taken instead.
func (c *dataCatalog) byFormat(s string, depth int) (string, bool) {
	type match struct {
		f      *dataFormat
		groups []string
	}
	var matches []match
	for i := range c.formats {
		f := &c.formats[i]
		if m := f.re.FindStringSubmatch(s); m != nil {
			matches = append(matches, match{f, m[1:]})
		}
	}
	if len(matches) == 0 {
		return s, false
	}
	sort.SliceStable(matches, func(i, j int) bool { return matches[i].f.weight > matches[j].f.weight })
	first := ""
	for n, m := range matches {
		var b strings.Builder
		whole := true
		for i, part := range m.f.en {
			b.WriteString(part)
			if i < len(m.groups) {
				v, _ := c.translate(m.groups[i], depth+1)
				if m.f.wraps[i] && v == m.groups[i] {
					whole = false
				}
				b.WriteString(v)
			}
		}
		if whole {
			return b.String(), true
		}
		if n == 0 {
			first = b.String()
		}
	}
	return first, true
}

// joins are where data puts an error next to what it says of it without
// a word of its own ("%w: %s" with a path, "%w (%d): %s", "%w (%s)"),
// so no format of data.en.json holds them.
var joins = []string{": ", " ("}

// translateJoined translates "message: detail" and "message (detail)",
// where message is a data message, whole (it may hold ": " itself), and
// the detail is translated too when data knows it (a path or a server's
// words stay as they are). The first, shortest, message that translates
// wins; when none does, a detail that translates after a head that does
// not ("%s: %w"); only a message that translates has its detail split
// again, so that unknown text costs a number of tries that grows with the
// square of its joins, not exponentially. A side "translates" when its English differs: a
// format such as "%s (%s)." matches most text and knows nothing of it.
func (c *dataCatalog) translateJoined(s string, depth int) (string, bool) {
	if depth > maxDataDepth {
		return s, false
	}
	var cuts []int
	for i := 0; i < len(s); i++ {
		for _, j := range joins {
			if strings.HasPrefix(s[i:], j) && i > 0 {
				cuts = append(cuts, i)
			}
		}
	}
	for _, i := range cuts {
		if head, ok := c.whole(s[:i], depth+1); ok && head != s[:i] {
			tail, _ := c.translate(s[i+2:], depth+1)
			return head + s[i:i+2] + tail, true
		}
	}
	for _, i := range cuts {
		if tail, ok := c.whole(s[i+2:], depth+1); ok && tail != s[i+2:] {
			return s[:i+2] + tail, true
		}
	}
	return s, false
}

// translateList translates "a, b o c" and "a y b" (data's lists, such as
// the roles that may do something or "2 años y 3 meses") when every item
// translates.
func (c *dataCatalog) translateList(s string, depth int) (string, bool) {
	for _, conj := range []struct{ es, en string }{{" o ", " or "}, {" y ", " and "}} {
		i := strings.LastIndex(s, conj.es)
		if i <= 0 {
			continue
		}
		items := append(strings.Split(s[:i], ", "), s[i+len(conj.es):])
		for j, it := range items {
			tr, ok := c.whole(it, depth+1)
			if !ok {
				return s, false
			}
			items[j] = tr
		}
		last := len(items) - 1
		return strings.Join(items[:last], ", ") + conj.en + items[last], true
	}
	return s, false
}

// loadDataCatalog compiles data.en.json and collects the keys of the
// other translation files.
func loadDataCatalog() (*dataCatalog, error) {
	entries, err := dataMessageEntries()
	if err != nil {
		return nil, err
	}
	c := &dataCatalog{keys: map[string]bool{}}
	for es, en := range entries {
		f, err := compileDataFormat(es, en)
		if err != nil {
			return nil, err
		}
		c.formats = append(c.formats, f)
	}
	files, err := fs.Glob(resources.Translations, "translations/*.en.json")
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		if name == dataMessagesFile || strings.HasPrefix(path.Base(name), "fyne.") {
			continue
		}
		raw, err := fs.ReadFile(resources.Translations, name)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		for k := range m {
			c.keys[k] = true
		}
	}
	return c, nil
}

// dataMessageEntries reads data.en.json.
func dataMessageEntries() (map[string]string, error) {
	raw, err := fs.ReadFile(resources.Translations, dataMessagesFile)
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// compileDataFormat turns a Spanish format into an anchored regexp with a
// lazy group per verb (digits for %d, one character for %c) and splits
// the English format around its verbs. Both must have as many verbs.
func compileDataFormat(es, en string) (dataFormat, error) {
	var re strings.Builder
	re.WriteString(`(?s)^`)
	weight, last, verbs := 0, 0, 0
	var wraps []bool
	for _, loc := range fmtVerb.FindAllStringIndex(es, -1) {
		lit := es[last:loc[0]]
		re.WriteString(regexp.QuoteMeta(lit))
		weight += len(lit)
		last = loc[1]
		verb := es[loc[0]:loc[1]]
		switch verb[len(verb)-1] {
		case '%':
			re.WriteString(`%`)
			weight++
			continue
		case 'd':
			re.WriteString(`([-+]?[0-9]+)`)
		case 'c':
			re.WriteString(`(.)`)
		default:
			re.WriteString(`(.*?)`)
		}
		verbs++
		wraps = append(wraps, verb[len(verb)-1] == 'w')
	}
	re.WriteString(regexp.QuoteMeta(es[last:]))
	weight += len(es) - last
	re.WriteString(`$`)
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		return dataFormat{}, err
	}
	var parts []string
	last = 0
	for _, loc := range fmtVerb.FindAllStringIndex(en, -1) {
		if en[loc[1]-1] == '%' {
			continue // %% stays in the literal, unescaped below
		}
		parts = append(parts, en[last:loc[0]])
		last = loc[1]
	}
	parts = append(parts, en[last:])
	for i := range parts {
		parts[i] = strings.ReplaceAll(parts[i], "%%", "%")
	}
	if len(parts)-1 != verbs {
		return dataFormat{}, errors.New("data.en.json: «" + es + "» and «" + en + "» have different verbs")
	}
	return dataFormat{re: compiled, en: parts, weight: weight, wraps: wraps}, nil
}

// translatedErr is err with its data message in the interface's
// language, for an entry's as-you-type check; nil stays nil.
func translatedErr(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(dataText(err.Error()))
}
