package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/enlace-madrid/enlace/reports"
)

// colourPreset is a primary colour offered by name.
type colourPreset struct {
	name string // Spanish, translated when shown
	hex  string
}

// colourPresets are dark colours that read well on screen and print as
// dark greys in black and white.
var colourPresets = []colourPreset{
	{"Azul institucional", "#1F4E79"},
	{"Azul europeo", "#003399"},
	{"Rojo", "#A6192E"},
	{"Verde", "#2E6B3F"},
	{"Morado", "#5B2C6F"},
	{"Gris antracita", "#37474F"},
}

// docStylePanel is the "Estilo de los documentos" section of Ajustes: the
// look every PDF shares (programme name, logos, primary colour, footer).
// Changes are kept in the panel until "Guardar estilo" stores them.
type docStylePanel struct {
	u    *App
	root fyne.CanvasObject

	style     reports.Style // as being edited
	programme *widget.Label
	logos     *fyne.Container
	addLogo   *widget.Button
	preset    *widget.Select
	hex       *widget.Entry
	swatch    *canvas.Rectangle
	footer    *widget.Entry
	save      *widget.Button
	status    *widget.Label
}

func newDocStylePanel(u *App) *docStylePanel {
	d := &docStylePanel{u: u}
	title := widget.NewLabelWithStyle(T("Estilo de los documentos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := smallNote(T("Todos los PDF (folletos, resúmenes de casos, informes y avisos) usan este estilo. Sin logotipos también quedan bien."))

	d.programme = widget.NewLabel("")
	d.programme.Wrapping = fyne.TextWrapWord
	d.logos = container.NewVBox()
	d.addLogo = widget.NewButtonWithIcon(T("Añadir logotipo…"), theme.ContentAddIcon(), d.onAddLogo)
	logoNote := smallNote(T("Hasta 3 imágenes PNG o JPEG de 1 MB como mucho: por ejemplo, el Ayuntamiento, la Agencia y el emblema de la cofinanciación europea. Se imprimen de izquierda a derecha."))

	names := make([]string, 0, len(colourPresets)+1)
	for _, p := range colourPresets {
		names = append(names, T(p.name))
	}
	names = append(names, T("Otro (escriba el código)"))
	d.preset = widget.NewSelect(names, d.onPreset)
	d.hex = widget.NewEntry()
	d.hex.SetPlaceHolder("#1F4E79")
	d.hex.OnChanged = d.onHex
	d.swatch = canvas.NewRectangle(color.Black)
	d.swatch.SetMinSize(fyne.NewSize(32, 32))
	d.swatch.CornerRadius = 4
	colourNote := smallNote(T("Para títulos y líneas. Un color claro se oscurece en el texto para que se lea y se imprima bien en blanco y negro."))
	colour := container.NewBorder(nil, nil, d.swatch, nil, container.NewGridWithColumns(2, d.preset, d.hex))

	d.footer = widget.NewEntry()
	d.footer.SetPlaceHolder(T("p. ej.: Cofinanciado por el Fondo de Asilo, Migración e Integración de la Unión Europea"))
	d.footer.OnChanged = func(string) { d.changed() }
	footerNote := smallNote(T("Sale al pie de cada página, con la fecha, quién generó el documento y el número de página."))

	d.save = widget.NewButtonWithIcon(T("Guardar estilo"), theme.DocumentSaveIcon(), d.onSave)
	d.status = widget.NewLabel("")
	d.status.Importance = widget.LowImportance

	form := widget.NewForm(
		widget.NewFormItem(T("Programa"), withNote(d.programme, smallNote(T("El nombre del programa se cambia en la pestaña Programa.")))),
		widget.NewFormItem(T("Logotipos"), container.NewVBox(d.logos, container.NewHBox(d.addLogo), logoNote)),
		widget.NewFormItem(T("Color principal"), withNote(colour, colourNote)),
		widget.NewFormItem(T("Texto del pie"), withNote(d.footer, footerNote)),
	)
	d.root = container.NewVBox(widget.NewSeparator(), title, intro, form,
		container.NewHBox(d.save, d.status))
	d.load()
	return d
}

// content is the section shown in Ajustes.
func (d *docStylePanel) content() fyne.CanvasObject { return d.root }

// load shows the stored style.
func (d *docStylePanel) load() {
	st, err := reports.LoadStyle(d.u.store)
	if err != nil {
		log.Printf("estilo de los documentos: %v", err)
		st = reports.DefaultStyle()
	}
	d.style = st
	d.programme.SetText(st.Programme)
	d.footer.SetText(st.Footer)
	d.showColour(st.Primary.Hex())
	d.showLogos()
	d.status.SetText("")
}

// showColour selects the preset of hex, or "Otro", and writes hex.
func (d *docStylePanel) showColour(hex string) {
	d.hex.SetText(hex)
	d.preset.OnChanged = nil
	d.preset.SetSelectedIndex(len(colourPresets))
	for i, p := range colourPresets {
		if p.hex == hex {
			d.preset.SetSelectedIndex(i)
		}
	}
	d.preset.OnChanged = d.onPreset
}

func (d *docStylePanel) onPreset(string) {
	if i := d.preset.SelectedIndex(); i >= 0 && i < len(colourPresets) {
		d.hex.SetText(colourPresets[i].hex) // onHex does the rest
	}
}

// onHex shows the typed colour as soon as it reads as one.
func (d *docStylePanel) onHex(text string) {
	c, err := reports.ParseColor(text)
	if err != nil {
		d.status.SetText(T("El color no es válido: escríbalo como #1F4E79."))
		d.save.Disable()
		return
	}
	d.style.Primary = c
	d.swatch.FillColor = color.NRGBA{R: c.R, G: c.G, B: c.B, A: 0xFF}
	d.swatch.Refresh()
	d.save.Enable()
	d.changed()
}

// changed says there is something to save, once the panel is loaded.
func (d *docStylePanel) changed() {
	if d.status != nil && d.save != nil && !d.save.Disabled() {
		d.status.SetText(T("Hay cambios sin guardar."))
	}
}

// showLogos lists the logos with a thumbnail and a button to remove each.
func (d *docStylePanel) showLogos() {
	d.logos.RemoveAll()
	for i, lg := range d.style.Logos {
		img := canvas.NewImageFromReader(bytes.NewReader(lg.Data), lg.Name)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(96, 36))
		size := widget.NewLabel(T("{{.Name}} ({{.KB}} kB)", map[string]any{"Name": lg.Name, "KB": (len(lg.Data) + 1023) / 1024}))
		size.Truncation = fyne.TextTruncateEllipsis
		remove := widget.NewButtonWithIcon(T("Quitar"), theme.DeleteIcon(), func() { d.onRemoveLogo(i) })
		d.logos.Add(container.NewBorder(nil, nil, img, remove, size))
	}
	if len(d.style.Logos) == 0 {
		d.logos.Add(widget.NewLabel(T("Sin logotipos: el nombre del programa encabeza cada página.")))
	}
	if len(d.style.Logos) >= reports.MaxLogos {
		d.addLogo.Disable()
	} else {
		d.addLogo.Enable()
	}
	d.logos.Refresh()
}

func (d *docStylePanel) onRemoveLogo(i int) {
	if i < len(d.style.Logos) {
		d.style.Logos = append(d.style.Logos[:i:i], d.style.Logos[i+1:]...)
		d.showLogos()
		d.changed()
	}
}

func (d *docStylePanel) onAddLogo() {
	dlg := d.u.fileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			d.u.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		lg, err := readLogo(r)
		if err != nil {
			d.u.showDialog(dialog.NewError(err, d.u.win))
			return
		}
		d.addLogoData(lg)
	})
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}))
	d.u.showDialog(dlg)
}

// addLogoData adds lg to the logos being edited.
func (d *docStylePanel) addLogoData(lg reports.Logo) {
	if len(d.style.Logos) >= reports.MaxLogos {
		return
	}
	d.style.Logos = append(d.style.Logos, lg)
	d.showLogos()
	d.changed()
}

// readLogo reads an image file chosen as a logo and checks it, returning
// a Spanish sentence when it cannot be one.
func readLogo(r fyne.URIReadCloser) (reports.Logo, error) {
	defer r.Close()
	raw, err := io.ReadAll(io.LimitReader(r, reports.MaxLogoBytes+1))
	if err != nil {
		log.Printf("leer %s: %v", r.URI(), err)
		return reports.Logo{}, errors.New(T("No se ha podido leer el archivo."))
	}
	lg := reports.Logo{Name: r.URI().Name(), Data: raw}
	if len(raw) > reports.MaxLogoBytes {
		return reports.Logo{}, fmt.Errorf("%s", T("El logotipo «{{.Name}}» ocupa más de 1 MB. Redúzcalo o guárdelo como JPEG.", map[string]any{"Name": lg.Name}))
	}
	if err := reports.CheckLogo(lg); err != nil {
		return reports.Logo{}, fmt.Errorf("%s", T("El archivo «{{.Name}}» no es una imagen PNG ni JPEG que se pueda usar.", map[string]any{"Name": lg.Name}))
	}
	return lg, nil
}

// onSave stores the style being edited.
func (d *docStylePanel) onSave() {
	st := d.style
	st.Footer = d.footer.Text
	if err := reports.SaveStyle(d.u.store, st); err != nil {
		d.u.showError(err)
		return
	}
	d.load()
	d.status.SetText(T("Estilo guardado: los próximos documentos lo usarán."))
}
