package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/stepwise-run/stepwise/service"
)

// Protocol-level error codes, raised by the HTTP layer rather than the
// service.
const (
	CodeSerialization         = "SerializationException"
	CodeUnknownOperation      = "UnknownOperationException"
	CodeInternalFailure       = "InternalFailure"
	CodeRequestEntityTooLarge = "RequestEntityTooLargeException"
)

// Namespaces of the __type member: Step Functions' own errors and those of
// AWS's request framework (Coral).
const (
	serviceNamespace = "com.amazonaws.swf.service.v2.model#"
	coralNamespace   = "com.amazon.coral.service#"
)

// errorInfo is one row of the error-translation table.
type errorInfo struct {
	status    int
	namespace string
}

// errorTable gives the HTTP status and namespace of every error code the
// server answers with. Codes not listed are 400 in the service namespace.
var errorTable = map[string]errorInfo{
	CodeSerialization:         {http.StatusBadRequest, coralNamespace},
	CodeUnknownOperation:      {http.StatusBadRequest, coralNamespace},
	CodeRequestEntityTooLarge: {http.StatusRequestEntityTooLarge, coralNamespace},
	CodeInternalFailure:       {http.StatusInternalServerError, coralNamespace},
	"ServiceUnavailable":      {http.StatusServiceUnavailable, coralNamespace},
	"ThrottlingException":     {http.StatusBadRequest, coralNamespace},
}

// wireError is the JSON body of an error response.
type wireError struct {
	Type         string `json:"__type"`
	Message      string `json:"message"`
	Reason       string `json:"reason,omitempty"`
	ResourceName string `json:"resourceName,omitempty"`
}

// encodeError renders err as AWS would: its status and body. Errors that are
// not *service.Error are internal failures; their text is not sent.
func encodeError(err error) (int, []byte) {
	var se *service.Error
	if !errors.As(err, &se) {
		se = &service.Error{Code: CodeInternalFailure, Message: "An internal error occurred"}
	}
	info, ok := errorTable[se.Code]
	if !ok {
		info = errorInfo{http.StatusBadRequest, serviceNamespace}
	}
	b, _ := json.Marshal(wireError{Type: info.namespace + se.Code, Message: se.Message, Reason: se.Reason, ResourceName: se.Resource})
	return info.status, b
}

func protocolError(code, msg string) *service.Error {
	return &service.Error{Code: code, Message: msg}
}
