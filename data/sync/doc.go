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
//   - Refused batches (refused.go). A refusal holds back that device
//     alone, from that batch on: its later batches may build on the
//     refused one, so they wait, while every other device's batches are
//     applied. The refusal is kept in the sync file and shown
//     (Ajustes → Sincronización, "Lotes rechazados"; the window's strip
//     and `enlace sync status` count them); a sync that finds the device
//     held back does not read it again until the member list changes
//     (the batch is then checked anew and, allowed, applied whole) or
//     the administration skips it. Skipping ("Omitir este lote") is an
//     operation, data.OpBatchSkip, that only the administration may sign
//     and that the change log records: every install that takes it
//     applies that batch without the operations its signer may not make
//     and goes on with the device's later batches, each checked the same
//     way. So nothing a signer was not allowed to do is ever applied
//     anywhere, and what it was allowed to do, in that batch or later, is
//     not lost. The signer's own install keeps its refused operations in
//     its tables, so its state differs from the others' in those alone.
//   - Remote, the folder layout on WebDAV: each device appends
//     write-once batches to Enlace/devices/<device>/ops/ (PUT with
//     If-None-Match: *) and rewrites one small head.json only it writes;
//     others read those by exact name. No lock files, no listings on the
//     hot path, and correctness does not depend on If-Match.
//   - Install, one install's engine: push what is pending, pull the
//     other devices' new batches, refuse a pull that would remove most
//     records (ErrMassDeletion, a *MassDeletionError with the counts,
//     which the window shows even after a background sync, once),
//     persist everything in a bbolt file of its own. Each pull
//     that applies changes also hands the Store every conflict not yet
//     reviewed (data.RemoteChanges.Conflicts, kept in its database), so
//     the ficha and the people list flag "cambios simultáneos — revisar"
//     from then on, after a restart too, until a review closes them.
//
// What is not here yet (see the note): capturing the Store's
// writes as operations and projecting State back into its tables, key
// epochs and per-person keys, garbage collection of old batches, the CLI
// and the Ajustes → Sincronización screen.
package sync
