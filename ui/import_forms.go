package ui

import (
	"errors"
	"log"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
)

// formsPull is the Derivaciones buttons that fetch the referral form's
// answers from the Forms app of the organisation's Nextcloud: the
// connection is asked once (address, user and form in the store, the app
// password in the system's credential store), the answers are fetched off
// the UI goroutine behind a progress dialog, shown in the same preview as
// a file import, and imported on confirmation; only then are the imported
// ones deleted on the server (nextcloud.Client.Pull records each before
// deleting it). Answers with errors stay on the server, to be corrected
// there.
type formsPull struct {
	u       *App
	fetch   *widget.Button // "Traer del formulario de Nextcloud"
	change  *widget.Button // "Cambiar conexión", once there is one
	status  *widget.Label  // which form the button fetches
	keyring backup.Secrets // the system's credential store
	session backup.Secrets // app passwords typed in this session
	http    *http.Client   // nil: the client's own (tests shorten it)
	running bool           // a check or a pull is under way
	note    string         // said once after the next result: the password is kept for this session only

	progress     dialog.Dialog
	progressText *widget.Label
	conn         *connDialog    // the open connection dialog, for tests
	preview      *importPreview // the open preview, for tests
	result       string         // what the last pull or check said, for tests
	// shown and done, when set (tests), are told when the preview opens
	// and when a pull or a check has been dealt with.
	shown func(*importPreview)
	done  func()
}

func newFormsPull(u *App) *formsPull {
	f := &formsPull{u: u, keyring: backup.Keyring(), session: backup.Memory()}
	f.fetch = u.gate(widget.NewButtonWithIcon(T("Traer del formulario de Nextcloud"), theme.DownloadIcon(), f.onFetch), data.PermPropose)
	f.change = u.gate(widget.NewButtonWithIcon(T("Cambiar conexión"), theme.SettingsIcon(), f.onChange), data.PermPropose)
	f.status = widget.NewLabel("")
	f.status.Truncation = fyne.TextTruncateEllipsis
	f.status.Importance = widget.LowImportance
	conn, err := nextcloud.LoadConnection(u.store)
	if err != nil {
		f.change.Hide()
	}
	f.showConnection(conn)
	return f
}

// showConnection says, beside the buttons, which form they fetch.
func (f *formsPull) showConnection(conn nextcloud.Connection) {
	if conn.FormID == 0 {
		f.status.SetText("")
		return
	}
	f.change.Show()
	host := conn.URL
	if u, err := url.Parse(conn.URL); err == nil && u.Host != "" {
		host = u.Host
	}
	f.status.SetText(T("Nextcloud: «{{.Title}}» en {{.Host}}", map[string]any{"Title": conn.Title, "Host": host}))
}

// onFetch pulls with the stored connection, or asks for one first.
func (f *formsPull) onFetch() {
	conn, err := nextcloud.LoadConnection(f.u.store)
	if err != nil {
		if !errors.Is(err, data.ErrNotFound) {
			log.Printf("formulario de Nextcloud: %v", err)
		}
		f.askConnection(connDraft{}, true, "")
		return
	}
	f.start(conn)
}

// onChange edits the stored connection.
func (f *formsPull) onChange() {
	conn, err := nextcloud.LoadConnection(f.u.store)
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		log.Printf("formulario de Nextcloud: %v", err)
	}
	f.askConnection(draftOf(conn), false, "")
}

// start finds the app password off the UI goroutine and pulls; without
// one it asks for the connection again, password included.
func (f *formsPull) start(conn nextcloud.Connection) {
	if f.running {
		return
	}
	f.begin(T("Descargando las respuestas del formulario «{{.Title}}» de {{.URL}}…", map[string]any{"Title": conn.Title, "URL": conn.URL}))
	author := f.u.Author()
	go func() {
		pw := f.secret(conn.SecretKey())
		if pw == "" {
			fyne.Do(func() {
				f.end()
				f.askConnection(draftOf(conn), true, T("Escriba la contraseña de aplicación: este equipo no la tiene guardada."))
				f.told()
			})
			return
		}
		c := &nextcloud.Client{BaseURL: conn.URL, User: conn.User, Password: pw, HTTP: f.http}
		refused := false
		got, err := c.Pull(f.u.store, conn.FormID, author, f.confirm(conn, &refused))
		fyne.Do(func() { f.finish(conn, got, err, refused) })
	}()
}

// begin shows the progress dialog with text and disables the button.
func (f *formsPull) begin(text string) {
	f.running = true
	f.fetch.Disable()
	f.change.Disable()
	f.progressText = wrappedText(text)
	f.progress = dialog.NewCustomWithoutButtons(T("Formulario de Nextcloud"),
		container.NewVBox(f.progressText, widget.NewProgressBarInfinite()), f.u.win)
	f.progress.Resize(fyne.NewSize(560, 0))
	f.progress.Show()
}

// say changes the progress dialog's text.
func (f *formsPull) say(text string) {
	if f.progressText != nil {
		f.progressText.SetText(text)
	}
}

// end hides the progress and gives the button back.
func (f *formsPull) end() {
	if f.progress != nil {
		f.progress.Hide()
		f.progress = nil
	}
	f.running = false
	f.u.enableFor(f.fetch, data.PermPropose, true)
	f.u.enableFor(f.change, data.PermPropose, true)
}

func (f *formsPull) told() {
	if f.done != nil {
		f.done()
	}
}

// confirm is Pull's preview: it runs on Pull's goroutine, shows the plan
// on the UI goroutine and waits for the coordinator's answer. A plan with
// nothing to import needs no answer: Pull goes on, and retries deleting
// the answers imported before.
// *refused is set when the coordinator cancels.
func (f *formsPull) confirm(conn nextcloud.Connection, refused *bool) func(*forms.Plan) bool {
	return func(plan *forms.Plan) bool {
		if ok, _, _, _ := (&importPreview{plan: plan}).counts(); ok == 0 {
			return true
		}
		answer := make(chan bool, 1)
		fyne.Do(func() {
			f.progress.Hide()
			f.showPreview(conn, plan, answer)
		})
		yes := <-answer
		*refused = !yes
		if yes {
			fyne.Do(func() {
				f.progress.Show()
				f.say(T("Importando y borrando del servidor las respuestas importadas…"))
			})
		}
		return yes
	}
}

// showPreview is the file import's preview, worded for the form: its
// buttons answer Pull instead of importing themselves.
func (f *formsPull) showPreview(conn nextcloud.Connection, plan *forms.Plan, answer chan<- bool) {
	p := &importPreview{u: f.u, plan: plan, fromForm: true, form: conn.Title}
	p.fillRows()
	p.build()
	ok, bad, review, done := p.counts()
	p.summary.SetText(T("Formulario «{{.Title}}» de {{.URL}}: {{.Rows}} respuestas. Se pueden importar: {{.OK}} (para revisar después: {{.Review}}). Con errores: {{.Bad}}. Ya importadas antes: {{.Done}}.",
		map[string]any{"Title": conn.Title, "URL": conn.URL, "Rows": len(plan.File.Rows), "OK": ok, "Review": review, "Bad": bad, "Done": done}))
	p.hint.SetText(T("Al importar, las respuestas importadas se borran de Nextcloud; las que tienen errores no se importan y se quedan allí, para corregirlas en el formulario."))
	p.hint.Show()
	if bad == 0 {
		p.hint.Importance = widget.MediumImportance
	}
	p.hint.Refresh()
	decided := false
	decide := func(yes, hide bool) {
		if decided {
			return
		}
		decided = true
		if hide {
			p.d.Hide() // before Pull goes on: its OnClosed finds it decided
		}
		answer <- yes
	}
	p.all.OnTapped = func() { decide(true, true) }
	p.valid.OnTapped = p.all.OnTapped
	p.cancel.OnTapped = func() { decide(false, true) }
	p.d.SetOnClosed(func() {
		f.preview = nil
		decide(false, false) // Esc, or the window locking
	})
	f.preview = p
	if f.shown != nil {
		f.shown(p)
	}
}

// finish says what the pull did, or why it failed; nothing when the
// coordinator cancelled the preview.
func (f *formsPull) finish(conn nextcloud.Connection, got nextcloud.Pulled, err error, refused bool) {
	f.end()
	defer f.told()
	if refused && err == nil {
		f.result = T("Cancelado: no se ha importado ni borrado nada.")
		return
	}
	if got.Result.Rows > 0 || got.Deleted > 0 {
		if f.u.referrals != nil {
			f.u.referrals.refresh()
		}
		if f.u.people != nil {
			f.u.people.refresh()
		}
	}
	if err != nil {
		log.Printf("formulario de Nextcloud %d en %s: %v", conn.FormID, conn.URL, err)
		f.showFailure(conn, err, got)
		return
	}
	f.keepLink(got.Link)
	f.result = pullResultLine(got)
	if got.Result.Rows == 0 && got.Deleted == 0 && len(got.Pending) == 0 {
		f.result = T("No hay respuestas nuevas en el formulario «{{.Title}}».", map[string]any{"Title": conn.Title})
		f.result = f.noted(f.result)
		f.u.showDialog(dialog.NewInformation(T("Formulario de Nextcloud"), f.result, f.u.win))
		return
	}
	f.result = f.noted(f.result)
	f.showResult(got)
}

// showResult shows the result line, what the import did and each answer
// left on the server with its problems.
func (f *formsPull) showResult(got nextcloud.Pulled) {
	box := container.NewVBox(widget.NewLabelWithStyle(f.result, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	box.Objects[0].(*widget.Label).Wrapping = fyne.TextWrapWord
	res := got.Result
	res.Rejected = 0 // they are on the server, not in a file: said below
	if res.Rows > 0 {
		for _, line := range importResultLines(res) {
			box.Add(wrappedText(line))
		}
	}
	for _, pd := range got.Pending {
		var probs []string
		for _, pr := range pd.Problems {
			probs = append(probs, problemText(pr))
		}
		box.Add(wrappedText("• " + T("Respuesta {{.ID}} del {{.When}}: {{.Problems}}", map[string]any{
			"ID": pd.Submission.ID, "When": pd.When.In(data.Madrid()).Format("02/01/2006 15:04"), "Problems": strings.Join(probs, " ")})))
	}
	d := dialog.NewCustom(T("Formulario de Nextcloud"), T("Cerrar"), container.NewVScroll(box), f.u.win)
	d.Resize(fyne.NewSize(760, fyne.Min(620, float32(130+46*len(box.Objects)))))
	f.u.showDialog(d)
}

// noted is s with the pending note, if any, on a line of its own.
func (f *formsPull) noted(s string) string {
	if f.note == "" {
		return s
	}
	s += "\n" + f.note
	f.note = ""
	return s
}

// keepLink stores the form's public link for the leaflet when there is
// none yet and this user may set it (an administrator's setting).
func (f *formsPull) keepLink(link string) {
	if link == "" || !f.u.can(data.PermSettings) {
		return
	}
	if old, err := nextcloud.Link(f.u.store); err == nil && old == "" {
		if err := nextcloud.SetLink(f.u.store, link); err != nil {
			log.Printf("formulario de Nextcloud: guardar el enlace público: %v", err)
		}
	}
}

// showFailure says why the pull failed; when the server refused the
// connection it offers to change it.
func (f *formsPull) showFailure(conn nextcloud.Connection, err error, got nextcloud.Pulled) {
	msg := formsErrorText(err)
	if got.Result.Rows > 0 {
		msg = pullResultLine(got) + "\n\n" + msg
	}
	f.result = msg
	var he *nextcloud.Error
	if errors.As(err, &he) && (he.Status == http.StatusUnauthorized || he.Status == http.StatusForbidden || he.Status == http.StatusNotFound) {
		d := dialog.NewCustomConfirm(T("No se ha podido traer el formulario"), T("Cambiar conexión"), T("Cerrar"), wrapped(msg), func(ok bool) {
			if ok {
				f.askConnection(draftOf(conn), false, "")
			}
		}, f.u.win)
		f.u.showDialog(d)
		return
	}
	f.u.showDialog(dialog.NewError(errors.New(msg), f.u.win))
}

// pullResultLine says in a line what a pull did: «3 derivaciones
// importadas, 1 para revisar; borradas del servidor.»
func pullResultLine(got nextcloud.Pulled) string {
	r := got.Result
	var b strings.Builder
	switch r.Rows {
	case 0:
		b.WriteString(T("Ninguna derivación nueva importada"))
	case 1:
		b.WriteString(T("1 derivación importada"))
	default:
		b.WriteString(T("{{.N}} derivaciones importadas", map[string]any{"N": r.Rows}))
	}
	if r.Review > 0 {
		b.WriteString(", " + T("{{.N}} para revisar", map[string]any{"N": r.Review}))
	}
	switch {
	case got.Deleted > 0 && got.Deleted == r.Rows:
		b.WriteString("; " + T("borradas del servidor"))
	case got.Deleted > 0:
		b.WriteString("; " + T("borradas del servidor: {{.N}}", map[string]any{"N": got.Deleted}))
	}
	b.WriteString(".")
	switch n := len(got.Pending); n {
	case 0:
	case 1:
		b.WriteString(" " + T("1 respuesta con errores sigue en Nextcloud, para corregirla allí."))
	default:
		b.WriteString(" " + T("{{.N}} respuestas con errores siguen en Nextcloud, para corregirlas allí.", map[string]any{"N": n}))
	}
	return b.String()
}

// formsErrorText is the sentence for a failed check or pull: the
// client's own (it names the cause: the password, the form, the server,
// the connection), in the interface's language.
func formsErrorText(err error) string {
	var he *nextcloud.Error
	var ve *data.ValidationError
	switch {
	case errors.As(err, &he):
		return dataText(he.Message)
	case errors.As(err, &ve):
		return validationText(ve)
	}
	if msg := ErrorMessage(err); msg != ErrorMessage(errors.New("")) {
		return msg // the store's: a permission, a locked database…
	}
	return capitalise(dataErrorText(err))
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
