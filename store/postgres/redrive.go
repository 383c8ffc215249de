package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
)

// PutRedriveToken implements store.Store.
func (s *Store) PutRedriveToken(ctx context.Context, p *store.PutRedriveTokenParams) error {
	t := p.RedriveToken
	if t.ExecutionARN == "" || t.Token == "" {
		return fmt.Errorf("put redrive token: needs an execution ARN and a token: %w", store.ErrInvalidArgument)
	}
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		// The upsert takes the row lock that orders concurrent puts of the
		// same token; a fresh seq makes the token the newest.
		if _, err := tx.Exec(ctx, `INSERT INTO redrive_tokens (execution_arn, token, redrive_ns, first_used_ns) VALUES ($1, $2, $3, $4)
			ON CONFLICT (execution_arn, token) DO UPDATE SET seq = nextval(pg_get_serial_sequence('redrive_tokens', 'seq')),
				redrive_ns = excluded.redrive_ns, first_used_ns = excluded.first_used_ns`,
			t.ExecutionARN, t.Token, ns(t.RedriveDate), ns(t.FirstUsed)); err != nil {
			return fmt.Errorf("put redrive token: %w", err)
		}
		if !p.ExpireBefore.IsZero() {
			if _, err := tx.Exec(ctx, `DELETE FROM redrive_tokens WHERE execution_arn = $1 AND first_used_ns < $2`,
				t.ExecutionARN, ns(p.ExpireBefore)); err != nil {
				return fmt.Errorf("put redrive token: %w", err)
			}
		}
		if p.Keep > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM redrive_tokens WHERE execution_arn = $1 AND seq NOT IN (
				SELECT seq FROM redrive_tokens WHERE execution_arn = $1 ORDER BY first_used_ns DESC, seq DESC LIMIT $2)`,
				t.ExecutionARN, p.Keep); err != nil {
				return fmt.Errorf("put redrive token: %w", err)
			}
		}
		return nil
	})
}

// GetRedriveToken implements store.Store.
func (s *Store) GetRedriveToken(ctx context.Context, executionARN, token string) (*store.RedriveToken, error) {
	t := store.RedriveToken{ExecutionARN: executionARN, Token: token}
	var redrive, first int64
	err := s.read(ctx, func(q querier) error {
		return q.QueryRow(ctx, `SELECT redrive_ns, first_used_ns FROM redrive_tokens WHERE execution_arn = $1 AND token = $2`,
			executionARN, token).Scan(&redrive, &first)
	})
	if err != nil {
		return nil, fmt.Errorf("get redrive token %s: %w", token, notFoundIf(err))
	}
	t.RedriveDate, t.FirstUsed = fromNS(redrive), fromNS(first)
	return &t, nil
}
