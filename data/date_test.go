package data

import (
	"strings"
	"testing"
	"time"
)

// dateCases are shared by TestParseDate and FuzzParseDate. wantErr is a
// piece of the expected message, "" when the date is valid.
var dateCases = []struct {
	name, in string
	want     Date
	wantErr  string
}{
	{"full", "02/01/2024", Date{2024, time.January, 2}, ""},
	{"one-digit day and month", "1/2/2024", Date{2024, time.February, 1}, ""},
	{"dashes", "1-2-2024", Date{2024, time.February, 1}, ""},
	{"dots", "01.02.2024", Date{2024, time.February, 1}, ""},
	{"spaces around", "  5/6/1990 ", Date{1990, time.June, 5}, ""},
	{"leap day", "29/02/2024", Date{2024, time.February, 29}, ""},
	{"leap day 2000", "29/02/2000", Date{2000, time.February, 29}, ""},
	{"31 december", "31/12/1999", Date{1999, time.December, 31}, ""},
	{"first year", "01/01/1900", Date{1900, time.January, 1}, ""},
	{"empty", "", Date{}, ""},
	{"blank", "   ", Date{}, ""},
	{"no leap day in common year", "29/02/2023", Date{}, "día que no existe"},
	{"no leap day in 1900", "29/02/1900", Date{}, "día que no existe"},
	{"31 april", "31/04/2024", Date{}, "día que no existe"},
	{"31 june", "31/6/2024", Date{}, "día que no existe"},
	{"day 32", "32/01/2024", Date{}, "día que no existe"},
	{"day 0", "0/1/2024", Date{}, "día que no existe"},
	{"month 13", "1/13/2024", Date{}, "mes que no existe"},
	{"month 0", "1/0/2024", Date{}, "mes que no existe"},
	{"iso refused", "2024-01-02", Date{}, "formato dd/mm/aaaa"},
	{"two-digit year", "1/2/24", Date{}, "formato dd/mm/aaaa"},
	{"year too early", "1/2/1899", Date{}, "año fuera de rango"},
	{"year too late", "1/2/2201", Date{}, "año fuera de rango"},
	{"two parts", "1/2", Date{}, "formato dd/mm/aaaa"},
	{"letters", "aa/bb/cccc", Date{}, "formato dd/mm/aaaa"},
	{"month name", "1 enero 2024", Date{}, "formato dd/mm/aaaa"},
	{"negative month", "1/-2/2024", Date{}, "formato dd/mm/aaaa"},
	{"empty part", "1//2/2024", Date{}, "formato dd/mm/aaaa"},
	{"plus sign", "+1/2/2024", Date{}, "formato dd/mm/aaaa"},
	{"mixed separators", "1/2-2024", Date{}, "formato dd/mm/aaaa"},
	{"trailing separator", "/1/2/2024/", Date{}, "formato dd/mm/aaaa"},
}

func TestParseDate(t *testing.T) {
	for _, tc := range dateCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			wantErr(t, err, tc.wantErr)
			if got != tc.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestDateYearsAt(t *testing.T) {
	leap := Date{2000, time.February, 29}
	born := Date{1990, time.June, 15}
	for _, tc := range []struct {
		name     string
		from, on Date
		want     int
	}{
		{"day before birthday", born, Date{2020, time.June, 14}, 29},
		{"on birthday", born, Date{2020, time.June, 15}, 30},
		{"day after birthday", born, Date{2020, time.June, 16}, 30},
		{"month before", born, Date{2020, time.May, 31}, 29},
		{"same day", born, born, 0},
		{"29 feb: 28 feb of common year", leap, Date{2001, time.February, 28}, 0},
		{"29 feb: 1 march of common year", leap, Date{2001, time.March, 1}, 1},
		{"29 feb: 28 feb of leap year", leap, Date{2004, time.February, 28}, 3},
		{"29 feb: 29 feb of leap year", leap, Date{2004, time.February, 29}, 4},
		{"31 dec to 1 jan", Date{2023, time.December, 31}, Date{2024, time.January, 1}, 0},
		{"before birth", born, Date{1989, time.June, 15}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.from.YearsAt(tc.on); got != tc.want {
				t.Errorf("%v.YearsAt(%v) = %d, want %d", tc.from, tc.on, got, tc.want)
			}
		})
	}
}

func TestDateCompareAndFormat(t *testing.T) {
	a, b := Date{2024, time.January, 31}, Date{2024, time.February, 1}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 {
		t.Errorf("Compare: %v vs %v wrong", a, b)
	}
	if a.Compare(Date{2023, time.December, 31}) != 1 || a.Compare(Date{2024, time.January, 30}) != 1 {
		t.Error("Compare across year or day wrong")
	}
	if got := b.String(); got != "01/02/2024" {
		t.Errorf("String() = %q", got)
	}
	if got := b.ISO(); got != "2024-02-01" {
		t.Errorf("ISO() = %q", got)
	}
	var zero Date
	if !zero.IsZero() || zero.String() != "" || zero.ISO() != "" {
		t.Error("zero Date should be empty")
	}
	at := time.Date(2024, time.February, 1, 23, 30, 0, 0, time.UTC)
	if got := DateOf(at); got != b {
		t.Errorf("DateOf(%v) = %v", at, got)
	}
	if got := b.Time(time.UTC); !got.Equal(time.Date(2024, time.February, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v", got)
	}
}

func TestDateText(t *testing.T) {
	for _, d := range []Date{{}, {2024, time.February, 29}, {1900, time.January, 1}} {
		b, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := back.UnmarshalText(b); err != nil || back != d {
			t.Errorf("UnmarshalText(%q) = %v, %v, want %v", b, back, err, d)
		}
	}
	var d Date
	if err := d.UnmarshalText([]byte("2023-02-29")); err == nil {
		t.Errorf("UnmarshalText accepted 2023-02-29 as %v", d)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, tc := range dateCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDate(in)
		if err != nil {
			checkSentence(t, err)
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with error", in, d)
			}
			return
		}
		if d.IsZero() {
			if strings.TrimSpace(in) != "" {
				t.Fatalf("ParseDate(%q) = zero without error", in)
			}
			return
		}
		if t0 := d.Time(time.UTC); DateOf(t0) != d {
			t.Fatalf("ParseDate(%q) = %v, not a real day", in, d)
		}
		if again, err := ParseDate(d.String()); err != nil || again != d {
			t.Fatalf("ParseDate(%q) = %v, but ParseDate(%q) = %v, %v", in, d, d.String(), again, err)
		}
		var back Date
		if err := back.UnmarshalText([]byte(d.ISO())); err != nil || back != d {
			t.Fatalf("text round trip of %v = %v, %v", d, back, err)
		}
		if d.YearsAt(d) != 0 {
			t.Fatalf("%v.YearsAt itself != 0", d)
		}
	})
}

// On a PC set to UTC, 23:30 UTC on 5 December is already 6 December in
// Madrid: the programme's today is Madrid's, as the screens and PDFs say.
func TestMadridDate(t *testing.T) {
	late := time.Date(2026, time.December, 5, 23, 30, 0, 0, time.UTC)
	if got, want := MadridDate(late), (Date{2026, time.December, 6}); got != want {
		t.Errorf("MadridDate(%v) = %v, want %v", late, got, want)
	}
	if got := DateOf(late); got != (Date{2026, time.December, 5}) {
		t.Errorf("DateOf keeps the instant's own zone: %v", got)
	}
	summer := time.Date(2026, time.July, 1, 21, 59, 0, 0, time.UTC) // 23:59 CEST
	if got := MadridDate(summer); got != (Date{2026, time.July, 1}) {
		t.Errorf("MadridDate(%v) = %v, want 1 July", summer, got)
	}
}
