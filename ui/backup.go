package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"log"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/backup"
)

// backupPanel is "Copias de seguridad" in Ajustes, the strip at the top of
// the main window that warns when the last backup is old or failed (and
// shows a backup's progress), the daily timer, and the backup on close.
//
// Destinations, toggles and results live in the store (package backup's
// settings); no secret does. The passphrase and the WebDAV app passwords go
// to the system's credential store when the user ticks "remember" and
// there is one; otherwise they are asked once and kept in this session's
// memory, so that the daily and on-close backups can run without asking
// again. A typed passphrase is compared with the backups' (Config.Check)
// before it is used, so a typo cannot start a series of backups nobody can
// open.
//
// Every field is touched on the UI goroutine only. Backups and restores run
// on their own goroutine and come back through fyne.Do.
type backupPanel struct {
	u       *App
	root    fyne.CanvasObject
	banner  *fyne.Container
	keyring backup.Secrets // the system's store; may answer ErrNoKeyring
	session backup.Secrets // what was typed in this session
	logN    int            // scrypt cost of new backups and checks; 0 = backup.DefaultWorkFactor
	quit    func()         // ends Enlace after a restore; tests replace it
	settled func()         // tests: called once a backup or download has been dealt with

	cfg        backup.Config
	st         backup.Statuses
	hasKeyring bool
	closing    bool // the window is closing: no new automatic backups

	dests     *fyne.Container
	passState *widget.Label
	passBtn   *widget.Button
	daily     *widget.Check
	onClose   *widget.Check
	nowBtn    *widget.Button
	restore   *widget.Button
	result    *widget.Label
	progLabel *widget.Label
	progBar   *widget.ProgressBar
	progBox   *fyne.Container
	stripText *widget.Label       // the strip's copy of the progress
	stripBar  *widget.ProgressBar // (the user may be on another tab)

	job *backupJob // the backup or restore running, nil when none
}

// backupJob is one backup or restore in progress.
type backupJob struct {
	title   string
	step    string
	value   float64
	shown   bool // longer than a second: its progress is on screen
	cancel  context.CancelFunc
	waiters []func()       // called when it ends (a window waiting to close)
	views   []progressView // dialogs following its progress
}

func newBackupPanel(u *App) *backupPanel {
	b := &backupPanel{u: u, banner: container.NewVBox(), keyring: backup.Keyring(), session: backup.Memory(),
		quit: u.app.Quit, hasKeyring: true}
	var err error
	if b.cfg, err = backup.LoadConfig(u.store); err != nil {
		log.Printf("copias: %v", err)
	}
	if b.st, err = backup.LoadStatuses(u.store); err != nil {
		log.Printf("copias: %v", err)
	}

	title := widget.NewLabelWithStyle(T("Copias de seguridad"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := smallNote(T("Si este equipo se pierde o se estropea, las copias guardan el historial de los casos. Se cifran con la contraseña de las copias antes de salir del equipo: sin ella no se pueden abrir, así que guárdela en un lugar seguro."))

	b.dests = container.NewVBox()
	addFolder := widget.NewButtonWithIcon(T("Añadir carpeta…"), theme.FolderNewIcon(), b.onAddFolder)
	addDAV := widget.NewButtonWithIcon(T("Añadir Nextcloud / WebDAV…"), theme.StorageIcon(), b.onAddWebDAV)
	destNote := smallNote(T("Una carpeta de un disco USB o sincronizada, o una carpeta de la nube privada de la organización."))

	b.passState = widget.NewLabel("")
	b.passState.Wrapping = fyne.TextWrapWord
	b.passBtn = widget.NewButtonWithIcon(T("Cambiar contraseña…"), theme.AccountIcon(), b.onSetPassphrase)

	b.daily = widget.NewCheck(T("Una vez al día mientras Enlace está abierto"), nil)
	b.onClose = widget.NewCheck(T("Al cerrar Enlace"), nil)
	b.daily.SetChecked(b.cfg.Daily)
	b.onClose.SetChecked(b.cfg.OnClose)
	b.daily.OnChanged = func(on bool) { b.cfg.Daily = on; b.saveConfig() }
	b.onClose.OnChanged = func(on bool) { b.cfg.OnClose = on; b.saveConfig() }

	b.nowBtn = widget.NewButtonWithIcon(T("Hacer copia ahora"), theme.UploadIcon(), b.backupNow)
	b.nowBtn.Importance = widget.HighImportance
	b.restore = widget.NewButtonWithIcon(T("Restaurar…"), theme.DownloadIcon(), b.onRestore)
	b.result = widget.NewLabel("")
	b.result.Wrapping = fyne.TextWrapWord
	b.progLabel = widget.NewLabel("")
	b.progBar = widget.NewProgressBar()
	cancel := widget.NewButtonWithIcon(T("Cancelar"), theme.CancelIcon(), b.onCancel)
	b.progBox = container.NewBorder(nil, nil, b.progLabel, cancel, b.progBar)
	b.progBox.Hide()
	b.stripText, b.stripBar = widget.NewLabel(""), widget.NewProgressBar()

	form := widget.NewForm(
		widget.NewFormItem(T("Destinos"), container.NewVBox(b.dests, container.NewHBox(addFolder, addDAV), destNote)),
		widget.NewFormItem(T("Contraseña"), container.NewVBox(b.passState, container.NewHBox(b.passBtn))),
		widget.NewFormItem(T("Automáticas"), container.NewVBox(b.daily, b.onClose)),
	)
	b.root = container.NewVBox(widget.NewSeparator(), title, intro, form,
		container.NewHBox(b.nowBtn, b.restore), b.progBox, b.result)
	b.refresh()
	return b
}

// content is the section shown in Ajustes.
func (b *backupPanel) content() fyne.CanvasObject { return b.root }

// warning is the strip at the top of the main window (empty when all is well).
func (b *backupPanel) warning() fyne.CanvasObject { return b.banner }

// start removes temporary files a crash may have left, looks for the
// credential store, and checks every ten minutes whether a daily backup
// is due (and whether the warning should change). Called once the window
// is shown.
func (b *backupPanel) start() {
	dir := filepath.Dir(b.u.store.Path())
	keyring := b.keyring
	go func() {
		backup.Sweep(dir)
		_, err := keyring.Get(backup.PassphraseKey)
		fyne.Do(func() {
			b.hasKeyring = !errors.Is(err, backup.ErrNoKeyring)
			b.refresh()
		})
		time.Sleep(time.Minute) // let the user settle before the first backup
		for {
			fyne.Do(b.tick)
			time.Sleep(10 * time.Minute)
		}
	}()
}

// tick starts the daily backup when one is due and refreshes the warning.
func (b *backupPanel) tick() {
	b.refreshBanner()
	if !b.cfg.Daily || b.closing || b.job != nil {
		return
	}
	if due := backup.Due(b.cfg, b.st, b.u.store.Now()); len(due) > 0 {
		b.startBackup(due, true, false, nil)
	}
}

// beforeClose makes the backup on close, if configured, with its progress
// in a dialog, and then calls done; done is called whatever happens
// (a failure is shown first, and remembered for the next start).
func (b *backupPanel) beforeClose(done func()) {
	switch {
	case b.closing:
		done()
	case b.job != nil:
		b.closing = true
		b.waitDialog(T("Esperando a que termine la copia"), T("Cancelar y cerrar"))
		b.job.waiters = append(b.job.waiters, done)
	case !b.cfg.OnClose || len(b.cfg.Destinations) == 0:
		done()
	default:
		b.closing = true
		b.startBackup(b.cfg.Destinations, false, true, func(failed []string) {
			if len(failed) == 0 {
				done()
				return
			}
			d := dialog.NewCustom(T("La copia al cerrar no se pudo hacer"), T("Cerrar Enlace"),
				wrapped(strings.Join(failed, "\n\n")+"\n\n"+T("La próxima vez que abra Enlace se lo recordará.")), b.u.win)
			b.u.showDialog(d)
			d.SetOnClosed(func() { b.u.forgetDialog(d); done() })
		})
	}
}

// backupNow backs up to every destination, asking for what it needs.
func (b *backupPanel) backupNow() {
	if len(b.cfg.Destinations) == 0 {
		b.u.showDialog(dialog.NewInformation(T("Copias de seguridad"),
			T("Añada primero un destino: una carpeta o Nextcloud / WebDAV."), b.u.win))
		return
	}
	b.startBackup(b.cfg.Destinations, false, false, nil)
}

// refresh shows the configuration and the last results.
func (b *backupPanel) refresh() {
	b.dests.RemoveAll()
	if len(b.cfg.Destinations) == 0 {
		b.dests.Add(widget.NewLabelWithStyle(T("Aún no hay ningún destino."), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	for i, d := range b.cfg.Destinations {
		b.dests.Add(b.destRow(i, d))
	}
	switch {
	case b.cfg.Check == "":
		b.passState.SetText(T("Aún no hay contraseña: se pedirá en la primera copia."))
		b.passBtn.SetText(T("Poner contraseña…"))
	case b.hasKeyring:
		b.passState.SetText(T("Se guarda en el almacén de contraseñas del sistema si así lo elige; si no, se pide una vez en cada sesión."))
		b.passBtn.SetText(T("Cambiar contraseña…"))
	default:
		b.passState.SetText(T("Este equipo no tiene almacén de contraseñas: la contraseña se pide una vez en cada sesión y no se guarda."))
		b.passBtn.SetText(T("Cambiar contraseña…"))
	}
	busy := b.job != nil
	for _, btn := range []*widget.Button{b.nowBtn, b.restore, b.passBtn} {
		if busy {
			btn.Disable()
		} else {
			btn.Enable()
		}
	}
	b.refreshBanner()
}

// destRow is one destination with its last results and a remove button.
func (b *backupPanel) destRow(i int, d backup.Destination) fyne.CanvasObject {
	icon := widget.NewIcon(theme.FolderIcon())
	if d.Kind == backup.KindWebDAV {
		icon.SetResource(theme.StorageIcon())
	}
	name := widget.NewLabelWithStyle(d.String(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Wrapping = fyne.TextWrapBreak
	s := b.st[d.Key()]
	ok := widget.NewLabel(T("Aún no se ha hecho ninguna copia aquí."))
	if !s.LastOK.IsZero() {
		ok.SetText(T("Última copia correcta: {{.When}} ({{.Size}})",
			map[string]any{"When": whenText(s.LastOK), "Size": sizeText(s.LastSize)}))
	}
	if b.u.store.Now().Sub(s.LastOK) >= backup.MaxAge {
		ok.Importance = widget.WarningImportance
	}
	lines := container.NewVBox(name, ok)
	if s.Failed() {
		fail := widget.NewLabel(T("El último intento falló ({{.When}}): {{.Why}}",
			map[string]any{"When": whenText(s.LastTry), "Why": backupMessage(s.Err())}))
		fail.Wrapping = fyne.TextWrapWord
		fail.Importance = widget.DangerImportance
		lines.Add(fail)
	}
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { b.onRemove(i) })
	return container.NewBorder(nil, nil, container.NewVBox(icon), container.NewVBox(remove), lines)
}

// refreshBanner shows a job's progress, or the warning, or nothing.
func (b *backupPanel) refreshBanner() {
	b.banner.RemoveAll()
	if j := b.job; j != nil {
		if j.shown {
			b.banner.Add(strip(theme.ColorNamePrimary, theme.UploadIcon(), b.stripText,
				container.NewGridWrap(fyne.NewSize(240, b.stripBar.MinSize().Height), b.stripBar)))
		}
		b.banner.Refresh()
		return
	}
	text := b.warningText()
	if text == "" {
		b.banner.Refresh()
		return
	}
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	actions := container.NewHBox(widget.NewButton(T("Ajustes de las copias"), b.showSettings))
	if len(b.cfg.Destinations) > 0 {
		actions.Add(widget.NewButtonWithIcon(T("Hacer copia ahora"), theme.UploadIcon(), b.backupNow))
	}
	b.banner.Add(strip(theme.ColorNameWarning, theme.WarningIcon(), label, actions))
	b.banner.Refresh()
}

// warningText is what the strip says, "" when backups are in order.
func (b *backupPanel) warningText() string {
	if len(b.cfg.Destinations) == 0 {
		return T("Esta base de datos no tiene copias de seguridad: si el equipo se pierde o se estropea, se pierde el historial de los casos.")
	}
	over := backup.Overdue(b.cfg, b.st, b.u.store.Now())
	if len(over) == 0 {
		return ""
	}
	d := over[0]
	s := b.st[d.Key()]
	switch {
	case s.Failed():
		return T("La última copia de seguridad en {{.Dest}} falló: {{.Why}}", map[string]any{"Dest": shortName(d), "Why": backupMessage(s.Err())})
	case s.LastOK.IsZero():
		return T("Aún no se ha hecho ninguna copia de seguridad en {{.Dest}}.", map[string]any{"Dest": shortName(d)})
	}
	return T("La última copia de seguridad en {{.Dest}} es de hace más de 24 horas ({{.When}}).",
		map[string]any{"Dest": shortName(d), "When": whenText(s.LastOK)})
}

// strip is a bar across the window, tinted with bg: icon, text, actions.
// The tint is mixed with the background colour rather than translucent,
// so that nothing scrolled beneath shows through.
func strip(bg fyne.ThemeColorName, icon fyne.Resource, text, actions fyne.CanvasObject) fyne.CanvasObject {
	rect := canvas.NewRectangle(mix(theme.Color(bg), theme.Color(theme.ColorNameBackground), 0.18))
	return container.NewStack(rect, container.NewPadded(container.NewBorder(nil, nil,
		widget.NewIcon(icon), container.NewCenter(actions), text)))
}

// mix is f of a over (1-f) of b, opaque.
func mix(a, b color.Color, f float64) color.Color {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	c := func(x, y uint32) uint8 { return uint8((f*float64(x) + (1-f)*float64(y)) / 257) }
	return color.NRGBA{R: c(ar, br), G: c(ag, bg), B: c(ab, bb), A: 0xff}
}

// shortName is a destination in few words, for the strip: the folder, or
// the server and user.
func shortName(d backup.Destination) string {
	if d.Kind != backup.KindWebDAV {
		return d.Path
	}
	host := d.URL
	if u, err := url.Parse(d.URL); err == nil {
		host = u.Host
	}
	if d.User != "" {
		return host + " (" + d.User + ")"
	}
	return host
}

// showSettings selects Ajustes, where this panel is.
func (b *backupPanel) showSettings() {
	if b.u.tabs != nil {
		b.u.tabs.SelectIndex(len(b.u.tabs.Items) - 1)
	}
}

func (b *backupPanel) saveConfig() {
	if err := backup.SaveConfig(b.u.store, b.cfg); err != nil {
		b.u.showError(err)
	}
	b.refresh()
}

func (b *backupPanel) saveStatuses() {
	if err := backup.SaveStatuses(b.u.store, b.st); err != nil {
		log.Printf("copias: guardar el resultado: %v", err)
	}
}

// addDestination adds d unless it is already there.
func (b *backupPanel) addDestination(d backup.Destination) {
	for _, have := range b.cfg.Destinations {
		if have.Key() == d.Key() {
			return
		}
	}
	d.Password = ""
	b.cfg.Destinations = append(b.cfg.Destinations, d)
	b.saveConfig()
}

func (b *backupPanel) onRemove(i int) {
	if i >= len(b.cfg.Destinations) {
		return
	}
	d := b.cfg.Destinations[i]
	b.u.showDialog(dialog.NewConfirm(T("Quitar destino"),
		T("¿Dejar de hacer copias en {{.Dest}}? Las copias que ya hay allí no se borran.", map[string]any{"Dest": d.String()}),
		func(ok bool) {
			if !ok {
				return
			}
			b.cfg.Destinations = append(b.cfg.Destinations[:i:i], b.cfg.Destinations[i+1:]...)
			b.saveConfig()
			keyring, key := b.keyring, d.Key()
			go func() { _ = keyring.Delete(key) }()
			_ = b.session.Delete(key)
		}, b.u.win))
}

func (b *backupPanel) onAddFolder() {
	d := dialog.NewFolderOpen(func(uri fyne.ListableURI, err error) {
		if err != nil {
			b.u.showError(err)
			return
		}
		if uri == nil {
			return
		}
		b.addDestination(backup.Destination{Kind: backup.KindFolder, Path: uri.Path()})
	}, b.u.win)
	b.u.showDialog(d)
}

// onCancel stops the running backup or restore.
func (b *backupPanel) onCancel() {
	if b.job != nil && b.job.cancel != nil {
		b.job.cancel()
	}
}

// whenText is a date and time for the user: 25/11/2026 10:00.
func whenText(t time.Time) string { return t.Local().Format("02/01/2006 15:04") }

// sizeText is a file size for the user: 12,3 MB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return strings.Replace(fmt.Sprintf("%.1f GB", float64(n)/(1<<30)), ".", ",", 1)
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// wrapped is a label that wraps, for dialogs.
func wrapped(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.New(&maxWidthLayout{width: 520}, l)
}

// backupMessage is the sentence for a backup or restore error.
func backupMessage(err error) string {
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		return T("La contraseña no abre esta copia. Compruebe que es la que se usó al hacerla.")
	case errors.Is(err, backup.ErrCorrupt):
		return T("La copia está dañada o incompleta. Pruebe con otra copia.")
	case errors.Is(err, data.ErrSchemaTooNew):
		return T("La copia es de una versión más nueva de Enlace. Actualice Enlace para restaurarla.")
	case errors.Is(err, backup.ErrNoPassphrase):
		return T("Falta la contraseña de las copias: pulse «Hacer copia ahora» para escribirla.")
	case errors.Is(err, backup.ErrNoPassword):
		return T("Falta la contraseña de aplicación del servidor: pulse «Hacer copia ahora» para escribirla.")
	case errors.Is(err, backup.ErrAuth):
		return T("El servidor no acepta el usuario o la contraseña de aplicación. Revíselos en el destino.")
	case errors.Is(err, backup.ErrServerFull):
		return T("No queda espacio en el servidor para la copia. Libere espacio o pida más cuota.")
	case errors.Is(err, backup.ErrUnreachable):
		return T("No se puede conectar con el servidor. Compruebe la conexión a internet y la dirección.")
	case errors.Is(err, backup.ErrInterrupted):
		return T("Se cortó la conexión durante la transferencia. No se ha perdido nada: vuelva a intentarlo.")
	case errors.Is(err, backup.ErrDiskFull):
		return T("No queda espacio en el disco. Libere espacio y vuelva a intentarlo.")
	case errors.Is(err, backup.ErrNoDestination):
		return T("No se encuentra la carpeta de destino. Si es un disco USB, compruebe que está conectado.")
	case errors.Is(err, backup.ErrNotFound):
		return T("Esa copia ya no está en el destino.")
	case errors.Is(err, backup.ErrInsecure):
		return T("La dirección debe empezar por https://: con http:// la contraseña viajaría sin cifrar.")
	case errors.Is(err, backup.ErrServer):
		return T("El servidor respondió con un error. Vuelva a intentarlo más tarde.")
	case errors.Is(err, data.ErrLocked):
		return T("La base de datos está abierta en otra ventana de Enlace. Ciérrela y vuelva a intentarlo.")
	case errors.Is(err, context.Canceled):
		return T("Cancelada.")
	}
	return T("La copia no se pudo hacer; los detalles están en el registro de Enlace.")
}

// startBackup gathers the secrets the backups to dests need (asking for the
// missing ones, unless auto), then runs them one after another. With modal
// its progress is in a dialog (the window is closing). after, when not
// nil, gets the failures on the UI goroutine: none when all went well or
// when the user chose not to back up.
func (b *backupPanel) startBackup(dests []backup.Destination, auto, modal bool, after func(failed []string)) {
	if b.job != nil {
		if after != nil {
			b.job.waiters = append(b.job.waiters, func() { after(nil) })
		}
		return
	}
	decline := T("Cancelar")
	if modal {
		decline = T("Cerrar sin copia")
	}
	b.secretsFor(dests, true, !auto, decline, func(pass string, ready []backup.Destination, ok bool) {
		switch {
		case ok:
			b.runBackups(ready, pass, auto, modal, after)
		case auto:
			b.autoWithout(pass, ready)
		case after != nil:
			after(nil)
		}
	})
}

// autoWithout runs an automatic backup to the destinations whose secrets
// were found, and notes on the others what was missing, so that the strip
// says why (they are tried again in an hour).
func (b *backupPanel) autoWithout(pass string, ready []backup.Destination) {
	var can []backup.Destination
	for _, d := range ready {
		var missing error
		switch {
		case pass == "":
			missing = backup.ErrNoPassphrase
		case d.Kind == backup.KindWebDAV && d.Password == "":
			missing = backup.ErrNoPassword
		default:
			can = append(can, d)
			continue
		}
		b.st.Record(d, backup.Result{}, missing, b.u.store.Now())
	}
	b.saveStatuses()
	b.refresh()
	if len(can) > 0 {
		b.runBackups(can, pass, true, false, nil)
	}
}

// runBackups backs up to each of dests on a goroutine.
func (b *backupPanel) runBackups(dests []backup.Destination, pass string, auto, modal bool, after func([]string)) {
	if b.job != nil { // another one started while the secrets were read
		if after != nil {
			b.job.waiters = append(b.job.waiters, func() { after(nil) })
		}
		return
	}
	ctx, report := b.begin(T("Copia de seguridad"))
	if modal {
		b.waitDialog(T("Copia de seguridad antes de cerrar"), T("Cancelar y cerrar"))
	}
	store, logN := b.u.store, b.logN
	type outcome struct {
		d   backup.Destination
		res backup.Result
		err error
		at  time.Time
	}
	go func() {
		var outs []outcome
		for _, d := range dests {
			res, err := backup.Backup(ctx, store, d, pass, &backup.Options{Progress: report, WorkFactor: logN})
			outs = append(outs, outcome{d, res, err, store.Now()})
			if ctx.Err() != nil {
				break
			}
		}
		cancelled := ctx.Err() != nil
		fyne.Do(func() {
			var failed []string
			for _, o := range outs {
				if errors.Is(o.err, context.Canceled) {
					continue
				}
				b.st.Record(o.d, o.res, o.err, o.at)
				if o.err != nil {
					log.Printf("copia en %s: %v", o.d, o.err)
					failed = append(failed, o.d.String()+": "+backupMessage(o.err))
				} else if o.res.PruneErr != nil {
					log.Printf("copia en %s: borrar copias antiguas: %v", o.d, o.res.PruneErr)
				}
			}
			b.saveStatuses()
			b.end()
			switch {
			case after != nil:
				after(failed)
			case len(failed) > 0 && !auto:
				b.u.showDialog(dialog.NewCustom(T("La copia no se pudo hacer"), T("Cerrar"), wrapped(strings.Join(failed, "\n\n")), b.u.win))
			case len(failed) == 0 && len(outs) > 0 && !cancelled:
				b.result.SetText(T("Copia terminada a las {{.Time}}.", map[string]any{"Time": store.Now().Local().Format("15:04")}))
			}
			if b.settled != nil {
				b.settled()
			}
		})
	}()
}

// begin starts a job: Cancelar cancels the returned context, and its
// progress shows in the panel and in the strip once it has run for a
// second. report may be called from any goroutine.
func (b *backupPanel) begin(title string) (context.Context, func(backup.Progress)) {
	ctx, cancel := context.WithCancel(context.Background())
	j := &backupJob{title: title, step: T("Preparando…"), cancel: cancel}
	b.job = j
	b.result.SetText("")
	b.refresh()
	time.AfterFunc(time.Second, func() {
		fyne.Do(func() {
			if b.job == j {
				j.shown = true
				b.showProgress()
				b.refreshBanner()
			}
		})
	})
	report := func(p backup.Progress) {
		fyne.Do(func() {
			if b.job != j {
				return
			}
			j.step, j.value = stepText(p.Step), 0
			if p.Total > 0 {
				j.value = min(1, float64(p.Done)/float64(p.Total))
			}
			b.showProgress()
		})
	}
	return ctx, report
}

// showProgress puts the job's step and fraction on screen, once shown.
func (b *backupPanel) showProgress() {
	j := b.job
	if j == nil || !j.shown {
		return
	}
	b.progLabel.SetText(j.step)
	b.progBar.SetValue(j.value)
	b.progBox.Show()
	b.stripText.SetText(j.title + " · " + j.step)
	b.stripBar.SetValue(j.value)
	for _, o := range j.views {
		o.label.SetText(j.step)
		o.bar.SetValue(j.value)
	}
}

// end finishes the job: hides its progress, calls whoever waits for it.
func (b *backupPanel) end() {
	j := b.job
	if j == nil {
		return
	}
	b.job = nil
	j.cancel()
	b.progBox.Hide()
	b.refresh()
	for _, w := range j.waiters {
		w()
	}
}

// waitDialog shows the running job's progress in a dialog until it ends.
func (b *backupPanel) waitDialog(title, cancel string) {
	j := b.job
	label, bar := widget.NewLabel(j.step), widget.NewProgressBar()
	j.views = append(j.views, progressView{label, bar})
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(label,
		container.NewGridWrap(fyne.NewSize(360, bar.MinSize().Height), bar),
		container.NewCenter(widget.NewButtonWithIcon(cancel, theme.CancelIcon(), b.onCancel))), b.u.win)
	j.waiters = append(j.waiters, d.Hide)
	b.u.showDialog(d)
}

// progressView is a label and bar that follow a job.
type progressView struct {
	label *widget.Label
	bar   *widget.ProgressBar
}

func stepText(s backup.Step) string {
	switch s {
	case backup.StepEncrypt:
		return T("Cifrando la copia")
	case backup.StepUpload:
		return T("Enviando")
	case backup.StepPrune:
		return T("Borrando copias antiguas")
	case backup.StepDownload:
		return T("Descargando y descifrando")
	}
	return T("Comprobando la copia")
}

// secretsFor reads, off the UI goroutine, the passphrase (when needPass)
// and the app passwords of the WebDAV destinations among dests, from this
// session and the credential store; then, on the UI goroutine, asks for
// the missing ones when ask (decline names the button that gives up), and
// calls next with the destinations completed. ok is false when something
// is missing and was not, or could not be, asked.
func (b *backupPanel) secretsFor(dests []backup.Destination, needPass, ask bool, decline string,
	next func(pass string, ready []backup.Destination, ok bool)) {
	keyring, session := b.keyring, b.session
	go func() {
		get := func(key string) string {
			if v, err := session.Get(key); err == nil {
				return v
			}
			if v, err := keyring.Get(key); err == nil {
				return v
			}
			return ""
		}
		pass := ""
		if needPass {
			pass = get(backup.PassphraseKey)
		}
		ready := append([]backup.Destination(nil), dests...)
		for i := range ready {
			if ready[i].Kind == backup.KindWebDAV && ready[i].Password == "" {
				ready[i].Password = get(ready[i].Key())
			}
		}
		fyne.Do(func() {
			missing := needPass && pass == ""
			for _, d := range ready {
				missing = missing || d.Kind == backup.KindWebDAV && d.Password == ""
			}
			switch {
			case !missing:
				next(pass, ready, true)
			case !ask:
				next(pass, ready, false)
			default:
				b.askSecrets(needPass && pass == "", ready, decline, func(p string, r []backup.Destination, ok bool) {
					if p == "" {
						p = pass
					}
					next(p, r, ok)
				})
			}
		})
	}()
}

// askSecrets asks for the passphrase (when pass) and the app passwords of
// the WebDAV destinations without one, checks a typed passphrase against
// the backups' (or sets it, the first time), keeps what was typed for the
// session and, if the user wants, in the credential store.
func (b *backupPanel) askSecrets(pass bool, dests []backup.Destination, decline string,
	next func(pass string, ready []backup.Destination, ok bool)) {
	form := widget.NewForm()
	passEntry, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	if pass {
		form.Append(T("Contraseña de las copias"), passEntry)
		if b.cfg.Check == "" {
			form.Append(T("Repítala"), again)
		}
	}
	pwEntries := map[int]*widget.Entry{}
	for i, d := range dests {
		if d.Kind == backup.KindWebDAV && d.Password == "" {
			e := widget.NewPasswordEntry()
			pwEntries[i] = e
			form.Append(T("Contraseña de aplicación de {{.User}}", map[string]any{"User": d.User}), withNote(e, smallNote(d.URL)))
		}
	}
	remember := b.rememberCheck()
	intro := T("Para hacer la copia hace falta:")
	if pass && b.cfg.Check == "" {
		intro = T("Elija la contraseña de las copias (al menos 10 caracteres). Sin ella las copias no se pueden abrir: guárdela en un lugar seguro.")
	}
	content := container.NewVBox(wrapped(intro), form, remember)
	d := dialog.NewCustomConfirm(T("Contraseñas de las copias"), T("Continuar"), decline, content, func(ok bool) {
		if !ok {
			next("", dests, false)
			return
		}
		p := passEntry.Text
		if pass && b.cfg.Check == "" {
			if msg := newPassphraseProblem(p, again.Text); msg != "" {
				b.u.showDialog(dialog.NewError(errors.New(msg), b.u.win))
				next("", dests, false)
				return
			}
		}
		ready := append([]backup.Destination(nil), dests...)
		for i, e := range pwEntries {
			ready[i].Password = e.Text
		}
		b.acceptSecrets(p, ready, pass, remember.Checked, next)
	}, b.u.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	b.u.showDialog(d)
	if pass {
		b.u.win.Canvas().Focus(passEntry)
	}
}

// acceptSecrets checks or sets the passphrase off the UI goroutine (scrypt
// takes a second), remembers what was typed, and calls next.
func (b *backupPanel) acceptSecrets(p string, ready []backup.Destination, typedPass, remember bool,
	next func(string, []backup.Destination, bool)) {
	check, logN, keyring, session := b.cfg.Check, b.logN, b.keyring, b.session
	go func() {
		var err error
		newCheck := ""
		switch {
		case !typedPass:
		case check == "":
			newCheck, err = backup.NewCheck(p, logN)
		default:
			err = backup.VerifyCheck(check, p)
		}
		if err == nil {
			keep := map[string]string{}
			if typedPass {
				keep[backup.PassphraseKey] = p
			}
			for _, d := range ready {
				if d.Kind == backup.KindWebDAV {
					keep[d.Key()] = d.Password
				}
			}
			for k, v := range keep {
				_ = session.Set(k, v)
				if remember {
					if kerr := keyring.Set(k, v); kerr != nil {
						log.Printf("copias: almacén de contraseñas: %v", kerr)
					}
				}
			}
		}
		fyne.Do(func() {
			switch {
			case errors.Is(err, backup.ErrWrongPassphrase):
				b.u.showDialog(dialog.NewError(errors.New(T("No es la contraseña de las copias anteriores. Si la ha olvidado, póngale una nueva en Ajustes: las copias ya hechas seguirán necesitando la anterior.")), b.u.win))
				next("", ready, false)
			case err != nil:
				b.u.showError(err)
				next("", ready, false)
			default:
				if newCheck != "" {
					b.cfg.Check = newCheck
					b.saveConfig()
				}
				next(p, ready, true)
			}
		})
	}()
}

// rememberCheck is the "keep it in the system's store" tick box.
func (b *backupPanel) rememberCheck() *widget.Check {
	c := widget.NewCheck(T("Recordarla en el almacén de contraseñas del sistema"), nil)
	c.SetChecked(b.hasKeyring)
	if !b.hasKeyring {
		c.SetText(T("Este equipo no tiene almacén de contraseñas: se recordará solo hasta cerrar Enlace"))
		c.Disable()
	}
	return c
}

// newPassphraseProblem is what is wrong with a new passphrase, "" if nothing.
func newPassphraseProblem(p, again string) string {
	switch {
	case len([]rune(p)) < backup.MinPassphrase:
		return T("La contraseña de las copias necesita al menos 10 caracteres.")
	case p != again:
		return T("Las dos contraseñas no coinciden.")
	}
	return ""
}

// onSetPassphrase sets a new passphrase for the backups from now on.
func (b *backupPanel) onSetPassphrase() {
	p, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	remember := b.rememberCheck()
	text := T("Las copias nuevas se cifrarán con esta contraseña (al menos 10 caracteres). Guárdela en un lugar seguro: sin ella las copias no se pueden abrir.")
	if b.cfg.Check != "" {
		text += " " + T("Las copias ya hechas siguen abriéndose con la contraseña anterior.")
	}
	form := widget.NewForm(widget.NewFormItem(T("Nueva contraseña"), p), widget.NewFormItem(T("Repítala"), again))
	d := dialog.NewCustomConfirm(T("Contraseña de las copias"), T("Guardar"), T("Cancelar"),
		container.NewVBox(wrapped(text), form, remember), func(ok bool) {
			if !ok {
				return
			}
			if msg := newPassphraseProblem(p.Text, again.Text); msg != "" {
				b.u.showDialog(dialog.NewError(errors.New(msg), b.u.win))
				return
			}
			b.cfg.Check = "" // a new one: acceptSecrets sets the check
			b.acceptSecrets(p.Text, nil, true, remember.Checked, func(string, []backup.Destination, bool) {
				b.result.SetText(T("Contraseña de las copias cambiada."))
			})
		}, b.u.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	b.u.showDialog(d)
}

// onAddWebDAV adds a Nextcloud or WebDAV folder once the server accepts
// the user and app password.
func (b *backupPanel) onAddWebDAV() {
	url, user, pw := widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	url.SetPlaceHolder("https://nube.example.org/remote.php/dav/files/USUARIO/Enlace/")
	remember := b.rememberCheck()
	form := widget.NewForm(
		widget.NewFormItem(T("Dirección"), withNote(url, smallNote(T("En Nextcloud: Archivos → Ajustes de archivos → WebDAV, y añada al final la carpeta de las copias, por ejemplo Enlace/.")))),
		widget.NewFormItem(T("Usuario"), user),
		widget.NewFormItem(T("Contraseña de aplicación"), withNote(pw, smallNote(T("Créela en Nextcloud: Ajustes personales → Seguridad → Crear contraseña de aplicación.")))),
	)
	d := dialog.NewCustomConfirm(T("Añadir Nextcloud / WebDAV"), T("Comprobar y añadir"), T("Cancelar"),
		container.NewVBox(form, remember), func(ok bool) {
			if !ok {
				return
			}
			dest, err := backup.ParseDestination(url.Text)
			if err == nil && dest.Kind != backup.KindWebDAV {
				err = backup.ErrInsecure
			}
			if err != nil {
				b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
				return
			}
			if u := strings.TrimSpace(user.Text); u != "" {
				dest.User = u
			}
			dest.Password = pw.Text
			b.checkWebDAV(dest, remember.Checked)
		}, b.u.win)
	d.Resize(fyne.NewSize(720, d.MinSize().Height))
	b.u.showDialog(d)
}

// checkWebDAV lists dest off the UI goroutine and adds it if the server
// answers (a missing folder is created by the first backup).
func (b *backupPanel) checkWebDAV(dest backup.Destination, remember bool) {
	b.result.SetText(T("Comprobando la conexión…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := backup.List(ctx, dest)
		if errors.Is(err, backup.ErrNoDestination) {
			err = nil
		}
		fyne.Do(func() {
			b.result.SetText("")
			if err != nil {
				log.Printf("copias: comprobar %s: %v", dest, err)
				b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
				return
			}
			b.acceptSecrets("", []backup.Destination{dest}, false, remember, func(string, []backup.Destination, bool) {
				b.addDestination(dest)
			})
		})
	}()
}

// restoreForm is the "Restaurar una copia" dialog: where, which backup,
// and its passphrase.
type restoreForm struct {
	b      *backupPanel
	where  *widget.Select
	which  *widget.Select
	status *widget.Label
	pass   *widget.Entry
	dest   backup.Destination // the destination listed, with its password
	found  []backup.Info      // the backups listed there, newest first
}

// onRestore lists the backups at a destination and, once one is picked
// with its passphrase, downloads and checks it (Enlace keeps working
// meanwhile); confirmSwap then asks before anything is replaced.
func (b *backupPanel) onRestore() {
	if len(b.cfg.Destinations) == 0 {
		b.u.showDialog(dialog.NewInformation(T("Restaurar una copia"),
			T("Añada primero el destino donde están las copias: la carpeta o Nextcloud / WebDAV."), b.u.win))
		return
	}
	names := make([]string, len(b.cfg.Destinations))
	for i, d := range b.cfg.Destinations {
		names[i] = d.String()
	}
	f := &restoreForm{b: b, where: widget.NewSelect(names, nil), which: widget.NewSelect(nil, nil),
		status: widget.NewLabel(""), pass: widget.NewPasswordEntry()}
	f.which.PlaceHolder = T("Elija una copia")
	f.status.Wrapping = fyne.TextWrapWord
	f.where.OnChanged = func(string) { f.list(f.where.SelectedIndex()) }
	b.secretsFor(nil, true, false, "", func(p string, _ []backup.Destination, _ bool) { f.pass.SetText(p) })
	form := widget.NewForm(
		widget.NewFormItem(T("Destino"), f.where),
		widget.NewFormItem(T("Copia"), withNote(f.which, f.status)),
		widget.NewFormItem(T("Contraseña de la copia"), f.pass),
	)
	note := smallNote(T("La copia se descarga y se comprueba antes de sustituir nada; mientras tanto puede seguir trabajando."))
	d := dialog.NewCustomConfirm(T("Restaurar una copia"), T("Descargar y comprobar"), T("Cancelar"),
		container.NewVBox(form, note), func(ok bool) {
			if i := f.which.SelectedIndex(); ok && i >= 0 && i < len(f.found) {
				b.fetch(f.dest, f.found[i].Name, f.pass.Text)
			}
		}, b.u.win)
	d.Resize(fyne.NewSize(600, d.MinSize().Height))
	b.u.showDialog(d)
	f.where.SetSelectedIndex(0)
}

// list fills the backups of the i-th destination in, off the UI goroutine.
func (f *restoreForm) list(i int) {
	b := f.b
	f.which.Options, f.found = nil, nil
	f.which.ClearSelected()
	f.status.SetText(T("Buscando copias…"))
	b.secretsFor(b.cfg.Destinations[i:i+1], false, true, T("Cancelar"), func(_ string, ready []backup.Destination, ok bool) {
		if !ok {
			f.status.SetText(T("Sin la contraseña de aplicación no se pueden ver las copias."))
			return
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			list, err := backup.List(ctx, ready[0])
			fyne.Do(func() { f.show(i, ready[0], list, err) })
		}()
	})
}

// show puts the backups found at dest, the i-th destination, in the form.
func (f *restoreForm) show(i int, dest backup.Destination, list []backup.Info, err error) {
	switch {
	case f.where.SelectedIndex() != i:
		return // another destination was picked meanwhile
	case err != nil:
		f.status.SetText(backupMessage(err))
		return
	}
	f.dest, f.found = dest, list
	opts := make([]string, len(list))
	for k, c := range list {
		opts[k] = whenText(c.Time) + " · " + sizeText(c.Size)
	}
	f.which.Options = opts
	f.which.Refresh()
	f.status.SetText(T("Copias encontradas: {{.N}}.", map[string]any{"N": len(list)}))
	if len(list) > 0 {
		f.which.SetSelectedIndex(0)
	}
}

// fetch downloads, decrypts and checks a backup next to the database.
func (b *backupPanel) fetch(d backup.Destination, name, pass string) {
	if b.job != nil {
		return
	}
	ctx, report := b.begin(T("Restauración"))
	path, logN := b.u.store.Path(), b.logN
	go func() {
		st, err := backup.Fetch(ctx, d, name, pass, path, &backup.Options{Progress: report, WorkFactor: logN})
		fyne.Do(func() {
			b.end()
			if err != nil {
				log.Printf("restaurar %s de %s: %v", name, d, err)
				if !errors.Is(err, context.Canceled) {
					b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
				}
			} else {
				b.confirmSwap(st)
			}
			if b.settled != nil {
				b.settled()
			}
		})
	}()
}

// confirmSwap says what the checked backup holds and asks before it
// replaces the database.
func (b *backupPanel) confirmSwap(st *backup.Staged) {
	m := st.Manifest
	text := T("La copia del {{.When}} está completa y comprobada: {{.People}} personas, {{.Events}} anotaciones, {{.Offices}} oficinas y {{.Staff}} miembros del personal.",
		map[string]any{"When": whenText(m.Created), "People": m.Counts.People, "Events": m.Counts.Events,
			"Offices": m.Counts.Offices, "Staff": m.Counts.Staff}) + "\n\n" +
		T("La base de datos actual se guardará aparte, como copia «.before-restore», y Enlace se cerrará: ábralo de nuevo para trabajar con la copia restaurada.")
	d := dialog.NewCustomConfirm(T("¿Restaurar esta copia?"), T("Restaurar y cerrar Enlace"), T("Cancelar"), wrapped(text), func(ok bool) {
		if !ok {
			st.Discard()
			return
		}
		b.swap(st)
	}, b.u.win)
	b.u.showDialog(d)
}

// swap closes the store, puts the backup in its place, writes the backup
// settings and results back into it (they are this computer's), and ends
// Enlace: every screen would otherwise show the replaced database. If the
// swap fails, the current database is reopened, untouched.
func (b *backupPanel) swap(st *backup.Staged) {
	path, cfg, stats := b.u.store.Path(), b.cfg, b.st
	b.closing = true
	if err := b.u.store.Close(); err != nil {
		log.Printf("restaurar: cerrar la base de datos: %v", err)
	}
	before, err := st.Swap(time.Now())
	if err != nil {
		st.Discard()
		b.closing = false
		if s, oerr := data.Open(path, nil); oerr == nil {
			b.u.store = s
		} else {
			log.Printf("restaurar: reabrir la base de datos: %v", oerr)
		}
		log.Printf("restaurar: %v", err)
		b.u.showDialog(dialog.NewError(errors.New(backupMessage(err)), b.u.win))
		return
	}
	if s, err := data.Open(path, nil); err == nil {
		if err := backup.SaveConfig(s, cfg); err != nil {
			log.Printf("restaurar: %v", err)
		}
		if err := backup.SaveStatuses(s, stats); err != nil {
			log.Printf("restaurar: %v", err)
		}
		if err := s.Close(); err != nil {
			log.Printf("restaurar: %v", err)
		}
	} else {
		log.Printf("restaurar: abrir la copia restaurada: %v", err)
	}
	d := dialog.NewInformation(T("Copia restaurada"),
		T("Se ha restaurado la copia del {{.When}}. La base de datos anterior queda guardada en {{.Before}}.",
			map[string]any{"When": whenText(st.Manifest.Created), "Before": before})+"\n\n"+
			T("Enlace se cerrará ahora: ábralo de nuevo para seguir trabajando."), b.u.win)
	b.u.showDialog(d)
	d.SetOnClosed(func() { b.u.forgetDialog(d); b.quit() })
}
