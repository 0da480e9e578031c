package ui

import (
	"context"
	"errors"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
)

// startBackup gathers the secrets the backups to dests need (asking for the
// missing ones, unless auto), then runs them one after another. With modal
// its progress is in a dialog (the window is closing). after, when not
// nil, gets the failures on the UI goroutine: none when all went well or
// when the user chose not to back up.
func (b *backupPanel) startBackup(dests []backup.Destination, auto, modal bool, after func(failed []string)) {
	if b.job != nil {
		if after != nil {
			b.job.waiters = append(b.job.waiters, func() { after(nil) })
		}
		return
	}
	decline := T("Cancelar")
	if modal {
		decline = T("Cerrar sin copia")
	}
	b.secretsFor(dests, true, !auto, decline, func(pass string, ready []backup.Destination, ok bool) {
		switch {
		case ok:
			b.runBackups(ready, pass, auto, modal, after)
		case auto:
			b.autoWithout(pass, ready)
		case after != nil:
			after(nil)
		}
	})
}

// autoWithout runs an automatic backup to the destinations whose secrets
// were found, and notes on the others what was missing, so that the strip
// says why (they are tried again in an hour).
func (b *backupPanel) autoWithout(pass string, ready []backup.Destination) {
	var can []backup.Destination
	for _, d := range ready {
		var missing error
		switch {
		case pass == "":
			missing = backup.ErrNoPassphrase
		case d.Kind == backup.KindWebDAV && d.Password == "":
			missing = backup.ErrNoPassword
		default:
			can = append(can, d)
			continue
		}
		b.st.Record(d, backup.Result{}, missing, b.u.store.Now())
	}
	b.saveStatuses()
	b.refresh()
	if len(can) > 0 {
		b.runBackups(can, pass, true, false, nil)
	}
}

// runBackups backs up to each of dests on a goroutine.
func (b *backupPanel) runBackups(dests []backup.Destination, pass string, auto, modal bool, after func([]string)) {
	if b.job != nil { // another one started while the secrets were read
		if after != nil {
			b.job.waiters = append(b.job.waiters, func() { after(nil) })
		}
		return
	}
	ctx, report := b.begin(T("Copia de seguridad"))
	if modal {
		b.waitDialog(T("Copia de seguridad antes de cerrar"), T("Cancelar y cerrar"))
	}
	store, logN, check := b.u.store, b.logN, b.cfg.Check
	st := backup.Statuses{} // a copy, to read off the UI goroutine
	for k, v := range b.st {
		st[k] = v
	}
	type outcome struct {
		d     backup.Destination
		res   backup.Result
		err   error
		at    time.Time
		scrub *scrubOutcome
	}
	go func() {
		// An erasure not yet carried to a destination: its backups are
		// scrubbed after the new one (read here: a compaction may hold
		// the file).
		last, lerr := store.LastErasure()
		if lerr != nil {
			log.Printf("copias: leer las supresiones: %v", lerr)
		}
		var outs []outcome
		for _, d := range dests {
			res, err := backup.Backup(ctx, store, d, pass, &backup.Options{Progress: report, WorkFactor: logN})
			if err == nil {
				err = store.LogExport("copia de seguridad", "", d.String()+": "+res.Info.Name)
			}
			o := outcome{d: d, res: res, err: err, at: store.Now()}
			if err == nil && st.ScrubDue(d, last) {
				sc, serr := backup.Scrub(ctx, store, d, pass, &backup.Options{Progress: report, WorkFactor: logN, Check: check})
				o.scrub = &scrubOutcome{d, sc, serr}
			}
			outs = append(outs, o)
			if ctx.Err() != nil {
				break
			}
		}
		cancelled := ctx.Err() != nil
		fyne.Do(func() {
			if last.After(b.lastErasure) {
				b.lastErasure = last
			}
			var failed []string
			for _, o := range outs {
				if errors.Is(o.err, context.Canceled) {
					continue
				}
				b.st.Record(o.d, o.res, o.err, o.at)
				if o.scrub != nil {
					b.recordScrubs([]scrubOutcome{*o.scrub})
				}
				if o.err != nil {
					log.Printf("copia en %s: %v", o.d, o.err)
					failed = append(failed, o.d.String()+": "+backupMessage(o.err))
				} else if o.res.PruneErr != nil {
					log.Printf("copia en %s: borrar copias antiguas: %v", o.d, o.res.PruneErr)
				}
			}
			b.saveStatuses()
			b.end()
			switch {
			case after != nil:
				after(failed)
			case len(failed) > 0 && !auto:
				b.u.showDialog(dialog.NewCustom(T("La copia no se pudo hacer"), T("Cerrar"), wrapped(strings.Join(failed, "\n\n")), b.u.win))
			case len(failed) == 0 && len(outs) > 0 && !cancelled:
				b.result.SetText(T("Copia terminada a las {{.Time}}.", map[string]any{"Time": store.Now().In(data.Madrid()).Format("15:04")}))
			}
			if b.settled != nil {
				b.settled()
			}
		})
	}()
}

// begin starts a job: Cancelar cancels the returned context, and its
// progress shows in the panel and in the strip once it has run for a
// second. report may be called from any goroutine.
func (b *backupPanel) begin(title string) (context.Context, func(backup.Progress)) {
	ctx, cancel := context.WithCancel(context.Background())
	j := &backupJob{title: title, step: T("Preparando…"), cancel: cancel}
	b.job = j
	b.result.SetText("")
	b.refresh()
	time.AfterFunc(time.Second, func() {
		fyne.Do(func() {
			if b.job == j {
				j.shown = true
				b.showProgress()
				b.refreshBanner()
			}
		})
	})
	report := func(p backup.Progress) {
		fyne.Do(func() {
			if b.job != j {
				return
			}
			j.step, j.value = stepText(p.Step), 0
			if p.Total > 0 {
				j.value = min(1, float64(p.Done)/float64(p.Total))
			}
			b.showProgress()
		})
	}
	return ctx, report
}

// showProgress puts the job's step and fraction on screen, once shown.
func (b *backupPanel) showProgress() {
	j := b.job
	if j == nil || !j.shown {
		return
	}
	b.progLabel.SetText(j.step)
	b.progBar.SetValue(j.value)
	b.progBox.Show()
	b.stripText.SetText(j.title + " · " + j.step)
	b.stripBar.SetValue(j.value)
	for _, o := range j.views {
		o.label.SetText(j.step)
		o.bar.SetValue(j.value)
	}
}

// end finishes the job: hides its progress, calls whoever waits for it.
func (b *backupPanel) end() {
	j := b.job
	if j == nil {
		return
	}
	b.job = nil
	j.cancel()
	b.progBox.Hide()
	b.refresh()
	for _, w := range j.waiters {
		w()
	}
}

// waitDialog shows the running job's progress in a dialog until it ends.
func (b *backupPanel) waitDialog(title, cancel string) {
	j := b.job
	label, bar := widget.NewLabel(j.step), widget.NewProgressBar()
	j.views = append(j.views, progressView{label, bar})
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(label,
		container.NewGridWrap(fyne.NewSize(360, bar.MinSize().Height), bar),
		container.NewCenter(widget.NewButtonWithIcon(cancel, theme.CancelIcon(), b.onCancel))), b.u.win)
	j.waiters = append(j.waiters, d.Hide)
	b.u.showDialog(d)
}

// progressView is a label and bar that follow a job.
type progressView struct {
	label *widget.Label
	bar   *widget.ProgressBar
}

func stepText(s backup.Step) string {
	switch s {
	case backup.StepEncrypt:
		return T("Cifrando la copia")
	case backup.StepUpload:
		return T("Enviando")
	case backup.StepPrune:
		return T("Borrando copias antiguas")
	case backup.StepDownload:
		return T("Descargando y descifrando")
	case backup.StepScrub:
		return T("Limpiando las copias anteriores a una supresión")
	}
	return T("Comprobando la copia")
}
