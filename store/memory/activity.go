package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/store"
)

// CreateActivity implements store.Store.
func (s *Store) CreateActivity(ctx context.Context, p *store.CreateActivityParams) (*store.Activity, error) {
	a := p.Activity
	if a.ARN == "" || a.Name == "" {
		return nil, fmt.Errorf("create activity: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	a.CreationDate = utc(a.CreationDate)
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if _, ok := s.activities[a.ARN]; ok {
		return nil, fmt.Errorf("create activity %s: %w", a.ARN, store.ErrAlreadyExists)
	}
	s.activities[a.ARN] = &a
	s.addTags(a.ARN, p.Tags)
	out := a
	return &out, nil
}

// GetActivity implements store.Store.
func (s *Store) GetActivity(ctx context.Context, arn string) (*store.Activity, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	a, ok := s.activities[arn]
	if !ok {
		return nil, notFound("activity", arn)
	}
	out := *a
	return &out, nil
}

// DeleteActivity implements store.Store.
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.activities[arn]; !ok {
		return notFound("activity", arn)
	}
	delete(s.activities, arn)
	delete(s.tags, arn)
	return nil
}

// ListActivities implements store.Store.
func (s *Store) ListActivities(ctx context.Context, p *store.ListParams) (*store.Page[store.Activity], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	items := make([]store.Activity, 0, len(s.activities))
	for _, a := range s.activities {
		items = append(items, *a)
	}
	slices.SortFunc(items, func(a, b store.Activity) int { return strings.Compare(a.ARN, b.ARN) })
	return page("activities", items, p,
		func(a *store.Activity) []string { return []string{a.ARN} },
		func(a *store.Activity, parts []string) int { return byARN(a.ARN, parts) })
}

// ClaimActivityTask implements store.Store.
func (s *Store) ClaimActivityTask(ctx context.Context, p *store.ClaimActivityTaskParams) (*store.ActivityTask, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var oldest *task
	for _, t := range s.tasks {
		if t.t.ActivityARN == p.ActivityARN && !t.claimed && (oldest == nil || t.seq < oldest.seq) {
			oldest = t
		}
	}
	if oldest == nil {
		return nil, fmt.Errorf("claim task of %s: %w", p.ActivityARN, store.ErrNotFound)
	}
	oldest.claimed = true
	oldest.t.Claimed = true
	oldest.t.ClaimedAt = utc(p.Now)
	oldest.t.WorkerName = p.WorkerName
	out := cloneTask(&oldest.t)
	return &out, nil
}

// ListQueuedActivityTasks implements store.Store.
func (s *Store) ListQueuedActivityTasks(ctx context.Context, p *store.ListQueuedActivityTasksParams) (*store.Page[store.ActivityTask], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var queued []task
	for _, t := range s.tasks {
		if t.t.ActivityARN == p.ActivityARN && !t.claimed {
			queued = append(queued, *t)
		}
	}
	slices.SortFunc(queued, func(a, b task) int { return cmp.Compare(a.seq, b.seq) })
	pg, err := page("activityTasks", queued, &p.ListParams,
		func(t *task) []string { return []string{strconv.FormatInt(t.seq, 10)} },
		func(t *task, parts []string) int { return compareSeq(t.seq, parts) })
	if err != nil {
		return nil, fmt.Errorf("list queued tasks of %s: %w", p.ActivityARN, err)
	}
	out := &store.Page[store.ActivityTask]{Items: make([]store.ActivityTask, len(pg.Items)), NextToken: pg.NextToken}
	for i, t := range pg.Items {
		out.Items[i] = cloneTask(&t.t)
	}
	return out, nil
}

// GetActivityTask implements store.Store.
func (s *Store) GetActivityTask(ctx context.Context, token string) (*store.ActivityTask, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	t, ok := s.tasks[token]
	if !ok {
		return nil, notFound("activity task", token)
	}
	out := cloneTask(&t.t)
	return &out, nil
}

func cloneTask(t *store.ActivityTask) store.ActivityTask {
	c := *t
	c.Input = clone(t.Input)
	return c
}
