package ui

import (
	"errors"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// "Comprobar mis lotes": what a sync does by itself about once an hour,
// now (`enlace sync repair`): it checks this computer's batches that
// some office has not read yet and publishes again those missing or
// broken on the server (data/sync/repair.go), then says what it found.

// onCheck checks this computer's batches in the background and says
// what it found. It waits for no sync: one under way makes it say so.
func (p *syncPanel) onCheck() {
	st, ok := p.settings()
	if !ok {
		return
	}
	p.appPassword(st, true, func(pw string) {
		p.mu.Lock()
		busy := p.running
		p.running = !busy
		p.mu.Unlock()
		if busy {
			p.u.showDialog(dialog.NewInformation(T("Comprobar mis lotes"), T("Hay una sincronización en curso: vuelva a intentarlo cuando termine."), p.u.win))
			return
		}
		p.nowBtn.Disable()
		p.checkBtn.Disable()
		p.strip.SetText(T("Sincronizando…"))
		go func() {
			rep, err := repairSpace(p.u.store, pw)
			fyne.Do(func() {
				p.mu.Lock()
				p.running = false
				p.mu.Unlock()
				p.show()
				if err != nil {
					log.Printf("sincronización: comprobar los lotes de este equipo: %v", err)
					p.checked = T("No se pudo sincronizar: {{.Error}}", map[string]any{"Error": dataErrorText(err)})
					p.u.showDialog(dialog.NewError(errors.New(p.checked), p.u.win))
				} else {
					p.checked = checkText(rep.Check)
					msg := widget.NewLabel(p.checked)
					msg.Wrapping = fyne.TextWrapWord
					d := dialog.NewCustom(T("Comprobar mis lotes"), T("Aceptar"), msg, p.u.win)
					d.Resize(fyne.NewSize(560, d.MinSize().Height))
					p.u.showDialog(d)
				}
				if p.synced != nil {
					p.synced()
				}
			})
		}()
	})
}

// checkText says what a check of this computer's batches found.
func checkText(c esync.Check) string {
	if !c.Ran || len(c.Checked) == 0 {
		return T("Todos los equipos del espacio han leído los lotes de este equipo: no hay nada que comprobar.")
	}
	out := []string{T("Lotes de este equipo comprobados en el servidor: {{.N}}.", map[string]any{"N": len(c.Checked)})}
	for _, r := range c.Repaired {
		out = append(out, T("El lote {{.Seq}} no se podía leer ({{.Cause}}): se ha publicado de nuevo como el lote {{.By}}, con {{.Ops}} cambios, y los demás equipos lo aplicarán en su lugar.",
			map[string]any{"Seq": r.Seq, "Cause": T(r.Cause), "By": r.By, "Ops": r.Ops}))
	}
	for _, l := range c.Lost {
		out = append(out, T("El lote {{.Seq}} de este equipo no se puede leer ({{.Cause}}) y no se puede reparar: {{.Why}}.",
			map[string]any{"Seq": l.Seq, "Cause": T(l.Cause), "Why": T(esync.WhyLost)}))
	}
	if len(c.Repaired) == 0 && len(c.Lost) == 0 {
		out = append(out, T("Todos se pueden leer: no hay nada que reparar."))
	}
	return strings.Join(out, "\n")
}

// repairSpace syncs once, checking this computer's batches first.
func repairSpace(s *data.Store, pw string) (esync.Report, error) {
	ss, err := esync.OpenSession(s, pw)
	if err != nil {
		return esync.Report{}, err
	}
	defer ss.Close()
	return ss.Repair(time.Now())
}
