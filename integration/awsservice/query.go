package awsservice

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// encodeQuery writes the request members of params, an object, into form
// as the AWS query protocol serialises them, without the service's
// model:
//
//   - a string is itself, a number its shortest decimal form, a boolean
//     "true" or "false"; null members are left out;
//   - an object is a structure, its members written as Name.Member, or a
//     map when the service names the member a map (Service.MapMembers,
//     e.g. SNS's Attributes and MessageAttributes) or when one of its
//     keys is not a PascalCase name: Name.entry.N.key and
//     Name.entry.N.value (or the entry names the service gives), N from 1
//     in the object's order;
//   - an array is a list: Name.member.N, N from 1, and an empty array is
//     written "Name=" as the AWS SDKs write it.
//
// The limits follow: lists the model marks flattened (Name.N, as in the
// query API of SQS) and members whose wire name differs from their
// PascalCase name (SNS's SetSMSAttributes takes "attributes") are not
// written as the service expects them.
func encodeQuery(form url.Values, svc *Service, params *value.Object) {
	for _, k := range params.Keys() {
		v, _ := params.Get(k)
		encodeMember(form, svc, k, k, v)
	}
}

// encodeMember writes v, the member name, at prefix.
func encodeMember(form url.Values, svc *Service, name, prefix string, v any) {
	switch x := v.(type) {
	case nil:
	case string:
		form.Set(prefix, x)
	case bool:
		form.Set(prefix, strconv.FormatBool(x))
	case float64:
		form.Set(prefix, value.FormatNumber(x))
	case []any:
		if len(x) == 0 {
			form.Set(prefix, "")
			return
		}
		for i, m := range x {
			encodeMember(form, svc, name, prefix+".member."+strconv.Itoa(i+1), m)
		}
	case *value.Object:
		names, isMap := svc.MapMembers[name]
		if !isMap && !structureKeys(x) {
			names, isMap = [2]string{"key", "value"}, true
		}
		if !isMap {
			for _, k := range x.Keys() {
				m, _ := x.Get(k)
				encodeMember(form, svc, k, prefix+"."+k, m)
			}
			return
		}
		for i, k := range x.Keys() {
			m, _ := x.Get(k)
			p := prefix + ".entry." + strconv.Itoa(i+1) + "."
			form.Set(p+names[0], k)
			encodeMember(form, svc, "", p+names[1], m)
		}
	}
}

// structureKeys reports whether every key of o is a memberName.
func structureKeys(o *value.Object) bool {
	for _, k := range o.Keys() {
		if !memberName(k) {
			return false
		}
	}
	return true
}

// memberName reports whether k could name a member of a structure as
// Step Functions writes it: an upper-case ASCII letter, then letters and
// digits.
func memberName(k string) bool {
	if k == "" || k[0] < 'A' || k[0] > 'Z' {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// queryCall performs an aws-sdk action of a query-protocol service: the
// Parameters, whose names must be PascalCase, become the form
// (encodeQuery), and the action's result element
// (<ActionResponse><ActionResult>) the result (xmlToValue).
func (h *Handler) queryCall(ctx context.Context, t *engine.TaskRequest, svc *Service, action string, params *value.Object) (any, error) {
	var problems []string
	for _, k := range params.Keys() {
		if !memberName(k) {
			problems = append(problems, "The field '"+k+"' is not supported by Step Functions")
		}
	}
	if problems != nil {
		return nil, taskparams.Invalid(params, problems...)
	}
	action = upperFirst(action)
	form := url.Values{}
	encodeQuery(form, svc, params)
	form.Set("Action", action)
	form.Set("Version", svc.APIVersion)
	req := &request{
		svc:         svc,
		sdk:         true,
		contentType: "application/x-www-form-urlencoded; charset=utf-8",
		body:        []byte(form.Encode()),
	}
	rep, err := h.send(ctx, t, req)
	if err != nil {
		return nil, err
	}
	return queryResult(req, rep, action)
}

// queryResult converts a query-protocol answer to the action's result.
func queryResult(req *request, rep *reply, action string) (*value.Object, error) {
	if len(strings.TrimSpace(string(rep.body))) == 0 {
		return value.NewObject(0), nil
	}
	root, err := parseXML(rep.body)
	if err != nil {
		return nil, clientError(req, "Unable to unmarshall response ("+err.Error()+"). Response Code: "+
			strconv.Itoa(rep.status))
	}
	if root.name != action+"Response" {
		return nil, clientError(req, "Unable to unmarshall response: the body is a <"+root.name+
			">, not an <"+action+"Response>.")
	}
	result := root.child(action + "Result")
	if result == nil {
		return value.NewObject(0), nil
	}
	return xmlToValue(result, nil), nil
}
