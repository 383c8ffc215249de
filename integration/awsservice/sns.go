package awsservice

import (
	"context"
	"encoding/xml"
	"net/url"
	"sort"
	"strconv"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// snsPublish performs sns:publish through SNS's query protocol.
func (h *Handler) snsPublish(ctx context.Context, t *engine.TaskRequest) (any, error) {
	r := taskparams.New(t.Input)
	r.Allow("Message", "MessageAttributes", "MessageDeduplicationId", "MessageGroupId", "MessageStructure",
		"PhoneNumber", "Subject", "TargetArn", "TopicArn")
	form := url.Values{"Action": {"Publish"}, "Version": {"2010-03-31"}}
	for _, f := range []string{"TopicArn", "TargetArn", "PhoneNumber", "Subject", "MessageStructure",
		"MessageDeduplicationId", "MessageGroupId"} {
		if s := r.String(f, false); s != "" {
			form.Set(f, s)
		}
	}
	msg, ok := r.Value("Message")
	if r.Err() == nil && !ok {
		r.Problem("The field 'Message' is required")
	}
	if ok {
		form.Set("Message", jsonText(msg))
	}
	if attrs := r.Object("MessageAttributes"); attrs != nil {
		encodeAttributes(r, form, attrs)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	req := &request{
		svc:         services["sns"],
		contentType: "application/x-www-form-urlencoded; charset=utf-8",
		body:        []byte(form.Encode()),
	}
	rep, err := h.send(ctx, t, req)
	if err != nil {
		return nil, err
	}
	var resp struct {
		Result struct {
			MessageID      string `xml:"MessageId"`
			SequenceNumber string `xml:"SequenceNumber"`
		} `xml:"PublishResult"`
		RequestID string `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal(rep.body, &resp); err != nil || resp.Result.MessageID == "" {
		return nil, clientError(req, "Unable to unmarshall response: the body is not a PublishResponse with a MessageId.")
	}
	if rep.requestID == "" {
		rep.requestID = resp.RequestID
	}
	out := value.NewObject(4)
	out.Set("MessageId", resp.Result.MessageID)
	if resp.Result.SequenceNumber != "" {
		out.Set("SequenceNumber", resp.Result.SequenceNumber)
	}
	return withMetadata(out, rep), nil
}

// encodeAttributes writes SNS MessageAttributes ({"name": {"DataType",
// "StringValue" | "BinaryValue"}}) in the query protocol's form,
// MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue,…},
// in name order.
func encodeAttributes(r *taskparams.Reader, form url.Values, attrs *value.Object) {
	names := attrs.Keys()
	sort.Strings(names)
	for i, name := range names {
		v, _ := attrs.Get(name)
		a, ok := v.(*value.Object)
		if !ok {
			r.Problem("The value for the field 'MessageAttributes." + name + "' must be an OBJECT")
			continue
		}
		p := "MessageAttributes.entry." + strconv.Itoa(i+1) + "."
		form.Set(p+"Name", name)
		for _, f := range []string{"DataType", "StringValue", "BinaryValue"} {
			fv, ok := a.Get(f)
			if !ok {
				continue
			}
			s, ok := fv.(string)
			if !ok {
				r.Problem("The value for the field 'MessageAttributes." + name + "." + f + "' must be a STRING")
				continue
			}
			form.Set(p+"Value."+f, s)
		}
		for _, k := range a.Keys() {
			if k != "DataType" && k != "StringValue" && k != "BinaryValue" {
				r.Problem("The field 'MessageAttributes." + name + "." + k + "' is not supported by Step Functions")
			}
		}
	}
}
