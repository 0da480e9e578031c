package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
	esync "github.com/enlace-madrid/enlace/data/sync"
)

// parseRoles reads --roles: role names separated by commas.
func parseRoles(list string) []data.Role {
	var rs []data.Role
	for _, r := range strings.Split(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rs = append(rs, data.Role(r))
		}
	}
	return rs
}

// roleLabels says roles as a sentence does, in data.UserRoles order.
func roleLabels(roles []data.Role) string {
	var out []string
	for _, r := range data.UserRoles {
		if slices.Contains(roles, r) {
			out = append(out, strings.ToLower(r.Label()))
		}
	}
	return strings.Join(out, ", ")
}

// syncRoles gives the user login's devices new roles in the space
// (`enlace sync roles`), from the administrator's install.
func syncRoles(s *data.Store, password func() (string, error), login string, roles []data.Role, stdout io.Writer) error {
	pw, err := password()
	if err != nil {
		return err
	}
	rc, err := esync.ChangeRoles(s, pw, login, roles, time.Now())
	if err != nil {
		return err
	}
	if len(rc.Devices) == 0 {
		fmt.Fprintf(stdout, "%s (%s) ya tenía estas funciones en el espacio: %s. No ha cambiado nada.\n", rc.Name, login, roleLabels(rc.Roles))
		return nil
	}
	fmt.Fprintf(stdout, "Funciones de %s (%s) cambiadas en el espacio: %s. Equipos: %s.\n", rc.Name, login, roleLabels(rc.Roles), strings.Join(rc.Devices, ", "))
	fmt.Fprintln(stdout, "Las demás oficinas lo aplican al sincronizar: lo que sus equipos envíen desde ahora se juzga con las funciones nuevas; lo que ya habían enviado conserva lo que entonces podían hacer.")
	if rc.Local {
		fmt.Fprintf(stdout, "El usuario %s de este equipo tiene las mismas funciones (Ajustes → Usuarios).\n", login)
	}
	return nil
}
