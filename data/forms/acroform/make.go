package acroform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

func init() {
	// pdfcpu would otherwise read and write a configuration directory
	// under the user's profile, and end the program if it cannot.
	api.DisableConfigDir()
}

// Kind is what a field is.
type Kind int

// The kinds of field the form uses.
const (
	Text      Kind = iota // one line
	Multiline             // a box for several lines
	Check                 // a checkbox
	Choice                // a drop-down list of Options
)

// Placed is a field and where it goes, in PDF points from the page's
// lower left corner.
type Placed struct {
	Name    string
	Kind    Kind
	Tip     string   // the tooltip a reader shows: the field's label
	Value   string   // the value it starts with
	Options []string // for Choice
	Locked  bool     // read-only: the office's name and ID, the form's version
	Page    int      // 1-based
	X, Y    float64  // lower left corner
	W, H    float64  // H is ignored for Check (a square of side W)
	Size    int      // font size in points; 0 for 10
}

// The JSON pdfcpu's create command reads (its primitives package).
type (
	jsonFont struct {
		Name string `json:"name"`
		Size int    `json:"size"`
		Col  string `json:"col,omitempty"`
	}
	jsonBorder struct {
		Width int    `json:"width"`
		Col   string `json:"col"`
	}
	jsonText struct {
		ID        string      `json:"id"`
		Tip       string      `json:"tip,omitempty"`
		Value     string      `json:"value,omitempty"`
		Pos       [2]float64  `json:"pos"`
		Width     float64     `json:"width"`
		Height    float64     `json:"height,omitempty"`
		Multiline bool        `json:"multiline,omitempty"`
		Locked    bool        `json:"locked,omitempty"`
		Tab       int         `json:"tab"`
		Font      *jsonFont   `json:"font,omitempty"`
		Border    *jsonBorder `json:"border,omitempty"`
		BgCol     string      `json:"bgCol,omitempty"`
		Align     string      `json:"align"`
	}
	jsonCheck struct {
		ID     string     `json:"id"`
		Tip    string     `json:"tip,omitempty"`
		Value  bool       `json:"value"`
		Pos    [2]float64 `json:"pos"`
		Width  float64    `json:"width"`
		Tab    int        `json:"tab"`
		Locked bool       `json:"locked,omitempty"`
	}
	jsonCombo struct {
		ID      string      `json:"id"`
		Tip     string      `json:"tip,omitempty"`
		Value   string      `json:"value,omitempty"`
		Options []string    `json:"options"`
		Pos     [2]float64  `json:"pos"`
		Width   float64     `json:"width"`
		Tab     int         `json:"tab"`
		Edit    bool        `json:"edit"`
		Font    *jsonFont   `json:"font,omitempty"`
		Border  *jsonBorder `json:"border,omitempty"`
		BgCol   string      `json:"bgCol,omitempty"`
		Align   string      `json:"align"`
	}
	jsonContent struct {
		TextField []jsonText  `json:"textfield,omitempty"`
		CheckBox  []jsonCheck `json:"checkbox,omitempty"`
		ComboBox  []jsonCombo `json:"combobox,omitempty"`
	}
	jsonPage struct {
		Content jsonContent `json:"content"`
	}
	jsonPDF struct {
		Paper  string              `json:"paper"`
		Origin string              `json:"origin"`
		Pages  map[string]jsonPage `json:"pages"`
	}
)

// Field colours: a light grey frame on a faint tint, so the boxes show on
// screen and print as light boxes to write in by hand.
const (
	borderColour = "#8C8C8C"
	fillColour   = "#F4F7FB"
	lockedFill   = "#FFFFFF"
)

// AddFields writes to w the PDF in pdf with the fields added to its
// pages, in the order given (which is the tab order).
func AddFields(pdf []byte, fields []Placed, w io.Writer) error {
	doc := jsonPDF{Paper: "A4P", Origin: "LowerLeft", Pages: map[string]jsonPage{}}
	for i, f := range fields {
		key := fmt.Sprint(max(f.Page, 1))
		pg := doc.Pages[key]
		size := f.Size
		if size == 0 {
			size = 10
		}
		font := &jsonFont{Name: "Helvetica", Size: size, Col: "#222222"}
		border := &jsonBorder{Width: 1, Col: borderColour}
		bg := fillColour
		if f.Locked {
			border, bg = nil, lockedFill
		}
		switch f.Kind {
		case Text, Multiline:
			pg.Content.TextField = append(pg.Content.TextField, jsonText{ID: f.Name, Tip: f.Tip, Value: f.Value,
				Pos: [2]float64{f.X, f.Y}, Width: f.W, Height: f.H, Multiline: f.Kind == Multiline,
				Locked: f.Locked, Tab: i + 1, Font: font, Border: border, BgCol: bg, Align: "left"})
		case Check:
			pg.Content.CheckBox = append(pg.Content.CheckBox, jsonCheck{ID: f.Name, Tip: f.Tip,
				Value: f.Value != "", Pos: [2]float64{f.X, f.Y}, Width: f.W, Tab: i + 1, Locked: f.Locked})
		case Choice:
			pg.Content.ComboBox = append(pg.Content.ComboBox, jsonCombo{ID: f.Name, Tip: f.Tip, Value: f.Value,
				Options: f.Options, Pos: [2]float64{f.X, f.Y}, Width: f.W, Tab: i + 1, Font: font,
				Border: border, BgCol: bg, Align: "left"})
		}
		doc.Pages[key] = pg
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("describir los campos: %w", err)
	}
	conf := model.NewDefaultConfiguration()
	if err := api.Create(bytes.NewReader(pdf), bytes.NewReader(js), w, conf); err != nil {
		return fmt.Errorf("añadir los campos al formulario PDF: %w", err)
	}
	return nil
}
