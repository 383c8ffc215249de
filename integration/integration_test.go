package integration_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/value"
)

const apiKey = "key-SECRET-123"

// A Router is what local.Run takes as a Handler.
var _ local.Handler = (*integration.Router)(nil)

// servers starts a customer API (which wants the API key) and a
// Lambda-Invoke-compatible endpoint with the functions score and shout.
func servers(t *testing.T) (api, lambda *httptest.Server) {
	api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != apiKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/customers/42" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"not found"}`)
			return
		}
		io.WriteString(w, `{"id":42,"name":"ada","orders":3}`)
	}))
	t.Cleanup(api.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", func(w http.ResponseWriter, r *http.Request) {
		in, err := value.Parse(must(io.ReadAll(r.Body)))
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		o, _ := in.(*value.Object)
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		switch r.PathValue("name") {
		case "score":
			orders, _ := o.Get("orders")
			io.WriteString(w, `{"score":`+value.String(orders.(float64)*10)+`}`)
		case "shout":
			name, _ := o.Get("name")
			w.Write(value.Marshal(strings.ToUpper(name.(string)) + "!"))
		default:
			w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"Type":"User","Message":"Function not found"}`)
		}
	})
	lambda = httptest.NewServer(mux)
	t.Cleanup(lambda.Close)
	return api, lambda
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func run(t *testing.T, router *integration.Router, def, input string) *local.Result {
	t.Helper()
	d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
	if len(diags) > 0 {
		t.Fatalf("definition: %v", diags)
	}
	m, err := engine.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := local.Run(ctx, m, input, local.Options{Fallback: router, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const conn = `"Authentication":{"ConnectionArn":"arn:aws:events:us-east-1:123456789012:connection/Api/6f1e2a"}`

func TestWorkflowThroughRouter(t *testing.T) {
	api, lambdaSrv := servers(t)
	t.Setenv("STEPWISE_TEST_API_KEY", apiKey)
	cfg, err := integration.ParseConfig([]byte(`{
		"connections": {"Api": {"apiKey": {"name": "X-Api-Key", "value": "${STEPWISE_TEST_API_KEY}"}}},
		"lambda": {"endpoint": "` + lambdaSrv.URL + `"}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	router, err := integration.New(cfg, integration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"GetCustomer","States":{
		"GetCustomer":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
			"Parameters":{"ApiEndpoint.$":"States.Format('{}/customers/{}', $.api, $.id)","Method":"GET",` + conn + `},
			"ResultSelector":{"customer.$":"$.ResponseBody","status.$":"$.StatusCode"},"ResultPath":"$.fetched","Next":"Score"},
		"Score":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"score","Payload.$":"$.fetched.customer"},
			"ResultSelector":{"score.$":"$.Payload.score","code.$":"$.StatusCode"},"ResultPath":"$.scored","Next":"Shout"},
		"Shout":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:shout",
			"Parameters":{"name.$":"$.fetched.customer.name"},"ResultPath":"$.shouted","Next":"Missing"},
		"Missing":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
			"Parameters":{"ApiEndpoint.$":"States.Format('{}/customers/7', $.api)","Method":"GET",` + conn + `},
			"Catch":[{"ErrorEquals":["States.Http.StatusCode.404"],"ResultPath":"$.missing","Next":"Done"}],"Next":"Done"},
		"Done":{"Type":"Pass","End":true}}}`
	res := run(t, router, def, `{"api":"`+api.URL+`","id":42}`)
	if res.Status != engine.StatusSucceeded {
		t.Fatalf("status %s: %s: %s", res.Status, res.Error, res.Cause)
	}
	checks := map[string]string{
		"fetched":       `{"customer":{"id":42,"name":"ada","orders":3},"status":200}`,
		"scored":        `{"score":30,"code":200}`,
		"shouted":       `"ADA!"`,
		"missing.Error": `"States.Http.StatusCode.404"`,
		"missing.Cause": `"Not Found"`,
	}
	for path, want := range checks {
		var v any = res.Output
		for _, p := range strings.Split(path, ".") {
			v, _ = v.(*value.Object).Get(p)
		}
		if got := value.String(v); got != want {
			t.Errorf("%s = %s, want %s", path, got, want)
		}
	}
	if out := value.String(res.Output); strings.Contains(out, apiKey) {
		t.Errorf("the output leaks the API key: %s", out)
	}
	for _, e := range res.Events {
		if b := must(e.MarshalJSON()); strings.Contains(string(b), apiKey) {
			t.Errorf("event %s leaks the API key", e.Type)
		}
	}
}

func TestUnsupportedResources(t *testing.T) {
	router, err := integration.New(&integration.Config{}, integration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, resource, wantStatus, wantErr, wantCause string
	}{
		{"unknown service, not caught by States.ALL", "arn:aws:states:::dynamodb:putItem", "FAILED", "States.Runtime",
			"The resource provided arn:aws:states:::dynamodb:putItem is not recognized."},
		{"callback pattern, caught", "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "SUCCEEDED", "States.TaskFailed",
			"The integration pattern '.waitForTaskToken'"},
		{"sync pattern, caught", "arn:aws:states:::states:startExecution.sync:2", "SUCCEEDED", "States.TaskFailed",
			"The integration pattern '.sync:2'"},
		{"unconfigured function", "arn:aws:lambda:us-east-1:123456789012:function:nowhere", "SUCCEEDED", "Lambda.ResourceNotFoundException",
			"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nowhere (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + tc.resource + `","Parameters":{"x":1},
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}}}`
			res := run(t, router, def, `{}`)
			if string(res.Status) != tc.wantStatus {
				t.Fatalf("status = %s (%s: %s), want %s", res.Status, res.Error, res.Cause, tc.wantStatus)
			}
			name, cause := res.Error, res.Cause
			if res.Status == engine.StatusSucceeded {
				o := res.Output.(*value.Object)
				e, _ := o.Get("Error")
				c, _ := o.Get("Cause")
				name, _ = e.(string)
				cause, _ = c.(string)
			}
			if name != tc.wantErr || !strings.Contains(cause, tc.wantCause) {
				t.Errorf("error %s: %s; want %s: …%s…", name, cause, tc.wantErr, tc.wantCause)
			}
		})
	}
}
