package service

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/teststate"
)

// ErrNotRedrivable is wrapped by a Runtime's RedriveExecution error when the
// execution cannot be redriven; the text after it is the reason.
var ErrNotRedrivable = errors.New("execution not redrivable")

// Config configures a Service.
type Config struct {
	// Store keeps state machines, executions and history. Required.
	Store store.Store
	// Runtime runs executions. Required for the execution actions; without
	// it they fail with an internal error.
	Runtime Runtime
	// Region and Account form ARNs; empty means us-east-1 and
	// 123456789012.
	Region, Account string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand picks an alias's version by weight: a number in [0, 1). Nil
	// means a math/rand/v2 source.
	Rand func() float64
	// NewID returns a fresh UUID (execution names, revision ids); nil means
	// github.com/google/uuid.
	NewID func() string
	// Tasks runs the Task states TestState runs without a mock; nil fails
	// them. (Executions run their tasks through the Runtime.)
	Tasks teststate.TaskHandler
	// Callbacks serves GetActivityTask and the SendTask* actions; nil makes
	// them fail as internal errors.
	Callbacks TaskCallbacks
	// ActivityPollWait is how long GetActivityTask waits for a task; 0
	// means DefaultActivityPollWait (60 s, as on AWS).
	ActivityPollWait time.Duration
}

// Service implements the Step Functions API over a store and a runtime. It
// is safe for concurrent use.
type Service struct {
	store   store.Store
	runtime Runtime
	arns    arn.Builder
	now     func() time.Time
	rand    func() float64
	newID   func() string
	tasks   teststate.TaskHandler

	callbacks TaskCallbacks
	pollWait  time.Duration

	// skipTime caches, per state machine ARN, whether it carries the
	// SkipTimeTag, so that StartExecution does not read its tags every
	// time; tag changes and deletion forget the entry.
	skipTime sync.Map

	// machines and activities cache records for StartExecution and
	// GetActivityTask.
	machines   recordCache[store.StateMachine]
	activities recordCache[store.Activity]

	// mu serialises the read-check-write steps that the store does not make
	// atomic on its own (alias routing checks against version deletion,
	// idempotent creation).
	mu sync.Mutex

	// deleteMu serialises the finishing of state machine deletions (see
	// finishDeletion). It may be taken while holding mu, never the reverse.
	deleteMu sync.Mutex

	// redriveLocks serialise RedriveExecution per execution (striped by
	// ARN), so that a client token is recorded before its retry looks.
	redriveLocks [redriveLockCount]sync.Mutex
}

// New returns a Service for cfg.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("service: a store is required")
	}
	s := &Service{
		store:   cfg.Store,
		runtime: cfg.Runtime,
		arns:    arn.NewBuilder(cfg.Region, cfg.Account),
		now:     cfg.Now,
		rand:    cfg.Rand,
		newID:   cfg.NewID,
		tasks:   cfg.Tasks,

		callbacks: cfg.Callbacks,
		pollWait:  cfg.ActivityPollWait,
	}
	if s.pollWait <= 0 {
		s.pollWait = DefaultActivityPollWait
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Float64
	}
	if s.newID == nil {
		s.newID = uuid.NewString
	}
	return s, nil
}

// ARNs returns the builder the service forms ARNs with.
func (s *Service) ARNs() arn.Builder { return s.arns }

// clock returns the current time in UTC, truncated to milliseconds (the
// precision of the wire format).
func (s *Service) clock() time.Time {
	return s.now().UTC().Truncate(time.Millisecond)
}

func (s *Service) needRuntime() error {
	if s.runtime == nil {
		return errors.New("service: no runtime configured")
	}
	return nil
}

// internal wraps an unexpected store or runtime failure.
func internal(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return fmt.Errorf("%s: %w", op, err)
}

// parseARN parses s as one of kinds; a missing value is a validation error
// for member, a malformed one InvalidArn.
func parseARN(s, member string, kinds ...arn.Kind) (arn.ARN, error) {
	if s == "" {
		return arn.ARN{}, validationNull(member)
	}
	a, err := arn.ParseKind(s, kinds...)
	if err != nil {
		var ae *arn.Error
		if errors.As(err, &ae) {
			return arn.ARN{}, invalidArn(ae.Reason)
		}
		return arn.ARN{}, invalidArn(s)
	}
	return a, nil
}

// checkLength reports a validation error when s is longer than max
// characters (AWS's "Member must have length less than or equal to").
func checkLength(s, member string, max int) error {
	if len([]rune(s)) > max {
		return validation(s, member, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
	return nil
}

// pageLimit checks maxResults (0–1000) and returns the store's limit.
func pageLimit(maxResults int) (int, error) {
	if maxResults < 0 || maxResults > 1000 {
		return 0, validation(fmt.Sprint(maxResults), "maxResults", "Member must have value less than or equal to 1000")
	}
	return maxResults, nil
}

// checkToken validates a nextToken's length as AWS does (1–1024).
func checkToken(tok string) error {
	if len(tok) > 1024 {
		return validation(tok, "nextToken", "Member must have length less than or equal to 1024")
	}
	return nil
}

// storeListError maps a store listing error: a bad token is InvalidToken.
func storeListError(op string, err error) error {
	if errors.Is(err, store.ErrInvalidToken) {
		return invalidToken("Invalid token")
	}
	return internal(op, err)
}
