// Package sync is multi-office sync's core (issue 13): several Enlace
// installs share one operation log through a folder on the organisation's
// Nextcloud or any WebDAV server, and the server only ever sees
// ciphertext.
//
// What is here:
//
//   - Journal, the set of operations (data.Op) an install knows, and its
//     projection State: the same set gives the same State, and the same
//     Hash, whatever the order in which it arrived and however often each
//     operation came (person fields last-writer-wins per field group with
//     the losing value kept as a Conflict; timeline events a grow-only
//     set; referral steps a tree whose forks are settled by a fixed rule,
//     the losing step kept; explicit deletions; sticky erasure
//     tombstones).
//   - Sealing and opening of batches: a device's operations, signed with
//     its ed25519 key, encrypted with age to the space's recipient.
//     Membership is the administrator-signed list of devices, users and
//     roles; a batch whose signer may not take one of its actions is
//     refused on ingest (every share member can write every file).
//   - Remote, the folder layout on WebDAV: each device appends
//     write-once batches to Enlace/devices/<device>/ops/ (PUT with
//     If-None-Match: *) and rewrites one small head.json only it writes;
//     others read those by exact name. No lock files, no listings on the
//     hot path, and correctness does not depend on If-Match.
//   - Per-person keys (crypto-shredding; keys.go, shred.go, keyfetch.go,
//     compact.go): the payload of every operation about a person (fields, event, referral
//     step) travels in the batch sealed with that person's own random key
//     (XChaCha20-Poly1305, batch format 2); the key lives in one small
//     file per person and device that made it, keys/<person>.<device>.age,
//     signed by that device and encrypted to the space, fetched by exact
//     name and kept sealed in the sync file (a batch that makes many keys
//     also bundles them in one file, for a first join). Erasing a person
//     deletes their key (and the keys of anyone merged with them) from
//     every install that learns of it and from the server, bundle
//     included, on Nextcloud from the trash bin and the versions too; the
//     sync file is then compacted. The write-once batches stay, but
//     nothing the space key opens yields the person any more, and an
//     operation whose key is gone is skipped as erased. Batches of format
//     0 (the first spaces) still open whole.
//   - Install, one install's engine: push what is pending, pull the
//     other devices' new batches, refuse a pull that would remove most
//     records, persist everything in a bbolt file of its own.
//
// What is not here yet (see the note): key epochs (a removed
// device keeps the space key, and so could read the person keys it had
// fetched before the erasure as well as any it downloads from the server
// before the key is deleted), garbage collection of old batches, joining
// from a snapshot (a first join fetches one key file per person not in a
// bundle), crypto-shredding in backups (a backup made before an erasure
// holds the person, see data/backup), and operations sent before
// per-person keys, which stay readable with the space key.
package sync
