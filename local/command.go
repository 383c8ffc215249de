package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// Command is a Handler that runs a local command through `sh -c`.
//
// The task's input arrives as JSON on standard input; the command's
// standard output, parsed as JSON, is the task's result (empty output is
// null). Environment: STEPWISE_TASK_TOKEN, STEPWISE_STATE_NAME,
// STEPWISE_RESOURCE and STEPWISE_EXECUTION_ARN.
//
// A non-zero exit fails the task. The command names its error by printing
// a JSON object {"Error": "MyError", "Cause": "details"} as the last line of
// standard output or standard error; otherwise the error is
// States.TaskFailed and the cause is the command's standard error.
type Command struct {
	Shell string // the command line
	Dir   string // working directory; "" for the current one
}

// Invoke runs the command.
func (c Command) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Shell)
	cmd.Dir = c.Dir
	// If the command leaves a child holding its output open, stop waiting
	// for it shortly after the command itself ends or is killed.
	cmd.WaitDelay = 5 * time.Second
	cmd.Stdin = bytes.NewReader(value.Marshal(t.Input))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(),
		"STEPWISE_TASK_TOKEN="+t.Token,
		"STEPWISE_STATE_NAME="+t.StateName,
		"STEPWISE_RESOURCE="+t.Resource,
		"STEPWISE_EXECUTION_ARN="+t.ExecutionARN,
	)
	err := cmd.Run()
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return nil, failure.Errorf(failure.TaskFailed, "run %q: %v", c.Shell, err)
		}
		for _, out := range []string{stdout.String(), stderr.String()} {
			if fe := namedError(out); fe != nil {
				return nil, fe
			}
		}
		cause := strings.TrimSpace(stderr.String())
		if cause == "" {
			cause = exitErr.Error()
		}
		return nil, failure.New(failure.TaskFailed, cause)
	}
	text := bytes.TrimSpace(stdout.Bytes())
	if len(text) == 0 {
		return nil, nil
	}
	v, err := value.Parse(text)
	if err != nil {
		return nil, failure.Errorf(failure.TaskFailed, "command %q printed output that is not JSON: %v", c.Shell, err)
	}
	return v, nil
}

// namedError reads {"Error": …, "Cause": …} from the last line of out.
func namedError(out string) *failure.Error {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if !strings.HasPrefix(last, "{") {
		return nil
	}
	var e struct {
		Error *string
		Cause string
	}
	if json.Unmarshal([]byte(last), &e) != nil || e.Error == nil {
		return nil
	}
	return failure.New(*e.Error, e.Cause)
}

func marshalEvents(events []history.Event) ([]byte, error) {
	if events == nil {
		events = []history.Event{}
	}
	return json.Marshal(events)
}
