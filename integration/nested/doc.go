// Package nested runs the Step Functions integration that starts other
// state machines from a Task state:
//
//	arn:aws:states:::states:startExecution                    request-response
//	arn:aws:states:::states:startExecution.sync               wait for the child; Output as JSON text
//	arn:aws:states:::states:startExecution.sync:2             wait for the child; Output as JSON
//	arn:aws:states:::states:startExecution.waitForTaskToken   wait for SendTaskSuccess/Failure
//
// Parameters are StateMachineArn (a state machine, version or alias ARN),
// Input (an object, or JSON text) and Name. A parent that passes
//
//	"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"
//
// inside Input hands its execution ARN to the child, which sees it in its
// input as on AWS.
//
// Every pattern starts the child through the service and returns AWS's
// StartExecution response: {"ExecutionArn": …, "SdkHttpMetadata": …,
// "SdkResponseMetadata": …, "StartDate": epoch milliseconds}, the
// metadata as the AWS Java SDK reports it for optimised integrations. For .sync and .sync:2 the child is started with a context
// from runner.WithParentTask, so the runner completes the parent's task
// when the child ends (see package runner for the durable link); a child
// that fails, times out or is aborted fails the task with
// States.TaskFailed and the child's description as the cause.
//
// Starting is idempotent: without a Name the child's name is derived from
// the parent's task token, so a call repeated after a crash names the same
// child, and ExecutionAlreadyExists for an execution with the same input
// counts as success. Other service errors fail the task with AWS's names,
// such as StepFunctions.StateMachineDoesNotExistException.
package nested
