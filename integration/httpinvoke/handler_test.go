package httpinvoke

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

const (
	secretKey      = "sk_live_SECRET_KEY"
	secretPassword = "p4ss-SECRET"
	secretClient   = "client-SECRET"
	secretToken    = "tok-SECRET"
	secretQuery    = "q-SECRET"
)

// echo answers with a JSON description of the request it got.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	o := value.NewObject(8)
	o.Set("method", r.Method)
	o.Set("path", r.URL.Path)
	o.Set("query", r.URL.RawQuery)
	o.Set("contentType", r.Header.Get("Content-Type"))
	o.Set("authorization", r.Header.Get("Authorization"))
	o.Set("apiKey", r.Header.Get("X-Api-Key"))
	o.Set("custom", r.Header.Get("X-Custom"))
	o.Set("userAgent", r.Header.Get("User-Agent"))
	o.Set("body", string(body))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Reply", "yes")
	status := http.StatusOK
	if s := r.URL.Query().Get("status"); s != "" {
		fmt.Sscan(s, &status)
	}
	w.WriteHeader(status)
	w.Write(value.Marshal(o))
}

func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func newHandler(t *testing.T, conns map[string]Connection) *Handler {
	t.Helper()
	h, err := New(Options{Connections: conns, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func task(params string) *engine.TaskRequest {
	return &engine.TaskRequest{Resource: Resource, StateName: "Call", Input: value.MustParse(params)}
}

func get(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, p := range path {
		o, ok := v.(*value.Object)
		if !ok {
			t.Fatalf("%v: not an object at %q", value.String(v), p)
		}
		v, _ = o.Get(p)
	}
	return v
}

func connARN(name string) string {
	return "arn:aws:events:us-east-1:123456789012:connection/" + name + "/0f9c7d35-1111-2222-3333-444455556666"
}

func TestInvokeRequests(t *testing.T) {
	srv := newServer(t, echo)
	h := newHandler(t, map[string]Connection{
		"key":   {APIKey: &APIKey{Name: "X-Api-Key", Value: secretKey}},
		"basic": {Basic: &Basic{Username: "ann", Password: secretPassword}},
		"extra": {APIKey: &APIKey{Name: "X-Api-Key", Value: secretKey},
			Headers: map[string]string{"X-Custom": "from-connection"}, QueryParameters: map[string]string{"token": secretQuery, "page": "9"},
			BodyParameters: map[string]string{"b": "conn"}},
		"none": {},
	})
	auth := func(name string) string { return `"Authentication":{"ConnectionArn":"` + connARN(name) + `"}` }
	tests := []struct {
		name   string
		params string
		want   map[string]string // echo field → value
	}{
		{"GET with query and header",
			`{"ApiEndpoint":"` + srv.URL + `/v1/customers?x=1","Method":"GET",` + auth("key") + `,"QueryParameters":{"limit":10,"tag":["a","b"]},"Headers":{"X-Custom":"c"}}`,
			map[string]string{"method": "GET", "path": "/v1/customers", "query": "limit=10&tag=a&tag=b&x=1", "apiKey": secretKey, "custom": "c",
				"userAgent": "Amazon|StepFunctions|HttpInvoke|eu-west-1", "body": "", "contentType": ""}},
		{"POST JSON body",
			`{"ApiEndpoint":"` + srv.URL + `/p","Method":"post",` + auth("basic") + `,"RequestBody":{"z":1,"a":[true,null]}}`,
			map[string]string{"method": "POST", "body": `{"z":1,"a":[true,null]}`, "contentType": "application/json; charset=UTF-8",
				"authorization": "Basic YW5uOnA0c3MtU0VDUkVU"}},
		{"string body sent as is",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"PUT",` + auth("none") + `,"RequestBody":"plain text","Headers":{"Content-Type":"text/plain"}}`,
			map[string]string{"method": "PUT", "body": "plain text", "contentType": "text/plain"}},
		{"connection parameters win",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"POST",` + auth("extra") + `,"Headers":{"X-Custom":"task"},"QueryParameters":{"page":1},"RequestBody":{"b":"task","c":2}}`,
			map[string]string{"custom": "from-connection", "query": "page=9&token=" + secretQuery, "body": `{"b":"conn","c":2}`}},
		{"connection body without task body",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"POST",` + auth("extra") + `}`,
			map[string]string{"body": `{"b":"conn"}`}},
		{"URL encoded, default INDICES",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"POST",` + auth("none") + `,"RequestBody":{"a":["x","y"],"o":{"k":"v w"}},"Transform":{"RequestBodyEncoding":"URL_ENCODED"}}`,
			map[string]string{"body": "a%5B0%5D=x&a%5B1%5D=y&o%5Bk%5D=v+w", "contentType": "application/x-www-form-urlencoded"}},
		{"URL encoded, REPEAT",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"POST",` + auth("none") + `,"RequestBody":{"a":["x","y"],"n":1.5},"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"REPEAT"}}}`,
			map[string]string{"body": "a=x&a=y&n=1.5"}},
		{"URL encoded, COMMAS",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"POST",` + auth("none") + `,"RequestBody":{"a":["x","y",3]},"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"COMMAS"}}}`,
			map[string]string{"body": "a=x%2Cy%2C3"}},
		{"URL encoded, BRACKETS",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"POST",` + auth("none") + `,"RequestBody":{"a":["x","y"]},"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"BRACKETS"}}}`,
			map[string]string{"body": "a%5B%5D=x&a%5B%5D=y"}},
		{"InvocationConfig names the connection",
			`{"ApiEndpoint":"` + srv.URL + `","Method":"GET","InvocationConfig":{"ConnectionArn":"` + connARN("key") + `"}}`,
			map[string]string{"apiKey": secretKey}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.Invoke(context.Background(), task(tc.params))
			if err != nil {
				t.Fatal(err)
			}
			if got := get(t, out, "StatusCode"); got != 200.0 {
				t.Errorf("StatusCode = %v", got)
			}
			if got := get(t, out, "StatusText"); got != "OK" {
				t.Errorf("StatusText = %v", got)
			}
			if got := value.String(get(t, out, "Headers", "X-Reply")); got != `["yes"]` {
				t.Errorf("Headers.X-Reply = %s", got)
			}
			if keys := out.(*value.Object).Keys(); strings.Join(keys, ",") != "Headers,ResponseBody,StatusCode,StatusText" {
				t.Errorf("keys = %v", keys)
			}
			for k, want := range tc.want {
				if got := get(t, out, "ResponseBody", k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestInvokeResponses(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/text":
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, `{"not":"parsed"}`)
		case "/badjson":
			w.Header().Set("Content-Type", "application/problem+json")
			io.WriteString(w, `{oops`)
		case "/missing":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"no such customer"}`)
		case "/teapot":
			// A custom reason phrase needs a hijacked connection.
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 418 Short and stout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			buf.Flush()
			conn.Close()
		case "/redirect":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/big":
			w.Write(make([]byte, MaxResponseBytes+10))
		}
	})
	h := newHandler(t, map[string]Connection{"c": {APIKey: &APIKey{Name: "X-Api-Key", Value: secretKey}}})
	call := func(path string) (any, error) {
		return h.Invoke(context.Background(), task(`{"ApiEndpoint":"`+srv.URL+path+`","Method":"GET","Authentication":{"ConnectionArn":"`+connARN("c")+`"}}`))
	}
	tests := []struct {
		path      string
		wantErr   string
		wantBody  string // JSON of ResponseBody (success) or a fragment of the cause
		wantState float64
	}{
		{"/text", "", `"{\"not\":\"parsed\"}"`, 200},
		{"/badjson", "", `"{oops"`, 200},
		{"/empty", "", `""`, 204},
		{"/missing", "States.Http.StatusCode.404", "Not Found", 0},
		{"/redirect", "States.Http.StatusCode.302", "Found", 0},
		{"/teapot", "States.Http.StatusCode.418", "Short and stout", 0},
		{"/big", failure.DataLimitExceeded, "larger than", 0},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			out, err := call(tc.path)
			if tc.wantErr != "" {
				var fe *failure.Error
				if !errors.As(err, &fe) || fe.Name != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				if strings.HasPrefix(tc.wantErr, ErrStatusCodePrefix) && fe.Cause != tc.wantBody {
					t.Errorf("cause = %q, want the status text %q", fe.Cause, tc.wantBody)
				}
				if !strings.Contains(fe.Cause, tc.wantBody) {
					t.Errorf("cause %s lacks %s", fe.Cause, tc.wantBody)
				}
				if strings.Contains(fe.Cause, secretKey) {
					t.Error("cause leaks the API key")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := value.String(get(t, out, "ResponseBody")); got != tc.wantBody {
				t.Errorf("ResponseBody = %s, want %s", got, tc.wantBody)
			}
			if got := get(t, out, "StatusCode"); got != tc.wantState {
				t.Errorf("StatusCode = %v", got)
			}
		})
	}
}

func TestOAuth(t *testing.T) {
	var tokenCalls, apiCalls atomic.Int32
	tokens := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		tokenCalls.Add(1)
		id, secret, _ := r.BasicAuth()
		r.ParseForm()
		if id != "app" || secret != secretClient || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("audience") != "api" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"`+secretToken+`","token_type":"Bearer","expires_in":3600}`)
	})
	api := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		apiCalls.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+secretToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	})
	good := Connection{OAuth: &OAuth{TokenURL: tokens.URL, ClientID: "app", ClientSecret: secretClient, BodyParameters: map[string]string{"audience": "api"}}}
	bad := Connection{OAuth: &OAuth{TokenURL: tokens.URL, ClientID: "app", ClientSecret: "wrong-SECRET"}}
	h := newHandler(t, map[string]Connection{"good": good, "bad": bad})
	params := func(name string) string {
		return `{"ApiEndpoint":"` + api.URL + `","Method":"GET","Authentication":{"ConnectionArn":"` + connARN(name) + `"}}`
	}
	for i := 0; i < 2; i++ {
		out, err := h.Invoke(context.Background(), task(params("good")))
		if err != nil {
			t.Fatal(err)
		}
		if got := value.String(get(t, out, "ResponseBody")); got != `{"ok":true}` {
			t.Fatalf("ResponseBody = %s", got)
		}
	}
	if n := tokenCalls.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1 (cached)", n)
	}
	_, err := h.Invoke(context.Background(), task(params("bad")))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != ErrInvalidConnectionState {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(fe.Cause, "wrong-SECRET") || strings.Contains(fe.Cause, secretClient) {
		t.Errorf("cause leaks a secret: %s", fe.Cause)
	}
	if apiCalls.Load() != 2 {
		t.Errorf("api calls = %d, want 2", apiCalls.Load())
	}
}

func TestSocketErrors(t *testing.T) {
	closed := httptest.NewServer(http.HandlerFunc(echo))
	closedURL := closed.URL
	closed.Close()
	hang := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	conns := map[string]Connection{"c": {QueryParameters: map[string]string{"key": secretQuery}}}
	fast, err := New(Options{Connections: conns, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		url     string
		timeout int64
		wantErr string
	}{
		{"refused", closedURL, 0, ErrSocket},
		{"time limit", hang.URL, 0, ErrSocket},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := task(`{"ApiEndpoint":"` + tc.url + `/x","Method":"GET","Authentication":{"ConnectionArn":"` + connARN("c") + `"}}`)
			tr.TimeoutSeconds = tc.timeout
			_, err := fast.Invoke(context.Background(), tr)
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Name != tc.wantErr {
				t.Fatalf("err = %v, want %s", err, tc.wantErr)
			}
			if strings.Contains(fe.Cause, secretQuery) {
				t.Errorf("cause leaks the connection's query parameter: %s", fe.Cause)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := fast.Invoke(ctx, task(`{"ApiEndpoint":"`+hang.URL+`","Method":"GET","Authentication":{"ConnectionArn":"`+connARN("c")+`"}}`))
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != failure.TaskFailed {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestBadParameters(t *testing.T) {
	h := newHandler(t, map[string]Connection{"c": {}})
	a := `"Authentication":{"ConnectionArn":"` + connARN("c") + `"}`
	tests := []struct {
		name, params, wantErr, wantCause string
	}{
		{"not an object", `[1]`, failure.Runtime, "must be a JSON object"},
		{"missing endpoint", `{"Method":"GET",` + a + `}`, failure.Runtime, "The field 'ApiEndpoint' is required"},
		{"endpoint not a string", `{"ApiEndpoint":1,"Method":"GET",` + a + `}`, failure.Runtime, "'ApiEndpoint' must be a STRING"},
		{"ftp endpoint", `{"ApiEndpoint":"ftp://x","Method":"GET",` + a + `}`, failure.Runtime, "must be an https URL"},
		{"bad method", `{"ApiEndpoint":"https://x","Method":"TRACE",` + a + `}`, failure.Runtime, "'Method' must be one of"},
		{"no authentication", `{"ApiEndpoint":"https://x","Method":"GET"}`, failure.Runtime, "'Authentication' is required"},
		{"bad connection ARN", `{"ApiEndpoint":"https://x","Method":"GET","Authentication":{"ConnectionArn":"arn:aws:s3:::b"}}`, failure.Runtime, "EventBridge connection ARN"},
		{"unknown field", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"Foo":1}`, failure.Runtime, "The field 'Foo' is not supported by Step Functions"},
		{"reserved header", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"Headers":{"Host":"evil"}}`, failure.Runtime, "'Host' is reserved"},
		{"authorization header", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"Headers":{"Authorization":"Bearer t"}}`, failure.Runtime, "'Authorization' is reserved"},
		{"x-amz header", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"Headers":{"X-Amz-Date":"1"}}`, failure.Runtime, "reserved"},
		{"header object", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"Headers":{"A":{}}}`, failure.Runtime, "must be a string, number or boolean"},
		{"header newline", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"Headers":{"A":"x\r\nB: y"}}`, failure.Runtime, "line breaks"},
		{"query object", `{"ApiEndpoint":"https://x","Method":"GET",` + a + `,"QueryParameters":{"q":{"a":1}}}`, failure.Runtime, "query parameter 'q'"},
		{"bad encoding", `{"ApiEndpoint":"https://x","Method":"POST",` + a + `,"Transform":{"RequestBodyEncoding":"GZIP"}}`, failure.Runtime, "NONE or URL_ENCODED"},
		{"bad array format", `{"ApiEndpoint":"https://x","Method":"POST",` + a + `,"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"X"}}}`, failure.Runtime, "ArrayFormat"},
		{"URL encoded string", `{"ApiEndpoint":"https://x","Method":"POST",` + a + `,"RequestBody":"a=b","Transform":{"RequestBodyEncoding":"URL_ENCODED"}}`, failure.Runtime, "must be a JSON object"},
		{"unknown connection", `{"ApiEndpoint":"https://x","Method":"GET","Authentication":{"ConnectionArn":"` + connARN("nope") + `"}}`, ErrConnectionNotFound, "'nope' does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.Invoke(context.Background(), task(tc.params))
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Name != tc.wantErr {
				t.Fatalf("err = %v, want %s", err, tc.wantErr)
			}
			if !strings.Contains(fe.Cause, tc.wantCause) {
				t.Errorf("cause = %q, want it to contain %q", fe.Cause, tc.wantCause)
			}
			if fe.Name == failure.Runtime && !strings.HasPrefix(fe.Cause, "The Parameters '") {
				t.Errorf("cause = %q, want AWS's shape", fe.Cause)
			}
		})
	}
}

func TestConnectionsPrintRedacted(t *testing.T) {
	c := Connection{APIKey: &APIKey{Name: "X-Api-Key", Value: secretKey}, Basic: &Basic{Password: secretPassword},
		OAuth: &OAuth{ClientSecret: secretClient}}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, &c, *c.APIKey, c.APIKey, *c.Basic, *c.OAuth, map[string]Connection{"x": c}} {
			s := fmt.Sprintf(f, v)
			for _, secret := range []string{secretKey, secretPassword, secretClient} {
				if strings.Contains(s, secret) {
					t.Errorf("Sprintf(%q, %T) = %s leaks a secret", f, v, s)
				}
			}
		}
	}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "at most one") {
		t.Errorf("Validate = %v", err)
	}
	if _, err := New(Options{Connections: map[string]Connection{"x": c}}); err == nil {
		t.Error("New accepted an invalid connection")
	}
}

func TestConnectionName(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"arn:aws:events:us-east-2:123456789012:connection/Stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac", "Stripe", true},
		{"arn:aws:events:us-east-2:123456789012:connection/Stripe", "Stripe", true},
		{"Stripe", "Stripe", true},
		{"arn:aws:events:us-east-2:123456789012:rule/x", "", false},
		{"arn:aws:lambda:us-east-2:1:connection/x", "", false},
		{"arn:aws:events:us-east-2:123456789012:connection/", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := ConnectionName(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ConnectionName(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
