package awsservice

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// stubReply is the answer a stub service gives.
type stubReply struct {
	status int
	header map[string]string
	body   string
}

// seenRequest is what a stub service received.
type seenRequest struct {
	method string
	host   string // the Host header
	path   string // as sent, escaped
	query  url.Values
	header http.Header
	body   string
	form   url.Values // the body's form, for form-encoded requests
	// service and region are the SigV4 scope's; err is set when the
	// signature did not verify.
	service, region string
	err             error
}

// stub is a loopback service that checks each request's SigV4 signature
// (verifySigV4), records it and gives one canned answer.
type stub struct {
	srv   *httptest.Server
	reply stubReply

	mu   sync.Mutex
	seen []*seenRequest
}

// newStub starts a stub answering with reply; it closes when t ends.
func newStub(t testing.TB, reply stubReply) *stub {
	s := &stub{reply: reply}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	seen := &seenRequest{method: r.Method, host: r.Host, path: r.URL.EscapedPath(), query: r.URL.Query(), header: r.Header, body: string(body)}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		seen.form, _ = url.ParseQuery(string(body))
	}
	seen.service, seen.region, seen.err = verifySigV4(r, body, testCreds.SecretAccessKey)
	s.mu.Lock()
	s.seen = append(s.seen, seen)
	s.mu.Unlock()
	if seen.err != nil {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>`+seen.err.Error()+`</Message></Error></ErrorResponse>`)
		return
	}
	for k, v := range s.reply.header {
		w.Header()[k] = []string{v}
	}
	status := s.reply.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, s.reply.body)
}

// last returns the last request the stub received.
func (s *stub) last(t *testing.T) *seenRequest {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.seen) == 0 {
		t.Fatal("the service received no request")
	}
	r := s.seen[len(s.seen)-1]
	if r.err != nil {
		t.Fatalf("signature: %v", r.err)
	}
	return r
}

// handler returns a Handler sending the named services to the stub.
func (s *stub) handler(t *testing.T, names ...string) *Handler {
	t.Helper()
	eps := map[string]string{}
	for _, n := range names {
		eps[n] = s.srv.URL
	}
	return newHandler(t, Config{Region: testRegion, Credentials: testCreds, Endpoints: eps})
}
