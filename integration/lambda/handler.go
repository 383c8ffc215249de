package lambda

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// ResourceInvoke is the optimised integration's resource.
const ResourceInvoke = "arn:aws:states:::lambda:invoke"

// DefaultTimeoutSeconds bounds a call whose Task sets no TimeoutSeconds.
const DefaultTimeoutSeconds = 900

// Invocation types.
const (
	RequestResponse = "RequestResponse"
	Event           = "Event"
	DryRun          = "DryRun"
)

// Handler invokes functions for Lambda Tasks. It is safe for concurrent use.
type Handler struct {
	cfg    Config
	client *http.Client
}

// New returns a Handler for cfg. The client makes HTTP calls (endpoint and
// URL functions); nil means a client of its own.
func New(cfg Config, client *http.Client) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = arn.DefaultRegion
	}
	if cfg.Account == "" {
		cfg.Account = arn.DefaultAccount
	}
	if cfg.TimeoutSeconds == 0 {
		cfg.TimeoutSeconds = DefaultTimeoutSeconds
	}
	cfg.Endpoint = strings.TrimSuffix(cfg.Endpoint, "/")
	if client == nil {
		client = &http.Client{}
	}
	return &Handler{cfg: cfg, client: client}, nil
}

// IsFunctionARN reports whether resource is a Lambda function ARN, the
// legacy Task resource form.
func IsFunctionARN(resource string) bool {
	if !strings.HasPrefix(resource, "arn:") {
		return false
	}
	_, ok := parseFunction(resource)
	return ok
}

// Invoke runs the Lambda Task t: ResourceInvoke, or a function ARN.
func (h *Handler) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	if t.Resource == ResourceInvoke {
		return h.invokeOptimised(ctx, t)
	}
	fn, ok := parseFunction(t.Resource)
	if !ok || !strings.HasPrefix(t.Resource, "arn:") {
		return nil, failure.Errorf(failure.TaskFailed, "The resource '%s' is not a Lambda function ARN.", t.Resource)
	}
	in := &invocation{fn: fn, payload: value.Marshal(t.Input), invocationType: RequestResponse}
	resp, err := h.call(ctx, t, in)
	if err != nil {
		return nil, err
	}
	return resp.value, nil
}

// invocation is one call of a function.
type invocation struct {
	fn             function
	payload        []byte
	invocationType string
	clientContext  string
	logType        string
}

func (h *Handler) invokeOptimised(ctx context.Context, t *engine.TaskRequest) (any, error) {
	r := taskparams.New(t.Input)
	r.Allow("FunctionName", "Payload", "Qualifier", "InvocationType", "ClientContext", "LogType")
	name := r.String("FunctionName", true)
	qualifier := r.String("Qualifier", false)
	in := &invocation{invocationType: RequestResponse}
	if s := r.String("InvocationType", false); s != "" {
		if s != RequestResponse && s != Event && s != DryRun {
			r.Problem("The value for the field 'InvocationType' must be one of RequestResponse, Event, DryRun")
		}
		in.invocationType = s
	}
	in.clientContext = r.String("ClientContext", false)
	if s := r.String("LogType", false); s != "" {
		if s != "None" && s != "Tail" {
			r.Problem("The value for the field 'LogType' must be one of None, Tail")
		}
		in.logType = s
	}
	payload, _ := r.Value("Payload")
	in.payload = payloadBytes(payload)
	if err := r.Err(); err != nil {
		return nil, err
	}
	fn, ok := parseFunction(name)
	if !ok {
		return nil, serviceError(400, "ValidationException", "1 validation error detected: Value '"+name+
			"' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "+
			"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", "")
	}
	if qualifier != "" {
		if fn.qualifier != "" && fn.qualifier != qualifier {
			return nil, serviceError(400, "InvalidParameterValueException",
				"The derived qualifier from the function name does not match the specified qualifier.", "")
		}
		if !validQualifier(qualifier) {
			return nil, serviceError(400, "ValidationException", "1 validation error detected: Value '"+qualifier+
				"' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)", "")
		}
		fn.qualifier = qualifier
	}
	in.fn = fn
	resp, err := h.call(ctx, t, in)
	if err != nil {
		return nil, err
	}
	out := value.NewObject(6)
	out.Set("ExecutedVersion", resp.executedVersion)
	if resp.logResult != "" {
		out.Set("LogResult", resp.logResult)
	}
	out.Set("Payload", resp.value)
	if resp.header != nil {
		out.Set("SdkHttpMetadata", httpMetadata(resp.header, resp.status))
		meta := value.NewObject(1)
		meta.Set("RequestId", resp.requestID)
		out.Set("SdkResponseMetadata", meta)
	}
	out.Set("StatusCode", float64(resp.status))
	return out, nil
}

// payloadBytes renders the Payload parameter as Step Functions sends it:
// none or null is {}, a string holding JSON is sent as that JSON, any
// other value as its JSON text.
func payloadBytes(v any) []byte {
	switch x := v.(type) {
	case nil:
		return []byte("{}")
	case string:
		if _, err := value.ParseString(x); err == nil {
			return []byte(x)
		}
	}
	return value.Marshal(v)
}

// response is the outcome of a successful (not failed) invocation.
type response struct {
	status          int
	header          http.Header // nil for command functions
	value           any         // the payload, parsed when it is JSON
	requestID       string
	executedVersion string
	logResult       string
}

// call runs the invocation where the configuration says, within the
// task's time limit.
func (h *Handler) call(ctx context.Context, t *engine.TaskRequest, in *invocation) (*response, error) {
	limit := time.Duration(h.cfg.TimeoutSeconds) * time.Second
	taskLimited := false
	if t.TimeoutSeconds > 0 && time.Duration(t.TimeoutSeconds)*time.Second <= limit {
		limit, taskLimited = time.Duration(t.TimeoutSeconds)*time.Second, true
	}
	callCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	resp, err := h.dispatch(callCtx, t, in)
	if err != nil && callCtx.Err() != nil {
		switch {
		case ctx.Err() != nil:
			return nil, failure.Errorf(failure.TaskFailed, "The Lambda invocation was cancelled: %v", ctx.Err())
		case taskLimited:
			return nil, failure.New(failure.Timeout, "The Lambda invocation did not finish within the Task's TimeoutSeconds.")
		default:
			return nil, failure.Errorf(failure.Timeout, "The Lambda invocation did not finish within %d seconds.", h.cfg.TimeoutSeconds)
		}
	}
	return resp, err
}

func (h *Handler) dispatch(ctx context.Context, t *engine.TaskRequest, in *invocation) (*response, error) {
	f, ok := h.cfg.Functions[in.fn.name+":"+in.fn.qualifier]
	if !ok {
		f, ok = h.cfg.Functions[in.fn.name]
	}
	switch {
	case ok && f.Command != "":
		return h.runCommand(ctx, t, in, f)
	case ok:
		return h.postURL(ctx, in, f.URL)
	case h.cfg.Endpoint != "":
		return h.postEndpoint(ctx, in)
	}
	return nil, serviceError(404, "ResourceNotFoundException", "Function not found: "+in.fn.arn(h.cfg.Region, h.cfg.Account), "")
}

// httpMetadata renders SdkHttpMetadata: AllHttpHeaders (name → values),
// HttpHeaders (name → first value) and HttpStatusCode.
func httpMetadata(h http.Header, status int) *value.Object {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sortStrings(names)
	all, first := value.NewObject(len(names)), value.NewObject(len(names))
	for _, k := range names {
		vs := make([]any, len(h[k]))
		for i, v := range h[k] {
			vs[i] = v
		}
		all.Set(k, vs)
		first.Set(k, h[k][0])
	}
	m := value.NewObject(3)
	m.Set("AllHttpHeaders", all)
	m.Set("HttpHeaders", first)
	m.Set("HttpStatusCode", float64(status))
	return m
}
