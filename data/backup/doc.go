// Package backup makes encrypted backups of Enlace's database and restores
// them, to and from a local folder (a USB disk, a synced folder) or a
// WebDAV folder such as Nextcloud's.
//
// A backup is a consistent snapshot of the open database (data.Store.Snapshot),
// encrypted with a passphrase (age, scrypt) before it leaves the process,
// with a manifest: schema version, record counts and SHA-256 of the
// database file. Uploads go to a temporary name and are moved into place
// only once their size is checked, so an interrupted upload never replaces
// or hides a good backup; old backups are pruned (14 daily, 8 weekly) only
// after a new one is in place. A restore downloads, decrypts and checks a
// backup next to the database and then swaps it in with one rename,
// keeping the replaced file as a dated .before-restore copy.
//
// An erasure (RGPD art. 17) is carried into the backups made before it:
// Scrub rewrites each of them that still holds someone of the database's
// erasure list without them, under the same name (scrub.go), and a
// restore takes the database's erasure list along, so that nobody erased
// comes back.
//
// Errors a user can meet are sentinels (ErrWrongPassphrase, ErrAuth,
// ErrServerFull…) whose text is the Spanish sentence to show; Message picks
// it out of a wrapped error. Secrets (the passphrase, WebDAV app passwords)
// live in the operating system's credential store (Keyring), never in the
// database or in settings.
//
// The package depends on data, data/nextcloud, age, klauspost/compress (zstd),
// gowebdav and go-keyring; never on Fyne.
package backup
