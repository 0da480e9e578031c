// Command enlace is Enlace's single binary: started without arguments it
// opens the desktop window; with a subcommand it works headless.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	_ "github.com/enlace-madrid/enlace/cmd/enlace/internal/plainlocale" // before Fyne reads the locale
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if name, _ := commandName(os.Args[1:]); name != "gui" {
		attachConsole() // a command: print where it was typed (Windows)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: its name, a one-line Spanish summary, and
// the function that runs it with its own arguments.
type command struct {
	name, usage, summary string
	run                  func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"gui", "enlace [gui] [--db RUTA]", "Abre la ventana de Enlace (lo que hace sin argumentos).", runGUI},
		{"demo", "enlace demo [--db RUTA] [--people N] [--force]", "Crea una base de datos de demostración con oficinas reales y personas ficticias.", runDemo},
		{"search", "enlace search [--db RUTA] [--json] [--limit N] TEXTO", "Busca personas por nombre, documento, teléfono o correo.", runSearch},
		{"reminders", "enlace reminders [--db RUTA] [--due] [--json]", "Lista los recordatorios pendientes (con --due, solo los vencidos), para scripts y cron.", runReminders},
		{"import", importUsage + " | " + importPDFUsage, "Importa las respuestas del formulario de derivaciones (CSV de Google Forms, de Excel o de Formularios de Nextcloud, o su XLSX) o los formularios PDF rellenados (un fichero o una carpeta; los importados se borran).", runImport},
		{"forms", formsUsage, "Descarga las respuestas del formulario de derivaciones de la app Formularios de Nextcloud, las importa y las borra del servidor.", runForms},
		{"stats", "enlace stats [--db RUTA] [--from dd/mm/aaaa] [--to dd/mm/aaaa] [--json]", "Estadísticas del programa sobre las derivaciones de esas fechas.", runStats},
		{"export", exportUsage, "Exporta las personas o las derivaciones con su estado a CSV o Excel (XLSX).", runExport},
		{"pdf", "enlace pdf leaflet|form|notice|case|followup|stats|acta|estimate [--db RUTA] … -o ARCHIVO", "Genera un PDF: el folleto, el formulario de derivación rellenable o el aviso de fin de programa de una oficina, el resumen de un caso, un informe de seguimiento, las estadísticas, o de un proyecto RI (--project ID o RI/n/año) el acta de selección de tutores (Anexo II) o la estimación de la subvención.", runPDF},
		{"ri", "enlace ri estimate|list|deadlines [--db RUTA] [--json] …", "Programa RI: lista los proyectos, estima la subvención de uno (--project ID o RI/n/año) y muestra los plazos de comunicación.", runRI},
		{"backup", "enlace backup [list|scrub] [--db RUTA] [--to|--from DESTINO]", "Hace una copia de seguridad cifrada en una carpeta o en WebDAV (Nextcloud); «list» lista las que hay; «scrub» quita de las copias anteriores a las personas suprimidas después.", runBackup},
		{"restore", "enlace restore COPIA [--from DESTINO] [--db RUTA]", "Restaura una copia de seguridad; la base de datos actual se guarda como .before-restore.", runRestore},
		{"audit", auditUsage, "Muestra el registro de cambios y exportaciones (quién, cuándo, qué); con -o lo exporta a Excel o CSV.", runAudit},
		{"gdpr", gdprUsage, "Protección de datos: exporta todo lo que hay de una persona (JSON y PDF), la suprime sin dejar rastro o lista los casos cerrados que superan el plazo de conservación.", runGDPR},
		{"sync", syncUsage, "Sincroniza con las demás oficinas a través de la carpeta de Nextcloud (cifrado de extremo a extremo); status, create, invite y join lo configuran; remove y roles (administración) retiran equipos y cambian funciones.", runSync},
		{"info", "enlace info [--db RUTA] [--json]", "Muestra la ruta de la base de datos y cuántos registros tiene.", runInfo},
		{"version", "enlace version", "Muestra la versión.", runVersion},
		{"help", "enlace help", "Muestra esta ayuda.", runHelp},
	}
}

// exitError carries a process exit code other than 1.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// commandName splits args into the command's name and its own arguments:
// "gui" when there is none (no arguments, or only flags such as --db).
func commandName(args []string) (string, []string) {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		return "help", args[1:] // the list of commands, not the window's flags
	}
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		return args[0], args[1:]
	}
	return "gui", args
}

func run(args []string, stdout, stderr io.Writer) int {
	name, args := commandName(args)
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(args, stdout, stderr)
		if err == nil {
			return 0
		}
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(stderr, "enlace:", ee.msg)
			}
			return ee.code
		}
		fmt.Fprintln(stderr, "enlace:", userMessage(err))
		return 1
	}
	fmt.Fprintf(stderr, "enlace: no existe la orden «%s». Use «enlace help» para ver las órdenes.\n", name)
	return 2
}

func runVersion(args []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "Enlace", version)
	return nil
}

func runHelp(args []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "Enlace: derivaciones entre la Agencia para el Empleo y las oficinas de inmigración.")
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Uso:")
	for _, c := range commands() {
		fmt.Fprintf(stdout, "  %-52s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "La base de datos se elige con --db RUTA o con la variable ENLACE_DB;")
	fmt.Fprintln(stdout, "sin ninguna de las dos se usa la de la carpeta de configuración del usuario.")
	return nil
}
