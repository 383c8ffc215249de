package engine

import (
	"encoding/json"
	"testing"
)

// TestSnapshotRoundTrip drives executions twice, once keeping the
// Execution in memory and once encoding and decoding it after every step
// (as the server does between commits); both must produce the same
// history.
func TestSnapshotRoundTrip(t *testing.T) {
	defs := map[string]string{
		"parallel with tasks and retries": `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"W","Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
				"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2,"JitterStrategy":"FULL"}]}}},
			{"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":5,"Next":"C"},"C":{"Type":"Pass","Assign":{"v.$":"$"},"End":true}}}]},
			"W":{"Type":"Wait","Seconds":10,"Next":"M"},
			"M":{"Type":"Map","MaxConcurrency":2,"ItemsPath":"$[1]","ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
			 "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`,
		"jsonata with variables": `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Assign":{"n":"{% $states.input.n %}"},"Next":"T"},
			"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"n":"{% $n %}"},"Output":"{% $states.result + $n %}","End":true}}}`,
	}
	inputs := map[string]string{"parallel with tasks and retries": `[1,2,3]`, "jsonata with variables": `{"n":5}`}
	for name, def := range defs {
		t.Run(name, func(t *testing.T) {
			drive := func(roundTrip bool) string {
				h := start(t, def, inputs[name])
				fail := true
				for i := 0; !h.x.Done() && i < 100; i++ {
					if roundTrip {
						b, err := h.m.Encode(h.x)
						if err != nil {
							t.Fatal(err)
						}
						if h.x, err = h.m.Decode(b); err != nil {
							t.Fatal(err)
						}
					}
					if len(h.tasks) > 0 {
						id, task := h.nextTask()
						delete(h.tasks, id)
						if fail { // fail each task once to exercise retries
							fail = false
							h.step(Input{Kind: InputTaskFailed, ID: id, Error: "Flaky"})
							continue
						}
						fail = true
						out := task.Input
						if o, ok := out.(interface{ Len() int }); ok && o.Len() == 1 {
							out = 1.0
						}
						h.step(Input{Kind: InputTaskSucceeded, ID: id, Output: out})
						continue
					}
					h.fireNextTimer()
				}
				b, _ := json.Marshal(h.events)
				return string(h.x.Status) + " " + string(b)
			}
			plain, trip := drive(false), drive(true)
			if plain != trip {
				t.Fatalf("round trip changed the history:\nplain %s\ntrip  %s", plain, trip)
			}
			if plain[:9] != "SUCCEEDED" && plain[:6] != "FAILED" {
				t.Fatalf("did not finish: %.200s", plain)
			}
		})
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	m := compile(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`)
	for _, b := range []string{``, `{}`, `{"v":1,"root":{"graph":"nope"}}`, `{"v":1,"root":{"graph":"","state":"Z"}}`, `{"v":2}`} {
		if _, err := m.Decode([]byte(b)); err == nil {
			t.Errorf("Decode(%s): want error", b)
		}
	}
}
