package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

const syncUsage = "enlace sync [--once] | status [--json] | create --url URL --user U --device NOMBRE | invite --device NOMBRE --login USUARIO --name NOMBRE --roles R,… | join CÓDIGO --user U | remove --device NOMBRE | remove --login USUARIO | roles --login USUARIO --roles R,… | compact | repair"

// envSyncPass holds the app password of the sync folder's WebDAV account.
const envSyncPass = "ENLACE_SYNC_PASSWORD"

func runSync(args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs, db := newFlags("sync", stderr)
	once := fs.Bool("once", false, "sincroniza una vez y termina (sin ella, cada --every)")
	every := fs.Duration("every", 5*time.Minute, "cada cuánto sincronizar sin --once")
	asJSON := fs.Bool("json", false, "salida en JSON (status)")
	url := fs.String("url", "", "carpeta WebDAV del espacio (create), p. ej. https://nube.ejemplo.org/remote.php/dav/files/USUARIO/Enlace/")
	user := fs.String("user", "", "usuario de la cuenta WebDAV (create, join)")
	device := fs.String("device", "", "nombre de este equipo o del invitado (create, invite), p. ej. oficina_norte_1")
	login := fs.String("login", "", "usuario de Enlace de quien usará el equipo invitado (invite), cuyos equipos se retiran todos (remove) o cuyas funciones cambian (roles)")
	name := fs.String("name", "", "nombre de quien usará el equipo invitado (invite)")
	roles := fs.String("roles", "", "funciones del invitado, o las nuevas del usuario, separadas por comas: tecnico, jefe_seccion, coordinador, administrador (invite, roles)")
	if err := parse(fs, args); err != nil {
		return err
	}
	code := ""
	if sub == "join" {
		if fs.NArg() != 1 {
			return &exitError{code: 2, msg: "falta la invitación: " + syncUsage}
		}
		code = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("argumento de más: %q; uso: %s", fs.Arg(0), syncUsage)}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	password := func() (string, error) {
		if p := os.Getenv(envSyncPass); p != "" {
			return p, nil
		}
		a := terminal(stderr)
		if a == nil {
			return "", fmt.Errorf(noTerminal, "la contraseña de aplicación de la carpeta de sincronización", envSyncPass)
		}
		p, err := a.ask("Contraseña de aplicación de la carpeta de sincronización: ", true)
		if err != nil || p == "" {
			return "", fmt.Errorf("falta la contraseña de aplicación del servidor: escríbala en %s", envSyncPass)
		}
		return p, nil
	}
	switch sub {
	case "create":
		if *url == "" || *user == "" || *device == "" {
			return &exitError{code: 2, msg: "create necesita --url, --user y --device: " + syncUsage}
		}
		pw, err := password()
		if err != nil {
			return err
		}
		if _, err := esync.Create(s, *url, *user, pw, *device); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Espacio de sincronización creado en %s; este equipo es «%s». Invite a los demás con «enlace sync invite».\n", *url, *device)
		return nil
	case "invite":
		if *device == "" || *login == "" || *roles == "" {
			return &exitError{code: 2, msg: "invite necesita --device, --login y --roles: " + syncUsage}
		}
		pw, err := password()
		if err != nil {
			return err
		}
		inv, err := esync.Invite(s, pw, *device, *login, *name, parseRoles(*roles))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Invitación para el equipo «%s» (usuario %s). Entréguela en persona: quien la tenga puede unirse al espacio.\n%s\n", *device, *login, inv.Code())
		return nil
	case "remove":
		if (*device == "") == (*login == "") {
			return &exitError{code: 2, msg: "remove necesita --device (un equipo) o --login (todos los equipos de un usuario): " + syncUsage}
		}
		pw, err := password()
		if err != nil {
			return err
		}
		var rm esync.Removal
		if *device != "" {
			rm, err = esync.Remove(s, pw, *device)
		} else {
			rm, err = esync.RemoveUser(s, pw, *login)
		}
		if err != nil {
			return err
		}
		for _, d := range rm.Devices {
			fmt.Fprintf(stdout, "Equipo retirado: «%s» ya no forma parte del espacio y a partir de ahora no puede leer los cambios nuevos; no se aceptará nada de lo que envíe.\n", d)
		}
		fmt.Fprintf(stdout, "Los cambios nuevos se cifran con la clave n.º %d del espacio, que solo tienen los equipos que siguen.\n", rm.Epoch)
		if len(rm.Unkeyed) > 0 {
			fmt.Fprintf(stdout, "Estos equipos recibirán la clave nueva cuando sincronicen y este equipo sincronice después: %s.\n", strings.Join(rm.Unkeyed, ", "))
		}
		return nil
	case "join":
		inv, err := esync.ParseInvitation(code)
		if err != nil {
			return err
		}
		if *user == "" {
			return &exitError{code: 2, msg: "join necesita --user (la cuenta WebDAV de este equipo): " + syncUsage}
		}
		pw, err := password()
		if err != nil {
			return err
		}
		if _, err := esync.Join(s, inv, *user, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Este equipo se ha unido al espacio como «%s». Sincronice con «enlace sync --once».\n", inv.Device)
		return nil
	case "compact":
		return syncCompact(s, password, stdout)
	case "repair":
		return syncRepair(s, password, stdout)
	case "roles":
		if *login == "" || *roles == "" {
			return &exitError{code: 2, msg: "roles necesita --login y --roles: " + syncUsage}
		}
		return syncRoles(s, password, *login, parseRoles(*roles), stdout)
	case "status", "":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("no existe «enlace sync %s»; uso: %s", sub, syncUsage)}
	}
	pw, err := password()
	if err != nil {
		return err
	}
	if sub == "status" {
		ss, err := esync.OpenSession(s, pw)
		if err != nil {
			return err
		}
		defer ss.Close()
		st := ss.Status()
		if *asJSON {
			return json.NewEncoder(stdout).Encode(st)
		}
		last := "nunca"
		if !st.LastSync.IsZero() {
			last = st.LastSync.In(data.Madrid()).Format("02/01/2006 15:04")
		}
		sent := "nunca"
		if !st.LastSent.IsZero() {
			sent = st.LastSent.In(data.Madrid()).Format("02/01/2006 15:04")
		}
		fmt.Fprintf(stdout, "Equipo: %s\nCarpeta: %s\nÚltima sincronización: %s\nÚltimo envío de este equipo: %s\nCambios pendientes de enviar: %d\nConflictos por revisar: %d\n",
			st.Device, st.URL, last, sent, st.Pending, st.Conflicts)
		if st.LastError != "" {
			fmt.Fprintf(stdout, "Último error: %s\n", st.LastError)
		}
		fmt.Fprintf(stdout, "Lotes rechazados: %d\n", st.RefusedBatches)
		for _, r := range st.Refused {
			state := "espera la decisión de la administración (Ajustes → Sincronización → Omitir este lote)"
			switch {
			case r.Broken:
				state = "no se puede omitir: cada sincronización lo vuelve a intentar, y el equipo que lo escribió lo publica de nuevo si aún guarda esos cambios («enlace sync repair»); si no se arregla, la administración retira ese equipo del espacio (" + r.Detail + ")"
			case r.Skipped:
				state = "omitido: se aplica en la próxima sincronización"
			}
			fmt.Fprintf(stdout, "  lote %d de %s, %s: %s; %s\n", r.Seq, r.Device,
				r.At.In(data.Madrid()).Format("02/01/2006 15:04"), r.Reason(), state)
		}
		for _, r := range st.Repairs {
			fmt.Fprintf(stdout, "Lote %d de este equipo publicado de nuevo como el lote %d el %s (%s; %d cambios): los demás equipos lo aplican en su lugar.\n",
				r.Seq, r.By, r.At.In(data.Madrid()).Format("02/01/2006 15:04"), r.Cause, r.Ops)
		}
		for _, l := range st.Lost {
			fmt.Fprintf(stdout, "Lote %d de este equipo sin reparar (%s): %s.\n", l.Seq, l.Cause, esync.WhyLost)
		}
		fmt.Fprintln(stdout, "Equipos del espacio:")
		for _, m := range st.Devices {
			gone := ""
			if m.Removed {
				gone = " — retirado"
			}
			at := st.Seen[m.Device] // the server's date of its head, which a sync writes at least hourly
			if m.Device == st.Device {
				at = st.LastSync
			}
			when := "todavía no ha sincronizado"
			if !at.IsZero() {
				when = "última sincronización: " + at.In(data.Madrid()).Format("02/01/2006 15:04")
			}
			fmt.Fprintf(stdout, "  %-24s %s (%s): %s%s — %s\n", m.Device, m.Name, m.User, roleLabels(m.Roles), gone, when)
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for {
		rep, _, err := esync.SyncOnce(s, pw, time.Now()) // the member list is read again each time
		if err != nil {
			if *once {
				return err
			}
			fmt.Fprintln(stderr, "enlace: sincronización:", err)
		} else {
			fmt.Fprintf(stdout, "%s sincronizado: %d cambios enviados, %d recibidos.\n",
				time.Now().In(data.Madrid()).Format("02/01/2006 15:04:05"), rep.Sent, rep.Received)
		}
		if *once {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(*every):
		}
	}
}

// syncCompact syncs, writes a snapshot of this install's journal and
// removes its batches every computer of the space has read.
func syncCompact(s *data.Store, password func() (string, error), stdout io.Writer) error {
	pw, err := password()
	if err != nil {
		return err
	}
	ss, err := esync.OpenSession(s, pw)
	if err != nil {
		return err
	}
	defer ss.Close()
	ref, n, err := ss.Compact(time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Instantánea %d escrita (%d operaciones). Lotes de este equipo retirados del servidor: %d.\n", ref.Seq, ref.Ops, n)
	return nil
}

// syncRepair syncs, checking first every batch of this install that some
// computer of the space has not read yet, and says what it found: those
// missing or broken on the server are published again, those it cannot
// repair are named.
func syncRepair(s *data.Store, password func() (string, error), stdout io.Writer) error {
	pw, err := password()
	if err != nil {
		return err
	}
	ss, err := esync.OpenSession(s, pw)
	if err != nil {
		return err
	}
	defer ss.Close()
	rep, err := ss.Repair(time.Now())
	chk := rep.Check
	switch {
	case !chk.Ran:
		fmt.Fprintln(stdout, "No hay lotes de este equipo que comprobar: no ha enviado ninguno, o no es miembro del espacio.")
	case len(chk.Checked) == 0:
		fmt.Fprintln(stdout, "Todos los equipos del espacio han leído los lotes de este equipo: no hay nada que comprobar.")
	default:
		fmt.Fprintf(stdout, "Lotes de este equipo comprobados en el servidor: %d (del %d al %d).\n", len(chk.Checked), chk.Checked[0], chk.Checked[len(chk.Checked)-1])
	}
	for _, r := range chk.Repaired {
		fmt.Fprintf(stdout, "Lote %d: %s. Se ha publicado de nuevo como el lote %d (%d cambios): los demás equipos lo aplicarán en su lugar en su próxima sincronización.\n", r.Seq, r.Cause, r.By, r.Ops)
	}
	for _, l := range chk.Lost {
		fmt.Fprintf(stdout, "Lote %d: %s. No se puede reparar: %s.\n", l.Seq, l.Cause, esync.WhyLost)
	}
	if chk.Ran && len(chk.Checked) > 0 && len(chk.Repaired) == 0 && len(chk.Lost) == 0 {
		fmt.Fprintln(stdout, "Todos se pueden leer: no hay nada que reparar.")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s sincronizado: %d cambios enviados, %d recibidos.\n",
		time.Now().In(data.Madrid()).Format("02/01/2006 15:04:05"), rep.Sent, rep.Received)
	return nil
}
