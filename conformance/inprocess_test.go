package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/internal/awsnorm"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/value"
)

// The in-process conformance test runs every recorded execution and choice
// case through the engine (no server) and compares status, output or error
// and cause (level 1) and the full history (level 2) with AWS's recording.
//
// Every case must pass at every level it is compared at, except those
// listed in testdata/known-failures.txt with a reason. Counts are printed
// separately for cases that need JSONata or workflow variables ("jsonata+
// variables") and the others ("core"). Cases whose recording went through
// LocalStack's Parallel-branch transform (parallelTransform) are compared at
// level 1 only: run.py applies that transform when checking the server.

// Placeholders chosen so that our names already look like the recording's
// normalised ARNs.
var placeholderMeta = engine.Meta{
	StateMachineName: "<ArnPart_0idx>",
	StateMachineARN:  "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>",
	ExecutionName:    "<ExecArnPart_0idx>",
	ExecutionARN:     "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
	RoleARN:          "snf_role_arn",
	StartTime:        time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	Seed:             1,
}

type caseResult struct {
	levels  int // levels passed: 0 none, 1 status, 2 output/error, 3 history
	maxLvl  int
	problem string
}

func runCase(c Case) caseResult {
	def := string(c.Definition)
	if c.DefinitionString != nil {
		def = *c.DefinitionString
	}
	var exp struct {
		Status string          `json:"status"`
		Output json.RawMessage `json:"output"`
		Error  *string         `json:"error"`
		Cause  *string         `json:"cause"`
		Events json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(c.Expected, &exp); err != nil {
		return caseResult{problem: "bad case: " + err.Error()}
	}
	res := caseResult{maxLvl: 2}
	if exp.Events != nil && !c.ParallelTransform {
		res.maxLvl = 3
	}
	m, err := engine.CompileText([]byte(def))
	if err != nil {
		return caseResult{maxLvl: res.maxLvl, problem: "compile: " + err.Error()}
	}
	input := "{}"
	if c.Input != nil {
		input = *c.Input
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	clock := placeholderMeta.StartTime
	out, err := local.Run(ctx, m, input, local.Options{Fast: true, Meta: placeholderMeta, Now: func() time.Time { return clock }})
	if err != nil {
		return caseResult{maxLvl: res.maxLvl, problem: "run: " + err.Error()}
	}
	if string(out.Status) != exp.Status {
		return caseResult{maxLvl: res.maxLvl, problem: fmt.Sprintf("status %s, want %s (error %s: %s)", out.Status, exp.Status, out.Error, out.Cause)}
	}
	res.levels = 1
	got := value.NewObject(3)
	want := value.NewObject(3)
	if exp.Status == "SUCCEEDED" {
		// The recorded output comes from the final history event, after the
		// case's transforms: read ours from the same place.
		final := out.Events[len(out.Events)-1]
		text := ""
		if d, ok := final.Details.(*history.OutputDetails); ok && final.Type == "ExecutionSucceeded" {
			text = d.Output.String()
		}
		d := value.NewObject(1)
		d.Set("output", text)
		ev := value.NewObject(1)
		ev.Set("executionSucceededEventDetails", d)
		fake := applyTransforms(normalize(wrap([]any{ev})), c.Transforms)
		evs, _ := fake.(*value.Object).Get("events")
		det, _ := evs.([]any)[0].(*value.Object).Get("executionSucceededEventDetails")
		o, _ := det.(*value.Object).Get("output")
		got.Set("output", o)
		want.Set("output", mustValue(exp.Output))
	} else {
		if exp.Error != nil {
			got.Set("error", out.Error)
			want.Set("error", *exp.Error)
		}
		if exp.Cause != nil {
			got.Set("cause", out.Cause)
			want.Set("cause", *exp.Cause)
		}
	}
	if d := awsnorm.FirstDifference("", normalize(got), normalize(want)); d != "" {
		res.problem = "L1 " + d
		return res
	}
	res.levels = 2
	if res.maxLvl < 3 {
		return res
	}
	evs, _ := json.Marshal(out.Events)
	gotEvents := applyTransforms(normalize(wrap(value.MustParse(string(evs)))), c.Transforms)
	wantEvents := normalize(wrap(mustValue(exp.Events)))
	if d := awsnorm.FirstDifference("events", gotEvents, wantEvents); d != "" {
		res.problem = "L2 " + d
		return res
	}
	res.levels = 3
	return res
}

func wrap(v any) any {
	o := value.NewObject(1)
	o.Set("events", v)
	return o
}

func mustValue(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	v, err := value.Parse(b)
	if err != nil {
		return "unparseable: " + string(b)
	}
	return v
}

// usesJSONataOrVariables reports whether a case belongs to the JSONata and
// variables issue.
func usesJSONataOrVariables(c Case) bool {
	d := string(c.Definition)
	if c.DefinitionString != nil {
		d = *c.DefinitionString
	}
	return strings.Contains(d, `"JSONata"`) || strings.Contains(d, `{%`) || strings.Contains(d, `"Assign"`)
}

func loadKnownFailures(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("testdata/known-failures.txt")
	if err != nil {
		t.Fatalf("open known failures: %v", err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, ok := strings.Cut(line, " | ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("known-failures.txt: every line needs 'id | reason': %q", line)
		}
		known[strings.TrimSpace(id)] = reason
	}
	return known
}

type tally struct{ total, l1, l2, l3, full int }

func TestRecordedExecutions(t *testing.T) {
	known := loadKnownFailures(t)
	var cases []Case
	for _, kind := range []string{"execution", "choice"} {
		cs, err := loadCases(kind)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs...)
	}
	tallies := map[string]*tally{}
	var unexpected []string
	for _, c := range cases {
		group := "core"
		if usesJSONataOrVariables(c) {
			group = "jsonata+variables"
		}
		key := c.Kind + "/" + c.Feature + " (" + group + ")"
		if tallies[key] == nil {
			tallies[key] = &tally{}
		}
		tl := tallies[key]
		r := runCase(c)
		tl.total++
		if r.levels >= 1 {
			tl.l1++
		}
		if r.levels >= 2 {
			tl.l2++
		}
		if r.levels >= 3 {
			tl.l3++
		}
		if r.levels == r.maxLvl {
			tl.full++
			continue
		}
		if _, ok := known[c.ID]; !ok {
			unexpected = append(unexpected, c.ID+": "+r.problem)
		}
		if testing.Verbose() {
			t.Logf("FAIL %s [%s] %s", c.ID, group, r.problem)
		}
	}
	keys := make([]string, 0, len(tallies))
	for k := range tallies {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "in-process conformance (status / output+error / history / all levels):\n")
	var sum tally
	for _, k := range keys {
		tl := tallies[k]
		fmt.Fprintf(&b, "  %-45s %4d cases: %4d / %4d / %4d / %4d\n", k, tl.total, tl.l1, tl.l2, tl.l3, tl.full)
		sum.total += tl.total
		sum.full += tl.full
	}
	fmt.Fprintf(&b, "conformance in-process: %d passed, %d failed\n", sum.full, sum.total-sum.full)
	fmt.Print(b.String())
	for _, u := range unexpected {
		t.Errorf("unexpected failure: %s", u)
	}
}
