//go:build ignore

// Command iconsrc draws Enlace's application icon, resources/icon.png: two
// white interlocking rings (an "enlace", a link between two services) on a
// teal rounded square.
//
// Run it from the repository root after changing the design:
//
//	go run resources/iconsrc/main.go
//
// Each shape is rasterised to an anti-aliased coverage mask with
// golang.org/x/image/vector; the masks are then composited per pixel, which
// lets each ring pass over the other at one crossing and under it at the other.
package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"

	"golang.org/x/image/vector"
)

const (
	size = 512 // icon width and height in pixels

	margin = 16  // transparent border around the rounded square
	corner = 104 // corner radius of the rounded square

	ringRadius = 112 // radius of each ring's centre line
	ringWidth  = 40  // stroke width of each ring
	ringGap    = 12  // background shown either side of the ring on top at a crossing
	ringApart  = 140 // distance between the two ring centres
	ringTilt   = -28 // degrees; direction from the left ring's centre to the right one's

	arcSteps = 720 // line segments per full circle
)

var (
	bgTop    = color.NRGBA{0x14, 0x80, 0x90, 0xff} // gradient ends around #0F6E7E
	bgBottom = color.NRGBA{0x0b, 0x5d, 0x6b, 0xff}
	ringA    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	ringB    = color.NRGBA{0xd4, 0xf1, 0xf2, 0xff}
)

type point struct{ x, y float64 }

func main() {
	if err := os.WriteFile("resources/icon.png", draw(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// draw returns the icon encoded as PNG.
func draw() []byte {
	mid := point{size / 2, size / 2}
	t := ringTilt * math.Pi / 180
	dx, dy := math.Cos(t)*ringApart/2, math.Sin(t)*ringApart/2
	ca := point{mid.x - dx, mid.y - dy}
	cb := point{mid.x + dx, mid.y + dy}

	square := mask(func(z *vector.Rasterizer) { roundedSquare(z, margin, size-margin, corner) })
	aBand := mask(func(z *vector.Rasterizer) { annulus(z, ca, ringRadius, ringWidth/2) })
	aGap := mask(func(z *vector.Rasterizer) { annulus(z, ca, ringRadius, ringWidth/2+ringGap) })
	bBand := mask(func(z *vector.Rasterizer) { annulus(z, cb, ringRadius, ringWidth/2) })
	bGap := mask(func(z *vector.Rasterizer) { annulus(z, cb, ringRadius, ringWidth/2+ringGap) })

	// The rings' centre lines cross at two points; ring B is on top near the
	// second one (below the line joining the centres), ring A everywhere else.
	h := math.Sqrt(ringRadius*ringRadius - ringApart*ringApart/4)
	under := point{mid.x - math.Sin(t)*h, mid.y + math.Cos(t)*h}

	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		bg := mix(bgTop, bgBottom, float64(y)/(size-1))
		for x := 0; x < size; x++ {
			i := y*size + x
			topBand, topGap, botBand := aBand.Pix[i], aGap.Pix[i], bBand.Pix[i]
			topColor, botColor := ringA, ringB
			if math.Hypot(float64(x)+0.5-under.x, float64(y)+0.5-under.y) < ringWidth+2*ringGap {
				topBand, topGap, botBand = bBand.Pix[i], bGap.Pix[i], aBand.Pix[i]
				topColor, botColor = ringB, ringA
			}
			c := bg
			c = mix(c, botColor, alpha(botBand))
			c = mix(c, bg, alpha(topGap))
			c = mix(c, topColor, alpha(topBand))
			c.A = square.Pix[i]
			img.SetNRGBA(x, y, c)
		}
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// mask rasterises the path that build adds into an anti-aliased coverage mask.
func mask(build func(z *vector.Rasterizer)) *image.Alpha {
	z := vector.NewRasterizer(size, size)
	build(z)
	m := image.NewAlpha(z.Bounds())
	z.Draw(m, m.Bounds(), image.Opaque, image.Point{})
	return m
}

// annulus adds a ring of centre-line radius r and half-width hw. The inner
// circle runs the other way round, so the winding rule leaves it empty.
func annulus(z *vector.Rasterizer, c point, r, hw float64) {
	arc(z, c, r+hw, 0, 2*math.Pi, true)
	z.ClosePath()
	arc(z, c, r-hw, 2*math.Pi, 0, true)
	z.ClosePath()
}

// roundedSquare adds a square from lo to hi on both axes with corners of radius r.
func roundedSquare(z *vector.Rasterizer, lo, hi, r float64) {
	z.MoveTo(float32(lo+r), float32(lo))
	arc(z, point{hi - r, lo + r}, r, -math.Pi/2, 0, false)
	arc(z, point{hi - r, hi - r}, r, 0, math.Pi/2, false)
	arc(z, point{lo + r, hi - r}, r, math.Pi/2, math.Pi, false)
	arc(z, point{lo + r, lo + r}, r, math.Pi, 3*math.Pi/2, false)
	z.ClosePath()
}

// arc adds line segments along the circle (c, r) from angle a0 to a1,
// starting a new sub-path at a0 when move is true.
func arc(z *vector.Rasterizer, c point, r, a0, a1 float64, move bool) {
	n := int(math.Ceil(math.Abs(a1-a0) / (2 * math.Pi) * arcSteps))
	for i := 0; i <= n; i++ {
		a := a0 + (a1-a0)*float64(i)/float64(n)
		x, y := float32(c.x+r*math.Cos(a)), float32(c.y+r*math.Sin(a))
		if i == 0 && move {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
}

// alpha converts an 8-bit coverage value to the range 0..1.
func alpha(v uint8) float64 { return float64(v) / 255 }

// mix blends from a towards b by t (0..1), keeping a's alpha.
func mix(a, b color.NRGBA, t float64) color.NRGBA {
	l := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + (float64(q)-float64(p))*t)) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), a.A}
}
