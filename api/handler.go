package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/google/uuid"
	"github.com/stepwise-run/stepwise/service"
)

// TargetPrefix is the prefix of X-Amz-Target for Step Functions actions.
const TargetPrefix = "AWSStepFunctions."

// ContentType is the content type of requests and responses.
const ContentType = "application/x-amz-json-1.0"

// DefaultMaxBodyBytes is the default request body limit: a 1 MiB
// definition, JSON-escaped, with room to spare.
const DefaultMaxBodyBytes = 8 << 20

// Config configures a Handler.
type Config struct {
	// Service performs the actions. Required.
	Service *service.Service
	// Logger receives request failures; nil means slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// NewRequestID returns the x-amzn-RequestId of a response; nil means a
	// random UUID.
	NewRequestID func() string
}

// Handler serves the Step Functions API and /healthz.
type Handler struct {
	actions map[string]action
	log     *slog.Logger
	maxBody int64
	newID   func() string
	mux     *http.ServeMux

	// polls ends long polls (GetActivityTask) when StopPolls is called.
	polls     context.Context
	stopPolls context.CancelFunc
}

// New returns a Handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Service == nil {
		return nil, errors.New("api: a service is required")
	}
	h := &Handler{
		actions: actions(cfg.Service),
		log:     cfg.Logger,
		maxBody: cfg.MaxBodyBytes,
		newID:   cfg.NewRequestID,
		mux:     http.NewServeMux(),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.newID == nil {
		h.newID = uuid.NewString
	}
	h.polls, h.stopPolls = context.WithCancel(context.Background())
	h.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok")
	})
	h.mux.HandleFunc("POST /", h.serveAction)
	return h, nil
}

// ServeHTTP routes a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// StopPolls ends the long polls in flight and those that start later:
// they answer at once, without a task, as when their wait runs out. A
// server calls it when it begins a graceful shutdown (see
// http.Server.RegisterOnShutdown), so that polls do not hold it up.
func (h *Handler) StopPolls() { h.stopPolls() }

// longPolls are the actions that may wait for a minute.
var longPolls = map[string]bool{"GetActivityTask": true}

// Actions returns the names of the actions the handler implements.
func (h *Handler) Actions() []string {
	names := make([]string, 0, len(h.actions))
	for n := range h.actions {
		names = append(names, n)
	}
	return names
}

// serveAction runs the action named by X-Amz-Target.
func (h *Handler) serveAction(w http.ResponseWriter, r *http.Request) {
	reqID := h.newID()
	w.Header().Set("x-amzn-RequestId", reqID)
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, TargetPrefix)
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("api: panic in action", "action", name, "requestId", reqID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			h.writeError(w, protocolError(CodeInternalFailure, "An internal error occurred"))
		}
	}()
	if target == "" {
		h.writeError(w, protocolError(CodeUnknownOperation, "Missing X-Amz-Target header: the action to perform"))
		return
	}
	act := h.actions[name]
	if !ok || act == nil {
		msg := fmt.Sprintf("Operation %s is not recognized", target)
		if ok && unsupported[name] {
			msg = fmt.Sprintf("Operation %s is not supported by this server yet", name)
		}
		h.writeError(w, protocolError(CodeUnknownOperation, msg))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.writeError(w, protocolError(CodeRequestEntityTooLarge, fmt.Sprintf("Request body exceeds the limit of %d bytes", h.maxBody)))
			return
		}
		h.writeError(w, protocolError(CodeSerialization, "Could not read the request body"))
		return
	}
	ctx := r.Context()
	if longPolls[name] {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(h.polls, cancel)()
	}
	out, err := act(ctx, body)
	if err != nil {
		var se *service.Error
		if !errors.As(err, &se) && !errors.Is(err, context.Canceled) {
			h.log.Error("api: action failed", "action", name, "requestId", reqID, "err", err)
		}
		h.writeError(w, err)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		h.log.Error("api: encode response", "action", name, "requestId", reqID, "err", err)
		h.writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (h *Handler) writeError(w http.ResponseWriter, err error) {
	status, body := encodeError(err)
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
