// Package postgres is the store.Store shared by several Stepwise nodes: one
// PostgreSQL database (or one schema in it), reached through pgx.
//
// # Shards and leases
//
// Executions are partitioned into shards. A node owns a shard through a
// lease (AcquireLease, RenewLease, ReleaseLease) that carries an epoch, a
// number bumped at every acquisition. Commit locks the shard's lease row and
// fails with store.ErrLeaseLost unless the batch's epoch is the current one,
// in the same transaction as the batch's writes, so a node that lost its
// lease cannot write: its epoch is stale the moment another node acquires
// the shard. A shard that has never been leased accepts epoch 0, so a single
// node can use the store without leases. Claims (ClaimDueTimers,
// ClaimActivityTask) and catalog writes are not fenced: a claim only hides a
// row for a while, and catalog records are not sharded.
//
// # Concurrency
//
// Each call runs in its own transaction on a connection of a small internal
// pool; PostgreSQL groups the WAL flushes of concurrent commits itself.
// Claims use FOR UPDATE SKIP LOCKED, so concurrent pollers never wait for
// each other or receive the same row.
//
// # Schema
//
// Open migrates the schema from the numbered SQL files embedded from
// migrations/, under an advisory lock so that nodes starting together do not
// race, and records them in schema_migrations.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/stepwise-run/stepwise/store"
)

// Options tune a Store. The zero value is usable.
type Options struct {
	// Schema, if set, is the schema holding the store's tables; Open creates
	// it if missing. Empty means the connection's default search path.
	Schema string
	// MaxConns bounds the connection pool; 0 means 16.
	MaxConns int
}

// Store is a store.Store in PostgreSQL. Create it with Open.
type Store struct {
	pool *pool

	mu       sync.RWMutex // guards closed
	closed   bool
	inflight sync.WaitGroup
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or a libpq
// key=value string) and migrates its schema. A nil opts means the defaults.
func Open(ctx context.Context, url string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	if opts.Schema != "" {
		if err := createSchema(ctx, cfg, opts.Schema); err != nil {
			return nil, fmt.Errorf("open postgres store: schema %s: %w", opts.Schema, err)
		}
		cfg.RuntimeParams["search_path"] = opts.Schema
	}
	maxConns := opts.MaxConns
	if maxConns <= 0 {
		maxConns = 16
	}
	s := &Store{pool: newPool(cfg, maxConns)}
	if err := s.pool.with(ctx, func(c *pgx.Conn) error { return migrate(ctx, c) }); err != nil {
		s.pool.close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	return s, nil
}

func createSchema(ctx context.Context, cfg *pgx.ConnConfig, schema string) error {
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Close(context.WithoutCancel(ctx))
	_, err = c.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize())
	return err
}

// Close waits for the calls in flight, then closes every connection. Later
// calls fail with store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return store.ErrClosed
	}
	s.closed = true
	s.mu.Unlock()
	s.inflight.Wait()
	s.pool.close()
	return nil
}

// enter registers a call in flight, or fails if the store is closed; the
// caller must call s.inflight.Done.
func (s *Store) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	s.inflight.Add(1)
	return nil
}

// querier is what pgx.Conn and pgx.Tx have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// read runs fn on a pooled connection outside any explicit transaction.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.inflight.Done()
	return s.pool.with(ctx, func(c *pgx.Conn) error { return fn(c) })
}

// write runs fn in a transaction, committing if it returns nil. Once
// started, the transaction ignores ctx's cancellation so that its outcome is
// definite.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.inflight.Done()
	return s.pool.with(ctx, func(c *pgx.Conn) error {
		ctx := context.WithoutCancel(ctx)
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		if err := fn(ctx, tx); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		return tx.Commit(ctx)
	})
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505"
}

// notFoundIf maps pgx.ErrNoRows to store.ErrNotFound.
func notFoundIf(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// affected turns a command tag that must report one row into an error.
func affected(tag pgconn.CommandTag, err error, what string, none error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s: %w", what, none)
	}
	return nil
}
