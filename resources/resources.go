// Package resources holds Enlace's embedded assets: the application icon and,
// as they are added, fonts and translations. It contains no logic.
package resources

import _ "embed"

// Icon is the 512×512 PNG application icon, the same file FyneApp.toml names.
// It is drawn by resources/iconsrc (go run resources/iconsrc/main.go).
//
//go:embed icon.png
var Icon []byte
