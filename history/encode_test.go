package history

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// tricky is text that JSON encoders escape in different ways.
const tricky = "a\"b\\c\n\t<&>\u2028\x01é\xff"

// fill sets every field of the struct v points to: strings to tricky,
// numbers to 7, booleans to true, pointers to filled values, payloads to
// a document holding tricky, maps to two entries.
func fill(v reflect.Value) {
	payload := reflect.TypeFor[Payload]()
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == payload:
			doc := value.NewObject(2)
			doc.Set("s", tricky)
			doc.Set("n", 1.5)
			f.Set(reflect.ValueOf(Value(doc)))
		case f.Kind() == reflect.String:
			f.SetString(tricky)
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			f.SetInt(7)
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Map:
			f.Set(reflect.ValueOf(map[string]string{"zeta": tricky, "alpha": `{"x":1}`}))
		case f.Kind() == reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			if p.Elem().Kind() == reflect.Struct {
				fill(p.Elem())
			} else {
				fill1(p.Elem())
			}
			f.Set(p)
		}
	}
}

func fill1(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(tricky)
	case reflect.Int64:
		v.SetInt(42)
	}
}

// detailFields lists, for each details member of wireEvent (the pointer
// fields), its index, JSON key and an event type whose details it holds.
func detailFields() []detailField {
	t := reflect.TypeFor[wireEvent]()
	var out []detailField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Pointer {
			continue
		}
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		typ := f.Name
		switch f.Name {
		case "StateEntered":
			typ = "PassStateEntered"
		case "StateExited":
			typ = "TaskStateExited"
		}
		out = append(out, detailField{i, key, typ})
	}
	return out
}

type detailField struct {
	index int
	key   string
	typ   string
}

// decoded returns JSON text decoded into plain Go values.
func decoded(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	return v
}

// TestAppendJSONMatchesMarshal encodes events carrying every details type,
// full and empty, with AppendEvents and with encoding/json's reflection
// (through wireEvent, which has a member per details key) and compares the
// decoded results. Each event is also decoded and encoded again.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	ts := time.Date(2026, 11, 21, 10, 0, 0, 123e6, time.UTC)
	var events []Event
	var wires []wireEvent
	wt := reflect.TypeFor[wireEvent]()
	for _, f := range detailFields() {
		for i, filled := range []bool{true, false} {
			d := reflect.New(wt.Field(f.index).Type.Elem())
			if filled {
				fill(d.Elem())
			}
			e := Event{ID: int64(3 + i), PreviousEventID: int64(2 + i), Timestamp: ts, Type: f.typ, Details: d.Interface().(Details)}
			w := wireEvent{Timestamp: float64(ts.UnixMilli()) / 1000, ID: e.ID, PreviousEventID: e.PreviousEventID, Type: e.Type}
			reflect.ValueOf(&w).Elem().Field(f.index).Set(d)
			events, wires = append(events, e), append(wires, w)
		}
	}
	for _, e := range []Event{
		{ID: 1, Type: "NoDetails", Timestamp: ts},
		{ID: 2, Type: "PassStateEntered", Timestamp: ts, Details: &StateEnteredDetails{Name: "S", Input: Text(`{"a": [1, 2]}`)}},
	} {
		w := wireEvent{Timestamp: float64(ts.UnixMilli()) / 1000, ID: e.ID, Type: e.Type}
		if e.Details != nil {
			w.StateEntered = e.Details.(*StateEnteredDetails)
		}
		events, wires = append(events, e), append(wires, w)
	}
	want, err := json.Marshal(wires)
	if err != nil {
		t.Fatal(err)
	}
	got := AppendEvents(nil, events)
	if !reflect.DeepEqual(decoded(t, got), decoded(t, want)) {
		t.Fatalf("AppendEvents:\n%s\njson.Marshal:\n%s", got, want)
	}
	for i := range events {
		b := events[i].AppendJSON(nil)
		if i%2 == 0 && i < len(events)-2 && len(b) < 100 {
			t.Fatalf("event %s was not filled: %s", events[i].Type, b)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if again := back.AppendJSON(nil); string(again) != string(b) {
			t.Fatalf("decoded and encoded again:\n%s\nwas\n%s", again, b)
		}
	}
}

func BenchmarkAppendEvents(b *testing.B) {
	doc := value.NewObject(2)
	doc.Set("id", "7f1c0e7a-1d2b-4c38")
	doc.Set("n", 12.0)
	var events []Event
	for i := range 22 {
		events = append(events, Event{ID: int64(i + 1), PreviousEventID: int64(i), Type: "PassStateExited",
			Details: &StateExitedDetails{Name: "S", Output: Value(doc), OutputDetails: &DataDetails{}}})
	}
	b.Run("AppendEvents", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = AppendEvents(buf[:0], events)
		}
	})
}
