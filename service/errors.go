package service

import (
	"errors"
	"fmt"
)

// Error codes of the Step Functions API, as AWS names them in the __type of
// an error response.
const (
	CodeActivityAlreadyExists          = "ActivityAlreadyExists"
	CodeActivityDoesNotExist           = "ActivityDoesNotExist"
	CodeConflict                       = "ConflictException"
	CodeExecutionAlreadyExists         = "ExecutionAlreadyExists"
	CodeExecutionDoesNotExist          = "ExecutionDoesNotExist"
	CodeExecutionLimitExceeded         = "ExecutionLimitExceeded"
	CodeExecutionNotRedrivable         = "ExecutionNotRedrivable"
	CodeInvalidArn                     = "InvalidArn"
	CodeInvalidDefinition              = "InvalidDefinition"
	CodeInvalidEncryptionConfiguration = "InvalidEncryptionConfiguration"
	CodeInvalidExecutionInput          = "InvalidExecutionInput"
	CodeInvalidLoggingConfiguration    = "InvalidLoggingConfiguration"
	CodeInvalidName                    = "InvalidName"
	CodeInvalidOutput                  = "InvalidOutput"
	CodeInvalidToken                   = "InvalidToken"
	CodeInvalidTracingConfiguration    = "InvalidTracingConfiguration"
	CodeMissingRequiredParameter       = "MissingRequiredParameter"
	CodeResourceNotFound               = "ResourceNotFound"
	CodeServiceQuotaExceeded           = "ServiceQuotaExceededException"
	CodeStateMachineAlreadyExists      = "StateMachineAlreadyExists"
	CodeStateMachineDeleting           = "StateMachineDeleting"
	CodeStateMachineDoesNotExist       = "StateMachineDoesNotExist"
	CodeStateMachineTypeNotSupported   = "StateMachineTypeNotSupported"
	CodeTaskDoesNotExist               = "TaskDoesNotExist"
	CodeTaskTimedOut                   = "TaskTimedOut"
	CodeTooManyTags                    = "TooManyTags"
	CodeValidation                     = "ValidationException"
	CodeInternalFailure                = "InternalFailure"
)

// Error is a failure the API reports to its client: an AWS error code and
// AWS's message. Every error a Service method returns for bad input or a
// missing resource is an *Error; any other error is an internal failure.
type Error struct {
	Code    string
	Message string
	// Reason is the reason member of a ValidationException, if any
	// (for example "CANNOT_UPDATE_COMPLETED_MAP_RUN").
	Reason string
	// Resource is the resourceName member of ResourceNotFound and
	// TooManyTags.
	Resource string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns the error code of err if it is (or wraps) an *Error,
// and "" otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func newError(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func invalidArn(arn string) *Error {
	return newError(CodeInvalidArn, "Invalid Arn: '%s'", arn)
}

func invalidName(name string) *Error {
	return newError(CodeInvalidName, "Invalid Name: '%s'", name)
}

func stateMachineDoesNotExist(arn string) *Error {
	return newError(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
}

func executionDoesNotExist(arn string) *Error {
	return newError(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
}

func resourceNotFound(arn string) *Error {
	return &Error{Code: CodeResourceNotFound, Message: fmt.Sprintf("Resource not found: '%s'", arn), Resource: arn}
}

func invalidToken(why string) *Error {
	return newError(CodeInvalidToken, "Invalid Token: '%s'", why)
}

// validation returns AWS's message for one failed member constraint:
// "1 validation error detected: Value 'x' at 'member' failed to satisfy
// constraint: Member must …".
func validation(value, member, constraint string) *Error {
	return newError(CodeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

// validationNull is the message for a required member that is missing.
func validationNull(member string) *Error {
	return newError(CodeValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}
