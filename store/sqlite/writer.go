package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stepwise-run/stepwise/store"
)

// request is one write waiting for the writer, or (reset set, fn nil) a
// request to start the write-ahead log over (see resetLog).
type request struct {
	ctx   context.Context
	fn    func(*wtx) error
	reset bool
	done  chan error // buffered: the writer never blocks on it
}

// wtx is the writer's transaction, with its cached prepared statements.
type wtx struct {
	ctx context.Context
	tx  *sql.Tx
	s   *Store
}

// exec runs a write statement through a statement prepared once.
func (w *wtx) exec(query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.ctx, args...)
}

// queryRow runs a query inside the write transaction.
func (w *wtx) queryRow(query string, args ...any) *sql.Row {
	st, err := w.stmt(query)
	if err != nil {
		return w.tx.QueryRowContext(w.ctx, query, args...) // reports err on Scan
	}
	return st.QueryRowContext(w.ctx, args...)
}

// query runs a query returning rows inside the write transaction.
func (w *wtx) query(query string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(w.ctx, args...)
}

// stmt returns query as a statement of w's transaction. A query's first
// use prepares it for this transaction only and queues it to be prepared
// once the transaction ends (the single write connection is busy until
// then); later uses reuse that preparation.
func (w *wtx) stmt(query string) (*sql.Stmt, error) {
	st, ok := w.s.stmts[query]
	if !ok {
		w.s.toPrepare[query] = true
		st, err := w.tx.PrepareContext(w.ctx, query)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", query, err)
		}
		return st, nil
	}
	return w.tx.StmtContext(w.ctx, st), nil
}

// prepareQueued prepares the queries queued by stmt, while the write
// connection is idle. A query that fails to prepare stays unprepared.
func (s *Store) prepareQueued() {
	for q := range s.toPrepare {
		if st, err := s.wdb.Prepare(q); err == nil {
			s.stmts[q] = st
		}
		delete(s.toPrepare, q)
	}
}

// write hands fn to the writer and waits for its outcome: fn's error, or the
// transaction's if fn succeeded but the commit failed. If ctx ends before the
// writer takes fn, fn is not run and write returns ctx's error.
func (s *Store) write(ctx context.Context, fn func(*wtx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.submit(&request{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

// submit hands r to the writer and waits for its outcome.
func (s *Store) submit(r *request) error {
	ctx := r.ctx
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return store.ErrClosed
	}
	select {
	case s.reqs <- r:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()
	return <-r.done
}

// writer applies pending writes in groups until reqs is closed and drained.
func (s *Store) writer() {
	defer close(s.done)
	group := make([]*request, 0, s.maxGroup)
	for r := range s.reqs {
		if r.reset {
			s.truncateLog(r)
			continue
		}
		group = append(group[:0], r)
		var reset *request // a reset drained with the group, run after it
	drain:
		for len(group) < s.maxGroup {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break drain
				}
				if r.reset {
					reset = r
					break drain
				}
				group = append(group, r)
			default:
				break drain
			}
		}
		s.runGroup(group)
		s.prepareQueued()
		if reset != nil {
			s.truncateLog(reset)
		}
	}
}

// truncateLog runs a TRUNCATE checkpoint on the write connection, between
// groups: it copies what is left of the write-ahead log into the database
// and empties the log, once the readers have left it (waiting for them up
// to the busy timeout; writes wait meanwhile). On the writer's own
// connection no write of ours can hold it up.
func (s *Store) truncateLog(r *request) {
	_, err := s.wdb.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	r.done <- err
}

// runGroup applies a group of writes in one transaction and answers each.
func (s *Store) runGroup(group []*request) {
	live := group[:0:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	s.writes.Add(int64(len(live)))
	results := make([]error, len(live))
	err := s.inTx(func(tx *sql.Tx) error {
		single := len(live) == 1
		sp := &wtx{ctx: context.Background(), tx: tx, s: s}
		for i, r := range live {
			w := &wtx{ctx: context.WithoutCancel(r.ctx), tx: tx, s: s}
			if single {
				results[i] = r.fn(w)
				return results[i]
			}
			if _, err := sp.exec("SAVEPOINT w"); err != nil {
				return err
			}
			results[i] = r.fn(w)
			if results[i] != nil {
				if _, err := sp.exec("ROLLBACK TO w"); err != nil {
					return err
				}
			}
			if _, err := sp.exec("RELEASE w"); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range live {
		switch {
		case results[i] != nil:
			r.done <- results[i]
		case err != nil:
			r.done <- fmt.Errorf("sqlite transaction: %w", err)
		default:
			r.done <- nil
		}
	}
}

// inTx runs fn in a write transaction, committing if fn returns nil.
func (s *Store) inTx(fn func(*sql.Tx) error) error {
	s.txs.Add(1)
	tx, err := s.wdb.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
