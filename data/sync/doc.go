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
//     its ed25519 key, encrypted with age to the recipient of the space
//     key of the current epoch, which the batch names. Membership is the
//     administrator-signed list of devices, users and roles; a batch
//     whose signer may not take one of its actions is refused on ingest
//     (every share member can write every file).
//   - Key epochs (epoch.go, removal.go). Every device has its own age
//     identity, made by the administrator's install when it invites the
//     device (handed over in the invitation with its signing key) or
//     creates the space, kept sealed in the store's settings like the
//     other keys; its recipient is in the membership. The membership
//     holds its epoch and, for each active device, every epoch's space
//     key encrypted to that device (Membership.Keys). Removing a device,
//     or a user (all their devices), starts an epoch: a new space key,
//     encrypted to the remaining devices only; new batches are sealed to
//     it. Installs keep the old epochs' keys to read old batches, and a
//     device invited later gets them all, so it reads the history. A
//     removed device, with everything its file holds, opens nothing
//     written after its removal, nor the new key. Its own batches are
//     read up to the last one on the server when it was removed
//     (Member.Until) and sealed before its removal (Member.RemovedIn);
//     any other is refused (ErrRemoved): its key cannot add anything. A
//     batch, and a snapshot alike, must be encrypted to the epoch its
//     signed body names (else ErrTampered: the signature does not cover
//     the encryption, so the file was encrypted again by someone else),
//     not older than the epoch its device was invited in nor newer than
//     the membership's (ErrEpoch: its signer sealed it so). An install refuses a membership of an
//     older epoch or version (Membership.Version, one up at each change)
//     than one it knows: an old signed list put back on the server would
//     readmit a removed device, or drop an invited one.
//   - Spaces made before epochs: their membership says epoch 1 (what
//     Create always wrote) with no recipients or copies of keys, their
//     batches name no epoch (read as 1), and each install holds the one
//     space key, which is epoch 1's. They keep working as they are, and
//     move to per-device keys on the first syncs after the upgrade: each
//     install makes its age identity and publishes its recipient, signed
//     with its device key, as heads/<device>.age.json (the heads/ listing
//     shows it, so no extra request); the administrator's install, at
//     its next session, lists those recipients in the membership and
//     encrypts the keys to them. The next removal starts epoch 2. A
//     device that has not synced since the upgrade at that removal gets
//     no copy (Removal.Unkeyed): its sync fails with ErrNoKey, having
//     published its recipient, and works once the administrator's
//     install has synced after it. The sync file stays sealed under
//     epoch 1's key (the oldest an install holds), which epochs do not
//     change.
//   - Changes of roles (roles.go). ChangeRoles, the administrator's,
//     gives every device of a user new roles in a new version of the
//     member list, keeping for each device the roles it had and its last
//     batch on the server then (Member.Earlier), as a removal keeps
//     Member.Until. A batch is judged by its member's current roles plus
//     those of every change made after it was on the server: a change
//     never takes back what a batch written before it could do, and an
//     added role also lets through an earlier batch refused for lack of
//     it. It depends on the signed list alone, so every install judges
//     each batch alike whatever order it syncs in. A snapshot's
//     operation, which names no batch, is judged by its clock against
//     the change's time. The store's user with that login follows.
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
//   - Batches that do not open (broken.go): a batch or head of one
//     device that is altered, badly signed, encrypted to a key that does
//     not fit, missing, or with a person's box that does not open holds
//     back that device alone from there, as a refusal does, and is listed
//     with the refusals with its cause (Refusal.Broken). It is never
//     skipped (nothing in it can be trusted); each sync reads it again
//     and takes it once it opens, and if it never does the administration
//     removes the device. A failure of the network or the server is not
//     one: it fails the whole sync, which applies nothing and retries.
//   - A sync file behind the server (resume.go): lost (deleted, Enlace
//     reinstalled with the same device's identity) or put back from an
//     older copy. When the server holds a head of this very device newer
//     than the sync file's last batch, the sync first continues the
//     numbering after the device's highest batch on the server, keeps
//     what that head says of its snapshot and removals, and reads the
//     device's own batches back (or the snapshot that covers them) as
//     another device's, person keys included, before it pushes: new
//     operations never reuse a number, and older batches are never
//     overwritten (rclone ignores If-None-Match). A push that finds its
//     number taken counts it as sent only if that batch holds the very
//     operations (a crash between the PUT and the head); else
//     ErrOutOfStep, and nothing is lost silently. What the lost file had
//     taken from the database and not yet sent is sent all the same: the
//     database keeps what it hands to sync (data.Store.HandedOps) until
//     the push that puts it on the server (ShippedOps), and takeLocal
//     hands again whatever the sync file does not hold. What a sync file
//     holds unsent and the database does not list as handed (taken by a
//     version from before the database kept them, or held for another
//     database) takeLocal gives the database to keep (KeepHandedOps), at
//     every sync before any request, so the first sync after the upgrade,
//     even offline, closes that gap; nothing about a person erased.
//   - A new database under a device's identity (reinstall_test.go):
//     Enlace reinstalled and the invitation used again, or a backup put
//     back. Operation IDs are device-series-counter, the series random
//     (48 bits) and drawn when the database starts syncing
//     (data.Store.EnableSync) or is put back (data.RenewOpSeries, from
//     data/backup's Swap), so a new database, counting from 1 again (or
//     from where the backup was), never takes an ID the device used
//     before, not even offline before its first sync: the server is not
//     asked. Nothing else depends on the form of an ID: every install
//     orders operations by HLC, then ID, and the projection and its hash
//     are computed from the operations as they were signed, so every
//     install still computes the same state from the same batches. (A
//     counter carried past the server's would need the server before
//     the first operation, and could not number what was typed offline.)
//     The new database's clock starts at its computer's; the first pull
//     carries it past every clock it reads, this device's earlier ones
//     included. A sync file kept over a new database (it notes the
//     series of the database it serves) gives it its whole journal, as a
//     pull gives received operations (matchLocal): this device's own
//     earlier operations are otherwise never applied to a database. The
//     erasures and merges of people the database does not hold are left
//     out (leaveReflected): a backup made after them reflects them
//     already, its change log holding their tombstones, and a new
//     database has nothing of those people to remove; so a refill adds
//     no tombstone twice, and refilling again adds nothing to the log.
//     Databases that synced before series keep device-counter.
//   - Repairing a device's own broken batch (repair.go): the device that
//     wrote a batch other installs hold as broken (altered, missing) usually
//     still has its operations, in its journal. Batches are write-once (PUT
//     If-None-Match: *) and an install never takes a batch number twice, so
//     the repair cannot rewrite seq N. Instead push keeps, per batch it
//     ships, the IDs of its operations (bucket sent; a batch shipped before
//     gets its list when a check first opens it, and one broken before that
//     is found from its neighbours, as push ships the whole outbox and IDs of
//     a series sort in order). Every Compaction.CheckEvery (an hour by
//     default; or on demand, Install.Repair: `enlace sync repair`, «Comprobar
//     mis lotes») a sync checks the device's own batches after the lowest
//     read vector of the active members' heads (as the heads it read last
//     said; a member whose head it never read is read once) and after those
//     collected, with one Stat each, at most checkMax per sync, going on from
//     where the last check stopped; a batch whose ETag, size or date changed
//     since it last opened is read again and opened with openBatch. A sync
//     with nothing new and no check due makes no request more; a check with
//     every batch read by everyone makes none (but, once, the head of a
//     member it never read). One missing or that does not open is published
//     again: a new batch M (the next number) signed as usual whose body says
//     Repairs: N and holds the operations of N again, those about a person
//     erased since being gone from the journal; and the head names it
//     (headFile.Repairs, N → M, signed). A reader that comes to N finds the
//     repair in the head and takes M in N's place (Batch.standsFor): it
//     applies M's operations, the refusal of N goes, and it goes on from N+1
//     (M itself, later, holds operations already known, recognised by their
//     IDs). M is signed by the device itself and so trusted as N would have
//     been: its operations are judged by N's roles, as at the installs that
//     read N before it broke, so that all come to the same state (a refused
//     action holds the device back at N, to skip, as for any batch; the
//     limit: a device whose roles were cut since could slip into a repair
//     what N's roles allowed, as its key could rewrite its own old batches on
//     rclone, below). An operation about a person the reader knows erased is
//     dropped, as from any batch. A repair that breaks in turn is repaired
//     again (Repairs: M), and readers follow the chain. A sync file that
//     takes over from a lost one (resume.go) keeps the repairs its head
//     named: its own heads go on naming them, and it reads its batches back
//     through them. Batches removed by collection never need repair (a
//     snapshot covers them). What it cannot mend: a batch whose operations
//     the writer no longer knows (shipped by a sync file since lost, or
//     before the lists with its neighbours broken too): it is listed (Lost,
//     WhyLost, in the status) and the administration still removes the
//     device. Nor a batch held back because a person's key file on the server
//     is altered (the batch itself opens, at the writer too). Formats: a head
//     or batch without Repairs reads as before; an install older than this
//     one ignores both fields (JSON), so it holds the device back at N as
//     before and reads M, if it ever gets there, as a batch of operations it
//     already has, never as something else.
//   - When each computer last synced (Status.Seen; Ajustes →
//     Sincronización and `enlace sync status` say «última sincronización»
//     on each computer's line). A sync that has nothing to send writes
//     nothing, so the date of a device's last batch says nothing of
//     whether it syncs. Instead each head carries the time its device
//     wrote it (headFile.Seen, signed; an older install ignores it, a head
//     without it reads as before), and a sync whose head is an hour old
//     (seenEvery) writes it again, under the same name and with the same
//     rules as the head a read vector republishes (publishHead; a device
//     that never shipped rewrites its head 0). Readers take the date from
//     the server's listing of heads/ they make at every sync anyway (the
//     date of each device's highest head, numbered 0 too): a head whose
//     name did not change is not read again, so this costs the readers no
//     request, and the writer one PUT an hour. The date is the server's,
//     not signed: the signed Seen is for an install that reads the head
//     (a join, a collection), and says the same to within the clocks'
//     difference. So a computer's line is at most about an hour behind
//     its last sync (the minutes between syncs besides); this install's
//     own says its own last sync (Settings.LastSync).
//   - Remote, the folder layout on WebDAV: each device appends
//     write-once batches to Enlace/devices/<device>/ops/ (PUT with
//     If-None-Match: *) and rewrites one small head.json only it writes;
//     others read those by exact name. No lock files, no listings on the
//     hot path, and correctness does not depend on If-Match.
//   - Per-person keys (crypto-shredding; keys.go, shred.go, keyfetch.go,
//     erasecompact.go): the payload of every operation about a person (fields, event, referral
//     step) travels in the batch sealed with that person's own random key
//     (XChaCha20-Poly1305); the key lives in one small
//     file per person and device that made it, keys/<person>.<device>.age,
//     signed by that device and encrypted to the space, fetched by exact
//     name and kept sealed in the sync file (a batch that makes many keys
//     also bundles them in one file, for a first join; a snapshot is
//     sealed the same way and bundles every key it uses). Only a
//     tombstone its signer may make, in a batch taken, erases: the roles
//     are checked once the boxes are open, so the batches of a pull are
//     opened again without the tombstones of those refused until the set
//     taken is stable (unboxAll). Erasing a person
//     deletes their key (and the keys of anyone merged with them) from
//     every install that learns of it and from the server, bundle
//     included, on Nextcloud from the trash bin and the versions too; the
//     sync file is then compacted. The write-once batches stay, but
//     nothing the space key opens yields the person any more, and an
//     operation whose key is gone is skipped as erased.
//   - Formats of batches and snapshots (Batch.V). Format 3 (batchV3,
//     personbox.go), what installs write: the payloads of every operation
//     of a batch or snapshot about one person are one PersonBox (the
//     person, the device whose key seals it, the IDs of the operations
//     it holds: all shown by the operations already), their JSON list
//     compressed with zstd and then sealed with the person's key, its
//     additional data binding the space, person, key and operation IDs;
//     JSON "boxes" is a list of them; and the signed batch is compressed
//     before it is encrypted to the space, as a snapshot is. A box shows
//     the compressed size of a person's payloads together, where format 2
//     showed each one's. Format 2 (batchV2): one Box per operation, by
//     its ID ("boxes" an object), the batch not compressed. Format 0 (the
//     first spaces): operations whole. All three open; an install that
//     knows format 2 alone cannot parse format 3 (a batch starts with a
//     zstd frame, a snapshot's "boxes" is a list) and holds it back or
//     leaves it aside rather than take operations without payloads.
//   - Format 4, a binary signed envelope (not built; the design, for a
//     format bump agreed by the team). The measure
//     (BenchmarkSnapshotEncoding, BenchmarkJoin's space of 10,000 people
//     and 100,000 events, in memory): the snapshot is 5.24 MB; with the
//     signature and body side by side instead of base64 in a JSON
//     envelope, 3.93 MB; with the boxes' ciphertext raw as well, 3.81
//     MB. So 27% of the file is base64, 25 points of it the outer one
//     (base64 of the body turns the JSON's repeats into text that zstd
//     matches only when they fall alike on 3 bytes), 2 the inner one
//     (zstd's entropy coding undoes most of base64 of random bytes). What
//     is left is 2.96 MB of box ciphertext (random, about 300 bytes a
//     person) and 0.85 MB of operations outside the boxes. The 10 batches
//     of that space go from 5.23 to 3.92 MB. The file, once decrypted and
//     decompressed (one zstd frame, as now): the magic "ENLACE4\n"; the
//     body's length (uvarint) and the body, the JSON of the Batch or
//     Snapshot as in format 3 with "v": 4 and each person box's "ct"
//     replaced by "n", its length; the boxes' ciphertexts one after the
//     other in the order of "boxes"; then the ed25519 signature (64
//     bytes) of everything before it, magic included. Each box is sealed
//     as now (personAD, nonce and XChaCha20-Poly1305), so person keys,
//     bundles, shredding and every check of openBatch and openSnapshot
//     (space, device, number, epoch, vector, authors' roles) stay as
//     they are; only sign/verify and the reading of "boxes" change. A
//     reader tells the formats by the first bytes unpack returns ('{'
//     for 0 to 3, the magic for 4), and one that knows 3 alone fails to parse the JSON
//     and holds the batch back (or leaves the snapshot aside), as a
//     reader of format 2 does with 3. The bump: first a release that
//     reads 4 and still writes 3, whose heads say so ("reads": 4,
//     signed); the administrator's install raises a signed
//     Membership.Format to 4 (a new version of the list) once every
//     active member's head says it reads 4, and from then installs write
//     format 4; an invitation names the format, so a device that cannot
//     read it is told to update rather than held back. Heads, the member
//     list and key files stay JSON (small). What format 4 cannot win is
//     the boxes' ciphertext: each person's payloads are compressed
//     alone.
//   - Install, one install's engine: push what is pending, pull the
//     other devices' new batches, refuse a pull that would remove most
//     records (ErrMassDeletion, a *MassDeletionError with the counts,
//     which the window shows even after a background sync, once),
//     persist everything in a bbolt file of its own. Each pull
//     that applies changes also hands the Store every conflict not yet
//     reviewed (data.RemoteChanges.Conflicts, kept in its database), so
//     the ficha and the people list flag "cambios simultáneos — revisar"
//     from then on, after a restart too, until a review closes them.
//   - Progress (progress.go): an install given a Progress
//     (Config.Progress, SyncOnceProgress) tells it how far each sync
//     goes, stage by stage (heads read, the snapshot's bytes of the size
//     its head names, batches, key files, people and events written to
//     the store, operations to the sync file), at most 20 times a second
//     and with no request of its own: the window counts a first join.
//   - Snapshots and garbage collection (snapshot.go, join.go, gc.go,
//     compact.go).
//     Each head also says how far its device has applied every other
//     device (its read vector), the device's newest snapshot and up to
//     which of its own batches it removed. A snapshot is a device's
//     journal, operations and not tables, as of a version vector, in a
//     write-once file of its own folder (devices/<device>/snapshots/),
//     signed and encrypted as a batch is, and compressed; a person erased
//     before it is only a tombstone in it, and an operation its author's
//     roles do not allow (in a batch the others hold back until the
//     administration skips it) is left out. A sync that ships writes one
//     when the install holds enough operations beyond the last. A first
//     sync reads the members' heads and starts from the snapshots they
//     name (checking the signer's membership and signature, the vector
//     and each operation's author and role), then reads only the batches
//     after, going on from the heads it read (one request per head);
//     a snapshot that is missing or fails a check is left aside,
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
// Limits of the epochs: a device that read the membership just before a
// removal and pushes in that second seals its batch to the old epoch,
// which the removed device could read; a removed device's key could
// still rewrite its own old batches on a server that overwrites (rclone),
// which installs that read them already ignore but a later join would
// take (signed by its key, and its roles are checked). The same second
// applies to a change of roles: a batch put between the administrator's
// listing and the new list is judged by the new roles, though an install
// that read it before judged it by the old.
//
// Limits of crypto-shredding: a removed device could read the person keys
// it had fetched before the erasure; a backup made before an erasure
// holds the person (see data/backup); operations sent before per-person
// keys stay readable with the space key.
package sync
