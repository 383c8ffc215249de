package teststate

import "fmt"

// Error codes of TestState failures, as AWS names them.
const (
	CodeInvalidDefinition     = "InvalidDefinition"
	CodeInvalidExecutionInput = "InvalidExecutionInput"
	CodeValidation            = "ValidationException"
	CodeInvalidArn            = "InvalidArn"
	CodeSerialization         = "SerializationException"
)

// Error is a request TestState rejects: Code is AWS's error code and
// Message its message.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
