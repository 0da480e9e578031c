package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// maxHits caps the people the list shows: beyond it the user types more.
// Search runs on every keystroke; only the list rows on screen are drawn,
// so 500 rows stay smooth whatever the size of the database.
const maxHits = 500

// peopleScreen is the Personas tab: a search-as-you-type list on the left
// and the selected person's page on the right.
type peopleScreen struct {
	u *App

	search *entry
	status *widget.Label
	list   *widget.List
	page   *personPage
	empty  fyne.CanvasObject
	root   fyne.CanvasObject

	hits        []data.Hit
	total       int
	selected    string            // ID of the person whose page is shown; never displayed
	highlighted widget.ListItemID // the row selected in the list, -1 for none
	form        *personForm       // the open new-person form, if any
}

func newPeopleScreen(u *App) *peopleScreen {
	s := &peopleScreen{u: u, highlighted: -1}

	s.search = u.newEntry()
	s.search.SetPlaceHolder(T("Buscar nombre, documento, teléfono o correo (Ctrl+F)"))
	s.search.onEscape = s.onEscape
	s.search.OnChanged = func(string) { s.runSearch() }
	s.search.OnSubmitted = func(string) { s.onSubmitSearch() }

	newBtn := u.gate(widget.NewButtonWithIcon(T("Nueva persona"), theme.ContentAddIcon(), s.onNew), data.PermEditPeople)
	newBtn.Importance = widget.HighImportance
	referBtn := u.gate(widget.NewButtonWithIcon(T("Nueva derivación"), theme.MailForwardIcon(), func() { showReferralStart(u) }), data.PermPropose)

	s.status = widget.NewLabel("")
	s.status.SizeName = theme.SizeNameCaptionText
	s.status.Wrapping = fyne.TextWrapWord // "Nadie coincide con «…»" in full

	s.list = widget.NewList(
		func() int { return len(s.hits) },
		newPersonRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { s.updateRow(id, o) },
	)
	s.list.OnUnselected = func(widget.ListItemID) { s.highlighted = -1 }
	s.list.OnSelected = func(id widget.ListItemID) {
		s.highlighted = id
		if id >= 0 && id < len(s.hits) {
			s.open(s.hits[id].ID)
		}
	}

	// The buttons take the row under the search, and what the list holds
	// has a line of its own: beside the buttons it was cut to "43 person…".
	top := container.NewVBox(s.search, container.NewHBox(layout.NewSpacer(), referBtn, newBtn), s.status)
	left := container.NewBorder(top, nil, nil, nil, s.list)

	s.page = newPersonPage(u, s.afterSave)
	hint := greyText(T("Elija una persona de la lista o cree una nueva (Ctrl+N)"))
	hint.Segments[0].(*widget.TextSegment).Style.Alignment = fyne.TextAlignCenter
	icon := widget.NewIcon(theme.AccountIcon())
	s.empty = container.NewVBox(layout.NewSpacer(),
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)),
		hint, layout.NewSpacer())
	s.page.content().Hide()
	right := container.NewStack(s.empty, s.page.content())

	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.36
	s.root = split

	s.runSearch()
	return s
}

// content returns the screen's root object; always the same one.
func (s *peopleScreen) content() fyne.CanvasObject { return s.root }

// refresh re-runs the search, for when people changed elsewhere.
func (s *peopleScreen) refresh() {
	s.runSearch()
	if s.selected != "" {
		s.page.reload()
	}
}

// focusSearch puts the cursor in the search box.
func (s *peopleScreen) focusSearch() { s.u.win.Canvas().Focus(s.search) }

// onNew opens the form for a new person.
func (s *peopleScreen) onNew() {
	f := showPersonForm(s.u, nil, s.afterSave)
	s.form = f
	f.d.SetOnClosed(func() {
		if s.form == f {
			s.form = nil
		}
	})
}

// onEscape closes the open dialog, or else clears the search.
func (s *peopleScreen) onEscape() {
	if len(s.u.dialogs) > 0 {
		s.u.dismissTop()
		return
	}
	s.search.SetText("")
}

// onSubmitSearch opens the first person found when Enter is pressed.
func (s *peopleScreen) onSubmitSearch() {
	if len(s.hits) > 0 {
		s.list.Select(0)
	}
}

// runSearch fills the list with the people matching the search text and
// keeps the shown person selected when they are still in it.
func (s *peopleScreen) runSearch() {
	q := s.search.Text
	s.hits, s.total = s.u.store.Search(q, maxHits)
	s.status.SetText(s.statusText(q))
	s.list.UnselectAll()
	s.list.Refresh()
	if i := s.indexOf(s.selected); i >= 0 {
		s.list.Select(i)
	}
	if len(s.hits) > 0 && s.indexOf(s.selected) < 0 {
		s.list.ScrollToTop()
	}
}

func (s *peopleScreen) statusText(q string) string {
	switch {
	case s.total > len(s.hits):
		return T("Mostrando {{.Shown}} de {{.Total}} — escriba más para afinar",
			map[string]any{"Shown": formatCount(len(s.hits)), "Total": formatCount(s.total)})
	case s.total == 0 && strings.TrimSpace(q) == "":
		return T("Todavía no hay personas. Cree la primera con «Nueva persona» (Ctrl+N).")
	case s.total == 0:
		return T("Nadie coincide con «{{.Query}}».", map[string]any{"Query": strings.TrimSpace(q)})
	case s.total == 1:
		return T("1 persona")
	}
	return T("{{.Count}} personas", map[string]any{"Count": formatCount(s.total)})
}

func (s *peopleScreen) indexOf(id string) int {
	if id == "" {
		return -1
	}
	for i := range s.hits {
		if s.hits[i].ID == id {
			return i
		}
	}
	return -1
}

// open shows the page of the person with id.
func (s *peopleScreen) open(id string) {
	if id == s.selected && s.page.content().Visible() {
		return
	}
	if err := s.page.show(id); err != nil {
		s.u.showError(err)
		return
	}
	s.selected = id
	s.empty.Hide()
	s.page.content().Show()
}

// openPerson shows the person with id and makes sure the list shows them
// too: when the current search leaves them out, it searches their name.
func (s *peopleScreen) openPerson(id string) {
	s.selected = ""
	s.runSearch()
	if s.indexOf(id) < 0 {
		if c, err := s.u.store.Card(id); err == nil {
			s.search.SetText(c.FullName()) // runs the search
		}
	}
	if i := s.indexOf(id); i >= 0 {
		s.list.Select(i) // opens the page
		s.list.ScrollTo(i)
		return
	}
	s.open(id)
}

// afterSave shows a person just created or edited, or the existing one
// the user chose instead of creating a duplicate.
func (s *peopleScreen) afterSave(id string) {
	s.openPerson(id)
}

// newPersonRow is the list row template: the name in bold over a line of
// document, birth date and phone, and a warning icon at the end while
// sync holds simultaneous changes to the person to review.
func newPersonRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	clash := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	clash.Hide()
	return container.NewBorder(nil, nil, nil, clash, container.New(&tightVBox{}, name, detail))
}

func (s *peopleScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.hits) {
		return
	}
	c := &s.hits[id].PersonCard
	row := o.(*fyne.Container)
	box := row.Objects[0].(*fyne.Container)
	name := c.FullName()
	if name == "" {
		name = T("(sin nombre)")
	}
	box.Objects[0].(*widget.Label).SetText(name)
	box.Objects[1].(*widget.Label).SetText(cardDetail(c))
	if clash := row.Objects[1].(*widget.Icon); s.u.store.HasSyncConflicts(c.ID) {
		clash.Show()
	} else {
		clash.Hide()
	}
}

// cardDetail is the second line of a list row.
func cardDetail(c *data.PersonCard) string {
	var parts []string
	if d := docText(c.DocKind, c.DocNumber); d != "" {
		parts = append(parts, d)
	}
	if !c.BirthDate.IsZero() {
		parts = append(parts, T("nac. {{.Date}}", map[string]any{"Date": c.BirthDate.String()}))
	}
	switch {
	case c.Phone1 != "":
		parts = append(parts, data.FormatPhone(c.Phone1))
	case c.Phone2 != "":
		parts = append(parts, data.FormatPhone(c.Phone2))
	case c.Email != "":
		parts = append(parts, c.Email)
	}
	if len(parts) == 0 {
		return T("Sin documento ni teléfono")
	}
	return strings.Join(parts, " · ")
}

// docText is a document's short label and number, e.g. "NIE X1234567L".
func docText(kind data.DocKind, number string) string {
	label := ""
	if kind != "" {
		label, _, _ = strings.Cut(T(kind.Label()), " (")
	}
	return strings.TrimSpace(label + " " + number)
}

// formatCount writes n with thousands separators: 12.345 in Spanish,
// 12,345 in English.
func formatCount(n int) string {
	s := strconv.Itoa(n)
	sep := "."
	if english() {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// langProbe is translated only in the English files: the interface speaks
// English when T changes it. (The language preference may have changed
// since SetLanguage ran; what matters is the words on screen.)
const langProbe = "idioma de la interfaz: español"

// english reports whether the interface is in English.
func english() bool { return T(langProbe) != langProbe }

// greyText is a wrapping secondary text: field names, notes, who wrote
// what. Grey enough to step back, dark enough to read.
func greyText(s string) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: s,
		Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// tightVBox stacks objects with no padding between them: the two lines of
// a list row read as one item.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height -= theme.Padding()
		}
	}
	return s
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		if i > 0 {
			y -= theme.Padding()
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}
