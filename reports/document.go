package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/enlace-madrid/enlace/data"
)

// Options say how a document is made: in which style and language, by
// whom and when. The same Options serve every document.
type Options struct {
	Style  Style
	Lang   Lang
	Author string    // who makes the document, printed in the footer
	Now    time.Time // when: printed in the footer and stored as the PDF's date; zero means time.Now
}

// Info describes one document.
type Info struct {
	Title    string
	Subtitle string // printed under the title; may be empty
	// Personal documents (with data about people) carry the
	// data-protection line at the foot of every page.
	Personal bool
}

// Page geometry, in millimetres: A4 portrait.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginX  = 18.0
	contentW = pageW - 2*marginX
	headTop  = 10.0
	ptToMM   = 25.4 / 72
	bodySize = 9.5 // points
)

// Grey levels of text and lines.
var (
	textColor  = Color{0x22, 0x22, 0x22}
	mutedColor = Color{0x59, 0x59, 0x59}
	ruleColor  = Color{0xB4, 0xB4, 0xB4}
	zebraColor = Color{0xF3, 0xF3, 0xF3}
)

// Document is a PDF being composed: a title, then blocks (headings,
// paragraphs, tables, charts…) flowing down A4 pages, each page with the
// style's header and a footer with the generation date, the author and
// the page number. Blocks are never cut across a page in the middle of a
// line; small blocks (a table row, a contact card, a chart) are kept
// whole. Methods record the first error, which Write returns.
//
// The statistics report and any other document are built the same way:
//
//	doc := reports.NewDocument(opt, reports.Info{Title: "Estadísticas"})
//	doc.Heading("Derivaciones por sentido")
//	doc.Table(reports.Table{…})
//	doc.BarChart(reports.BarChart{…})
//	err := doc.Write(w)
type Document struct {
	pdf    *fpdf.Fpdf
	opt    Options
	l      Lang
	info   Info
	ink    Color // the primary colour, dark enough for text
	y      float64
	top    float64 // where content starts below the page header
	bottom float64 // where content must stop above the footer
	logos  []placedLogo
	footer []string // the style's footer text, wrapped
	notice []string // the data-protection line, wrapped (personal documents)
	err    error
}

type placedLogo struct {
	name string
	w, h float64
}

// NewDocument starts a document with opt's style and info's title on its
// first page.
func NewDocument(opt Options, info Info) *Document {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	opt.Now = opt.Now.In(data.Madrid()) // the footer's time and today's date, whatever the PC's zone
	if opt.Lang == "" {
		opt.Lang = Spanish
	}
	if opt.Style.Primary.IsZero() {
		opt.Style.Primary = DefaultPrimary
	}
	info.Title, info.Subtitle = clean(info.Title), clean(info.Subtitle)
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &Document{pdf: pdf, opt: opt, l: opt.Lang, info: info, ink: opt.Style.Primary.Ink()}
	pdf.SetMargins(marginX, headTop, marginX)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	pdf.SetCompression(true)
	addFonts(pdf)
	d.setMeta()
	d.registerLogos()
	d.layoutFooter()
	d.newPage()
	d.titleBlock()
	return d
}

func (d *Document) setMeta() {
	p, o := d.pdf, d.opt
	p.SetTitle(d.info.Title, true)
	p.SetSubject(o.Style.Programme, true)
	p.SetAuthor(o.Author, true)
	p.SetCreator("Enlace", true)
	p.SetProducer("Enlace", true)
	p.SetCreationDate(o.Now)
	p.SetModificationDate(o.Now)
	p.SetCatalogSort(true)
	if d.l == English {
		p.SetLang("en-GB")
	} else {
		p.SetLang("es-ES")
	}
}

// registerLogos adds the style's logos to the PDF once, to be drawn on
// every page. A logo that does not decode is left out (Style.Validate
// refuses those when the style is saved).
func (d *Document) registerLogos() {
	const height, maxW = 13.0, 50.0
	for i, lg := range d.opt.Style.Logos {
		if i == MaxLogos || CheckLogo(lg) != nil {
			continue
		}
		kind := "PNG"
		if lg.Format() == "jpeg" {
			kind = "JPG"
		}
		name := fmt.Sprintf("logo%d", i)
		info := d.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(lg.Data))
		if d.pdf.Err() {
			d.pdf.ClearError()
			continue
		}
		w, h := info.Extent()
		if w <= 0 || h <= 0 {
			continue
		}
		pw, ph := height*w/h, height
		if pw > maxW {
			pw, ph = maxW, maxW*h/w
		}
		d.logos = append(d.logos, placedLogo{name, pw, ph})
	}
}

// layoutFooter wraps the footer texts and reserves room for them.
func (d *Document) layoutFooter() {
	d.font("", 7.5)
	if f := clean(strings.TrimSpace(d.opt.Style.Footer)); f != "" {
		d.footer = d.split(f, contentW)
		if len(d.footer) > 2 {
			d.footer = d.footer[:2]
		}
	}
	if d.info.Personal {
		d.font("I", 7)
		d.notice = d.split(d.l.t("Documento con datos personales protegidos por el RGPD y la LOPDGDD: uso exclusivo para la gestión del programa. No lo difunda ni lo deje a la vista; destrúyalo de forma segura cuando ya no sea necesario."), contentW)
	}
	lines := 1 + len(d.footer) + len(d.notice)
	d.bottom = pageH - 9 - float64(lines)*3.6 - 3
}

// newPage starts a page and draws its header.
func (d *Document) newPage() {
	p := d.pdf
	p.AddPage()
	x, logoH := marginX, 0.0
	for _, lg := range d.logos {
		p.ImageOptions(lg.name, x, headTop, lg.w, lg.h, false, fpdf.ImageOptions{}, 0, "")
		x += lg.w + 6
		logoH = max(logoH, lg.h)
	}
	prog := d.opt.Style.Programme
	if len(d.logos) == 0 {
		// No logos: the programme's name leads, the title trails.
		d.font("B", 10.5)
		d.color(d.ink)
		free := contentW * 0.6
		lines := d.split(clean(prog), free)
		y := headTop
		for _, line := range lines[:min(len(lines), 2)] {
			d.cell(marginX, y, free, 5, line, "L")
			y += 5
		}
		d.font("", 8)
		d.color(mutedColor)
		d.cell(marginX+free, headTop, contentW-free, 5, d.fit(d.info.Title, contentW-free-4), "R")
		d.top = max(y, headTop+5) + 2.5
	} else {
		free := pageW - marginX - x
		d.font("B", 9)
		d.color(d.ink)
		lines := d.split(clean(prog), free)
		y := headTop
		for _, line := range lines[:min(len(lines), 2)] {
			d.cell(x, y, free, 4.4, line, "R")
			y += 4.4
		}
		d.font("", 8)
		d.color(mutedColor)
		d.cell(x, y, free, 4.4, d.fit(d.info.Title, free), "R")
		d.top = max(headTop+logoH, y+4.4) + 2.5
	}
	p.SetDrawColor(int(d.ink.R), int(d.ink.G), int(d.ink.B))
	p.SetLineWidth(0.5)
	p.Line(marginX, d.top, pageW-marginX, d.top)
	d.top += 6
	d.y = d.top
}

// titleBlock writes the document's title and subtitle on the first page.
func (d *Document) titleBlock() {
	d.font("B", 18)
	d.color(d.ink)
	for _, line := range d.split(d.info.Title, contentW) {
		d.cell(marginX, d.y, contentW, 8, line, "L")
		d.y += 8
	}
	if d.info.Subtitle != "" {
		d.font("", 11)
		d.color(mutedColor)
		d.y += 0.5
		for _, line := range d.split(d.info.Subtitle, contentW) {
			d.cell(marginX, d.y, contentW, 5.5, line, "L")
			d.y += 5.5
		}
	}
	d.y += 5
}

// Write finishes the document (footers with "Página n de N") and writes
// the PDF to w. It returns the first error met while composing.
func (d *Document) Write(w io.Writer) error {
	if d.err != nil {
		return d.err
	}
	n := d.pdf.PageCount()
	for i := 1; i <= n; i++ {
		d.pdf.SetPage(i)
		d.drawFooter(i, n)
	}
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("componer el PDF: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("escribir el PDF: %w", err)
	}
	return nil
}

// drawFooter writes page i of n's footer, bottom up: generation line and
// page number, the style's footer text, the data-protection line.
func (d *Document) drawFooter(i, n int) {
	const lh = 3.6
	y := pageH - 12
	d.forceFont("", 7.5)
	d.color(mutedColor)
	made := d.l.tf("Generado el %s a las %s", d.opt.Now.Format("02/01/2006"), d.opt.Now.Format("15:04"))
	if a := strings.TrimSpace(d.opt.Author); a != "" {
		made = d.l.tf("Generado el %s a las %s por %s", d.opt.Now.Format("02/01/2006"), d.opt.Now.Format("15:04"), clean(a))
	}
	page := d.l.tf("Página %d de %d", i, n)
	pw := d.pdf.GetStringWidth(page)
	d.cell(marginX, y, contentW-pw-4, lh, d.fit(made+" · Enlace", contentW-pw-4), "L")
	d.font("B", 7.5)
	d.cell(pageW-marginX-pw-1, y, pw+1, lh, page, "R")
	d.font("", 7.5)
	for j := len(d.footer) - 1; j >= 0; j-- {
		y -= lh
		d.cell(marginX, y, contentW, lh, d.footer[j], "L")
	}
	d.font("I", 7)
	for j := len(d.notice) - 1; j >= 0; j-- {
		y -= lh
		d.cell(marginX, y, contentW, lh, d.notice[j], "L")
	}
	d.pdf.SetDrawColor(int(ruleColor.R), int(ruleColor.G), int(ruleColor.B))
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginX, y-1.2, pageW-marginX, y-1.2)
}

// Lang returns the document's language, for callers that format their
// own text.
func (d *Document) Lang() Lang { return d.l }

// room is the height left on the page.
func (d *Document) room() float64 { return d.bottom - d.y }

// ensure starts a new page unless h millimetres fit on this one. It
// reports whether it did.
func (d *Document) ensure(h float64) bool {
	if d.y+h <= d.bottom || d.y <= d.top {
		return false
	}
	d.newPage()
	return true
}

// Space adds mm millimetres of vertical space (none at the top of a page).
func (d *Document) Space(mm float64) {
	if d.y > d.top {
		d.y = min(d.y+mm, d.bottom)
	}
}

// PageBreak starts a new page, unless the current one is still empty.
func (d *Document) PageBreak() {
	if d.y > d.top {
		d.newPage()
	}
}

// font sets the text font: style "", "B" or "I", size in points.
func (d *Document) font(style string, size float64) {
	d.pdf.SetFont(fontFamily, style, size)
}

// forceFont sets the font even when the library believes it is already
// set: needed when going back to an earlier page, whose content stream
// last set another font.
func (d *Document) forceFont(style string, size float64) {
	d.pdf.SetFont(fontFamily, style, size+1)
	d.pdf.SetFont(fontFamily, style, size)
}

func (d *Document) color(c Color) { d.pdf.SetTextColor(int(c.R), int(c.G), int(c.B)) }
func (d *Document) fill(c Color)  { d.pdf.SetFillColor(int(c.R), int(c.G), int(c.B)) }
func (d *Document) draw(c Color)  { d.pdf.SetDrawColor(int(c.R), int(c.G), int(c.B)) }

// cell writes one line of text in the box at x, y of width w and height h,
// vertically centred, aligned "L", "C" or "R".
func (d *Document) cell(x, y, w, h float64, text, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, text, "", 0, align, false, 0, "")
}

// split wraps text (already cleaned) to lines of width w in the current
// font. Line breaks in text are kept; an empty text gives no lines.
func (d *Document) split(text string, w float64) []string {
	text = strings.TrimRight(text, " \n")
	if text == "" {
		return nil
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		for _, line := range d.pdf.SplitText(para, w) {
			out = append(out, strings.TrimRight(line, " "))
		}
	}
	return out
}

// fit shortens text with "…" until it fits w in the current font.
func (d *Document) fit(text string, w float64) string {
	if d.pdf.GetStringWidth(text) <= w {
		return text
	}
	r := []rune(text)
	for len(r) > 1 && d.pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…"
}

// lineH is the line height for a font of size points.
func lineH(size float64) float64 { return size * ptToMM * 1.4 }
