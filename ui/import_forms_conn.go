package ui

import (
	"errors"
	"log"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
)

// connDraft is what the connection dialog shows: the stored connection,
// or what was typed when the check failed.
type connDraft struct {
	URL, User, Form, Password string
}

func draftOf(c nextcloud.Connection) connDraft {
	d := connDraft{URL: c.URL, User: c.User}
	if c.FormID > 0 {
		d.Form = strconv.Itoa(c.FormID)
	}
	return d
}

// connDialog is the connection dialog and its fields.
type connDialog struct {
	url, user, form, password *widget.Entry
	remember                  *widget.Check
	problem                   *widget.Label // why the last check failed; hidden when none
	d                         *dialog.ConfirmDialog
}

func (c *connDialog) draft() connDraft {
	return connDraft{URL: c.url.Text, User: c.user.Text, Form: c.form.Text, Password: c.password.Text}
}

// askConnection asks for the Nextcloud, the user, the form (its number or
// a link to it) and the app password, checks them against the server and
// saves them; then pulls when thenPull. problem, when not "", says why
// they are asked again.
func (f *formsPull) askConnection(draft connDraft, thenPull bool, problem string) {
	c := &connDialog{url: widget.NewEntry(), user: widget.NewEntry(), form: widget.NewEntry(), password: widget.NewPasswordEntry()}
	c.url.SetPlaceHolder("https://nube.ejemplo.org")
	c.url.SetText(draft.URL)
	c.user.SetText(draft.User)
	c.form.SetPlaceHolder(T("7, o el enlace del formulario"))
	c.form.SetText(draft.Form)
	c.password.SetText(draft.Password)
	c.remember = widget.NewCheck(T("Recordarla en este equipo (almacén de contraseñas del sistema)"), nil)
	c.remember.SetChecked(true)
	c.problem = wrappedText(problem)
	c.problem.Importance = widget.DangerImportance
	if problem == "" {
		c.problem.Hide()
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Dirección de Nextcloud"), c.url),
		widget.NewFormItem(T("Usuario"), c.user),
		widget.NewFormItem(T("Formulario"), withNote(c.form, smallNote(T("Su número o su enlace: la dirección del formulario en la app Formularios (…/apps/forms/…) o su enlace público.")))),
		widget.NewFormItem(T("Contraseña de aplicación"), withNote(c.password, smallNote(T("Créela en Nextcloud: Ajustes personales → Seguridad → Crear contraseña de aplicación.")))),
	)
	intro := wrappedText(T("Enlace trae las respuestas del formulario de derivaciones de la app Formularios del Nextcloud de la organización y las borra del servidor en cuanto las ha importado. El usuario tiene que poder ver los resultados del formulario."))
	c.d = dialog.NewCustomConfirm(T("Conexión con el formulario de Nextcloud"), T("Comprobar y guardar"), T("Cancelar"),
		container.NewVBox(intro, c.problem, form, c.remember), func(ok bool) {
			f.conn = nil
			if ok {
				f.check(c.draft(), c.remember.Checked, thenPull)
			}
		}, f.u.win)
	c.d.Resize(fyne.NewSize(760, c.d.MinSize().Height))
	f.conn = c
	f.u.showDialog(c.d)
	for _, e := range []*widget.Entry{c.url, c.user, c.form, c.password} {
		if e.Text == "" {
			f.u.win.Canvas().Focus(e)
			break
		}
	}
}

// check reads the draft, asks the server for the form off the UI
// goroutine and, when it answers, remembers the password, saves the
// connection and pulls (thenPull) or says it is saved. On a problem it
// asks again, saying why.
func (f *formsPull) check(draft connDraft, remember, thenPull bool) {
	if f.running {
		return
	}
	again := func(err error) { f.askConnection(draft, thenPull, formsErrorText(err)) }
	ref, err := nextcloud.ParseFormRef(draft.Form)
	if err != nil {
		again(err)
		return
	}
	if strings.TrimSpace(draft.URL) == "" {
		draft.URL = ref.Base // the form's link names its Nextcloud
	}
	root, err := nextcloud.CheckURL(draft.URL)
	if err != nil {
		again(err)
		return
	}
	user := strings.TrimSpace(draft.User)
	if user == "" {
		again(errors.New(T("Falta el usuario de Nextcloud.")))
		return
	}
	key := nextcloud.Connection{URL: root, User: user}.SecretKey()
	pw := draft.Password
	f.begin(T("Comprobando la conexión con {{.URL}}…", map[string]any{"URL": root}))
	go func() {
		if pw == "" {
			pw = f.secret(key) // changing only the form keeps the saved password
		}
		var form nextcloud.Form
		kept := true
		err := errors.New(T("Falta la contraseña de aplicación."))
		if pw != "" {
			c := &nextcloud.Client{BaseURL: root, User: user, Password: pw, HTTP: f.http}
			if form, err = c.Resolve(ref); err == nil {
				kept = f.remember(key, pw, remember)
			}
		}
		fyne.Do(func() {
			f.end()
			if !kept {
				f.note = T("Este equipo no tiene almacén de contraseñas: se recordará solo hasta cerrar Enlace")
			}
			conn := nextcloud.Connection{URL: root, User: user, FormID: form.ID, Title: form.Title}
			if err == nil {
				err = nextcloud.SaveConnection(f.u.store, conn)
			}
			if err != nil {
				f.result = formsErrorText(err)
				again(err)
				f.told()
				return
			}
			f.showConnection(conn)
			if thenPull {
				f.start(conn)
				return
			}
			f.result = T("Conexión guardada: formulario «{{.Title}}» (número {{.ID}}) de {{.User}} en {{.URL}}.",
				map[string]any{"Title": conn.Title, "ID": conn.FormID, "User": conn.User, "URL": conn.URL})
			f.result = f.noted(f.result)
			f.u.showDialog(dialog.NewInformation(T("Formulario de Nextcloud"), f.result, f.u.win))
			f.told()
		})
	}()
}

// secret is the app password under key: typed this session, or in the
// credential store ("" when neither has it). Off the UI goroutine: the
// credential store may wait for the user to unlock it.
func (f *formsPull) secret(key string) string {
	if pw, err := f.session.Get(key); err == nil && pw != "" {
		return pw
	}
	if pw, err := f.keyring.Get(key); err == nil && pw != "" {
		_ = f.session.Set(key, pw)
		return pw
	}
	return ""
}

// remember keeps pw for the session and, when keep, in the credential
// store; it returns false when keep and the system has no store. Off the
// UI goroutine.
func (f *formsPull) remember(key, pw string, keep bool) bool {
	_ = f.session.Set(key, pw)
	if keep {
		if err := f.keyring.Set(key, pw); err != nil {
			log.Printf("formulario de Nextcloud: guardar la contraseña: %v", err)
			return !errors.Is(err, backup.ErrNoKeyring)
		}
	}
	return true
}
