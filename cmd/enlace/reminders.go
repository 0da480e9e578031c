package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/enlace-madrid/enlace/data"
)

// reminderRow is one reminder as `enlace reminders --json` prints it.
type reminderRow struct {
	ID         string `json:"id"`
	Due        string `json:"due"`  // RFC 3339 with the Madrid offset
	Date       string `json:"date"` // aaaa-mm-dd, Madrid
	Time       string `json:"time"` // hh:mm, Madrid
	Overdue    bool   `json:"overdue"`
	PersonID   string `json:"person_id,omitempty"`
	Person     string `json:"person,omitempty"`
	ReferralID string `json:"referral_id,omitempty"`
	Text       string `json:"text"`
	Assignee   string `json:"assignee,omitempty"`
	Source     string `json:"source"`
	Repeat     string `json:"repeat,omitempty"`
}

// runReminders brings the generated reminders up to date and lists the
// pending ones (with --due, only those already due), for scripts and cron.
func runReminders(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("reminders", stderr)
	due := fs.Bool("due", false, "solo los que ya han vencido")
	asJSON := fs.Bool("json", false, "salida en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("sobra «%s»: enlace reminders [--db RUTA] [--due] [--json]", fs.Arg(0))}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	now := s.Now()
	if _, err := s.SyncReminders(now); err != nil {
		return err
	}
	f := data.ReminderFilter{Now: now}
	if *due {
		f.View = data.ViewOverdue
	}
	rs, err := s.Reminders(f)
	if err != nil {
		return err
	}
	rows := make([]reminderRow, 0, len(rs))
	for i := range rs {
		rows = append(rows, newReminderRow(s, &rs[i], now))
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Now       string        `json:"now"`
			Count     int           `json:"count"`
			Reminders []reminderRow `json:"reminders"`
		}{now.In(data.Madrid()).Format(time.RFC3339), len(rows), rows})
	}
	for _, r := range rows {
		mark := " "
		if r.Overdue {
			mark = "!"
		}
		who := ""
		if r.Assignee != "" {
			who = " (" + r.Assignee + ")"
		}
		fmt.Fprintf(stdout, "%s %s %s  %-30s %s%s\n", mark, r.Date, r.Time, r.Person, r.Text, who)
	}
	if *due {
		fmt.Fprintf(stdout, "%d recordatorios vencidos\n", len(rows))
	} else {
		fmt.Fprintf(stdout, "%d recordatorios pendientes\n", len(rows))
	}
	return nil
}

func newReminderRow(s *data.Store, r *data.Reminder, now time.Time) reminderRow {
	due := r.Due()
	row := reminderRow{
		ID: r.ID, Due: due.Time().Format(time.RFC3339), Date: due.Day.ISO(), Time: due.Clock(),
		Overdue: r.IsDue(now), PersonID: r.PersonID, ReferralID: r.ReferralID, Text: r.Text,
		Assignee: r.AssigneeText, Source: string(r.Source), Repeat: string(r.Repeat),
	}
	if r.PersonID != "" {
		if c, err := s.Card(r.PersonID); err == nil {
			row.Person = c.FullName()
		}
	}
	if r.Assignee != "" {
		if st, err := s.StaffMember(r.Assignee); err == nil {
			row.Assignee = st.Name
		}
	}
	return row
}
