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

// detailFields lists, for each details field of Event (the pointer
// fields), its index and JSON key.
func detailFields() []struct {
	index int
	key   string
} {
	t := reflect.TypeFor[Event]()
	var out []struct {
		index int
		key   string
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Pointer {
			continue
		}
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, struct {
			index int
			key   string
		}{i, key})
	}
	return out
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
// (through eventAlias, which has no MarshalJSON) and compares the
// decoded results. The key of each details type is checked by name.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	ts := time.Date(2026, 11, 21, 10, 0, 0, 123e6, time.UTC)
	var events []Event
	et := reflect.TypeFor[Event]()
	for _, f := range detailFields() {
		full := Event{ID: 3, PreviousEventID: 2, Timestamp: ts, Type: et.Field(f.index).Name}
		details := reflect.New(et.Field(f.index).Type.Elem())
		fill(details.Elem())
		reflect.ValueOf(&full).Elem().Field(f.index).Set(details)
		empty := Event{ID: 4, PreviousEventID: 3, Timestamp: ts, Type: "Empty"}
		d := reflect.New(et.Field(f.index).Type.Elem())
		reflect.ValueOf(&empty).Elem().Field(f.index).Set(d)
		events = append(events, full, empty)
	}
	events = append(events, Event{ID: 1, Type: "NoDetails", Timestamp: ts},
		Event{ID: 2, Type: "TextPayload", Timestamp: ts, StateEntered: &StateEnteredDetails{Name: "S", Input: Text(`{"a": [1, 2]}`)}})
	type reference struct {
		Timestamp float64 `json:"timestamp"`
		*eventAlias
	}
	var refs []reference
	for i := range events {
		refs = append(refs, reference{float64(events[i].Timestamp.UnixMilli()) / 1000, (*eventAlias)(&events[i])})
	}
	want, err := json.Marshal(refs)
	if err != nil {
		t.Fatal(err)
	}
	got := AppendEvents(nil, events)
	if !reflect.DeepEqual(decoded(t, got), decoded(t, want)) {
		t.Fatalf("AppendEvents:\n%s\njson.Marshal:\n%s", got, want)
	}
	for i := range events {
		if events[i].Type != "Empty" && events[i].Type != "NoDetails" && events[i].Type != "TextPayload" &&
			len(events[i].AppendJSON(nil)) < 100 {
			t.Fatalf("event %s was not filled: %s", events[i].Type, events[i].AppendJSON(nil))
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
			StateExited: &StateExitedDetails{Name: "S", Output: Value(doc), OutputDetails: &DataDetails{}}})
	}
	b.Run("AppendEvents", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = AppendEvents(buf[:0], events)
		}
	})
}
