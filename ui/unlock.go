package ui

import (
	"errors"
	"log"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
)

// unlockMode is what the unlock form is for.
type unlockMode int

const (
	modeOpen    unlockMode = iota // an encrypted file: user and passphrase
	modeCreate                    // no file yet: the first user
	modeConvert                   // a file from before encryption: the first user, then encrypt
	modeRelock                    // the window locked itself: the passphrase again
)

// unlockView is the form shown instead of the screens until the database
// is unlocked, and whenever the window is locked.
type unlockView struct {
	u    *App
	path string
	mode unlockMode
	root fyne.CanvasObject

	title, intro   *widget.Label
	name, login    *widget.Entry
	pass, repeat   *widget.Entry
	msg            *widget.Label
	progress       *widget.ProgressBar
	busy           *widget.ProgressBarInfinite
	button         *widget.Button
	nameRow, twice *fyne.Container
}

func newUnlockView(u *App, path string, mode unlockMode) *unlockView {
	v := &unlockView{u: u, path: path}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.intro = widget.NewLabel("")
	v.intro.Wrapping = fyne.TextWrapWord
	v.name, v.login = widget.NewEntry(), widget.NewEntry()
	v.pass, v.repeat = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	v.login.SetPlaceHolder(T("usuario"))
	v.pass.OnSubmitted = func(string) { v.onSubmit() }
	v.repeat.OnSubmitted = func(string) { v.onSubmit() }
	v.msg = widget.NewLabel("")
	v.msg.Importance = widget.DangerImportance
	v.msg.Wrapping = fyne.TextWrapWord
	v.progress, v.busy = widget.NewProgressBar(), widget.NewProgressBarInfinite()
	v.progress.Hide()
	v.busy.Hide()
	v.busy.Stop()
	v.button = widget.NewButtonWithIcon("", theme.LoginIcon(), v.onSubmit)
	v.button.Importance = widget.HighImportance
	v.nameRow = container.NewVBox(widget.NewLabel(T("Nombre y apellidos")), v.name)
	v.twice = container.NewVBox(widget.NewLabel(T("Repita la contraseña")), v.repeat)
	form := container.NewVBox(v.title, v.intro, v.nameRow,
		widget.NewLabel(T("Usuario")), v.login,
		widget.NewLabel(T("Contraseña")), v.pass, v.twice,
		v.msg, v.progress, v.busy, v.button)
	v.root = container.NewCenter(container.New(&minWidthLayout{width: 460}, container.NewPadded(form)))
	v.setMode(mode)
	return v
}

// setMode shows the fields and words of mode.
func (v *unlockView) setMode(mode unlockMode) {
	v.mode = mode
	newUser := mode == modeCreate || mode == modeConvert
	v.nameRow.Hidden, v.twice.Hidden = !newUser, !newUser
	switch mode {
	case modeOpen:
		v.title.SetText(T("Enlace"))
		v.intro.SetText(T("Los datos están cifrados. Escriba su usuario y su contraseña."))
		v.button.SetText(T("Abrir"))
	case modeCreate:
		v.title.SetText(T("Bienvenida a Enlace"))
		v.intro.SetText(T("Cree el primer usuario: será administrador y coordinador. Los datos se cifran con su contraseña: sin ella no se pueden abrir, guárdela en un lugar seguro."))
		v.button.SetText(T("Crear y abrir"))
	case modeConvert:
		v.title.SetText(T("Cifrar la base de datos"))
		v.intro.SetText(T("Esta base de datos es de una versión anterior de Enlace y no está cifrada. Cree el usuario administrador: al abrirla se cifrará entera, y la copia sin cifrar se borra en cuanto se comprueba el resultado."))
		v.button.SetText(T("Cifrar y abrir"))
	case modeRelock:
		v.title.SetText(T("Enlace está bloqueado"))
		v.intro.SetText(T("Los datos se han ocultado. Escriba su contraseña para seguir, u otro usuario y su contraseña."))
		v.button.SetText(T("Desbloquear"))
	}
	v.root.Refresh()
}

// check returns what is wrong with the typed fields, or "".
func (v *unlockView) check() string {
	if v.login.Text == "" || v.pass.Text == "" {
		return T("Escriba el usuario y la contraseña.")
	}
	if v.mode != modeCreate && v.mode != modeConvert {
		return ""
	}
	switch {
	case v.name.Text == "":
		return T("Escriba su nombre y apellidos: quedarán como autor de cada cambio.")
	case utf8.RuneCountInString(v.pass.Text) < data.MinPassphrase:
		return T("La contraseña debe tener al menos {{.N}} caracteres.", map[string]any{"N": data.MinPassphrase})
	case v.pass.Text != v.repeat.Text:
		return T("Las dos contraseñas no coinciden.")
	}
	return ""
}

// onSubmit opens (or creates, or encrypts) the database, or unlocks the
// window, in the background: the key derivation and the index take a
// second, an encryption longer.
func (v *unlockView) onSubmit() {
	if msg := v.check(); msg != "" {
		v.msg.SetText(msg)
		return
	}
	v.msg.SetText("")
	v.setBusy(true)
	login, pass := v.login.Text, v.pass.Text
	if v.mode == modeRelock {
		go func() {
			err := v.u.store.Reauth(login, pass)
			fyne.Do(func() {
				if err == nil {
					v.u.reopen = func(path string) (*data.Store, error) {
						return data.Open(path, &data.Options{Login: login, Passphrase: pass})
					}
				}
				v.done(nil, err)
			})
		}()
		return
	}
	o := &data.Options{Login: login, Passphrase: pass, Name: v.name.Text}
	o.Progress = func(done, total int) {
		fyne.Do(func() { v.showProgress(done, total) })
	}
	go func() {
		s, err := data.Open(v.path, o)
		fyne.Do(func() {
			if err == nil {
				v.u.reopen = func(path string) (*data.Store, error) {
					return data.Open(path, &data.Options{Login: login, Passphrase: pass})
				}
			}
			v.done(s, err)
		})
	}()
}

func (v *unlockView) showProgress(done, total int) {
	if total == 0 {
		return
	}
	v.busy.Hide()
	v.progress.Show()
	v.progress.SetValue(float64(done) / float64(total))
}

func (v *unlockView) setBusy(on bool) {
	for _, e := range []*widget.Entry{v.name, v.login, v.pass, v.repeat} {
		if on {
			e.Disable()
		} else {
			e.Enable()
		}
	}
	if on {
		v.button.Disable()
		v.busy.Show()
		v.busy.Start()
		return
	}
	v.button.Enable()
	v.busy.Stop()
	v.busy.Hide()
	v.progress.Hide()
}

// done takes the result of onSubmit.
func (v *unlockView) done(s *data.Store, err error) {
	v.setBusy(false)
	switch {
	case err == nil && v.mode == modeRelock:
		v.u.relocked()
	case err == nil:
		v.u.unlocked(s)
	case errors.Is(err, data.ErrNotEncrypted):
		v.setMode(modeConvert)
	default:
		log.Printf("abrir: %v", err)
		v.msg.SetText(unlockMessage(err))
		v.pass.SetText("")
		v.u.win.Canvas().Focus(v.pass)
	}
}

// unlockMessage says why the database did not open.
func unlockMessage(err error) string {
	switch {
	case errors.Is(err, data.ErrWrongPassphrase):
		return T("Usuario o contraseña incorrectos.")
	case errors.Is(err, data.ErrNoCredentials):
		return T("Escriba el usuario y la contraseña.")
	}
	return ErrorMessage(err)
}

// minWidthLayout stacks its objects and asks for at least width, so that
// a centred form is as wide as its text needs and not squeezed.
type minWidthLayout struct{ width float32 }

func (l *minWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *minWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := layout.NewStackLayout().MinSize(objs)
	s.Width = max(s.Width, l.width)
	return s
}
