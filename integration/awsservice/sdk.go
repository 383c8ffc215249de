package awsservice

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// sdkCall performs arn:aws:states:::aws-sdk:SERVICE:ACTION: the
// Parameters are the request, the response members the result. Services
// of the JSON, query and EC2 protocols take any action; S3 the actions
// of s3Actions.
func (h *Handler) sdkCall(ctx context.Context, t *engine.TaskRequest, service, action string) (any, error) {
	svc, ok := services[service]
	if !ok {
		return nil, failure.Errorf(failure.TaskFailed,
			"The AWS SDK integration '%s' is not supported by Stepwise: it calls these services only: %s.",
			"aws-sdk:"+service+":"+action, strings.Join(Services(), ", "))
	}
	params := t.Input
	if params == nil {
		params = value.NewObject(0)
	}
	obj, ok := params.(*value.Object)
	if !ok {
		return nil, taskparams.Invalid(t.Input, "The Parameters must be a JSON object, not "+value.TypeName(t.Input))
	}
	switch svc.Protocol {
	case ProtocolQuery, ProtocolEC2:
		return h.queryCall(ctx, t, svc, action, obj)
	case ProtocolRESTXML:
		return h.s3Call(ctx, t, svc, action, obj)
	}
	if svc.CamelCase {
		params = renameKeys(params, lowerFirst)
	}
	out, _, err := h.callJSON(ctx, t, svc, true, upperFirst(action), params)
	if err != nil {
		return nil, err
	}
	if svc.CamelCase {
		return renameKeys(out, upperFirst), nil
	}
	return out, nil
}

// renameKeys returns v with every object member renamed by f.
func renameKeys(v any, f func(string) string) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for _, k := range x.Keys() {
			m, _ := x.Get(k)
			o.Set(f(k), renameKeys(m, f))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = renameKeys(m, f)
		}
		return out
	}
	return v
}

func upperFirst(s string) string { return mapFirst(s, unicode.ToUpper) }
func lowerFirst(s string) string { return mapFirst(s, unicode.ToLower) }

func mapFirst(s string, f func(rune) rune) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(f(r)) + s[n:]
}
