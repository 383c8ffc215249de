package e2e

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The crash test's state machines. They mix Wait (real waits of 1–3 s),
// Parallel (with Retry and Catch), Map (with MaxConcurrency) and Choice,
// in JSONPath and JSONata.
//
// A server may fire timers late (it was down), so histories can only
// equal an uninterrupted run when the order in which timers fire does not
// depend on how late they are: every timer is due strictly later than
// every timer pending when it is armed (timers armed in one step have
// distinct delays, a Map's first wave waits 1, 2, … seconds and later
// iterations wait MaxConcurrency seconds). AWS itself orders timers that
// race each other arbitrarily, so no definition here makes them race.
var crashMachines = []crashMachine{
	{
		name: "choice-wait",
		definition: `{
  "Comment": "Choice between waits; sequential timers; context object",
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Next": "Route", "Parameters": {
      "n.$": "$.n", "tag.$": "$.tag", "delay.$": "$.delay",
      "execution.$": "$$.Execution.Name", "machine.$": "$$.StateMachine.Name",
      "started.$": "$$.Execution.StartTime", "sum.$": "States.MathAdd($.n, 7)"}},
    "Route": {"Type": "Choice", "Default": "Medium", "Choices": [
      {"Variable": "$.n", "NumericGreaterThan": 60, "Next": "Long"},
      {"And": [{"Variable": "$.tag", "StringMatches": "a*"}, {"Variable": "$.n", "NumericLessThan": 30}], "Next": "Short"}]},
    "Long": {"Type": "Wait", "Seconds": 2, "Next": "Tail"},
    "Medium": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Tail"},
    "Short": {"Type": "Pass", "Result": "short", "ResultPath": "$.kind", "Next": "ShortWait"},
    "ShortWait": {"Type": "Wait", "Seconds": 1, "Next": "Tail"},
    "Tail": {"Type": "Pass", "Next": "Final", "Parameters": {
      "summary.$": "States.Format('{} of {}: {} {}', $.execution, $.machine, $.tag, $.sum)",
      "n.$": "$.n", "started.$": "$.started"}},
    "Final": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}`,
		input: func(r *rand.Rand) string {
			tags := []string{"alpha", "apple", "beta", "zeta", "avocado"}
			return fmt.Sprintf(`{"n":%d,"tag":%q,"delay":%d}`, r.IntN(101), tags[r.IntN(len(tags))], 1+r.IntN(3))
		},
	},
	{
		name: "parallel-retry",
		definition: `{
  "Comment": "Parallel with waits in two branches, a failing branch, Retry with a back-off timer and Catch",
  "StartAt": "Fan",
  "States": {
    "Fan": {"Type": "Parallel", "Next": "After", "QueryLanguage": "JSONata",
      "Arguments": "{% {'x': $states.input.x, 'flaky': $states.input.flaky, 'retry': $exists($states.context.State.RetryCount) ? $states.context.State.RetryCount : 0} %}",
      "Branches": [
        {"StartAt": "Short", "States": {
          "Short": {"Type": "Wait", "Seconds": 1, "Next": "ShortDone"},
          "ShortDone": {"Type": "Pass", "Parameters": {"branch": 0, "double.$": "States.MathAdd($.x, $.x)"}, "End": true}}},
        {"StartAt": "Long", "States": {
          "Long": {"Type": "Wait", "Seconds": 2, "Next": "LongDone"},
          "LongDone": {"Type": "Pass", "Parameters": {"branch": 1, "x.$": "$.x"}, "End": true}}},
        {"StartAt": "Check", "States": {
          "Check": {"Type": "Choice", "Default": "Fine", "Choices": [
            {"Variable": "$.flaky", "StringEquals": "always", "Next": "Broken"},
            {"And": [{"Variable": "$.flaky", "StringEquals": "once"}, {"Variable": "$.retry", "NumericEquals": 0}], "Next": "Broken"}]},
          "Broken": {"Type": "Fail", "Error": "Custom.Flaky", "Cause": "branch 2 failed"},
          "Fine": {"Type": "Pass", "Parameters": {"branch": 2, "retries.$": "$.retry"}, "End": true}}}
      ],
      "Retry": [{"ErrorEquals": ["Custom.Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 1.0}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recovered",
        "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}"}],
      "Output": "{% $merge([$states.input, {'fan': {'short': $states.result[0], 'long': $states.result[1], 'check': $states.result[2]}}]) %}"},
    "Recovered": {"Type": "Pass", "Result": "recovered", "ResultPath": "$.note", "Next": "After"},
    "After": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Pass", "End": true}
  }
}`,
		input: func(r *rand.Rand) string {
			flaky := []string{"no", "no", "once", "always"}
			return fmt.Sprintf(`{"x":%d,"flaky":%q}`, r.IntN(1000), flaky[r.IntN(len(flaky))])
		},
	},
	{
		name: "map-concurrency",
		definition: `{
  "Comment": "Map with MaxConcurrency 2; each iteration waits, then a Choice",
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "MaxConcurrency": 2, "ItemsPath": "$.items", "ResultPath": "$.results", "Next": "Count",
      "ItemSelector": {"w.$": "$$.Map.Item.Value.w", "v.$": "$$.Map.Item.Value.v", "index.$": "$$.Map.Item.Index", "label.$": "$.label"},
      "ItemProcessor": {"StartAt": "Nap", "States": {
        "Nap": {"Type": "Wait", "SecondsPath": "$.w", "Next": "Size"},
        "Size": {"Type": "Choice", "Default": "Small", "Choices": [{"Variable": "$.v", "NumericGreaterThanEquals": 50, "Next": "Big"}]},
        "Big": {"Type": "Pass", "Parameters": {"big.$": "$.v", "at.$": "$.index"}, "End": true},
        "Small": {"Type": "Pass", "Parameters": {"small.$": "$.v", "at.$": "$.index", "label.$": "$.label"}, "End": true}}}},
    "Count": {"Type": "Pass", "Parameters": {"count.$": "States.ArrayLength($.results)", "results.$": "$.results"}, "End": true}
  }
}`,
		input: func(r *rand.Rand) string {
			n := 1 + r.IntN(4)
			items := make([]string, n)
			for i := range items {
				w := 2 // MaxConcurrency
				if i < 2 {
					w = i + 1
				}
				items[i] = fmt.Sprintf(`{"v":%d,"w":%d}`, r.IntN(100), w)
			}
			return fmt.Sprintf(`{"label":"L%d","items":[%s]}`, r.IntN(1000), strings.Join(items, ","))
		},
	},
	{
		name: "jsonata-map",
		definition: `{
  "Comment": "JSONata: variables, a Map whose odd items wait index+1 seconds, a Choice",
  "QueryLanguage": "JSONata",
  "StartAt": "Init",
  "States": {
    "Init": {"Type": "Pass", "Next": "Loop",
      "Assign": {"total": "{% $sum($states.input.nums) %}", "who": "{% $states.input.who %}"}},
    "Loop": {"Type": "Map", "MaxConcurrency": 3, "Items": "{% $states.input.nums %}", "Next": "Decide",
      "ItemSelector": "{% {'n': $states.context.Map.Item.Value, 'i': $states.context.Map.Item.Index} %}",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Parity", "States": {
        "Parity": {"Type": "Choice", "Default": "Nap",
          "Choices": [{"Condition": "{% $states.input.n % 2 = 0 %}", "Next": "Even"}]},
        "Even": {"Type": "Pass", "Output": "{% {'n': $states.input.n, 'sq': $states.input.n * $states.input.n} %}", "End": true},
        "Nap": {"Type": "Wait", "Seconds": "{% $states.input.i + 1 %}", "Next": "Odd"},
        "Odd": {"Type": "Pass", "Output": "{% {'n': $states.input.n, 'neg': -$states.input.n, 'at': $states.input.i} %}", "End": true}}}},
    "Decide": {"Type": "Choice", "Default": "Finish", "Output": "{% $states.input %}",
      "Choices": [{"Condition": "{% $total > 12 %}", "Next": "Big"}]},
    "Big": {"Type": "Wait", "Seconds": 1, "Next": "Finish"},
    "Finish": {"Type": "Pass", "End": true,
      "Output": "{% {'who': $who, 'total': $total, 'items': $states.input, 'execution': $states.context.Execution.Name} %}"}
  }
}`,
		input: func(r *rand.Rand) string {
			n := 1 + r.IntN(3)
			nums := make([]string, n)
			for i := range nums {
				nums[i] = fmt.Sprint(1 + r.IntN(9))
			}
			return fmt.Sprintf(`{"who":"w%d","nums":[%s]}`, r.IntN(100), strings.Join(nums, ","))
		},
	},
}

// crashMachine is a state machine of the crash test and its input
// generator.
type crashMachine struct {
	name       string
	definition string
	input      func(*rand.Rand) string
}
