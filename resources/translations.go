package resources

import "embed"

// Translations holds the interface's translation files, named
// SCREEN.LANG.json (see ui.SetLanguage).
//
//go:embed translations/*.json
var Translations embed.FS
