// Package data holds Enlace's records (offices, staff, people and their
// timelines), their validation with messages in Spanish, and the bbolt store
// that keeps them on disk.
//
// It knows nothing of the GUI: ui/ and reports/ depend on data, never the
// reverse. Keys in the database are opaque IDs; personal data lives only in
// values, so values can be encrypted without changing the layout.
package data
