package awsservice

import (
	"context"
	"strings"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// sqsSendMessage performs sqs:sendMessage.
func (h *Handler) sqsSendMessage(ctx context.Context, t *engine.TaskRequest) (any, error) {
	r := taskparams.New(t.Input)
	r.Allow("QueueUrl", "MessageBody", "DelaySeconds", "MessageAttributes", "MessageDeduplicationId",
		"MessageGroupId", "MessageSystemAttributes")
	r.String("QueueUrl", true)
	body, ok := r.Value("MessageBody")
	if !ok && r.Err() == nil {
		r.Problem("The field 'MessageBody' is required")
	}
	r.Object("MessageAttributes")
	r.Object("MessageSystemAttributes")
	r.String("MessageDeduplicationId", false)
	r.String("MessageGroupId", false)
	if d, ok := r.Value("DelaySeconds"); ok {
		if _, isNum := d.(float64); !isNum {
			r.Problem("The value for the field 'DelaySeconds' must be a NUMBER")
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	in := value.Clone(t.Input).(*value.Object)
	in.Set("MessageBody", jsonText(body))
	out, rep, err := h.callJSON(ctx, t, services["sqs"], false, "SendMessage", in)
	if err != nil {
		return nil, err
	}
	return withMetadata(out, rep), nil
}

// dynamoActions are the optimised DynamoDB actions and their parameters.
var dynamoActions = map[string][]string{
	"getItem": {"TableName", "Key", "AttributesToGet", "ConsistentRead", "ExpressionAttributeNames",
		"ProjectionExpression", "ReturnConsumedCapacity"},
	"putItem": {"TableName", "Item", "ConditionalOperator", "ConditionExpression", "Expected",
		"ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnConsumedCapacity",
		"ReturnItemCollectionMetrics", "ReturnValues", "ReturnValuesOnConditionCheckFailure"},
	"updateItem": {"TableName", "Key", "AttributeUpdates", "ConditionalOperator", "ConditionExpression", "Expected",
		"ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnConsumedCapacity",
		"ReturnItemCollectionMetrics", "ReturnValues", "UpdateExpression", "ReturnValuesOnConditionCheckFailure"},
	"deleteItem": {"TableName", "Key", "ConditionalOperator", "ConditionExpression", "Expected",
		"ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnConsumedCapacity",
		"ReturnItemCollectionMetrics", "ReturnValues", "ReturnValuesOnConditionCheckFailure"},
}

// dynamoDB returns the handler of one optimised DynamoDB action
// (GetItem, PutItem, UpdateItem, DeleteItem).
func (h *Handler) dynamoDB(action string) func(context.Context, *engine.TaskRequest) (any, error) {
	name := strings.ToLower(action[:1]) + action[1:]
	allowed := dynamoActions[name]
	return func(ctx context.Context, t *engine.TaskRequest) (any, error) {
		r := taskparams.New(t.Input)
		r.Allow(allowed...)
		r.String("TableName", true)
		key := "Key"
		if action == "PutItem" {
			key = "Item"
		}
		if r.Err() == nil {
			if _, ok := r.Value(key); !ok {
				r.Problem("The field '" + key + "' is required")
			}
			r.Object(key)
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		out, rep, err := h.callJSON(ctx, t, services["dynamodb"], false, action, t.Input)
		if err != nil {
			return nil, err
		}
		return withMetadata(out, rep), nil
	}
}

// eventsPutEvents performs events:putEvents: Detail objects are sent as
// JSON text, the execution's and state machine's ARNs are appended to
// each entry's Resources, and a non-zero FailedEntryCount fails the task
// with EventBridge.FailedEntry.
func (h *Handler) eventsPutEvents(ctx context.Context, t *engine.TaskRequest) (any, error) {
	r := taskparams.New(t.Input)
	r.Allow("Entries")
	var entries []any
	if r.Err() == nil {
		v, ok := r.Value("Entries")
		switch list, isList := v.([]any); {
		case !ok:
			r.Problem("The field 'Entries' is required")
		case !isList:
			r.Problem("The value for the field 'Entries' must be an ARRAY")
		default:
			entries = list
		}
	}
	sent := make([]any, 0, len(entries))
	for i, e := range entries {
		o, ok := e.(*value.Object)
		if !ok {
			r.Problem("The value for the field 'Entries[" + value.FormatNumber(float64(i)) + "]' must be an OBJECT")
			continue
		}
		o = value.Clone(o).(*value.Object)
		if d, ok := o.Get("Detail"); ok {
			o.Set("Detail", jsonText(d))
		}
		var res []any
		if v, ok := o.Get("Resources"); ok {
			list, isList := v.([]any)
			if !isList {
				r.Problem("The value for the field 'Resources' must be an ARRAY")
				continue
			}
			res = append(res, list...)
		}
		res = append(res, executionResources(t.ExecutionARN)...)
		o.Set("Resources", res)
		sent = append(sent, o)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	body := value.NewObject(1)
	body.Set("Entries", sent)
	out, rep, err := h.callJSON(ctx, t, services["eventbridge"], false, "PutEvents", body)
	if err != nil {
		return nil, err
	}
	if n, _ := out.Get("FailedEntryCount"); n != nil && n != float64(0) {
		return nil, failure.New("EventBridge.FailedEntry", string(rep.body))
	}
	result := value.NewObject(2)
	if v, ok := out.Get("Entries"); ok {
		result.Set("Entries", v)
	}
	if v, ok := out.Get("FailedEntryCount"); ok {
		result.Set("FailedEntryCount", v)
	}
	return result, nil
}

// executionResources are the ARNs events:putEvents adds to Resources: the
// execution's and its state machine's.
func executionResources(execution string) []any {
	if execution == "" {
		return nil
	}
	out := []any{execution}
	if a, err := arn.Parse(execution); err == nil {
		if sm := a.StateMachineARN(); sm != "" {
			out = append(out, sm)
		}
	}
	return out
}
