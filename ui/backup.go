package ui

import (
	"context"
	"errors"
	"log"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
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

	cfg         backup.Config
	st          backup.Statuses
	lastErasure time.Time // the database's newest erasure, as last read (off the UI goroutine but at start and after an erasure)
	hasKeyring  bool
	closing     bool // the window is closing: no new automatic backups

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
	if b.lastErasure, err = u.store.LastErasure(); err != nil {
		log.Printf("copias: leer las supresiones: %v", err)
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
	b.readErasures()
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
	due := map[string]bool{}
	for _, d := range b.scrubDue(b.lastErasure) {
		due[d.Key()] = true
	}
	for i, d := range b.cfg.Destinations {
		b.dests.Add(b.destRow(i, d, due))
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
func (b *backupPanel) destRow(i int, d backup.Destination, due map[string]bool) fyne.CanvasObject {
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
			map[string]any{"When": whenText(s.LastOK), "Size": data.FormatSize(s.LastSize)}))
	}
	if b.u.store.Now().Sub(s.LastOK) >= backup.MaxAge {
		ok.Importance = widget.WarningImportance
	}
	lines := container.NewVBox(name, ok)
	if l := b.scrubLine(d, due[d.Key()]); l != nil {
		lines.Add(l)
	}
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
