package integration

import (
	"context"
	"net/http"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/awsservice"
	"github.com/stepwise-run/stepwise/integration/httpinvoke"
	"github.com/stepwise-run/stepwise/integration/lambda"
)

// Handler performs the work of Task states. It has the method set of both
// local.Handler and runner.TaskHandler.
type Handler interface {
	Invoke(ctx context.Context, t *engine.TaskRequest) (any, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, t *engine.TaskRequest) (any, error)

// Invoke calls f.
func (f HandlerFunc) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	return f(ctx, t)
}

// Router is a Handler that passes each task to the handler of its
// resource: an exact resource ARN first, then the first matching family
// in the order they were added. A resource with an integration-pattern
// suffix (.waitForTaskToken, .sync, .sync:2) that no exact entry names
// fails with States.TaskFailed; any other unknown resource fails with
// States.Runtime and AWS's message for a resource it does not recognise.
// A Router never succeeds without a handler doing the work.
//
// Register handlers before the Router is used; Invoke is then safe for
// concurrent use.
type Router struct {
	exact    map[string]Handler
	families []family
}

type family struct {
	match func(resource string) bool
	h     Handler
}

// NewRouter returns a Router with no handlers.
func NewRouter() *Router { return &Router{exact: map[string]Handler{}} }

// Handle sends tasks whose Resource is exactly resource to h.
func (r *Router) Handle(resource string, h Handler) { r.exact[resource] = h }

// HandleMatch sends tasks whose Resource satisfies match to h.
func (r *Router) HandleMatch(match func(resource string) bool, h Handler) {
	r.families = append(r.families, family{match, h})
}

// Lookup returns the handler of resource, if any.
func (r *Router) Lookup(resource string) (Handler, bool) {
	if h, ok := r.exact[resource]; ok {
		return h, true
	}
	if patternSuffix(resource) != "" {
		return nil, false
	}
	for _, f := range r.families {
		if f.match(resource) {
			return f.h, true
		}
	}
	return nil, false
}

// Invoke passes t to the handler of t.Resource.
func (r *Router) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	if h, ok := r.Lookup(t.Resource); ok {
		return h.Invoke(ctx, t)
	}
	if s := patternSuffix(t.Resource); s == ".waitForTaskToken" {
		// The call is the request-response call of the base resource; the
		// engine then waits for SendTaskSuccess/Failure with the token.
		if h, ok := r.Lookup(strings.TrimSuffix(t.Resource, s)); ok {
			return h.Invoke(ctx, t)
		}
	}
	if s := patternSuffix(t.Resource); s != "" {
		return nil, failure.Errorf(failure.TaskFailed,
			"The integration pattern '%s' of the resource '%s' is not supported yet: Stepwise runs only the request-response form of service integrations.",
			s, t.Resource)
	}
	return nil, failure.Errorf(failure.Runtime,
		"The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
		t.Resource)
}

// patternSuffix returns the integration-pattern suffix of a service
// integration resource, or "".
func patternSuffix(resource string) string {
	if !strings.HasPrefix(resource, "arn:") {
		return ""
	}
	for _, s := range []string{".waitForTaskToken", ".sync:2", ".sync"} {
		if strings.HasSuffix(resource, s) {
			return s
		}
	}
	return ""
}

// Options are the parts of a Router that are not configuration.
type Options struct {
	// Client makes the outbound HTTP calls; nil means a default client.
	// Every call is still bounded by the integration's own time limits.
	Client *http.Client
}

// New returns a Router for cfg with every integration of this module:
// HTTP Tasks (httpinvoke.Resource), lambda:invoke (lambda.ResourceInvoke)
// and Lambda function ARNs; and, when the configuration has an "aws"
// section, the AWS service integrations of package awsservice (see
// awsservice.Match).
func New(cfg *Config, opts Options) (*Router, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hh, err := httpinvoke.New(httpinvoke.Options{Connections: cfg.Connections, Client: opts.Client, Region: cfg.Region})
	if err != nil {
		return nil, err
	}
	lc := cfg.Lambda
	if lc.Region == "" {
		lc.Region = cfg.Region
	}
	lh, err := lambda.New(lc, opts.Client)
	if err != nil {
		return nil, err
	}
	r := NewRouter()
	r.Handle(httpinvoke.Resource, hh)
	r.Handle(lambda.ResourceInvoke, lh)
	r.HandleMatch(lambda.IsFunctionARN, lh)
	if cfg.AWS != nil {
		ac := *cfg.AWS
		if ac.Region == "" {
			ac.Region = cfg.Region
		}
		ah, err := awsservice.New(ac, awsservice.Options{Client: opts.Client})
		if err != nil {
			return nil, err
		}
		r.HandleMatch(awsservice.Match, ah)
	}
	return r, nil
}
