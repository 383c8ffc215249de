package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stepwise-run/stepwise/store/internal/cursor"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
)

// CreateActivity implements store.Store.
func (s *Store) CreateActivity(ctx context.Context, p *store.CreateActivityParams) (*store.Activity, error) {
	a := p.Activity
	if a.ARN == "" || a.Name == "" {
		return nil, fmt.Errorf("create activity: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO activities (arn, name, created_ns) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			a.ARN, a.Name, ns(a.CreationDate))
		if err := affected(tag, err, "create activity "+a.ARN, store.ErrAlreadyExists); err != nil {
			return err
		}
		return addTags(ctx, tx, a.ARN, p.Tags)
	})
	if err != nil {
		return nil, err
	}
	a.CreationDate = fromNS(ns(a.CreationDate))
	return &a, nil
}

func scanActivity(row pgx.Row) (store.Activity, error) {
	var a store.Activity
	var created int64
	err := row.Scan(&a.ARN, &a.Name, &created)
	a.CreationDate = fromNS(created)
	return a, err
}

// GetActivity implements store.Store.
func (s *Store) GetActivity(ctx context.Context, arn string) (*store.Activity, error) {
	var a store.Activity
	err := s.read(ctx, func(q querier) error {
		var err error
		a, err = scanActivity(q.QueryRow(ctx, `SELECT arn, name, created_ns FROM activities WHERE arn = $1`, arn))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get activity %s: %w", arn, notFoundIf(err))
	}
	return &a, nil
}

// DeleteActivity implements store.Store.
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM activities WHERE arn = $1`, arn)
		if err := affected(tag, err, "delete activity "+arn, store.ErrNotFound); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM tags WHERE resource_arn = $1`, arn)
		return err
	})
}

// ListActivities implements store.Store.
func (s *Store) ListActivities(ctx context.Context, p *store.ListParams) (*store.Page[store.Activity], error) {
	after, err := cursor.DecodeString(p.NextToken, "activities")
	if err != nil {
		return nil, err
	}
	return list(ctx, s, p.Limit, "activities",
		`SELECT arn, name, created_ns FROM activities WHERE arn > $1 ORDER BY arn LIMIT $2`,
		[]any{after},
		func(rows pgx.Rows) (store.Activity, error) { return scanActivity(rows) },
		func(a *store.Activity) []string { return []string{a.ARN} })
}

const taskColumns = `token, activity_arn, execution_arn, input, created_ns, claimed, claimed_ns, worker`

// scanTask scans taskColumns, followed by the columns of extra, if any.
func scanTask(row pgx.Row, extra ...any) (store.ActivityTask, error) {
	var t store.ActivityTask
	var created, claimed, isClaimed int64
	err := row.Scan(append([]any{&t.TaskToken, &t.ActivityARN, &t.ExecutionARN, &t.Input, &created, &isClaimed, &claimed, &t.WorkerName}, extra...)...)
	t.CreatedAt, t.ClaimedAt, t.Claimed = fromNS(created), fromNS(claimed), isClaimed != 0
	return t, err
}

// ClaimActivityTask implements store.Store.
func (s *Store) ClaimActivityTask(ctx context.Context, p *store.ClaimActivityTaskParams) (*store.ActivityTask, error) {
	var t store.ActivityTask
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		t, err = scanTask(tx.QueryRow(ctx, `UPDATE activity_tasks SET claimed = 1, claimed_ns = $1, worker = $2
			WHERE seq = (SELECT seq FROM activity_tasks WHERE activity_arn = $3 AND claimed = 0
				ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING `+taskColumns, ns(p.Now), p.WorkerName, p.ActivityARN))
		if err != nil {
			return fmt.Errorf("claim task of %s: %w", p.ActivityARN, notFoundIf(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ListQueuedActivityTasks implements store.Store. Rows locked by a claim
// in progress are listed too: the claim of a listed task is decided by the
// batch that claims it (see queue).
func (s *Store) ListQueuedActivityTasks(ctx context.Context, p *store.ListQueuedActivityTasksParams) (*store.Page[store.ActivityTask], error) {
	after, err := cursor.DecodeInt(p.NextToken, "activityTasks", 0)
	if err != nil {
		return nil, err
	}
	type item struct {
		t   store.ActivityTask
		seq int64
	}
	pg, err := list(ctx, s, p.Limit, "activityTasks",
		`SELECT `+taskColumns+`, seq FROM activity_tasks WHERE activity_arn = $1 AND claimed = 0 AND seq > $2 ORDER BY seq LIMIT $3`,
		[]any{p.ActivityARN, after},
		func(rows pgx.Rows) (item, error) {
			var it item
			var err error
			it.t, err = scanTask(rows, &it.seq)
			return it, err
		},
		func(it *item) []string { return []string{strconv.FormatInt(it.seq, 10)} })
	if err != nil {
		return nil, fmt.Errorf("list queued tasks of %s: %w", p.ActivityARN, err)
	}
	out := &store.Page[store.ActivityTask]{Items: make([]store.ActivityTask, len(pg.Items)), NextToken: pg.NextToken}
	for i, it := range pg.Items {
		out.Items[i] = it.t
	}
	return out, nil
}

// GetActivityTask implements store.Store.
func (s *Store) GetActivityTask(ctx context.Context, token string) (*store.ActivityTask, error) {
	var t store.ActivityTask
	err := s.read(ctx, func(q querier) error {
		var err error
		t, err = scanTask(q.QueryRow(ctx, `SELECT `+taskColumns+` FROM activity_tasks WHERE token = $1`, token))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get activity task %s: %w", token, notFoundIf(err))
	}
	return &t, nil
}

// claimedNS is the claimed_ns column of a task inserted by a batch: 0
// unless the task is inserted already claimed.
func claimedNS(t store.ActivityTask) int64 {
	if !t.Claimed {
		return 0
	}
	return ns(t.ClaimedAt)
}

// claimedFlag is the claimed column of a task inserted by a batch.
func claimedFlag(t store.ActivityTask) int64 {
	if t.Claimed {
		return 1
	}
	return 0
}
