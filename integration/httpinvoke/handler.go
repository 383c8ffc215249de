package httpinvoke

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// Resource is the Task resource this package handles.
const Resource = "arn:aws:states:::http:invoke"

// Error names of HTTP Tasks.
const (
	// ErrSocket is the error of a call that got no response.
	ErrSocket = "States.Http.Socket"
	// ErrStatusCodePrefix + "404" is the error of a 404 response.
	ErrStatusCodePrefix = "States.Http.StatusCode."
	// ErrConnectionNotFound is the error of a ConnectionArn that names no
	// configured connection.
	ErrConnectionNotFound = "Events.ConnectionResource.ResourceNotFound"
	// ErrInvalidConnectionState is the error of a connection whose OAuth
	// token cannot be obtained (EventBridge deauthorises it).
	ErrInvalidConnectionState = "Events.ConnectionResource.InvalidConnectionState"
)

// DefaultTimeout is how long AWS lets one HTTP Task call take.
const DefaultTimeout = 60 * time.Second

// MaxResponseBytes bounds the response body read; a larger body fails the
// task with States.DataLimitExceeded (the state output limit is smaller).
const MaxResponseBytes = 1 << 20

// Options configures a Handler.
type Options struct {
	// Connections by name (the NAME of connection/NAME in a ConnectionArn).
	Connections map[string]Connection
	// Client makes the calls; nil means a client of its own. The Handler
	// never follows redirects, whatever the client's CheckRedirect says.
	Client *http.Client
	// Region appears in the User-Agent header, as AWS sends it; "" means
	// us-east-1.
	Region string
	// Timeout limits one call (the token request of an OAuth connection
	// included); 0 means DefaultTimeout.
	Timeout time.Duration
}

// Handler performs HTTP Tasks. It is safe for concurrent use.
type Handler struct {
	conns   map[string]Connection
	client  *http.Client
	ua      string
	timeout time.Duration
	tokens  tokenCache
}

// New returns a Handler, or an error naming every invalid connection.
func New(opts Options) (*Handler, error) {
	var errs []error
	for name, c := range opts.Connections {
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("connection %q: %w", name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	client := &http.Client{}
	if opts.Client != nil {
		c := *opts.Client
		client = &c
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	region := opts.Region
	if region == "" {
		region = arn.DefaultRegion
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Handler{conns: opts.Connections, client: client, ua: "Amazon|StepFunctions|HttpInvoke|" + region,
		timeout: timeout, tokens: tokenCache{m: map[string]token{}}}, nil
}

// Invoke performs the HTTP Task t (its Input is the effective Parameters).
func (h *Handler) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	c, err := decode(t.Input)
	if err != nil {
		return nil, err
	}
	conn, ok := h.conns[c.connection]
	if !ok {
		return nil, failure.Errorf(ErrConnectionNotFound,
			"The connection '%s' does not exist (no connection of that name is configured).", c.connection)
	}
	timeout := h.timeout
	taskLimited := false
	if t.TimeoutSeconds > 0 && time.Duration(t.TimeoutSeconds)*time.Second < timeout {
		timeout, taskLimited = time.Duration(t.TimeoutSeconds)*time.Second, true
	}
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := h.request(callCtx, c, c.connection, &conn)
	if err != nil {
		return nil, err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, transportError(ctx, callCtx, err, taskLimited)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, transportError(ctx, callCtx, err, taskLimited)
	}
	if len(body) > MaxResponseBytes {
		return nil, failure.Errorf(failure.DataLimitExceeded,
			"The HTTP response body is larger than %d bytes.", MaxResponseBytes)
	}
	if resp.StatusCode == http.StatusUnauthorized && conn.OAuth != nil {
		h.tokens.drop(c.connection) // fetch a fresh token next time
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// AWS keeps only the status text: the response body is dropped.
		return nil, failure.New(ErrStatusCodePrefix+strconv.Itoa(resp.StatusCode), statusText(resp))
	}
	return result(resp, body), nil
}

// request builds the HTTP request of c with the connection's parameters
// and credentials.
func (h *Handler) request(ctx context.Context, c *call, name string, conn *Connection) (*http.Request, error) {
	u := *c.endpoint
	q := u.Query()
	if c.query != nil {
		queryValues(c.query, q)
	}
	for k, v := range conn.QueryParameters {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()

	var body io.Reader
	contentType := ""
	b, hasBody := c.body, c.hasBody
	if len(conn.BodyParameters) > 0 {
		switch x := b.(type) {
		case *value.Object:
			m := x.Copy()
			for _, k := range slices.Sorted(maps.Keys(conn.BodyParameters)) {
				m.Set(k, conn.BodyParameters[k])
			}
			b = m
		case nil:
			m := value.NewObject(len(conn.BodyParameters))
			for _, k := range slices.Sorted(maps.Keys(conn.BodyParameters)) {
				m.Set(k, conn.BodyParameters[k])
			}
			b, hasBody = m, true
		}
		// A string or array body has no members to merge into.
	}
	if hasBody {
		switch x := b.(type) {
		case *value.Object:
			if c.urlEncoded {
				body, contentType = strings.NewReader(urlEncode(x, c.arrays)), "application/x-www-form-urlencoded"
				break
			}
			body, contentType = bytes.NewReader(value.Marshal(x)), "application/json; charset=UTF-8"
		case string:
			body, contentType = strings.NewReader(x), "application/json; charset=UTF-8"
		default:
			body, contentType = bytes.NewReader(value.Marshal(x)), "application/json; charset=UTF-8"
		}
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u.String(), body)
	if err != nil {
		// The error would quote the URL, which may hold secret query
		// parameters of the connection.
		return nil, failure.New(failure.Runtime, "The HTTP request could not be built from ApiEndpoint and Method.")
	}
	req.Header.Set("User-Agent", h.ua)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, hd := range c.headers {
		req.Header.Set(hd.name, hd.value)
	}
	for k, v := range conn.Headers {
		req.Header.Set(k, v)
	}
	switch {
	case conn.APIKey != nil:
		req.Header.Set(conn.APIKey.Name, conn.APIKey.Value)
	case conn.Basic != nil:
		req.SetBasicAuth(conn.Basic.Username, conn.Basic.Password)
	case conn.OAuth != nil:
		tok, err := h.tokens.get(ctx, h.client, name, conn.OAuth)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return req, nil
}

// result builds {Headers, ResponseBody, StatusCode, StatusText}.
func result(resp *http.Response, body []byte) *value.Object {
	headers := value.NewObject(len(resp.Header))
	for k, vs := range resp.Header {
		a := make([]any, len(vs))
		for i, v := range vs {
			a[i] = v
		}
		headers.Set(k, a)
	}
	headers = sortedObject(headers)
	out := value.NewObject(4)
	out.Set("Headers", headers)
	out.Set("ResponseBody", responseBody(resp.Header.Get("Content-Type"), body))
	out.Set("StatusCode", float64(resp.StatusCode))
	out.Set("StatusText", statusText(resp))
	return out
}

// statusText is the response's reason phrase, or the standard one when the
// server sent none (as HTTP/2 servers do not).
func statusText(resp *http.Response) string {
	if s := strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode))); s != "" {
		return s
	}
	return http.StatusText(resp.StatusCode)
}

// responseBody parses a JSON body; any other body is text.
func responseBody(contentType string, body []byte) any {
	media, _, _ := mime.ParseMediaType(contentType)
	if media == "application/json" || strings.HasSuffix(media, "+json") {
		if v, err := value.Parse(body); err == nil {
			return v
		}
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

func sortedObject(o *value.Object) *value.Object {
	keys := slices.Sorted(slices.Values(o.Keys()))
	s := value.NewObject(len(keys))
	for _, k := range keys {
		v, _ := o.Get(k)
		s.Set(k, v)
	}
	return s
}

// transportError names a failed call. The cause never includes the URL,
// which may carry a connection's secret query parameters.
func transportError(parent, call context.Context, err error, taskLimited bool) error {
	if parent.Err() != nil {
		return failure.Errorf(failure.TaskFailed, "The HTTP call was cancelled: %v", parent.Err())
	}
	if call.Err() != nil {
		if taskLimited {
			return failure.New(failure.Timeout, "The HTTP call did not finish within the Task's TimeoutSeconds.")
		}
		return failure.New(ErrSocket, "The HTTP call did not finish within the time limit.")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return failure.New(ErrSocket, "The HTTP call timed out.")
	}
	return failure.New(ErrSocket, "The HTTP call failed: "+err.Error())
}
