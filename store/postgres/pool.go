package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pool is a minimal connection pool: idle connections in a channel and a
// semaphore bounding how many exist. (pgxpool would pull in a dependency
// this module does not pin.)
type pool struct {
	cfg  *pgx.ConnConfig
	idle chan *pgx.Conn
	sem  chan struct{} // one token per open connection
}

func newPool(cfg *pgx.ConnConfig, max int) *pool {
	return &pool{cfg: cfg, idle: make(chan *pgx.Conn, max), sem: make(chan struct{}, max)}
}

// with runs fn on a connection. A connection that fn leaves closed or in a
// transaction is discarded instead of returned to the pool.
func (p *pool) with(ctx context.Context, fn func(*pgx.Conn) error) error {
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	err = fn(c)
	p.release(c)
	return err
}

func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case c := <-p.idle:
		return c, nil
	case p.sem <- struct{}{}:
		c, err := pgx.ConnectConfig(ctx, p.cfg)
		if err != nil {
			<-p.sem
			return nil, fmt.Errorf("connect: %w", err)
		}
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pool) release(c *pgx.Conn) {
	if c.IsClosed() || c.PgConn().TxStatus() != 'I' {
		_ = c.Close(context.Background())
		<-p.sem
		return
	}
	p.idle <- c
}

// close closes the idle connections; it must be called when no connection
// is in use.
func (p *pool) close() {
	for {
		select {
		case c := <-p.idle:
			_ = c.Close(context.Background())
			<-p.sem
		default:
			return
		}
	}
}
