package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/resources"
)

// notifyEvery is how often the running program looks for reminders that
// have fallen due.
const notifyEvery = time.Minute

// notifier keeps the user told while Enlace runs: a desktop notification
// when it starts with reminders due and when one falls due, the count in
// the navigation, and the system-tray icon and menu where the desktop has
// a tray. The store work runs on a background goroutine; everything that
// touches widgets or notifications runs through fyne.Do.
type notifier struct {
	u    *App
	send func(*fyne.Notification) // the app's SendNotification; tests replace it

	told      map[string]data.Wall // reminder ID → the due time already notified
	started   bool                 // the start-up check ran
	trayCount int                  // the count the tray shows; -1 before the first
	lastDue   int                  // how many were due at the last check
	running   bool                 // the background check is running

	// The store revision and day of the last sync, to skip idle ones;
	// touched only by check.
	syncedRev int
	syncedDay data.Date
}

func newNotifier(u *App) *notifier {
	return &notifier{u: u, send: u.app.SendNotification, told: map[string]data.Wall{}, trayCount: -1}
}

// start checks now, then every notifyEvery for as long as the process
// runs (the window is the whole program).
func (n *notifier) start() {
	if n.running {
		return
	}
	n.running = true
	go func() {
		n.check()
		for range time.Tick(notifyEvery) {
			n.check()
		}
	}()
}

// check, on the background goroutine, syncs the generated reminders if
// anything was written since the last time (or the day changed) and reads
// those due, then hands them to the UI thread.
func (n *notifier) check() {
	store := n.u.store
	now := store.Now()
	changed := false
	rev, err := store.Revision()
	if day := data.WallOf(now).Day; err != nil || rev != n.syncedRev || day != n.syncedDay {
		rep, err := store.SyncReminders(now)
		if err != nil {
			log.Printf("recordatorios: %v", err)
		} else {
			n.syncedRev, n.syncedDay = rev, day // a sync that wrote runs once more, idle
		}
		changed = rep.Changed()
	}
	due, err := store.Reminders(data.ReminderFilter{View: data.ViewOverdue, Now: now})
	if err != nil {
		log.Printf("recordatorios: %v", err)
		return
	}
	fyne.Do(func() { n.apply(due, changed) })
}

// apply, on the UI thread, notifies what is newly due and updates the
// counts and, when something changed, the list.
func (n *notifier) apply(due []data.Reminder, changed bool) {
	var fresh []data.Reminder
	live := make(map[string]bool, len(due))
	for _, r := range due {
		live[r.ID] = true
		if w, ok := n.told[r.ID]; !ok || w != r.Due() {
			fresh = append(fresh, r)
			n.told[r.ID] = r.Due()
		}
	}
	for id := range n.told {
		if !live[id] {
			delete(n.told, id) // done or snoozed: it may be told again
		}
	}
	switch {
	case !n.started:
		n.started = true
		if len(due) > 0 {
			n.send(startNotification(due))
		}
	case len(fresh) > 3:
		n.send(startNotification(fresh))
	default:
		for _, r := range fresh {
			n.send(dueNotification(&r))
		}
	}
	if changed || len(fresh) > 0 || len(due) != n.lastDue {
		n.u.reminders.reload()
	}
	n.lastDue = len(due)
	n.u.setDueCount(len(due))
}

// startNotification sums up several reminders due. Notifications may
// show on a locked screen: they carry what to do, never whom it is about.
func startNotification(due []data.Reminder) *fyne.Notification {
	title := T("Enlace: {{.Count}} recordatorios vencidos", map[string]any{"Count": len(due)})
	if len(due) == 1 {
		title = T("Enlace: 1 recordatorio vencido")
	}
	var lines []string
	for i, r := range due {
		if i == 3 {
			lines = append(lines, "…")
			break
		}
		lines = append(lines, shorten(firstLine(r.Text), 80))
	}
	return fyne.NewNotification(title, strings.Join(lines, "\n"))
}

// dueNotification announces one reminder that has just fallen due.
func dueNotification(r *data.Reminder) *fyne.Notification {
	title := T("Recordatorio de las {{.Time}}", map[string]any{"Time": r.Due().Clock()})
	return fyne.NewNotification(title, shorten(firstLine(r.Text), 160))
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// showTray shows count in the system tray, where the desktop has one: the
// icon carries it as a badge and the menu says it and opens the window.
func (n *notifier) showTray(count int) {
	desk, ok := n.u.app.(desktop.App)
	if !ok || !n.u.tray || count == n.trayCount {
		return
	}
	n.trayCount = count
	open := n.u.showWindow
	label := T("{{.Count}} recordatorios vencidos", map[string]any{"Count": count})
	switch count {
	case 0:
		label = T("Ningún recordatorio vencido")
	case 1:
		label = T("1 recordatorio vencido")
	}
	desk.SetSystemTrayMenu(n.u.trayMenu(
		fyne.NewMenuItem(label, func() {
			open()
			n.u.tabs.SelectIndex(remindersTab)
			n.u.reminders.views.SelectIndex(0)
		}),
		fyne.NewMenuItem(T("Abrir Enlace"), open),
	))
	desk.SetSystemTrayIcon(trayIcon(count))
}

// trayIcon is the application icon at tray size with a red badge holding
// count (9+ beyond nine); count 0 gives the plain icon.
func trayIcon(count int) fyne.Resource {
	src, err := png.Decode(bytes.NewReader(resources.Icon))
	if err != nil {
		return fyne.NewStaticResource("enlace.png", resources.Icon)
	}
	const size = 64
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scaleDown(img, src)
	if count > 0 {
		text := strconv.Itoa(count)
		if count > 9 {
			text = "9+"
		}
		drawBadge(img, text)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fyne.NewStaticResource("enlace.png", resources.Icon)
	}
	return fyne.NewStaticResource("enlace-"+strconv.Itoa(min(count, 10))+".png", buf.Bytes())
}

// scaleDown draws src into dst averaging the source pixels under each
// destination pixel.
func scaleDown(dst *image.RGBA, src image.Image) {
	sb, db := src.Bounds(), dst.Bounds()
	fx, fy := sb.Dx()/db.Dx(), sb.Dy()/db.Dy()
	if fx < 1 || fy < 1 {
		draw.Draw(dst, db, src, sb.Min, draw.Src)
		return
	}
	for y := range db.Dy() {
		for x := range db.Dx() {
			var r, g, b, a uint32
			for j := range fy {
				for i := range fx {
					cr, cg, cb, ca := src.At(sb.Min.X+x*fx+i, sb.Min.Y+y*fy+j).RGBA()
					r, g, b, a = r+cr, g+cg, b+cb, a+ca
				}
			}
			n := uint32(fx * fy)
			dst.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(b / n), uint16(a / n)})
		}
	}
}

// digitGlyphs is a 3×5 pixel font for the badge: digits and "+".
var digitGlyphs = map[rune][5]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"}, '1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"}, '3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"}, '5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"}, '7': {"###", "..#", ".#.", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"}, '9': {"###", "#.#", "###", "..#", "###"},
	'+': {"...", ".#.", "###", ".#.", "..."},
}

// drawBadge paints a red disc in the top-right corner of img with text in
// white, centred.
func drawBadge(img *image.RGBA, text string) {
	const r, cx, cy = 17, 64 - 18, 18
	red := color.RGBA{0xD3, 0x2F, 0x2F, 0xFF}
	for y := cy - r - 1; y <= cy+r+1; y++ {
		for x := cx - r - 1; x <= cx+r+1; x++ {
			if dx, dy := x-cx, y-cy; dx*dx+dy*dy <= r*r {
				img.Set(x, y, red)
			}
		}
	}
	scale := 4
	if len(text) > 1 {
		scale = 3
	}
	w := (len(text)*4 - 1) * scale
	x0, y0 := cx-w/2, cy-5*scale/2
	for i, ch := range text {
		g := digitGlyphs[ch]
		for row := range 5 {
			for col := range 3 {
				if g[row][col] != '#' {
					continue
				}
				px, py := x0+(i*4+col)*scale, y0+row*scale
				draw.Draw(img, image.Rect(px, py, px+scale, py+scale), image.White, image.Point{}, draw.Src)
			}
		}
	}
}
