package lambda

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// fakeLambda implements Lambda's Invoke REST call for a few functions.
func fakeLambda(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", func(w http.ResponseWriter, r *http.Request) {
		payload, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Amzn-Requestid", "req-1")
		typ := r.Header.Get("X-Amz-Invocation-Type")
		switch r.PathValue("name") {
		case "echo":
			if typ == "Event" {
				w.WriteHeader(http.StatusAccepted)
				return
			}
			if r.Header.Get("X-Amz-Log-Type") == "Tail" {
				w.Header().Set("X-Amz-Log-Result", "bG9ncw==")
			}
			q := r.URL.Query().Get("Qualifier")
			v := q
			if v == "" {
				v = "$LATEST"
			}
			w.Header().Set("X-Amz-Executed-Version", v)
			w.Header().Set("Content-Type", "application/json")
			o := value.NewObject(4)
			p, err := value.Parse(payload)
			if err != nil {
				p = "INVALID:" + string(payload)
			}
			o.Set("got", p)
			o.Set("qualifier", q)
			o.Set("type", typ)
			o.Set("clientContext", r.Header.Get("X-Amz-Client-Context"))
			w.Write(value.Marshal(o))
		case "text":
			w.Write([]byte(`"just a string"`))
		case "fail":
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			io.WriteString(w, `{"errorMessage":"boom","errorType":"ValueError","requestId":"req-1","stackTrace":["  File \"/var/task/app.py\", line 3"]}`)
		case "failnotype":
			w.Header().Set("X-Amz-Function-Error", "Handled")
			io.WriteString(w, `{"errorMessage":"no type"}`)
		case "throttle":
			w.Header().Set("X-Amzn-Errortype", "TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.awsgirawebservice/")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"Type":"User","message":"Rate Exceeded."}`)
		case "hang":
			<-r.Context().Done()
		default:
			w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:`+r.PathValue("name")+`"}`)
		}
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func newHandler(t *testing.T, cfg Config) *Handler {
	t.Helper()
	h, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func invokeTask(params string) *engine.TaskRequest {
	return &engine.TaskRequest{Resource: ResourceInvoke, StateName: "Call", Input: value.MustParse(params)}
}

func field(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, p := range path {
		o, ok := v.(*value.Object)
		if !ok {
			t.Fatalf("%s: not an object at %q", value.String(v), p)
		}
		v, _ = o.Get(p)
	}
	return v
}

var awsCause = regexp.MustCompile(`^.+ \(Service: AWSLambda; Status Code: \d+; Error Code: \w+; Request ID: [\w-]+; Proxy: null\)$`)

func TestOptimisedEndpoint(t *testing.T) {
	srv := fakeLambda(t)
	h := newHandler(t, Config{Endpoint: srv.URL + "/"})
	tests := []struct {
		name      string
		params    string
		want      map[string]string // JSON of fields of the result, by dotted path
		wantErr   string
		wantCause string // regexp
	}{
		{"object payload", `{"FunctionName":"echo","Payload":{"a":1}}`,
			map[string]string{"Payload.got": `{"a":1}`, "Payload.type": `"RequestResponse"`, "StatusCode": "200", "ExecutedVersion": `"$LATEST"`,
				"SdkHttpMetadata.HttpStatusCode": "200", "SdkHttpMetadata.HttpHeaders.X-Amzn-Requestid": `"req-1"`,
				"SdkHttpMetadata.AllHttpHeaders.X-Amz-Executed-Version": `["$LATEST"]`, "SdkResponseMetadata.RequestId": `"req-1"`}, "", ""},
		{"no payload is {}", `{"FunctionName":"echo"}`, map[string]string{"Payload.got": `{}`}, "", ""},
		{"JSON string payload sent as JSON", `{"FunctionName":"echo","Payload":"{\"x\":[1]}"}`, map[string]string{"Payload.got": `{"x":[1]}`}, "", ""},
		{"plain string payload", `{"FunctionName":"echo","Payload":"hi"}`, map[string]string{"Payload.got": `"hi"`}, "", ""},
		{"qualifier parameter", `{"FunctionName":"echo","Qualifier":"7"}`, map[string]string{"Payload.qualifier": `"7"`, "ExecutedVersion": `"7"`}, "", ""},
		{"qualifier in ARN", `{"FunctionName":"arn:aws:lambda:eu-west-1:111122223333:function:echo:live"}`, map[string]string{"Payload.qualifier": `"live"`}, "", ""},
		{"partial ARN", `{"FunctionName":"111122223333:function:echo"}`, map[string]string{"Payload.qualifier": `""`}, "", ""},
		{"event", `{"FunctionName":"echo","InvocationType":"Event"}`, map[string]string{"StatusCode": "202", "Payload": `""`}, "", ""},
		{"log tail and client context", `{"FunctionName":"echo","LogType":"Tail","ClientContext":"e30="}`,
			map[string]string{"LogResult": `"bG9ncw=="`, "Payload.clientContext": `"e30="`}, "", ""},
		{"string result", `{"FunctionName":"text"}`, map[string]string{"Payload": `"just a string"`}, "", ""},
		{"function error", `{"FunctionName":"fail"}`, nil, "ValueError", `^\{"errorMessage":"boom","errorType":"ValueError",.*\}$`},
		{"function error without type", `{"FunctionName":"failnotype"}`, nil, ErrUnknown, `^\{"errorMessage":"no type"\}$`},
		{"not found", `{"FunctionName":"nope"}`, nil, ErrResourceNotFound, `^Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-1; Proxy: null\)$`},
		{"throttled", `{"FunctionName":"throttle"}`, nil, "Lambda.TooManyRequestsException", `^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: req-1; Proxy: null\)$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.Invoke(context.Background(), invokeTask(tc.params))
			if tc.wantErr != "" {
				var fe *failure.Error
				if !errors.As(err, &fe) || fe.Name != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				if !regexp.MustCompile(tc.wantCause).MatchString(fe.Cause) {
					t.Errorf("cause = %s, want %s", fe.Cause, tc.wantCause)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for path, want := range tc.want {
				if got := value.String(field(t, out, strings.Split(path, ".")...)); got != want {
					t.Errorf("%s = %s, want %s", path, got, want)
				}
			}
		})
	}
	t.Run("result keys in AWS order", func(t *testing.T) {
		out, err := h.Invoke(context.Background(), invokeTask(`{"FunctionName":"echo","LogType":"Tail"}`))
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(out.(*value.Object).Keys(), ",")
		if want := "ExecutedVersion,LogResult,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode"; got != want {
			t.Errorf("keys = %s, want %s", got, want)
		}
	})
}

func TestLegacyFunctionARN(t *testing.T) {
	srv := fakeLambda(t)
	h := newHandler(t, Config{Endpoint: srv.URL})
	tests := []struct {
		resource, input, want, wantErr string
	}{
		{"arn:aws:lambda:us-east-1:123456789012:function:echo", `{"k":"v"}`, `{"got":{"k":"v"},"qualifier":"","type":"RequestResponse","clientContext":""}`, ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:echo:3", `[1]`, `{"got":[1],"qualifier":"3","type":"RequestResponse","clientContext":""}`, ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:fail", `{}`, "", "ValueError"},
		{"arn:aws:lambda:us-east-1:123456789012:function:nope", `{}`, "", ErrResourceNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.resource, func(t *testing.T) {
			if !IsFunctionARN(tc.resource) {
				t.Fatal("IsFunctionARN = false")
			}
			out, err := h.Invoke(context.Background(), &engine.TaskRequest{Resource: tc.resource, Input: value.MustParse(tc.input)})
			if tc.wantErr != "" {
				var fe *failure.Error
				if !errors.As(err, &fe) || fe.Name != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := value.String(out); got != tc.want {
				t.Errorf("result = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestLocalFunctions(t *testing.T) {
	urlFn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), "crash") {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"errorType":"Crash","errorMessage":"crashed"}`)
			return
		}
		w.Write(append([]byte(`{"posted":`), append(b, '}')...))
	}))
	defer urlFn.Close()
	h := newHandler(t, Config{Functions: map[string]Function{
		"upper":      {Command: `tr a-z A-Z`},
		"upper:beta": {Command: `echo '"beta"'`},
		"bad":        {Command: `echo '{"Error":"BadThing","Cause":"it broke"}'; exit 3`},
		"web":        {URL: urlFn.URL},
	}})
	tests := []struct {
		name, params, wantPayload, wantErr string
		wantStatus                         float64
	}{
		{"command", `{"FunctionName":"upper","Payload":{"a":"b"}}`, `{"A":"B"}`, "", 200},
		{"command by qualifier", `{"FunctionName":"upper:beta"}`, `"beta"`, "", 200},
		{"command falls back to name", `{"FunctionName":"upper","Qualifier":"9","Payload":"\"x\""}`, `"X"`, "", 200},
		{"command error", `{"FunctionName":"bad"}`, "", "BadThing", 0},
		{"command dry run", `{"FunctionName":"bad","InvocationType":"DryRun"}`, `""`, "", 204},
		{"command event", `{"FunctionName":"upper","InvocationType":"Event"}`, `""`, "", 202},
		{"url", `{"FunctionName":"web","Payload":[1,2]}`, `{"posted":[1,2]}`, "", 200},
		{"url error", `{"FunctionName":"web","Payload":"crash"}`, "", "Crash", 0},
		{"unknown without endpoint", `{"FunctionName":"ghost"}`, "", ErrResourceNotFound, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.Invoke(context.Background(), invokeTask(tc.params))
			if tc.wantErr != "" {
				var fe *failure.Error
				if !errors.As(err, &fe) || fe.Name != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				if fe.Name == ErrResourceNotFound {
					if !awsCause.MatchString(fe.Cause) || !strings.HasPrefix(fe.Cause, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost (") {
						t.Errorf("cause = %s", fe.Cause)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := value.String(field(t, out, "Payload")); got != tc.wantPayload {
				t.Errorf("Payload = %s, want %s", got, tc.wantPayload)
			}
			if got := field(t, out, "StatusCode"); got != tc.wantStatus {
				t.Errorf("StatusCode = %v, want %v", got, tc.wantStatus)
			}
		})
	}
	t.Run("legacy command", func(t *testing.T) {
		out, err := h.Invoke(context.Background(), &engine.TaskRequest{Resource: "arn:aws:lambda:us-east-1:1:function:upper", Input: "abc"})
		if err != nil || out != "ABC" {
			t.Fatalf("got %v, %v", out, err)
		}
	})
}

func TestFailures(t *testing.T) {
	srv := fakeLambda(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	h := newHandler(t, Config{Endpoint: srv.URL})
	down := newHandler(t, Config{Endpoint: closedURL})
	tests := []struct {
		name      string
		h         *Handler
		ctx       func() context.Context
		params    string
		timeout   int64
		wantErr   string
		wantCause string
	}{
		{"endpoint down", down, nil, `{"FunctionName":"echo"}`, 0, ErrSdkClient, "Unable to execute HTTP request: "},
		{"task timeout", h, nil, `{"FunctionName":"hang"}`, 1, failure.Timeout, "TimeoutSeconds"},
		{"cancelled", h, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, `{"FunctionName":"hang"}`, 0, failure.TaskFailed, "cancelled"},
		{"not an object", h, nil, `"echo"`, 0, failure.Runtime, "The Parameters '\"echo\"' could not be used to start the Task: [The Parameters must be a JSON object, not string]"},
		{"missing name", h, nil, `{"Payload":1}`, 0, failure.Runtime, "[The field 'FunctionName' is required]"},
		{"name not a string", h, nil, `{"FunctionName":5}`, 0, failure.Runtime, "The value for the field 'FunctionName' must be a STRING"},
		{"unknown field", h, nil, `{"FunctionName":"echo","Foo":1}`, 0, failure.Runtime, "The field 'Foo' is not supported by Step Functions"},
		{"bad invocation type", h, nil, `{"FunctionName":"echo","InvocationType":"Later"}`, 0, failure.Runtime, "InvocationType"},
		{"bad log type", h, nil, `{"FunctionName":"echo","LogType":"All"}`, 0, failure.Runtime, "LogType"},
		{"bad name", h, nil, `{"FunctionName":"a b"}`, 0, "Lambda.ValidationException", "at 'functionName' failed to satisfy constraint"},
		{"qualifier mismatch", h, nil, `{"FunctionName":"echo:1","Qualifier":"2"}`, 0, "Lambda.InvalidParameterValueException", "does not match the specified qualifier"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			tr := invokeTask(tc.params)
			tr.TimeoutSeconds = tc.timeout
			_, err := tc.h.Invoke(ctx, tr)
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Name != tc.wantErr {
				t.Fatalf("err = %v, want %s", err, tc.wantErr)
			}
			if !strings.Contains(fe.Cause, tc.wantCause) {
				t.Errorf("cause = %q, want it to contain %q", fe.Cause, tc.wantCause)
			}
			if strings.HasPrefix(tc.wantErr, "Lambda.") && tc.wantErr != ErrSdkClient && !awsCause.MatchString(fe.Cause) {
				t.Errorf("cause %q is not in AWS's shape", fe.Cause)
			}
		})
	}
}

func TestParseFunction(t *testing.T) {
	tests := []struct {
		in                    string
		name, qual, reg, acct string
		ok                    bool
	}{
		{"f", "f", "", "", "", true},
		{"my-fn_1:$LATEST", "my-fn_1", "$LATEST", "", "", true},
		{"f:prod", "f", "prod", "", "", true},
		{"123456789012:function:f", "f", "", "", "123456789012", true},
		{"123456789012:function:f:2", "f", "2", "", "123456789012", true},
		{"arn:aws:lambda:us-west-2:123456789012:function:f", "f", "", "us-west-2", "123456789012", true},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f:a", "f", "a", "cn-north-1", "123456789012", true},
		{"", "", "", "", "", false},
		{"f:", "", "", "", "", false},
		{"a b", "", "", "", "", false},
		{"f:x:y", "", "", "", "", false},
		{"arn:aws:lambda:us-west-2:123456789012:layer:f", "", "", "", "", false},
		{"arn:aws:states:::lambda:invoke", "", "", "", "", false},
		{"arn:aws:lambda:us-west-2:123456789012:function:f:1:2", "", "", "", "", false},
		{strings.Repeat("x", 65), "", "", "", "", false},
	}
	for _, tc := range tests {
		f, ok := parseFunction(tc.in)
		if ok != tc.ok || (ok && (f.name != tc.name || f.qualifier != tc.qual || f.region != tc.reg || f.account != tc.acct)) {
			t.Errorf("parseFunction(%q) = %+v, %v", tc.in, f, ok)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // "" for valid
	}{
		{"empty", Config{}, ""},
		{"good", Config{Endpoint: "http://127.0.0.1:3001", Functions: map[string]Function{"a": {Command: "cat"}, "a:live": {URL: "https://x"}}}, ""},
		{"bad endpoint", Config{Endpoint: "localhost:3001"}, "endpoint"},
		{"both", Config{Functions: map[string]Function{"a": {Command: "cat", URL: "http://x"}}}, "exactly one"},
		{"neither", Config{Functions: map[string]Function{"a": {}}}, "exactly one"},
		{"bad name", Config{Functions: map[string]Function{"a/b": {Command: "cat"}}}, "not a function name"},
		{"bad url", Config{Functions: map[string]Function{"a": {URL: "ftp://x"}}}, "url"},
		{"negative timeout", Config{TimeoutSeconds: -1}, "negative"},
	}
	for _, tc := range tests {
		err := tc.cfg.Validate()
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: Validate() = %v, want %q", tc.name, err, tc.want)
		}
	}
}
