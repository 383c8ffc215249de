package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/integration/mock"
	"github.com/stepwise-run/stepwise/integration/nested"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/service/callbacks"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// serveOptions are the flags of stepwise serve.
type serveOptions struct {
	listen  string
	data    string
	region  string
	account string
	// integrations is the path of an integration configuration file
	// (package integration); "" means the defaults.
	integrations string
	// mockConfig is an AWS Step Functions Local mock configuration file
	// (package integration/mock); "" means none (SFN_MOCK_CONFIG is read
	// when the flag is not given).
	mockConfig string
	// skipTime makes Wait states, retry back-offs and timeouts complete at
	// once (virtual time), for test suites.
	skipTime bool
	// shutdownTimeout bounds how long in-flight requests may take to
	// finish after a stop signal.
	shutdownTimeout time.Duration
}

func newServeCommand() *cobra.Command {
	opts := serveOptions{shutdownTimeout: 30 * time.Second}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Step Functions API with an embedded SQLite store",
		Long: `Serve the AWS Step Functions API (AWS JSON 1.0 at POST /, health at /healthz),
keeping state machines, executions and history in a SQLite database in the data
directory (created on first start). Point AWS SDKs and the aws CLI at it with
--endpoint-url http://127.0.0.1:8083.

SIGINT or SIGTERM stops the server gracefully: it stops accepting connections,
lets requests in flight finish, then stops the runtime and closes the store.
Running executions resume on the next start.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			if err := serve(cmd.Context(), opts, log, nil); err != nil {
				return &exitError{exitFailed, err}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.listen, "listen", "127.0.0.1:8083", "address to listen on")
	f.StringVar(&opts.data, "data", "./stepwise-data", "data directory")
	f.StringVar(&opts.region, "region", "us-east-1", "region in the ARNs the server forms")
	f.StringVar(&opts.account, "account", "123456789012", "account id in the ARNs the server forms")
	f.StringVar(&opts.integrations, "integrations", "", "integration configuration file (HTTP connections, Lambda functions)")
	f.StringVar(&opts.mockConfig, "mock-config", os.Getenv("SFN_MOCK_CONFIG"),
		"AWS Step Functions Local mock configuration; start executions with STATE_MACHINE_ARN#TestCase (default $SFN_MOCK_CONFIG)")
	f.BoolVar(&opts.skipTime, "skip-time", false, "virtual time: Wait states, retry back-offs and timeouts complete at once; histories show real-run times")
	return cmd
}

// serve runs the server until ctx ends, then shuts it down gracefully. If
// ready is not nil it is called with the listening address once requests
// are accepted.
func serve(ctx context.Context, opts serveOptions, log *slog.Logger, ready func(addr string)) (err error) {
	if err := checkDataDir(opts.data); err != nil {
		return err
	}
	router, err := taskRouter(opts)
	if err != nil {
		return err
	}
	// Nested executions start children through the service, built below.
	children := nested.New()
	children.Register(router)
	var tasks interface {
		Invoke(context.Context, *engine.TaskRequest) (any, error)
	} = router
	if opts.mockConfig != "" {
		mc, err := mock.Load(opts.mockConfig)
		if err != nil {
			return err
		}
		tasks = mock.Wrap(mc, router)
	}
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.listen, err)
	}
	defer func() {
		if err != nil {
			_ = ln.Close()
		}
	}()

	st, err := sqlite.Open(ctx, opts.data, nil)
	if err != nil {
		return fmt.Errorf("data directory %s: %w", opts.data, err)
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	rt, err := runner.New(runner.Config{Store: st, Logger: log, Tasks: tasks, SkipTime: opts.skipTime})
	if err != nil {
		return fmt.Errorf("runtime: %w", err)
	}
	if err := rt.Start(ctx); err != nil {
		_ = rt.Close()
		return fmt.Errorf("start runtime: %w", err)
	}
	defer func() {
		if cerr := rt.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("stop runtime: %w", cerr)
		}
	}()
	svc, err := service.New(service.Config{Store: st, Runtime: rt, Region: opts.region, Account: opts.account, Tasks: tasks,
		Callbacks: callbacks.FromRunner(rt)})
	if err != nil {
		return err
	}
	children.Bind(svc)
	h, err := api.New(api.Config{Service: svc, Logger: log})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Long polls (GetActivityTask) answer at once when shutdown begins, so
	// that they do not hold it up for their minute.
	srv.RegisterOnShutdown(h.StopPolls)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	log.Info("stepwise serving", "addr", addr, "data", opts.data, "region", opts.region, "account", opts.account)
	if ready != nil {
		ready(addr)
	}

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("stepwise shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), opts.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// taskRouter builds the integrations Task states call, from the
// --integrations file if one is given.
func taskRouter(opts serveOptions) (*integration.Router, error) {
	cfg := &integration.Config{Region: opts.region}
	if opts.integrations != "" {
		c, err := integration.LoadConfig(opts.integrations)
		if err != nil {
			return nil, err
		}
		if c.Region == "" {
			c.Region = opts.region
		}
		cfg = c
	}
	r, err := integration.New(cfg, integration.Options{})
	if err != nil {
		return nil, fmt.Errorf("integrations: %w", err)
	}
	return r, nil
}

// checkDataDir creates the data directory if needed and checks that it is
// a writable directory, so that a bad --data fails with a clear message.
func checkDataDir(dir string) error {
	if dir == "" {
		return errors.New("data directory: empty path")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("data directory %s: not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}
