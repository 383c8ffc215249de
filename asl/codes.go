package asl

// More diagnostic codes, as AWS's ValidateStateMachineDefinition and
// CreateStateMachine report them. CodeSchemaValidationFailed and
// CodeInvalidJSON are declared beside Diagnostic.
const (
	// CodeMissingTransitionTarget is reported for a Next, Default or
	// StartAt that names no state of its scope, and (as AWS does) for a
	// state that no transition reaches.
	CodeMissingTransitionTarget = "MISSING_TRANSITION_TARGET"
	// CodeMissingEndState is reported when the top-level workflow has no
	// terminal state.
	CodeMissingEndState = "MISSING_END_STATE"
	// CodeDuplicateStateName is reported for a state name used twice in the
	// whole machine, nested branches and processors included.
	CodeDuplicateStateName = "DUPLICATE_STATE_NAME"
	// CodeInvalidStateName is reported for a state name longer than 80
	// characters.
	CodeInvalidStateName = "INVALID_STATE_NAME"
	// CodeInvalidResource is reported for a Task Resource that is not an ARN.
	CodeInvalidResource = "INVALID_RESOURCE"
	// CodeInvalidLabelName is reported for a Distributed Map Label that is
	// too long or holds a forbidden character.
	CodeInvalidLabelName = "INVALID_LABEL_NAME"
	// CodeInvalidJSONata is reported for a {% %} expression that does not
	// compile.
	CodeInvalidJSONata = "INVALID_JSONATA_EXPRESSION"
	// CodeUnsupportedJSONata is reported for a JSONata expression that
	// compiles but reads what the States Language forbids: "$$", or
	// "$states.errorOutput" outside a Catcher's Output and Assign.
	CodeUnsupportedJSONata = "UNSUPPORTED_JSONATA_EXPRESSION"
)

// Diagnostic severities.
const (
	SeverityError   = "ERROR"
	SeverityWarning = "WARNING"
)

// State machine types, for ValidateOptions.Type.
const (
	Standard = "STANDARD"
	Express  = "EXPRESS"
)
