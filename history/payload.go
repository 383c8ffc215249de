package history

import (
	"encoding/json"

	"github.com/stepwise-run/stepwise/value"
)

// Payload is a JSON document carried by an event (an input, output or
// parameters field). It holds either the document's text or its parsed
// value; the text of a value is produced only when it is needed, so the
// engine does not serialise documents that nobody reads. On the wire a
// Payload is a JSON string holding the document's text, as in AWS's API.
type Payload struct {
	text string
	// val is the parsed document, nil if the payload holds text; JSON null
	// is held as jsonNull{}, so that no flag is needed (events carry many
	// payloads, and a smaller Payload is less for the engine to allocate).
	val any
}

// jsonNull stands for the document null in Payload.val.
type jsonNull struct{}

// Text returns a Payload holding JSON text as is.
func Text(s string) Payload { return Payload{text: s} }

// Value returns a Payload holding a parsed document. The value must not be
// modified afterwards (values are immutable once shared).
func Value(v any) Payload {
	if v == nil {
		return Payload{val: jsonNull{}}
	}
	return Payload{val: v}
}

// doc returns the parsed document and whether the payload holds one.
func (p Payload) doc() (any, bool) {
	switch p.val.(type) {
	case nil:
		return nil, false
	case jsonNull:
		return nil, true
	}
	return p.val, true
}

// String returns the document's JSON text.
func (p Payload) String() string {
	if v, ok := p.doc(); ok {
		return value.String(v)
	}
	return p.text
}

// Size returns the length of the document's JSON text.
func (p Payload) Size() int {
	if v, ok := p.doc(); ok {
		return value.EncodedLen(v)
	}
	return len(p.text)
}

// MarshalJSON writes the document's text as a JSON string.
func (p Payload) MarshalJSON() ([]byte, error) {
	return value.AppendString(nil, p.String()), nil
}

// UnmarshalJSON reads a JSON string into the payload's text.
func (p *Payload) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = Text(s)
	return nil
}
