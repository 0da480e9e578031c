package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// Lang is the language a document is written in.
type Lang string

// The languages documents are written in. Spanish is the default: the
// zero Lang is Spanish.
const (
	Spanish Lang = "es"
	English Lang = "en"
)

// LangOf returns the document language for an interface language code:
// English for "en" (and "en-GB", "en_US"…), Spanish for anything else.
func LangOf(code string) Lang {
	if strings.HasPrefix(strings.ToLower(code), "en") {
		return English
	}
	return Spanish
}

// t translates the Spanish text s, which is also the key. Text without an
// English entry (such as data typed by users) is returned as it is.
func (l Lang) t(s string) string {
	if l == English {
		if en, ok := english[s]; ok {
			return en
		}
	}
	return s
}

// tf translates the Spanish format and fills it with args.
func (l Lang) tf(format string, args ...any) string {
	return fmt.Sprintf(l.t(format), args...)
}

var monthsES = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// longDate writes d as a letter does: "30 de noviembre de 2022",
// "30 November 2022".
func (l Lang) longDate(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	if l == English {
		return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
	}
	return fmt.Sprintf("%d de %s de %d", d.Day, monthsES[d.Month-1], d.Year)
}

// dateTime writes t as dd/mm/aaaa hh:mm.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(data.Madrid()).Format("02/01/2006 15:04")
}

// shortDate writes the day of t as dd/mm/aaaa.
func shortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return data.DateOf(t.In(data.Madrid())).String()
}

// gender is the display name of g.
func (l Lang) gender(g data.Gender) string {
	switch g {
	case data.GenderWoman:
		return l.t("Mujer")
	case data.GenderMan:
		return l.t("Hombre")
	case data.GenderNonBinary:
		return l.t("No binario")
	case data.GenderUnknown:
		return l.t("No consta")
	}
	return string(g)
}

// country is the name of the country with ISO code code in l, or "".
func (l Lang) country(code string) string {
	if code == "" {
		return ""
	}
	if l == English {
		for _, c := range data.Countries() {
			if c.Code == code {
				return c.NameEN
			}
		}
	}
	return data.CountryName(code)
}

// yesNo is "Sí" or "No".
func (l Lang) yesNo(b bool) string {
	if b {
		return l.t("Sí")
	}
	return l.t("No")
}
