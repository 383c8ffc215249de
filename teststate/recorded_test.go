package teststate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/stepwise-run/stepwise/internal/awsnorm"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// recordedCase is one TestState case of conformance/testdata.
type recordedCase struct {
	ID               string          `json:"id"`
	Definition       json.RawMessage `json:"definition"`
	DefinitionString *string         `json:"definitionString"`
	Request          json.RawMessage `json:"request"`
	Expected         struct {
		Response   json.RawMessage `json:"response"`
		Error      *struct{ Code, Message string }
		HTTPStatus int `json:"httpStatus"`
	} `json:"expected"`
	Transforms []transform `json:"transforms"`
	SkipPaths  []string    `json:"skipPaths"`
}

const (
	testAccount = "123456789012"
	testRegion  = "us-east-1"
)

var testPlaceholders = map[string]string{
	"ROLE_ARN":   "arn:aws:iam::" + testAccount + ":role/conformance",
	"ROLE_ARN_2": "arn:aws:iam::" + testAccount + ":role/conformance2",
	"ACCOUNT_ID": testAccount,
	"REGION":     testRegion,
	"UID1":       "a1b2c3d4",
	"UID2":       "e5f6a7b8",
	"LUID1":      "6f1c2b3a-1d2e-4f50-8a9b-0c1d2e3f4a5b",
	"LUID2":      "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
	"NOW_ISO":    "2026-01-02T03:04:05.678901",
}

// caseResult is the outcome of one case: the highest level passed, the
// number of levels, and the first difference.
type caseResult struct {
	passed, levels int
	diff           string
}

func runRecorded(c *recordedCase) caseResult {
	n := &normalizer{account: testAccount, region: testRegion, placeholders: testPlaceholders, transforms: c.Transforms}
	reqText := n.subst(string(c.Request))
	req, err := DecodeRequest([]byte(reqText))
	if err != nil {
		return caseResult{0, 3, "decode request: " + err.Error()}
	}
	if c.DefinitionString != nil {
		req.Definition = n.subst(*c.DefinitionString)
	} else {
		req.Definition = n.subst(string(c.Definition))
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)
	resp, runErr := Run(context.Background(), req, Options{Region: testRegion, Account: testAccount, Now: now, Seed: 7})
	skip := c.SkipPaths
	if c.Expected.Error != nil {
		levels := 2
		if c.Expected.Response != nil {
			levels = 3
		}
		var e *Error
		if !errors.As(runErr, &e) {
			if runErr != nil {
				return caseResult{0, levels, "error " + runErr.Error()}
			}
			return caseResult{0, levels, fmt.Sprintf("status %s, want error %s", resp.Status, c.Expected.Error.Code)}
		}
		if e.Code != c.Expected.Error.Code {
			return caseResult{0, levels, fmt.Sprintf("error %s (%s), want %s", e.Code, e.Message, c.Expected.Error.Code)}
		}
		wire := value.NewObject(2)
		errObj := value.NewObject(2)
		errObj.Set("Code", e.Code)
		errObj.Set("Message", e.Message)
		wire.Set("Error", errObj)
		wire.Set("message", e.Message)
		got := n.normalize(wire).(*value.Object)
		gotMsg := awsnorm.RemovePaths(msgOnly(got), skip)
		wantMsg := value.NewObject(1)
		m := value.NewObject(1)
		m.Set("Message", c.Expected.Error.Message)
		wantMsg.Set("Error", m)
		if d := awsnorm.FirstDifference("$", gotMsg, awsnorm.RemovePaths(normalizeExpected(wantMsg), skip)); d != "" {
			return caseResult{1, levels, d}
		}
		if c.Expected.Response == nil {
			return caseResult{2, levels, ""}
		}
		want := value.MustParse(string(c.Expected.Response))
		if d := awsnorm.FirstDifference("$", awsnorm.RemovePaths(got, skip), awsnorm.RemovePaths(normalizeExpected(want), skip)); d != "" {
			return caseResult{2, levels, d}
		}
		if c.Expected.HTTPStatus != 0 && c.Expected.HTTPStatus != 400 {
			return caseResult{2, levels, fmt.Sprintf("HTTP status 400, want %d", c.Expected.HTTPStatus)}
		}
		return caseResult{3, levels, ""}
	}
	if runErr != nil {
		return caseResult{0, 3, "TestState failed: " + runErr.Error()}
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return caseResult{0, 3, err.Error()}
	}
	got := n.normalize(value.MustParse(string(b))).(*value.Object)
	want := normalizeExpected(value.MustParse(string(c.Expected.Response))).(*value.Object)
	if gs, _ := got.Get("status"); !value.Equal(gs, member(want, "status")) {
		return caseResult{0, 3, fmt.Sprintf("status %v, want %v", gs, member(want, "status"))}
	}
	core := func(o *value.Object) *value.Object {
		out := value.NewObject(5)
		for _, k := range []string{"output", "error", "cause", "nextState", "status"} {
			if v, ok := o.Get(k); ok {
				out.Set(k, v)
			}
		}
		return out
	}
	if d := awsnorm.FirstDifference("$", awsnorm.RemovePaths(core(got), skip), awsnorm.RemovePaths(core(want), skip)); d != "" {
		return caseResult{1, 3, d}
	}
	if d := awsnorm.FirstDifference("$", awsnorm.RemovePaths(got, skip), awsnorm.RemovePaths(want, skip)); d != "" {
		return caseResult{2, 3, d}
	}
	return caseResult{3, 3, ""}
}

func msgOnly(o *value.Object) *value.Object {
	e := objectMember(o, "Error")
	out := value.NewObject(1)
	m := value.NewObject(1)
	m.Set("Message", member(e, "Message"))
	out.Set("Error", m)
	return out
}

func loadRecorded(t *testing.T) []recordedCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "conformance", "testdata", "cases", "teststate", "test_state.json"))
	if err != nil {
		t.Fatalf("read cases: %v", err)
	}
	var cs []recordedCase
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatalf("decode cases: %v", err)
	}
	return cs
}

// TestRecordedCases replays the TestState responses recorded from AWS and
// compares them at run.py's levels: L0 status (or error code), L1 output,
// error, cause and nextState (or the error message), L2 the whole
// response. A case passes when it passes its highest level; a failing case
// must be listed in knownFailures with the reason.
func TestRecordedCases(t *testing.T) {
	cases := loadRecorded(t)
	if len(cases) == 0 {
		t.Fatal("no recorded cases")
	}
	passed, failed := 0, 0
	perLevel := [3]int{}
	var unexpected []string
	for i := range cases {
		c := &cases[i]
		r := runRecorded(c)
		for l := 0; l < r.passed && l < 3; l++ {
			perLevel[l]++
		}
		short := shortID(c.ID)
		if r.passed == r.levels {
			passed++
			if _, known := knownFailures[short]; known {
				t.Errorf("%s passes but is listed in knownFailures", short)
			}
			continue
		}
		failed++
		msg := fmt.Sprintf("FAIL %s [L%d] %s", short, r.passed, r.diff)
		if _, known := knownFailures[short]; !known {
			unexpected = append(unexpected, msg)
		} else if testing.Verbose() {
			t.Log(msg)
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	fmt.Printf("teststate cases: %d passed (L0 %d, L1 %d, L2 %d), %d failed\n", passed, perLevel[0], perLevel[1], perLevel[2], failed)
}

// shortID drops the test file path from a case id.
func shortID(id string) string {
	if i := strings.Index(id, "::"); i >= 0 {
		return id[i+2:]
	}
	return id
}
