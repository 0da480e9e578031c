package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/nextcloud"
)

const formsUsage = "enlace forms pull --url https://NUBE --user USUARIO --form ID [--db RUTA] [--dry-run] | link [URL] | describe [--json] | pdf --office ID|NOMBRE [-o ARCHIVO]"

// envFormsPass holds the Nextcloud app password for `enlace forms pull`.
const envFormsPass = "ENLACE_FORMS_PASSWORD"

// runForms is `enlace forms pull`: it imports the referral form's answers
// from the Forms app of the organisation's Nextcloud and deletes on the
// server those it has recorded; answers that cannot be imported stay
// there and are listed for review.
func runForms(args []string, stdout, stderr io.Writer) (err error) {
	if len(args) > 0 && args[0] == "describe" {
		return runFormsDescribe(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "pdf" {
		return runFormsPDF(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "link" {
		return runFormsLink(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "pull" {
		return &exitError{code: 2, msg: "falta qué hacer: " + formsUsage}
	}
	fs, db := newFlags("forms pull", stderr)
	url := fs.String("url", "", "dirección del Nextcloud, p. ej. https://nube.ejemplo.org")
	user := fs.String("user", "", "usuario de Nextcloud que ve las respuestas del formulario")
	formID := fs.Int("form", 0, "número del formulario (el de su dirección en la app Formularios)")
	dry := fs.Bool("dry-run", false, "decir qué se importaría, sin escribir ni borrar nada")
	author := fs.String("author", "", authorUsage)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *url == "" || *user == "" || *formID <= 0 {
		return &exitError{code: 2, msg: "pull necesita --url, --user y --form: " + formsUsage}
	}
	pw, err := formsPassword(*user, stderr)
	if err != nil {
		return err
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer closeStore(s, &err)
	c := &nextcloud.Client{BaseURL: *url, User: *user, Password: pw}
	var dryRes forms.Result
	got, err := c.Pull(s, *formID, signer(s, *author), func(p *forms.Plan) bool {
		dryRes = p.Preview(true)
		return !*dry
	})
	if *dry && err == nil {
		fmt.Fprintln(stdout, dryRes.DrySummary())
		return nil
	}
	if err != nil {
		if got.Result.Rows > 0 {
			fmt.Fprintln(stdout, got.Result.Summary())
		}
		return err
	}
	fmt.Fprintln(stdout, got.Summary())
	if old, _ := nextcloud.Link(s); old == "" && got.Link != "" {
		if err := nextcloud.SetLink(s, got.Link); err == nil {
			fmt.Fprintf(stdout, "Enlace público del formulario guardado para el folleto: %s\n", got.Link)
		}
	}
	for _, p := range got.Pending {
		var msgs []string
		for _, pr := range p.Problems {
			m := pr.Message
			if pr.Column != "" {
				m = "«" + pr.Column + "»: " + m
			}
			msgs = append(msgs, m)
		}
		fmt.Fprintf(stdout, "para revisar en Nextcloud: respuesta %d (%s): %s\n", p.Submission.ID,
			p.When.Format("02/01/2006 15:04"), strings.Join(msgs, " "))
	}
	return nil
}

// formsPassword is the Nextcloud app password of user: from
// ENLACE_FORMS_PASSWORD, else asked on the terminal.
func formsPassword(user string, stderr io.Writer) (string, error) {
	pw := os.Getenv(envFormsPass)
	if pw != "" {
		return pw, nil
	}
	a := terminal(stderr)
	if a == nil {
		return "", fmt.Errorf(noTerminal, "la contraseña de aplicación de Nextcloud", envFormsPass)
	}
	pw, err := a.ask("Contraseña de aplicación de Nextcloud para "+user+": ", true)
	if err != nil || pw == "" {
		return "", fmt.Errorf("falta la contraseña de aplicación de Nextcloud: escríbala en %s", envFormsPass)
	}
	return pw, nil
}

// runFormsLink is `enlace forms link [URL]`: it shows, or sets, the public
// link of the referral form that the leaflet prints with a QR code; an
// empty URL ("") removes it.
func runFormsLink(args []string, stdout, stderr io.Writer) (err error) {
	fs, db := newFlags("forms link", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return &exitError{code: 2, msg: "indique una sola dirección: " + formsUsage}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer closeStore(s, &err)
	if fs.NArg() == 1 {
		if err := nextcloud.SetLink(s, fs.Arg(0)); err != nil {
			return err
		}
	}
	link, err := nextcloud.Link(s)
	if err != nil {
		return err
	}
	if link == "" {
		fmt.Fprintln(stdout, "No hay enlace del formulario: el folleto no lleva código QR.")
		return nil
	}
	fmt.Fprintln(stdout, link)
	return nil
}

// runFormsDescribe is `enlace forms describe [--json]`: the referral form
// to create in the Forms app (questions, options, validations, and the
// enabling situations in force as its description), so that its answers
// import as they are.
func runFormsDescribe(args []string, stdout, stderr io.Writer) (err error) {
	fs, db := newFlags("forms describe", stderr)
	asJSON := fs.Bool("json", false, "salida en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer closeStore(s, &err)
	spec, err := nextcloud.Describe(s)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(spec)
	}
	_, err = io.WriteString(stdout, spec.Text())
	return err
}
