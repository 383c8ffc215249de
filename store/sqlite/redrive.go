package sqlite

import (
	"context"
	"fmt"

	"github.com/stepwise-run/stepwise/store"
)

// PutRedriveToken implements store.Store.
func (s *Store) PutRedriveToken(ctx context.Context, p *store.PutRedriveTokenParams) error {
	t := p.RedriveToken
	if t.ExecutionARN == "" || t.Token == "" {
		return fmt.Errorf("put redrive token: needs an execution ARN and a token: %w", store.ErrInvalidArgument)
	}
	return s.write(ctx, func(w *wtx) error {
		if _, err := w.exec(`DELETE FROM redrive_tokens WHERE execution_arn = ? AND token = ?`, t.ExecutionARN, t.Token); err != nil {
			return fmt.Errorf("put redrive token: %w", err)
		}
		if _, err := w.exec(`INSERT INTO redrive_tokens (execution_arn, token, redrive_ns, first_used_ns) VALUES (?, ?, ?, ?)`,
			t.ExecutionARN, t.Token, ns(t.RedriveDate), ns(t.FirstUsed)); err != nil {
			return fmt.Errorf("put redrive token: %w", err)
		}
		if !p.ExpireBefore.IsZero() {
			if _, err := w.exec(`DELETE FROM redrive_tokens WHERE execution_arn = ? AND first_used_ns < ?`,
				t.ExecutionARN, ns(p.ExpireBefore)); err != nil {
				return fmt.Errorf("put redrive token: %w", err)
			}
		}
		if p.Keep > 0 {
			if _, err := w.exec(`DELETE FROM redrive_tokens WHERE execution_arn = ? AND seq NOT IN (
				SELECT seq FROM redrive_tokens WHERE execution_arn = ? ORDER BY first_used_ns DESC, seq DESC LIMIT ?)`,
				t.ExecutionARN, t.ExecutionARN, p.Keep); err != nil {
				return fmt.Errorf("put redrive token: %w", err)
			}
		}
		return nil
	})
}

// GetRedriveToken implements store.Store.
func (s *Store) GetRedriveToken(ctx context.Context, executionARN, token string) (*store.RedriveToken, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	t := store.RedriveToken{ExecutionARN: executionARN, Token: token}
	var redrive, first int64
	err = db.QueryRowContext(ctx, `SELECT redrive_ns, first_used_ns FROM redrive_tokens WHERE execution_arn = ? AND token = ?`,
		executionARN, token).Scan(&redrive, &first)
	if err != nil {
		return nil, fmt.Errorf("get redrive token %s: %w", token, notFoundIf(err))
	}
	t.RedriveDate, t.FirstUsed = fromNS(redrive), fromNS(first)
	return &t, nil
}
