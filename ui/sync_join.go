package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	esync "github.com/enlace-madrid/enlace/data/sync"
)

// joinDialog is the progress shown while joining, until the first sync
// ends: an endless bar until the sync says how far it is, then a counted
// one under what it is doing («Leyendo los cambios: 7 de 12 lotes»).
type joinDialog struct {
	d       dialog.Dialog
	stage   *widget.Label
	waiting *widget.ProgressBarInfinite
	bar     *widget.ProgressBar
	// labels are the stage's texts shown, in order, and shown is told
	// each new one once it is on the dialog (for tests).
	labels []string
	shown  func(text string)
}

// newJoinDialog makes and shows the join's progress over win.
func newJoinDialog(u *App, shown func(string)) *joinDialog {
	j := &joinDialog{stage: widget.NewLabel(T("Conectando con el servidor…")), waiting: widget.NewProgressBarInfinite(),
		bar: widget.NewProgressBar(), shown: shown}
	j.bar.Hide()
	note := widget.NewLabel(T("Se reciben los casos de las demás oficinas. La primera vez puede tardar unos minutos; puede seguir trabajando cuando termine."))
	note.Wrapping = fyne.TextWrapWord
	j.stage.Wrapping = fyne.TextWrapWord
	j.d = dialog.NewCustomWithoutButtons(T("Uniéndose al espacio"), container.NewVBox(note, j.stage, container.NewStack(j.waiting, j.bar)), u.win)
	j.d.Resize(fyne.NewSize(560, j.d.MinSize().Height))
	u.showDialog(j.d)
	return j
}

// progress is the esync.Progress of the first sync after joining: it
// shows each call on the dialog through fyne.Do (the sync calls it at
// most 20 times a second).
func (j *joinDialog) progress(done, total int64, stage string) {
	fyne.Do(func() { j.show(done, total, stage) })
}

// show puts one step of the join on the dialog.
func (j *joinDialog) show(done, total int64, stage string) {
	text := joinProgressText(done, total, stage)
	if total <= 0 {
		j.bar.Hide()
		j.waiting.Show()
	} else {
		j.waiting.Hide()
		j.bar.Show()
		j.bar.Max = float64(total)
		j.bar.SetValue(float64(done))
	}
	if text != j.stage.Text {
		j.stage.SetText(text)
		j.labels = append(j.labels, text)
		if j.shown != nil {
			j.shown(text)
		}
	}
}

// joinProgressText is what the dialog says of done of total of a stage
// of the sync: the stage in the interface's language, and the count in
// its unit (megabytes for the snapshot, batches, keys, people,
// entries of the timelines, changes).
func joinProgressText(done, total int64, stage string) string {
	vals := map[string]any{"Stage": dataText(stage), "Done": formatCount(int(done)), "Total": formatCount(int(total))}
	switch stage {
	case esync.StageSnapshot:
		vals["Done"], vals["Total"] = megabytes(done), megabytes(total)
		if total <= 0 {
			return T("{{.Stage}}: {{.Done}} MB", vals)
		}
		return T("{{.Stage}}: {{.Done}} de {{.Total}} MB", vals)
	case esync.StageHeads:
		return T("{{.Stage}}: {{.Done}} de {{.Total}} equipos", vals)
	case esync.StageBatches:
		return T("{{.Stage}}: {{.Done}} de {{.Total}} lotes", vals)
	case esync.StageKeys:
		return T("{{.Stage}}: {{.Done}} de {{.Total}} ficheros de claves", vals)
	case esync.StageSave:
		return T("{{.Stage}}: {{.Done}} de {{.Total}} personas", vals)
	case esync.StageHistory:
		return T("{{.Stage}}: {{.Done}} de {{.Total}} anotaciones", vals)
	case esync.StageRecord:
		return T("{{.Stage}}: {{.Done}} de {{.Total}} cambios", vals)
	}
	return T("{{.Stage}}: {{.Done}} de {{.Total}}", vals)
}

// megabytes writes n bytes in megabytes with one decimal: 3,1 in
// Spanish, 3.1 in English.
func megabytes(n int64) string {
	s := strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64)
	if !english() {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
