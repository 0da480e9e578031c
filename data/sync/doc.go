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
//   - Install, one install's engine: push what is pending, pull the
//     other devices' new batches, refuse a pull that would remove most
//     records, persist everything in a bbolt file of its own.
//   - Snapshots and garbage collection (snapshot.go, join.go, gc.go).
//     Each head also says how far its device has applied every other
//     device (its read vector), the device's newest snapshot and up to
//     which of its own batches it removed. A snapshot is a device's
//     journal, operations and not tables, as of a version vector, in a
//     write-once file of its own folder (devices/<device>/snapshots/),
//     signed and encrypted as a batch is, and compressed; a person erased
//     before it is only a tombstone in it. A sync that ships writes one
//     when the install holds enough operations beyond the last. A first
//     sync reads the members' heads and starts from the snapshots they
//     name (checking the signer's membership and signature, the vector
//     and each operation's author and role), then reads only the batches
//     after; a snapshot that is missing or fails a check is left aside,
//     and with none the whole log is read. A device removes only its own
//     batches, and only those every active member's head says it has
//     read and a snapshot of an active member covers: a member whose head
//     is missing or bad (offline since before it published, invited and
//     not joined) stops it; removed members do not count. The head
//     announces the removal before the files go, so a joining install
//     knows which batches it must find in a snapshot. The limit of this
//     design: operations carry no signature of their own (a batch's
//     covers it whole, and erasure must be able to drop operations from a
//     snapshot), so an install that joins from a snapshot trusts its
//     writer, an active member, not to have forged or left out other
//     members' operations; each one is still checked against its
//     author's roles.
//
// What is not here yet (see the note): capturing the Store's
// writes as operations and projecting State back into its tables, key
// epochs and per-person keys, the CLI and the Ajustes → Sincronización
// screen.
package sync
