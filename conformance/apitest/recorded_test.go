package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store/memory"
)

// knownFailures are recorded cases that fail for a reason outside this
// layer, or a feature not built yet, keyed by a unique substring of the
// case id.
var knownFailures = map[string]string{
	"test_describe_nonexistent_sm#":                                                "run.py: the regex transform's patternRef does not apply its {replace} step, so the nonexistent ARN is not normalised",
	"test_publish_state_machine_version_no_such_machine#":                          "run.py: as test_describe_nonexistent_sm (patternRef with {replace})",
	"test_create_describe_delete_activity[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": "run.py: its ${UID} has 10 characters where LocalStack's had 8, making the name 82 characters; AWS too refuses names over 80",
	"test_start_version_execution#":                                                "recorded in 2023, before AWS added redriveCount to ListExecutions items; later recordings (test_start_execution) have it",
	"test_stop_execution#":                                                         "case data: the steps await the end of a 60 s Wait before StopExecution, so the execution has SUCCEEDED when stopped; AWS's recording stopped it while it waited",
}

type report struct {
	Results []struct {
		ID          string `json:"id"`
		Kind        string `json:"kind"`
		Passed      bool   `json:"passed"`
		FailedLevel string `json:"failedLevel"`
		Reason      string `json:"reason"`
	} `json:"results"`
}

func findRunPy(t *testing.T) (python, runpy string) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: the recorded API cases need run.py")
	}
	runpy = os.Getenv("STEPWISE_RUNPY")
	if runpy == "" {
		runpy = filepath.Join("..", "..", "..", "shared", "conformance", "run.py")
	}
	if _, err := os.Stat(runpy); err != nil {
		t.Skipf("run.py not found at %s (set STEPWISE_RUNPY)", runpy)
	}
	return python, runpy
}

func TestRecordedAPICases(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server and run.py for a few seconds")
	}
	python, runpy := findRunPy(t)
	st := memory.New()
	// Skipped time keeps the run short: the recorded cases wait up to 60 s
	// (timers still fire in due order, so a 5 s execution timeout beats a
	// 60 s Wait as on AWS).
	rt, err := runner.New(runner.Config{Store: st, SkipTime: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Runtime: rt})
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Config{Service: svc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); _ = rt.Close(); _ = st.Close() })

	for _, kind := range []string{"api", "validation", "teststate"} {
		out := filepath.Join(t.TempDir(), kind+".json")
		cmd := exec.Command(python, runpy, "--endpoint", srv.URL, "--kind", kind,
			"--cases", filepath.Join("..", "testdata", "cases"), "--jobs", "8", "--quiet", "--json-report", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("run.py --kind %s: %v\n%s", kind, err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var rep report
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("run.py report: %v", err)
		}
		passed, failed, known := 0, 0, 0
		var knownLines []string
		for _, r := range rep.Results {
			if r.Passed {
				passed++
				if k := knownKey(r.ID); k != "" {
					t.Logf("known failure now passes, remove it from knownFailures: %s", r.ID)
				}
				continue
			}
			failed++
			if k := knownKey(r.ID); k != "" {
				known++
				knownLines = append(knownLines, fmt.Sprintf("  known: %s [%s]: %s", shortID(r.ID), r.FailedLevel, knownFailures[k]))
				continue
			}
			if kind == "teststate" {
				// Package teststate owns these cases and lists its known
				// failures; here they only show that the API adds none
				// (same count as its in-process harness), unless the
				// server misbehaved.
				if protocolFailure(r.Reason) {
					t.Errorf("%s [%s] %s", r.ID, r.FailedLevel, r.Reason)
				}
				continue
			}
			t.Errorf("%s [%s] %s", r.ID, r.FailedLevel, r.Reason)
		}
		sort.Strings(knownLines)
		fmt.Printf("%s cases: %d passed, %d failed (%d known), 0 skipped\n", kind, passed, failed, known)
		for _, l := range knownLines {
			fmt.Println(l)
		}
	}
}

func knownKey(id string) string {
	for k := range knownFailures {
		if strings.Contains(id, k) {
			return k
		}
	}
	return ""
}

func shortID(id string) string {
	if i := strings.LastIndex(id, "::"); i >= 0 {
		id = id[i+2:]
	}
	if len(id) > 90 {
		id = id[:90] + "…"
	}
	return id
}

// protocolFailure reports whether run.py failed a case because the server
// broke the protocol (a 5xx, a body that is not a JSON object, an error
// without __type) rather than because an answer differs from AWS's.
func protocolFailure(reason string) bool {
	for _, s := range []string{"HTTP 5", "not JSON", "not a JSON object", "without __type"} {
		if strings.Contains(reason, s) {
			return true
		}
	}
	return false
}
