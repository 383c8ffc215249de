package api_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/service/callbacks"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/memory"
)

const (
	roleARN = "arn:aws:iam::123456789012:role/test"
	passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}}`
	waitDef = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
	failDef = `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}`
)

// waiter lets tests wait for an execution's end without sleeping.
type waiter struct {
	mu   sync.Mutex
	done map[string]chan string
}

func (w *waiter) ch(arn string) chan string {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.done[arn]
	if !ok {
		c = make(chan string, 1)
		w.done[arn] = c
	}
	return c
}

func (w *waiter) onCommit(arn, status string) {
	if status != store.StatusRunning {
		select {
		case w.ch(arn) <- status:
		default:
		}
	}
}

func (w *waiter) wait(t *testing.T, arn string) string {
	t.Helper()
	select {
	case s := <-w.ch(arn):
		return s
	case <-time.After(20 * time.Second):
		t.Fatalf("execution %s did not finish", arn)
		return ""
	}
}

// env is a server (api over service over runner over a store) and an SDK
// client talking to it.
type env struct {
	client  *sfn.Client
	url     string
	store   store.Store
	waiter  *waiter
	svc     *service.Service
	handler *api.Handler
	runner  *runner.Runner
}

type envOptions struct {
	store    store.Store
	skipTime bool
	rand     func() float64
	pollWait time.Duration
	// now is the clock of the runner and the service; nil means time.Now.
	now func() time.Time
}

func newEnv(t *testing.T, opts envOptions) *env {
	t.Helper()
	st := opts.store
	if st == nil {
		st = memory.New()
	}
	w := &waiter{done: map[string]chan string{}}
	r, err := runner.New(runner.Config{Store: st, Now: opts.now, OnCommit: w.onCommit, SkipTime: opts.skipTime, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Now: opts.now, Runtime: r, Rand: opts.rand, Callbacks: callbacks.FromRunner(r), ActivityPollWait: opts.pollWait})
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Config{Service: svc, Logger: slog.New(slog.DiscardHandler), MaxBodyBytes: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		_ = r.Close()
		_ = st.Close()
	})
	client := sfn.New(sfn.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		APIOptions:       []func(*middleware.Stack) error{noHostPrefix},
	})
	return &env{client: client, url: srv.URL, store: st, waiter: w, svc: svc, handler: h, runner: r}
}

func (e *env) createSM(t *testing.T, name, def string, mod ...func(*sfn.CreateStateMachineInput)) *sfn.CreateStateMachineOutput {
	t.Helper()
	in := &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(roleARN)}
	for _, m := range mod {
		m(in)
	}
	out, err := e.client.CreateStateMachine(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateStateMachine %s: %v", name, err)
	}
	return out
}

// noHostPrefix stops the SDK from prefixing the endpoint's host name
// ("sync-" for StartSyncExecution), which a local endpoint cannot resolve.
func noHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("noHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}
