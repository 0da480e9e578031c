package ui

import (
	"log"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// savedBar is the strip at the foot of the window that says where a file
// was just saved ("PDF guardado en …"), with a button to its folder. It
// stays until closed or replaced by the next save, so a coordinator can
// always find what they printed a minute ago. Like the backup banner, it
// is a holder whose content is added and removed, so the window lays it
// out again.
type savedBar struct {
	u    *App
	dir  fyne.URI // the folder of the file, for the button
	root *fyne.Container
}

func newSavedBar(u *App) *savedBar {
	return &savedBar{u: u, root: container.NewStack()}
}

// show says that what (e.g. "PDF") was saved at uri.
func (b *savedBar) show(what string, uri fyne.URI) {
	b.dir = nil
	if dir, err := storage.Parent(uri); err == nil {
		b.dir = dir
	} else if uri.Scheme() == "file" {
		b.dir = storage.NewFileURI(filepath.Dir(uri.Path()))
	}
	var open []*widget.Button
	if b.dir != nil {
		open = append(open, widget.NewButtonWithIcon(T("Abrir carpeta"), theme.FolderOpenIcon(), b.openFolder))
	}
	b.put(T("{{.What}} guardado en {{.Path}}", map[string]any{"What": what, "Path": uri.Path()}), open...)
}

// tell says that something was done, with the buttons that follow it up
// (Deshacer, Abrir ficha…). A button closes the strip before it acts.
func (b *savedBar) tell(text string, actions ...*widget.Button) {
	b.dir = nil
	for _, a := range actions {
		act := a.OnTapped
		a.OnTapped = func() {
			b.hide()
			act()
		}
	}
	b.put(text, actions...)
}

// put shows text with the buttons, and one that closes the strip.
func (b *savedBar) put(text string, buttons ...*widget.Button) {
	label := widget.NewLabel(text)
	label.Truncation = fyne.TextTruncateEllipsis
	row := container.NewHBox()
	for _, btn := range buttons {
		row.Add(btn)
	}
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), b.hide)
	closeBtn.Importance = widget.LowImportance
	row.Add(closeBtn)
	b.root.RemoveAll()
	b.root.Add(strip(theme.ColorNameSuccess, theme.ConfirmIcon(), label, row))
	b.root.Refresh()
}

// shown reports whether the strip is on show.
func (b *savedBar) shown() bool { return len(b.root.Objects) > 0 }

func (b *savedBar) hide() {
	b.root.RemoveAll()
	b.root.Refresh()
}

// openFolder opens the file's folder in the system's file manager.
func (b *savedBar) openFolder() {
	if b.dir == nil {
		return
	}
	target, err := url.Parse(b.dir.String())
	if err == nil {
		err = b.u.app.OpenURL(target)
	}
	if err != nil {
		log.Printf("abrir carpeta %s: %v", b.dir, err)
		b.u.showError(err)
	}
}
