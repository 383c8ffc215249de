package history

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

func TestEventJSONRoundTrip(t *testing.T) {
	e := &Event{
		ID: 2, PreviousEventID: 1, Type: "PassStateEntered",
		Timestamp: time.Date(2026, 1, 2, 3, 4, 5, 123e6, time.UTC),
		Details:   &StateEnteredDetails{Name: "A", Input: Text(`{"a":1}`), InputDetails: &DataDetails{}},
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"timestamp":1767323045.123,"id":2,"previousEventId":1,"type":"PassStateEntered","stateEnteredEventDetails":{"name":"A","input":"{\"a\":1}","inputDetails":{"truncated":false}}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Timestamp.Equal(e.Timestamp) || back.Details.(*StateEnteredDetails).Input.String() != e.Details.(*StateEnteredDetails).Input.String() || back.ID != 2 {
		t.Fatalf("round trip: %+v", back)
	}
}

func TestPayloadValueEncodesLazily(t *testing.T) {
	p := Value(value.MustParse(`{"b":[1,"x"],"a":null}`))
	if p.String() != `{"b":[1,"x"],"a":null}` || p.Size() != len(p.String()) {
		t.Fatalf("String %s Size %d", p.String(), p.Size())
	}
	b, err := json.Marshal(struct{ P Payload }{p})
	if err != nil || string(b) != `{"P":"{\"b\":[1,\"x\"],\"a\":null}"}` {
		t.Fatalf("marshal %s %v", b, err)
	}
}
