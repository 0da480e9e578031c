package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// "Lotes rechazados": the batches sync held back because their signer
// may not take one of their actions (a technician's computer that sent
// an inclusion). That computer's changes wait from there; the
// administration skips the batch: what the signer may not do is never
// applied, the rest and the later batches are. A batch that does not
// open (altered, badly signed, missing: Refusal.Broken) is listed with
// them, with its cause, and offers no skip: each sync tries it again.

// refusalReason is the refusal as a sentence, in the interface's
// language: "el usuario Ana López (técnico/a) no puede incluir en el
// programa"; for a batch that does not open, its cause.
func refusalReason(r esync.Refusal) string {
	if r.Broken {
		return T("no se puede aplicar: {{.Cause}}", map[string]any{"Cause": T(r.Cause)})
	}
	var roles, what []string
	for _, role := range r.Roles {
		roles = append(roles, strings.ToLower(T(role.Label())))
	}
	for _, w := range r.What {
		what = append(what, T(w))
	}
	return T("el usuario {{.User}} ({{.Roles}}) no puede {{.What}}", map[string]any{"User": r.Name,
		"Roles": strings.Join(roles, ", "), "What": strings.Join(what, T(" ni "))})
}

// skipPending reports whether this install has recorded the skip of r
// and not yet synced it.
func (p *syncPanel) skipPending(r esync.Refusal) bool {
	if r.Skipped {
		return true
	}
	ops, _ := p.u.store.PendingOps()
	for _, op := range ops {
		if op.Kind == data.OpBatchSkip && op.Record == r.Device+"/"+strconv.FormatUint(r.Seq, 10) {
			return true
		}
	}
	return false
}

// waiting counts the refused batches still waiting for a decision.
func (p *syncPanel) waiting(st esync.Settings) int {
	n := 0
	for _, r := range st.Refused {
		if r.Broken || !p.skipPending(r) {
			n++
		}
	}
	return n
}

// showRefused lists the refused batches under the panel's devices.
func (p *syncPanel) showRefused(st esync.Settings) {
	p.refused.RemoveAll()
	if len(st.Refused) == 0 {
		p.refused.Hide()
		return
	}
	head := widget.NewLabelWithStyle(T("Lotes rechazados"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.refused.Add(container.NewHBox(widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), head))
	var roles, broken bool
	for _, r := range st.Refused {
		roles, broken = roles || !r.Broken, broken || r.Broken
	}
	if roles {
		p.refused.Add(smallNote(T("Cambios de un equipo que incluyen una acción que su usuario no puede hacer. Lo que ese equipo envíe después espera hasta que la administración decida: «Omitir este lote» aplica el lote sin esas acciones (nunca se aplican) y sigue con los siguientes.")))
	}
	if broken {
		p.refused.Add(smallNote(T("Cambios de un equipo que no se pueden leer: el fichero está dañado, alterado, cifrado con una clave que no corresponde o falta en el servidor. Lo que ese equipo envíe después espera; las demás oficinas siguen sincronizando. Cada sincronización lo vuelve a intentar y lo aplica en cuanto se puede leer: si se repara el fichero en el servidor, o cuando el equipo que lo escribió lo publica de nuevo (lo hace por sí mismo si aún guarda esos cambios). No se puede omitir, porque no se sabe qué contiene: si no se arregla, la administración retira ese equipo del espacio («Retirar un equipo…») y lo invita de nuevo con otro nombre.")))
	}
	admin := p.u.can(data.PermUsers)
	for _, r := range st.Refused {
		when := r.At.In(data.Madrid()).Format("02/01/2006 15:04")
		text := T("Lote {{.Seq}} de «{{.Device}}» ({{.Name}}), rechazado el {{.When}}: {{.Reason}}.",
			map[string]any{"Seq": r.Seq, "Device": r.Device, "Name": r.Name, "When": when, "Reason": refusalReason(r)})
		if r.Broken {
			text = T("Lote {{.Seq}} de «{{.Device}}» ({{.Name}}), sin aplicar desde el {{.When}}: {{.Reason}}.",
				map[string]any{"Seq": r.Seq, "Device": r.Device, "Name": r.Name, "When": when, "Reason": refusalReason(r)})
		}
		line := widget.NewLabel(text)
		line.Wrapping = fyne.TextWrapWord
		var act fyne.CanvasObject
		switch {
		case r.Broken:
			act = widget.NewLabel(T("No se puede omitir."))
		case p.skipPending(r):
			act = widget.NewLabel(T("Omitido: se aplica en la próxima sincronización."))
		case admin:
			act = widget.NewButtonWithIcon(T("Omitir este lote"), theme.MediaSkipNextIcon(), func() { p.onSkip(r) })
		default:
			act = widget.NewLabel(T("Lo decide la administración."))
		}
		p.refused.Add(container.NewBorder(nil, nil, nil, act, line))
	}
	p.refused.Show()
}

// showRepairs lists this computer's batches found broken on the server:
// those it published again, which the other offices take in their place,
// and those it cannot repair, which hold it back at the other offices
// until the administration removes it (data/sync/repair.go).
func (p *syncPanel) showRepairs(st esync.Settings) {
	p.repairs.RemoveAll()
	if len(st.Repairs) == 0 && len(st.Lost) == 0 {
		p.repairs.Hide()
		return
	}
	head := widget.NewLabelWithStyle(T("Lotes de este equipo que no se podían leer en el servidor"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.repairs.Add(head)
	for _, r := range st.Repairs {
		line := widget.NewLabel(T("El lote {{.Seq}} de este equipo no se podía leer ({{.Cause}}): se publicó de nuevo el {{.When}} como el lote {{.By}}, con {{.Ops}} cambios, y los demás equipos lo aplican en su lugar.",
			map[string]any{"Seq": r.Seq, "Cause": T(r.Cause), "When": r.At.In(data.Madrid()).Format("02/01/2006 15:04"), "By": r.By, "Ops": r.Ops}))
		line.Wrapping = fyne.TextWrapWord
		p.repairs.Add(line)
	}
	for _, l := range st.Lost {
		line := widget.NewLabel(T("El lote {{.Seq}} de este equipo no se puede leer ({{.Cause}}) y no se puede reparar: {{.Why}}.",
			map[string]any{"Seq": l.Seq, "Cause": T(l.Cause), "Why": T(esync.WhyLost)}))
		line.Wrapping = fyne.TextWrapWord
		line.Importance = widget.DangerImportance
		p.repairs.Add(line)
	}
	p.repairs.Show()
}

// onSkip skips a refused batch, after a confirmation, and syncs.
func (p *syncPanel) onSkip(r esync.Refusal) {
	msg := widget.NewLabel(T("Se aplicará el lote {{.Seq}} de «{{.Device}}» sin lo que su usuario no puede hacer ({{.Reason}}); eso no se aplicará nunca, en ninguna oficina. Lo demás del lote y los lotes posteriores de ese equipo sí se aplicarán, en todas las oficinas.",
		map[string]any{"Seq": r.Seq, "Device": r.Device, "Reason": refusalReason(r)}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(T("Omitir este lote"), T("Omitir"), T("Cancelar"), msg, func(ok bool) {
		if !ok {
			return
		}
		if err := p.u.store.SkipBatch(r.Device, r.Seq, r.Reason()); err != nil {
			p.u.showError(err)
			return
		}
		p.show()
		p.syncNow(false) // take it now, and to the other installs
	}, p.u.win)
	d.Resize(fyne.NewSize(600, d.MinSize().Height))
	p.u.showDialog(d)
}

// massDeletionText is the guard's refusal as the panel and its dialog say
// it.
func massDeletionText(err error) string {
	var md *esync.MassDeletionError
	if errors.As(err, &md) {
		return T("La sincronización se ha detenido: borraría {{.Removed}} de las {{.Live}} fichas y registros de este equipo. No se ha aplicado nada. Avise a la administración del espacio: puede que la carpeta del servidor se haya vaciado o cambiado de nombre.",
			map[string]any{"Removed": md.Removed, "Live": md.Live})
	}
	return T("La sincronización se ha detenido: borraría la mayoría de las fichas de este equipo. No se ha aplicado nada. Avise a la administración del espacio: puede que la carpeta del servidor se haya vaciado o cambiado de nombre.")
}
