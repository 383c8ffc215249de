package lambda

import (
	"context"
	"net/http"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/local"
)

// runCommand runs a function's local command with local.Command: the
// payload on standard input, the payload result on standard output.
func (h *Handler) runCommand(ctx context.Context, t *engine.TaskRequest, in *invocation, f Function) (*response, error) {
	out := &response{executedVersion: executed(in), requestID: newRequestID()}
	if in.invocationType == DryRun {
		out.status, out.value = http.StatusNoContent, ""
		return out, nil
	}
	ct := *t
	ct.Input = parsePayload(in.payload)
	v, err := local.Command{Shell: f.Command, Dir: f.Dir}.Invoke(ctx, &ct)
	if err != nil {
		return nil, err
	}
	out.status, out.value = http.StatusOK, v
	if in.invocationType == Event {
		out.status, out.value = http.StatusAccepted, ""
	}
	return out, nil
}
