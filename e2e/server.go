package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Build compiles ./cmd/stepwise of the module rooted at moduleDir into dir
// and returns the binary's path.
func Build(ctx context.Context, moduleDir, dir string) (string, error) {
	bin := filepath.Join(dir, "stepwise")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/stepwise")
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/stepwise: %w\n%s", err, out)
	}
	return bin, nil
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Server runs `stepwise serve` as a child process on a fixed loopback port
// and data directory, so that it can be killed and restarted on the same
// state. Its methods are safe for concurrent use.
type Server struct {
	// Bin is the stepwise binary.
	Bin string
	// Port is the loopback port to listen on.
	Port int
	// DataDir is the --data directory.
	DataDir string
	// Log receives the server's stdout and stderr; nil discards them.
	Log io.Writer
	// StartTimeout bounds how long a start may take to become healthy;
	// 0 means 30 seconds.
	StartTimeout time.Duration

	mu    sync.Mutex
	cmd   *exec.Cmd
	exit  chan error    // receives the process's exit status, once
	ready chan struct{} // closed when the current incarnation is healthy
	gen   int           // incarnations started
}

// Endpoint is the server's base URL.
func (s *Server) Endpoint() string {
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
}

// Ready returns a channel closed once the server (the current or the next
// incarnation, after a kill) answers /healthz.
func (s *Server) Ready() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready == nil {
		s.ready = make(chan struct{})
	}
	return s.ready
}

// Start launches the server and waits until /healthz answers 200. It fails
// if the process exits first or StartTimeout passes.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	if s.cmd != nil {
		s.mu.Unlock()
		return errors.New("server already running")
	}
	cmd := exec.Command(s.Bin, "serve", "--listen", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)), "--data", s.DataDir)
	out := s.Log
	if out == nil {
		out = io.Discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("start %s: %w", s.Bin, err)
	}
	exit := make(chan error, 1)
	go func() { exit <- cmd.Wait() }()
	s.cmd, s.exit = cmd, exit
	s.gen++
	if s.ready == nil {
		s.ready = make(chan struct{})
	}
	ready := s.ready
	s.mu.Unlock()

	if err := s.waitHealthy(ctx, exit); err != nil {
		_ = s.Kill()
		return err
	}
	close(ready)
	return nil
}

// waitHealthy polls /healthz with short sleeps (process start-up is the one
// thing there is no event for) until it answers 200.
func (s *Server) waitHealthy(ctx context.Context, exit <-chan error) error {
	timeout := s.StartTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	url := s.Endpoint() + "/healthz"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exit:
			return fmt.Errorf("server exited before it was healthy: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("server not healthy after %v: %w", timeout, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Kill sends SIGKILL and waits for the process to exit. Ready then returns
// a channel for the next incarnation.
func (s *Server) Kill() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	select {
	case <-s.ready:
		s.ready = make(chan struct{})
	default:
	}
	err := s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exit
	s.cmd, s.exit = nil, nil
	if err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill server: %w", err)
	}
	return nil
}

// Stop asks the server to shut down (SIGTERM), waits up to grace for it
// to exit, then kills it. It returns the exit status of a clean stop.
func (s *Server) Stop(grace time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	cmd, exit := s.cmd, s.exit
	s.cmd, s.exit = nil, nil
	_ = cmd.Process.Signal(syscall.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-exit:
		return err
	case <-t.C:
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exit
		return fmt.Errorf("server did not stop within %v", grace)
	}
}

// Exited reports whether the current incarnation has died on its own
// (not through Kill or Stop), with its exit status.
func (s *Server) Exited() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return false, nil
	}
	select {
	case err := <-s.exit:
		s.exit <- err
		return true, err
	default:
		return false, nil
	}
}

// Generation is the number of incarnations started so far.
func (s *Server) Generation() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}
