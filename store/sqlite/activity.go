package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/stepwise-run/stepwise/store/internal/cursor"

	"github.com/stepwise-run/stepwise/store"
)

// CreateActivity implements store.Store.
func (s *Store) CreateActivity(ctx context.Context, p *store.CreateActivityParams) (*store.Activity, error) {
	a := p.Activity
	if a.ARN == "" || a.Name == "" {
		return nil, fmt.Errorf("create activity: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	err := s.write(ctx, func(w *wtx) error {
		if exists, err := w.exists(`SELECT 1 FROM activities WHERE arn = ?`, a.ARN); err != nil || exists {
			return errOr(err, fmt.Errorf("create activity %s: %w", a.ARN, store.ErrAlreadyExists))
		}
		if _, err := w.exec(`INSERT INTO activities (arn, name, created_ns) VALUES (?, ?, ?)`, a.ARN, a.Name, ns(a.CreationDate)); err != nil {
			return err
		}
		return w.addTags(a.ARN, p.Tags)
	})
	if err != nil {
		return nil, err
	}
	a.CreationDate = fromNS(ns(a.CreationDate))
	return &a, nil
}

func scanActivity(row interface{ Scan(...any) error }) (store.Activity, error) {
	var a store.Activity
	var created int64
	err := row.Scan(&a.ARN, &a.Name, &created)
	a.CreationDate = fromNS(created)
	return a, err
}

// GetActivity implements store.Store.
func (s *Store) GetActivity(ctx context.Context, arn string) (*store.Activity, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	a, err := scanActivity(db.QueryRowContext(ctx, `SELECT arn, name, created_ns FROM activities WHERE arn = ?`, arn))
	if err != nil {
		return nil, fmt.Errorf("get activity %s: %w", arn, notFoundIf(err))
	}
	return &a, nil
}

// DeleteActivity implements store.Store.
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	return s.write(ctx, func(w *wtx) error {
		r, err := w.exec(`DELETE FROM activities WHERE arn = ?`, arn)
		if err := affected(r, err, "delete activity "+arn, store.ErrNotFound); err != nil {
			return err
		}
		_, err = w.exec(`DELETE FROM tags WHERE resource_arn = ?`, arn)
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
		`SELECT arn, name, created_ns FROM activities WHERE arn > ? ORDER BY arn LIMIT ?`,
		[]any{after},
		func(rows *sql.Rows) (store.Activity, error) { return scanActivity(rows) },
		func(a *store.Activity) []string { return []string{a.ARN} })
}

const taskColumns = `token, activity_arn, execution_arn, input, created_ns, claimed, claimed_ns, worker`

// scanTask scans taskColumns, followed by the columns of extra, if any.
func scanTask(row interface{ Scan(...any) error }, extra ...any) (store.ActivityTask, error) {
	var t store.ActivityTask
	var created, claimed int64
	err := row.Scan(append([]any{&t.TaskToken, &t.ActivityARN, &t.ExecutionARN, &t.Input, &created, &t.Claimed, &claimed, &t.WorkerName}, extra...)...)
	t.CreatedAt, t.ClaimedAt = fromNS(created), fromNS(claimed)
	return t, err
}

// ClaimActivityTask implements store.Store.
func (s *Store) ClaimActivityTask(ctx context.Context, p *store.ClaimActivityTaskParams) (*store.ActivityTask, error) {
	// An empty queue is answered from the read pool, off the writer.
	if queued, err := s.anyRow(ctx, `SELECT 1 FROM activity_tasks WHERE activity_arn = ? AND claimed = 0 LIMIT 1`, p.ActivityARN); err != nil || !queued {
		return nil, errOr(err, fmt.Errorf("claim task of %s: %w", p.ActivityARN, store.ErrNotFound))
	}
	var t store.ActivityTask
	err := s.write(ctx, func(w *wtx) error {
		var err error
		t, err = scanTask(w.queryRow(`UPDATE activity_tasks SET claimed = 1, claimed_ns = ?, worker = ?
			WHERE seq = (SELECT seq FROM activity_tasks WHERE activity_arn = ? AND claimed = 0 ORDER BY seq LIMIT 1)
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

// ListQueuedActivityTasks implements store.Store. It reads from the read
// pool, off the writer. Its query has no LIMIT: SQLite prepared a statement
// with a bound LIMIT again at every run (34 µs a call instead of 11, most of
// it parsing). The rows come in the order of the index, so only the rows
// read are scanned.
func (s *Store) ListQueuedActivityTasks(ctx context.Context, p *store.ListQueuedActivityTasksParams) (*store.Page[store.ActivityTask], error) {
	n, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, fmt.Errorf("list queued tasks of %s: %w", p.ActivityARN, err)
	}
	after, err := cursor.DecodeInt(p.NextToken, "activityTasks", 0)
	if err != nil {
		return nil, err
	}
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT `+taskColumns+`, seq FROM activity_tasks
		WHERE activity_arn = ? AND claimed = 0 AND seq > ? ORDER BY seq`, p.ActivityARN, after)
	if err != nil {
		return nil, fmt.Errorf("list queued tasks of %s: %w", p.ActivityARN, err)
	}
	defer rows.Close()
	page := &store.Page[store.ActivityTask]{Items: []store.ActivityTask{}}
	var seq int64
	for rows.Next() {
		if len(page.Items) == n {
			page.NextToken = cursor.Encode("activityTasks", strconv.FormatInt(seq, 10))
			break
		}
		t, err := scanTask(rows, &seq)
		if err != nil {
			return nil, fmt.Errorf("list queued tasks of %s: %w", p.ActivityARN, err)
		}
		page.Items = append(page.Items, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list queued tasks of %s: %w", p.ActivityARN, err)
	}
	return page, nil
}

// GetActivityTask implements store.Store.
func (s *Store) GetActivityTask(ctx context.Context, token string) (*store.ActivityTask, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	t, err := scanTask(db.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM activity_tasks WHERE token = ?`, token))
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
