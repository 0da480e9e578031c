package ui

import (
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud/nextcloudtest"
)

// formsFixture is the whole window over a fresh store, on Derivaciones,
// with the Forms app recorded in nextcloudtest serving form 7, an
// in-memory credential store, and channels told when the preview opens
// and when a check or pull is over.
type formsFixture struct {
	u      *App
	store  *data.Store
	srv    *nextcloudtest.Server
	f      *formsPull
	shown  chan *importPreview
	done   chan struct{}
	secret backup.Secrets
}

func newFormsFixture(t *testing.T) *formsFixture {
	t.Helper()
	u, store := peopleTestApp(t)
	fx := &formsFixture{u: u, store: store, srv: nextcloudtest.New(t), f: u.forms,
		shown: make(chan *importPreview, 1), done: make(chan struct{}, 4), secret: backup.Memory()}
	fx.f.keyring = fx.secret
	fx.f.http = &http.Client{Timeout: 10 * time.Second}
	fx.f.shown = func(p *importPreview) { fx.shown <- p }
	fx.f.done = func() { fx.done <- struct{}{} }
	u.win.Show()
	u.showReferrals()
	return fx
}

func (fx *formsFixture) wait(t *testing.T) {
	t.Helper()
	select {
	case <-fx.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the check or pull did not end within 30 s")
	}
}

func (fx *formsFixture) waitPreview(t *testing.T) *importPreview {
	t.Helper()
	select {
	case p := <-fx.shown:
		return p
	case <-fx.done:
		t.Fatalf("the pull ended without a preview: %q", fx.f.result)
	case <-time.After(30 * time.Second):
		t.Fatal("no preview within 30 s")
	}
	return nil
}

// connect fills the connection dialog as a coordinator would and
// confirms it.
func (fx *formsFixture) connect(t *testing.T, url, user, form, password string) {
	t.Helper()
	c := fx.f.conn
	if c == nil {
		t.Fatal("no connection dialog")
	}
	for _, f := range []struct {
		e    *widget.Entry
		text string
	}{{c.url, url}, {c.user, user}, {c.form, form}, {c.password, password}} {
		f.e.SetText("")
		test.Type(f.e, f.text)
	}
	confirmTop(t, fx.u, T("Comprobar y guardar"))
}

// personNames is what the Personas list's rows show as names.
func personNames(u *App) []string {
	var out []string
	for i := 0; i < u.people.list.Length(); i++ {
		row := newPersonRow()
		u.people.updateRow(i, row)
		if texts := shownTexts(row); len(texts) > 0 {
			out = append(out, texts[0]) // the name; the document and phone follow
		}
	}
	return out
}

// TestFetchFromNextcloudForms: the coordinator clicks «Traer del
// formulario de Nextcloud», gives the connection once (the form by its
// public link), sees the preview (one answer to import, two with errors),
// imports the valid one; the person is in Personas, the server got the
// DELETE of that answer only, the result says so, and the next click
// needs no connection and says there is nothing new.
func TestFetchFromNextcloudForms(t *testing.T) {
	fx := newFormsFixture(t)
	if fx.f.fetch.Disabled() || fx.f.change.Visible() {
		t.Fatalf("before any connection: fetch disabled %v, «Cambiar conexión» shown %v", fx.f.fetch.Disabled(), fx.f.change.Visible())
	}
	test.Tap(fx.f.fetch)
	fx.connect(t, "", nextcloudtest.User, fx.srv.URL+"/index.php/apps/forms/s/"+nextcloudtest.Share, nextcloudtest.Password)

	p := fx.waitPreview(t)
	if names := p.column(colName); len(names) != 3 || !slices.Contains(names, "María José Pérez García") {
		t.Errorf("preview names %q", names)
	}
	if !strings.Contains(p.summary.Text, "Formulario «Formulario de derivaciones»") || !strings.Contains(p.summary.Text, "Con errores: 2") {
		t.Errorf("preview summary %q", p.summary.Text)
	}
	// The preview says where the answers come from and numbers them as
	// answers, not as the lines of a file.
	top := fx.u.win.Canvas().Overlays().Top()
	if title := "Respuestas del formulario «Formulario de derivaciones» de Nextcloud"; top == nil || !hasLabel(top, title) {
		t.Errorf("the preview's title is not %q", title)
	}
	if !hasLabel(top, "Respuesta") || hasLabel(top, "Línea") || hasLabel(top, "Importar formularios") {
		t.Error("the preview's first column is not headed «Respuesta» (or still says «Línea» / «Importar formularios»)")
	}
	if got := p.column(colLine); !slices.Equal(got, []string{"1", "2", "3"}) {
		t.Errorf("answer numbers %q, want 1, 2, 3", got)
	}
	fx.u.win.Resize(fyne.NewSize(1281, 800))
	fx.u.win.Resize(fyne.NewSize(1280, 800))
	shot(t, fx.u, filepath.Join(t.TempDir(), "forms-preview.png"))
	if dir := os.Getenv("ENLACE_SHOTS"); dir != "" {
		shot(t, fx.u, filepath.Join(dir, "forms-preview.png"))
	}
	if !strings.Contains(p.hint.Text, "se quedan allí") || !p.hint.Visible() {
		t.Errorf("preview hint %q (shown %v)", p.hint.Text, p.hint.Visible())
	}
	if !p.all.Disabled() || p.valid.Disabled() {
		t.Fatal("with answers in error only «Importar solo las válidas» should be enabled")
	}
	if got := fx.srv.Deletes(); len(got) != 0 {
		t.Fatalf("deleted %v before the coordinator confirmed", got)
	}
	test.Tap(p.valid)
	fx.wait(t)

	if got := fx.srv.Deletes(); len(got) != 1 || got[0] != 31 {
		t.Errorf("DELETEs %v, want only 31 (the imported answer)", got)
	}
	if want := "1 derivación importada; borradas del servidor. 2 respuestas con errores siguen en Nextcloud, para corregirlas allí."; fx.f.result != want {
		t.Errorf("result %q\nwant   %q", fx.f.result, want)
	}
	top = fx.u.win.Canvas().Overlays().Top()
	if top == nil || !hasLabel(top, fx.f.result) {
		t.Error("the result is not on screen")
	}
	fx.u.dismissTop()
	fx.u.tabs.SelectIndex(0)
	if names := personNames(fx.u); len(names) != 1 || names[0] != "María José Pérez García" {
		t.Errorf("Personas lists %q", names)
	}
	conn, err := nextcloud.LoadConnection(fx.store)
	if err != nil || conn.FormID != 7 || conn.URL != fx.srv.URL || conn.Title != "Formulario de derivaciones" {
		t.Errorf("connection saved: %+v, %v", conn, err)
	}
	if pw, _ := fx.secret.Get(conn.SecretKey()); pw != nextcloudtest.Password {
		t.Errorf("the credential store holds %q", pw)
	}
	if !fx.f.change.Visible() || fx.f.status.Text != "Nextcloud: «Formulario de derivaciones» en "+strings.TrimPrefix(fx.srv.URL, "http://") {
		t.Errorf("once connected: «Cambiar conexión» shown %v, beside it %q", fx.f.change.Visible(), fx.f.status.Text)
	}

	// Again, as after restarting (nothing typed this session): no
	// questions, nothing new, the two with errors still there.
	fx.f.session = backup.Memory()
	test.Tap(fx.f.fetch)
	fx.wait(t)
	if fx.f.conn != nil {
		t.Fatal("asked for the connection again")
	}
	if !strings.Contains(fx.f.result, "Ninguna derivación nueva importada. 2 respuestas con errores siguen en Nextcloud") {
		t.Errorf("second pull: %q", fx.f.result)
	}
	if n := len(fx.srv.Deletes()); n != 1 {
		t.Errorf("%d DELETEs after the second pull, want still 1", n)
	}
}

func hasLabel(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}

// TestFetchCancelledWritesNothing: «Cancelar» in the preview imports and
// deletes nothing.
func TestFetchCancelledWritesNothing(t *testing.T) {
	fx := newFormsFixture(t)
	test.Tap(fx.f.fetch)
	fx.connect(t, fx.srv.URL, nextcloudtest.User, "7", nextcloudtest.Password)
	p := fx.waitPreview(t)
	test.Tap(p.cancel)
	fx.wait(t)
	if len(fx.srv.Deletes()) != 0 || len(personNames(fx.u)) != 0 {
		t.Errorf("cancelled, yet %v deleted and %q imported", fx.srv.Deletes(), personNames(fx.u))
	}
	if !strings.Contains(fx.f.result, "no se ha importado ni borrado nada") {
		t.Errorf("result %q", fx.f.result)
	}
}

// TestFetchWrongPassword: a 401 shows the client's Spanish sentence in
// the connection dialog, asked again with what was typed, and saves
// nothing; in English, the English one.
func TestFetchWrongPassword(t *testing.T) {
	for _, tc := range []struct {
		name    string
		english bool
		want    string
	}{
		{"es", false, "Nextcloud no acepta el usuario o la contraseña de aplicación (HTTP 401)"},
		{"en", true, "Nextcloud does not accept the user or the app password (HTTP 401)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.english {
				inEnglish(t)
			}
			fx := newFormsFixture(t)
			if fx.f.fetch.Text != T("Traer del formulario de Nextcloud") || (tc.english && fx.f.fetch.Text != "Fetch from Nextcloud Forms") {
				t.Errorf("button %q", fx.f.fetch.Text)
			}
			test.Tap(fx.f.fetch)
			fx.connect(t, fx.srv.URL, nextcloudtest.User, "7", "mala")
			fx.wait(t)
			c := fx.f.conn
			if c == nil || !c.problem.Visible() || !strings.HasPrefix(c.problem.Text, tc.want) {
				t.Fatalf("after a 401: dialog %v, problem %q; want «%s…»", c != nil, fx.f.result, tc.want)
			}
			if c.url.Text != fx.srv.URL || c.form.Text != "7" {
				t.Errorf("what was typed is lost: %q %q", c.url.Text, c.form.Text)
			}
			if _, err := nextcloud.LoadConnection(fx.store); err == nil {
				t.Error("a refused connection was saved")
			}
			if len(personNames(fx.u)) != 0 {
				t.Error("imported on a 401")
			}
		})
	}
}

// TestFetchPasswordRevokedShowsCause: the saved password no longer works
// (revoked in Nextcloud): the pull says why and offers to change the
// connection.
func TestFetchPasswordRevokedShowsCause(t *testing.T) {
	fx := newFormsFixture(t)
	conn := nextcloud.Connection{URL: fx.srv.URL, User: nextcloudtest.User, FormID: 7, Title: "Formulario de derivaciones"}
	if err := nextcloud.SaveConnection(fx.store, conn); err != nil {
		t.Fatal(err)
	}
	_ = fx.secret.Set(conn.SecretKey(), "revocada")
	test.Tap(fx.f.fetch)
	fx.wait(t)
	if !strings.Contains(fx.f.result, "HTTP 401") {
		t.Fatalf("result %q", fx.f.result)
	}
	confirmTop(t, fx.u, T("Cambiar conexión"))
	if fx.f.conn == nil || fx.f.conn.user.Text != nextcloudtest.User {
		t.Error("«Cambiar conexión» does not open the connection, filled in")
	}
}

// TestFetchNothingNew: a form without answers says so in a line, and
// writes and deletes nothing.
func TestFetchNothingNew(t *testing.T) {
	fx := newFormsFixture(t)
	for _, id := range []string{"31", "32", "33"} { // someone emptied the form in Nextcloud
		req, _ := http.NewRequest(http.MethodDelete, fx.srv.URL+nextcloudtest.Base+"/submissions/"+id, nil)
		req.SetBasicAuth(nextcloudtest.User, nextcloudtest.Password)
		req.Header.Set("OCS-APIRequest", "true")
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("emptying the form: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	test.Tap(fx.f.fetch)
	fx.connect(t, fx.srv.URL, nextcloudtest.User, "7", nextcloudtest.Password)
	fx.wait(t)
	if want := "No hay respuestas nuevas en el formulario «Formulario de derivaciones»."; fx.f.result != want {
		t.Errorf("result %q, want %q", fx.f.result, want)
	}
	if top := fx.u.win.Canvas().Overlays().Top(); top == nil || !hasLabel(top, fx.f.result) {
		t.Error("the line is not on screen")
	}
	if len(fx.srv.Deletes()) != 3 || len(personNames(fx.u)) != 0 {
		t.Errorf("nothing new, yet DELETEs %v and people %q", fx.srv.Deletes(), personNames(fx.u))
	}
}

// noKeyring is a system without a credential store (no Secret Service).
type noKeyring struct{}

func (noKeyring) Get(string) (string, error) { return "", backup.ErrNoKeyring }
func (noKeyring) Set(string, string) error   { return backup.ErrNoKeyring }
func (noKeyring) Delete(string) error        { return backup.ErrNoKeyring }

// TestFetchWithoutCredentialStore: without a credential store the
// password is kept for the session, and the coordinator is told so.
func TestFetchWithoutCredentialStore(t *testing.T) {
	fx := newFormsFixture(t)
	fx.f.keyring = noKeyring{}
	test.Tap(fx.f.fetch)
	fx.connect(t, fx.srv.URL, nextcloudtest.User, "7", nextcloudtest.Password)
	test.Tap(fx.waitPreview(t).cancel)
	fx.wait(t)
	test.Tap(fx.f.fetch)
	test.Tap(fx.waitPreview(t).valid)
	fx.wait(t)
	if fx.f.conn != nil {
		t.Error("asked again for the password typed this session")
	}
	if !strings.HasSuffix(fx.f.result, "\nEste equipo no tiene almacén de contraseñas: se recordará solo hasta cerrar Enlace") {
		t.Errorf("result %q does not say the password is kept until Enlace closes", fx.f.result)
	}
}

// TestFetchServerDown: a Nextcloud that does not answer (the port is
// closed) is said so, with its address.
func TestFetchServerDown(t *testing.T) {
	fx := newFormsFixture(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	conn := nextcloud.Connection{URL: down.URL, User: nextcloudtest.User, FormID: 7, Title: "Formulario de derivaciones"}
	if err := nextcloud.SaveConnection(fx.store, conn); err != nil {
		t.Fatal(err)
	}
	_ = fx.secret.Set(conn.SecretKey(), nextcloudtest.Password)
	test.Tap(fx.f.fetch)
	fx.wait(t)
	if want := "No se puede conectar con Nextcloud (" + down.URL + "): compruebe la dirección y la conexión"; !strings.HasPrefix(fx.f.result, want) {
		t.Errorf("result %q, want «%s…»", fx.f.result, want)
	}
	if fx.f.fetch.Disabled() {
		t.Error("the button stays disabled after the failure")
	}
}

// TestFetchButtonFollowsTheRoles: a user who may not import (an
// administrator only) sees the buttons disabled.
func TestFetchButtonFollowsTheRoles(t *testing.T) {
	fx := newFormsFixture(t)
	adm := data.User{Login: "adm", Name: "Administración", Roles: []data.Role{data.RoleAdmin}}
	if err := fx.store.CreateUser(&adm, "frase de la administración"); err != nil {
		t.Fatal(err)
	}
	if err := fx.store.Reauth("adm", "frase de la administración"); err != nil {
		t.Fatal(err)
	}
	fx.u.refreshUser()
	if !fx.f.fetch.Disabled() || !fx.f.change.Disabled() {
		t.Error("an administrator, who may not import, is offered the Nextcloud form")
	}
	asTechnician(t, fx.u, fx.store)
	if fx.f.fetch.Disabled() {
		t.Error("a técnico, who may import, sees the Nextcloud form disabled")
	}
}

// TestFetchLayout: at 1280×800, in both languages, before and after
// connecting, the import row's buttons are all on screen, side by side
// and whole, under the filters, and the form's name beside them does not
// run under them; with ENLACE_SHOTS set it writes the screen, the
// connection, the preview and the result as PNGs.
func TestFetchLayout(t *testing.T) {
	for _, lang := range []string{"es", "en"} {
		t.Run(lang, func(t *testing.T) {
			if lang == "en" {
				inEnglish(t)
			}
			fx := newFormsFixture(t)
			checkImportRow(t, fx)
			shot := fx.shooter(t, lang)
			shot("screen")
			test.Tap(fx.f.fetch)
			shot("connection")
			fx.connect(t, fx.srv.URL, nextcloudtest.User, "7", nextcloudtest.Password)
			p := fx.waitPreview(t)
			if st := p.column(colStatus); lang == "en" && !slices.Contains(st, "Error: The first name is missing.") {
				t.Errorf("the preview's states, in English: %q", st)
			}
			shot("preview")
			test.Tap(fx.f.preview.valid)
			fx.wait(t)
			shot("result")
			fx.u.dismissTop()
			if !fx.f.change.Visible() || fx.f.status.Text == "" {
				t.Fatal("connected, yet no «Cambiar conexión» or form name")
			}
			checkImportRow(t, fx)
			shot("connected")
		})
	}
}

func checkImportRow(t *testing.T, fx *formsFixture) {
	t.Helper()
	fx.u.win.Resize(fyne.NewSize(1281, 800))
	fx.u.win.Resize(fyne.NewSize(1280, 800))
	drv := fyne.CurrentApp().Driver()
	width := fx.u.win.Canvas().Size().Width
	y := drv.AbsolutePositionForObject(fx.f.fetch).Y
	left := float32(width)
	for _, b := range []*widget.Button{fx.f.fetch, fx.f.change, findButton(t, fx.u.referrals.content(), T("Importar formularios (CSV)"))} {
		if !b.Visible() {
			continue
		}
		pos := drv.AbsolutePositionForObject(b)
		if pos.Y != y || pos.X+b.Size().Width > width || b.Size().Width < b.MinSize().Width {
			t.Errorf("%q at %v, %v wide (needs %.0f), in a window %.0f wide", b.Text, pos, b.Size().Width, b.MinSize().Width, width)
		}
		left = fyne.Min(left, pos.X)
	}
	if st := fx.f.status; st.Text != "" && drv.AbsolutePositionForObject(st).X+st.Size().Width > left {
		t.Errorf("the form's name %q runs under the buttons", st.Text)
	}
	sel := fx.u.referrals.state
	if drv.AbsolutePositionForObject(sel).Y+sel.Size().Height > y {
		t.Error("the import row overlaps the filters")
	}
}

// shooter returns a function that writes the window as
// $ENLACE_SHOTS/forms-NAME-LANG.png, laid out again first; it does
// nothing when ENLACE_SHOTS is not set.
func (fx *formsFixture) shooter(t *testing.T, lang string) func(name string) {
	dir := os.Getenv("ENLACE_SHOTS")
	return func(name string) {
		if dir == "" {
			return
		}
		fx.u.win.Resize(fyne.NewSize(1281, 800))
		fx.u.win.Resize(fyne.NewSize(1280, 800))
		out, err := os.Create(filepath.Join(dir, "forms-"+name+"-"+lang+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		if err := png.Encode(out, fx.u.win.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
}

// An untitled form's answers are still answers: the preview names the
// form, not a file, and numbers them as answers.
func TestFormPreviewWithoutTitle(t *testing.T) {
	file := &importPreview{}
	form := &importPreview{fromForm: true}
	if got := form.title(); got != "Respuestas del formulario de Nextcloud" {
		t.Errorf("untitled form's preview title = %q", got)
	}
	if got := form.headers()[colLine]; got != "Respuesta" {
		t.Errorf("untitled form's first column = %q, want «Respuesta»", got)
	}
	if got := file.title(); got != "Importar formularios" {
		t.Errorf("file preview title = %q", got)
	}
	if got := file.headers()[colLine]; got != "Línea" {
		t.Errorf("file preview first column = %q, want «Línea»", got)
	}
}
