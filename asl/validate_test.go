package asl

import (
	"strings"
	"testing"
)

// d is a diagnostic in a test table: code, location, message.
type d struct{ code, loc, msg string }

const (
	svf = CodeSchemaValidationFailed
	mtt = CodeMissingTransitionTarget
)

// one wraps one state named A into a machine.
func one(state string) string {
	return `{"StartAt":"A","States":{"A":` + state + `}}`
}

// ql is one() with a top-level QueryLanguage JSONata.
func jsonataOne(state string) string {
	return `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":` + state + `}}`
}

type validateTest struct {
	name string
	def  string
	opts ValidateOptions
	want []d
}

func runValidateTests(t *testing.T, tests []validateTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Check([]byte(tt.def), tt.opts)
			var got []d
			for _, g := range diags {
				got = append(got, d{g.Code, g.Location, g.Message})
				if g.Severity != SeverityError {
					t.Errorf("severity %q", g.Severity)
				}
			}
			if !equalDiags(got, tt.want) {
				t.Errorf("Check(%s)\n got %s\nwant %s", tt.def, fmtDiags(got), fmtDiags(tt.want))
			}
		})
	}
}

func equalDiags(a, b []d) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func fmtDiags(ds []d) string {
	var b strings.Builder
	for _, x := range ds {
		b.WriteString("\n  " + x.code + " | " + x.loc + " | " + x.msg)
	}
	if len(ds) == 0 {
		return "(none)"
	}
	return b.String()
}

func TestValidateTopLevel(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"valid", one(`{"Type":"Pass","End":true}`), ValidateOptions{}, nil},
		{"empty", `{}`, ValidateOptions{}, []d{{svf, "/", "These fields are required: [States, StartAt]"}}},
		{"no States", `{"StartAt":"A"}`, ValidateOptions{}, []d{{svf, "/", "These fields are required: [States]"}}},
		{"unknown field", `{"StartAt":"A","Foo":1,"States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/", "Field 'Foo' is not supported"}}},
		{"bad QueryLanguage", `{"QueryLanguage":"XPath","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/QueryLanguage", "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]"}}},
		{"TimeoutSeconds", `{"TimeoutSeconds":0,"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/TimeoutSeconds", "The value for the field 'TimeoutSeconds' must be greater than or equal to 1"}}},
		{"Version", `{"Version":"2.0","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/Version", "The field 'Version' should have one of these values: [1.0]"}}},
		{"StartAt type", `{"StartAt":1,"States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/StartAt", "Expected value of type [STRING]"}}},
		{"not an object", `[1]`, ValidateOptions{}, []d{{svf, "/", "Expected value of type [OBJECT]"}}},
	})
}

func TestValidateTransitions(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"missing Next target and unreachable (recorded from AWS)",
			`{"StartAt":"pass1","States":{"pass1":{"Type":"Pass","Next":"pass3"},"pass2":{"Type":"Pass","End":true}}}`, ValidateOptions{},
			[]d{{mtt, "/States/pass1/Next", "Missing 'Next' target: pass3"}, {mtt, "/States/pass2", `State "pass2" is not reachable.`}}},
		{"StartAt target", `{"StartAt":"X","States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{mtt, "/StartAt", "Missing 'Next' target: X"}, {mtt, "/States/A", `State "A" is not reachable.`}}},
		{"no terminal state", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},"C":{"Type":"Pass","Next":"A"}}}`, ValidateOptions{},
			[]d{{CodeMissingEndState, "", "Workflow has no terminal state"}}},
		{"Default, Choices and Catch targets",
			one(`{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"X"}],"Default":"Y"}`), ValidateOptions{},
			[]d{{mtt, "/States/A/Choices[0]/Next", "Missing 'Next' target: X"}, {mtt, "/States/A/Default", "Missing 'Next' target: Y"},
				{CodeMissingEndState, "", "Workflow has no terminal state"}}},
		{"Catch target", one(`{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Z"}]}`), ValidateOptions{},
			[]d{{mtt, "/States/A/Catch[0]/Next", "Missing 'Next' target: Z"}}},
		{"no transition out of a branch",
			`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"P"}}}]}}}`, ValidateOptions{},
			[]d{{mtt, "/States/P/Branches/0/States/B/Next", "Missing 'Next' target: P"}}},
		{"no transition into a branch",
			`{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"B","Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]}}}`, ValidateOptions{},
			[]d{{mtt, "/States/P/Next", "Missing 'Next' target: B"}, {CodeMissingEndState, "", "Workflow has no terminal state"}}},
		{"unreachable in a processor",
			`{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"},"C":{"Type":"Succeed"}}}}}}`, ValidateOptions{},
			[]d{{mtt, "/States/M/ItemProcessor/States/C", `State "C" is not reachable.`}}},
		{"duplicate name across scopes",
			`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}]}}}`, ValidateOptions{},
			[]d{{CodeDuplicateStateName, "/States/P/Branches/0/States/P", "Duplicate State name: P"}}},
		{"long name", `{"StartAt":"` + strings.Repeat("n", 81) + `","States":{"` + strings.Repeat("n", 81) + `":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{CodeInvalidStateName, "/States/" + strings.Repeat("n", 81), "State name '" + strings.Repeat("n", 81) + "' exceeds the maximum length of 80 characters"}}},
		{"name of 80 characters", `{"StartAt":"` + strings.Repeat("é", 80) + `","States":{"` + strings.Repeat("é", 80) + `":{"Type":"Succeed"}}}`, ValidateOptions{}, nil},
		{"branch requires StartAt", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"States":{"B":{"Type":"Succeed"}}}]}}}`, ValidateOptions{},
			[]d{{svf, "/States/P/Branches/0", "These fields are required: [StartAt]"}}},
		{"processor QueryLanguage", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"QueryLanguage":"JSONata","StartAt":"B","States":{"B":{"Type":"Succeed"}}}}}}`, ValidateOptions{},
			[]d{{svf, "/States/M/ItemProcessor", "Field 'QueryLanguage' is not supported"}}},
	})
}

func TestValidateStateFields(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"Type required", one(`{"End":true}`), ValidateOptions{}, []d{{svf, "/States/A", "These fields are required: [Type]"}}},
		{"Type value (recorded from AWS)", one(`{"Type":"TypeThatDoesNotExist","End":true}`), ValidateOptions{},
			[]d{{svf, "/States/A/Type", "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"}}},
		{"field of another type", one(`{"Type":"Pass","End":true,"Resource":"x","Retry":[]}`), ValidateOptions{},
			[]d{{svf, "/States/A", "Field 'Resource' is not supported"}, {svf, "/States/A", "Field 'Retry' is not supported"}}},
		{"Next on Succeed", `{"StartAt":"A","States":{"A":{"Type":"Succeed","Next":"A"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A", "Field 'Next' is not supported"}}},
		{"End on Choice", one(`{"Type":"Choice","End":true,"Choices":[{"Variable":"$.x","IsNull":true,"Next":"A"}]}`), ValidateOptions{},
			[]d{{svf, "/States/A", "Field 'End' is not supported"}}},
		{"neither Next nor End", `{"StartAt":"A","States":{"A":{"Type":"Pass"},"B":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A", "Either 'Next' or 'End' field is required"}, {mtt, "/States/B", `State "B" is not reachable.`}}},
		{"both Next and End", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Next":"B"},"B":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A", "The fields 'Next' and 'End' cannot both be set"}}},
		{"Task Resource required", one(`{"Type":"Task","End":true}`), ValidateOptions{}, []d{{svf, "/States/A", "These fields are required: [Resource]"}}},
		{"Map ItemProcessor required", one(`{"Type":"Map","End":true}`), ValidateOptions{}, []d{{svf, "/States/A", "These fields are required: [ItemProcessor]"}}},
		{"Parallel Branches required and non-empty", `{"StartAt":"A","States":{"A":{"Type":"Parallel","Next":"B"},"B":{"Type":"Parallel","End":true,"Branches":[]}}}`, ValidateOptions{},
			[]d{{svf, "/States/A", "These fields are required: [Branches]"}, {svf, "/States/B/Branches", "The field 'Branches' must contain at least 1 element"}}},
		{"Fail takes no Retry, Assign or TimeoutSeconds", one(`{"Type":"Fail","Retry":[],"Assign":{},"TimeoutSeconds":3}`), ValidateOptions{},
			[]d{{svf, "/States/A", "Field 'Retry' is not supported"}, {svf, "/States/A", "Field 'Assign' is not supported"}, {svf, "/States/A", "Field 'TimeoutSeconds' is not supported"}}},
		{"bad InputPath and ResultPath", one(`{"Type":"Pass","End":true,"InputPath":"a.b","ResultPath":"$.a[*]","OutputPath":null}`), ValidateOptions{},
			[]d{{svf, "/States/A/InputPath", "The value for the field 'InputPath' must be a valid JSONPath"},
				{svf, "/States/A/ResultPath", "The value for the field 'ResultPath' must be a valid ReferencePath"}}},
		{"ResultPath into the context", one(`{"Type":"Pass","End":true,"ResultPath":"$$.Execution"}`), ValidateOptions{},
			[]d{{svf, "/States/A/ResultPath", "The value for the field 'ResultPath' must be a valid ReferencePath"}}},
		{"ItemsPath reference path", one(`{"Type":"Map","End":true,"ItemsPath":"$..a","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}}`), ValidateOptions{},
			[]d{{svf, "/States/A/ItemsPath", "The value for the field 'ItemsPath' must be a valid ReferencePath"}}},
	})
}

func TestValidateQueryLanguage(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"downgrade (recorded from AWS)", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true,"QueryLanguage":"JSONPath","InputPath":"$"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A", "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"}}},
		{"JSONPath fields in a JSONata state", jsonataOne(`{"Type":"Pass","End":true,"InputPath":"$","Parameters":{},"Output":"{% $states.input %}"}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage"},
				{svf, "/States/A", "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage"}}},
		{"JSONata fields in a JSONPath state", one(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Arguments":{},"Output":1}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage"},
				{svf, "/States/A", "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"}}},
		{"state upgrade to JSONata", one(`{"Type":"Pass","End":true,"QueryLanguage":"JSONata","Output":"{% 1 %}"}`), ValidateOptions{}, nil},
		{"nested states inherit the machine's language", `{"StartAt":"M","States":{"M":{"Type":"Map","QueryLanguage":"JSONata","End":true,"ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Pass","End":true,"Output":1}}}}}}`, ValidateOptions{},
			[]d{{svf, "/States/M/ItemProcessor/States/B", "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"}}},
		{"bad JSONata", jsonataOne(`{"Type":"Pass","End":true,"Output":{"a":["{% 1 + %}"]}}`), ValidateOptions{},
			[]d{{CodeInvalidJSONata, "/States/A/Output/a/0", `Unexpected end of expression`}}},
		{"JSONata Seconds", jsonataOne(`{"Type":"Wait","End":true,"Seconds":"{% 3 %}"}`), ValidateOptions{}, nil},
		{"JSONata Timestamp string in JSONPath state (recorded from AWS)", one(`{"Type":"Wait","End":true,"Timestamp":"{% '2016-03-14T01:59:00Z' %}"}`), ValidateOptions{},
			[]d{{svf, "/States/A/Timestamp", "String does not match RFC3339 timestamp"}}},
	})
}

func TestValidateTask(t *testing.T) {
	const lambda = `"Resource":"arn:aws:states:::lambda:invoke"`
	runValidateTests(t, []validateTest{
		{"waitForTaskToken in Express (recorded from AWS)", one(`{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}`), ValidateOptions{Type: Express},
			[]d{{svf, "/States/A/Resource", "Express state machine does not support '.waitForTaskToken' service integration "}}},
		{"waitForTaskToken in Standard", one(`{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}`), ValidateOptions{Type: Standard}, nil},
		{"sync in Express", one(`{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","End":true}`), ValidateOptions{Type: Express},
			[]d{{svf, "/States/A/Resource", "Express state machine does not support '.sync' service integration "}}},
		{"bad resource", one(`{"Type":"Task","Resource":"lambda","End":true}`), ValidateOptions{},
			[]d{{CodeInvalidResource, "/States/A/Resource", "Resource 'lambda' is not a valid ARN"}}},
		{"timeouts", one(`{"Type":"Task",` + lambda + `,"End":true,"TimeoutSeconds":0,"HeartbeatSeconds":1.5,"TimeoutSecondsPath":"$.t"}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The fields 'TimeoutSeconds' and 'TimeoutSecondsPath' cannot both be set"},
				{svf, "/States/A/TimeoutSeconds", "The value for the field 'TimeoutSeconds' must be greater than or equal to 1"},
				{svf, "/States/A/HeartbeatSeconds", "Expected value of type [INTEGER]"}}},
		{"heartbeat not below timeout", one(`{"Type":"Task",` + lambda + `,"End":true,"TimeoutSeconds":10,"HeartbeatSeconds":10}`), ValidateOptions{},
			[]d{{svf, "/States/A/HeartbeatSeconds", "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'"}}},
		{"empty credentials (recorded from AWS)", jsonataOne(`{"Type":"Task",` + lambda + `,"Arguments":"{% $states.input %}","Credentials":{},"End":true}`), ValidateOptions{},
			[]d{{svf, "/States/A/Credentials", "The field 'RoleArn' is required but was missing"}}},
		{"credentials path", one(`{"Type":"Task",` + lambda + `,"Credentials":{"RoleArn.$":"$.role"},"End":true}`), ValidateOptions{}, nil},
		{"JSONata Arguments string", jsonataOne(`{"Type":"Task",` + lambda + `,"Arguments":"x","End":true}`), ValidateOptions{},
			[]d{{svf, "/States/A/Arguments", "The value for the field 'Arguments' must be an OBJECT or a JSONata expression"}}},
	})
}

func TestValidatePayloadTemplates(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"bad escape in intrinsic (recorded from AWS)", one(`{"Type":"Pass","End":true,"Parameters":{"parsed.$":"States.StringToJson('{\"a\":\"\\\"q\\\"\"}')"}}`), ValidateOptions{},
			[]d{{svf, "/States/A/Parameters", "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call"}}},
		{"nested keys", one(`{"Type":"Pass","End":true,"Parameters":{"a":{"b":[{"c.$":"nope"}],"ok.$":"$.x","f.$":"States.Format('{}', $.a)"}}}`), ValidateOptions{},
			[]d{{svf, "/States/A/Parameters/a/b/0", "The value for the field 'c.$' must be a valid JSONPath or a valid intrinsic function call"}}},
		{"non-string value", one(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"ResultSelector":{"x.$":1}}`), ValidateOptions{},
			[]d{{svf, "/States/A/ResultSelector", "The value for the field 'x.$' must be a STRING that contains a JSONPath or an intrinsic function call, but was number"}}},
		{"context and variables", one(`{"Type":"Pass","End":true,"Parameters":{"t.$":"$$.Task.Token","v.$":"$myVar.a"}}`), ValidateOptions{}, nil},
		{"Assign names", one(`{"Type":"Pass","End":true,"Assign":{"states":1,"9x":2,"ok":3,"p.$":"$.a","q.$":"a"}}`), ValidateOptions{},
			[]d{{svf, "/States/A/Assign", "The variable name 'states' is reserved"},
				{svf, "/States/A/Assign", "The variable name '9x' is invalid: it must start with a letter or '_' and contain only letters, digits and '_'"},
				{svf, "/States/A/Assign", "The value for the field 'q.$' must be a valid JSONPath or a valid intrinsic function call"}}},
	})
}

func TestValidateRetryCatch(t *testing.T) {
	task := func(extra string) string {
		return `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,` + extra + `},"H":{"Type":"Succeed"}}}`
	}
	runValidateTests(t, []validateTest{
		{"valid", task(`"Retry":[{"ErrorEquals":["X"],"IntervalSeconds":1,"MaxAttempts":0,"BackoffRate":1,"MaxDelaySeconds":5,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H","ResultPath":"$.e"}]`), ValidateOptions{}, nil},
		{"ranges", task(`"Retry":[{"ErrorEquals":["X"],"IntervalSeconds":0,"MaxAttempts":-1,"BackoffRate":0.5,"MaxDelaySeconds":0,"JitterStrategy":"HALF"}],"Catch":[{"ErrorEquals":["X"],"Next":"H"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Retry/0/IntervalSeconds", "The value for the field 'IntervalSeconds' must be greater than or equal to 1"},
				{svf, "/States/A/Retry/0/MaxAttempts", "The value for the field 'MaxAttempts' must be greater than or equal to 0"},
				{svf, "/States/A/Retry/0/MaxDelaySeconds", "The value for the field 'MaxDelaySeconds' must be greater than or equal to 1"},
				{svf, "/States/A/Retry/0/BackoffRate", "The value for the field 'BackoffRate' must be greater than or equal to 1.0"},
				{svf, "/States/A/Retry/0/JitterStrategy", "The field 'JitterStrategy' should have one of these values: [FULL, NONE]"}}},
		{"States.ALL alone and last", task(`"Retry":[{"ErrorEquals":["States.ALL","X"]},{"ErrorEquals":[]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"},{"ErrorEquals":["X"],"Next":"H"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Retry/0/ErrorEquals", "The error name 'States.ALL' must appear alone in the field 'ErrorEquals'"},
				{svf, "/States/A/Retry/1/ErrorEquals", "The field 'ErrorEquals' must contain at least 1 element"},
				{svf, "/States/A/Catch/0/ErrorEquals", "A Catcher with 'States.ALL' in the field 'ErrorEquals' must be the last one"}}},
		{"required and unknown", task(`"Retry":[{"Foo":1}],"Catch":[{"ErrorEquals":["X"],"Next":"H","Output":1}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Retry/0", "Field 'Foo' is not supported"}, {svf, "/States/A/Retry/0", "These fields are required: [ErrorEquals]"},
				{svf, "/States/A/Catch/0", "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"}}},
		{"catch requires Next", task(`"Catch":[{"ErrorEquals":["X"]}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Catch/0", "These fields are required: [Next]"}, {mtt, "/States/H", `State "H" is not reachable.`}}},
	})
}

func TestValidateWaitFail(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"none", one(`{"Type":"Wait","End":true}`), ValidateOptions{},
			[]d{{svf, "/States/A", "A Wait state must have exactly one of the fields 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'"}}},
		{"two", one(`{"Type":"Wait","End":true,"Seconds":1,"SecondsPath":"$.s"}`), ValidateOptions{},
			[]d{{svf, "/States/A", "A Wait state must have exactly one of the fields 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'"}}},
		{"negative seconds", one(`{"Type":"Wait","End":true,"Seconds":-1}`), ValidateOptions{},
			[]d{{svf, "/States/A/Seconds", "The value for the field 'Seconds' must be greater than or equal to 0"}}},
		{"bad dates (recorded from AWS)", `{"StartAt":"A","States":{"A":{"Type":"Wait","Next":"B","Timestamp":"2016-13-05T21:29:29Z"},"B":{"Type":"Wait","Next":"C","Timestamp":"2016-12-05 21:29:29Z"},"C":{"Type":"Wait","End":true,"Timestamp":"2016-12-05T21:29:29"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A/Timestamp", "String does not match RFC3339 timestamp"}, {svf, "/States/B/Timestamp", "String does not match RFC3339 timestamp"},
				{svf, "/States/C/Timestamp", "String does not match RFC3339 timestamp"}}},
		{"good dates", `{"StartAt":"A","States":{"A":{"Type":"Wait","Next":"B","Timestamp":"2016-03-14T01:59:00.123Z"},"B":{"Type":"Wait","End":true,"Timestamp":"2016-03-14T01:59:00+02:00"}}}`, ValidateOptions{}, nil},
		{"Fail exclusive fields", one(`{"Type":"Fail","Error":"E","ErrorPath":"$.e","Cause":"C","CausePath":"nope"}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The fields 'Error' and 'ErrorPath' cannot both be set"}, {svf, "/States/A", "The fields 'Cause' and 'CausePath' cannot both be set"},
				{svf, "/States/A/CausePath", "The value for the field 'CausePath' must be a valid JSONPath or a valid intrinsic function call"}}},
		{"Fail intrinsic cause", one(`{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('x {}', $.c)"}`), ValidateOptions{}, nil},
	})
}

func TestValidateChoice(t *testing.T) {
	choice := func(rules string) string {
		return `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":` + rules + `,"Default":"B"},"B":{"Type":"Succeed"}}}`
	}
	runValidateTests(t, []validateTest{
		{"valid", choice(`[{"And":[{"Variable":"$.a","NumericGreaterThan":1},{"Not":{"Variable":"$.b","StringMatches":"x*"}}],"Next":"B"},{"Variable":"$.t","TimestampEquals":"2016-03-14T01:59:00Z","Next":"B"},{"Variable":"$.a","NumericEqualsPath":"$.b","Next":"B"}]`), ValidateOptions{}, nil},
		{"empty Choices", choice(`[]`), ValidateOptions{}, []d{{svf, "/States/A/Choices", "The field 'Choices' must contain at least 1 element"}}},
		{"Next required at top level (recorded from AWS)", choice(`[{"Variable":"$","StringMatches":"Test"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Choices/0", "These fields are required: [Next]"}}},
		{"Next forbidden when nested", choice(`[{"Not":{"Variable":"$","IsNull":true,"Next":"B"},"Next":"B"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Choices/0/Not", "Field 'Next' is not supported"}}},
		{"operators", choice(`[{"Variable":"$.a","Next":"B"},{"Variable":"$.a","IsNull":true,"IsPresent":true,"Next":"B"},{"Variable":"$.a","StringEqual":"x","Next":"B"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Choices/0", "A Choice Rule must have one comparison operator, or one of the fields 'And', 'Or' or 'Not'"},
				{svf, "/States/A/Choices/1", "A Choice Rule must have exactly one comparison operator, or one of the fields 'And', 'Or' or 'Not', but found: [IsNull, IsPresent]"},
				{svf, "/States/A/Choices/2", "Field 'StringEqual' is not supported"},
				{svf, "/States/A/Choices/2", "A Choice Rule must have one comparison operator, or one of the fields 'And', 'Or' or 'Not'"}}},
		{"operand types", choice(`[{"Variable":"$.a","NumericEquals":"1","Next":"B"},{"Variable":"$.a","BooleanEquals":1,"Next":"B"},{"Variable":"$.a","TimestampLessThan":"yesterday","Next":"B"},{"Variable":"$.a","StringEqualsPath":"x","Next":"B"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Choices/0/NumericEquals", "Expected value of type [NUMBER]"},
				{svf, "/States/A/Choices/1/BooleanEquals", "Expected value of type [BOOLEAN]"},
				{svf, "/States/A/Choices/2/TimestampLessThan", "String does not match RFC3339 timestamp"},
				{svf, "/States/A/Choices/3/StringEqualsPath", "The value for the field 'StringEqualsPath' must be a valid JSONPath"}}},
		{"Variable", choice(`[{"StringEquals":"x","Next":"B"},{"Variable":"a.b","StringEquals":"x","Next":"B"}]`), ValidateOptions{},
			[]d{{svf, "/States/A/Choices/0", "These fields are required: [Variable]"},
				{svf, "/States/A/Choices/1/Variable", "The value for the field 'Variable' must be a valid JSONPath"}}},
		{"empty And", choice(`[{"And":[],"Next":"B"}]`), ValidateOptions{}, []d{{svf, "/States/A/Choices/0/And", "The field 'And' must contain at least 1 element"}}},
		{"JSONata rules", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.a %}","Next":"B"},{"Variable":"$.a","Next":"B"},{"Condition":"yes","Next":"B"}],"Default":"B"},"B":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A/Choices/1", "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage"},
				{svf, "/States/A/Choices/1", "These fields are required: [Condition]"},
				{svf, "/States/A/Choices/2/Condition", "The value for the field 'Condition' must be a JSONata expression"}}},
	})
}

func TestValidateMap(t *testing.T) {
	const proc = `"ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`
	const dist = `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`
	runValidateTests(t, []validateTest{
		{"valid distributed", one(`{"Type":"Map","End":true,` + dist + `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket.$":"$.b","Key":"k"}},"ToleratedFailurePercentage":5,"MaxConcurrency":10,"Label":"L"}`), ValidateOptions{}, nil},
		{"distributed-only fields", one(`{"Type":"Map","End":true,` + proc + `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},"Label":"x"}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The field 'ItemReader' is only supported for a Map state in DISTRIBUTED mode"},
				{svf, "/States/A", "The field 'Label' is only supported for a Map state in DISTRIBUTED mode"}}},
		{"processor config", one(`{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"FAST","ExecutionType":"SLOW"},"StartAt":"B","States":{"B":{"Type":"Succeed"}}}}`), ValidateOptions{},
			[]d{{svf, "/States/A/ItemProcessor/ProcessorConfig/Mode", "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]"},
				{svf, "/States/A/ItemProcessor/ProcessorConfig/ExecutionType", "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]"}}},
		{"ranges", one(`{"Type":"Map","End":true,` + dist + `,"MaxConcurrency":-1,"MaxConcurrencyPath":"$.m","ToleratedFailurePercentage":101,"ToleratedFailureCount":-2}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The fields 'MaxConcurrency' and 'MaxConcurrencyPath' cannot both be set"},
				{svf, "/States/A/MaxConcurrency", "The value for the field 'MaxConcurrency' must be greater than or equal to 0"},
				{svf, "/States/A/ToleratedFailureCount", "The value for the field 'ToleratedFailureCount' must be greater than or equal to 0"},
				{svf, "/States/A/ToleratedFailurePercentage", "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100"}}},
		{"Iterator", one(`{"Type":"Map","End":true,"Iterator":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"Parameters":{"x.$":"$$.Map.Item.Value"}}`), ValidateOptions{}, nil},
		{"bad label", one(`{"Type":"Map","End":true,` + dist + `,"Label":"a b"}`), ValidateOptions{},
			[]d{{CodeInvalidLabelName, "/States/A/Label", "The label 'a b' is invalid: it must have at most 40 characters and no whitespace or special characters"}}},
		{"JSONata Items", jsonataOne(`{"Type":"Map","End":true,` + proc + `,"Items":"x"}`), ValidateOptions{},
			[]d{{svf, "/States/A/Items", "The value for the field 'Items' must be an ARRAY or a JSONata expression"}}},
	})
}

func TestValidateCollectsEverything(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X","Bogus":1},"B":{"Type":"Task","End":true},"C":{"Type":"Wait","End":true,"Seconds":-1}}}`
	_, diags := Check([]byte(def), ValidateOptions{})
	want := "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /States/A, " +
		"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next, " +
		"SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/B, " +
		"SCHEMA_VALIDATION_FAILED: The value for the field 'Seconds' must be greater than or equal to 0 at /States/C/Seconds, " +
		"MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B, " +
		"MISSING_TRANSITION_TARGET: State \"C\" is not reachable. at /States/C'"
	if got := FormatInvalidDefinition(diags); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestFormatInvalidDefinition(t *testing.T) {
	diags := []Diagnostic{
		{Code: mtt, Location: "/States/pass1/Next", Message: "Missing 'Next' target: pass3", Severity: SeverityError},
		{Code: "NO_DOLLAR", Location: "/States/x", Message: "ignored", Severity: SeverityWarning},
		{Code: mtt, Location: "/States/pass2", Message: `State "pass2" is not reachable.`, Severity: SeverityError},
		{Code: CodeMissingEndState, Message: "Workflow has no terminal state", Severity: SeverityError},
	}
	want := `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, ` +
		`MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2, MISSING_END_STATE: Workflow has no terminal state at null'`
	if got := FormatInvalidDefinition(diags); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !HasErrors(diags) || HasErrors(diags[1:2]) || HasErrors(nil) {
		t.Error("HasErrors")
	}
}

func TestValidateIsStable(t *testing.T) {
	def := []byte(`{"StartAt":"A","States":{"A":{"Type":"Parallel","Next":"Q","Foo":1,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"A"},"C":{"Type":"Wait"}}}]},"D":{"Type":"Choice","Choices":[{"Variable":"x","Next":"Y"}]}}}`)
	_, first := Check(def, ValidateOptions{})
	for range 20 {
		_, again := Check(def, ValidateOptions{})
		if len(again) != len(first) {
			t.Fatalf("unstable: %v vs %v", first, again)
		}
		for i := range first {
			if first[i] != again[i] {
				t.Fatalf("unstable: %v vs %v", first, again)
			}
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`))
	f.Add([]byte(`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Map","Items":"{% [1,2] %}","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"A","Output":"{% $x %}"}],"End":true}}}`))
	f.Add([]byte(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","NumericEquals":1},{"Not":{"Variable":"$.b","IsNull":true}}],"Next":"D"}],"Default":"D"},"D":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"States.Format('{}', $.x)","b":[{"c.$":"$$.Task.Token"}]},"TimeoutSeconds":5,"HeartbeatSeconds":6,"Credentials":{"RoleArn.$":"$.r"},"End":true}}}`))
	f.Add([]byte(`{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","Next":"Q"}}}],"Next":"F"},"F":{"Type":"Fail","ErrorPath":"$.e","Cause":"c"}}}`))
	f.Add([]byte(`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{"a":"{% $states.input.x[y > 1] %}","b":"{% phone & \"x\" /* c */ %}","c":"{% ` + "`a b`" + ` %}"},"Assign":{"v":"{% $$ %}"},"Next":"B"},"B":{"Type":"Choice","Choices":[{"Condition":"{% $v ? 1 : n %}","Next":"A"}],"Default":"C"},"C":{"Type":"Succeed"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		def, diags := Check(b, ValidateOptions{Type: Express, Warnings: true})
		if def == nil && len(diags) == 0 {
			t.Fatal("no definition and no diagnostic")
		}
		FormatInvalidDefinition(diags)
		if s, diags := CheckState(b, ValidateOptions{}); s == nil && len(diags) == 0 {
			t.Fatal("CheckState: no state and no diagnostic")
		}
	})
}

func TestValidateWarnings(t *testing.T) {
	def := one(`{"Type":"Pass","End":true,"Parameters":{"a":"$.x","b.$":"$.y","c":{"d":"States.UUID()"}},"Result":{"r":"$.z"}}`)
	_, diags := Check([]byte(def), ValidateOptions{})
	if len(diags) != 0 {
		t.Fatalf("warnings without ValidateOptions.Warnings: %v", diags)
	}
	_, diags = Check([]byte(def), ValidateOptions{Warnings: true})
	var got []d
	for _, g := range diags {
		if g.Severity != SeverityWarning {
			t.Errorf("severity of %v", g)
		}
		got = append(got, d{g.Code, g.Location, g.Message})
	}
	want := []d{
		{CodeNoDollar, "/States/A/Parameters", "The value for the field 'a' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'"},
		{CodeNoDollar, "/States/A/Parameters/c", "The value for the field 'd' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'"},
		{CodePassResultIsStatic, "/States/A/Result", "The field 'Result' is static: the paths and intrinsic function calls in it are not evaluated"},
	}
	if !equalDiags(got, want) {
		t.Errorf("got %s\nwant %s", fmtDiags(got), fmtDiags(want))
	}
	if HasErrors(diags) {
		t.Error("warnings make the definition invalid")
	}
	_, diags = Check([]byte(one(`{"Type":"Fail","Error":"$.e"}`)), ValidateOptions{Warnings: true})
	if len(diags) != 1 || diags[0].Code != CodeNoPath || diags[0].Location != "/States/A/Error" {
		t.Errorf("NO_PATH: %v", diags)
	}
}

func TestValidateJSONataReferences(t *testing.T) {
	const task = `"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true`
	runValidateTests(t, []validateTest{
		{"errorOutput in a catcher", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{` + task + `,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"B","Output":"{% $states.errorOutput %}","Assign":{"e":"{% $states.errorOutput.Error %}"}}]},"B":{"Type":"Succeed"}}}`, ValidateOptions{}, nil},
		{"errorOutput elsewhere", jsonataOne(`{` + task + `,"Output":{"x":"{% $states.errorOutput %}","y":"{% '$states.errorOutput' %}"}}`), ValidateOptions{},
			[]d{{CodeUnsupportedJSONata, "/States/A/Output/x", "Field '$states.errorOutput' does not exist."}}},
		{"root reference", jsonataOne(`{"Type":"Pass","End":true,"Output":"{% $$.a %}","Assign":{"ok":"{% $states.input /* $$ */ %}"}}`), ValidateOptions{},
			[]d{{CodeUnsupportedJSONata, "/States/A/Output", "Reference to '$$' is not supported."}}},
	})
}

func TestValidateEmptyNames(t *testing.T) {
	runValidateTests(t, []validateTest{
		{"empty Next", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":""},"B":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{mtt, "/States/A/Next", "Missing 'Next' target: "}, {mtt, "/States/B", `State "B" is not reachable.`}}},
		{"empty StartAt", `{"StartAt":"","States":{"A":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{mtt, "/StartAt", "Missing 'Next' target: "}, {mtt, "/States/A", `State "A" is not reachable.`}}},
		{"empty choice Next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":""}],"Default":"B"},"B":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{mtt, "/States/A/Choices[0]/Next", "Missing 'Next' target: "}}},
		{"choice Next type", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":1}],"Default":"B"},"B":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{svf, "/States/A/Choices/0/Next", "Expected value of type [STRING]"}}},
		{"state named empty", `{"StartAt":"","States":{"":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":""},"C":{"Type":"Succeed"}}}`, ValidateOptions{},
			[]d{{mtt, "/States/C", `State "C" is not reachable.`}}},
	})
}

func TestValidateDefinitionBuiltInCode(t *testing.T) {
	def := &Definition{StartAt: "A", Order: []string{"A", "B"}, States: map[string]*State{
		"A": {Name: "A", Type: TypeTask, Location: "/States/A", Next: "B", Catch: []Catcher{{Next: "Z"}}},
		"B": {Name: "B", Type: TypeSucceed, Location: "/States/B"},
	}}
	got := Validate(def, ValidateOptions{})
	if len(got) != 1 || got[0].Location != "/States/A/Catch[0]/Next" {
		t.Errorf("Validate = %v", got)
	}
}

func TestValidateMapDetails(t *testing.T) {
	const proc = `"ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`
	const dist = `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`
	runValidateTests(t, []validateTest{
		{"ItemProcessor and Iterator", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true,` + proc + `,"Iterator":{"StartAt":"C","States":{"C":{"Type":"Succeed"}}}}}}`, ValidateOptions{},
			[]d{{svf, "/States/A", "The fields 'ItemProcessor' and 'Iterator' cannot both be set"}}},
		{"ItemSelector and Parameters", one(`{"Type":"Map","End":true,` + proc + `,"ItemSelector":{},"Parameters":{}}`), ValidateOptions{},
			[]d{{svf, "/States/A", "The fields 'ItemSelector' and 'Parameters' cannot both be set"}}},
		{"ProcessorConfig fields", one(`{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","Speed":1},"StartAt":"B","States":{"B":{"Type":"Succeed"}}}}`), ValidateOptions{},
			[]d{{svf, "/States/A/ItemProcessor/ProcessorConfig", "Field 'Speed' is not supported"},
				{svf, "/States/A/ItemProcessor/ProcessorConfig", "The field 'ExecutionType' is required but was missing"}}},
		{"ItemReader", one(`{"Type":"Map","End":true,` + dist + `,"ItemReader":{"ReaderConfig":{},"Arguments":{},"Parameters":{"Bucket.$":"bucket"}}}`), ValidateOptions{},
			[]d{{svf, "/States/A/ItemReader", "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage"},
				{svf, "/States/A/ItemReader", "These fields are required: [Resource]"},
				{svf, "/States/A/ItemReader/Parameters", "The value for the field 'Bucket.$' must be a valid JSONPath or a valid intrinsic function call"}}},
		{"ResultWriter and ItemBatcher", one(`{"Type":"Map","End":true,` + dist + `,"ResultWriter":{"Resource":"s3","Foo":1},"ItemBatcher":{"MaxItemsPerBatch":-1,"BatchInput":{"a.$":"x"},"Size":2}}`), ValidateOptions{},
			[]d{{svf, "/States/A/ResultWriter", "Field 'Foo' is not supported"},
				{CodeInvalidResource, "/States/A/ResultWriter/Resource", "Resource 's3' is not a valid ARN"},
				{svf, "/States/A/ItemBatcher", "Field 'Size' is not supported"},
				{svf, "/States/A/ItemBatcher/MaxItemsPerBatch", "The value for the field 'MaxItemsPerBatch' must be greater than or equal to 0"},
				{svf, "/States/A/ItemBatcher/BatchInput", "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call"}}},
		{"JSONata map", jsonataOne(`{"Type":"Map","End":true,` + dist + `,"Items":[1,2],"MaxConcurrency":"{% $states.input.n %}","ToleratedFailurePercentage":"{% 5 %}","ItemSelector":{"v":"{% $states.context.Map.Item.Value %}"}}`), ValidateOptions{}, nil},
		{"JSONata map bad values", jsonataOne(`{"Type":"Map","End":true,` + dist + `,"Items":{"a":1},"MaxConcurrency":"ten","ToleratedFailurePercentage":"x"}`), ValidateOptions{},
			[]d{{svf, "/States/A/MaxConcurrency", "The value for the field 'MaxConcurrency' must be an INTEGER or a JSONata expression"},
				{svf, "/States/A/ToleratedFailurePercentage", "Expected value of type [NUMBER]"},
				{svf, "/States/A/Items", "The value for the field 'Items' must be an ARRAY or a JSONata expression"}}},
	})
}

func TestValidateCredentialsAndAssign(t *testing.T) {
	const task = `"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true`
	runValidateTests(t, []validateTest{
		{"RoleArn type", one(`{` + task + `,"Credentials":{"RoleArn":1}}`), ValidateOptions{},
			[]d{{svf, "/States/A/Credentials/RoleArn", "Expected value of type [STRING]"}}},
		{"RoleArn.$ path", one(`{` + task + `,"Credentials":{"RoleArn.$":"role"}}`), ValidateOptions{},
			[]d{{svf, "/States/A/Credentials", "The value for the field 'RoleArn.$' must be a valid JSONPath or a valid intrinsic function call"}}},
		{"Credentials type", one(`{` + task + `,"Credentials":"role"}`), ValidateOptions{},
			[]d{{svf, "/States/A/Credentials", "Expected value of type [OBJECT]"}}},
		{"JSONata RoleArn expression", jsonataOne(`{` + task + `,"Credentials":{"RoleArn":"{% $states.input.role %}"}}`), ValidateOptions{}, nil},
		{"JSONata Assign", jsonataOne(`{"Type":"Pass","End":true,"Assign":{"a.$":1,"b":"{% $states.input %}"}}`), ValidateOptions{},
			[]d{{svf, "/States/A/Assign", "The variable name 'a.$' is invalid: it must start with a letter or '_' and contain only letters, digits and '_'"}}},
		{"catcher Assign", one(`{` + task + `,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"A","Assign":{"err.$":"$.Error","bad-name":1}}]}`), ValidateOptions{},
			[]d{{svf, "/States/A/Catch/0/Assign", "The variable name 'bad-name' is invalid: it must start with a letter or '_' and contain only letters, digits and '_'"}}},
		{"choice rule Assign", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"B","Assign":{"x.$":"$.a","y":"$$"}}],"Default":"B"},"B":{"Type":"Succeed"}}}`, ValidateOptions{}, nil},
	})
}

func BenchmarkCheck(b *testing.B) {
	def := []byte(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","NumericEquals":1},{"Not":{"Variable":"$.b","IsNull":true}}],"Next":"D"}],"Default":"M"},
		"D":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"States.Format('{}', $.x)","b":[{"c.$":"$$.Task.Token"}]},"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"Next":"M"},
		"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$"},"End":true}}},"Next":"S"},
		"F":{"Type":"Fail","Error":"E","Cause":"C"},"S":{"Type":"Succeed"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Check(def, ValidateOptions{}); len(diags) != 0 {
			b.Fatal(diags)
		}
	}
}

func TestTopLevelNames(t *testing.T) {
	tests := []struct {
		expr string
		want string
	}{
		{`{% phone %}`, "phone"},
		{`{% a.b & c %}`, "a,c"},
		{`{% $states.input.phone %}`, ""},
		{`{% $states.input. phone %}`, ""},
		{`{% $states.input.items[price > 5].name %}`, ""},
		{`{% $map($states.input.xs, function($v) { $v.name }) %}`, ""},
		{`{% $x > 1 ? 'yes' : no %}`, "no"},
		{`{% true and false or null in [1] %}`, ""},
		{"{% `a b` %}", "a b"},
		{`{% "phone" & 'x' /* phone */ %}`, ""},
		{`{% 1.5e3 + $count($states.input) %}`, ""},
		{`{% ($x := 1; $x + y) %}`, ""},
		{`{% a + a %}`, "a"},
	}
	for _, tt := range tests {
		if got := strings.Join(topLevelNames(tt.expr), ","); got != tt.want {
			t.Errorf("topLevelNames(%s) = %q, want %q", tt.expr, got, tt.want)
		}
	}
	runValidateTests(t, []validateTest{
		{"top-level reference", jsonataOne(`{"Type":"Pass","End":true,"Output":{"v":"{% phone %}"}}`), ValidateOptions{},
			[]d{{CodeUnsupportedJSONata, "/States/A/Output/v", "Reference to 'phone' at the top level is not supported."}}},
	})
}

func TestCheckState(t *testing.T) {
	s, diags := CheckState([]byte(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Elsewhere","Retry":[{"ErrorEquals":[],"MaxAttempts":-1}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}]}`), ValidateOptions{})
	if s == nil || s.Type != TypeTask {
		t.Fatalf("state %+v", s)
	}
	var got []d
	for _, g := range diags {
		got = append(got, d{g.Code, g.Location, g.Message})
	}
	want := []d{
		{svf, "/Retry/0/ErrorEquals", "The field 'ErrorEquals' must contain at least 1 element"},
		{svf, "/Retry/0/MaxAttempts", "The value for the field 'MaxAttempts' must be greater than or equal to 0"},
	}
	if !equalDiags(got, want) {
		t.Errorf("got %s\nwant %s", fmtDiags(got), fmtDiags(want))
	}
	if _, diags := CheckState([]byte(`{"Type":"Bogus"}`), ValidateOptions{}); len(diags) != 1 || diags[0].Location != "/Type" {
		t.Errorf("bad type: %v", diags)
	}
	if _, diags := CheckState([]byte(`{"Type":"Pass"}`), ValidateOptions{}); len(diags) != 1 || diags[0].Location != "/" {
		t.Errorf("no Next or End: %v", diags)
	}
	if s, diags := CheckState([]byte(`[]`), ValidateOptions{}); s != nil || len(diags) != 1 {
		t.Errorf("not an object: %v %v", s, diags)
	}
}
