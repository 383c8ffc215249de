package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
)

// AcquireLease makes owner the holder of shard for ttl, measured by the
// database's clock, and returns the lease's new epoch. It succeeds if the
// shard has no lease, if its lease has expired, or if owner already holds
// it; otherwise it fails with store.ErrConflict. Every success bumps the
// epoch, which fences commits made under earlier epochs.
func (s *Store) AcquireLease(ctx context.Context, shard int, owner string, ttl time.Duration) (int64, error) {
	var epoch int64
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO shard_leases (shard, owner, epoch, expires_at)
			VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 microsecond')
			ON CONFLICT (shard) DO UPDATE SET owner = excluded.owner, epoch = shard_leases.epoch + 1, expires_at = excluded.expires_at
			WHERE shard_leases.expires_at < clock_timestamp() OR shard_leases.owner = excluded.owner
			RETURNING epoch`, shard, owner, ttl.Microseconds()).Scan(&epoch)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("acquire lease of shard %d: held by another owner: %w", shard, store.ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("acquire lease of shard %d: %w", shard, err)
	}
	return epoch, nil
}

// RenewLease extends owner's lease of shard, at epoch, to ttl from now. It
// fails with store.ErrLeaseLost if the epoch has moved on.
func (s *Store) RenewLease(ctx context.Context, shard int, owner string, epoch int64, ttl time.Duration) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE shard_leases SET expires_at = clock_timestamp() + $4 * interval '1 microsecond'
			WHERE shard = $1 AND owner = $2 AND epoch = $3`, shard, owner, epoch, ttl.Microseconds())
		return affected(tag, err, fmt.Sprintf("renew lease of shard %d", shard), store.ErrLeaseLost)
	})
}

// ReleaseLease ends owner's lease of shard at epoch, so that another node
// can acquire it at once. It fails with store.ErrLeaseLost if the epoch has
// moved on.
func (s *Store) ReleaseLease(ctx context.Context, shard int, owner string, epoch int64) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE shard_leases SET expires_at = '-infinity'
			WHERE shard = $1 AND owner = $2 AND epoch = $3`, shard, owner, epoch)
		return affected(tag, err, fmt.Sprintf("release lease of shard %d", shard), store.ErrLeaseLost)
	})
}
