package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
	"github.com/enlace-madrid/enlace/data/forms/acroform"
)

const importPDFUsage = "enlace import pdf [--db RUTA] [--dry-run] FICHERO.pdf|CARPETA… | --url https://NUBE/remote.php/dav/files/USUARIO/CARPETA/ --user USUARIO"

// runImportPDF is `enlace import pdf`: it imports filled-in PDF referral
// forms, files or the PDFs of a folder, in one transaction, and then
// deletes the files it imported; those it cannot import stay and are
// listed on stderr (exit 1 when none could be imported).
func runImportPDF(args []string, stdout, stderr io.Writer) (err error) {
	flags, db := newFlags("import pdf", stderr)
	dry := flags.Bool("dry-run", false, "comprobar los formularios y decir qué se importaría, sin escribir ni borrar nada")
	author := flags.String("author", "", authorUsage)
	url := flags.String("url", "", "carpeta WebDAV donde se dejan los formularios (la de una carpeta de Nextcloud de solo subida, vista con su cuenta)")
	user := flags.String("user", "", "usuario de esa carpeta WebDAV (contraseña de aplicación en "+envFormsPass+")")
	args, err = parseAnywhere(flags, args)
	if err != nil {
		return err
	}
	var paths []string
	switch {
	case *url != "" && (len(args) > 0 || *user == ""):
		return &exitError{code: 2, msg: "con --url, indique --user y ningún fichero: " + importPDFUsage}
	case *url == "" && len(args) == 0:
		return &exitError{code: 2, msg: "indique los formularios PDF o su carpeta: " + importPDFUsage}
	case *url == "":
		if paths, err = acroform.Paths(args); err != nil {
			return err
		}
		if len(paths) == 0 {
			return &exitError{code: 1, msg: "no hay ningún fichero PDF en " + strings.Join(args, ", ")}
		}
	}
	folder := acroform.Folder{URL: *url, User: *user}
	if *url != "" {
		if folder.Password, err = formsPassword(*user, stderr); err != nil {
			return err
		}
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer closeStore(s, &err)
	var preview forms.Result
	see := func(p *forms.Plan) bool {
		preview = p.Preview(true)
		return !*dry
	}
	var im acroform.Imported
	if *url != "" {
		im, err = folder.Pull(s, signer(s, *author), see)
	} else {
		im, err = acroform.Import(s, paths, signer(s, *author), see)
	}
	if err != nil {
		return err
	}
	for _, p := range im.Problems {
		fmt.Fprintln(stderr, "para revisar: "+p.String())
	}
	if *dry {
		if im.Plan != nil {
			fmt.Fprintln(stdout, "Prueba, no se ha escrito ni borrado nada. "+preview.DrySummary())
			printReviews(stdout, im.Plan)
		}
	} else {
		fmt.Fprintln(stdout, im.Summary())
		if im.Plan != nil {
			printReviews(stdout, im.Plan)
		}
		if len(im.Deleted) > 0 {
			fmt.Fprintln(stdout, "Los formularios importados se han borrado de su carpeta: los datos ya están en Enlace.")
		}
		if len(im.Deleted) == 0 && im.Files == 0 && *url != "" {
			fmt.Fprintln(stdout, "No hay formularios PDF en la carpeta.")
		}
	}
	if len(im.Problems) > 0 && im.Result.Rows == 0 && preview.Rows == 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("no se ha importado nada: %s. Se quedan donde estaban.",
			rowCount(len(im.Problems), "formulario no es válido", "formularios no son válidos"))}
	}
	return nil
}

// runFormsPDF is `enlace forms pdf --office ID [-o ARCHIVO]`: the office's
// fillable PDF referral form, as `enlace pdf form` makes it, saved by
// default as formulario-derivacion-OFICINA.pdf.
func runFormsPDF(args []string, stdout, stderr io.Writer) error {
	hasOut, office := false, ""
	for i, a := range args {
		switch {
		case a == "-o" || a == "--o" || strings.HasPrefix(a, "-o=") || strings.HasPrefix(a, "--o="):
			hasOut = true
		case (a == "--office" || a == "-office") && i+1 < len(args):
			office = args[i+1]
		case strings.HasPrefix(a, "--office=") || strings.HasPrefix(a, "-office="):
			office = a[strings.Index(a, "=")+1:]
		}
	}
	if !hasOut && office != "" {
		args = append(args, "-o", "formulario-derivacion-"+fileSlug(office)+".pdf")
	}
	return runPDF(append([]string{"form"}, args...), stdout, stderr)
}

// fileSlug is an office's name or ID fit for a file name:
// "AZ Tetuán" → "az-tetuan".
func fileSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range data.Fold(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
