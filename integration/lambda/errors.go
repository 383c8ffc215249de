package lambda

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// Error names Step Functions gives Lambda failures.
const (
	ErrResourceNotFound = "Lambda.ResourceNotFoundException"
	ErrSdkClient        = "Lambda.SdkClientException"
	ErrService          = "Lambda.ServiceException"
	ErrUnknown          = "Lambda.Unknown"
)

// serviceError is a Lambda API error as Step Functions reports it:
// Lambda.<code>, with the cause AWS's Java SDK writes.
func serviceError(status int, code, message, requestID string) *failure.Error {
	if requestID == "" {
		requestID = newRequestID()
	}
	return failure.New("Lambda."+code, fmt.Sprintf(
		"%s (Service: AWSLambda; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)",
		message, status, code, requestID))
}

// functionError is a function's own error: named by the payload's
// errorType, with the payload text as the cause.
func functionError(payload []byte) *failure.Error {
	text := strings.TrimSpace(string(payload))
	name := ErrUnknown
	if v, err := value.Parse(payload); err == nil {
		if o, ok := v.(*value.Object); ok {
			if t, ok := o.Get("errorType"); ok {
				if s, ok := t.(string); ok && s != "" {
					name = s
				}
			}
		}
	}
	return failure.New(name, strings.ToValidUTF8(text, "\uFFFD"))
}

// newRequestID returns a random UUID, the form of Lambda request ids.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func sortStrings(s []string) { slices.Sort(s) }
