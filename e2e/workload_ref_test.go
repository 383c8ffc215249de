package e2e

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/engine"
)

// TestCrashMachinesSucceedInProcess checks the crash test's workload
// against the in-process reference: every generated input succeeds, and
// its history converts to the SDK's events without losing a member.
func TestCrashMachinesSucceedInProcess(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, cm := range crashMachines {
		m, err := engine.CompileText([]byte(cm.definition))
		if err != nil {
			t.Fatalf("%s: %v", cm.name, err)
		}
		for i := range 50 {
			input := cm.input(r)
			exp, err := Reference(context.Background(), m, input, engine.Meta{StartTime: time.Unix(1700000000, 0)})
			if err != nil {
				t.Fatalf("%s %s: %v", cm.name, input, err)
			}
			if exp.Status != "SUCCEEDED" {
				t.Fatalf("%s %s: %s %s %s", cm.name, input, exp.Status, exp.Error, exp.Cause)
			}
			if i == 0 {
				t.Logf("%s %s → %s (%d events)", cm.name, input, exp.Output, len(exp.Events))
			}
		}
	}
}
