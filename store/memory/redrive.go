package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/stepwise-run/stepwise/store"
)

type redriveToken struct {
	t   store.RedriveToken
	seq int64
}

// PutRedriveToken implements store.Store.
func (s *Store) PutRedriveToken(ctx context.Context, p *store.PutRedriveTokenParams) error {
	t := p.RedriveToken
	if t.ExecutionARN == "" || t.Token == "" {
		return fmt.Errorf("put redrive token: needs an execution ARN and a token: %w", store.ErrInvalidArgument)
	}
	t.RedriveDate, t.FirstUsed = utc(t.RedriveDate), utc(t.FirstUsed)
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.seq++
	kept := []redriveToken{{t: t, seq: s.seq}}
	for _, old := range s.redriveTokens[t.ExecutionARN] {
		if old.t.Token == t.Token || !p.ExpireBefore.IsZero() && old.t.FirstUsed.Before(p.ExpireBefore) {
			continue
		}
		kept = append(kept, old)
	}
	// Newest first: first used, then order of recording.
	slices.SortFunc(kept, func(a, b redriveToken) int {
		if c := b.t.FirstUsed.Compare(a.t.FirstUsed); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	if p.Keep > 0 && len(kept) > p.Keep {
		kept = kept[:p.Keep]
	}
	s.redriveTokens[t.ExecutionARN] = kept
	return nil
}

// GetRedriveToken implements store.Store.
func (s *Store) GetRedriveToken(ctx context.Context, executionARN, token string) (*store.RedriveToken, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	for _, t := range s.redriveTokens[executionARN] {
		if t.t.Token == token {
			out := t.t
			return &out, nil
		}
	}
	return nil, notFound("redrive token", token)
}
