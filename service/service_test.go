package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/memory"
)

// fakeRuntime records executions in the store as a runtime would (created
// RUNNING) and does not run them.
type fakeRuntime struct {
	st      store.Store
	started []*StartParams
}

func (f *fakeRuntime) StartExecution(ctx context.Context, p *StartParams) (*store.Execution, error) {
	f.started = append(f.started, p)
	x := store.Execution{
		ARN: p.ExecutionARN, StateMachineARN: p.StateMachineARN, VersionARN: p.VersionARN, AliasARN: p.AliasARN,
		Name: p.Name, Definition: p.Definition, RevisionID: p.RevisionID, RoleARN: p.RoleARN,
		Input: []byte(p.Input), StartDate: p.StartDate, Status: store.StatusRunning,
	}
	if err := f.st.Commit(ctx, &store.Batch{Executions: []store.ExecutionWrite{{Execution: x}}}); err != nil {
		return nil, err
	}
	return &x, nil
}

func (f *fakeRuntime) StartSyncExecution(ctx context.Context, p *StartParams) (*SyncResult, error) {
	return &SyncResult{Execution: &store.Execution{ARN: p.ExecutionARN, Status: store.StatusSucceeded, Output: []byte(p.Input), StartDate: p.StartDate, StopDate: p.StartDate}}, nil
}

func (f *fakeRuntime) StopExecution(ctx context.Context, arn, errName, cause string) (time.Time, error) {
	return time.Time{}, store.ErrNotFound
}

func (f *fakeRuntime) RedriveExecution(ctx context.Context, arn string) (time.Time, error) {
	return time.Time{}, fmt.Errorf("%w: not in this test", ErrNotRedrivable)
}

func (f *fakeRuntime) DescribeExpress(ctx context.Context, arn string) (*store.Execution, error) {
	return nil, store.ErrNotFound
}

func (f *fakeRuntime) StateMachineDeleting(string, bool) {}

const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

func newTestService(t *testing.T) (*Service, *fakeRuntime, store.Store) {
	t.Helper()
	st := memory.New()
	t.Cleanup(func() { _ = st.Close() })
	rt := &fakeRuntime{st: st}
	n := 0
	s, err := New(Config{Store: st, Runtime: rt, Now: func() time.Time { return time.Unix(1700000000, 0) },
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-0000-0000-%012d", n) }})
	if err != nil {
		t.Fatal(err)
	}
	return s, rt, st
}

func code(err error) string { return ErrorCode(err) }

func TestPickVersion(t *testing.T) {
	two := []RoutingConfigurationListItem{{"v1", 30}, {"v2", 70}}
	tests := []struct {
		items []RoutingConfigurationListItem
		r     float64
		want  string
	}{
		{two, 0, "v1"}, {two, 0.2999, "v1"}, {two, 0.3, "v2"}, {two, 0.9999, "v2"},
		{[]RoutingConfigurationListItem{{"v1", 100}}, 0.5, "v1"},
		{[]RoutingConfigurationListItem{{"v1", 0}, {"v2", 100}}, 0, "v2"},
		{[]RoutingConfigurationListItem{{"v1", 100}, {"v2", 0}}, 0.99999, "v1"},
	}
	for _, tt := range tests {
		if got := pickVersion(tt.items, tt.r); got != tt.want {
			t.Errorf("pickVersion(%v, %v) = %s, want %s", tt.items, tt.r, got, tt.want)
		}
	}
}

func TestStartExecutionChecks(t *testing.T) {
	s, rt, _ := newTestService(t)
	ctx := context.Background()
	sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", Definition: passDef, RoleArn: "arn:aws:iam::1:role/r"})
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	tests := []struct {
		name string
		in   StartExecutionInput
		code string
	}{
		{"no arn", StartExecutionInput{}, CodeValidation},
		{"bad arn", StartExecutionInput{StateMachineArn: "x"}, CodeInvalidArn},
		{"execution arn", StartExecutionInput{StateMachineArn: "arn:aws:states:us-east-1:123456789012:execution:m:e"}, CodeInvalidArn},
		{"missing machine", StartExecutionInput{StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:zz"}, CodeStateMachineDoesNotExist},
		{"missing version", StartExecutionInput{StateMachineArn: sm.StateMachineArn + ":3"}, CodeStateMachineDoesNotExist},
		{"missing alias", StartExecutionInput{StateMachineArn: sm.StateMachineArn + ":live"}, CodeStateMachineDoesNotExist},
		{"bad name", StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "a/b"}, CodeInvalidName},
		{"bad input", StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: str("{")}, CodeInvalidExecutionInput},
		{"empty input", StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: str("")}, CodeInvalidExecutionInput},
		{"long trace", StartExecutionInput{StateMachineArn: sm.StateMachineArn, TraceHeader: string(make([]byte, 257))}, CodeValidation},
		{"ok", StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "e1"}, ""},
		{"same again", StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "e1", Input: str("{}")}, ""},
		{"other input", StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "e1", Input: str(`{"a":1}`)}, CodeExecutionAlreadyExists},
	}
	for _, tt := range tests {
		_, err := s.StartExecution(ctx, &tt.in)
		if code(err) != tt.code || (tt.code == "" && err != nil) {
			t.Errorf("%s: %v, want code %q", tt.name, err, tt.code)
		}
	}
	// The service leaves the uniqueness check to the runtime's atomic create.
	if len(rt.started) != 3 || rt.started[0].Input != "{}" || rt.started[0].Type != store.TypeStandard || rt.started[0].Definition != passDef {
		t.Errorf("runtime saw %+v", rt.started)
	}
}

// TestHistoryPaging pages through a history stored as several chunks,
// forwards and backwards, with every page size.
func TestHistoryPaging(t *testing.T) {
	s, _, st := newTestService(t)
	ctx := context.Background()
	const execARN = "arn:aws:states:us-east-1:123456789012:execution:m:e"
	x := store.Execution{ARN: execARN, StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:m", Name: "e", Status: store.StatusRunning, Input: []byte(`{"in":1}`)}
	if err := st.Commit(ctx, &store.Batch{Executions: []store.ExecutionWrite{{Execution: x}}}); err != nil {
		t.Fatal(err)
	}
	// Chunks of 1, 3, 2 and 4 events: ids 1..10.
	id := int64(1)
	for _, n := range []int{1, 3, 2, 4} {
		var evs []history.Event
		for range n {
			evs = append(evs, history.Event{ID: id, PreviousEventID: id - 1, Type: "PassStateEntered", Timestamp: time.Unix(1700000000, 0),
				Details: &history.StateEnteredDetails{Name: "P", Input: history.Text(`{"secret":1}`)}})
			id++
		}
		b, err := json.Marshal(evs)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Commit(ctx, &store.Batch{History: []store.HistoryChunk{{ExecutionARN: execARN, FirstEventID: evs[0].ID, LastEventID: evs[len(evs)-1].ID, Events: b}}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, reverse := range []bool{false, true} {
		for size := 1; size <= 11; size++ {
			var ids []int64
			tok := ""
			for pages := 0; ; pages++ {
				if pages > 20 {
					t.Fatalf("reverse=%v size=%d: too many pages", reverse, size)
				}
				out, err := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: execARN, MaxResults: size, ReverseOrder: reverse, NextToken: tok})
				if err != nil {
					t.Fatalf("reverse=%v size=%d: %v", reverse, size, err)
				}
				if len(out.Events) > size {
					t.Fatalf("page of %d events for size %d", len(out.Events), size)
				}
				for _, raw := range out.Events {
					var e history.Event
					if err := json.Unmarshal(raw, &e); err != nil {
						t.Fatal(err)
					}
					ids = append(ids, e.ID)
				}
				if tok = out.NextToken; tok == "" {
					break
				}
			}
			want := "[1 2 3 4 5 6 7 8 9 10]"
			if reverse {
				want = "[10 9 8 7 6 5 4 3 2 1]"
			}
			if got := fmt.Sprint(ids); got != want {
				t.Errorf("reverse=%v size=%d: ids %s", reverse, size, got)
			}
		}
	}
	// Tokens are bound to their execution and direction.
	out, err := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: execARN, MaxResults: 2})
	if err != nil || out.NextToken == "" {
		t.Fatal(out, err)
	}
	for _, in := range []GetExecutionHistoryInput{
		{ExecutionArn: execARN, NextToken: out.NextToken, ReverseOrder: true},
		{ExecutionArn: execARN + "x", NextToken: out.NextToken},
		{ExecutionArn: execARN, NextToken: "x" + out.NextToken},
	} {
		if _, err := s.GetExecutionHistory(ctx, &in); code(err) != CodeInvalidToken {
			t.Errorf("token misuse %+v: %v", in, err)
		}
	}
	// Without execution data, inputs are left out.
	f := false
	out, err = s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: execARN, MaxResults: 1, IncludeExecutionData: &f})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out.Events[0]); got != `{"id":1,"previousEventId":0,"stateEnteredEventDetails":{"name":"P"},"timestamp":1700000000,"type":"PassStateEntered"}` {
		t.Errorf("event without data: %s", got)
	}
}

func TestCreateStateMachineChecks(t *testing.T) {
	s, _, _ := newTestService(t)
	ctx := context.Background()
	role := "arn:aws:iam::1:role/r"
	tests := []struct {
		name string
		in   CreateStateMachineInput
		code string
	}{
		{"no name", CreateStateMachineInput{Definition: passDef, RoleArn: role}, CodeValidation},
		{"no definition", CreateStateMachineInput{Name: "a", RoleArn: role}, CodeValidation},
		{"no role", CreateStateMachineInput{Name: "a", Definition: passDef}, CodeValidation},
		{"bad role", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: "role"}, CodeInvalidArn},
		{"bad name", CreateStateMachineInput{Name: "a?", Definition: passDef, RoleArn: role}, CodeInvalidName},
		{"long name", CreateStateMachineInput{Name: string(make([]byte, 81)), Definition: passDef, RoleArn: role}, CodeInvalidName},
		{"bad type", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, Type: "standard"}, CodeValidation},
		{"bad definition", CreateStateMachineInput{Name: "a", Definition: `{"StartAt":"X","States":{}}`, RoleArn: role}, CodeInvalidDefinition},
		{"description without publish", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, VersionDescription: "d"}, CodeValidation},
		{"logging level", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, LoggingConfiguration: &LoggingConfiguration{Level: "LOUD"}}, CodeValidation},
		{"logging destination", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, LoggingConfiguration: &LoggingConfiguration{Level: "ERROR"}}, CodeInvalidLoggingConfiguration},
		{"too many tags", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, Tags: make([]Tag, 51)}, CodeTooManyTags},
		{"empty tag key", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, Tags: []Tag{{}}}, CodeValidation},
		{"ok", CreateStateMachineInput{Name: "a", Definition: passDef, RoleArn: role, Publish: true, VersionDescription: "first",
			LoggingConfiguration: &LoggingConfiguration{Level: "ALL", Destinations: []LogDestination{{CloudWatchLogsLogGroup: &CloudWatchLogsLogGroup{LogGroupArn: "arn:aws:logs:us-east-1:1:log-group:g:*"}}}}}, ""},
	}
	for _, tt := range tests {
		_, err := s.CreateStateMachine(ctx, &tt.in)
		if code(err) != tt.code || (tt.code == "" && err != nil) {
			t.Errorf("%s: %v, want code %q", tt.name, err, tt.code)
		}
	}
	d, err := s.DescribeStateMachine(ctx, &DescribeStateMachineInput{StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:a"})
	if err != nil || d.LoggingConfiguration.Level != "ALL" || len(d.LoggingConfiguration.Destinations) != 1 {
		t.Errorf("logging configuration echoed as %+v, %v", d, err)
	}
	var se *Error
	if _, err := s.DescribeStateMachine(ctx, &DescribeStateMachineInput{StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:a", IncludedData: "SOME"}); !errors.As(err, &se) || se.Code != CodeValidation {
		t.Errorf("bad includedData: %v", err)
	}
}

func TestSkipTimeTagAndTestCase(t *testing.T) {
	s, rt, _ := newTestService(t)
	ctx := context.Background()
	sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", Definition: passDef, RoleArn: "arn:aws:iam::1:role/r"})
	if err != nil {
		t.Fatal(err)
	}
	start := func(target string) *StartParams {
		t.Helper()
		if _, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: target}); err != nil {
			t.Fatal(err)
		}
		return rt.started[len(rt.started)-1]
	}
	if p := start(sm.StateMachineArn); p.SkipTime || p.TestCase != "" {
		t.Fatalf("untagged: %+v", p)
	}
	if _, err := s.TagResource(ctx, &TagResourceInput{ResourceArn: sm.StateMachineArn,
		Tags: []Tag{{Key: SkipTimeTag, Value: "true"}}}); err != nil {
		t.Fatal(err)
	}
	if p := start(sm.StateMachineArn + "#HappyPath"); !p.SkipTime || p.TestCase != "HappyPath" {
		t.Fatalf("tagged, with a test case: skip %v, test case %q", p.SkipTime, p.TestCase)
	}
	if _, err := s.UntagResource(ctx, &UntagResourceInput{ResourceArn: sm.StateMachineArn, TagKeys: []string{SkipTimeTag}}); err != nil {
		t.Fatal(err)
	}
	if p := start(sm.StateMachineArn); p.SkipTime {
		t.Fatal("untagging did not reach StartExecution")
	}
}
