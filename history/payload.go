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
	text  string
	val   any
	isVal bool
}

// Text returns a Payload holding JSON text as is.
func Text(s string) Payload { return Payload{text: s} }

// Value returns a Payload holding a parsed document. The value must not be
// modified afterwards (values are immutable once shared).
func Value(v any) Payload { return Payload{val: v, isVal: true} }

// String returns the document's JSON text.
func (p Payload) String() string {
	if p.isVal {
		return value.String(p.val)
	}
	return p.text
}

// Size returns the length of the document's JSON text.
func (p Payload) Size() int {
	if p.isVal {
		return value.EncodedLen(p.val)
	}
	return len(p.text)
}

// MarshalJSON writes the document's text as a JSON string.
func (p Payload) MarshalJSON() ([]byte, error) {
	if !p.isVal {
		return value.AppendString(nil, p.text), nil
	}
	return value.AppendString(nil, value.String(p.val)), nil
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
