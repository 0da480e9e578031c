package data

import (
	"fmt"
	"strings"
)

// SMITable holds the monthly Salario Mínimo Interprofesional by year, in
// cents: the monthly amount without any share of the extra payments, as
// art. 7.2.a asks. It is edited in Ajustes.
type SMITable map[int]int64

// DefaultSMI returns the SMI of 2018–2025 (Reales Decretos of each year;
// for 2021 the amount in force from September, 965 €).
func DefaultSMI() SMITable {
	return SMITable{2018: 73590, 2019: 90000, 2020: 95000, 2021: 96500, 2022: 100000,
		2023: 108000, 2024: 113400, 2025: 118400}
}

// Validate checks every year and amount and returns a *ValidationError or
// nil.
func (t SMITable) Validate() error {
	var pr problems
	for y, c := range t {
		switch {
		case y < 2000 || y > 2100:
			pr.add("SMI", fmt.Sprintf("El año %d del SMI no es válido.", y))
		case c < 10000 || c > 1000000:
			pr.add("SMI", fmt.Sprintf("El SMI de %d debe estar entre 100 y 10.000 € al mes.", y))
		}
	}
	return pr.err()
}

// FormatEuros writes cents as Spanish money: "1.134,00 €", "-0,50 €".
func FormatEuros(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := fmt.Sprint(cents / 100)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "." + whole[i:]
	}
	return fmt.Sprintf("%s%s,%02d €", sign, whole, cents%100)
}

// ParseEuros reads an amount as typed in Spain into cents: "1.134,00",
// "1134", "735,9", "1134,00 €". A dot is a thousands separator when three
// digits follow it and there is no comma ("1.134"), else the decimal
// point ("735.90"). The error is a Spanish sentence.
func ParseEuros(s string) (int64, error) {
	in := s
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	bad := fmt.Errorf("El importe «%s» no es válido: escríbalo como 1.134,00.", userText(strings.TrimSpace(in)))
	if s == "" {
		return 0, bad
	}
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	} else if i := strings.LastIndexByte(s, '.'); i >= 0 && len(s)-i-1 == 3 {
		s = strings.ReplaceAll(s, ".", "")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || len(frac) > 2 || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, bad
	}
	frac += strings.Repeat("0", 2-len(frac))
	var cents int64
	for _, r := range whole + frac {
		cents = cents*10 + int64(r-'0')
	}
	return cents, nil
}
