package reports

import (
	"regexp"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// redactor blanks a person's sensitive values (document number, phones,
// address) wherever they appear in free text, for the version of a case
// summary that goes to the other service. A nil redactor leaves text as
// it is.
type redactor struct {
	re   *regexp.Regexp
	mark string
}

// newRedactor returns a redactor for p's values, writing mark instead.
// Digits may be typed with spaces, dots or dashes between them, and
// letters in any case.
func newRedactor(p *data.Person, mark string) *redactor {
	var pats []string
	for _, v := range []string{p.DocNumber, p.Phone1, p.Phone2, p.Address} {
		v = strings.TrimSpace(v)
		if len(v) < 3 {
			continue
		}
		var b strings.Builder
		for i, r := range v {
			if i > 0 && r >= '0' && r <= '9' {
				b.WriteString(`[\s.\-]?`)
			}
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
		pats = append(pats, b.String())
	}
	r := &redactor{mark: mark}
	if len(pats) > 0 {
		r.re = regexp.MustCompile(`(?i)` + strings.Join(pats, "|"))
	}
	return r
}

// clean returns s with the sensitive values replaced.
func (r *redactor) clean(s string) string {
	if r == nil || r.re == nil {
		return s
	}
	return r.re.ReplaceAllString(s, r.mark)
}
