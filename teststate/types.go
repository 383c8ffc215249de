package teststate

import (
	"strconv"
	"strings"
)

// Inspection levels of a request.
const (
	LevelInfo  = "INFO"
	LevelDebug = "DEBUG"
	LevelTrace = "TRACE"
)

// Statuses of a response.
const (
	StatusSucceeded   = "SUCCEEDED"
	StatusFailed      = "FAILED"
	StatusRetriable   = "RETRIABLE"
	StatusCaughtError = "CAUGHT_ERROR"
)

// Request is a TestState request as the API receives it. JSON values
// (input, variables, context, mock results) are JSON text.
type Request struct {
	Definition         string              `json:"definition"`
	RoleArn            string              `json:"roleArn,omitempty"`
	Input              *string             `json:"input,omitempty"`
	InspectionLevel    string              `json:"inspectionLevel,omitempty"`
	RevealSecrets      bool                `json:"revealSecrets,omitempty"`
	Variables          *string             `json:"variables,omitempty"`
	StateName          *string             `json:"stateName,omitempty"`
	Mock               *Mock               `json:"mock,omitempty"`
	Context            *string             `json:"context,omitempty"`
	StateConfiguration *StateConfiguration `json:"stateConfiguration,omitempty"`
}

// Mock replaces the work of a Task, Parallel or Map state: either Result
// (JSON text) or ErrorOutput.
type Mock struct {
	Result              *string      `json:"result,omitempty"`
	ErrorOutput         *ErrorOutput `json:"errorOutput,omitempty"`
	FieldValidationMode string       `json:"fieldValidationMode,omitempty"`
}

// ErrorOutput is a mocked failure.
type ErrorOutput struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// StateConfiguration sets the circumstances the state runs in.
type StateConfiguration struct {
	// RetrierRetryCount is how many retries already happened.
	RetrierRetryCount *int `json:"retrierRetryCount,omitempty"`
	// ErrorCausedByState names the state of a Map's or Parallel's
	// processor that raised the mocked error.
	ErrorCausedByState *string `json:"errorCausedByState,omitempty"`
	// MapIterationFailureCount is how many Map iterations failed.
	MapIterationFailureCount *int `json:"mapIterationFailureCount,omitempty"`
	// MapItemReaderData is the JSON text a Map's ItemReader reads.
	MapItemReaderData *string `json:"mapItemReaderData,omitempty"`
}

// Response is a TestState response.
type Response struct {
	Output         string          `json:"output,omitempty"`
	Error          string          `json:"error,omitempty"`
	Cause          string          `json:"cause,omitempty"`
	InspectionData *InspectionData `json:"inspectionData,omitempty"`
	NextState      string          `json:"nextState,omitempty"`
	Status         string          `json:"status"`
}

// InspectionData holds the data flow's intermediate values (JSON text) at
// the DEBUG and TRACE levels.
type InspectionData struct {
	Input                      string        `json:"input,omitempty"`
	AfterInputPath             string        `json:"afterInputPath,omitempty"`
	AfterParameters            string        `json:"afterParameters,omitempty"`
	AfterArguments             string        `json:"afterArguments,omitempty"`
	Result                     string        `json:"result,omitempty"`
	AfterResultSelector        string        `json:"afterResultSelector,omitempty"`
	AfterResultPath            string        `json:"afterResultPath,omitempty"`
	Variables                  string        `json:"variables,omitempty"`
	AfterItemsPath             string        `json:"afterItemsPath,omitempty"`
	AfterItemSelector          string        `json:"afterItemSelector,omitempty"`
	AfterItemBatcher           string        `json:"afterItemBatcher,omitempty"`
	AfterItemsPointer          string        `json:"afterItemsPointer,omitempty"`
	MaxConcurrency             *int          `json:"maxConcurrency,omitempty"`
	ToleratedFailureCount      *int          `json:"toleratedFailureCount,omitempty"`
	ToleratedFailurePercentage *Float        `json:"toleratedFailurePercentage,omitempty"`
	ErrorDetails               *ErrorDetails `json:"errorDetails,omitempty"`
	Request                    *HTTPRequest  `json:"request,omitempty"`
	Response                   *HTTPResponse `json:"response,omitempty"`
}

// ErrorDetails says which retrier or catcher handled the state's error.
type ErrorDetails struct {
	CatchIndex                  *int `json:"catchIndex,omitempty"`
	RetryIndex                  *int `json:"retryIndex,omitempty"`
	RetryBackoffIntervalSeconds *int `json:"retryBackoffIntervalSeconds,omitempty"`
}

// HTTPRequest is the HTTP request of an HTTP Task (TRACE level).
type HTTPRequest struct {
	Protocol string `json:"protocol,omitempty"`
	Method   string `json:"method,omitempty"`
	URL      string `json:"url,omitempty"`
	Headers  string `json:"headers,omitempty"`
	Body     string `json:"body,omitempty"`
}

// HTTPResponse is the HTTP response of an HTTP Task (TRACE level).
type HTTPResponse struct {
	Protocol      string `json:"protocol,omitempty"`
	StatusCode    string `json:"statusCode,omitempty"`
	StatusMessage string `json:"statusMessage,omitempty"`
	Headers       string `json:"headers,omitempty"`
	Body          string `json:"body,omitempty"`
}

// Float is a number AWS types as a float: it is written with a decimal
// point even when whole ("1.0"), as AWS's responses show it.
type Float float64

// MarshalJSON writes f with a decimal point.
func (f Float) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(f), 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return []byte(s), nil
}
