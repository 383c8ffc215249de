package awsservice

import (
	"context"
	"net/http"
	"sort"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// callJSON sends body (a request object) to a JSON-protocol action and
// returns the parsed response object.
func (h *Handler) callJSON(ctx context.Context, t *engine.TaskRequest, svc *Service, sdk bool, action string, body any) (*value.Object, *reply, error) {
	req := &request{
		svc:         svc,
		sdk:         sdk,
		contentType: "application/x-amz-json-" + svc.JSONVersion,
		target:      svc.TargetPrefix + "." + action,
		body:        value.Marshal(body),
	}
	rep, err := h.send(ctx, t, req)
	if err != nil {
		return nil, nil, err
	}
	if len(rep.body) == 0 {
		return value.NewObject(0), rep, nil
	}
	v, err := value.Parse(rep.body)
	if err != nil {
		return nil, nil, clientError(req, "Unable to unmarshall response ("+err.Error()+"). Response Code: "+
			http.StatusText(rep.status))
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, nil, clientError(req, "Unable to unmarshall response: the body is a JSON "+value.TypeName(v)+", not an object.")
	}
	return o, rep, nil
}

// withMetadata adds SdkHttpMetadata and SdkResponseMetadata to a result
// of an optimised integration, as the AWS Java SDK Step Functions uses
// reports them.
func withMetadata(o *value.Object, rep *reply) *value.Object {
	o.Set("SdkHttpMetadata", httpMetadata(rep.header, rep.status))
	meta := value.NewObject(1)
	meta.Set("RequestId", rep.requestID)
	o.Set("SdkResponseMetadata", meta)
	return o
}

// httpMetadata renders SdkHttpMetadata: AllHttpHeaders (name → values),
// HttpHeaders (name → first value) and HttpStatusCode.
func httpMetadata(h http.Header, status int) *value.Object {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	all, first := value.NewObject(len(names)), value.NewObject(len(names))
	for _, k := range names {
		vs := make([]any, len(h[k]))
		for i, v := range h[k] {
			vs[i] = v
		}
		all.Set(k, vs)
		if len(h[k]) > 0 {
			first.Set(k, h[k][0])
		}
	}
	m := value.NewObject(3)
	m.Set("AllHttpHeaders", all)
	m.Set("HttpHeaders", first)
	m.Set("HttpStatusCode", float64(status))
	return m
}

// jsonText renders a parameter that AWS takes as a string: a string is
// itself, anything else its JSON text.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(value.Marshal(v))
}
