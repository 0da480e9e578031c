package backup

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func TestRetain(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) Info {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, madrid)
		if err != nil {
			t.Fatal(err)
		}
		return Info{Name: backupName(tm, 1), Time: tm.UTC()}
	}
	// every day of 2026 from 1 January to 30 March, twice a day
	var year []Info
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, madrid); d.Before(time.Date(2026, 3, 31, 0, 0, 0, 0, madrid)); d = d.AddDate(0, 0, 1) {
		year = append(year, at(d.Format("2006-01-02")+" 09:00"), at(d.Format("2006-01-02")+" 18:30"))
	}
	for _, tc := range []struct {
		name     string
		backups  []Info
		keep     int
		newest   bool // the newest is kept
		mustKeep []string
	}{
		{"none", nil, 0, false, nil},
		{"one", []Info{at("2026-03-01 10:00")}, 1, true, nil},
		{"same day keeps the newest", []Info{at("2026-03-01 10:00"), at("2026-03-01 12:00"), at("2026-03-01 09:00")}, 1, true,
			[]string{at("2026-03-01 12:00").Name}},
		// 14 days (the newest of each) plus the weeks before them: the
		// 14 days span 3 ISO weeks; 5 more weeks reach back to 16 February.
		{"three months twice a day", year, 14 + 5, true, []string{at("2026-03-30 18:30").Name, at("2026-02-22 18:30").Name}},
		{"a gap keeps days with backups", []Info{at("2025-06-01 10:00"), at("2026-01-10 10:00"), at("2026-03-01 10:00")}, 3, true, nil},
		{"after midnight in Madrid is the next day", []Info{at("2026-03-01 23:30"), at("2026-03-02 00:30")}, 2, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keep, drop := retain(tc.backups, madrid)
			if len(keep) != tc.keep || len(keep)+len(drop) != len(tc.backups) {
				t.Errorf("keep %d, drop %d; want keep %d of %d", len(keep), len(drop), tc.keep, len(tc.backups))
			}
			kept := map[string]bool{}
			for _, k := range keep {
				kept[k.Name] = true
			}
			if tc.newest {
				sorted := append([]Info(nil), tc.backups...)
				sort.Slice(sorted, func(i, j int) bool { return sorted[i].Time.After(sorted[j].Time) })
				if !kept[sorted[0].Name] {
					t.Errorf("the newest backup %s was dropped", sorted[0].Name)
				}
			}
			for _, n := range tc.mustKeep {
				if !kept[n] {
					t.Errorf("%s dropped, want kept", n)
				}
			}
		})
	}
}

// TestPruneOnlyAfterSuccess: old backups go only once a new one is in
// place; a failed backup removes nothing. Uploads abandoned more than a
// day ago go too; recent ones stay (another backup may be uploading).
func TestPruneOnlyAfterSuccess(t *testing.T) {
	dir := t.TempDir()
	d := Destination{Kind: KindFolder, Path: dir}
	s := testStore(t, 20)
	old := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	var names []string
	for i := 0; i < 40; i++ {
		n := backupName(old.AddDate(0, 0, i), 1)
		names = append(names, n)
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	stale, fresh := filepath.Join(dir, tempName(names[0])), filepath.Join(dir, tempName(names[1]))
	for _, p := range []string{stale, fresh, filepath.Join(dir, "notas.txt")} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(stale, time.Now().Add(-48*time.Hour), time.Now().Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}

	if _, err := Backup(context.Background(), s, d, "", fastOpts()); err == nil {
		t.Fatal("a backup without passphrase worked")
	}
	if got, _ := List(context.Background(), d); len(got) != 40 {
		t.Fatalf("after a failed backup %d backups remain, want all 40", len(got))
	}

	res, err := Backup(context.Background(), s, d, testPassphrase, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := List(context.Background(), d)
	// The new one is a day and a week of its own. Among the old ones
	// (1 January to 9 February 2025): 13 more days, 28 January to 9
	// February, in ISO weeks 5 and 6; then weeks 4 to 1, the first there is.
	if want := 1 + 13 + 4; len(got) != want || got[0].Name != res.Info.Name {
		t.Errorf("after pruning: %d backups, newest %s; want %d, newest %s", len(got), got[0].Name, want, res.Info.Name)
	}
	if len(res.Pruned) != 40+1-len(got)+1 || res.PruneErr != nil {
		t.Errorf("Pruned %d (%v), want %d", len(res.Pruned), res.PruneErr, 40+1-len(got)+1)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("an upload abandoned two days ago was not removed")
	}
	for _, p := range []string{fresh, filepath.Join(dir, "notas.txt")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}

func TestNames(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{backupName(at, 1), true},
		{backupName(at, 3), true},
		{"enlace-20261125T100000Z.age", true},
		{"enlace-20261125T100000Z.age.tmp", false},
		{tempName(backupName(at, 1)), false},
		{"../enlace-20261125T100000Z.age", false},
		{"enlace-2026-11-25.age", false},
		{"enlace.db", false},
	} {
		if got := validName(tc.name); got != tc.ok {
			t.Errorf("validName(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
	if got := uniqueName(at, []entry{{name: backupName(at, 1)}, {name: tempName(backupName(at, 2))}}); got != backupName(at, 3) {
		t.Errorf("uniqueName = %s, want the third of the second", got)
	}
}
