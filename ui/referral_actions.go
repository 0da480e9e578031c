package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// actionForm is the small dialog that takes one action on a referral:
// what the action needs, data's messages in red when it refuses, and the
// button that does it. Only the fields the action uses are made.
type actionForm struct {
	s      *referralsScreen
	r      data.Referral
	action data.Action

	exclusion *widget.Select     // ActExclude: data.ExclusionReasons
	areas     *widget.CheckGroup // ActRoute: data.Areas
	outcome   *widget.Select     // ActClose: data.Outcomes
	reason    *entry             // optional or required, as data says
	marks     *validationMarks
	content   fyne.CanvasObject // what the dialog shows above its buttons
	confirm   *widget.Button
	d         *dialog.CustomDialog
}

// onAction takes action a on the referral on show. An action that needs
// nothing more than a click is taken at once; the others open a dialog.
func (s *referralsScreen) onAction(a data.Action) {
	r := s.detail.r
	if r.ID == "" {
		return
	}
	if a == data.ActFollowUp {
		got, err := s.u.store.Apply(r.ID, data.Change{Action: a}, s.u.Author())
		if err != nil {
			s.u.showError(err)
			return
		}
		s.followReferral(&got)
		return
	}
	s.openActionForm(r, a)
}

func (s *referralsScreen) openActionForm(r data.Referral, a data.Action) {
	f := &actionForm{s: s, r: r, action: a, marks: newValidationMarks()}
	f.content = f.marks.body(f.body())
	title := T(a.Label())
	if a == data.ActClose {
		title = T("Cerrar la derivación")
	}
	d := dialog.NewCustomWithoutButtons(title, f.content, s.u.win)
	f.d = d
	cancel := widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), d.Hide)
	f.confirm = widget.NewButtonWithIcon(f.confirmText(), referralActionIcon(a), f.onConfirm)
	f.confirm.Importance = referralActionImportance(a)
	if f.confirm.Importance == widget.MediumImportance {
		f.confirm.Importance = widget.HighImportance
	}
	d.SetButtons([]fyne.CanvasObject{cancel, f.confirm})
	s.form = f
	s.u.showDialog(d)
	d.SetOnClosed(func() { // after showDialog, which sets its own
		s.u.forgetDialog(d)
		if s.form == f {
			s.form = nil
		}
	})
	if f.reason != nil && f.exclusion == nil && f.outcome == nil && f.areas == nil {
		s.u.win.Canvas().Focus(f.reason)
	}
}

// body lays out what the action asks, under the person's name.
func (f *actionForm) body() fyne.CanvasObject {
	name := widget.NewLabelWithStyle(f.s.personName(f.r.PersonID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{name}
	form := container.New(layout.NewFormLayout())
	switch f.action {
	case data.ActVerifyYes:
		objs = append(objs, wrappedText(T("La jefatura de sección confirma que la persona está en esta situación habilitante:")),
			greyText(f.r.CriterionText))
	case data.ActVerifyNo:
		objs = append(objs, wrappedText(T("La jefatura de sección no confirma la situación habilitante. La derivación quedará como «No verificada por jefatura» y se podrá reabrir.")))
		f.addReason(form, T("Motivo (opcional)"), "")
	case data.ActInclude:
		objs = append(objs, f.includeText()...)
		f.addReason(form, T("Motivo (opcional)"), "")
	case data.ActExclude:
		f.addExclusion(form)
		f.addReason(form, T("Explicación"), T("Obligatoria si el motivo es «Otro motivo»."))
	case data.ActRoute:
		f.addAreas(form)
		f.addReason(form, T("Nota (opcional)"), "")
	case data.ActClose:
		f.addOutcome(form)
		f.addReason(form, T("Nota"), T("Obligatoria si el resultado es «Otro»."))
	case data.ActReopen:
		objs = append(objs, wrappedText(T("La derivación volverá al estado en que estaba antes de cerrarse.")))
		f.addReason(form, T("Por qué se reabre"), "")
	}
	if len(form.Objects) > 0 {
		objs = append(objs, form)
	}
	return container.NewVBox(objs...)
}

// includeText asks for confirmation, and says why an exclusion was
// proposed when a rule fired: including then is an override.
func (f *actionForm) includeText() []fyne.CanvasObject {
	if len(f.r.Suggested) == 0 {
		return []fyne.CanvasObject{wrappedText(T("¿Incluir a esta persona en el programa?"))}
	}
	out := []fyne.CanvasObject{wrappedText(T("Se propuso excluir a esta persona porque:"))}
	for _, s := range f.r.Suggested {
		out = append(out, exclusionProposalBox(T(s.Text)))
	}
	q := widget.NewLabelWithStyle(T("¿Incluirla igualmente? Quedará anotado en el historial."), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.Wrapping = fyne.TextWrapWord
	return append(out, q)
}

func (f *actionForm) addReason(form *fyne.Container, label, note string) {
	f.reason = f.s.u.newMultiLineEntry()
	f.reason.SetMinRowsVisible(3)
	var field fyne.CanvasObject = f.reason
	if note != "" {
		field = withNote(f.reason, greyText(note))
	}
	form.Add(fieldLabel(label))
	form.Add(f.marks.wrap("Reason", field))
}

func (f *actionForm) addExclusion(form *fyne.Container) {
	opts := make([]string, len(data.ExclusionReasons))
	for i, code := range data.ExclusionReasons {
		opts[i] = T(data.ExclusionLabel(code))
	}
	f.exclusion = widget.NewSelect(opts, nil)
	f.exclusion.PlaceHolder = T("Elija el motivo")
	if len(f.r.Suggested) > 0 { // the rule that fired proposes its reason
		for i, code := range data.ExclusionReasons {
			if code == f.r.Suggested[0].Reason {
				f.exclusion.SetSelectedIndex(i)
			}
		}
	}
	form.Add(fieldLabel(T("Motivo")))
	form.Add(f.marks.wrap("Exclusion", f.exclusion))
}

func (f *actionForm) addAreas(form *fyne.Container) {
	opts := make([]string, len(data.Areas))
	var on []string
	for i, a := range data.Areas {
		opts[i] = T(a.Label())
		if f.r.HasArea(a) {
			on = append(on, opts[i])
		}
	}
	f.areas = widget.NewCheckGroup(opts, nil)
	f.areas.SetSelected(on)
	form.Add(fieldLabel(T("Áreas")))
	form.Add(f.marks.wrap("Areas", f.areas))
}

func (f *actionForm) addOutcome(form *fyne.Container) {
	opts := make([]string, len(data.Outcomes))
	for i, o := range data.Outcomes {
		opts[i] = T(o.Label())
	}
	f.outcome = widget.NewSelect(opts, nil)
	f.outcome.PlaceHolder = T("Elija el resultado")
	form.Add(fieldLabel(T("Resultado")))
	form.Add(f.marks.wrap("Outcome", f.outcome))
}

func (f *actionForm) confirmText() string {
	switch f.action {
	case data.ActInclude:
		if len(f.r.Suggested) > 0 {
			return T("Incluir igualmente")
		}
	case data.ActRoute:
		return T("Derivar")
	case data.ActClose:
		return T("Cerrar la derivación")
	}
	return T(f.action.Label())
}

// change is what the dialog asks data to do.
func (f *actionForm) change() data.Change {
	c := data.Change{Action: f.action}
	if f.reason != nil {
		c.Reason = f.reason.Text
	}
	if f.exclusion != nil {
		if i := f.exclusion.SelectedIndex(); i >= 0 {
			c.Exclusion = data.ExclusionReasons[i]
		}
	}
	if f.areas != nil {
		for i, a := range data.Areas {
			for _, sel := range f.areas.Selected {
				if sel == f.areas.Options[i] {
					c.Areas = append(c.Areas, a)
				}
			}
		}
	}
	if f.outcome != nil {
		if i := f.outcome.SelectedIndex(); i >= 0 {
			c.Outcome = data.Outcomes[i]
		}
	}
	return c
}

// onConfirm takes the action. When data refuses it, its messages show in
// the dialog, which stays open; otherwise the inbox follows the referral.
func (f *actionForm) onConfirm() {
	got, err := f.s.u.store.Apply(f.r.ID, f.change(), f.s.u.Author())
	if !f.marks.handle(f.s.u, f.d, err) { // anything but a refusal goes to an error dialog
		return
	}
	f.d.Hide()
	f.s.followReferral(&got)
}
