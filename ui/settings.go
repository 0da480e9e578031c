package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// settingsScreen is "Ajustes": interface language, the author's name, and
// where the database lives. Interface choices go to Fyne's per-user
// preferences, not to the database.
type settingsScreen struct {
	u    *App
	root fyne.CanvasObject

	language *widget.Select
	theme    *widget.Select
	copyBtn  *widget.Button
	copied   *widget.Label
}

func newSettingsScreen(u *App) *settingsScreen {
	s := &settingsScreen{u: u}

	names := make([]string, len(Languages))
	for i, code := range Languages {
		names[i] = languageName(code)
	}
	s.language = widget.NewSelect(names, nil)
	s.language.SetSelected(languageName(u.app.Preferences().StringWithFallback(prefLanguage, "es")))
	s.language.OnChanged = s.onLanguage
	langNote := smallNote(T("El cambio de idioma se aplica al reiniciar Enlace."))

	themes := make([]string, len(themeChoices))
	for i, c := range themeChoices {
		themes[i] = themeLabel(c)
	}
	s.theme = widget.NewSelect(themes, nil)
	s.theme.SetSelected(themeLabel(u.app.Preferences().StringWithFallback(prefTheme, "system")))
	s.theme.OnChanged = s.onTheme

	path := widget.NewLabel(u.store.Path())
	path.Wrapping = fyne.TextWrapBreak
	path.Selectable = true
	s.copyBtn = widget.NewButtonWithIcon(T("Copiar ruta"), theme.ContentCopyIcon(), s.onCopyPath)
	s.copied = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.copied.Hide()

	version := u.version
	if version == "" {
		version = T("sin número (compilación de desarrollo)")
	}

	form := widget.NewForm(
		widget.NewFormItem(T("Idioma"), withNote(s.language, langNote)),
		widget.NewFormItem(T("Colores"), s.theme),
		widget.NewFormItem(T("Bloqueo"), u.lockRow()),
		widget.NewFormItem(T("Base de datos"), container.NewVBox(path,
			container.NewHBox(s.copyBtn, s.copied))),
		widget.NewFormItem(T("Versión"), widget.NewLabel(version)),
	)
	title := widget.NewLabelWithStyle(T("Ajustes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	s.root = container.NewVScroll(container.NewPadded(
		container.New(&maxWidthLayout{width: 760}, container.NewVBox(title, form,
			u.users.content(), u.audit.content(), widget.NewSeparator(),
			container.NewGridWrap(fyne.NewSize(720, 360), u.retention.root), u.docStyle.content(), u.backup.content(), u.syncContent()))))
	return s
}

// content returns the screen's root object; the same object every call.
func (s *settingsScreen) content() fyne.CanvasObject { return s.root }

func (s *settingsScreen) onLanguage(name string) {
	for _, code := range Languages {
		if languageName(code) == name {
			s.u.app.Preferences().SetString(prefLanguage, code)
		}
	}
}

// onTheme stores the colour scheme and applies it at once.
func (s *settingsScreen) onTheme(label string) {
	for _, c := range themeChoices {
		if themeLabel(c) == label {
			s.u.app.Preferences().SetString(prefTheme, c)
			s.u.applyTheme(c)
		}
	}
}

func (s *settingsScreen) onCopyPath() {
	s.u.app.Clipboard().SetContent(s.u.store.Path())
	s.copied.SetText(T("Copiada."))
	s.copied.Show()
}

// smallNote is an explanatory note, in italics to tell it from a value.
func smallNote(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle.Italic = true
	return l
}

// withNote stacks a field over its note, close together.
func withNote(field, note fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), field, note)
}

// maxWidthLayout lays its objects out at the leading edge, no wider than
// width, so that a form does not stretch across a wide window.
type maxWidthLayout struct{ width float32 }

func (l *maxWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width > l.width {
		size.Width = l.width
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *maxWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return layout.NewStackLayout().MinSize(objs)
}

// syncContent is the sync panel, or nothing in tests that build the
// settings screen without it.
func (u *App) syncContent() fyne.CanvasObject {
	if u.sync == nil {
		return layout.NewSpacer()
	}
	return u.sync.content()
}
