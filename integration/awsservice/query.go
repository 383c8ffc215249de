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

// encodeQuery writes the request members of params, the Parameters of
// action, into form as the AWS query protocol (or EC2's variant of it)
// serialises them, without the service's model:
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
//     written "Name=" as the AWS SDKs write it. EC2 writes lists
//     Name.N and leaves empty ones out.
//
// EC2 names each member as ec2WireName does: a list member by the
// singular of its name (InstanceIds → InstanceId.1, Filters →
// Filter.1.Name and Filter.1.Value.1).
//
// Two members EC2 would read by the same name (Filter and Filters) are
// reported as problems, in the words of a States.Runtime cause.
//
// The limits follow: lists the model marks flattened (Name.N, as in the
// query API of SQS) and members whose wire name differs from their
// PascalCase name (SNS's SetSMSAttributes takes "attributes"; see
// ec2WireName for EC2's) are not written as the service expects them.
func encodeQuery(form url.Values, svc *Service, action string, params *value.Object) (problems []string) {
	e := &queryEncoder{form: form, svc: svc}
	e.structure(action, "", params)
	return e.problems
}

// queryEncoder writes request members into a form (encodeQuery).
type queryEncoder struct {
	form     url.Values
	svc      *Service
	problems []string
}

// structure writes the members of o, a structure, below prefix ("" at
// the top). ctx is what holds it: the action at the top, else the
// member's name (EC2's names depend on it).
func (e *queryEncoder) structure(ctx, prefix string, o *value.Object) {
	var sent map[string]string // EC2: the member sent by each wire name
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		wire := k
		if e.svc.Protocol == ProtocolEC2 {
			_, list := v.([]any)
			wire = ec2WireName(ctx, k, list)
			if other, dup := sent[wire]; dup {
				e.problems = append(e.problems, "The fields '"+other+"' and '"+k+"' are both sent to EC2 as '"+formName(prefix, wire)+"'")
				continue
			}
			if sent == nil {
				sent = map[string]string{}
			}
			sent[wire] = k
		}
		e.member(k, formName(prefix, wire), v)
	}
}

// member writes v, the member name, at prefix.
func (e *queryEncoder) member(name, prefix string, v any) {
	switch x := v.(type) {
	case nil:
	case string:
		e.form.Set(prefix, x)
	case bool:
		e.form.Set(prefix, strconv.FormatBool(x))
	case float64:
		e.form.Set(prefix, value.FormatNumber(x))
	case []any:
		item := prefix + ".member."
		if e.svc.Protocol == ProtocolEC2 {
			item = prefix + "."
		} else if len(x) == 0 {
			e.form.Set(prefix, "")
		}
		for i, m := range x {
			e.member(name, item+strconv.Itoa(i+1), m)
		}
	case *value.Object:
		names, isMap := e.svc.MapMembers[name]
		if !isMap && !structureKeys(x) {
			names, isMap = [2]string{"key", "value"}, true
		}
		if !isMap {
			e.structure(name, prefix, x)
			return
		}
		for i, k := range x.Keys() {
			m, _ := x.Get(k)
			p := prefix + ".entry." + strconv.Itoa(i+1) + "."
			e.form.Set(p+names[0], k)
			e.member("", p+names[1], m)
		}
	}
}

// formName joins the parts of a form member's name.
func formName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
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

// queryCall performs an aws-sdk action of a service of the query or EC2
// protocol: the Parameters, whose names must be PascalCase, become the
// form (encodeQuery), and the action's result element
// (<ActionResponse><ActionResult>, or EC2's <ActionResponse>) the result
// (xmlToValue, ec2Result).
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
	if problems := encodeQuery(form, svc, action, params); problems != nil {
		return nil, taskparams.Invalid(params, problems...)
	}
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

// queryResult converts an answer of the query or EC2 protocol to the
// action's result.
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
	if req.svc.Protocol == ProtocolEC2 {
		return ec2Result(root, action), nil
	}
	result := root.child(action + "Result")
	if result == nil {
		return value.NewObject(0), nil
	}
	return xmlToValue(result, nil), nil
}
