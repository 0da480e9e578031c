package ui

import (
	"errors"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// referralForm is the dialog that proposes a referral (DOMAIN.md, "The
// referral procedure", step 1): who refers, the enabling situation, the
// profile, the person's ficha común — prefilled and editable, saved with
// the referral in one batch — and a note. It borrows a personForm for the
// ficha's fields and for the error lines, summary and scrolling, so both
// forms look and behave alike.
type referralForm struct {
	u    *App
	pf   *personForm           // the ficha común's widgets and the error machinery
	done func(personID string) // after saving
	d    *dialog.CustomDialog

	staff   []data.Staff  // as staffSel lists them
	offices []data.Office // as officeSel lists them
	prog    data.Programme
	today   data.Date

	staffSel, officeSel, profileSel *widget.Select
	direction                       *widget.RadioGroup
	date, note                      *entry
	profileWhy                      *widget.RichText
	atlasRow                        []fyne.CanvasObject // the ATLAS row's two cells, shown for AE referrals

	situations  *fyne.Container // the options of the chosen direction
	options     []*situationOption
	shownDir    data.Direction // the direction situations shows
	criterionID string         // the chosen enabling situation

	save    *widget.Button
	consent *consentLine // the warning when consent is missing (gdpr_consent.go)
}

// showReferralForm opens the form to refer p: a stored person, or (p.ID
// empty) one to be created with the referral. done receives the person's
// ID once the referral is stored.
func showReferralForm(u *App, p data.Person, done func(personID string)) *referralForm {
	rf := &referralForm{u: u, done: done, today: u.store.Today()}
	var err error
	if rf.prog, err = u.store.Programme(); err != nil {
		u.showError(err)
		rf.prog = data.DefaultProgramme()
	}
	if rf.offices, err = u.store.Offices(); err != nil {
		u.showError(err)
	}
	rf.pf = newPersonFields(u, p)
	for _, st := range rf.pf.staff {
		if st.Active {
			rf.staff = append(rf.staff, st)
		}
	}
	rf.build()
	rf.preselect(&p)

	title := T("Nueva derivación")
	if name := p.FullName(); name != "" {
		title = T("Nueva derivación: {{.Name}}", map[string]any{"Name": name})
	}
	rf.d = dialog.NewCustomWithoutButtons(title, rf.pf.body, u.win)
	rf.save = widget.NewButtonWithIcon(T("Registrar derivación"), theme.MailForwardIcon(), rf.onSave)
	rf.save.Importance = widget.HighImportance
	rf.d.SetButtons([]fyne.CanvasObject{widget.NewButton(T("Cancelar"), rf.d.Hide), rf.save})
	rf.d.Resize(fitIn(u.win, fyne.NewSize(1000, 700)))
	u.showDialog(rf.d)
	return rf
}

// newPersonFields returns a personForm with p's ficha in its widgets but
// no dialog and nothing laid out: the caller lays out the rows it wants
// with layout, which registers their error lines.
func newPersonFields(u *App, p data.Person) *personForm {
	f := &personForm{u: u}
	if p.ID != "" {
		f.orig = &p
	}
	staff, err := u.store.StaffList()
	if err != nil {
		u.showError(err)
	}
	f.staff = staff
	f.errs, f.labels, f.entries = map[string]*widget.Label{}, map[string]string{}, map[string]*entry{}
	f.cells = map[string][]fyne.CanvasObject{}
	f.build()
	f.fill(&p)
	// build laid out the person form's own rows; the caller lays out its own.
	f.errs, f.labels, f.order = map[string]*widget.Label{}, map[string]string{}, nil
	f.cells = map[string][]fyne.CanvasObject{}
	return f
}

// build makes the referral's widgets and lays the whole form out.
func (rf *referralForm) build() {
	u, pf := rf.u, rf.pf
	rf.staffSel = widget.NewSelect(rf.staffNames(), func(string) { rf.onStaff() })
	rf.staffSel.PlaceHolder = T("Elija quién deriva")
	rf.officeSel = widget.NewSelect(rf.officeNames(), func(string) { rf.onOffice() })
	rf.officeSel.PlaceHolder = T("Elija la oficina")
	rf.direction = widget.NewRadioGroup([]string{T(data.FromAE.Label()), T(data.FromOMIOPI.Label())},
		func(string) { rf.onDirection() })
	rf.direction.Horizontal = true
	rf.direction.Required = true // a direction is chosen, not toggled off
	rf.consent = rf.newConsentLine()
	pf.atlas.SetPlaceHolder(T("Nº de expediente en ATLAS"))
	rf.date = u.newDateEntry()
	pf.track("Date", rf.date)
	rf.date.SetText(rf.today.String())

	rf.situations = container.NewVBox()
	rf.profileSel = pf.choice("Profile", rf.profileNames())
	rf.profileWhy = greyText("")
	rf.profileWhy.Hide()
	rf.note = u.newMultiLineEntry()
	rf.note.SetPlaceHolder(T("Lo que la coordinación debe saber de esta derivación"))
	rf.note.SetMinRowsVisible(3)
	pf.track("Note", rf.note)

	secs := []formSection{
		{T("Quién deriva"), []formRow{
			{"StaffID", T("Técnico/a que deriva"), rf.staffSel},
			{"OfficeID", T("Oficina"), rf.officeSel},
			{"Direction", T("Sentido"), rf.direction},
			{"Consent", "", rf.consent.root},
			{"Atlas", T("Nº de expediente ATLAS"), pf.atlas},
			{"Date", T("Fecha de la derivación"), rf.date},
		}},
		{T("Situación habilitante"), []formRow{
			{"CriterionID", "", rf.situations},
		}},
		{T("Perfil"), []formRow{
			{"Profile", T("Perfil del programa"), container.NewVBox(rf.profileSel, rf.profileWhy)},
		}},
		{T("Preguntas del formulario"), []formRow{
			{"personIntro", "", greyText(T("Los datos de la ficha común de la persona. Lo que cambie aquí se guarda en su ficha al registrar la derivación."))},
		}},
	}
	secs = append(secs, personRowsWithout(pf.sections(), "Atlas")...)
	secs = append(secs, formSection{T("Observaciones de la derivación"), []formRow{
		{"Note", T("Observaciones"), rf.note},
	}})
	content := pf.layout(secs).(*fyne.Container)
	pf.labels["CriterionID"] = T("Situación habilitante") // its row has no label of its own
	rf.atlasRow = pf.cells["Atlas"]
	pf.scroll = container.NewVScroll(container.NewPadded(content))
	pf.body = container.NewBorder(pf.summary, nil, nil, nil, pf.scroll)
}

// preselect fills in what Enlace can propose: the person using Enlace as
// the referring staff member when they are on the staff list, and the
// profile the person's record fits.
func (rf *referralForm) preselect(p *data.Person) {
	author := data.Fold(rf.u.Author())
	for i, st := range rf.staff {
		if data.Fold(st.Name) == author {
			rf.staffSel.SetSelectedIndex(i)
			break
		}
	}
	rf.showSituations() // for the direction chosen above, if any
	code, why := data.SuggestProfile(p, rf.prog, rf.today)
	for i, pr := range rf.prog.Profiles {
		if pr.Code == code {
			rf.profileSel.SetSelectedIndex(i + 1)
			rf.profileWhy.Segments = suggestionSegments(T("Sugerido: «{{.Profile}}».", map[string]any{"Profile": pr.Name}), why)
			rf.profileWhy.Show()
			rf.profileWhy.Refresh()
		}
	}
	rf.showAtlas()
	rf.showConsent()
	rf.pf.clearErrors()
}

// onStaff sets the office (and so the direction) to the staff member's,
// and proposes them as who filled the form when nobody is named there.
func (rf *referralForm) onStaff() {
	rf.pf.clearError("StaffID")
	i := rf.staffSel.SelectedIndex()
	if i < 0 {
		return
	}
	st := rf.staff[i]
	for j, o := range rf.offices {
		if o.ID == st.OfficeID {
			rf.officeSel.SetSelectedIndex(j)
		}
	}
	if strings.TrimSpace(rf.pf.filledBy.Text) == "" {
		rf.pf.filledBy.SetText(st.Name)
	}
}

// onOffice sets the direction that follows from the office's organisation.
func (rf *referralForm) onOffice() {
	rf.pf.clearError("OfficeID")
	i := rf.officeSel.SelectedIndex()
	if i < 0 {
		return
	}
	if d, ok := data.DirectionFrom(rf.offices[i].Org); ok {
		rf.direction.SetSelected(T(d.Label())) // runs onDirection when it changes
	}
}

// onDirection shows the situations of the new direction, and the ATLAS
// number for the AE's referrals.
func (rf *referralForm) onDirection() {
	rf.pf.clearError("Direction")
	rf.showAtlas()
	rf.showSituations()
	rf.showConsent()
}

// dir returns the chosen direction, or "".
func (rf *referralForm) dir() data.Direction {
	for _, d := range data.Directions {
		if rf.direction.Selected == T(d.Label()) {
			return d
		}
	}
	return ""
}

// showAtlas shows the ATLAS row only for referrals the AE makes.
func (rf *referralForm) showAtlas() {
	show := rf.dir() == data.FromAE
	for _, c := range rf.atlasRow {
		if show {
			c.Show()
		} else {
			c.Hide()
		}
	}
	if rf.pf.scroll != nil {
		rf.pf.scroll.Content.Refresh()
	}
}

// onSave stores the referral, and the person's changes with it. On any
// problem nothing is stored: the dialog stays open with each problem
// under its field.
func (rf *referralForm) onSave() {
	pf := rf.pf
	pf.clearErrors()
	p, bad := pf.read()
	r, rbad := rf.readReferral()
	bad = append(bad, rbad...)
	err := rf.store(&p, &r, bad)
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ve):
		pf.showProblems(ve.Fields)
		return
	case err != nil:
		rf.u.showError(err)
		return
	}
	rf.d.Hide()
	if rf.done != nil {
		rf.done(p.ID)
	}
	rf.u.showDialog(dialog.NewInformation(T("Derivación registrada"), referralSavedText(&r), rf.u.win))
}

// readReferral returns the referral the form describes, and the problems
// that stop it being read at all (a date that is not a date).
func (rf *referralForm) readReferral() (data.Referral, []data.FieldError) {
	r := data.Referral{Direction: rf.dir(), CriterionID: rf.criterionID, Note: rf.note.Text}
	if i := rf.staffSel.SelectedIndex(); i >= 0 {
		r.StaffID = rf.staff[i].ID
	}
	if i := rf.officeSel.SelectedIndex(); i >= 0 {
		r.OfficeID = rf.offices[i].ID
	}
	if i := selected(rf.profileSel); i >= 0 {
		r.Profile = rf.prog.Profiles[i].Code
	}
	if r.Direction == data.FromAE {
		r.Atlas = rf.pf.atlas.Text
	}
	var bad []data.FieldError
	d, err := data.ParseDate(rf.date.Text)
	if err != nil {
		bad = append(bad, data.FieldError{Field: "Date", Message: err.Error()})
	}
	r.Date = d
	return r, bad
}

// store writes the person (created, or updated when the form changed
// them) and proposes r, in one batch: both or neither. It collects every
// problem — bad, those of the person and those of the referral — into
// one *data.ValidationError, and then writes nothing.
func (rf *referralForm) store(p *data.Person, r *data.Referral, bad []data.FieldError) error {
	isNew, changed := p.ID == "", rf.personChanged(*p)
	return rf.u.store.Batch(rf.u.Author(), func(b *data.Batch) error {
		problems := append([]data.FieldError(nil), bad...)
		var err error
		switch {
		case isNew:
			err = b.CreatePerson(p)
		case changed:
			err = b.UpdatePerson(p)
		}
		personOK := err == nil
		if problems, err = withProblems(problems, err, nil); err != nil {
			return err
		}
		r.PersonID = p.ID
		skip := func(field string) bool {
			return (field == "PersonID" && !personOK) || hasProblem(bad, field)
		}
		if problems, err = withProblems(problems, b.Propose(r), skip); err != nil {
			return err
		}
		if len(problems) > 0 {
			return &data.ValidationError{Fields: problems}
		}
		return nil
	})
}

// withProblems adds err's field problems to problems, leaving out those
// skip names. It returns err itself when it is not a validation error.
func withProblems(problems []data.FieldError, err error, skip func(field string) bool) ([]data.FieldError, error) {
	var ve *data.ValidationError
	if err == nil {
		return problems, nil
	}
	if !errors.As(err, &ve) {
		return problems, err
	}
	for _, f := range ve.Fields {
		if skip == nil || !skip(f.Field) {
			problems = append(problems, f)
		}
	}
	return problems, nil
}

func hasProblem(problems []data.FieldError, field string) bool {
	for _, p := range problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

// personChanged reports whether p, as read from the form, differs from
// the stored person: only then is the ficha written again.
func (rf *referralForm) personChanged(p data.Person) bool {
	if rf.pf.orig == nil {
		return true
	}
	p.Normalize()
	return !reflect.DeepEqual(p, *rf.pf.orig)
}

// referralSavedText is the message after a referral is stored, naming the
// exclusions the automatic rules propose.
func referralSavedText(r *data.Referral) string {
	if len(r.Suggested) == 0 {
		return T("Derivación registrada. La coordinación la revisará.")
	}
	why := make([]string, len(r.Suggested))
	for i, f := range r.Suggested {
		why[i] = strings.TrimSuffix(T(f.Text), ".")
	}
	return T("Derivación registrada. Se propone excluir: {{.Why}}; la coordinación decidirá.",
		map[string]any{"Why": strings.Join(why, "; ")})
}
