package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"
)

// Bucket names. They name kinds of record, never people.
var (
	bucketMeta       = []byte("meta")
	bucketPeople     = []byte("people")
	bucketCards      = []byte("people.cards") // derived: the searchable summary of each person
	bucketEvents     = []byte("events")       // key: person ID + event time + event ID
	bucketOffices    = []byte("offices")
	bucketStaff      = []byte("staff")
	bucketConfig     = []byte("settings")
	bucketCriteria   = []byte("criteria")           // enabling situations, by ID
	bucketReferrals  = []byte("referrals")          // by ID
	bucketPersonRefs = []byte("referrals.byperson") // key: person ID + referral ID, empty value
	bucketReminders  = []byte("reminders")          // by ID
	bucketImports    = []byte("imports")            // rows already imported, by content hash
	bucketRI         = []byte("ri.projects")        // RI programme projects, by ID

	allBuckets = [][]byte{bucketMeta, bucketPeople, bucketCards, bucketEvents, bucketOffices, bucketStaff, bucketConfig,
		bucketCriteria, bucketReferrals, bucketPersonRefs, bucketReminders, bucketImports, bucketRI,
		bucketKeyring, bucketUsers, bucketAudit, bucketAuditBy, bucketAttachments, bucketAttachmentData,
		bucketOpOut, bucketOpBase, bucketOpHanded, bucketSyncConflicts, bucketErasures, bucketMerged}
)

// Options configure Open. The zero value is usable.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// file before it returns ErrLocked. Zero means 3 seconds.
	LockTimeout time.Duration

	// ReadOnly opens the file with a shared lock; writes return ErrReadOnly.
	ReadOnly bool

	// Now returns the current time; tests fix it. Nil means time.Now.
	Now func() time.Time

	// NoSync skips fsync after each commit. Only for benchmarks and bulk
	// generators that can afford to lose the file on a crash.
	NoSync bool

	// Login and Passphrase unlock the file: Open returns ErrNoCredentials
	// without them and ErrWrongPassphrase when they do not match a user.
	// On a new file, or one from before encryption, they create its first
	// user, an administrator and coordinator called Name (Login when
	// Name is empty).
	Login, Passphrase, Name string

	// Roles are the first user's roles; nil means coordinator and
	// administrator.
	Roles []Role

	// KDF is the argon2id cost of the passphrases this store sets (first
	// user, new users, changed passphrases). Zero means DefaultKDF; tests
	// lower it. Existing wraps keep the cost they were made with.
	KDF KDF

	// Progress, when set, is told how the encryption of a file from an
	// older Enlace advances (records done of total). It is called from
	// Open's goroutine.
	Progress func(done, total int)

	// DeferIndex leaves the search index out of Open: it is built on the
	// first call that needs it (Search, Card, PersonCount, FindDuplicates,
	// DuplicateGroups) instead. For commands that never search, such as
	// enlace backup: building it is most of opening a large file.
	DeferIndex bool
}

// Store is Enlace's database: one bbolt file plus the in-memory search
// index built from it at Open and kept in step with every write.
// A Store is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	dbMu sync.RWMutex // guards db, which Compact replaces: readers wait for it
	path string
	now  func() time.Time
	ro   bool

	kdf KDF // for passphrases set through this store

	mu    sync.RWMutex // guards index, user, indexing and pending
	index *searchIndex
	user  *User // the unlocked user, who signs every change

	// A deferred index (Options.DeferIndex): built by loadIndex, one
	// caller at a time (indexMu); ready once it is. The changes committed
	// while it is being built wait in pending.
	indexMu   sync.Mutex
	ready     atomic.Bool
	indexing  bool
	pending   []func(*searchIndex)
	afterRead func() // tests: runs between reading the cards and applying pending

	apply applying // ApplyRemote's transaction, whose writes are not new operations
}

// DefaultPath returns the database path used when neither --db nor ENLACE_DB
// names one: enlace.db in the user's configuration directory
// (%AppData%\Enlace on Windows, $XDG_CONFIG_HOME/enlace on Linux).
func DefaultPath() (string, error) {
	if p := os.Getenv("ENLACE_DB"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no se encuentra la carpeta de configuración del usuario: %w", err)
	}
	name := "enlace"
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		name = "Enlace"
	}
	return filepath.Join(dir, name, "enlace.db"), nil
}

// Open opens (creating if needed) the database at path, runs any pending
// migrations and builds the search index (unless o.DeferIndex). It
// returns ErrLocked when another process holds the file, and
// ErrSchemaTooNew when a newer Enlace wrote it.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = 3 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if !o.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("crear la carpeta de la base de datos: %w", err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        o.LockTimeout,
		ReadOnly:       o.ReadOnly,
		NoSync:         o.NoSync,
		NoFreelistSync: false,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("abrir %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("abrir %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: o.Now, ro: o.ReadOnly, kdf: o.KDF.orDefault(), index: newSearchIndex(0)}
	err = s.unlock(&o)
	if errors.Is(err, errPlaintext) {
		return s.convertAndReopen(&o)
	}
	if err == nil {
		err = s.migrate()
	}
	if err == nil {
		err = s.applyPendingErasures()
	}
	if err == nil && !o.DeferIndex {
		err = s.buildIndex()
	}
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	stores.Store(s.db, s)
	s.releaseMapped()
	return s, nil
}

// Close forgets the data key and releases the file. The Store must not
// be used afterwards.
func (s *Store) Close() error {
	err := s.db.Close() // waits for the transactions under way, which need the key to seal
	stores.Delete(s.db)
	boxes.Delete(s.db)
	return err
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

// update runs fn in a read-write transaction, committing on nil.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	if s.ro {
		return ErrReadOnly
	}
	return s.onDB(func(db *bolt.DB) error { return db.Update(fn) })
}

// view runs fn in a read-only transaction.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	return s.onDB(func(db *bolt.DB) error { return db.View(fn) })
}

// onDB runs begin on the open bbolt file. When Compact closed the file
// just before the transaction began, it begins again on the new one.
func (s *Store) onDB(begin func(db *bolt.DB) error) error {
	for {
		db := s.handle()
		err := begin(db)
		if !errors.Is(err, bolt.ErrDatabaseNotOpen) || s.handle() == db {
			return err
		}
	}
}

// handle returns the open bbolt file, waiting while Compact replaces it.
func (s *Store) handle() *bolt.DB {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.db
}

// newID returns a new opaque, time-ordered ID (a ULID: 26 characters).
// Time order keeps inserts at the end of the B+tree.
func (s *Store) newID() string {
	return ulid.MustNew(ulid.Timestamp(s.now()), ulid.DefaultEntropy()).String()
}

// Stamp records who created and last changed a record, and when.
type Stamp struct {
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// touch sets the stamp for a write by author at now; a new record gets
// its creation fields too.
func (st *Stamp) touch(author string, now time.Time) {
	if st.CreatedAt.IsZero() {
		st.CreatedAt, st.CreatedBy = now, author
	}
	st.UpdatedAt, st.UpdatedBy = now, author
}

// createBuckets makes every bucket that does not exist yet.
func createBuckets(tx *bolt.Tx) error {
	for _, b := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// checkWrite refuses a write the unlocked user may not make, or one with
// no author.
func (s *Store) checkWrite(p Perm, author string) error {
	if err := s.Allow(p); err != nil {
		return err
	}
	return checkAuthor(author)
}

// checkAuthor refuses anonymous writes: every write records its author.
func checkAuthor(author string) error {
	if author == "" {
		return &ValidationError{Fields: []FieldError{{Field: "Author", Message: "Falta quién hace el cambio: elija su nombre en Ajustes."}}}
	}
	return nil
}
