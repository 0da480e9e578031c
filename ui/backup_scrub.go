package ui

import (
	"context"
	"errors"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data/backup"
)

// Clearing the backups made before an erasure of the erased people
// (backup.Scrub): in the background after Suprimir a esta persona…, and
// after each backup to a destination that has not had it yet.

// scrubDue lists the destinations whose backups may still hold someone
// erased from the database at or before last.
func (b *backupPanel) scrubDue(last time.Time) []backup.Destination {
	var due []backup.Destination
	for _, d := range b.cfg.Destinations {
		if b.st.ScrubDue(d, last) {
			due = append(due, d)
		}
	}
	return due
}

// readErasures reads the database's newest erasure off the UI goroutine
// (one that arrived by sync, say) and shows the destinations it leaves
// pending.
func (b *backupPanel) readErasures() {
	store := b.u.store
	go func() {
		last, err := store.LastErasure()
		if err != nil {
			log.Printf("copias: leer las supresiones: %v", err)
			return
		}
		fyne.Do(func() {
			if last.After(b.lastErasure) {
				b.lastErasure = last
				b.refresh()
			}
		})
	}()
}

// startScrub clears, in the background, the backups made before an
// erasure at every destination where that is due, asking for the
// passphrase and app passwords it lacks. A job running first is let
// finish.
func (b *backupPanel) startScrub() {
	if b.job != nil {
		b.job.waiters = append(b.job.waiters, b.startScrub)
		return
	}
	last, err := b.u.store.LastErasure() // the erasure has just been compacted: nothing holds the file
	if err != nil {
		log.Printf("copias: leer las supresiones: %v", err)
		return
	}
	b.lastErasure = last
	b.refresh()
	due := b.scrubDue(last)
	if len(due) == 0 {
		return
	}
	b.secretsFor(due, true, true, T("Ahora no"), func(pass string, ready []backup.Destination, ok bool) {
		if !ok || pass == "" {
			b.result.SetText(T("Las copias anteriores a la supresión se limpiarán en la próxima copia de seguridad."))
			if b.settled != nil {
				b.settled()
			}
			return
		}
		b.runScrubs(ready, pass)
	})
}

// scrubOutcome is what a scrub did at one destination.
type scrubOutcome struct {
	d   backup.Destination
	res backup.Scrubbed
	err error
}

// runScrubs clears the backups at dests on a goroutine, then says how it
// went in the panel.
func (b *backupPanel) runScrubs(dests []backup.Destination, pass string) {
	if b.job != nil {
		b.job.waiters = append(b.job.waiters, func() { b.runScrubs(dests, pass) })
		return
	}
	ctx, report := b.begin(T("Limpieza de las copias"))
	store, o := b.u.store, &backup.Options{Progress: report, WorkFactor: b.logN, Check: b.cfg.Check}
	go func() {
		var outs []scrubOutcome
		for _, d := range dests {
			res, err := backup.Scrub(ctx, store, d, pass, o)
			outs = append(outs, scrubOutcome{d, res, err})
			if ctx.Err() != nil {
				break
			}
		}
		fyne.Do(func() {
			b.recordScrubs(outs)
			b.saveStatuses()
			b.end()
			b.result.SetText(scrubText(outs))
			if b.settled != nil {
				b.settled()
			}
		})
	}()
}

// recordScrubs notes the outcomes in the statuses.
func (b *backupPanel) recordScrubs(outs []scrubOutcome) {
	for _, o := range outs {
		if errors.Is(o.err, context.Canceled) {
			continue // stopped by the user: still due, nothing to say
		}
		b.st.RecordScrub(o.d, o.res, o.err)
		if o.err != nil {
			log.Printf("limpiar las copias de %s: %v", o.d, o.err)
		}
	}
}

// scrubText says what the scrubs did, for the panel.
func scrubText(outs []scrubOutcome) string {
	var lines []string
	checked, rewritten := 0, 0
	for _, o := range outs {
		checked += o.res.Checked
		rewritten += o.res.Rewritten
		if o.err != nil {
			lines = append(lines, T("{{.Dest}}: copias pendientes de limpiar, {{.N}}: {{.Why}}",
				map[string]any{"Dest": o.d.String(), "N": o.res.Pending, "Why": backupMessage(o.err)}))
		}
		if len(o.res.Skipped) > 0 {
			lines = append(lines, T("{{.Dest}}: copias que no se abren con la contraseña actual y quedan como estaban, {{.N}}.",
				map[string]any{"Dest": o.d.String(), "N": len(o.res.Skipped)}))
		}
	}
	head := T("Limpieza de las copias anteriores a la supresión: revisadas, {{.Checked}}; reescritas sin la persona suprimida, {{.Rewritten}}.",
		map[string]any{"Checked": checked, "Rewritten": rewritten})
	return strings.Join(append([]string{head}, lines...), "\n")
}

// scrubLine is the destination row's line on backups still to clear, nil
// when there are none.
func (b *backupPanel) scrubLine(d backup.Destination, due bool) fyne.CanvasObject {
	s := b.st[d.Key()]
	if !due {
		return nil
	}
	var text string
	switch {
	case s.ScrubFailure != "" && s.ScrubPending > 0:
		text = T("{{.N}} copias anteriores a una supresión, pendientes de limpiar: {{.Why}}",
			map[string]any{"N": s.ScrubPending, "Why": backupMessage(s.ScrubErr())})
	case s.ScrubFailure != "":
		text = T("Copias anteriores a una supresión, pendientes de limpiar: {{.Why}}", map[string]any{"Why": backupMessage(s.ScrubErr())})
	default:
		text = T("Las copias anteriores a una supresión están pendientes de limpiar: se limpiarán en la próxima copia.")
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}
