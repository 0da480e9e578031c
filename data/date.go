package data

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day with no time of day and no time zone: a birth
// date, an arrival date, a document's expiry. The zero Date means "not known".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	default:
		return cmp(d.Day, e.Day)
	}
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// YearsAt returns the whole years from d to on (an age, a stay in Spain).
// A person born on 29 February turns a year older on 1 March in common years.
func (d Date) YearsAt(on Date) int {
	years := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		years--
	}
	return years
}

// String formats d as dd/mm/aaaa, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// ISO formats d as aaaa-mm-dd, or "" for the zero Date.
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText writes d as aaaa-mm-dd (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.ISO()), nil }

// UnmarshalText reads aaaa-mm-dd; the empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse("2006-01-02", string(b))
	if err != nil {
		return fmt.Errorf("fecha %q: %w", b, err)
	}
	*d = DateOf(t)
	return nil
}

// ParseDate reads a date as a person types it in Spain: dd/mm/aaaa, also
// with one-digit day or month and with '-' or '.' between the parts. The
// empty string gives the zero Date and no error. The error is a Spanish
// sentence for the user.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	sep := strings.IndexAny(s, "/-.")
	if sep < 0 {
		return Date{}, fmt.Errorf("La fecha «%s» no tiene el formato dd/mm/aaaa.", s)
	}
	parts := strings.Split(s, s[sep:sep+1]) // one separator, used twice
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return Date{}, fmt.Errorf("La fecha «%s» no tiene el formato dd/mm/aaaa.", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" || strings.IndexFunc(p, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			return Date{}, fmt.Errorf("La fecha «%s» no tiene el formato dd/mm/aaaa.", s)
		}
		n[i] = v
	}
	d := Date{Year: n[2], Month: time.Month(n[1]), Day: n[0]}
	if d.Month < 1 || d.Month > 12 {
		return Date{}, fmt.Errorf("La fecha «%s» tiene un mes que no existe.", s)
	}
	if d.Year < 1900 || d.Year > 2200 {
		return Date{}, fmt.Errorf("La fecha «%s» tiene un año fuera de rango.", s)
	}
	if d.Day < 1 || d.Day > daysIn(d.Month, d.Year) {
		return Date{}, fmt.Errorf("La fecha «%s» tiene un día que no existe en ese mes.", s)
	}
	return d, nil
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MadridDate is the date of t in Madrid: the programme's day whatever
// zone the PC is set to (a PC on UTC would still be on yesterday until
// 01:00).
func MadridDate(t time.Time) Date { return DateOf(t.In(Madrid())) }

// AddDays returns the day n calendar days after d (before, if n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Today is the store's current date in Madrid.
func (s *Store) Today() Date { return MadridDate(s.now()) }
