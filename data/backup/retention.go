package backup

import (
	"fmt"
	"time"
)

// Retention: how many backups a destination keeps.
const (
	KeepDaily  = 14 // the newest backup of each of the last 14 days that have one
	KeepWeekly = 8  // the newest backup of each of the last 8 ISO weeks that have one
)

// staleTemp is how old an upload must be before pruning treats it as
// abandoned (an interrupted upload) and removes it.
const staleTemp = 24 * time.Hour

// retain splits backups (any order) into those to keep and those to
// remove: the newest of each of the KeepDaily most recent days that have a
// backup, and the newest of each of the KeepWeekly most recent ISO weeks,
// in loc's calendar. The newest backup is always kept. Days and weeks are
// counted among those with a backup, so a laptop left off for a month
// still keeps its last fourteen days of work.
func retain(all []Info, loc *time.Location) (keep, drop []Info) {
	sorted := backups(infosAsEntries(all)) // newest first
	kept := map[string]bool{}
	days, weeks := map[string]bool{}, map[string]bool{}
	for i, b := range sorted {
		t := b.Time.In(loc)
		day := t.Format("2006-01-02")
		y, w := t.ISOWeek()
		week := fmt.Sprintf("%d-W%02d", y, w)
		if i == 0 {
			kept[b.Name] = true
		}
		if !days[day] && len(days) < KeepDaily {
			days[day] = true
			kept[b.Name] = true
		}
		if !weeks[week] && len(weeks) < KeepWeekly {
			weeks[week] = true
			kept[b.Name] = true
		}
	}
	for _, b := range sorted {
		if kept[b.Name] {
			keep = append(keep, b)
		} else {
			drop = append(drop, b)
		}
	}
	return keep, drop
}

func infosAsEntries(infos []Info) []entry {
	out := make([]entry, len(infos))
	for i, b := range infos {
		out[i] = entry{name: b.Name, size: b.Size}
	}
	return out
}
