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
// stays until closed or replaced by the next save,
// so a coordinator can always find what they printed a minute ago.
type savedBar struct {
	u      *App
	label  *widget.Label
	folder *widget.Button
	dir    fyne.URI // the folder of the file, for the button
	root   *fyne.Container
}

func newSavedBar(u *App) *savedBar {
	b := &savedBar{u: u}
	b.label = widget.NewLabel("")
	b.label.Truncation = fyne.TextTruncateEllipsis
	b.label.Importance = widget.SuccessImportance
	b.folder = widget.NewButtonWithIcon(T("Abrir carpeta"), theme.FolderOpenIcon(), b.openFolder)
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), b.hide)
	closeBtn.Importance = widget.LowImportance
	b.root = container.NewBorder(nil, nil, widget.NewIcon(theme.ConfirmIcon()),
		container.NewHBox(b.folder, closeBtn), b.label)
	b.root.Hide()
	return b
}

// show says that what (e.g. "PDF") was saved at uri.
func (b *savedBar) show(what string, uri fyne.URI) {
	b.label.SetText(T("{{.What}} guardado en {{.Path}}", map[string]any{"What": what, "Path": uri.Path()}))
	b.dir = nil
	if dir, err := storage.Parent(uri); err == nil {
		b.dir = dir
	}
	if b.dir == nil && uri.Scheme() == "file" {
		b.dir = storage.NewFileURI(filepath.Dir(uri.Path()))
	}
	if b.dir == nil {
		b.folder.Hide()
	} else {
		b.folder.Show()
	}
	b.root.Show()
}

func (b *savedBar) hide() { b.root.Hide() }

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
