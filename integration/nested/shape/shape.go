// Package shape builds the results AWS gives a Task state that starts
// another state machine (arn:aws:states:::states:startExecution): the
// StartExecution response, and for .sync and .sync:2 the child's
// DescribeExecution output. The server (packages nested and runner) and
// in-process runs (package local) share it, so both give the same shapes.
package shape

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// StartResponse is AWS's StartExecution response as a task result: the
// date in epoch milliseconds, and SdkHttpMetadata and SdkResponseMetadata
// as the AWS Java SDK reports them for the API response the service would
// have sent (a JSON 1.0 body with executionArn and startDate).
func StartResponse(executionARN string, startDate time.Time, requestID string) *value.Object {
	body := `{"executionArn":` + value.String(executionARN) + `,"startDate":` + history.EpochSeconds(startDate) + `}`
	headers := [][2]string{
		{"Content-Length", strconv.Itoa(len(body))},
		{"Content-Type", "application/x-amz-json-1.0"},
		{"Date", startDate.UTC().Format(http.TimeFormat)},
		{"x-amzn-RequestId", requestID},
	}
	all, first := value.NewObject(len(headers)), value.NewObject(len(headers))
	for _, h := range headers {
		all.Set(h[0], []any{h[1]})
		first.Set(h[0], h[1])
	}
	httpMeta := value.NewObject(3)
	httpMeta.Set("AllHttpHeaders", all)
	httpMeta.Set("HttpHeaders", first)
	httpMeta.Set("HttpStatusCode", float64(http.StatusOK))
	respMeta := value.NewObject(1)
	respMeta.Set("RequestId", requestID)

	o := value.NewObject(4)
	o.Set("ExecutionArn", executionARN)
	o.Set("SdkHttpMetadata", httpMeta)
	o.Set("SdkResponseMetadata", respMeta)
	o.Set("StartDate", float64(startDate.UnixMilli()))
	return o
}

// RequestID is the id of the service request a task makes: derived from
// its token, so that a repeated call reports the same one.
func RequestID(token string) string {
	return uuidOf("request:" + token)
}

// ChildName derives a child's name from the parent's task token: a UUID-
// shaped hash, the same for every call of the same task attempt.
func ChildName(token string) string {
	return uuidOf(token)
}

func uuidOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ExecutionARN forms the ARN of execution name of the state machine (or
// version or alias) target; ok is false if target is not a state machine
// ARN.
func ExecutionARN(target, name string) (arn string, ok bool) {
	parts := strings.Split(target, ":")
	if len(parts) < 7 || parts[5] != "stateMachine" {
		return "", false
	}
	return strings.Join(parts[:5], ":") + ":execution:" + parts[6] + ":" + name, true
}

// ServiceFailure names a Step Functions service error as the optimized
// integration does: StepFunctions.<Code>Exception with AWS's SDK-style
// cause.
func ServiceFailure(code, message, requestID string) *failure.Error {
	name := "StepFunctions." + code
	if !strings.HasSuffix(code, "Exception") {
		name += "Exception"
	}
	return failure.New(name, fmt.Sprintf("%s (Service: AWSStepFunctions; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)",
		message, code, requestID))
}

// Execution is what a description of an ended child execution tells.
type Execution struct {
	ARN             string
	Name            string
	StateMachineARN string
	VersionARN      string // "" unless started through a version
	AliasARN        string // "" unless started through an alias
	Status          string // SUCCEEDED, FAILED, TIMED_OUT or ABORTED
	Input, Output   []byte // JSON text; Output only when SUCCEEDED
	Error, Cause    string
	RedriveCount    int
	StartDate       time.Time
	StopDate        time.Time
}

// Succeeded is the Status of an execution that succeeded.
const Succeeded = "SUCCEEDED"

// Outcome is the outcome of a states:startExecution.sync task whose child
// execution x ended, as AWS gives it: the child's DescribeExecution output
// (see Describe) as the result, or, if the child did not succeed, a
// States.TaskFailed error with that description, as JSON text, as the
// cause. pattern is "sync" or "sync:2".
func Outcome(pattern string, x *Execution) (any, *failure.Error) {
	d := Describe(pattern == "sync:2", x)
	if x.Status == Succeeded {
		return d, nil
	}
	return nil, failure.New(failure.TaskFailed, value.String(d))
}

// Describe is the DescribeExecution output of x as a .sync task sees it:
// capitalised keys in alphabetical order and dates in epoch milliseconds;
// Input and Output are JSON values if asJSON (.sync:2), JSON text
// otherwise (.sync).
func Describe(asJSON bool, x *Execution) *value.Object {
	data := func(b []byte) any {
		if asJSON {
			if v, err := value.Parse(b); err == nil {
				return v
			}
		}
		return string(b)
	}
	included := func() *value.Object {
		o := value.NewObject(1)
		o.Set("Included", true)
		return o
	}
	f := map[string]any{
		"ExecutionArn":    x.ARN,
		"Input":           data(x.Input),
		"InputDetails":    included(),
		"Name":            x.Name,
		"OutputDetails":   included(),
		"RedriveCount":    float64(x.RedriveCount),
		"StartDate":       float64(x.StartDate.UnixMilli()),
		"StateMachineArn": x.StateMachineARN,
		"Status":          x.Status,
		"StopDate":        float64(x.StopDate.UnixMilli()),
	}
	if x.Status == Succeeded {
		f["Output"] = data(x.Output)
		f["RedriveStatus"] = "NOT_REDRIVABLE"
		f["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
	} else {
		f["RedriveStatus"] = "REDRIVABLE"
	}
	if x.Error != "" {
		f["Error"] = x.Error
	}
	if x.Cause != "" {
		f["Cause"] = x.Cause
	}
	if x.VersionARN != "" {
		f["StateMachineVersionArn"] = x.VersionARN
	}
	if x.AliasARN != "" {
		f["StateMachineAliasArn"] = x.AliasARN
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	o := value.NewObject(len(keys))
	for _, k := range keys {
		o.Set(k, f[k])
	}
	return o
}
