package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/postgres"
	"github.com/stepwise-run/stepwise/store/storetest"
)

// urlEnv names the environment variable holding the test database's URL.
const urlEnv = "STEPWISE_TEST_POSTGRES_URL"

// openStore opens a store in a fresh schema, dropped when the test ends.
func openStore(t *testing.T) *postgres.Store { return openStoreTB(t, 4) }

func openStoreTB(t testing.TB, conns int) *postgres.Store {
	t.Helper()
	url := os.Getenv(urlEnv)
	if url == "" {
		t.Skipf("%s is not set; set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL tests", urlEnv)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "storetest_" + hex.EncodeToString(b)
	s, err := postgres.Open(t.Context(), url, &postgres.Options{Schema: schema, MaxConns: conns})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Close()
		ctx := context.Background()
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return openStore(t) })
}

func TestLeaseFencing(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := t.Context()
	exec := store.Execution{ARN: "arn:e", StateMachineARN: "arn:sm", Name: "e", Status: store.StatusRunning}
	create := func(shard int, epoch int64, name string) error {
		e := exec
		e.ARN, e.Name = "arn:"+name, name
		return s.Commit(ctx, &store.Batch{Shard: shard, Epoch: epoch, Executions: []store.ExecutionWrite{{Execution: e}}})
	}
	if err := create(1, 0, "unleased"); err != nil {
		t.Fatalf("epoch 0 on a shard never leased: %v", err)
	}

	a, err := s.AcquireLease(ctx, 1, "node-a", time.Minute)
	if err != nil || a != 1 {
		t.Fatalf("node-a acquires: epoch %d, %v", a, err)
	}
	if _, err := s.AcquireLease(ctx, 1, "node-b", time.Minute); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("node-b acquires a held lease: %v", err)
	}
	if err := create(1, 0, "stale0"); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("epoch 0 after a lease: %v", err)
	}
	if err := create(1, a, "a1"); err != nil {
		t.Fatalf("node-a commits: %v", err)
	}
	if err := s.RenewLease(ctx, 1, "node-a", a, time.Minute); err != nil {
		t.Fatalf("renew: %v", err)
	}

	// node-a's lease runs out; node-b takes the shard.
	if err := s.RenewLease(ctx, 1, "node-a", a, -time.Second); err != nil {
		t.Fatalf("expire: %v", err)
	}
	b, err := s.AcquireLease(ctx, 1, "node-b", time.Minute)
	if err != nil || b != a+1 {
		t.Fatalf("node-b acquires an expired lease: epoch %d, %v", b, err)
	}
	if err := create(1, a, "a2"); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("node-a commits after losing the lease: %v", err)
	}
	if _, err := s.GetExecution(ctx, "arn:a2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("fenced commit applied: %v", err)
	}
	if err := s.RenewLease(ctx, 1, "node-a", a, time.Minute); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("node-a renews a lost lease: %v", err)
	}
	if err := create(1, b, "b1"); err != nil {
		t.Fatalf("node-b commits: %v", err)
	}
	if err := create(2, 0, "other-shard"); err != nil {
		t.Fatalf("another shard is unaffected: %v", err)
	}
	if err := s.ReleaseLease(ctx, 1, "node-b", b); err != nil {
		t.Fatalf("release: %v", err)
	}
	c, err := s.AcquireLease(ctx, 1, "node-a", time.Minute)
	if err != nil || c != b+1 {
		t.Fatalf("acquire after release: epoch %d, %v", c, err)
	}
}
