package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
)

// ns converts a time to the stored form: Unix nanoseconds, 0 for the zero
// time.
func ns(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNS converts a stored time back; 0 is the zero time.
func fromNS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// notFoundIf maps sql.ErrNoRows to store.ErrNotFound.
func notFoundIf(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// errOr returns err if it is not nil, else alt.
func errOr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}

// affected turns the result of a statement that must touch one row into an
// error: the statement's own, or what (wrapping none) if no row was touched.
func affected(r sql.Result, err error, what string, none error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, none)
	}
	return nil
}

func join(parts []string) string { return strings.Join(parts, ", ") }

// exists reports whether a query inside w returns a row.
func (w *wtx) exists(query string, args ...any) (bool, error) {
	var one int
	err := w.queryRow(query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// list runs a page query on the read pool. query must end in "LIMIT ?";
// list appends that argument (one more than the page size, to learn whether
// another page follows) to args.
func list[T any](ctx context.Context, s *Store, limit int, kind, query string, args []any,
	scan func(*sql.Rows) (T, error), key func(*T) []string) (*store.Page[T], error) {
	n, err := store.PageLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, query, append(args, n+1)...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	defer rows.Close()
	page := &store.Page[T]{Items: []T{}}
	for rows.Next() {
		if len(page.Items) == n {
			page.NextToken = cursor.Encode(kind, key(&page.Items[n-1])...)
			break
		}
		item, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", kind, err)
		}
		page.Items = append(page.Items, item)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	return page, nil
}

// shardFilter returns an SQL condition on column shard selecting shards
// (nil selects all) and its arguments.
func shardFilter(shards []int) (string, []any) {
	if shards == nil {
		return "1", nil
	}
	if len(shards) == 0 {
		return "0", nil
	}
	args := make([]any, len(shards))
	for i, s := range shards {
		args[i] = s
	}
	return "shard IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(shards)), ", ") + ")", args
}

// uniqueIs returns sentinel, wrapping err's message, if err is a violation
// of a primary key or UNIQUE constraint, and err otherwise.
func uniqueIs(err, sentinel error) error {
	var e *sqlite.Error
	if errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return fmt.Errorf("%w (%v)", sentinel, err)
	}
	return err
}
