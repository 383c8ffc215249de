package awsservice

import (
	"context"
	"net/http"
	"strings"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
)

// Resources of the optimised integrations.
const (
	ResourceSQSSendMessage  = "arn:aws:states:::sqs:sendMessage"
	ResourceSNSPublish      = "arn:aws:states:::sns:publish"
	ResourceDynamoDBGetItem = "arn:aws:states:::dynamodb:getItem"
	ResourceDynamoDBPutItem = "arn:aws:states:::dynamodb:putItem"
	ResourceDynamoDBUpdate  = "arn:aws:states:::dynamodb:updateItem"
	ResourceDynamoDBDelete  = "arn:aws:states:::dynamodb:deleteItem"
	ResourceEventsPutEvents = "arn:aws:states:::events:putEvents"
	// SDKPrefix starts the resources of AWS SDK integrations:
	// SDKPrefix + "SERVICE:ACTION".
	SDKPrefix = "arn:aws:states:::aws-sdk:"
)

// waitSuffix is the callback pattern's suffix, which makes the same call.
const waitSuffix = ".waitForTaskToken"

// Options are the parts of a Handler that are not configuration.
type Options struct {
	// Client makes the HTTP calls; nil means a client of its own.
	Client *http.Client
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// Handler performs AWS service Tasks. It is safe for concurrent use.
type Handler struct {
	cfg    Config
	client *http.Client
	now    func() time.Time
	signer *v4.Signer
	// s3Signer signs S3 calls, whose paths are not escaped twice.
	s3Signer *v4.Signer
	ops      map[string]func(context.Context, *engine.TaskRequest) (any, error)
}

// New returns a Handler for cfg.
func New(cfg Config, opts Options) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = arn.DefaultRegion
	}
	if cfg.TimeoutSeconds == 0 {
		cfg.TimeoutSeconds = DefaultTimeoutSeconds
	}
	h := &Handler{cfg: cfg, client: opts.Client, now: opts.Now, signer: v4.NewSigner(),
		s3Signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })}
	if h.client == nil {
		h.client = &http.Client{}
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.ops = map[string]func(context.Context, *engine.TaskRequest) (any, error){
		ResourceSQSSendMessage:  h.sqsSendMessage,
		ResourceSNSPublish:      h.snsPublish,
		ResourceDynamoDBGetItem: h.dynamoDB("GetItem"),
		ResourceDynamoDBPutItem: h.dynamoDB("PutItem"),
		ResourceDynamoDBUpdate:  h.dynamoDB("UpdateItem"),
		ResourceDynamoDBDelete:  h.dynamoDB("DeleteItem"),
		ResourceEventsPutEvents: h.eventsPutEvents,
	}
	return h, nil
}

// Match reports whether resource (without an integration-pattern
// suffix) is one this package performs: an optimised integration above
// or any aws-sdk resource (services it cannot call fail with
// States.TaskFailed saying so).
func Match(resource string) bool {
	switch resource {
	case ResourceSQSSendMessage, ResourceSNSPublish, ResourceEventsPutEvents,
		ResourceDynamoDBGetItem, ResourceDynamoDBPutItem, ResourceDynamoDBUpdate, ResourceDynamoDBDelete:
		return true
	}
	_, _, ok := parseSDK(resource)
	return ok
}

// Invoke performs the Task t.
func (h *Handler) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	resource := strings.TrimSuffix(t.Resource, waitSuffix)
	if op, ok := h.ops[resource]; ok {
		return op(ctx, t)
	}
	if service, action, ok := parseSDK(resource); ok {
		return h.sdkCall(ctx, t, service, action)
	}
	return nil, failure.Errorf(failure.TaskFailed, "The resource '%s' is not an AWS service integration that Stepwise performs.", t.Resource)
}

// parseSDK splits an aws-sdk resource into service and action.
func parseSDK(resource string) (service, action string, ok bool) {
	rest, ok := strings.CutPrefix(resource, SDKPrefix)
	if !ok {
		return "", "", false
	}
	service, action, ok = strings.Cut(rest, ":")
	if !ok || !isName(service) || !isName(action) {
		return "", "", false
	}
	return service, action, true
}

// isName reports whether s is a non-empty ASCII alphanumeric word.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
