package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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

// shardArgs returns the two arguments of the condition
// "($n OR shard = ANY($n+1))" that selects shards (nil selects all).
func shardArgs(shards []int) (bool, []int64) {
	out := make([]int64, len(shards))
	for i, s := range shards {
		out[i] = int64(s)
	}
	return shards == nil, out
}

// list runs a page query. Its last placeholder must be the LIMIT, which list
// appends to args (one more than the page size, to learn whether another
// page follows).
func list[T any](ctx context.Context, s *Store, limit int, kind, query string, args []any,
	scan func(pgx.Rows) (T, error), key func(*T) []string) (*store.Page[T], error) {
	n, err := store.PageLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	page := &store.Page[T]{Items: []T{}}
	err = s.read(ctx, func(q querier) error {
		rows, err := q.Query(ctx, query, append(args, n+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if len(page.Items) == n {
				page.NextToken = cursor.Encode(kind, key(&page.Items[n-1])...)
				break
			}
			item, err := scan(rows)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, item)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	return page, nil
}

// exists reports whether a query returns a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRow(ctx, query, args...).Scan(&one)
	if err == pgx.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
