// Package arn forms, parses and validates the Amazon Resource Names of Step
// Functions resources as AWS writes them:
//
//	arn:aws:states:REGION:ACCOUNT:stateMachine:NAME
//	arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:VERSION     (digits)
//	arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:ALIAS
//	arn:aws:states:REGION:ACCOUNT:execution:SMNAME:EXECNAME
//	arn:aws:states:REGION:ACCOUNT:express:SMNAME:EXECNAME:UUID
//	arn:aws:states:REGION:ACCOUNT:activity:NAME
//	arn:aws:states:REGION:ACCOUNT:mapRun:SMNAME/MAPRUNNAME:UUID
//
// It is pure: no I/O, no clock.
package arn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Default region and account of a local server.
const (
	DefaultRegion    = "us-east-1"
	DefaultAccount   = "123456789012"
	DefaultPartition = "aws"
)

// Kind is the kind of resource an ARN names.
type Kind int

// Kinds of Step Functions ARNs.
const (
	KindInvalid Kind = iota
	KindStateMachine
	KindVersion
	KindAlias
	KindExecution
	KindExpressExecution
	KindActivity
	KindMapRun
)

var kindNames = [...]string{"invalid", "stateMachine", "version", "alias", "execution", "express", "activity", "mapRun"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ARN is a parsed Step Functions ARN.
type ARN struct {
	Kind      Kind
	Partition string
	Region    string
	Account   string
	// StateMachine is the state machine's name (every kind but activity).
	StateMachine string
	// Name is the resource's own name: the execution, activity, alias or
	// map run name; for a version its number as text; for a state machine
	// equal to StateMachine.
	Name string
	// Version is the version number of a version ARN.
	Version int64
	// ID is the trailing UUID of express executions and map runs.
	ID string
}

// ErrInvalid is wrapped by every parse error.
var ErrInvalid = errors.New("invalid ARN")

// Error is an ARN parse error; Reason is AWS's wording of the problem
// (for example "Invalid ARN prefix: x").
type Error struct {
	Reason string
}

func (e *Error) Error() string { return "Invalid Arn: '" + e.Reason + "'" }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *Error) Unwrap() error { return ErrInvalid }

func invalid(format string, args ...any) error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

// Parse parses a Step Functions ARN of any kind.
func Parse(s string) (ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		return ARN{}, invalid("Invalid ARN prefix: %s", s)
	}
	parts := strings.Split(s, ":")
	if len(parts) < 7 {
		return ARN{}, invalid("Invalid ARN format: %s", s)
	}
	a := ARN{Partition: parts[1], Region: parts[3], Account: parts[4]}
	if a.Partition == "" || parts[2] != "states" || a.Region == "" || a.Account == "" {
		return ARN{}, invalid("Invalid ARN format: %s", s)
	}
	rest := parts[6:]
	switch typ := parts[5]; typ {
	case "stateMachine":
		a.StateMachine = rest[0]
		switch len(rest) {
		case 1:
			a.Kind, a.Name = KindStateMachine, rest[0]
		case 2:
			a.Name = rest[1]
			if n, ok := versionNumber(rest[1]); ok {
				a.Kind, a.Version = KindVersion, n
			} else {
				a.Kind = KindAlias
			}
		default:
			return ARN{}, invalid("Invalid ARN format: %s", s)
		}
	case "execution":
		if len(rest) != 2 {
			return ARN{}, invalid("Invalid ARN format: %s", s)
		}
		a.Kind, a.StateMachine, a.Name = KindExecution, rest[0], rest[1]
	case "express":
		if len(rest) != 3 || rest[2] == "" {
			return ARN{}, invalid("Invalid ARN format: %s", s)
		}
		a.Kind, a.StateMachine, a.Name, a.ID = KindExpressExecution, rest[0], rest[1], rest[2]
	case "activity":
		if len(rest) != 1 {
			return ARN{}, invalid("Invalid ARN format: %s", s)
		}
		a.Kind, a.Name = KindActivity, rest[0]
	case "mapRun":
		if len(rest) != 2 || rest[1] == "" {
			return ARN{}, invalid("Invalid ARN format: %s", s)
		}
		sm, name, ok := strings.Cut(rest[0], "/")
		if !ok {
			return ARN{}, invalid("Invalid ARN format: %s", s)
		}
		a.Kind, a.StateMachine, a.Name, a.ID = KindMapRun, sm, name, rest[1]
	default:
		return ARN{}, invalid("Resource type not valid in this context: %s", typ)
	}
	if a.Kind != KindActivity && a.StateMachine == "" || a.Name == "" {
		return ARN{}, invalid("Invalid ARN format: %s", s)
	}
	return a, nil
}

// ParseKind parses s and checks that it is one of the kinds given.
func ParseKind(s string, kinds ...Kind) (ARN, error) {
	a, err := Parse(s)
	if err != nil {
		return a, err
	}
	for _, k := range kinds {
		if a.Kind == k {
			return a, nil
		}
	}
	return ARN{}, invalid("Resource type not valid in this context: %s", a.resourceType())
}

// resourceType is the resource type as written in the ARN: versions and
// aliases are "stateMachine" resources.
func (a ARN) resourceType() string {
	switch a.Kind {
	case KindVersion, KindAlias:
		return "stateMachine"
	}
	return a.Kind.String()
}

// versionNumber reports whether s is a version number: 1 to 19 digits, no sign.
func versionNumber(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// String formats a as AWS writes it.
func (a ARN) String() string {
	p := a.prefix()
	switch a.Kind {
	case KindStateMachine:
		return p + "stateMachine:" + a.StateMachine
	case KindVersion:
		if a.Name != "" {
			return p + "stateMachine:" + a.StateMachine + ":" + a.Name
		}
		return p + "stateMachine:" + a.StateMachine + ":" + strconv.FormatInt(a.Version, 10)
	case KindAlias:
		return p + "stateMachine:" + a.StateMachine + ":" + a.Name
	case KindExecution:
		return p + "execution:" + a.StateMachine + ":" + a.Name
	case KindExpressExecution:
		return p + "express:" + a.StateMachine + ":" + a.Name + ":" + a.ID
	case KindActivity:
		return p + "activity:" + a.Name
	case KindMapRun:
		return p + "mapRun:" + a.StateMachine + "/" + a.Name + ":" + a.ID
	}
	return ""
}

func (a ARN) prefix() string {
	part := a.Partition
	if part == "" {
		part = DefaultPartition
	}
	return "arn:" + part + ":states:" + a.Region + ":" + a.Account + ":"
}

// StateMachineARN returns the ARN of the state machine a names (for every
// kind but activity): a version or alias ARN without its suffix, or the state
// machine of an execution or map run.
func (a ARN) StateMachineARN() string {
	sm := ARN{Kind: KindStateMachine, Partition: a.Partition, Region: a.Region, Account: a.Account, StateMachine: a.StateMachine, Name: a.StateMachine}
	return sm.String()
}
