// Package sqlite is the default, embedded store.Store: one SQLite database
// file, written durably (WAL journal, synchronous=FULL) through modernc.org/sqlite,
// a pure-Go SQLite.
//
// # Group commit
//
// Every write (Commit, the catalog writes, the claims) goes to one writer
// goroutine that owns the only write connection. It takes whatever writes are
// pending when it becomes free, applies them in one transaction, each inside
// its own savepoint so that one failing write does not undo the others, and
// acknowledges each after the transaction commits. One fsync thus serves many
// writers, and no timer delays a lone write. Reads use a separate pool of
// read-only connections, which WAL lets run beside the writer.
//
// # Files and schema
//
// Open takes a directory (created if missing; the database is
// stepwise.db inside it) or a file path ending in .db, .sqlite or .sqlite3.
// The schema is migrated at Open from the numbered SQL files embedded from
// migrations/, recorded in the table schema_migrations; a database migrated
// by a newer binary is refused.
//
// # Leases
//
// The store serves one node: Batch.Shard is recorded and Batch.Epoch is
// ignored (see package store).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/stepwise-run/stepwise/store"
)

// FileName is the database file Open uses inside a directory.
const FileName = "stepwise.db"

// Options tune a Store. The zero value is usable.
type Options struct {
	// ReadConns is the size of the read connection pool; 0 means 4.
	ReadConns int
	// MaxGroup is the most writes one transaction carries; 0 means 512.
	MaxGroup int
	// BusyTimeoutMillis is SQLite's busy_timeout, for databases also opened
	// by another process; 0 means 5000.
	BusyTimeoutMillis int

	synchronous string // SQLite's synchronous setting; "" means FULL. Tests only.
	// checkpointEvery, checkpointBytes and checkpointed (called after
	// each checkpoint) let tests drive the checkpointer. Tests only.
	checkpointEvery time.Duration
	checkpointBytes int64
	checkpointed    func()
	// walLimit is the log size past which the checkpointer has the log
	// emptied; 0 means walLimit. Tests only.
	walLimit int64
}

// Store is a store.Store in a SQLite database. Create it with Open.
type Store struct {
	path     string
	wdb      *sql.DB // the single write connection, used only by the writer
	rdb      *sql.DB
	maxGroup int

	mu     sync.RWMutex // guards closed and sending on reqs
	closed bool
	reqs   chan *request
	done   chan struct{} // closed when the writer has exited

	txs    atomic.Int64 // write transactions begun
	writes atomic.Int64 // writes handed to the writer
	logged atomic.Int64 // bytes committed by Commit, as batchBytes counts them

	stmts     map[string]*sql.Stmt // prepared write statements; writer only
	toPrepare map[string]bool      // queries to prepare when idle; writer only

	readMu    sync.Mutex
	readStmts map[string]*sql.Stmt // prepared read statements, by query

	ckdb *sql.DB // the checkpointer's connection
	// ckPageSize is the page size, read by the checkpointer (only).
	ckPageSize int64
	ckStop     chan struct{} // closed to stop the checkpointer
	ckDone     chan struct{} // closed when it has stopped
}

var _ store.Store = (*Store)(nil)

// Open opens (creating and migrating as needed) the store at path: a
// directory, or a file path ending in .db, .sqlite or .sqlite3. A nil opts
// means the defaults.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	file, err := resolve(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	s, err := open(ctx, file, opts)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", file, err)
	}
	return s, nil
}

func open(ctx context.Context, file string, opts *Options) (*Store, error) {
	busy := cmpOr(opts.BusyTimeoutMillis, 5000)
	sync := opts.synchronous
	if sync == "" {
		sync = "FULL"
	}
	// temp_store(MEMORY): each write of a group runs in a savepoint, whose
	// sub-journal otherwise goes to a temporary file (a write system call
	// per page changed); it only serves rollbacks inside the transaction, so
	// memory loses nothing durable. wal_autocheckpoint(0): the checkpointer
	// copies the log to the database file, off the commits' path.
	params := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(%s)&_pragma=foreign_keys(0)", busy, sync)
	wdb, err := sql.Open("sqlite", file+"?"+params+"&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(0)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxIdleTime(0)
	wdb.SetConnMaxLifetime(0)
	if err := migrate(ctx, wdb); err != nil {
		wdb.Close()
		return nil, err
	}
	rdb, err := sql.Open("sqlite", file+"?"+fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=query_only(1)", busy))
	if err != nil {
		wdb.Close()
		return nil, err
	}
	reads := cmpOr(opts.ReadConns, 4)
	rdb.SetMaxOpenConns(reads)
	rdb.SetMaxIdleConns(reads)
	if err := rdb.PingContext(ctx); err != nil {
		wdb.Close()
		rdb.Close()
		return nil, err
	}
	ckdb, err := sql.Open("sqlite", file+"?"+params)
	if err != nil {
		wdb.Close()
		rdb.Close()
		return nil, err
	}
	ckdb.SetMaxOpenConns(1)
	s := &Store{
		path:      file,
		wdb:       wdb,
		rdb:       rdb,
		maxGroup:  cmpOr(opts.MaxGroup, 512),
		reqs:      make(chan *request, 1024),
		done:      make(chan struct{}),
		stmts:     make(map[string]*sql.Stmt),
		toPrepare: make(map[string]bool),
		readStmts: make(map[string]*sql.Stmt),
		ckdb:      ckdb,
		ckStop:    make(chan struct{}),
		ckDone:    make(chan struct{}),
	}
	go s.writer()
	every := opts.checkpointEvery
	if every <= 0 {
		every = checkpointEvery
	}
	threshold := opts.checkpointBytes
	if threshold <= 0 {
		threshold = checkpointBytes
	}
	limit := opts.walLimit
	if limit <= 0 {
		limit = walLimit
	}
	go s.checkpointer(ckdb, every, threshold, limit, opts.checkpointed)
	return s, nil
}

// Stats are counters of a Store since Open.
type Stats struct {
	// Writes counts the writes (commits, claims, catalog changes) applied
	// or refused by the writer.
	Writes int64
	// Transactions counts the write transactions that carried them; the
	// ratio Writes/Transactions is the mean group size.
	Transactions int64
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	return Stats{Writes: s.writes.Load(), Transactions: s.txs.Load()}
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close waits for the writes already handed to the store, then closes the
// database. Later calls fail with store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return store.ErrClosed
	}
	s.closed = true
	close(s.reqs)
	s.mu.Unlock()
	<-s.done
	close(s.ckStop)
	<-s.ckDone
	var errs []error
	for _, st := range s.stmts {
		errs = append(errs, st.Close())
	}
	s.readMu.Lock()
	for _, st := range s.readStmts {
		errs = append(errs, st.Close())
	}
	s.readMu.Unlock()
	errs = append(errs, s.ckdb.Close(), s.rdb.Close(), s.wdb.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close sqlite store %s: %w", s.path, err)
	}
	return nil
}

// reader returns the read pool, or store.ErrClosed.
func (s *Store) reader(ctx context.Context) (readDB, error) {
	if err := ctx.Err(); err != nil {
		return readDB{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return readDB{}, store.ErrClosed
	}
	return readDB{s}, nil
}

// maxReadStmts bounds the prepared read statements (list queries are built
// from their filters, so their number is bounded but not small).
const maxReadStmts = 256

// readDB runs queries on the read pool through statements prepared once:
// parsing the SQL again on every call was a fifth of the CPU time of an
// activity round trip.
type readDB struct{ s *Store }

// QueryRowContext runs a query expected to return at most one row.
func (r readDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := r.s.readStmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.s.rdb.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a query returning rows.
func (r readDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := r.s.readStmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.s.rdb.QueryContext(ctx, query, args...)
}

// BeginTx starts a read transaction (its statements are not cached).
func (r readDB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return r.s.rdb.BeginTx(ctx, opts)
}

// readStmt returns query prepared on the read pool (database/sql prepares
// it again on each connection as needed, once), or nil to run it
// unprepared: beyond maxReadStmts, or if preparing fails (the unprepared
// run then reports the error).
func (s *Store) readStmt(ctx context.Context, query string) *sql.Stmt {
	s.readMu.Lock()
	defer s.readMu.Unlock()
	if st, ok := s.readStmts[query]; ok {
		return st
	}
	if len(s.readStmts) >= maxReadStmts {
		return nil
	}
	st, err := s.rdb.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	s.readStmts[query] = st
	return st
}

func resolve(path string) (string, error) {
	if path == "" {
		return "", errors.New("empty path")
	}
	if strings.ContainsRune(path, '?') {
		return "", fmt.Errorf("path %q: contains '?'", path)
	}
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return filepath.Join(path, FileName), nil
	case err == nil:
		return path, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	dir, file := path, filepath.Join(path, FileName)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".db", ".sqlite", ".sqlite3":
		dir, file = filepath.Dir(path), path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create directory: %w", err)
	}
	return file, nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
