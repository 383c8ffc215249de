package api

import (
	"context"

	"github.com/stepwise-run/stepwise/service"
)

// action runs one API action on a request body and returns the response to
// encode.
type action func(ctx context.Context, body []byte) (any, error)

// handle adapts a service method to an action.
func handle[I, O any](fn func(context.Context, *I) (*O, error)) action {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(I)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}

// actions maps each supported action name to the service method that
// implements it.
func actions(s *service.Service) map[string]action {
	return map[string]action{
		"CreateStateMachine":               handle(s.CreateStateMachine),
		"DescribeStateMachine":             handle(s.DescribeStateMachine),
		"UpdateStateMachine":               handle(s.UpdateStateMachine),
		"DeleteStateMachine":               handle(s.DeleteStateMachine),
		"ListStateMachines":                handle(s.ListStateMachines),
		"ValidateStateMachineDefinition":   handle(s.ValidateStateMachineDefinition),
		"PublishStateMachineVersion":       handle(s.PublishStateMachineVersion),
		"ListStateMachineVersions":         handle(s.ListStateMachineVersions),
		"DeleteStateMachineVersion":        handle(s.DeleteStateMachineVersion),
		"CreateStateMachineAlias":          handle(s.CreateStateMachineAlias),
		"DescribeStateMachineAlias":        handle(s.DescribeStateMachineAlias),
		"UpdateStateMachineAlias":          handle(s.UpdateStateMachineAlias),
		"DeleteStateMachineAlias":          handle(s.DeleteStateMachineAlias),
		"ListStateMachineAliases":          handle(s.ListStateMachineAliases),
		"TagResource":                      handle(s.TagResource),
		"UntagResource":                    handle(s.UntagResource),
		"ListTagsForResource":              handle(s.ListTagsForResource),
		"CreateActivity":                   handle(s.CreateActivity),
		"DescribeActivity":                 handle(s.DescribeActivity),
		"DeleteActivity":                   handle(s.DeleteActivity),
		"ListActivities":                   handle(s.ListActivities),
		"StartExecution":                   handle(s.StartExecution),
		"StartSyncExecution":               handle(s.StartSyncExecution),
		"StopExecution":                    handle(s.StopExecution),
		"DescribeExecution":                handle(s.DescribeExecution),
		"DescribeStateMachineForExecution": handle(s.DescribeStateMachineForExecution),
		"ListExecutions":                   handle(s.ListExecutions),
		"GetExecutionHistory":              handle(s.GetExecutionHistory),
		"RedriveExecution":                 handle(s.RedriveExecution),
		"TestState":                        handle(s.TestState),
		"GetActivityTask":                  handle(s.GetActivityTask),
		"SendTaskSuccess":                  handle(s.SendTaskSuccess),
		"SendTaskFailure":                  handle(s.SendTaskFailure),
		"SendTaskHeartbeat":                handle(s.SendTaskHeartbeat),
	}
}

// unsupported lists the Step Functions actions this server knows but does
// not implement yet; they are answered with a clear message rather than as
// unknown.
var unsupported = map[string]bool{
	"DescribeMapRun": true, "ListMapRuns": true, "UpdateMapRun": true,
}
