package store

import "time"

// State machine types, as AWS names them.
const (
	TypeStandard = "STANDARD"
	TypeExpress  = "EXPRESS"
)

// State machine statuses, as AWS names them.
const (
	StatusActive   = "ACTIVE"
	StatusDeleting = "DELETING"
)

// StateMachine is a state machine's current definition and settings.
type StateMachine struct {
	ARN         string
	Name        string
	Type        string // TypeStandard or TypeExpress
	Definition  string // the Amazon States Language text, as given
	RoleARN     string
	Description string
	// LoggingConfiguration and TracingConfiguration are the JSON documents
	// of the API, stored as given (nil when unset).
	LoggingConfiguration []byte
	TracingConfiguration []byte
	RevisionID           string // changes with every update, set by the caller
	Status               string // StatusActive or StatusDeleting
	CreationDate         time.Time
	UpdateDate           time.Time // zero until the first update
}

// Version is an immutable, numbered snapshot of a state machine.
type Version struct {
	ARN             string // StateMachineARN + ":" + Number
	StateMachineARN string
	Number          int64 // 1, 2, …; never reused, even after deletion
	Description     string
	// The state machine's fields frozen at publication.
	Definition           string
	RoleARN              string
	RevisionID           string
	LoggingConfiguration []byte
	TracingConfiguration []byte
	CreationDate         time.Time
}

// Alias is a named pointer to one or two versions of a state machine.
type Alias struct {
	ARN             string // StateMachineARN + ":" + Name
	StateMachineARN string
	Name            string
	Description     string
	// RoutingConfiguration is the API's JSON routing configuration, stored
	// as given.
	RoutingConfiguration []byte
	CreationDate         time.Time
	UpdateDate           time.Time
}

// Tag is one key/value tag of a resource.
type Tag struct {
	Key   string
	Value string
}

// StateMachineResult is the outcome of creating or updating a state machine.
type StateMachineResult struct {
	StateMachine StateMachine
	// Version is the version published with the change, or nil.
	Version *Version
}

// CreateStateMachineParams describe a new state machine.
type CreateStateMachineParams struct {
	// StateMachine holds every field of the new record; Status defaults to
	// StatusActive and UpdateDate is ignored.
	StateMachine StateMachine
	Tags         []Tag
	// Publish also publishes version 1, with VersionDescription, dated
	// StateMachine.CreationDate.
	Publish            bool
	VersionDescription string
}

// UpdateStateMachineParams describe a change to a state machine. Nil
// pointers and nil slices leave a field unchanged.
type UpdateStateMachineParams struct {
	ARN                  string
	Definition           *string
	RoleARN              *string
	Description          *string
	LoggingConfiguration []byte
	TracingConfiguration []byte
	Status               *string
	// RevisionID, if not empty, becomes the new revision id.
	RevisionID string
	UpdateDate time.Time
	// Publish also publishes a version of the updated state machine, with
	// VersionDescription, dated UpdateDate.
	Publish            bool
	VersionDescription string
}

// PublishVersionParams describe a version to publish.
type PublishVersionParams struct {
	StateMachineARN string
	Description     string
	// ExpectedRevisionID, if not empty, must equal the state machine's
	// current revision id, or PublishVersion fails with ErrConflict.
	ExpectedRevisionID string
	CreationDate       time.Time
}

// ListVersionsParams select a page of a state machine's versions.
type ListVersionsParams struct {
	StateMachineARN string
	ListParams
}

// CreateAliasParams describe a new alias. Alias.StateMachineARN must name an
// existing state machine.
type CreateAliasParams struct {
	Alias Alias
}

// UpdateAliasParams describe a change to an alias. Nil fields are unchanged.
type UpdateAliasParams struct {
	ARN                  string
	Description          *string
	RoutingConfiguration []byte
	UpdateDate           time.Time
}

// ListAliasesParams select a page of a state machine's aliases.
type ListAliasesParams struct {
	StateMachineARN string
	ListParams
}

// TagResourceParams add or replace tags of a resource.
type TagResourceParams struct {
	ResourceARN string
	Tags        []Tag
}

// UntagResourceParams remove tags from a resource.
type UntagResourceParams struct {
	ResourceARN string
	Keys        []string
}
