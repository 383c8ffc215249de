package e2e

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// The stepwise binary, built once for all the tests of a run.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// stepwiseBinary builds ./cmd/stepwise once per test run.
func stepwiseBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "stepwise-e2e-")
		if binErr == nil {
			binPath, binErr = Build(context.Background(), "..", binDir)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startServer starts `stepwise serve` on a free port with a fresh data
// directory and stops it gracefully when the test ends; a server that does
// not exit cleanly on SIGTERM fails the test.
func startServer(t *testing.T) *Server {
	t.Helper()
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	srv := &Server{Bin: stepwiseBinary(t), Port: port, DataDir: dir}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(30 * time.Second); err != nil {
			t.Errorf("graceful stop: %v", err)
		}
	})
	return srv
}
